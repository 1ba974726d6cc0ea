"""``/search/``: the Pagefind search page, with names for the languages it can filter by."""

from __future__ import annotations

import json

from ..present import language_name_in
from . import Page, Site

TEMPLATE = "search.html"


def pages(site: Site) -> list[Page]:
    langs = sorted({story.lang for story in site.archive.stories})
    names = json.dumps({code: language_name_in(code, site.present.language) for code in langs}, ensure_ascii=False)
    return [Page("search/index.html", TEMPLATE, {"url": "/search/", "language_names": names,
                                                 "total": len(site.archive.stories)})]
