"""The demo built with ``language: it``: every word of the interface in Italian.

One build (with its search index) and one browser for the whole module.  The
demo's English stories say ``lang: en``, as a real Italian site's would, and
one story is added that is known only to the month and has no headline.
"""

from __future__ import annotations

import json
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from playwright.sync_api import sync_playwright

from panchina.catalogue import catalogue_path
from panchina.i18n import load_language
from panchina.model import PartialDate
from panchina.pipeline import Paths, build
from tests import netlify_server
from tests.conftest import ROOT
from tests.test_browser import CHROMIUM_ARGS
from tests.test_site_quality import AXE

ITALIAN_SETTINGS = """\
title: Panchina
base_url: https://panchina.netlify.app/
language: it
description: Ogni indiscrezione su un allenatore che cambia squadra, con la fonte che l'ha riportata.
"""
MONTH_ONLY_STORY = """\
---
coach: Carlo Ancelotti
clubs: [Napoli, Everton, Bayern Monaco]
date: 2019-05
source: Sky Sport
---
A fine stagione si parla di Ancelotti per tre panchine.
"""
# Attributes whose text a visitor reads or hears (a screen reader reads aria-label and title).
READ_ATTRIBUTES = ("aria-label", "placeholder", "title", "alt")


@pytest.fixture(scope="module")
def italian_demo(tmp_path_factory) -> Path:
    """The demo content with ``language: it``, its English stories marked ``lang: en``."""
    content = tmp_path_factory.mktemp("italian") / "content"
    shutil.copytree(ROOT / "content", content)
    (content / "site.yaml").write_text(ITALIAN_SETTINGS)
    for story in content.glob("stories/*/*.md"):
        text = story.read_text()
        if "\nlang:" not in text:
            story.write_text(text.replace("\ntitle:", "\nlang: en\ntitle:", 1))
    (content / "stories" / "2019" / "ancelotti-tre-panchine.md").write_text(MONTH_ONLY_STORY)
    return content


@pytest.fixture(scope="module")
def site(italian_demo) -> Path:
    output = italian_demo.parent / "output"
    build(Paths(content=italian_demo, output=output, templates=ROOT / "templates", static=ROOT / "static",
                cache=None))
    return output


@pytest.fixture(scope="module")
def pages(site) -> dict[str, str]:
    return {path.relative_to(site).as_posix(): path.read_text() for path in sorted(site.rglob("*.html"))
            if path.relative_to(site).parts[0] not in ("pagefind", "static")}


SHOWN_META = {"description", "og:title", "og:description", "og:site_name", "twitter:title", "twitter:description"}


class ReadText(HTMLParser):
    """The text a visitor reads in the site's language: text and read attributes outside other-language elements."""

    VOID = {"meta", "link", "input", "img", "br", "hr", "source", "area", "base", "col", "embed", "track", "wbr"}

    def __init__(self, language: str):
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, str]] = []  # (tag, language) of each open element
        self.language = language
        self.texts: list[str] = []

    def current(self) -> str:
        return self.stack[-1][1] if self.stack else self.language

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        language = values.get("lang") or self.current()
        if language == self.language:
            self.texts += [values[name] for name in READ_ATTRIBUTES if values.get(name)]
            if tag == "meta" and (values.get("name") or values.get("property")) in SHOWN_META:
                self.texts.append(values["content"])  # shown in search results and link previews
            if "data-messages" in values:
                self.texts += _strings(json.loads(values["data-messages"]))
            if "data-language-names" in values:
                self.texts += json.loads(values["data-language-names"]).values()
        if tag not in self.VOID:
            self.stack.append((tag, language))

    def handle_endtag(self, tag):
        while self.stack:
            if self.stack.pop()[0] == tag:
                break

    def handle_data(self, data):
        if self.stack and self.stack[-1][0] == "script":
            return  # JSON-LD: data for machines, in schema.org's vocabulary, not words a reader sees
        if self.current() == self.language and data.strip():
            self.texts.append(data)


