"""The command line: ``build`` (default), ``check``, ``new`` and ``serve``."""

from __future__ import annotations

import argparse
import signal
import sys
from datetime import date
from pathlib import Path

from .content import has_story_files
from .errors import BuildFailed, ContentError, counted, github_annotation
from .output import check_output_folder
from .pipeline import Paths, PlanMemo, build, load
from .workers import default_workers


def main(argv: list[str] | None = None, exiting: bool = False) -> int:
    """``exiting``: the process ends when this returns, without the interpreter's teardown (build.py)."""
    parser = _parser()
    args = parser.parse_args(argv)
    args.exiting = exiting
    paths = Paths(content=args.content, output=args.output, templates=args.templates, static=args.static)
    signal.signal(signal.SIGTERM, _interrupt)  # CI and Netlify cancel a job with SIGTERM: treat it as Ctrl-C
    try:
        return args.run(args, paths)
    except BuildFailed as failure:
        print_problems(failure.errors, checking=args.run is run_check, output=paths.output)
        if getattr(args, "format", "text") == "github":
            print_annotations(failure.errors, "error")
        return 1
    except KeyboardInterrupt:
        print("Interrupted; the previous site was left as it was.", file=sys.stderr)
        return 130


def run_build(args: argparse.Namespace, paths: Paths) -> int:
    check_folders(paths, ("content", "templates"))
    check_output_folder(paths.output, _sources(paths), force=args.force)
    if not args.allow_empty:
        refuse_an_empty_site(paths.content)
    memo = PlanMemo(exiting=args.exiting)
    if memo.exiting:
        _LEFT_TO_THE_END.append(memo)  # see PlanMemo.exiting
    report = build(paths, search=not args.no_search, log=print if args.verbose else None, memo=memo)
    for warning in report.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    print(report.summary())
    return 0


_LEFT_TO_THE_END: list[PlanMemo] = []


def _interrupt(signum, frame) -> None:
    raise KeyboardInterrupt


def check_folders(paths: Paths, names: tuple[str, ...]) -> None:
    """Each folder the command reads must be a folder: all that are not in one list, with where they were looked for.

    Run from another folder, the default ``content`` and ``templates`` name
    folders there; the absolute path shows the contributor where that was.
    """
    problems = []
    for name in names:
        folder: Path = getattr(paths, name)
        if folder.is_dir():
            continue
        what = "is a file, not a folder" if folder.exists() else "does not exist"
        problems.append(ContentError(folder.as_posix(), None, name,
                                     f"the {name} folder {folder.absolute().as_posix()} {what}",
                                     f"run build.py from the project folder, or pass --{name} DIR"))
    if problems:
        raise BuildFailed(problems)


def _sources(paths: Paths) -> tuple[Path, ...]:
    """The folders a build reads, which its output must never replace."""
    return (paths.content, paths.templates, paths.static)


def refuse_an_empty_site(content: Path) -> None:
    """Publishing a site without stories is almost always a wrong folder, not a wish: stop, listing every problem."""
    problem = empty_site_problem(content)
    if problem is None:
        return
    problems = [problem]
    try:
        load(content)
    except BuildFailed as failure:
        problems += failure.errors
    raise BuildFailed(problems)


def empty_site_problem(content: Path) -> ContentError | None:
    """``content/stories`` missing or without a single ``.md`` file; None when there is a story (or no content)."""
    stories = content / "stories"
    if not content.is_dir() or has_story_files(content) or (stories.exists() and not stories.is_dir()):
        return None  # the loader has its own, more precise, message for these
    what = "holds no stories" if stories.is_dir() else "does not exist"
    return ContentError(stories.as_posix(), None, None, f"{what}, so the site would be empty",
                        "add one with 'python build.py new', or pass --allow-empty to publish an empty site")


def run_check(args: argparse.Namespace, paths: Paths) -> int:
    check_folders(paths, ("content",))
    loaded = load(paths.content, with_warnings=True, workers=default_workers())
    if not loaded.archive.stories and (empty := empty_site_problem(paths.content)) is not None:
        loaded.warnings.append(empty)
    for warning in loaded.warnings:
        print(f"warning: {warning}")
    if args.format == "github":
        print_annotations(loaded.warnings, "warning")
    archive = loaded.archive
    print(f"OK: {counted(len(archive.stories), 'story', 'stories')}, "
          f"{counted(len(archive.coaches), 'coach', 'coaches')}, {counted(len(archive.clubs), 'club', 'clubs')}"
          + (f", {counted(len(loaded.warnings), 'warning', 'warnings')}" if loaded.warnings else ""))
    return 0


def run_new(args: argparse.Namespace, paths: Paths) -> int:
    from .newstory import write_new_story

    try:
        path = write_new_story(paths.content, coach=args.coach, clubs=args.club, source=args.source,
                               url=args.url, when=args.date or date.today().isoformat(), slug=args.slug,
                               lang=args.lang)
    except BuildFailed as failure:
        print_problems(failure.errors, command="new")  # not main's message: new has no site to keep
        return 1
    print(f"Wrote {path.as_posix()}: write the story in your own words below the front matter.")
    return 0


