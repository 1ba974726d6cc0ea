"""Content mistakes, reported the way a contributor can act on them.

Every problem a contributor can cause becomes a ``ContentError`` naming the
file, the line and the field, with a hint at the fix.  Loaders collect them
instead of raising at the first one, so a single run lists everything that
needs fixing; the command line prints the list and exits 1.
"""

from __future__ import annotations

from dataclasses import dataclass


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
        return f"{where}: {what}" + (f" — {self.hint}" if self.hint else "")


class BuildFailed(Exception):
    """Raised with every collected error once a step cannot go on."""

    def __init__(self, errors: list[ContentError]):
        self.errors = sorted(errors, key=_error_order)
        super().__init__("\n".join(str(e) for e in self.errors))


def _error_order(error: ContentError) -> tuple:
    return (error.path, error.line or 0, error.field or "", error.message)
