"""Render the archive into pages: one ``render_*`` function per kind of page.

Templates hold presentation only; everything they show is computed in the
model.  Jinja runs with autoescape on and ``StrictUndefined``, so a typo in a
template fails the build with the template's file and line instead of
leaving a blank in the page.
"""

from __future__ import annotations

import hashlib
import json
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import jinja2
import jinja2.meta
from markupsafe import Markup

from .config import SiteConfig
from .errors import BuildFailed, ContentError
from .languages import LANGUAGE_NAMES
from .markup import BodyCache
from .model import LETTER_PATH, PLURAL, Archive, Entity, Story

LATEST_ON_HOME = 20
TOP_ON_HOME = 10
# Page-size limits: a page stays well under 500 KB of HTML however large the
# archive grows.  A timeline longer than this is split into a page per year;
# an A–Z index longer than this into a page per letter.
TIMELINE_PAGE_LIMIT = 250
INDEX_PAGE_LIMIT = 1500
SITEMAP_LIMIT = 50_000  # the sitemap protocol's limit per file

Pages = dict[str, str]  # output path (posix, relative) -> page text


class Renderer:
    """A Jinja environment bound to one site's templates and settings."""

    def __init__(self, templates_dir: Path, config: SiteConfig):
        self.templates_dir = templates_dir
        self.config = config
        self.env = jinja2.Environment(
            loader=jinja2.FileSystemLoader(str(templates_dir)),
            autoescape=jinja2.select_autoescape(default=True, default_for_string=True),
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
        )
        self.env.globals.update(site=config, absolute=self.absolute, plural=plural)

    def template_keys(self) -> dict[str, str]:
        """For each template, a digest of its source and of every template it uses.

        A page's key includes its template's, so editing ``timeline.html``
        re-renders timelines only, while editing ``base.html`` re-renders all.
        """
        sources: dict[str, str] = {}
        uses: dict[str, set[str]] = {}
        names = self.env.list_templates()
        for name in names:
            source = self.env.loader.get_source(self.env, name)[0]
            sources[name] = source
            try:
                found = set(jinja2.meta.find_referenced_templates(self.env.parse(source, name, name)))
            except jinja2.TemplateSyntaxError as error:
                raise BuildFailed([self._template_error(error.filename or name, error.lineno,
                                                        error.message)]) from None
            uses[name] = set(names) if None in found else found  # a computed name could be any template
        keys: dict[str, str] = {}

        def key(name: str, visiting: frozenset = frozenset()) -> str:
            if name not in keys:
                deps = sorted(dep for dep in uses.get(name, ()) if dep not in visiting and dep != name)
                parts = [name, sources.get(name, ""), *(key(dep, visiting | {name}) for dep in deps)]
                keys[name] = digest(*parts)
            return keys[name]

        for name in names:
            key(name)
        return keys

    def absolute(self, url: str) -> str:
        return self.config.base_url.rstrip("/") + url

    def page(self, template: str, **context) -> str:
        """Render one template, turning any template mistake into a ContentError."""
        try:
            return self.env.get_template(template).render(**context)
        except jinja2.TemplateSyntaxError as error:
            raise BuildFailed([self._template_error(error.filename, error.lineno, error.message)]) from None
        except jinja2.TemplateNotFound as error:
            raise BuildFailed([ContentError(
                self._shown(template), None, "template", f"the template '{error.name}' does not exist",
                f"create it in {self.templates_dir.as_posix()}/ or fix the name")]) from None
        except Exception as error:  # noqa: BLE001 — any template runtime error, reported with its line
            filename, line = self._template_frame(error)
            raise BuildFailed([self._template_error(filename or template, line, str(error))]) from None

    def _template_frame(self, error: Exception) -> tuple[str | None, int | None]:
        """The innermost traceback frame inside a template (Jinja maps its line numbers)."""
        root = str(self.templates_dir.resolve())
        for frame in reversed(traceback.extract_tb(error.__traceback__)):
            if frame.filename and str(Path(frame.filename).resolve()).startswith(root):
                return frame.filename, frame.lineno
        return None, None

    def _template_error(self, filename: str | None, line: int | None, message: str) -> ContentError:
        return ContentError(self._shown(filename or "?"), line, "template", message,
                            "fix the template; the content is fine")

    def _shown(self, filename: str) -> str:
        path = Path(filename)
        if not path.is_absolute():
            path = self.templates_dir / path
        try:
            return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
        except ValueError:
            return path.as_posix()


