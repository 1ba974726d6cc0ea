"""Names and the ASCII slugs that make their URLs."""

from __future__ import annotations

import functools
import re
import unicodedata

# Letters that Unicode does not decompose into a base letter plus an accent,
# so stripping combining marks alone would drop them ("Ødegaard" -> "degaard").
_LATIN = {
    "ß": "ss", "æ": "ae", "œ": "oe", "ø": "o", "ł": "l", "đ": "d", "ð": "d",
    "þ": "th", "ı": "i", "ħ": "h", "ŋ": "ng", "ĸ": "k", "ſ": "s", "ŧ": "t",
    # Zhuang's old tone letters, as its current spelling writes them.
    "ƨ": "z", "ƽ": "q", "ƅ": "h", "ƻ": "dz", "ƾ": "ts", "ƪ": "sh",
}
# Cyrillic and Greek coaches are common enough in European football that a
# name like "Лобановський" must still get a readable slug, not an empty one.
# One table serves every language, so a letter gets its most common reading:
# Russian and Ukrainian for the shared letters, Serbian and Macedonian for
# their own (ђ, ј, љ, њ, ћ, џ, ѓ, ќ, ѕ), Bulgarian for ъ (a vowel there).
_CYRILLIC = dict(zip(
    "абвгдеёжзийклмнопрстуфхцчшщъыьэюяіїєґ",
    ["a", "b", "v", "g", "d", "e", "e", "zh", "z", "i", "i", "k", "l", "m",
     "n", "o", "p", "r", "s", "t", "u", "f", "kh", "ts", "ch", "sh", "shch",
     "a", "y", "", "e", "yu", "ya", "i", "i", "ie", "g"], strict=True,
)) | {
    "ђ": "dj", "ј": "j", "љ": "lj", "њ": "nj", "ћ": "c", "џ": "dz", "ѓ": "gj", "ќ": "kj", "ѕ": "dz",
    "ә": "a", "ө": "o", "ү": "u", "ұ": "u", "қ": "k", "ғ": "g", "ң": "ng", "һ": "h", "ҳ": "h", "ҷ": "j",
}
# Letters that only soften or separate the sound before them, so write nothing.
SILENT = frozenset("ьҍӏ")
_GREEK = dict(zip(
    "αβγδεζηθικλμνξοπρσςτυφχψω",
    ["a", "v", "g", "d", "e", "z", "i", "th", "i", "k", "l", "m", "n", "x",
     "o", "p", "r", "s", "s", "t", "y", "f", "ch", "ps", "o"], strict=True,
)) | {
    # Archaic letters and Coptic letters in the Greek block.
    "ͱ": "h", "ͳ": "ss", "ͷ": "w", "ͺ": "i", "ͻ": "s", "ͼ": "s", "ͽ": "s", "ϳ": "j", "ϗ": "kai",
    "ϙ": "q", "ϛ": "st", "ϝ": "w", "ϟ": "q", "ϡ": "ss", "ϣ": "sh", "ϥ": "f", "ϧ": "kh", "ϩ": "h",
    "ϫ": "j", "ϭ": "c", "ϯ": "ti", "ϸ": "sh", "ϻ": "s", "ϼ": "r",
}
_TRANSLITERATION = {**_LATIN, **_CYRILLIC, **_GREEK}
# For the rare letters no table lists, their Unicode name says which letter
# they are a form of: "LATIN SMALL LETTER B WITH HOOK" is a b.
_NAMED = {
    # Latin letters named for what they look like or came from
    "ALPHA": "a", "DELTA": "d", "GAMMA": "g", "IOTA": "i", "LAMBDA": "l", "UPSILON": "u", "SCHWA": "e",
    "ESH": "sh", "EZH": "zh", "YR": "r", "WYNN": "w", "YOGH": "gh", "HWAIR": "hw", "GLOTTAL": "q",
    "DENTAL": "c", "LATERAL": "x", "ALVEOLAR": "q", "RETROFLEX": "q",
    # Cyrillic letter names
    "BE": "b", "VE": "v", "GHE": "g", "DE": "d", "IE": "e", "ZHE": "zh", "ZE": "z", "KA": "k", "EL": "l",
    "EM": "m", "EN": "n", "PE": "p", "ER": "r", "ES": "s", "TE": "t", "EF": "f", "HA": "kh", "TSE": "ts",
    "CHE": "ch", "SHA": "sh", "SHHA": "h", "DJE": "dj", "DZE": "dz", "JE": "j", "LJE": "lj", "NJE": "nj",
    "DZJE": "dz", "ZJE": "z", "SJE": "s", "TJE": "t", "DZHE": "dz", "DZZHE": "dzh", "DCHE": "dch",
    "OMEGA": "o", "YAT": "e", "YUS": "u", "KSI": "ks", "PSI": "ps", "FITA": "f", "IZHITSA": "i", "UK": "u",
    "OT": "ot", "KOPPA": "q", "LHA": "lh", "RHA": "rh", "YAE": "ye", "QA": "q", "WE": "w",
    # Greek letter names
    "HETA": "h", "SAMPI": "ss", "DIGAMMA": "w", "YOT": "j", "KAI": "kai", "STIGMA": "st", "SHO": "sh",
    "SAN": "s", "SIGMA": "s", "RHO": "r",
}
# Words in a Unicode name that say how a letter looks, not which it is.
_NOT_THE_LETTER = {
    "LATIN", "GREEK", "CYRILLIC", "COPTIC", "CAPITAL", "SMALL", "LETTER", "LIGATURE", "SYMBOL", "DIGRAPH",
    "OPEN", "TURNED", "REVERSED", "INVERTED", "AFRICAN", "BARRED", "BAR", "DOTTED", "LUNATE", "ARCHAIC",
    "PAMPHYLIAN", "KOMI", "ABKHASIAN", "BASHKIR", "KHAKASSIAN", "ALEUT", "STRAIGHT", "ROUND", "LITTLE",
    "BIG", "SHORT", "DOTLESS", "LONG", "MIDDLE-WELSH", "LOOP", "STOP", "CLICK", "IOTIFIED", "TONE",
}
_NOT_SLUG = re.compile(r"[^a-z0-9]+")
SLUG_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def normalize_name(name: str) -> str:
    """The form in which names are compared: NFC, single spaces, no edge spaces."""
    return " ".join(unicodedata.normalize("NFC", name).split())


