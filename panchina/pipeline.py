"""The build, top to bottom: load → check → model → render → write → index.

``load`` gathers and checks everything and raises ``BuildFailed`` with every
problem at once; only a clean load goes on to ``build``, which plans every
page, renders those whose inputs changed since the last build, and publishes
them without ever leaving a half-written site (see ``output.write_site``).
"""

from __future__ import annotations

import gc
import os
import time
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import jinja2

from .archive import build_archive, find_lookalikes
from .cache import BuildCache, file_identity, load_cache, save_cache
from .config import SiteConfig, load_registry, load_site_config
from .content import find_story_files, load_story, read_body
from .errors import BuildFailed, ContentError
from .markup import BodyCache
from .model import Archive
from .output import write_site
from .render import (Renderer, digest, plan_entity_index, plan_home, plan_search, plan_site, plan_sitemap,
                     plan_stories, plan_timeline, static_jobs)
from .search import index_site


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
    registries: dict = field(default_factory=dict)
    files: list = field(default_factory=list)  # the story files found


@dataclass
class BuildState:
    """What a long-running caller keeps from one build to re-plan the next from (see ``update_stories``)."""

    paths: Paths
    loaded: Loaded
    registries: dict
    renderer: Renderer
    bodies: BodyCache
    key_of: Callable
    cache: BuildCache
    output: Path


@dataclass
class BuildReport:
    stories: int
    coaches: int
    clubs: int
    pages: int
    seconds: float
    timings: dict[str, float]
    rendered: int = 0  # pages rendered this time; the rest were unchanged and reused
    state: BuildState | None = None  # with build(keep_state=True)

    def summary(self) -> str:
        reused = f" ({self.pages - self.rendered} unchanged)" if self.rendered < self.pages else ""
        return (f"Built {self.stories} stories, {self.coaches} coaches, {self.clubs} clubs: "
                f"{self.pages} pages{reused} in {self.seconds:.2f} s")


def load(content_dir: Path, today: date | None = None, with_warnings: bool = False,
         cache: BuildCache | None = None) -> Loaded:
    """Load and check the whole content folder; raise BuildFailed listing every problem.

    With a ``cache``, a story file unchanged since the last build (same size,
    modification time and inode, same settings and registries) is taken from
    it instead of being read and checked again; the cache is then refreshed.
    """
    today = today or date.today()
    errors: list[ContentError] = []
    warnings: list[ContentError] = []
    if not content_dir.is_dir():
        raise BuildFailed([ContentError(content_dir.as_posix(), None, None, "the content folder does not exist",
                                        "run the command from the project folder, or pass --content DIR")])
    config = load_site_config(content_dir, (content_dir / "site.yaml").as_posix(), errors)
    registries = load_registries(content_dir, errors)
    files = find_story_files(content_dir, errors, warnings)
    stories = load_stories(files, registries, config.language, today, errors,
                           cache, settings_fingerprint(content_dir))
    archive = build_archive(stories, registries, errors)
    if errors:
        raise BuildFailed(errors)
    if with_warnings:
        warnings.extend(find_lookalikes(archive))
    return Loaded(config, archive, warnings, registries, files)


def load_registries(content_dir: Path, errors: list[ContentError]) -> dict:
    return {kind: load_registry(content_dir / f"{plural}.yaml", (content_dir / f"{plural}.yaml").as_posix(), errors)
            for kind, plural in (("coach", "coaches"), ("club", "clubs"))}


def load_stories(files, registries, language, today, errors, cache: BuildCache | None, settings: str,
                 reloaded: set[str] | None = None, edited: set[str] | None = None) -> list:
    """Each story from the cache if its file is unchanged, else read and checked (and noted in ``reloaded``).

    ``edited``: the files known to have changed (from file-system events);
    every other cached story is taken without even a stat.
    """
    cached = cache.stories if cache is not None and cache.stories_stamp == settings else {}
    fresh: dict = {}
    stories = []
    for file in files:
        entry = cached.get(file.shown)
        if edited is not None and entry is not None and file.path not in edited:
            stories.append(entry[1].fresh_copy())
            fresh[file.shown] = entry
            continue
        try:
            identity = file_identity(os.stat(file.path))
        except OSError:
            identity = None
        if entry is not None and identity is not None and entry[0] == identity:
            stories.append(entry[1].fresh_copy())  # links are made anew each build
            fresh[file.shown] = entry
            continue
        story = load_story(file, registries, language, today, errors)
        if reloaded is not None:
            reloaded.add(file.shown)
        if story is not None:
            stories.append(story)
            if identity is not None:  # kept without links or body (read again if ever needed)
                kept = story.fresh_copy()
                kept.body = None
                fresh[file.shown] = (identity, kept)
    if cache is not None:
        cache.stories, cache.stories_stamp = fresh, settings
    return stories


