"""The interface language: words from a gettext catalogue, dates and numbers from Babel.

Templates call ``_()`` and ``ngettext()`` (Jinja's i18n extension) and the
``date`` and ``number`` filters; presentation code calls the same methods on
``Language``.  Catalogues live in ``panchina/locale/<lang>/LC_MESSAGES/
messages.po`` under version control and are compiled in memory when a
build starts, so there is no compiled file to forget.  A language without a
catalogue shows the English words (the message ids) with its own dates and
numbers.  ``python -m panchina.catalogue`` refreshes the catalogues from the
templates and the code.
"""

from __future__ import annotations

import functools
import hashlib
import io
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from babel import Locale, UnknownLocaleError
from babel.dates import format_date, format_skeleton
from babel.lists import format_list
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal
from babel.support import NullTranslations, Translations

from .model import PartialDate

LOCALE_DIR = Path(__file__).parent / "locale"


@dataclass(frozen=True)
class Language:
    """One interface language: its catalogue and its Babel locale."""

    code: str  # the site's language tag, e.g. en, it, pt-BR
    locale: Locale
    translations: NullTranslations
    digest: str  # of the catalogue's source: part of every page's key

    def gettext(self, message: str, **values) -> str:
        text = self.translations.gettext(message)
        return text % values if values else text

    def ngettext(self, singular: str, plural: str, count: int, **values) -> str:
        text = self.translations.ngettext(singular, plural, count)
        return text % {"num": self.number(count), **values}

    def date(self, when: PartialDate) -> str:
        """``4 marzo 2026`` / ``March 4, 2026``; ``maggio 2019``; ``2019``: as precise as the date is."""
        return _date_words(self.locale, when)

    def number(self, value: int) -> str:
        """``2,000`` in English, ``2.000`` in Italian."""
        return _number_words(self.locale, value)

    def join(self, items: list[str]) -> str:
        """``A, B and C`` in the language's own way."""
        return _joined(self.locale, tuple(items)) if items else ""

    def ordinal_form(self, number: int) -> str:
        """Which ordinal message ``number`` needs (English: 1st one, 2nd two, 3rd few, 4th other)."""
        return _ordinal_form(self.locale, number)


# Babel takes tens of microseconds a call, and a large archive shows the same few
# thousand dates and counts on tens of thousands of pages: remember them.
@functools.lru_cache(maxsize=1 << 16)
def _date_words(locale: Locale, when: PartialDate) -> str:
    if when.day:
        return format_date(when.start, "long", locale=locale)
    if when.month:
        return format_skeleton("yMMMM", date(when.year, when.month, 1), locale=locale)
    return str(when.year)


@functools.lru_cache(maxsize=1 << 16)
def _joined(locale: Locale, items: tuple[str, ...]) -> str:
    return items[0] if len(items) == 1 else format_list(list(items), locale=locale)


@functools.lru_cache(maxsize=1 << 10)
def _ordinal_form(locale: Locale, number: int) -> str:
    return locale.ordinal_form(number)


@functools.lru_cache(maxsize=1 << 14)
def _number_words(locale: Locale, value: int) -> str:
    return format_decimal(value, locale=locale)


@functools.lru_cache(maxsize=8)
def load_language(code: str) -> Language:
    """The catalogue and locale for ``code``; English words where no catalogue exists."""
    try:
        locale = Locale.parse(code, sep="-")
    except (ValueError, UnknownLocaleError):
        locale = Locale("en")
    po = _catalogue_path(locale)
    if po is None:
        return Language(code, locale, NullTranslations(), "none")
    source = po.read_bytes()
    return Language(code, locale, _compile(source, locale), hashlib.blake2b(source, digest_size=16).hexdigest())


def _catalogue_path(locale: Locale) -> Path | None:
    for name in (str(locale), locale.language):
        path = LOCALE_DIR / name / "LC_MESSAGES" / "messages.po"
        if path.is_file():
            return path
    return None


def _compile(source: bytes, locale: Locale) -> Translations:
    """A .po file compiled in memory (what msgfmt would write to a .mo)."""
    catalog = read_po(io.BytesIO(source), locale=locale)
    compiled = io.BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    return Translations(compiled)
