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
    entries = sorted([(url_for(page.path), lastmod(page, newest_story, site.newest)) for page in others
                      if page.path.endswith("index.html") and not page.path.startswith("search/")])
    if len(entries) <= LIMIT:
        return [Page("sitemap.xml", TEMPLATE, {"url": "/sitemap.xml", "urls": entries})]
    chunks = [entries[start:start + LIMIT] for start in range(0, len(entries), LIMIT)]
    names = [f"/sitemap-{number}.xml" for number in range(1, len(chunks) + 1)]
    parts = [Page(name.lstrip("/"), TEMPLATE, {"url": name, "urls": chunk})
             for name, chunk in zip(names, chunks, strict=True)]
    return [Page("sitemap.xml", "sitemap_index.xml", {"url": "/sitemap.xml", "sitemaps": names}), *parts]


def lastmod(page: Page, fallback: PartialDate | None, known: dict[str, str] | None = None) -> str | None:
    """The newest date in the page's context, as ``YYYY[-MM[-DD]]``; ``fallback``'s when it shows none.

    ``known``: the newest date by page key, from earlier builds; a page whose key is there is
    not walked again (a page's key is a fingerprint of its context, so it shows the same dates).
    """
    found = known.get(page.key) if known is not None and page.key else None
    if found is None:
        newest = newest_date(page.full_context())
        found = newest.iso if newest else ""
        if known is not None and page.key:
            known[page.key] = found
    return found or (fallback.iso if fallback else None)


def newest_date(value: object) -> PartialDate | None:
    """The latest ``PartialDate`` anywhere in a context: its views, lists and dicts (by start, then precision)."""
    kind = type(value)
    if kind is str or value is None or kind is int or kind is bool:
        return None
    if kind is PartialDate:
        return value
    if isinstance(value, View):
        # A view is frozen, so its newest date is kept on it, as its digest is: a story's row is on
        # a dozen pages, and the preview reuses unchanged views from one build to the next.
        found = value.__dict__.get("_newest", _UNKNOWN)
        if found is _UNKNOWN:
            names = _FIELDS.get(kind)
            if names is None:
                names = _FIELDS[kind] = tuple(item.name for item in dataclasses.fields(value))
            found = value.__dict__["_newest"] = _newest((getattr(value, name) for name in names))
        return found
    if kind is dict:
        return _newest(value.values())
    if kind is list or kind is tuple:
        return _newest(value)
    return None


def _newest(items) -> PartialDate | None:
    newest = None
    for item in items:
        found = newest_date(item)
        if found is not None and (newest is None or (found.start, len(found.iso)) > (newest.start, len(newest.iso))):
            newest = found
    return newest


_FIELDS: dict[type, tuple[str, ...]] = {}
_UNKNOWN = object()