def settings_fingerprint(content_dir: Path) -> str:
    """What a checked story depends on besides its own file: the settings and registries."""
    parts = []
    for name in ("site.yaml", "coaches.yaml", "clubs.yaml"):
        try:
            parts.append((content_dir / name).read_bytes().hex())
        except OSError:
            parts.append("-")
    return digest(content_dir.resolve().as_posix(), *parts)


def build(paths: Paths, search: bool = True, today: date | None = None,
          log: Callable[[str], None] | None = None, workers: int | None = None,
          cache: BuildCache | None = None, keep_search: bool = False, persist: bool = True,
          keep_state: bool = False) -> BuildReport:
    """Build the site from ``paths.content`` into ``paths.output``.

    ``cache``: a build cache kept in memory by a long-running caller (the
    preview server) instead of being read from ``.cache/``; it is updated in
    place, and saved to disk only with ``persist``.  ``keep_search``: without
    ``search``, leave an existing search index for the caller to refresh.
    """
    with gc_paused():
        return _build(paths, search, today, log, workers, cache, keep_search, persist, keep_state)


def _build(paths, search, today, log, workers, cache, keep_search, persist, keep_state) -> BuildReport:
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
    if cache is None:
        cache = step("read cache", lambda: load_cache(paths.cache))
    loaded = step("load and check", lambda: load(paths.content, today, cache=cache))
    renderer = Renderer(paths.templates, loaded.config)
    bodies = BodyCache(paths.cache / "bodies.sqlite" if paths.cache else None, read_body)
    jobs = step("plan pages", lambda: plan_site(loaded.archive, bodies))
    template_keys = renderer.template_keys()
    # Everything besides a page's own inputs and template that shapes its bytes.
    site_key = digest(cache.stamp, repr(loaded.config), jinja2.__version__, bodies.fingerprint)

    def key_of(job) -> str:
        return digest(job.inputs, template_keys.get(job.template, ""), site_key)

    def render(job) -> str:
        return renderer.page(job.template, **job.context())

    indexer = (lambda folder: step("search index", lambda: index_site(folder, loaded.config.language))) \
        if search else None
    output = paths.output.absolute()
    previous = cache.manifest if cache.output == output_identity(output) else {}
    report = step("render and write", lambda: write_site(
        jobs, render, key_of, paths.static, output, index=indexer, previous=previous,
        workers=workers or default_workers(), collect=lambda: bodies.new, keep_search=keep_search))
    step("write cache", lambda: _save_caches(paths.cache if persist else None, cache, loaded.archive, bodies,
                                             report, output))
    archive = loaded.archive
    state = BuildState(paths, loaded, loaded.registries, renderer, bodies, key_of, cache, output) \
        if keep_state else None
    return BuildReport(len(archive.stories), len(archive.coaches), len(archive.clubs), len(jobs),
                       time.perf_counter() - started, timings, rendered=report.rendered, state=state)


