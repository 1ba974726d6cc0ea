"""Content mistakes, reported the way a contributor can act on them.

Every problem a contributor can cause becomes a ``ContentError`` naming the
file, the line and the field, with a hint at the fix.  Loaders collect them
instead of raising at the first one, so a single run lists everything that
needs fixing; the command line prints the list and exits 1.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

# Shown as escapes when a message quotes them: controls (a newline would forge
# a second message), line separators, format characters (a bidi override
# reorders the rest of the line) and lone surrogates (unprintable).
_HIDDEN_CATEGORIES = frozenset({"Cc", "Cf", "Zl", "Zp", "Cs"})
_SHORT_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


@dataclass(frozen=True)
class ContentError:
    """One problem in one file, printed as ``path:line: field: message — hint``."""

    path: str  # shown as given, relative to the project where possible
    line: int | None  # 1-based line in the file, None when the whole file is at fault
    field: str | None  # front-matter key or other part of the file ("body", "template")
    message: str  # what is wrong
    hint: str = ""  # what to do about it

    def __str__(self) -> str:
        where = self.path if self.line is None else f"{self.path}:{self.line}"
        what = f"{self.field}: {self.message}" if self.field else self.message
        return escape_hidden(f"{where}: {what}" + (f" — {self.hint}" if self.hint else ""))


def escape_hidden(text: str) -> str:
    """``text`` on one visible line: every control or invisible character as an escape like ``\\x07``."""
    if text.isprintable():  # the common case; isprintable() is False for every hidden category
        return text
    return "".join(_escape(char) if unicodedata.category(char) in _HIDDEN_CATEGORIES else char for char in text)


def _escape(char: str) -> str:
    code = ord(char)
    if char in _SHORT_ESCAPES:
        return _SHORT_ESCAPES[char]
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def describe_character(char: str) -> str:
    """``the control character U+0007`` or ``the invisible character U+202E (RIGHT-TO-LEFT OVERRIDE)``."""
    kind = "control" if unicodedata.category(char) == "Cc" else "invisible"
    name = unicodedata.name(char, "")
    return f"the {kind} character U+{ord(char):04X}" + (f" ({name})" if name else "")


class BuildFailed(Exception):
    """Raised with every collected error once a step cannot go on."""

    def __init__(self, errors: list[ContentError]):
        self.errors = sorted(errors, key=_error_order)
        super().__init__("\n".join(str(e) for e in self.errors))


class Inconsistent(BuildFailed):
    """A failure that no content explains: the build found its own data inconsistent.  Either a bug, or a
    build cache that no build wrote (a ``.cache/`` may come from anyone): a build that used a cache and
    fails so is made again without it (``pipeline.build``), and reports this only if it fails again."""


def _error_order(error: ContentError) -> tuple:
    return (error.path, error.line or 0, error.field or "", error.message)


def github_annotation(problem: ContentError, level: str = "error") -> str:
    """The problem as a GitHub Actions workflow command, shown on the file's line in a pull request.

    ``::error file=content/x.md,line=4,title=date::'2023-02-30' does not exist — check the day``.
    Values are escaped as GitHub's runner expects (``%``, CR and LF in the
    message; also ``:`` and ``,`` in the properties), after any hidden
    character has been made visible as for the terminal.
    """
    properties = [f"file={_github_property(problem.path)}"]
    if problem.line is not None:
        properties.append(f"line={problem.line}")
    properties.append(f"title={_github_property(problem.field or 'content')}")
    message = escape_hidden(problem.message + (f" — {problem.hint}" if problem.hint else ""))
    return f"::{level} {','.join(properties)}::{_github_data(message)}"


def _github_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _github_property(text: str) -> str:
    return _github_data(escape_hidden(text)).replace(":", "%3A").replace(",", "%2C")


def counted(number: int, singular: str, plural: str) -> str:
    """``1 story``, ``2 stories``: the command line's own English counts (pages carry the catalogue's)."""
    return f"{number:,} {singular if number == 1 else plural}"
