"""Language tags for a story's ``lang`` and the site's language.

A tag is BCP 47's common shape: a language, then optionally a script and a
region (``it``, ``pt-BR``, ``zh-Hant``, ``zh-Hant-TW``, ``es-419``).  Each part
is checked against Babel's lists of languages, scripts and regions, so that a
typo is caught and a real tag is never refused.
"""

from __future__ import annotations

import difflib
import functools
from typing import NamedTuple

LANGUAGE_HINT = "write a language code such as en, it, es, de or fr, or one with a region such as pt-BR"

# ISO 639-1: the codes nearly every story uses, known without loading Babel's
# data (a test checks that Babel knows each of them).
LANGUAGE_CODES = frozenset("""
aa ab ae af ak am an ar as av ay az ba be bg bi bm bn bo br bs ca ce ch co cr cs
cu cv cy da de dv dz ee el en eo es et eu fa ff fi fj fo fr fy ga gd gl gn gu gv
ha he hi ho hr ht hu hy hz ia id ie ig ii ik io is it iu ja jv ka kg ki kj kk kl
km kn ko kr ks ku kv kw ky la lb lg li ln lo lt lu lv mg mh mi mk ml mn mr ms mt
my na nb nd ne ng nl nn no nr nv ny oc oj om or os pa pi pl ps pt qu rm rn ro ru
rw sa sc sd se sg si sk sl sm sn so sq sr ss st su sv sw ta te tg th ti tk tl tn
to tr ts tw ty ug uk ur uz ve vi vo wa wo xh yi yo za zh zu
""".split())
# Babel lists these among languages, but they name no language a story is in.
_NOT_LANGUAGES = frozenset({"und", "zxx", "mul", "mis", "sh"})

@functools.lru_cache(maxsize=256)
def check_language(tag: str) -> tuple[str | None, str, str]:
    """``(tag in its usual spelling, "", "")``, or ``(None, what is wrong, what to do)``.

    The usual spelling is a lower-case language, a title-case script and an
    upper-case region: ``PT_br`` -> ``pt-BR``, ``zh-hant`` -> ``zh-Hant``.
    """
    if tag.lower() in LANGUAGE_CODES:
        return tag.lower(), "", ""
    parts = tag.replace("_", "-").split("-")
    language, rest = parts[0].lower(), parts[1:]
    script = rest.pop(0).title() if rest and len(rest[0]) == 4 and rest[0].isalpha() else None
    region = rest.pop(0).upper() if rest and (len(rest[0]) == 2 and rest[0].isalpha()
                                              or len(rest[0]) == 3 and rest[0].isdigit()) else None
    data = _babel_lists()
    if not tag.isascii() or rest or language not in data.languages:
        return None, f"'{tag}' is not a language code", _suggest(tag, data)
    if script is not None and script not in data.scripts:
        return None, f"'{tag}': {script} is not a script code", \
            f"use a script such as Latn, Cyrl or Hant, or write just '{language}'"
    if region is not None and region not in data.regions:
        return None, f"'{tag}': {region} is not a country or region code", \
            _region_hint(language)
    return "-".join(part for part in (language, script, region) if part), "", ""


class _BabelLists(NamedTuple):
    languages: frozenset[str]  # it, pt, yue
    scripts: frozenset[str]  # Latn, Hant
    regions: frozenset[str]  # BR, 419
    names: dict[str, str]  # "portuguese" -> pt


@functools.cache
def _babel_lists() -> _BabelLists:
    """Babel's codes, loaded once and only when a tag is not a plain ISO 639-1 code (it takes ~40 ms)."""
    from babel import Locale

    english = Locale("en")
    return _BabelLists(
        languages=frozenset(code for code in english.languages
                            if code.isalpha() and code.islower() and code not in _NOT_LANGUAGES),
        scripts=frozenset(english.scripts),
        regions=frozenset(english.territories),
        names={name.lower(): code for code, name in english.languages.items() if code.isalpha()},
    )


def _suggest(tag: str, data: _BabelLists) -> str:
    language = tag.lower().replace("_", "-").split("-")[0]
    guess = data.names.get(language) or (language[:2] if language[:2] in LANGUAGE_CODES else None)
    if guess is None:
        close = difflib.get_close_matches(language, sorted(data.languages), n=1)
        guess = close[0] if close else None
    return (f"did you mean '{guess}'? " if guess else "") + LANGUAGE_HINT


def _region_hint(language: str) -> str:
    from babel.core import get_global

    likely = get_global("likely_subtags").get(language, "").split("_")[-1]  # pt -> pt_Latn_BR -> BR
    example = f" such as {language}-{likely}" if len(likely) == 2 else ""
    return f"use a two-letter country code{example}, or write just '{language}'"
