"""The build, top to bottom: load → check → model → plan → render → write → index.

``load`` gathers and checks everything and raises ``BuildFailed`` with every
problem at once; only a clean load goes on to ``build``, which plans every
page (``pages/``), renders those whose fingerprint changed since the last
build, and publishes them without ever leaving a half-written site (see
``output.write_site``).  The command line, warm builds and the preview all
run this one function; the preview only tells it which story files it knows
to be unchanged.
"""

from __future__ import annotations

import gc
import os
import stat
import time
import traceback
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import jinja2

from .appointments import load_appointments
from .archive import build_archive, find_lookalikes
from .cache import Bodies, BuildCache, content_hash, load_cache, save_cache, set_cache_aside
from .config import Registry, SiteConfig, load_registry, load_site_config
from .content import StoryFile, body_of, decode_story, find_story_files, load_story, read_story_bytes
from .errors import BuildFailed, ContentError, Inconsistent, counted
from .files import is_ignored_name, is_inside, read_regular_bytes
from .fingerprint import fingerprint
from .i18n import load_language
from .lookahead import LookAhead, Scanned
from .markup import MarkdownRenderer, renderer_fingerprint, sanitize
from .model import Appointment, Archive, Story
from .outcomes import resolve
from .output import check_output_folder, output_identity, write_site
from .pages import Page, Reach, Site, plan_site
from .present import Presenter
from .reads import Digests, story_facts
from .render import Renderer
from .search import index_site, search_bundles
from .workers import default_workers, forked_map, usable_workers


@dataclass(frozen=True)
class Paths:
    """The folders a build reads and writes."""

    content: Path = Path("content")
    output: Path = Path("output")
    templates: Path = Path("templates")
    static: Path = Path("static")
    cache: Path | None = Path(".cache")  # None: no cache, every build is cold


@dataclass
class Loaded:
    config: SiteConfig
    archive: Archive
    warnings: list[ContentError] = field(default_factory=list)
    settings: str = ""  # settings_fingerprint of what it was loaded with
    # What the preview needs to bring this model up to date when only stories' bodies were saved.
    files: dict[str, StoryFile] = field(default_factory=dict)  # by place below stories/
    links: list[StoryFile] = field(default_factory=list)  # those that are symbolic links
    registries: dict[str, Registry] = field(default_factory=dict)
    # The stories whose bodies this load took in, when it knows that no other story changed since the
    # last good build (the preview's saved bodies); None: any may have.
    saved: list[Story] | None = None


@dataclass
class PlanMemo:
    """What a long-running caller (the preview) keeps from one build to plan the next faster:
    views made from the same facts (see ``Presenter``).  What each unit of pages read is in the
    build cache, which the preview keeps in memory."""

    presenters: dict[str, Presenter] = field(default_factory=dict)  # by language
    loaded: Loaded | None = None  # the last good build's model: kept when only bodies changed since
    renderer: Renderer | None = None  # its templates compiled already
    markdown: MarkdownRenderer | None = None  # its extensions set up already
    # The last build's units, to plan the next from a change alone (see ``pages.Reach``): only for a
    # caller that looks over the pages after each build for files changed by hand (``PreviewSite.repair``).
    reach: Reach | None = None
    used_cache: bool = False  # this build read a cache that held something: a crash may be the cache's
    # The process ends right after this build, without the interpreter's teardown (build.py): then the
    # build's objects are held rather than freed one by one, and no collection walks them for memory
    # about to be given back whole.  Each cost about a seventh of a second at 10,000 stories.
    exiting: bool = False
    held: tuple = ()


@dataclass
class BuildReport:
    stories: int
    coaches: int
    clubs: int
    pages: int
    seconds: float
    timings: dict[str, float]
    rendered: int = 0  # pages rendered this time; the rest were unchanged and kept
    warnings: list[str] = field(default_factory=list)  # about the cache: it was unusable and is rebuilt

    def summary(self) -> str:
        kept = f" ({self.pages - self.rendered:,} unchanged)" if self.rendered < self.pages else ""
        return (f"Built {counted(self.stories, 'story', 'stories')}, {counted(self.coaches, 'coach', 'coaches')}, "
                f"{counted(self.clubs, 'club', 'clubs')}: {counted(self.pages, 'page', 'pages')}{kept} "
                f"in {self.seconds:.2f} s")


