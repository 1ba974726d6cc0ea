"""``/sitemap.xml``: every page's address; past the protocol's 50,000, an index of numbered sitemaps."""

from __future__ import annotations

from ..urls import url_for
from . import Page, Site

TEMPLATE = "sitemap.xml"
AFTER_ALL = True
LIMIT = 50_000  # the sitemap protocol's limit per file


def pages(site: Site, others: list[Page]) -> list[Page]:
    urls = sorted(url_for(page.path) for page in others
                  if page.path.endswith("index.html") and not page.path.startswith("search/"))
    if len(urls) <= LIMIT:
        return [Page("sitemap.xml", TEMPLATE, {"url": "/sitemap.xml", "urls": urls})]
    chunks = [urls[start:start + LIMIT] for start in range(0, len(urls), LIMIT)]
    names = [f"/sitemap-{number}.xml" for number in range(1, len(chunks) + 1)]
    parts = [Page(name.lstrip("/"), TEMPLATE, {"url": name, "urls": chunk})
             for name, chunk in zip(names, chunks, strict=True)]
    return [Page("sitemap.xml", "sitemap_index.xml", {"url": "/sitemap.xml", "sitemaps": names}), *parts]
