"""``/``: the latest rumours and the most-rumoured coaches and clubs."""

from __future__ import annotations

from . import Page, Site

TEMPLATE = "home.html"
LATEST = 20
TOP = 10


def pages(site: Site) -> list[Page]:
    archive, present = site.archive, site.present
    return [Page("index.html", TEMPLATE, {
        "url": "/",
        "latest": [present.row(story) for story in archive.stories[:LATEST]],
        "top_coaches": [present.counted(e) for e in archive.most_rumoured("coach", TOP)],
        "top_clubs": [present.counted(e) for e in archive.most_rumoured("club", TOP)],
        "total": len(archive.stories),
    })]