def load(content_dir: Path, today: date | None = None, with_warnings: bool = False,
         cache: BuildCache | None = None, bodies: Bodies | None = None,
         edited: set[str] | None = None, workers: int = 1, previous: Loaded | None = None,
         scanned: Scanned | None = None) -> Loaded:
    """Load and check the whole content folder; raise BuildFailed listing every problem.

    With a ``cache``, a story whose file's bytes hash to what the last build
    checked is taken from it instead of being parsed and checked again (the
    cache is then refreshed).  ``edited``: the absolute paths known to have
    changed since then (the preview's file events); files outside it are
    not even read.  With ``bodies``, each story's Markdown is kept only
    while its HTML is not stored yet.  ``previous``: the model of the last
    good build, used again when only bodies have changed since.  ``scanned``:
    the story files and their hashes, found meanwhile (see ``LookAhead``).
    """
    today = today or date.today()
    if previous is not None and edited is not None and cache is not None and bodies is not None:
        kept = _with_bodies_saved(content_dir, previous, edited, cache, bodies, today)
        if kept is not None:
            return kept
    errors: list[ContentError] = []
    warnings: list[ContentError] = []
    if not content_dir.is_dir():
        raise BuildFailed([ContentError(content_dir.as_posix(), None, None, "the content folder does not exist",
                                        "run the command from the project folder, or pass --content DIR")])
    config = load_site_config(content_dir, (content_dir / "site.yaml").as_posix(), errors)
    registries = load_registries(content_dir, errors)
    if scanned is not None:
        files, hashes, found = scanned
        warnings += found
    else:
        files, hashes = find_story_files(content_dir, errors, warnings), {}
    settings = settings_fingerprint(content_dir)
    stories = load_stories(files, registries, config.language, today, errors, cache, settings, bodies,
                           _edited(content_dir, edited), warnings if with_warnings else None, workers, hashes)
    archive = _same_but_bodies(previous, stories, settings, config) if previous and not errors else None
    if archive is not None:
        found: list[ContentError] = []
        spells = load_appointments(content_dir, registries, archive, today, found)
        if spells != archive.appointments or found:
            archive = None  # they changed: link and resolve everything again
    if archive is None:
        archive = build_archive(stories, registries, errors)
        attach_outcomes(archive, load_appointments(content_dir, registries, archive, today, errors))
    if errors:
        raise BuildFailed(errors)
    if with_warnings:
        warnings.extend(find_lookalikes(archive))
    return Loaded(config, archive, warnings, settings, {file.relative: file for file in files},
                  [file for file in files if file.linked], registries)


def _with_bodies_saved(content_dir: Path, previous: Loaded, edited: set[str], cache: BuildCache, bodies: Bodies,
                       today: date) -> Loaded | None:
    """The last good build's model, when the file events name only stories it had whose facts are unchanged.

    The preview's commonest event is one story saved with a new body.  Then
    the folders need not be listed again, nor 10,000 stories compared: the
    named stories (and every link, see ``_touched``) are read and checked,
    and their bodies replace the old ones in place.  Anything else (a story
    added, moved or removed, a changed fact, a mistake, the settings, the
    registries or appointments, a link now leading out of the content
    folder) returns None: load everything.  (A day passing changes nothing
    here: a date valid yesterday is valid today.)
    """
    named = _named_stories(content_dir, edited, previous.files)
    if named is None:
        return None
    root = content_dir.resolve()
    if any(not is_inside(Path(file.path), root) for file in previous.links):
        return None  # listing the folders would refuse it: let it
    touched = {file.relative: file for file in (*previous.links, *named)}
    stories = previous.archive.placed()
    checker = _StoryChecker(previous.registries, previous.config.language, today, False)
    saved = []
    for file in touched.values():
        data = read_story_bytes(file, [])
        entry = cache.stories.get(file.relative)
        if data is None or entry is None:
            return None
        digest = content_hash(data)
        if digest == entry[0]:
            continue
        story, mistakes, _ = checker((file, data))
        old = stories.get(story.place) if story is not None else None
        if old is None or mistakes or story.path != old.path or story_facts(story) != story_facts(old):
            return None
        saved.append((file, data, digest, old, story))
    stored = bodies.stored_among([bodies.key(story.body_hash) for *_, story in saved])
    for file, data, digest, old, story in saved:
        cache.stories[file.relative] = (digest, _without_body(story))
        _take_body(old, story)
        _hand_over_body(old, file, data, bodies, stored, [])
    previous.saved = [old for _, _, _, old, _ in saved]
    return previous