def _strings(value) -> list[str]:
    if isinstance(value, dict):
        return [text for item in value.values() for text in _strings(item)]
    return [value] if isinstance(value, str) else []


def _words(text: str) -> set[str]:
    return {word.lower() for word in re.findall(r"[^\W\d_]+", re.sub(r"%\(\w+\)s|\{\w+\}", " ", text))}


def _catalogue_words(language: str) -> set[str]:
    with open(catalogue_path(language), "rb") as handle:
        catalog = read_po(handle, locale=language)
    words: set[str] = set()
    for message in catalog:
        if message.id:
            for text in message.string if isinstance(message.string, tuple) else (message.string,):
                words |= _words(text)
    return words


def english_interface_words() -> set[str]:
    """The words of the English interface that are not also Italian (the Italian catalogue uses ``club``, ``a``)."""
    # Minus the pieces that placeholders leave of a possessive and an ordinal ("%(club)s's",
    # "%(num)srd"): they are not words, and "s" alone turns up in any text.
    return _catalogue_words("en") - _catalogue_words("it") - {"s", "st", "nd", "rd", "th"}


def english_words_shown(html: str, foreign_titles: list[str]) -> set[str]:
    """English interface words an Italian reader of this page would see or hear.

    Text marked with another language is the content's own (an English
    story's body and headline); so are the headlines that ``<title>`` and the
    description repeat, which no element can mark.
    """
    reader = ReadText("it")
    reader.feed(html)
    text = "\n".join(reader.texts)
    for title in foreign_titles:
        text = text.replace(title, " ")
    return _words(text) & english_interface_words()


@pytest.fixture(scope="module")
def foreign_titles(italian_demo) -> list[str]:
    titles = []
    for story in italian_demo.glob("stories/*/*.md"):
        text = story.read_text()
        if "\nlang: en\n" in text:
            titles.append(re.search(r"^title: (.*)$", text, re.M).group(1))
    return titles


def test_no_english_interface_word_is_left_on_any_page(pages, foreign_titles):
    assert len(pages) > 15
    left = {path: sorted(words) for path, html in pages.items() if (words := english_words_shown(html, foreign_titles))}
    assert left == {}


def test_the_english_word_check_finds_an_untranslated_label_and_spares_english_content():
    html = ('<html lang="it"><head><title>Rumours · Panchina</title></head><body>'
            '<a href="#main">Skip to content</a><input placeholder="Cerca indiscrezioni">'
            '<p lang="en">Every rumour about him</p><p>Tutte le indiscrezioni</p></body></html>')
    assert english_words_shown(html, []) == {"skip", "to", "content", "rumours"}
    assert english_words_shown(html.replace("Skip to content", "Vai al contenuto"), ["Rumours"]) == set()


def test_every_page_says_it_is_in_italian(pages):
    assert {re.search(r'<html lang="([^"]*)"', html).group(1) for html in pages.values()} == {"it"}


def test_counts_take_the_italian_plural(pages):
    allegri = pages["coaches/massimiliano-allegri/index.html"]
    assert '2026 <span class="count">2 indiscrezioni</span>' in allegri
    assert '2021 <span class="count">1 indiscrezione</span>' in allegri
    assert "4 indiscrezioni, dalla prima (<time" in allegri
    assert "2 fonti, ciascuna con il numero di indiscrezioni che ha riportato." in pages["sources/index.html"]
    assert "4 allenatori, ciascuno con il numero di indiscrezioni che lo citano." in pages["coaches/index.html"]
    # The chart's text alternative counts in words too: one rumour came true, not "1 avverate".
    assert "Indiscrezioni per data: 1 avverata, 1 non avverata, 2 ancora aperte." in allegri
    italian = load_language("it")
    assert [italian.ngettext("%(num)s rumour", "%(num)s rumours", n) for n in (0, 1, 2, 2000)] == \
        ["0 indiscrezioni", "1 indiscrezione", "2 indiscrezioni", "2.000 indiscrezioni"]


