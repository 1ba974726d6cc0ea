"""Web addresses: where each story, entity and index is published.

The model knows a story's place under ``stories/`` and an entity's slug;
turning them into paths is presentation, kept here so that every page kind,
feed or data file builds the same address the same way.
"""

from __future__ import annotations

from .model import PLURAL, Entity, EntityKind, Story

LETTER_PATH = "by-letter"  # /coaches/by-letter/a/ holds long A–Z indexes: no entity may take this slug


def story_url(story: Story) -> str:
    """``/stories/2026/x/``: mirrors the file's place under ``content/stories``."""
    return "/stories/" + "/".join(story.place) + "/"


def entity_url(entity: Entity) -> str:
    return f"/{PLURAL[entity.kind]}/{entity.slug}/"


def index_url(kind: EntityKind) -> str:
    return f"/{PLURAL[kind]}/"


def letter_url(kind: EntityKind, letter_id: str) -> str:
    return f"/{PLURAL[kind]}/{LETTER_PATH}/{letter_id}/"


def year_url(entity: Entity, year: int) -> str:
    return f"{entity_url(entity)}{year}/"


def file_for(url: str) -> str:
    """The file in the output folder that serves ``url``: ``/a/b/`` -> ``a/b/index.html``."""
    return url.strip("/") + "/index.html" if url.endswith("/") else url.lstrip("/")


def url_for(path: str) -> str:
    """The inverse of ``file_for`` for pages: ``a/b/index.html`` -> ``/a/b/``."""
    return "/" + path[: -len("index.html")] if path.endswith("index.html") else "/" + path


def feed_url(page_url: str) -> str:
    """The Atom feed of a page that lists stories: ``/feed.xml``, ``/coaches/x/feed.xml``."""
    return page_url + "feed.xml"


ARCHIVE = "/archive/"  # every rumour by date: /archive/2026/, /archive/2026/03/


def archive_url(year: int | None = None, month: int | None = None) -> str:
    if year is None:
        return ARCHIVE
    return f"{ARCHIVE}{year}/" if month is None else f"{ARCHIVE}{year}/{month:02d}/"


def saga_url(coach: Entity, club: Entity) -> str:
    """``/coaches/<coach>/<club>/``: every report linking one coach and one club (issue 9)."""
    return f"{entity_url(coach)}{club.slug}/"


HIT_RATE_URL = "/sources/by-hit-rate/"  # the sources with enough resolved reports, by hit rate
