"""``/sitemap.xml``: every page's address; past the protocol's 50,000, an index of numbered sitemaps.

Each address carries a ``lastmod`` taken from the content, never the
clock: the newest story date the page shows (a story's own date; on a list,
its newest story's).  A page that shows no date, such as an A–Z index, takes
the archive's newest date.  A partial date stays partial (``2026-03``):
the sitemap protocol takes W3C dates, which allow it.
"""

from __future__ import annotations

from ..urls import url_for
from . import Listed, Page, Site

TEMPLATE = "sitemap.xml"
AFTER_ALL = True
LIMIT = 50_000  # the sitemap protocol's limit per file


def pages(site: Site, others: list[Listed]) -> list[Page]:
    newest_story = site.archive.stories[0].date if site.archive.stories else None
    fallback = newest_story.iso if newest_story else None
    entries = sorted([(url_for(item.path), item.newest or fallback) for item in others
                      if item.path.endswith("index.html") and not item.path.startswith("search/")])
    if len(entries) <= LIMIT:
        return [Page("sitemap.xml", TEMPLATE, {"url": "/sitemap.xml", "urls": entries})]
    chunks = [entries[start:start + LIMIT] for start in range(0, len(entries), LIMIT)]
    names = [f"/sitemap-{number}.xml" for number in range(1, len(chunks) + 1)]
    parts = [Page(name.lstrip("/"), TEMPLATE, {"url": name, "urls": chunk})
             for name, chunk in zip(names, chunks, strict=True)]
    return [Page("sitemap.xml", "sitemap_index.xml", {"url": "/sitemap.xml", "sitemaps": names}), *parts]