@functools.lru_cache(maxsize=1 << 16)  # every name is slugified again on every build
def slugify(text: str) -> str:
    """An ASCII slug: ``Jürgen Klopp`` -> ``jurgen-klopp``, ``Ђорђе`` -> ``djordje``."""
    ascii_text = "".join(_transliterate(char) for char in unicodedata.normalize("NFC", text))
    return _NOT_SLUG.sub("-", ascii_text.lower()).strip("-")


def _transliterate(char: str) -> str:
    """ASCII for one character: its table entry, else its letters without accents, else its name."""
    if char.isascii():
        return char
    lower = char.lower()  # slugs are lower case, so the lower-case table serves both cases
    if lower in _TRANSLITERATION:
        return _TRANSLITERATION[lower]
    decomposed = unicodedata.normalize("NFKD", char)
    if decomposed != char:
        return "".join(_transliterate(part) for part in decomposed if not unicodedata.combining(part))
    # Modifier letters (ʼ, ʹ) are marks of pronunciation, not letters of the word.
    if lower in SILENT or unicodedata.category(char) not in ("Lu", "Ll", "Lt", "Lo"):
        return " "
    return _from_name(char)


def _from_name(char: str) -> str:
    """``LATIN CAPITAL LETTER D WITH HOOK`` -> ``d``; `` `` when the name says nothing."""
    name = unicodedata.name(char, "")
    if name.split(" ", 1)[0] not in ("LATIN", "GREEK", "CYRILLIC", "COPTIC"):
        return " "  # other scripts (Hangul, Arabic, Thai…) have no reading in their names: no slug, ask for an alias
    words = name.split(" WITH ")[0].split()
    letters = [_NAMED.get(word, word.lower()) for word in words if word not in _NOT_THE_LETTER]
    text = "".join(letters)
    return text if text.isascii() and text.isalnum() else " "


def is_slug(text: str) -> bool:
    return bool(SLUG_PATTERN.match(text))