def run_serve(args: argparse.Namespace, paths: Paths) -> int:
    from .serve import CannotListen, serve

    check_output_folder(paths.output, _sources(paths), force=args.force)
    try:
        serve(paths, host=args.host, port=args.port, search=not args.no_search)
    except CannotListen as problem:
        print(problem, file=sys.stderr)
        return 1
    return 0


# What each command tells about what it left as it was, after the problems' count.
_OUTCOMES = {
    "build": "Build stopped: {count} to fix. The site in {output}/ was not changed.",
    "check": "Check failed: {count} to fix.",
    "new": "Nothing was written: {count} to fix.",
}


def print_problems(problems: list[ContentError], checking: bool = False, command: str | None = None,
                   output: Path = Path("output")) -> None:
    command = command or ("check" if checking else "build")
    noun = "problem" if len(problems) == 1 else "problems"
    print(_OUTCOMES[command].format(count=f"{len(problems)} {noun}", output=output.as_posix().rstrip("/")),
          file=sys.stderr)
    for problem in problems:
        print(f"  {problem}", file=sys.stderr)


def print_annotations(problems: list[ContentError], level: str) -> None:
    """Each problem again as a GitHub Actions annotation, on standard output where the runner reads them."""
    for problem in problems:
        print(github_annotation(problem, level))


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="build.py", description="Build the Panchina rumour archive.")
    _folder_options(parser)
    parser.add_argument("--no-search", action="store_true", help="skip the Pagefind index (faster)")
    parser.add_argument("-v", "--verbose", action="store_true", help="time each build step")
    _build_options(parser)
    parser.set_defaults(run=run_build)
    commands = parser.add_subparsers(title="commands", metavar="COMMAND")

    build_cmd = commands.add_parser("build", help="build the site into output/ (the default)")
    _folder_options(build_cmd)
    build_cmd.add_argument("--no-search", action="store_true", help="skip the Pagefind index (faster)")
    build_cmd.add_argument("-v", "--verbose", action="store_true", help="time each build step")
    _build_options(build_cmd)
    build_cmd.set_defaults(run=run_build)

    check_cmd = commands.add_parser("check", help="check the content and print problems and warnings")
    _folder_options(check_cmd)
    check_cmd.add_argument("--format", choices=("text", "github"), default="text",
                           help="github: also print each problem as a GitHub Actions annotation")
    check_cmd.set_defaults(run=run_check)

    new_cmd = commands.add_parser("new", help="start a new story file")
    _folder_options(new_cmd)
    new_cmd.add_argument("--coach", required=True, help="the coach's name")
    new_cmd.add_argument("--club", required=True, action="append", help="a club (repeat for several)")
    new_cmd.add_argument("--source", required=True, help="the outlet or journalist")
    new_cmd.add_argument("--url", help="link to the original report")
    new_cmd.add_argument("--date", help="YYYY-MM-DD, YYYY-MM or YYYY (default: today)")
    new_cmd.add_argument("--lang", help="language of the body, e.g. it (default: the site's)")
    new_cmd.add_argument("--slug", help="file name without .md (default: coach and first club)")
    new_cmd.set_defaults(run=run_new)

    serve_cmd = commands.add_parser("serve", help="build, serve and rebuild on change")
    _folder_options(serve_cmd)
    serve_cmd.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    serve_cmd.add_argument("--port", type=_port, default=8000, help="port, 1 to 65535 (default 8000)")
    serve_cmd.add_argument("--no-search", action="store_true", help="skip the Pagefind index")
    _flag(serve_cmd, "--force", _FORCE_HELP)
    serve_cmd.set_defaults(run=run_serve)
    return parser


_FORCE_HELP = "replace the output folder even if Panchina did not write it (its files are deleted)"


def _build_options(parser: argparse.ArgumentParser) -> None:
    _flag(parser, "--force", _FORCE_HELP)
    _flag(parser, "--allow-empty", "publish the site even when there are no stories")


def _flag(parser: argparse.ArgumentParser, name: str, help: str) -> None:
    # As for the folders: a subcommand must not reset a flag given before it (build.py --force build).
    default = argparse.SUPPRESS if parser.prog != "build.py" else False
    parser.add_argument(name, action="store_true", default=default, help=help)


def _port(text: str) -> int:
    # 0 ("any free port") is refused: the contributor needs an address known before it is opened.
    if not text.isdigit() or not 1 <= int(text) <= 65535:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port: give a number from 1 to 65535, e.g. --port 8001")
    return int(text)


def _folder_options(parser: argparse.ArgumentParser) -> None:
    # argparse.SUPPRESS keeps a subcommand from resetting a folder given before it.
    default = argparse.SUPPRESS if parser.prog != "build.py" else None
    for name, folder in (("content", "content"), ("output", "output"), ("templates", "templates"),
                         ("static", "static")):
        parser.add_argument(f"--{name}", type=Path, metavar="DIR",
                            default=default if default is not None else Path(folder),
                            help=f"the {name} folder (default: {folder}/)")
