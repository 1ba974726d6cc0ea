"""Fingerprints of page contexts: what decides whether a page is written again.

A page is rendered from its template and its context, and nothing else
(the site-wide inputs, such as the settings, the catalogue and the code,
are folded into one site key).  So the fingerprint of a page is a digest of
exactly the data its template receives, computed from that data: adding a
field to a template means adding it to the context, and the fingerprint
follows by itself.  There is no list of inputs kept beside a template.

Contexts may hold plain data only (text, numbers, dates, tuples, lists,
dicts) and ``View`` objects, frozen dataclasses of plain data whose digest
is computed once and reused wherever the view appears (a story's row is
shown on many timelines).  Anything else, such as a live model object that
could reach the whole archive, is refused with a TypeError, so a template
can never read data that its fingerprint does not cover.
"""

from __future__ import annotations

import dataclasses
import hashlib

from markupsafe import Markup

from .model import PartialDate


class View:
    """Base of the frozen dataclasses that pages receive."""

    @property
    def digest(self) -> bytes:
        """The digest of the view's fields, made once (a row is shown on a dozen pages)."""
        made = self.__dict__.get("_digest")
        if made is None:
            kind = type(self)
            names = _FIELD_NAMES.get(kind)
            if names is None:
                names = _FIELD_NAMES[kind] = tuple(item.name for item in dataclasses.fields(self))
            parts = [kind.__name__.encode()]
            for name in names:
                _encode(getattr(self, name), parts)
            made = self.__dict__["_digest"] = hashlib.blake2b(b"\x1f".join(parts), digest_size=16).digest()
        return made


_FIELD_NAMES: dict[type, tuple[str, ...]] = {}


def fingerprint(*values: object) -> str:
    """A stable hex digest of plain data and views."""
    parts: list[bytes] = []
    for value in values:
        _encode(value, parts)
    return hashlib.blake2b(b"\x1f".join(parts), digest_size=16).hexdigest()


def _encode(value: object, parts: list[bytes]) -> None:
    kind = type(value)
    if kind is str:
        parts.append(b"s" + value.encode("utf-8", "surrogatepass"))
    elif isinstance(value, View):
        parts.append(b"v" + (value.__dict__.get("_digest") or value.digest))
    elif kind is Markup:  # rendered unescaped: never the same as the same text as str
        parts.append(b"m" + value.encode("utf-8", "surrogatepass"))
    elif value is None or kind is bool or kind is int or kind is float:
        parts.append(repr(value).encode())
    elif kind is tuple or kind is list:
        parts.append(b"[%d" % len(value))
        for item in value:  # the common items inline: timelines and sitemaps hold thousands
            if type(item) is str:
                parts.append(b"s" + item.encode("utf-8", "surrogatepass"))
            elif isinstance(item, View):  # its digest read straight from where it is kept, when made already
                parts.append(b"v" + (item.__dict__.get("_digest") or item.digest))
            else:
                _encode(item, parts)
        parts.append(b"]")
    elif kind is dict:
        parts.append(b"{%d" % len(value))
        for key in sorted(value):
            _encode(key, parts)
            _encode(value[key], parts)
        parts.append(b"}")
    elif kind is PartialDate:
        parts.append(b"d" + value.iso.encode())
    else:
        raise TypeError(f"a page context may hold plain data and views only, not {kind.__name__}: "
                        "add what the template needs to a View in present.py")
