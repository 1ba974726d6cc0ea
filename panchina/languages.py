"""ISO 639-1 language codes, for a story's ``lang`` and the site's language."""

from __future__ import annotations

import difflib

LANGUAGE_CODES = frozenset("""
aa ab ae af ak am an ar as av ay az ba be bg bi bm bn bo br bs ca ce ch co cr cs
cu cv cy da de dv dz ee el en eo es et eu fa ff fi fj fo fr fy ga gd gl gn gu gv
ha he hi ho hr ht hu hy hz ia id ie ig ii ik io is it iu ja jv ka kg ki kj kk kl
km kn ko kr ks ku kv kw ky la lb lg li ln lo lt lu lv mg mh mi mk ml mn mr ms mt
my na nb nd ne ng nl nn no nr nv ny oc oj om or os pa pi pl ps pt qu rm rn ro ru
rw sa sc sd se sg si sk sl sm sn so sq sr ss st su sv sw ta te tg th ti tk tl tn
to tr ts tw ty ug uk ur uz ve vi vo wa wo xh yi yo za zh zu
""".split())

# Names for the languages an archive of European football mostly holds; the
# search filter shows these instead of bare codes.
LANGUAGE_NAMES = {
    "en": "English", "it": "Italiano", "es": "Español", "de": "Deutsch",
    "fr": "Français", "pt": "Português", "nl": "Nederlands", "tr": "Türkçe",
}


def suggest_language(code: str) -> str:
    match = difflib.get_close_matches(code.lower()[:2], sorted(LANGUAGE_CODES), n=1)
    example = f"did you mean '{match[0]}'? " if match else ""
    return example + "use a two-letter ISO 639-1 code such as en, it, es, de or fr"
