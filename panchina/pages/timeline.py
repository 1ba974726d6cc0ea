"""``/coaches/<slug>/``, ``/clubs/<slug>/``, ``/sources/<slug>/``: every story that names one entity.

A timeline longer than ``PAGE_LIMIT`` stories is split into a page per year
(the newest year on the entity's own address), and a year longer than that
into numbered parts, so that no page grows past a few hundred KB however
large the archive becomes.
"""

from __future__ import annotations

from ..model import KINDS, Entity
from ..urls import entity_url, feed_url, file_for, year_url
from . import Page, Site

TEMPLATE = "timeline.html"
PAGE_LIMIT = 250


def pages(site: Site) -> list[Page]:
    return [page for kind in KINDS for entity in site.archive.entities(kind) for page in timeline(site, entity)]


def timeline(site: Site, entity: Entity) -> list[Page]:
    present = site.present
    head = present.head(entity)
    years = entity.stories_by_year()
    if entity.count <= PAGE_LIMIT:
        sections = [(year, [present.row(story) for story in stories]) for year, stories in years]
        links = [(year, len(stories), f"#year-{year}") for year, stories in years] if len(years) > 1 else []
        return [_page(entity_url(entity), head, sections, links, None, None)]
    parts = []  # (year, url, stories) for every page, newest first
    for index, (year, stories) in enumerate(years):
        first = entity_url(entity) if index == 0 else year_url(entity, year)
        for start in range(0, len(stories), PAGE_LIMIT):
            url = first if start == 0 else f"{first}{start // PAGE_LIMIT + 1}/"
            parts.append((year, url, stories[start:start + PAGE_LIMIT]))
    links = [(year, len(stories), entity_url(entity) if index == 0 else year_url(entity, year))
             for index, (year, stories) in enumerate(years)]
    return [_page(url, head, [(year, [present.row(story) for story in stories])], links,
                  _part_link(parts, number - 1), _part_link(parts, number + 1))
            for number, (year, url, stories) in enumerate(parts)]


def _part_link(parts, number: int) -> tuple[str, str] | None:
    """(label, url) of another page of a split timeline: its year, and its part number after the first."""
    if not 0 <= number < len(parts):
        return None
    year, url, _ = parts[number]
    part = [other_url for other_year, other_url, _ in parts if other_year == year].index(url)
    return (f"{year} ({part + 1})" if part else str(year)), url


def _page(url: str, head, sections, year_links, newer: tuple[str, str] | None,
          older: tuple[str, str] | None) -> Page:
    return Page(file_for(url), TEMPLATE, {"url": url, "entity": head, "sections": sections,
                                          "year_links": year_links, "newer": newer, "older": older,
                                          "feed": feed_url(head.url)})