def _named_stories(content_dir: Path, edited: set[str], files: dict[str, StoryFile]) -> list[StoryFile] | None:
    """The story files the events name, each still a plain file; None if they name anything else in the
    content folder (a folder, a new or removed file, the settings).  Templates and static files are skipped:
    the renderer sees to those."""
    folder = os.path.abspath(content_dir)
    content, stories = os.path.join(folder, ""), _stories_folder(content_dir)
    named = []
    for path in edited:
        if path != folder and (not path.startswith(content) or is_ignored_name(os.path.basename(path))):
            continue  # outside the content folder, or an editor's file
        file = files.get(_place_of(path, stories))
        if file is None or file.linked or not _still_a_plain_file(path):
            return None
        named.append(file)
    return named


def _still_a_plain_file(path: str) -> bool:
    try:
        return stat.S_ISREG(os.lstat(path).st_mode)
    except OSError:
        return False


def _same_but_bodies(previous: Loaded, stories: list[Story], settings: str, config: SiteConfig) -> Archive | None:
    """The last build's archive, its bodies brought up to date, when every story's facts are its own.

    The model is made from the stories' facts, the settings, the registries
    and the appointments (checked by the caller): with all of them equal,
    linking and resolving would make the same archive again (a third of a
    second at 10,000 stories, in a preview that should answer at once).
    """
    archive = previous.archive
    if previous.settings != settings or previous.config != config or len(stories) != len(archive.stories):
        return None
    before = archive.placed()
    for story in stories:
        old = before.get(story.place)
        if old is None or old.path != story.path or story_facts(old) != story_facts(story):
            return None
    for story in stories:
        _take_body(before[story.place], story)
    return archive


def _take_body(old: Story, new: Story) -> None:
    """Give a story of the last model the body of the same story loaded now (same place, same facts)."""
    if old.body_hash != new.body_hash:
        old.body_hash, old.body = new.body_hash, new.body


def attach_outcomes(archive: Archive, spells: list[Appointment]) -> None:
    """What actually happened, and each report resolved against it (issue 9)."""
    archive.appointments = spells
    archive.resolved = resolve(archive, spells)


def load_registries(content_dir: Path, errors: list[ContentError]) -> dict[str, Registry]:
    return {kind: load_registry(content_dir / f"{plural}.yaml", (content_dir / f"{plural}.yaml").as_posix(), errors)
            for kind, plural in (("coach", "coaches"), ("club", "clubs"))}


def load_stories(files: list[StoryFile], registries, language: str, today: date, errors: list[ContentError],
                 cache: BuildCache | None, settings: str, bodies: Bodies | None,
                 edited: set[str] | None, warnings: list[ContentError] | None = None,
                 workers: int = 1, hashes: dict[str, str] | None = None) -> list[Story]:
    """Every story: from the cache when its bytes are unchanged, else parsed and checked.

    ``hashes``: the hash of each file's bytes where the look ahead knew it; a
    file that hashed to what the cache holds is not read again.

    The stories to check are checked in ``workers`` processes when there
    are many (a cold build); each keeps its place in the file order, so the
    messages come out in the same order either way.
    """
    cached = cache.stories if cache is not None and cache.stories_stamp == settings else {}
    stored = bodies.stored_keys() if bodies is not None else set()
    hashes = hashes or {}
    found = []  # (file, bytes or None, digest, cached story or None), in file order
    for file in files:
        entry = cached.get(file.relative)
        if (entry is not None and (hashes.get(file.relative) == entry[0]
                                   or edited is not None and not _touched(file, edited))
                and (bodies is None or bodies.key(entry[1].body_hash) in stored)):
            data = None  # known unchanged, its body rendered already: not read (again)
        else:
            data = read_story_bytes(file, errors)
            if data is None:
                continue
        digest = content_hash(data) if data is not None else entry[0]
        found.append((file, data, digest, entry[1] if entry is not None and entry[0] == digest else None))
    to_check = [(file, data) for file, data, _, hit in found if hit is None]
    checker = _StoryChecker(registries, language, today, warnings is not None)
    checked = iter(forked_map(checker, to_check, usable_workers(workers, len(to_check), PARALLEL_CHECKS)))
    kept: dict = {}
    stories = []
    for file, data, digest, hit in found:
        if hit is not None:
            story = hit.unlinked()
            story.path = file.shown  # the same file, perhaps reached from another folder
            if hit.path != story.path:
                hit = None  # not kept as it is: the cache holds the path it is shown at now
        else:
            story, mistakes, notes = next(checked)
            errors.extend(mistakes)
            if warnings is not None:
                warnings.extend(notes)
            if story is None:
                continue
        story_facts(story)  # digested once, and kept with it in the cache
        # A cached story is kept as it came (unlinked, without its body); a checked one is copied so.
        kept[file.relative] = (digest, hit if hit is not None else _without_body(story))
        if bodies is not None:
            _hand_over_body(story, file, data, bodies, stored, errors)
        stories.append(story)
    if cache is not None:
        cache.stories, cache.stories_stamp = kept, settings
    return stories


