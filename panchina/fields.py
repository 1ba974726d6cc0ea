"""Typed fields read out of a YAML mapping, each mistake reported with its line.

Stories, the registries and ``site.yaml`` all read their keys through
``FieldReader``: one place decides what counts as text, what a list of names
is, and how an unknown key is answered with a suggestion.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from urllib.parse import urlsplit

from .errors import ContentError, describe_character
from .slugs import normalize_name
from .yamltext import KeyLines

MAX_NAME_CHARS = 100  # longest real club name is ~50; a longer one is a paste accident
MAX_TEXT_CHARS = 300  # titles and descriptions
MAX_URL_CHARS = 2000
INVISIBLE_HINT = "delete it: it is invisible in most editors, so retype the value if you cannot find it"

# Tab and line breaks are whitespace, folded into one space like any other.
_FOLDED_CONTROLS = frozenset("\t\n\r")
_JOINERS = frozenset("\u200c\u200d")  # ZERO WIDTH NON-JOINER and JOINER
# A subdivision flag (Scotland, Wales, England) is a black flag followed by
# invisible tag letters; the tags are format characters, the flag is not hidden.
_FLAG_TAGS = re.compile("\U0001F3F4[\U000E0030-\U000E0039\U000E0061-\U000E007A]+\U000E007F")


class FieldReader:
    """Reads the fields of one mapping; mistakes go into a shared error list."""

    def __init__(self, path: str, data: dict, key_lines: dict[str, int], first_line: int,
                 errors: list[ContentError], home_line: int | None = None):
        self.path = path
        self.data = data
        self.key_lines = key_lines  # 0-based line of each key within the parsed text
        self.first_line = first_line  # file line (1-based) of the parsed text's first line
        self.errors = errors
        # Where a missing key is reported: by default the line before the
        # fields (a story's opening ---), or the first line of the file.
        self.home_line = home_line if home_line is not None else first_line - 1 or 1

    def line(self, key: str) -> int:
        return self.first_line + self.key_lines.get(key, 0)

    def error(self, key: str, message: str, hint: str = "") -> None:
        line = self.line(key) if key in self.key_lines else self.home_line
        self.errors.append(ContentError(self.path, line, key, message, hint))

    def written(self, key: str, item: int | None = None) -> str:
        """A value (or one item of a list) as the file spells it, before YAML read it."""
        written = self.key_lines.written(key, item) if isinstance(self.key_lines, KeyLines) else None
        if written is None:
            value = self.data.get(key)
            written = str(value[item] if item is not None else value)
        return written

    def check_keys(self, required: tuple[str, ...], optional: tuple[str, ...]) -> None:
        """Report missing required keys and unknown keys (with a did-you-mean)."""
        known = required + optional
        for key in self.data:
            if key not in known:
                self.error(str(key), "unknown field", _did_you_mean(str(key), known))
        for key in required:
            if key not in self.data:
                self.error(key, "missing", f"add a line '{key}: …' (required fields: {', '.join(required)})")

    def has(self, key: str) -> bool:
        return key in self.data and self.data[key] is not None

    def text(self, key: str, what: str = "text", limit: int = MAX_TEXT_CHARS) -> str | None:
        """A non-empty string, spaces folded; None (with an error) otherwise."""
        value = self.data.get(key)
        text = self._as_text(key, value, what, limit)
        return text

    def name(self, key: str) -> str | None:
        """A person's or club's name: NFC, spaces folded, at most MAX_NAME_CHARS."""
        return self.text(key, "a name", MAX_NAME_CHARS)

    def names(self, key: str, most: int) -> list[str] | None:
        """A list of names; one string is a one-name list. Duplicates are dropped."""
        value = self.data.get(key)
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list):
            self.error(key, f"must be a list of names, not {_kind(value)}",
                       f"write '{key}: [First Club, Second Club]', or one name")
            return None
        if not value:
            self.error(key, "is empty", f"name at least one in '{key}: [Name]'")
            return None
        if len(value) > most:
            self.error(key, f"has {len(value)} names; at most {most} are allowed",
                       "keep the ones the report names; split it into several stories if needed")
            return None
        names = [self._as_text(key, item, "a name", MAX_NAME_CHARS, index) for index, item in enumerate(value)]
        if any(name is None for name in names):
            return None
        return list(dict.fromkeys(names))

    def url(self, key: str) -> str | None:
        """An absolute http or https address."""
        text = self.text(key, "an address", MAX_URL_CHARS)
        if text is None:
            return None
        if not is_web_url(text):
            self.error(key, f"'{_shorten(text)}' is not a web address",
                       "use the full address of the report, starting with https:// or http://")
            return None
        parts = urlsplit(text)
        if parts.username is not None:  # not shown back: it may be a password, and build logs are public
            self.error(key, f"has a user name or password before @ in the address of {parts.hostname}",
                       "link to the address readers can open, without the 'name:password@' part")
            return None
        return text

    def _as_text(self, key: str, value: object, what: str, limit: int, item: int | None = None) -> str | None:
        """``value`` as text, or None with an error; ``item`` is its index when it is in a list."""
        if isinstance(value, bool) or value is None:
            shown = "empty" if value is None else f"read as {str(value).lower()} (yes/no/on/off)"
            self.error(key, f"must be {what}, but it is {shown}",
                       f"write the value after '{key}:' in quotes")
            return None
        if isinstance(value, (int, float)):
            written = self.written(key, item)
            quoted = f'"{written}"' if item is not None else f'{key}: "{written}"'
            self.error(key, f"must be {what}, but YAML reads {written} as a number", f"put it in quotes: {quoted}")
            return None
        if not isinstance(value, str):
            self.error(key, f"must be {what}, not {_kind(value)}", f"write one value after '{key}:'")
            return None
        hidden = hidden_character(value)
        if hidden is not None:
            self.error(key, f"contains {describe_character(hidden)}", INVISIBLE_HINT)
            return None
        text = normalize_name(value)
        if not text:
            self.error(key, "is empty", f"write {what} after '{key}:'")
            return None
        if len(text) > limit:
            self.error(key, f"is {len(text)} characters long; at most {limit} are allowed",
                       "shorten it")
            return None
        return text


def hidden_character(text: str) -> str | None:
    """The first control or invisible character in ``text``, or None.

    Refused: C0 and C1 controls (however written: YAML's ``"\\0"`` and
    ``"\\x1b"`` escapes make them too) and format characters (Unicode
    category Cf: bidi overrides and marks, zero-width spaces, soft hyphens).
    Kept: tab and line breaks (folded into a space), and the zero-width
    joiner and non-joiner where a script needs them (see ``_joins_letters``),
    and the tag letters of a subdivision flag.
    """
    if text.isprintable():  # the common case; isprintable() is False for every refused character
        return None
    for index, char in enumerate(text):
        category = unicodedata.category(char)
        if category == "Cc" and char not in _FOLDED_CONTROLS:
            return char
        if category == "Cf" and not (char in _JOINERS and _joins_letters(text, index)) \
                and not _in_flag(text, index):
            return char
    return None


def _joins_letters(text: str, index: int) -> bool:
    """True when a joiner at ``index`` sits inside a word of a script that uses joiners.

    Persian, Urdu, the Indic scripts and emoji sequences need ZWJ and ZWNJ
    between two of their characters.  Next to a space, an ASCII character or a
    Latin, Greek or Cyrillic letter a joiner changes nothing visible: it only
    makes a second spelling of a name that looks exactly like the first.
    """
    if index == 0 or index == len(text) - 1:
        return False
    return all(not char.isspace() and not char.isascii()
               and not unicodedata.name(char, "").startswith(("LATIN", "GREEK", "CYRILLIC"))
               for char in (text[index - 1], text[index + 1]))


def _in_flag(text: str, index: int) -> bool:
    return any(match.start() < index < match.end() for match in _FLAG_TAGS.finditer(text))


def is_web_url(text: str) -> bool:
    """True for an absolute http(s) URL with a host and no spaces or control characters."""
    if any(ch.isspace() or ord(ch) < 32 or ord(ch) == 127 for ch in text):
        return False
    try:
        parts = urlsplit(text)
    except ValueError:
        return False
    return parts.scheme.lower() in ("http", "https") and bool(parts.hostname)


def _did_you_mean(key: str, known: tuple[str, ...]) -> str:
    match = difflib.get_close_matches(key.lower(), known, n=1, cutoff=0.6)
    if match:
        return f"did you mean '{match[0]}'?"
    return f"the fields are: {', '.join(known)}"


def _kind(value: object) -> str:
    if isinstance(value, dict):
        return "a set of key: value pairs"
    if isinstance(value, list):
        return "a list"
    return type(value).__name__


def _shorten(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
