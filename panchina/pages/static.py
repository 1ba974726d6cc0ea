"""``/404.html`` and ``/robots.txt``: pages that show nothing of the archive."""

from __future__ import annotations

from . import Page, Site

TEMPLATE = "404.html"


def pages(site: Site) -> list[Page]:
    return [Page("404.html", TEMPLATE, {"url": "/404.html"}),
            Page("robots.txt", "robots.txt", {"url": "/robots.txt"})]
