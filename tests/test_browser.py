"""The built demo site in real headless Chromium, under netlify.toml's headers."""

from __future__ import annotations

import json
import shutil

import pytest
from playwright.sync_api import expect, sync_playwright

from panchina.pipeline import Paths, build
from tests import netlify_server
from tests.conftest import ROOT

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
PAGES_OF_EVERY_KIND = [
    "/", "/stories/2026/real-madrid-valutano-allegri/", "/coaches/", "/coaches/massimiliano-allegri/",
    "/clubs/", "/clubs/real-madrid/", "/sources/", "/sources/corriere-dello-sport/", "/search/?q=Allegri",
    "/no-such-page/", "/coaches/massimiliano-allegri/real-madrid/", "/sources/by-hit-rate/",
]


@pytest.fixture(scope="module")
def demo_site(tmp_path_factory):
    """The demo content built with its search index and served like Netlify serves it."""
    output = tmp_path_factory.mktemp("demo") / "output"
    build(Paths(content=ROOT / "content", output=output, templates=ROOT / "templates", static=ROOT / "static",
                cache=None))
    server, base = netlify_server.start(output)
    yield base
    server.shutdown()
    shutil.rmtree(output, ignore_errors=True)


@pytest.fixture(scope="module")
def browser(chromium_path):
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    page = context.new_page()
    page.problems = []
    page.on("console", lambda message: message.type in ("error", "warning") and page.problems.append(
        f"{message.type}: {message.text}"))
    page.on("pageerror", lambda error: page.problems.append(f"pageerror: {error}"))
    yield page
    context.close()


def result_titles(page) -> list[str]:
    return page.locator(".search-result a.result-title").all_inner_texts()


def test_searching_allegri_from_the_header_lists_the_real_madrid_story(page, demo_site):
    page.goto(demo_site + "/coaches/")  # the home and search pages have their own search box instead
    page.fill("#header-q", "Allegri")
    page.press("#header-q", "Enter")
    page.wait_for_url("**/search/?q=Allegri")
    page.wait_for_selector(".search-result")
    assert "Il Real Madrid pensa ad Allegri per la prossima stagione" in result_titles(page)
    assert page.problems == []


def test_the_club_filter_narrows_the_results(page, demo_site):
    page.goto(demo_site + "/search/?q=Allegri")
    page.wait_for_selector(".search-result")
    everything = result_titles(page)
    milan = page.locator("#search-filters label", has_text="Milan")
    assert milan.locator(".count").inner_text() == "1"
    milan.locator("input").check()
    # A locator's wait, not wait_for_function: polling a string predicate evaluates it in the page,
    # which the site's Content-Security-Policy (no 'unsafe-eval') refuses whenever the first look fails.
    expect(page.locator(".search-result")).to_have_count(1)
    assert result_titles(page) == ["Dubbi sul futuro di Allegri al Milan"]
    assert len(everything) > 1
    assert "club=Milan" in page.url
    assert page.problems == []


def test_a_query_in_the_address_shows_results_on_load(page, demo_site):
    page.goto(demo_site + "/search/?q=Klopp")
    page.wait_for_selector(".search-result")
    assert "Klopp, once sounded out by Real Madrid, stays with Red Bull" in result_titles(page)
    assert page.input_value("#search-q") == "Klopp"
    assert page.problems == []


def test_results_are_newest_first_by_default(page, demo_site):
    page.goto(demo_site + "/search/?q=Madrid")
    page.wait_for_selector(".search-result")
    dates = page.locator(".search-result time").evaluate_all("els => els.map(e => e.dateTime)")
    assert len(dates) >= 3
    assert dates == sorted(dates, reverse=True)


def test_one_search_finds_stories_in_every_language(page, demo_site):
    page.goto(demo_site + "/search/?q=Allegri")
    page.wait_for_selector(".search-result")
    languages = page.locator("#search-filters fieldset", has_text="Language").inner_text()
    assert "English" in languages and "Italian" in languages


