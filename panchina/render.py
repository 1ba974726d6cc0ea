"""Render the archive into pages: one ``render_*`` function per kind of page.

Templates hold presentation only; everything they show is computed in the
model.  Jinja runs with autoescape on and ``StrictUndefined``, so a typo in a
template fails the build with the template's file and line instead of
leaving a blank in the page.
"""

from __future__ import annotations

import json
import traceback
from pathlib import Path

import jinja2
from markupsafe import Markup

from .config import SiteConfig
from .errors import BuildFailed, ContentError
from .languages import LANGUAGE_NAMES
from .markup import MarkdownRenderer
from .model import PLURAL, Archive, Entity, Story

LATEST_ON_HOME = 20
TOP_ON_HOME = 10

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


def render_site(archive: Archive, renderer: Renderer, markdown: MarkdownRenderer | None = None) -> Pages:
    """Every page of the site, keyed by its path inside the output folder."""
    markdown = markdown or MarkdownRenderer()
    pages: Pages = {}
    pages.update(render_home(archive, renderer))
    pages.update(render_stories(archive.stories, renderer, markdown))
    for kind, entities in (("coach", archive.coaches), ("club", archive.clubs), ("source", archive.sources)):
        pages.update(render_entity_index(kind, entities, renderer))
        pages.update(render_timelines(entities, renderer))
    pages.update(render_search(archive, renderer))
    pages.update(render_not_found(renderer))
    pages.update(render_sitemap(pages, renderer))
    pages.update(render_robots(renderer))
    return pages


def render_home(archive: Archive, renderer: Renderer) -> Pages:
    html = renderer.page(
        "home.html", url="/", latest=archive.stories[:LATEST_ON_HOME],
        top_coaches=archive.most_rumoured("coach", TOP_ON_HOME),
        top_clubs=archive.most_rumoured("club", TOP_ON_HOME), total=len(archive.stories))
    return {"index.html": html}


def render_stories(stories: list[Story], renderer: Renderer, markdown: MarkdownRenderer) -> Pages:
    return {story.output_path: renderer.page("story.html", url=story.url, story=story,
                                             body=Markup(markdown.render(story.body)))
            for story in stories}


def render_entity_index(kind: str, entities: list[Entity], renderer: Renderer) -> Pages:
    """``/coaches/``, ``/clubs/``, ``/sources/``: A–Z with story counts."""
    groups: dict[str, list[Entity]] = {}
    for entity in entities:  # already A–Z by slug
        initial = entity.slug[0].upper() if entity.slug[0].isalpha() else "#"
        groups.setdefault(initial, []).append(entity)
    url = f"/{PLURAL[kind]}/"
    html = renderer.page("entity_index.html", url=url, kind=kind, groups=list(groups.items()),
                         count=len(entities))
    return {url.strip("/") + "/index.html": html}


def render_timelines(entities: list[Entity], renderer: Renderer) -> Pages:
    return {entity.url.strip("/") + "/index.html": renderer.page("timeline.html", url=entity.url, entity=entity)
            for entity in entities}


def render_search(archive: Archive, renderer: Renderer) -> Pages:
    langs = sorted({story.lang for story in archive.stories})
    names = json.dumps({code: LANGUAGE_NAMES.get(code, code) for code in langs}, ensure_ascii=False)
    return {"search/index.html": renderer.page("search.html", url="/search/", language_names=names)}


def render_not_found(renderer: Renderer) -> Pages:
    return {"404.html": renderer.page("404.html", url="/404.html")}


def render_sitemap(pages: Pages, renderer: Renderer) -> Pages:
    """Every HTML page a search engine should list, with absolute URLs."""
    urls = sorted("/" + path[: -len("index.html")] for path in pages
                  if path.endswith("index.html") and not path.startswith("search/"))
    return {"sitemap.xml": renderer.page("sitemap.xml", url="/sitemap.xml", urls=urls)}


def render_robots(renderer: Renderer) -> Pages:
    return {"robots.txt": renderer.page("robots.txt", url="/robots.txt")}


def plural(count: int, singular: str, plural_form: str | None = None) -> str:
    """``1 rumour``, ``3 rumours``."""
    return f"{count} {singular if count == 1 else (plural_form or singular + 's')}"
