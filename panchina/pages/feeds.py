"""Atom feeds: ``/feed.xml`` for the whole archive, ``<timeline>/feed.xml`` for each coach, club and source.

A feed holds the newest ``LIMIT`` stories.  Everything in it comes from the
content, never from the clock: an entry's id is the story's absolute
address, its ``updated`` the story's date, and the feed's ``updated`` the
newest entry's, so a feed changes only when its stories do and a warm
build writes the same bytes as a cold one.
"""

from __future__ import annotations

from ..model import KINDS, Entity, Story
from ..reads import SEP
from ..urls import entity_url, feed_url, index_url
from . import Page, Site

TEMPLATE = "feed.xml"
LIMIT = 50


def units(site: Site) -> list[tuple[str, Entity | None]]:
    """The whole archive's feed, and one for each coach, club and source."""
    return [("", None), *((entity.kind + SEP + entity.name, entity)
                          for kind in KINDS for entity in site.archive.entities(kind))]


def pages(site: Site, entity: Entity | None) -> list[Page]:
    if entity is None:
        return [_feed("/", None, _entries(site, site.archive.stories))]
    return [_feed(entity_url(entity), site.present.counted(entity), _entries(site, entity.stories))]


def _entries(site: Site, stories: list[Story]) -> list[tuple]:
    """The newest stories (lists are newest first), each with the link to its original report."""
    return [(site.present.row(story), story.source_url) for story in stories[:LIMIT]]


def _feed(page_url: str, entity, entries: list[tuple]) -> Page:
    url = feed_url(page_url)
    return Page(url.lstrip("/"), TEMPLATE, {
        "url": url, "page_url": page_url, "entity": entity, "entries": entries,
        "schemes": {kind: index_url(kind) for kind in KINDS},  # a category's scheme: the index it is listed in
    })
