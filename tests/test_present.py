"""The presentation layer: words, dates and numbers in the interface language, and views as data."""

from __future__ import annotations

import pytest

from panchina.fingerprint import fingerprint
from panchina.i18n import load_language
from panchina.model import PartialDate, Story
from panchina.present import Presenter, Ref, language_name


def story(title=None, clubs=("Real Madrid",)):
    return Story(path="content/stories/2026/x.md", place=("2026", "x"), coach_name="Massimiliano Allegri",
                 club_names=clubs, date=PartialDate(2026, 3, 4), source_name="Corriere dello Sport",
                 source_url=None, title=title, lang="it", body_hash="h", body_line=7)


@pytest.mark.parametrize("code, day, month, year", [
    ("en", "March 4, 2026", "May 2019", "2019"),
    ("it", "4 marzo 2026", "maggio 2019", "2019"),
])
def test_dates_are_words_in_the_interface_language_as_precise_as_the_date(code, day, month, year):
    language = load_language(code)
    assert language.date(PartialDate(2026, 3, 4)) == day
    assert language.date(PartialDate(2019, 5)) == month
    assert language.date(PartialDate(2019)) == year


def test_numbers_have_the_languages_thousands_separator():
    assert load_language("en").number(2000) == "2,000"
    assert load_language("it").number(2000) == "2.000"


def test_plurals_come_from_the_catalogue():
    english = load_language("en")
    assert english.ngettext("%(num)s rumour", "%(num)s rumours", 1) == "1 rumour"
    assert english.ngettext("%(num)s rumour", "%(num)s rumours", 2000) == "2,000 rumours"


def test_the_default_headline_is_worded_in_the_presentation_layer():
    present = Presenter(load_language("en"))
    assert present.title(story()) == "Massimiliano Allegri linked with Real Madrid"
    assert present.title(story(clubs=("Real Madrid", "Juventus", "Milan"))) == \
        "Massimiliano Allegri linked with Real Madrid, Juventus, and Milan"
    assert present.title(story(title="Il Real pensa ad Allegri")) == "Il Real pensa ad Allegri"
    assert Presenter(load_language("it")).title(story(clubs=("Real Madrid", "Juventus", "Milan"))) == \
        "Massimiliano Allegri accostato a Real Madrid, Juventus e Milan"


def test_languages_are_named_in_their_own_language():
    assert [language_name(code) for code in ("it", "en", "es", "pt-BR")] == \
        ["Italiano", "English", "Español", "Português (Brasil)"]


def test_a_page_context_holds_data_and_views_only():
    assert fingerprint({"a": [Ref("Milan", "/clubs/milan/")]}) != fingerprint({"a": [Ref("Milan", "/clubs/milan-2/")]})
    with pytest.raises(TypeError, match="a page context may hold plain data and views only, not Story"):
        fingerprint({"story": story()})
