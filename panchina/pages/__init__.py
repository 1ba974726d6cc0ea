"""Every kind of page the site has: one module each, found by itself.

A page-kind module holds everything about its pages: their addresses, the
template, the context the template receives and so, through the context's
fingerprint, what they depend on.  It defines ``TEMPLATE`` and
``pages(site) -> list[Page]``; a kind that lists other pages (the sitemap)
sets ``AFTER_ALL = True`` and gets them as a second argument, each with
its key already set.  Adding a
kind of page is adding one module here and one template: the full build,
the warm build and the preview all plan through ``plan_site``.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass, field
from types import ModuleType

from ..config import SiteConfig
from ..model import Archive
from ..present import Presenter


@dataclass
class Page:
    """One file to write: where, with which template, and the data it shows."""

    path: str  # inside the output folder, posix: stories/2026/x/index.html
    template: str
    context: dict  # plain data and views only: its fingerprint decides whether the page is written
    key: str = ""  # that fingerprint (with the template's and the site's), set by the pipeline


@dataclass
class Site:
    """What page kinds plan from."""

    archive: Archive
    config: SiteConfig
    present: Presenter
    # What a page of a given key was found to show, kept from build to build: a page's key is a
    # fingerprint of its context, so the same key means the same data (the sitemap's lastmod).
    newest: dict[str, str] = field(default_factory=dict)


def plan_site(site: Site, set_keys: Callable[[list[Page]], None]) -> list[Page]:
    """Every page of the site, kind by kind, each with its key (``set_keys`` sets them)."""
    pages: list[Page] = []
    late = []
    for kind in page_kinds():
        if getattr(kind, "AFTER_ALL", False):
            late.append(kind)
        else:
            pages += kind.pages(site)
    set_keys(pages)
    for kind in late:
        more = kind.pages(site, list(pages))
        set_keys(more)
        pages += more
    return pages


def page_kinds() -> list[ModuleType]:
    """The modules of this package, in name order."""
    return [importlib.import_module(f"{__name__}.{info.name}")
            for info in sorted(pkgutil.iter_modules(__path__), key=lambda info: info.name)]


def split_into_pages(groups: list[tuple], limit: int) -> list[list[tuple]]:
    """Groups of rows (``(head, rows)``) cut into pages of at most ``limit`` rows each.

    A group cut between two pages carries on at the top of the next; a group
    without rows (a saga's appointment) stays with the rows before it.
    Each page is a list of ``(head, rows, continued)``.
    """
    pages: list[list[tuple]] = [[]]
    room = limit
    for head, rows in groups:
        continued = False
        while True:
            if room == 0 and rows:
                pages.append([])
                room = limit
            taken = rows[:room]
            pages[-1].append((head, taken, continued))
            rows, room, continued = rows[len(taken):], room - len(taken), True
            if not rows:
                break
    return pages
