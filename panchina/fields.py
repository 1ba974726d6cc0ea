"""Typed fields read out of a YAML mapping, each mistake reported with its line.

Stories, the registries and ``site.yaml`` all read their keys through
``FieldReader``: one place decides what counts as text, what a list of names
is, and how an unknown key is answered with a suggestion.
"""

from __future__ import annotations

import difflib
from urllib.parse import urlsplit

from .errors import ContentError
from .slugs import normalize_name

MAX_NAME_CHARS = 100  # longest real club name is ~50; a longer one is a paste accident
MAX_TEXT_CHARS = 300  # titles and descriptions
MAX_URL_CHARS = 2000


class FieldReader:
    """Reads the fields of one mapping; mistakes go into a shared error list."""

    def __init__(self, path: str, data: dict, key_lines: dict[str, int], first_line: int,
                 errors: list[ContentError]):
        self.path = path
        self.data = data
        self.key_lines = key_lines  # 0-based line of each key within the parsed text
        self.first_line = first_line  # file line (1-based) of the parsed text's first line
        self.errors = errors

    def line(self, key: str) -> int:
        return self.first_line + self.key_lines.get(key, 0)

    def error(self, key: str, message: str, hint: str = "") -> None:
        line = self.line(key) if key in self.key_lines else self.first_line - 1 or 1
        self.errors.append(ContentError(self.path, line, key, message, hint))

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
        names = [self._as_text(key, item, "a name", MAX_NAME_CHARS) for item in value]
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
        return text

    def _as_text(self, key: str, value: object, what: str, limit: int) -> str | None:
        if isinstance(value, bool) or value is None:
            shown = "empty" if value is None else f"read as {str(value).lower()} (yes/no/on/off)"
            self.error(key, f"must be {what}, but it is {shown}",
                       f"write the value after '{key}:' in quotes")
            return None
        if isinstance(value, (int, float)):
            self.error(key, f"must be {what}, not the number {value}", f"put it in quotes: {key}: \"{value}\"")
            return None
        if not isinstance(value, str):
            self.error(key, f"must be {what}, not {_kind(value)}", f"write one value after '{key}:'")
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
