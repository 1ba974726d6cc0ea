"""Every kind of page the site has: one module each, found by itself.

A page-kind module holds everything about its pages: their addresses, the
template, the context the template receives and so, through the context's
fingerprint, what they depend on.  It defines ``TEMPLATE`` and
``pages(site) -> list[Page]``; a kind that lists other pages (the sitemap)
sets ``AFTER_ALL = True`` and gets them as a second argument.  Adding a
kind of page is adding one module here and one template: the full build,
the warm build and the preview all plan through ``plan_site``.
"""

from __future__ import annotations

import importlib
import pkgutil
from dataclasses import dataclass
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


@dataclass
class Site:
    """What page kinds plan from."""

    archive: Archive
    config: SiteConfig
    present: Presenter


def plan_site(site: Site) -> list[Page]:
    """Every page of the site, kind by kind."""
    pages: list[Page] = []
    late = []
    for kind in page_kinds():
        if getattr(kind, "AFTER_ALL", False):
            late.append(kind)
        else:
            pages += kind.pages(site)
    for kind in late:
        pages += kind.pages(site, list(pages))
    return pages


def page_kinds() -> list[ModuleType]:
    """The modules of this package, in name order."""
    return [importlib.import_module(f"{__name__}.{info.name}")
            for info in sorted(pkgutil.iter_modules(__path__), key=lambda info: info.name)]