PARALLEL_CHECKS = 1000  # below this many stories to check, starting processes costs more than it saves

@dataclass(frozen=True)
class _StoryChecker:
    """Checks one story file's bytes: a picklable callable for ``forked_map``."""

    registries: dict
    language: str
    today: date
    with_warnings: bool

    def __call__(self, item: tuple[StoryFile, bytes]) -> tuple[Story | None, list, list]:
        file, data = item
        mistakes: list[ContentError] = []
        notes: list[ContentError] = []
        story = load_story(file, data, self.registries, self.language, self.today, mistakes,
                           notes if self.with_warnings else None)
        return story, mistakes, notes


def _touched(file: StoryFile, edited: set[str]) -> bool:
    """Whether the file may have changed: the file events name it, or it is a link.

    A link is read again every time: the file it reads in the end changes
    with any link on the way (``a.md → b.md → c.md``), while an event names
    only the file or link that changed.  Links are few, and reading one is cheap.
    ``edited`` holds absolute paths, and the file's own path is compared as
    its place below stories/ when an event named it so (see ``_edited``):
    making 10,000 paths absolute took a tenth of the preview's answer.
    """
    return file.linked or file.relative in edited


def _edited(content_dir: Path, edited: set[str] | None) -> set[str] | None:
    """The paths the file events name, each also as its place below stories/ where it is one."""
    if edited is None:
        return None
    stories = _stories_folder(content_dir)
    return edited | {place for place in (_place_of(path, stories) for path in edited) if place is not None}


def _stories_folder(content_dir: Path) -> str:
    return os.path.join(os.path.abspath(content_dir), "stories", "")


def _place_of(path: str, stories: str) -> str | None:
    """An absolute path's place below the stories folder (``2026/x.md``), or None outside it."""
    return path[len(stories):].replace(os.sep, "/") if path.startswith(stories) else None


def _without_body(story: Story) -> Story:
    copy = story.unlinked()
    copy.body = None
    return copy


def _hand_over_body(story: Story, file: StoryFile, data: bytes | None, bodies: Bodies, stored: set[str],
                    errors: list[ContentError]) -> None:
    """Give the body cache the Markdown it must render, taken from the very bytes that were hashed."""
    if bodies.key(story.body_hash) in stored:
        story.body = None  # its HTML is stored: no need to hold the text
        return
    if story.body is None:  # from the cache, so ``data`` hashed to what the cached story was checked from
        text = decode_story(file, data, errors)
        if text is None:
            return
        story.body = body_of(text)
    bodies.texts[story.body_hash] = story.body


def settings_fingerprint(content_dir: Path) -> str:
    """What a checked story depends on besides its own file: the settings and registries."""
    parts = []
    for name in ("site.yaml", "coaches.yaml", "clubs.yaml"):
        try:
            parts.append(content_hash(read_regular_bytes(content_dir / name)))
        except OSError:
            parts.append("-")
    return fingerprint(*parts)


def build(paths: Paths, search: bool = True, today: date | None = None,
          log: Callable[[str], None] | None = None, workers: int | None = None,
          cache: BuildCache | None = None, edited: set[str] | None = None,
          keep_search: bool = False, memo: PlanMemo | None = None) -> BuildReport:
    """Build the site from ``paths.content`` into ``paths.output``.

    ``cache``: a build cache kept in memory by a long-running caller (the
    preview server) instead of being read from and saved to ``.cache/``; it
    is updated in place.  ``edited``: see ``load``.  ``keep_search``:
    without ``search``, leave an existing search index for the caller to
    refresh (the preview does, in the background).  ``memo``: see ``PlanMemo``.
    A build that fails after reading a cache may be made again without it (``_again_without_the_cache``).
    """
    memo = memo or PlanMemo()
    with gc_paused(again=not memo.exiting):
        try:
            return _build(paths, search, today, log, workers, cache, edited, keep_search, memo)
        except Exception as error:
            if not _set_aside_a_cache_it_used(error, paths, cache, memo):
                raise
            return _again_without_the_cache(error, paths, search, today, log, workers, cache, keep_search, memo)


