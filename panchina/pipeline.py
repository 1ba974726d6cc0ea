"""The build, top to bottom: load → check → model → render → write → index.

``load`` gathers and checks everything and raises ``BuildFailed`` with every
problem at once; only a clean load goes on to ``build``, which renders into
a staging folder and swaps it into place, so a failed build never touches
the published site.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from .archive import build_archive, find_lookalikes
from .config import SiteConfig, load_registry, load_site_config
from .content import find_story_files, load_story
from .errors import BuildFailed, ContentError
from .model import Archive
from .output import write_site
from .render import Renderer, render_site
from .search import index_site


@dataclass(frozen=True)
class Paths:
    """The folders a build reads and writes."""

    content: Path = Path("content")
    output: Path = Path("output")
    templates: Path = Path("templates")
    static: Path = Path("static")


@dataclass
class Loaded:
    config: SiteConfig
    archive: Archive
    warnings: list[ContentError] = field(default_factory=list)


@dataclass
class BuildReport:
    stories: int
    coaches: int
    clubs: int
    pages: int
    seconds: float
    timings: dict[str, float]

    def summary(self) -> str:
        return (f"Built {self.stories} stories, {self.coaches} coaches, {self.clubs} clubs: "
                f"{self.pages} pages in {self.seconds:.2f} s")


def load(content_dir: Path, today: date | None = None, with_warnings: bool = False) -> Loaded:
    """Load and check the whole content folder; raise BuildFailed listing every problem."""
    today = today or date.today()
    errors: list[ContentError] = []
    warnings: list[ContentError] = []
    if not content_dir.is_dir():
        raise BuildFailed([ContentError(content_dir.as_posix(), None, None, "the content folder does not exist",
                                        "run the command from the project folder, or pass --content DIR")])
    config = load_site_config(content_dir, (content_dir / "site.yaml").as_posix(), errors)
    registries = {kind: load_registry(content_dir / f"{plural}.yaml", (content_dir / f"{plural}.yaml").as_posix(),
                                      errors)
                  for kind, plural in (("coach", "coaches"), ("club", "clubs"))}
    files = find_story_files(content_dir, errors, warnings)
    stories = [story for file in files
               if (story := load_story(file, registries, config.language, today, errors)) is not None]
    archive = build_archive(stories, registries, errors)
    if errors:
        raise BuildFailed(errors)
    if with_warnings:
        warnings.extend(find_lookalikes(archive))
    return Loaded(config, archive, warnings)


def build(paths: Paths, search: bool = True, today: date | None = None,
          log: Callable[[str], None] | None = None) -> BuildReport:
    """Build the site from ``paths.content`` into ``paths.output``."""
    timings: dict[str, float] = {}
    started = time.perf_counter()

    def step(name: str, action: Callable):
        began = time.perf_counter()
        result = action()
        timings[name] = time.perf_counter() - began
        if log:
            log(f"  {name}: {timings[name]:.3f} s")
        return result

    check_output_folder(paths)
    loaded = step("load and check", lambda: load(paths.content, today))
    renderer = step("templates", lambda: Renderer(paths.templates, loaded.config))
    pages = step("render", lambda: render_site(loaded.archive, renderer))
    indexer = (lambda folder: step("search index", lambda: index_site(folder, loaded.config.language))) \
        if search else None
    step("write", lambda: write_site(pages, paths.static, paths.output, index=indexer))
    archive = loaded.archive
    return BuildReport(len(archive.stories), len(archive.coaches), len(archive.clubs), len(pages),
                       time.perf_counter() - started, timings)


def check_output_folder(paths: Paths) -> None:
    """Refuse an output folder whose replacement would delete the sources or the project."""
    output = paths.output.resolve()
    protected = [Path.cwd().resolve(), *(p.resolve() for p in (paths.content, paths.templates, paths.static))]
    for folder in protected:
        if output == folder or folder.is_relative_to(output) or output.is_relative_to(paths.content.resolve()):
            raise BuildFailed([ContentError(
                paths.output.as_posix(), None, "output",
                f"the output folder would replace or sit inside {folder.as_posix()}",
                "choose a separate folder such as output/")])
