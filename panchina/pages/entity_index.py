"""``/coaches/``, ``/clubs/``, ``/sources/``: everyone A–Z with their number of rumours.

Coaches are alphabetised by surname, as fans look them up (Allegri under A),
clubs and sources by name as written; a registry entry's ``sort_as``
overrides either rule ("Erik ten Hag" sorted as "Hag, Erik ten").  An index
of up to ``HEADINGS_FROM`` names is one list; a longer one gets a heading per
letter, and one longer than ``PAGE_LIMIT`` a page per letter under
``/<kind>/by-letter/<letter>/``; a letter longer than that again (M, at
a million stories) goes on over ``/<kind>/by-letter/m/2/`` and so on.
"""

from __future__ import annotations

from ..model import KINDS, Entity, EntityKind
from ..slugs import slugify
from ..urls import file_for, index_url, letter_url
from . import Page, Site

TEMPLATE = "entity_index.html"
PAGE_LIMIT = 1500
HEADINGS_FROM = 30  # fewer names read best as one list: 20 sources under 13 letters is a heading per line


def pages(site: Site) -> list[Page]:
    return [page for kind in KINDS for page in index(site, kind)]


def index(site: Site, kind: EntityKind) -> list[Page]:
    entities = sorted(site.archive.entities(kind), key=sort_key)
    base = index_url(kind)
    groups: dict[str, list] = {}
    for entity in entities:
        groups.setdefault(initial(sort_key(entity)[0]), []).append(site.present.counted(entity))
    if len(entities) > PAGE_LIMIT:
        letters = [(letter, letter_url(kind, letter_id(letter)), members) for letter, members in groups.items()]
        made = [_page(kind, base, letters, [], len(entities))]
        for letter, url, members in letters:
            parts = [members[start:start + PAGE_LIMIT] for start in range(0, len(members), PAGE_LIMIT)]
            urls = [url if number == 1 else f"{url}{number}/" for number in range(1, len(parts) + 1)]
            made += [_page(kind, urls[index], letters, [(letter, part)], len(entities), letter_url=url,
                           earlier=urls[index - 1] if index else None,
                           later=urls[index + 1] if index + 1 < len(parts) else None)
                     for index, part in enumerate(parts)]
        return made
    if len(entities) > HEADINGS_FROM:
        letters = [(letter, f"#letter-{letter_id(letter)}", members) for letter, members in groups.items()]
        return [_page(kind, base, letters, _sections(letters), len(entities))]
    return [_page(kind, base, [], [("", [member for members in groups.values() for member in members])],
                  len(entities))]


def _sections(letters):
    return [(letter, members) for letter, _, members in letters]


def _page(kind: EntityKind, url: str, letters, shown, count: int, letter_url: str | None = None,
          earlier: str | None = None, later: str | None = None) -> Page:
    """``letter_url``: the first page of the letter shown; ``earlier``, ``later``: its other pages around this one."""
    return Page(file_for(url), TEMPLATE, {
        "url": url, "kind": kind, "count": count, "index_url": index_url(kind),
        "letters": [(letter, href) for letter, href, _ in letters] if len(letters) > 1 else [],
        "sections": [(letter, letter_id(letter) if letter else "", members) for letter, members in shown],
        "letter_url": letter_url or url, "earlier": earlier, "later": later,
    })


def sort_key(entity: Entity) -> tuple[str, str]:
    """Where a name goes in A–Z order: its ``sort_as``, a coach's surname first, else the name; the slug breaks ties."""
    if entity.sort_as:
        key = entity.sort_as
    elif entity.kind == "coach":
        key = surname_first(entity.name)
    else:
        key = entity.name
    return slugify(key) or entity.slug, entity.slug


def surname_first(name: str) -> str:
    """``Massimiliano Allegri`` -> ``Allegri Massimiliano``: the last word with a letter, then the rest.

    Words without letters (a number that tells two namesakes apart) stay at
    the end.  Surnames of several words ("ten Hag", "Luis Enrique") need a
    ``sort_as`` in coaches.yaml.
    """
    words = name.split()
    for index in range(len(words) - 1, -1, -1):
        if any(char.isalpha() for char in words[index]):
            return " ".join([words[index], *words[:index], *words[index + 1:]])
    return name


def initial(slug: str) -> str:
    """The A–Z heading a name is listed under; digits and the like go under #."""
    return slug[0].upper() if slug[0].isalpha() else "#"


def letter_id(letter: str) -> str:
    return "0-9" if letter == "#" else letter.lower()