def _again_without_the_cache(error: Exception, paths: Paths, search, today, log, workers, cache, keep_search,
                             memo: PlanMemo) -> BuildReport:
    """The build made again after ``error``, its cache set aside (see ``_set_aside_a_cache_it_used``),
    with one warning; a second failure is raised from the first, saying the cache was not the cause."""
    if log:
        log("".join(traceback.format_exception(error)).rstrip())
    if cache is not None:
        cache.forget()
    memo.loaded = memo.renderer = None  # made with the cache: nothing of the failed build is reused
    gc.collect()  # its objects, before a second build's
    try:
        report = _build(paths, search, today, log, workers, cache, None, keep_search, memo)
    except Exception as again:
        again.add_note(f"(It failed first with the cache in {paths.cache.as_posix()}/, which was set "
                       "aside; made again without it, it failed as above: the cache was not the cause.)")
        raise again from error
    reason = (str(error).splitlines() or [""])[0]
    if not isinstance(error, BuildFailed):
        reason = f"{type(error).__name__}: {reason}" if reason else type(error).__name__
    report.warnings.insert(0, f"this build failed with the cache in {paths.cache.as_posix()}/ ({reason}), "
                              "so it was made again without it; the cache is rewritten")
    return report


def _set_aside_a_cache_it_used(error: Exception, paths: Paths, cache: BuildCache | None, memo: PlanMemo) -> bool:
    """Whether a build that failed with ``error`` had used a cache, now set aside, and may succeed without
    it: a crash, or an inconsistency (``errors.Inconsistent``), may come from a cache that no build wrote.
    Not a mistake in the content, nor the machine's (a full disk, no memory): those fail without it too."""
    if (not memo.used_cache or paths.cache is None or isinstance(error, (OSError, MemoryError))
            or isinstance(error, BuildFailed) and not isinstance(error, Inconsistent)):
        return False
    # The preview's cache is in memory: forgetting it is enough; the command line reads the files again.
    return set_cache_aside(paths.cache) or cache is not None