@contextmanager
def gc_paused():
    """No cyclic garbage collection while a build allocates its many small objects.

    With tens of thousands of stories in memory, each automatic collection
    walks them all; collections triggered every few thousand allocations
    cost more than the build's own work.  Cycles made meanwhile are
    collected once it is switched back on.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def update_stories(state: BuildState, today: date | None = None, edited: set[str] | None = None) -> BuildReport:
    """Rebuild after changes to story files only, re-planning just the pages they touch.

    For the preview server.  Every story file is still found and checked
    (cheaply: unchanged files come from the cache), and the archive is
    relinked; but instead of planning all pages, only these are: the changed
    stories' pages, the timelines of every coach, club and source they name
    (before and after the change), the story pages of any of those whose
    count changed, and the pages built from everything (home, the A–Z
    indexes, search, the sitemap).  The result is byte-for-byte what a full
    build would write.  Settings, registries and templates must be unchanged
    since ``state`` was made: the caller falls back to ``build`` otherwise.

    ``edited``: absolute paths of story files that changed, when the caller
    knows every change (file-system events) and all are edits of files
    already in the archive; then nothing else is listed or stat-ed.
    """
    with gc_paused():
        return _update_stories(state, today, edited)


def _update_stories(state: BuildState, today: date | None, edited: set[str] | None) -> BuildReport:
    started = time.perf_counter()
    paths, old = state.paths, state.loaded.archive
    errors: list[ContentError] = []
    known = {os.path.abspath(file.path): file for file in state.loaded.files}
    if edited is not None and edited and all(path in known for path in edited):
        files = state.loaded.files
        edited = {known[path].path for path in edited}
    else:
        files, edited = find_story_files(paths.content, errors, []), None
    reloaded: set[str] = set()
    stories = load_stories(files, state.registries, state.loaded.config.language, today or date.today(), errors,
                           state.cache, state.cache.stories_stamp, reloaded, edited)
    archive = build_archive(stories, state.registries, errors)
    if errors:
        raise BuildFailed(errors)
    # A story is touched if its file was read again (edited, added) or is gone.
    touched = reloaded | ({story.path for story in old.stories} - {story.path for story in archive.stories})
    jobs, before = plan_touched(old, archive, touched, state.bodies)
    before |= {path for path in state.cache.manifest if path.startswith("sitemap")}
    jobs += plan_sitemap(sorted((state.cache.manifest.keys() - before) | {job.path for job in jobs}))
    report = write_site(jobs, lambda job: state.renderer.page(job.template, **job.context()), state.key_of,
                        paths.static, state.output, previous=state.cache.manifest, workers=1,
                        collect=lambda: state.bodies.new, keep_search=True, partial=before)
    state.bodies.store(report.collected, None)  # the next full build forgets deleted stories' bodies
    state.bodies.new = {}
    state.cache.output, state.cache.manifest = output_identity(state.output), report.manifest
    state.loaded = Loaded(state.loaded.config, archive, [], state.registries, files)
    return BuildReport(len(archive.stories), len(archive.coaches), len(archive.clubs), len(report.manifest),
                       time.perf_counter() - started, {}, rendered=report.rendered, state=state)


def plan_touched(old: Archive, new: Archive, touched: set[str], bodies: BodyCache) -> tuple[list, set[str]]:
    """The jobs for every page the touched stories can change, and the paths those pages had before."""
    def entities(archive: Archive) -> dict:
        return {(e.kind, e.name): e for group in (archive.coaches, archive.clubs, archive.sources) for e in group}

    old_entities, new_entities = entities(old), entities(new)
    names: set = set()
    for archive in (old, new):
        for story in archive.stories:
            if story.path in touched:
                names |= {(e.kind, e.name) for e in (story.coach, *story.clubs, story.source)}
    recounted = {name for name in names if name not in old_entities or name not in new_entities
                 or old_entities[name].count != new_entities[name].count}
    story_paths = set(touched)
    for name in recounted:
        if name in new_entities:
            story_paths |= {story.path for story in new_entities[name].stories}
    jobs = [plan_home(new), plan_search(new), *static_jobs()]
    jobs += plan_stories([story for story in new.stories if story.path in story_paths], bodies)
    for kind, group in (("coach", new.coaches), ("club", new.clubs), ("source", new.sources)):
        jobs += plan_entity_index(kind, group)
    for name in names:
        if name in new_entities:
            jobs += plan_timeline(new_entities[name])
    before = {story.output_path for story in old.stories if story.path in story_paths}
    for name in names:
        if name in old_entities:
            before |= {job.path for job in plan_timeline(old_entities[name])}
    for kind, group in (("coach", old.coaches), ("club", old.clubs), ("source", old.sources)):
        before |= {job.path for job in plan_entity_index(kind, group)}
    return jobs, before | {job.path for job in jobs}

def _save_caches(cache_dir, cache: BuildCache, archive: Archive, bodies: BodyCache, report, output: Path) -> None:
    """Store the new bodies (forgetting those of deleted stories) and the new manifest."""
    bodies.store(report.collected, {bodies.key(story.body_digest) for story in archive.stories})
    bodies.new = {}  # stored: a later update (preview) must not store them again
    cache.output, cache.manifest = output_identity(output), report.manifest
    save_cache(cache_dir, cache)


def output_identity(output: Path) -> str:
    """The output folder's path and inode: a full build swaps in a new folder, and so a new inode,
    so a manifest can never describe a folder that another build has replaced."""
    try:
        return f"{output.as_posix()}\0{output.stat().st_ino}"
    except OSError:
        return ""


def default_workers() -> int:
    """One rendering process per core, at most four: rendering is CPU-bound."""
    return max(1, min(4, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1))


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