@pytest.mark.parametrize("path", PAGES_OF_EVERY_KIND)
def test_every_kind_of_page_loads_with_no_console_errors(page, demo_site, path):
    response = page.goto(demo_site + path)
    assert response.status == (404 if path == "/no-such-page/" else 200)
    assert "script-src 'self' 'wasm-unsafe-eval'" in response.headers["content-security-policy"]
    page.wait_for_load_state("networkidle")
    if path.startswith("/search/"):
        page.wait_for_selector(".search-result")
    # Chromium logs the 404 status of the missing page itself; nothing else may appear.
    expected = ["error: Failed to load resource: the server responded with a status of 404 (Not Found)"] \
        if path == "/no-such-page/" else []
    assert page.problems == expected


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_pages_fit_a_phone_in_light_and_dark(browser, demo_site, scheme):
    context = browser.new_context(viewport={"width": 360, "height": 740}, color_scheme=scheme, is_mobile=True)
    page = context.new_page()
    backgrounds = set()
    for path in ("/", "/coaches/massimiliano-allegri/", "/search/?q=Allegri",
                 "/coaches/massimiliano-allegri/real-madrid/", "/sources/corriere-dello-sport/"):
        page.goto(demo_site + path)
        page.wait_for_load_state("networkidle")
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{path} scrolls sideways by {overflow}px on a phone"
        backgrounds.add(page.evaluate("getComputedStyle(document.body).backgroundColor"))
    context.close()
    assert backgrounds == ({"rgb(251, 250, 247)"} if scheme == "light" else {"rgb(21, 22, 26)"})


def test_hostile_titles_and_names_stay_text_in_search_results(browser, project):
    evil = '<img src=x onerror="window.pwned=1">"</script><script>window.pwned=2</script>'
    project.story("2026/evil.md", coach='"Evil Coach"', clubs='["Club <b>X</b>"]',
                  extra=f"title: {json.dumps('Zanzibar ' + evil)}",
                  body="Zanzibar body <script>window.pwned=3</script><img src=x onerror=\"window.pwned=4\">")
    assert project.run().returncode == 0
    server, base = netlify_server.start(project.output)
    try:
        page = browser.new_page()
        dialogs = []
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        page.goto(base + "/search/?q=Zanzibar")
        page.wait_for_selector(".search-result")
        assert result_titles(page) == ["Zanzibar " + evil]
        assert page.locator("#search-filters label", has_text="Club <b>X</b>").count() == 1
        assert page.evaluate("window.pwned") is None
        page.goto(base + "/stories/2026/evil/")
        assert page.locator("h1").inner_text() == "Zanzibar " + evil
        assert page.evaluate("window.pwned") is None
        assert dialogs == []
        page.close()
    finally:
        server.shutdown()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_chart_words_take_the_page_colour_and_outcomes_their_own_in_light_and_dark(browser, demo_site, scheme):
    """Issue 9: the inline SVG follows the colour scheme, so its year labels stay legible in dark mode."""
    context = browser.new_context(color_scheme=scheme)
    page = context.new_page()
    page.goto(demo_site + "/coaches/massimiliano-allegri/")
    colours = page.evaluate("""() => ({
        text: getComputedStyle(document.querySelector('.chart-axis text')).fill,
        body: getComputedStyle(document.body).color,
        open: getComputedStyle(document.querySelector('path.outcome-open')).fill,
        failed: getComputedStyle(document.querySelector('path.outcome-did_not_happen')).fill})""")
    context.close()
    assert colours["text"] == colours["body"]
    assert colours["body"] == ("rgb(29, 29, 31)" if scheme == "light" else "rgb(236, 236, 239)")
    assert colours["failed"] == ("rgb(180, 35, 24)" if scheme == "light" else "rgb(255, 138, 128)")
    assert colours["open"] != colours["failed"]


def test_chart_words_are_legible_on_a_phone_and_stay_inside_the_chart(browser, demo_site):
    """Drawn near the size it is shown at, a chart's labels are not shrunk below 9 px on a 390 px phone,
    and a spell that began lately has its name end at its bar's end instead of running off the edge."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    page = context.new_page()
    for path in ("/coaches/massimiliano-allegri/", "/clubs/real-madrid/", "/sources/corriere-dello-sport/"):
        page.goto(demo_site + path)
        found = page.evaluate("""() => [...document.querySelectorAll('svg.chart-svg text')].map(text => {
            const box = text.getBoundingClientRect(), svg = text.ownerSVGElement.getBoundingClientRect();
            return {text: text.textContent, height: box.height, left: box.left - svg.left,
                    right: svg.right - box.right};
        })""")
        assert found, path
        for label in found:
            assert label["height"] >= 9, (path, label)
            assert label["left"] >= 0 and label["right"] >= 0, (path, label)
    context.close()
