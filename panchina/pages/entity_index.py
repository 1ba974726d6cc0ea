"""``/coaches/``, ``/clubs/``, ``/sources/``: everyone A–Z with their number of rumours.

An index longer than ``PAGE_LIMIT`` names is split into a page per letter
under ``/<kind>/by-letter/<letter>/``.
"""

from __future__ import annotations

from ..model import KINDS, EntityKind
from ..urls import file_for, index_url, letter_url
from . import Page, Site

TEMPLATE = "entity_index.html"
PAGE_LIMIT = 1500


def pages(site: Site) -> list[Page]:
    return [page for kind in KINDS for page in index(site, kind)]


def index(site: Site, kind: EntityKind) -> list[Page]:
    entities = site.archive.entities(kind)
    groups: dict[str, list] = {}
    for entity in entities:  # already sorted by slug
        groups.setdefault(initial(entity.slug), []).append(site.present.counted(entity))
    base = index_url(kind)
    if len(entities) <= PAGE_LIMIT:
        letters = [(letter, f"#letter-{letter_id(letter)}", members) for letter, members in groups.items()]
        return [_page(kind, base, letters, letters, len(entities))]
    letters = [(letter, letter_url(kind, letter_id(letter)), members) for letter, members in groups.items()]
    return [_page(kind, base, letters, [], len(entities)),
            *(_page(kind, url, letters, [(letter, url, members)], len(entities)) for letter, url, members in letters)]


def _page(kind: EntityKind, url: str, letters, shown, count: int) -> Page:
    return Page(file_for(url), TEMPLATE, {
        "url": url, "kind": kind, "count": count, "index_url": index_url(kind),
        "letters": [(letter, href) for letter, href, _ in letters] if len(letters) > 1 else [],
        "sections": [(letter, letter_id(letter), members) for letter, _, members in shown],
    })


def initial(slug: str) -> str:
    """The A–Z heading a name is listed under; digits and the like go under #."""
    return slug[0].upper() if slug[0].isalpha() else "#"


def letter_id(letter: str) -> str:
    return "0-9" if letter == "#" else letter.lower()