@dataclass
class PageJob:
    """One page to write: where, with which template and data, and a digest of what it shows.

    ``inputs`` lets an incremental build skip a page whose inputs, template
    and code are all unchanged since the last build.
    """

    path: str  # inside the output folder, posix
    template: str
    context: Callable[[], dict]  # built only when the page is rendered
    inputs: str


def render_site(archive: Archive, renderer: Renderer, bodies: BodyCache | None = None) -> Pages:
    """Every page of the site, rendered in this process (small sites and tests)."""
    return {job.path: renderer.page(job.template, **job.context())
            for job in plan_site(archive, bodies or BodyCache())}


def plan_site(archive: Archive, bodies: BodyCache) -> list[PageJob]:
    """Every page of the site, as jobs: one ``plan_*`` per kind of page."""
    jobs = [plan_home(archive)]
    jobs += plan_stories(archive.stories, bodies)
    for kind, entities in (("coach", archive.coaches), ("club", archive.clubs), ("source", archive.sources)):
        jobs += plan_entity_index(kind, entities)
        for entity in entities:
            jobs += plan_timeline(entity)
    jobs.append(plan_search(archive))
    jobs += static_jobs()
    jobs += plan_sitemap([job.path for job in jobs])
    return jobs


def static_jobs() -> list[PageJob]:
    """Pages that show nothing of the archive."""
    return [PageJob("404.html", "404.html", lambda: {"url": "/404.html"}, digest("404")),
            PageJob("robots.txt", "robots.txt", lambda: {"url": "/robots.txt"}, digest("robots"))]


def plan_home(archive: Archive) -> PageJob:
    latest = archive.stories[:LATEST_ON_HOME]
    coaches = archive.most_rumoured("coach", TOP_ON_HOME)
    clubs = archive.most_rumoured("club", TOP_ON_HOME)
    total = len(archive.stories)
    return PageJob("index.html", "home.html",
                   lambda: {"url": "/", "latest": latest, "top_coaches": coaches, "top_clubs": clubs,
                            "total": total},
                   digest(total, *(s.summary for s in latest), *(e.summary for e in coaches + clubs)))


def plan_stories(stories: list[Story], bodies: BodyCache) -> list[PageJob]:
    def job(story: Story) -> PageJob:
        linked = (story.coach, *story.clubs, story.source)
        return PageJob(
            story.output_path, "story.html",
            lambda: {"url": story.url, "story": story, "body": Markup(bodies.render(story))},
            digest(story.summary, story.body_digest, story.source_url or "", *(e.summary for e in linked)))
    return [job(story) for story in stories]


def plan_entity_index(kind: str, entities: list[Entity]) -> list[PageJob]:
    """``/coaches/`` and the like: A–Z with story counts, one page per letter when long."""
    groups: dict[str, list[Entity]] = {}
    for entity in entities:  # already A–Z by slug
        groups.setdefault(entity.initial, []).append(entity)
    base = f"/{PLURAL[kind]}/"
    if len(entities) <= INDEX_PAGE_LIMIT:
        letters = [(letter, f"#letter-{letter_id(letter)}", members) for letter, members in groups.items()]
        return [_index_job(kind, base, base, letters, letters, len(entities))]
    letters = [(letter, f"{base}{LETTER_PATH}/{letter_id(letter)}/", members)
               for letter, members in groups.items()]
    jobs = [_index_job(kind, base, base, letters, [], len(entities))]
    for letter, url, members in letters:
        jobs.append(_index_job(kind, base, url, letters, [(letter, url, members)], len(entities)))
    return jobs


