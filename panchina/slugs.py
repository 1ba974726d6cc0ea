"""Names and the ASCII slugs that make their URLs."""

from __future__ import annotations

import functools
import re
import unicodedata

# Letters that Unicode does not decompose into a base letter plus an accent,
# so stripping combining marks alone would drop them ("Ødegaard" -> "degaard").
_LATIN = {
    "ß": "ss", "æ": "ae", "œ": "oe", "ø": "o", "ł": "l", "đ": "d", "ð": "d",
    "þ": "th", "ı": "i", "ħ": "h", "ŋ": "ng", "ĸ": "k", "ſ": "s",
}
# Cyrillic and Greek coaches are common enough in European football that a
# name like "Лобановський" must still get a readable slug, not an empty one.
_CYRILLIC = dict(zip(
    "абвгдеёжзийклмнопрстуфхцчшщъыьэюяіїєґ",
    ["a", "b", "v", "g", "d", "e", "e", "zh", "z", "i", "i", "k", "l", "m",
     "n", "o", "p", "r", "s", "t", "u", "f", "kh", "ts", "ch", "sh", "shch",
     "", "y", "", "e", "yu", "ya", "i", "i", "ie", "g"],
))
_GREEK = dict(zip(
    "αβγδεζηθικλμνξοπρσςτυφχψω",
    ["a", "v", "g", "d", "e", "z", "i", "th", "i", "k", "l", "m", "n", "x",
     "o", "p", "r", "s", "s", "t", "y", "f", "ch", "ps", "o"],
))
_TRANSLITERATION = {**_LATIN, **_CYRILLIC, **_GREEK}
_NOT_SLUG = re.compile(r"[^a-z0-9]+")
SLUG_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def normalize_name(name: str) -> str:
    """The form in which names are compared: NFC, single spaces, no edge spaces."""
    return " ".join(unicodedata.normalize("NFC", name).split())


@functools.lru_cache(maxsize=1 << 16)  # every name is slugified again on every build
def slugify(text: str) -> str:
    """An ASCII slug: ``Jürgen Klopp`` -> ``jurgen-klopp``, ``1. FC Köln`` -> ``1-fc-koln``."""
    decomposed = unicodedata.normalize("NFKD", text)
    ascii_text = "".join(
        _transliterate(char) for char in decomposed if not unicodedata.combining(char)
    )
    return _NOT_SLUG.sub("-", ascii_text.lower()).strip("-")


def _transliterate(char: str) -> str:
    # Slugs are lower case, so the lower-case table serves both cases.
    return char if char.isascii() else _TRANSLITERATION.get(char.lower(), " ")


def is_slug(text: str) -> bool:
    return bool(SLUG_PATTERN.match(text))