def test_dates_are_written_in_italian_as_precisely_as_they_are_known(pages):
    assert '<time datetime="2026-03-04">4 marzo 2026</time>' in pages["index.html"]
    assert '<time datetime="2019-05">maggio 2019</time>' in pages["index.html"]
    assert '<time datetime="2019">2019</time>' in pages["index.html"]
    italian = load_language("it")
    assert [italian.date(PartialDate(*parts)) for parts in ((2026, 3, 4), (2019, 5), (2019,))] == \
        ["4 marzo 2026", "maggio 2019", "2019"]


def test_the_default_headline_and_lists_of_names_are_italian(pages):
    story = pages["stories/2019/ancelotti-tre-panchine/index.html"]
    assert ">Carlo Ancelotti accostato a Napoli, Everton e Bayern Monaco</h1>" in story
    assert "Fonte: <a" in story


def test_a_story_in_english_is_marked_in_listings_and_on_its_page(pages):
    home = pages["index.html"]
    assert '<a class="story-link" href="/stories/2026/klopp-resta-in-red-bull/" lang="en">' in home
    assert '<a class="story-link" href="/stories/2026/real-madrid-valutano-allegri/">' in home
    klopp = pages["stories/2026/klopp-resta-in-red-bull/index.html"]
    assert '<article class="story" lang="en" data-pagefind-body>' in klopp
    assert '<p class="story-meta" lang="it"' in klopp  # "Fonte: …" is the site's Italian, inside the English story


def test_the_404_page_is_italian(pages):
    assert "<h1>Pagina non trovata</h1>" in pages["404.html"]


@pytest.fixture(scope="module")
def browser_page(site, chromium_path):
    server, base = netlify_server.start(site)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1200, "height": 900})
        page.problems = []
        page.on("pageerror", lambda error: page.problems.append(f"pageerror: {error}"))
        page.base = base
        yield page
        browser.close()
    server.shutdown()


def test_searching_an_english_word_on_the_italian_site_finds_the_english_story(browser_page):
    page = browser_page
    page.goto(page.base + "/search/?q=sounded")
    page.wait_for_selector(".search-result")
    assert page.locator(".search-result a.result-title").all_inner_texts() == [
        "Klopp, once sounded out by Real Madrid, stays with Red Bull"]
    assert page.locator("#search-status").inner_text() == "1 indiscrezione trovata."
    languages = page.locator("#search-filters fieldset", has_text="Lingua").inner_text()
    assert languages.split("\n")[1:] == ["Inglese", "1"]
    assert page.problems == []


def test_italian_pages_with_english_stories_have_no_accessibility_violations(browser_page):
    found = {}
    context = browser_page.context.browser.new_context(bypass_csp=True)  # axe is injected as an inline script
    page = context.new_page()
    for path in ("/", "/stories/2026/klopp-resta-in-red-bull/", "/coaches/massimiliano-allegri/", "/search/?q=Allegri"):
        page.goto(browser_page.base + path)
        page.add_script_tag(path=str(AXE))
        violations = page.evaluate("axe.run(document, {resultTypes: ['violations']})")["violations"]
        if violations:
            found[path] = [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in violations]
    context.close()
    assert found == {}


def test_feed_titles_and_categories_are_italian(site):
    import feedparser

    feeds = sorted(site.rglob("feed.xml"))
    assert len(feeds) > 5
    for path in feeds:
        feed = feedparser.parse(path.read_bytes())
        assert not feed.bozo, path
        assert not _words(feed.feed.title) & english_interface_words(), (path, feed.feed.title)
    assert feedparser.parse((site / "feed.xml").read_bytes()).feed.title.endswith("le ultime indiscrezioni")
