"""``/sitemap.xml``: every page's address; past the protocol's 50,000, an index of numbered sitemaps.

Each address carries a ``lastmod`` taken from the content, never the
clock: the newest story date the page shows (a story's own date; on a list,
its newest story's).  A page that shows no date, such as an A–Z index, takes
the archive's newest date.  A partial date stays partial (``2026-03``):
the sitemap protocol takes W3C dates, which allow it.
"""

from __future__ import annotations

import dataclasses

from ..fingerprint import View
from ..model import PartialDate
from ..urls import url_for
from . import Page, Site

TEMPLATE = "sitemap.xml"
AFTER_ALL = True
LIMIT = 50_000  # the sitemap protocol's limit per file


def pages(site: Site, others: list[Page]) -> list[Page]:
    newest_story = site.archive.stories[0].date if site.archive.stories else None
    entries = sorted((url_for(page.path), lastmod(page, newest_story)) for page in others
                     if page.path.endswith("index.html") and not page.path.startswith("search/"))
    if len(entries) <= LIMIT:
        return [Page("sitemap.xml", TEMPLATE, {"url": "/sitemap.xml", "urls": entries})]
    chunks = [entries[start:start + LIMIT] for start in range(0, len(entries), LIMIT)]
    names = [f"/sitemap-{number}.xml" for number in range(1, len(chunks) + 1)]
    parts = [Page(name.lstrip("/"), TEMPLATE, {"url": name, "urls": chunk})
             for name, chunk in zip(names, chunks, strict=True)]
    return [Page("sitemap.xml", "sitemap_index.xml", {"url": "/sitemap.xml", "sitemaps": names}), *parts]


def lastmod(page: Page, fallback: PartialDate | None) -> str | None:
    """The newest date in the page's context, as ``YYYY[-MM[-DD]]``; ``fallback``'s when it shows none."""
    newest = newest_date(page.context)
    newest = newest or fallback
    return newest.iso if newest else None


def newest_date(value: object) -> PartialDate | None:
    """The latest ``PartialDate`` anywhere in a context: its views, lists and dicts (by start, then precision)."""
    if isinstance(value, PartialDate):
        return value
    if isinstance(value, View):
        items = [getattr(value, field.name) for field in dataclasses.fields(value)]
    elif isinstance(value, dict):
        items = list(value.values())
    elif isinstance(value, (list, tuple)):
        items = value
    else:
        return None
    dates = [found for item in items if (found := newest_date(item)) is not None]
    return max(dates, key=lambda date: (date.start, len(date.iso))) if dates else None