def _index_job(kind, base, url, letters, shown, count) -> PageJob:
    navigation = [(letter, href) for letter, href, _ in letters] if len(letters) > 1 else []
    sections = [(letter, letter_id(letter), members) for letter, _, members in shown]
    return PageJob(
        url.strip("/") + "/index.html", "entity_index.html",
        lambda: {"url": url, "kind": kind, "letters": navigation, "sections": sections, "count": count,
                 "index_url": base},
        digest(kind, url, count, *navigation, *(e.summary for _, _, members in sections for e in members)))


def plan_timeline(entity: Entity) -> list[PageJob]:
    """A timeline: one page, or for a long one a page per year (newest on the main page)."""
    years = entity.stories_by_year()
    if entity.count <= TIMELINE_PAGE_LIMIT:
        links = [(year, f"#year-{year}") for year, _ in years] if len(years) > 1 else []
        return [_timeline_job(entity, entity.url, years, links)]
    links = [(year, entity.url if index == 0 else f"{entity.url}{year}/") for index, (year, _) in enumerate(years)]
    return [_timeline_job(entity, href, [(year, stories)], links)
            for (year, stories), (_, href) in zip(years, links)]


def _timeline_job(entity: Entity, url: str, sections, links) -> PageJob:
    return PageJob(
        url.strip("/") + "/index.html", "timeline.html",
        lambda: {"url": url, "entity": entity, "sections": sections, "year_links": links},
        digest(entity.summary, url, entity.first_date.iso, *entity.aliases, *links,
               *(f"{o.summary}:{n}" for o, n in entity.partners),
               *(s.summary for _, stories in sections for s in stories)))


def plan_search(archive: Archive) -> PageJob:
    langs = sorted({story.lang for story in archive.stories})
    names = json.dumps({code: LANGUAGE_NAMES.get(code, code) for code in langs}, ensure_ascii=False)
    return PageJob("search/index.html", "search.html", lambda: {"url": "/search/", "language_names": names},
                   digest(names))


def plan_sitemap(paths: list[str]) -> list[PageJob]:
    """``sitemap.xml``; past the protocol's 50,000 URLs, an index of numbered sitemaps."""
    urls = sorted("/" + path[: -len("index.html")] for path in paths
                  if path.endswith("index.html") and not path.startswith("search/"))
    if len(urls) <= SITEMAP_LIMIT:
        return [PageJob("sitemap.xml", "sitemap.xml", lambda: {"url": "/sitemap.xml", "urls": urls}, digest(*urls))]
    chunks = [urls[start:start + SITEMAP_LIMIT] for start in range(0, len(urls), SITEMAP_LIMIT)]
    names = [f"/sitemap-{number}.xml" for number in range(1, len(chunks) + 1)]
    jobs = [PageJob("sitemap.xml", "sitemap_index.xml", lambda: {"url": "/sitemap.xml", "sitemaps": names},
                    digest(*names))]
    for name, chunk in zip(names, chunks):
        jobs.append(PageJob(name.lstrip("/"), "sitemap.xml",
                            lambda name=name, chunk=chunk: {"url": name, "urls": chunk}, digest(*chunk)))
    return jobs


def digest(*parts: object) -> str:
    """A short, stable digest of the strings (and numbers) a page shows."""
    return hashlib.blake2b("\x1f".join(map(str, parts)).encode("utf-8"), digest_size=16).hexdigest()


def letter_id(letter: str) -> str:
    return "0-9" if letter == "#" else letter.lower()


def plural(count: int, singular: str, plural_form: str | None = None) -> str:
    """``1 rumour``, ``3 rumours``."""
    return f"{count} {singular if count == 1 else (plural_form or singular + 's')}"