def _build(paths, search, today, log, workers, cache, edited, keep_search, memo: PlanMemo) -> BuildReport:
    timings: dict[str, float] = {}
    started = time.perf_counter()

    def step(name: str, action: Callable):
        began = time.perf_counter()
        result = action()
        timings[name] = time.perf_counter() - began
        if log:
            log(f"  {name}: {timings[name]:.3f} s")
        return result

    # The pages the last build wrote in this process are as it left them: the caller sweeps for hand edits
    # after each good build (the preview's repair), none after a failed one.
    memo.used_cache = False
    reach = memo.reach
    if reach is not None:
        # Until this build has succeeded: after a failure anywhere, even in the load, the next build plans
        # and checks every page, as a page changed by hand meanwhile was never looked for.
        memo.reach = Reach()
    # The command line also refuses a folder holding files no build wrote (unless --force).
    check_output_folder(paths.output, (paths.content, paths.templates, paths.static), force=True)
    check_templates_folder(paths)
    warnings: list[str] = []
    persist = cache is None
    workers = workers or default_workers()
    # The story and page files are looked at in a second process while the cache is read here.
    looking = LookAhead.start(paths.content, paths.output, paths.cache, pages=not search) \
        if persist and workers > 1 else None
    try:
        if cache is None:
            cache, warning = step("read cache", lambda: load_cache(paths.cache))
            warnings += [warning] if warning else []
        memo.used_cache = bool(cache.stories or cache.plan.units)  # see build
        # Written back unless its folder is unusable (a file in its place): a damaged or unreadable
        # build.sqlite is rewritten at the end, as its warning says.
        cache_dir = paths.cache if paths.cache is not None and (paths.cache.is_dir() or not paths.cache.exists()) \
            else None
        markdown = memo.markdown = memo.markdown or MarkdownRenderer()
        bodies = Bodies(cache_dir / "bodies.sqlite" if cache_dir else None, renderer_fingerprint(), markdown.render,
                        sanitize)
        ahead = step("look ahead", lambda: LookAhead.taken(looking)) if looking is not None else None
        loaded = step("load and check", lambda: load(paths.content, today, cache=cache, bodies=bodies, edited=edited,
                                                     workers=workers, previous=memo.loaded,
                                                     scanned=ahead.scanned if ahead else None))
    finally:
        if looking is not None:
            looking.cancel()  # when its result was never taken
    memo.loaded = None  # until this build has succeeded
    warnings += [str(warning) for warning in loaded.warnings]  # files under stories/ that are not read
    language = load_language(loaded.config.language)
    presenter = memo.presenters.setdefault(language.code, Presenter(language))
    presenter.begin()
    renderer = Renderer(paths.templates, loaded.config, language, bodies)
    template_keys = renderer.template_keys(cache.templates)
    cache.templates = renderer.template_memo
    renderer = _compiled_already(memo.renderer, renderer, bodies)
    # Everything besides a page's own context and template that shapes its bytes.
    site_key = fingerprint(cache.stamp, repr(loaded.config), language.digest, jinja2.__version__,
                           bodies.fingerprint)
    site = Site(loaded.archive, loaded.config, presenter, cache.newest)
    # The inputs no read is noted for (reads.py): a change there plans every page again.
    stamp = fingerprint(site_key, loaded.settings, repr(loaded.archive.appointments))
    digests = Digests(loaded.archive, template_keys)
    # The pages known changed by hand, where they were looked for: by the preview, after each build
    # (see write_site), or by the look ahead; None where every kept page must be looked at.
    if reach is not None and reach.describes(cache.plan):
        by_hand: set[str] | None = set()
    else:
        by_hand = ahead.changed_by_hand(cache) if ahead is not None else None
    pages, cache.plan = step("plan pages", lambda: plan_site(
        site, lambda some: set_page_keys(some, site_key, template_keys), digests, cache.plan, stamp, reach,
        loaded.saved))
    partial = reach is not None and reach.partial  # see Reach.partial
    if not partial:
        cache.newest = {page.key: site.newest[page.key] for page in pages if page.key in site.newest}
    plan = [(page, page.key) for page in pages]
    index = (lambda folder: step("search index", lambda: index_site(
        folder, loaded.config.language, **search_bundles(paths.output.absolute(), cache_dir)))) if search else None
    output = paths.output.absolute()
    # The manifest describes this very folder, or (a cache restored beside a copy of the site,
    # as Netlify restores both) a folder whose pages must prove their bytes.
    trusted = cache.output == output_identity(output)
    written = step("render and write", lambda: write_site(
        plan, renderer, paths.static, output, previous=cache.manifest, trusted=trusted, index=index,
        workers=workers, keep_search=keep_search, by_hand=by_hand))
    bodies.store(written.bodies, None if partial else {bodies.key(story.body_hash) for story in loaded.archive.stories})
    cache.output, cache.manifest = output_identity(output), written.manifest
    memo.loaded, memo.renderer = loaded, renderer
    if reach is not None:
        memo.reach = reach
    if persist:
        step("write cache", lambda: save_cache(cache_dir, cache))
    warnings += [bodies.warning] if bodies.warning else []
    if memo.exiting:
        memo.held = (cache, site, digests, pages, plan, written, bodies)
    archive = loaded.archive
    return BuildReport(len(archive.stories), len(archive.coaches), len(archive.clubs), len(plan),
                       time.perf_counter() - started, timings, rendered=written.rendered, warnings=warnings)


def _compiled_already(old: Renderer | None, new: Renderer, bodies: Bodies) -> Renderer:
    """The last build's renderer, whose templates are compiled (a fifth of a second), when it is
    bound to the same templates, settings and language; else the new one."""
    if (old is None or old.templates_dir != new.templates_dir or old.config != new.config
            or old.language.digest != new.language.digest or old.template_memo != new.template_memo):
        return new
    old.bodies = bodies
    return old


def set_page_keys(pages: list[Page], site_key: str, template_keys: dict[str, str]) -> None:
    """Each page's key: the fingerprint of its site key, template key and context."""
    for page in pages:
        page.key = fingerprint(site_key, template_keys.get(page.template, ""), page.context)


@contextmanager
def gc_paused(again: bool = True):
    """No cyclic garbage collection while a build allocates its many small objects.

    With tens of thousands of stories in memory, each automatic collection
    walks them all; collections triggered every few thousand allocations
    cost more than the build's own work.  Cycles made meanwhile are
    collected once it is switched back on (unless not ``again``).
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled and again:
            gc.enable()


def check_templates_folder(paths: Paths) -> None:
    """A missing templates folder is one clear line, not "the template 'home.html' does not exist"."""
    if not paths.templates.is_dir():
        raise BuildFailed([ContentError(
            paths.templates.as_posix(), None, "templates",
            f"the templates folder {paths.templates.absolute().as_posix()} does not exist",
            "run build.py from the project folder, or pass --templates DIR")])

