"""The search page a reader uses, in real Chromium, on a phone and a desktop.

Against the demo site and the 2,000-story corpus of ``benchmarks/corpus.py``
(222 coaches, 132 clubs: conftest's ``corpus_2000``, built once for the
whole session and shared with the site checks), each with its search
index.  Screenshots of the search page at 390×844 and 1280×800, light
and dark, with results and with the filters open, are saved under
``tests/artifacts/`` (not committed) to be looked at.
"""

from __future__ import annotations

import json
import re

import pytest
from playwright.sync_api import expect, sync_playwright

from panchina.pipeline import Paths, build
from tests import netlify_server
from tests.conftest import ROOT
from tests.test_browser import CHROMIUM_ARGS

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = ROOT / "tests" / "artifacts"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}
QUERY = "Klopp"  # a surname the corpus gives to several coaches


def serve_built(content, output):
    build(Paths(content=content, output=output, templates=ROOT / "templates", static=ROOT / "static", cache=None))
    return netlify_server.start(output)


@pytest.fixture(scope="module")
def big_site(corpus_2000):
    """The generated corpus with its search index, served like Netlify serves it."""
    server, base = netlify_server.start(corpus_2000)
    yield base
    server.shutdown()


@pytest.fixture(scope="module")
def demo_output(tmp_path_factory):
    output = tmp_path_factory.mktemp("demo") / "output"
    server, base = serve_built(ROOT / "content", output)
    yield output, base
    server.shutdown()


@pytest.fixture(scope="module")
def browser(chromium_path):
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(params=["demo", "corpus-2000"])
def either_site(request):
    """The base address of the demo site, then of the 2,000-story corpus: the tests issue 10 asks for on both."""
    if request.param == "demo":
        return request.getfixturevalue("demo_output")[1]
    return request.getfixturevalue("big_site")


@pytest.fixture
def open_page(browser):
    """A page factory: ``open_page(url, viewport)``, with console errors collected."""
    contexts = []

    def open_page(url, viewport=DESKTOP, bypass_csp=False):
        context = browser.new_context(viewport=viewport, bypass_csp=bypass_csp,
                                      is_mobile=viewport is PHONE, has_touch=viewport is PHONE)
        contexts.append(context)
        page = context.new_page()
        page.problems = []
        page.on("console", lambda message: message.type in ("error", "warning") and page.problems.append(
            f"{message.type}: {message.text}"))
        page.on("pageerror", lambda error: page.problems.append(f"pageerror: {error}"))
        page.goto(url)
        return page

    yield open_page
    for context in contexts:
        context.close()


def results_ready(page):
    """Wait until the search has answered: results listed and the status line counting them."""
    expect(page.locator("#search-status")).to_have_text(re.compile(r"^\d[\d,]* (story|stories) found"))
    expect(page.locator("#search-results-wrap")).not_to_have_attribute("aria-busy", "true")


def result_count(page) -> int:
    return int(re.match(r"[\d,]+", page.inner_text("#search-status")).group().replace(",", ""))


def axe_in_both_schemes(page) -> dict:
    """axe-core's violations in light and in dark, by scheme (axe is injected: the page needs bypass_csp)."""
    page.add_script_tag(path=str(AXE))
    found = {}
    for scheme in ("light", "dark"):
        page.emulate_media(color_scheme=scheme)
        results = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
        if results["violations"]:
            found[scheme] = [(v["id"], v["help"], [n["target"] for n in v["nodes"]][:3])
                             for v in results["violations"]]
    return found


def contrast(first: str, second: str) -> float:
    """WCAG contrast ratio of two computed CSS colours, rgb(r, g, b)."""
    def luminance(colour):
        channels = [int(part) / 255 for part in re.findall(r"\d+", colour)[:3]]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
    light, dark = sorted((luminance(first), luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def screenshots(page, name):
    """The viewport in light and in dark, as tests/artifacts/search-<name>-<scheme>.png."""
    ARTIFACTS.mkdir(exist_ok=True)
    for scheme in ("light", "dark"):
        page.emulate_media(color_scheme=scheme)
        page.screenshot(path=ARTIFACTS / f"search-{name}-{scheme}.png")
    page.emulate_media(color_scheme="light")


def test_on_a_phone_the_query_box_is_wide_the_results_come_first_and_the_filters_open_in_a_panel(
        open_page, big_site):
    page = open_page(f"{big_site}/search/?q={QUERY}", PHONE, bypass_csp=True)
    results_ready(page)
    assert page.locator("#search-q").bounding_box()["width"] >= 250
    bottom = page.locator(".search-result").first.evaluate("e => e.getBoundingClientRect().bottom + window.scrollY")
    assert bottom <= PHONE["height"], "the first result is below the first screen"
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
    expect(page.locator("#search-filters")).to_be_hidden()
    screenshots(page, "phone-results")
    toggle = page.locator("#search-filters-toggle")
    toggle.click()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    expect(page.locator("#search-filters fieldset[data-filter=coach]")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
    screenshots(page, "phone-filters")
    assert axe_in_both_schemes(page) == {}
    page.locator("#search-filters-close").click()
    expect(page.locator("#search-filters")).to_be_hidden()
    expect(toggle).to_be_focused()
    assert page.problems == []


def test_on_a_desktop_the_filters_sit_beside_the_results(open_page, big_site):
    page = open_page(f"{big_site}/search/?q={QUERY}", DESKTOP, bypass_csp=True)
    results_ready(page)
    filters = page.locator("#search-filters").bounding_box()
    results = page.locator("#search-results").bounding_box()
    assert filters["x"] + filters["width"] <= results["x"], "the filters are not beside the results"
    assert results["y"] < DESKTOP["height"] / 2
    assert gap_above_results(page) < 120
    expect(page.locator("#search-filters-toggle")).to_be_hidden()
    for scheme in ("light", "dark"):  # a control's edge needs 3:1 against the page (WCAG 1.4.11)
        page.emulate_media(color_scheme=scheme)
        border, background = page.evaluate("""[getComputedStyle(document.getElementById('search-q')).borderTopColor,
                                               getComputedStyle(document.body).backgroundColor]""")
        assert contrast(border, background) >= 3, (scheme, border, background)
    screenshots(page, "desktop-results")
    page.locator("fieldset[data-filter=club] .filter-more").click()
    coaches = page.locator("fieldset[data-filter=coach]")
    coaches.locator(".filter-find").fill(coaches.locator("li:visible .value-name").first.inner_text()[:3])
    coaches.locator("li:visible input").first.check()
    results_ready(page)
    screenshots(page, "desktop-filters")
    assert axe_in_both_schemes(page) == {}
    assert page.problems == []


def gap_above_results(page) -> float:
    """From the query box's foot to the count of results: nothing but the chips and the toolbar."""
    box = page.locator("#search-q").bounding_box()
    return page.locator("#search-status").bounding_box()["y"] - (box["y"] + box["height"])


def test_one_result_sits_under_the_count_however_tall_the_filters_are(open_page, demo_output):
    """The reader review saw one result 250 px below its count, beside a taller filter column."""
    _, base = demo_output
    page = open_page(f"{base}/search/?q=Klopp", DESKTOP)
    results_ready(page)
    assert page.locator("#search-filters").bounding_box()["height"] > 400
    assert gap_above_results(page) < 120


def test_a_coach_found_by_typing_three_letters_filters_and_its_chip_removes_the_filter(open_page, big_site):
    page = open_page(f"{big_site}/search/?q=club")
    results_ready(page)
    everything = result_count(page)
    coaches = page.locator("fieldset[data-filter=coach]")
    # Sorted by count, top few only: the long tail waits behind "show all" or the box.
    visible = coaches.locator("li:visible")
    assert visible.count() == 5
    counts = [int(text.replace(",", "")) for text in coaches.locator("li:visible .count").all_inner_texts()]
    assert counts == sorted(counts, reverse=True)
    coaches.locator(".filter-more").click()
    shown = coaches.locator("li:visible .value-name").all_inner_texts()
    assert len(shown) > 20
    # All of them, in a box of their own: the filter column does not grow by thousands of pixels.
    assert coaches.bounding_box()["height"] < 600
    wanted = shown[-1]  # the fewest results: far from the top few
    coaches.locator(".filter-more").click()
    coaches.locator(".filter-find").fill(wanted.split()[-1][:3])
    assert 0 < visible.count() < 20
    choice = coaches.locator("li:visible label", has_text=wanted)
    name = choice.locator(".value-name").inner_text()
    assert name == wanted
    choice.locator("input").check()
    results_ready(page)
    chip = page.locator("#search-chip-list .chip")
    expect(chip).to_have_count(1)
    assert chip.inner_text().startswith(f"Coach: {name}")
    filtered = result_count(page)
    assert 0 < filtered < everything
    facts = page.locator(".search-result .result-coach").all_inner_texts()
    assert facts and set(facts) == {name}
    assert "coach=" in page.url
    # Counted as facets: the other coaches stay choosable, to see two coaches' stories at once.
    coaches.locator(".filter-find").fill("")
    assert coaches.locator("li:visible input:enabled:not(:checked)").count() >= 4
    chip.click()
    results_ready(page)
    expect(chip).to_have_count(0)
    assert result_count(page) == everything
    assert "coach=" not in page.url
    assert page.problems == []


def test_a_value_with_no_results_cannot_be_chosen(open_page, big_site):
    page = open_page(f"{big_site}/search/?q={QUERY}")
    results_ready(page)
    clubs = page.locator("fieldset[data-filter=club]")
    clubs.locator(".filter-more").click()
    empty = clubs.locator("li").filter(has=page.locator(".count", has_text=re.compile(r"^0$")))
    assert empty.count() > 0, "every club has a Klopp story: the test shows nothing"
    for index in range(empty.count()):
        expect(empty.nth(index)).to_be_hidden()
        expect(empty.nth(index).locator("input")).to_be_disabled()
    shown = clubs.locator("li:visible .count").all_inner_texts()
    assert shown and "0" not in shown


def test_ticking_a_filter_with_the_keyboard_keeps_the_focus_on_it(open_page, big_site):
    page = open_page(f"{big_site}/search/?q={QUERY}")
    results_ready(page)
    before = page.inner_text("#search-status")
    box = page.locator("fieldset[data-filter=year] li:visible input").first
    box.focus()
    page.keyboard.press("Space")
    expect(page.locator("#search-status")).not_to_have_text(before)
    results_ready(page)
    expect(box).to_be_checked()
    expect(box).to_be_focused()
    assert page.evaluate("document.activeElement.name") == "year"
    page.locator("#search-clear").press("Enter")
    expect(page.locator("#search-status")).to_have_text(before)
    expect(page.locator("#search-chips")).to_be_hidden()
    expect(page.locator("#search-q")).to_be_focused()


def test_a_result_shows_the_date_as_the_site_writes_it_coach_clubs_source_and_an_excerpt(open_page, demo_output):
    _, base = demo_output
    page = open_page(f"{base}/search/?q=Klopp")
    results_ready(page)
    result = page.locator(".search-result", has_text="stays with Red Bull")
    assert result.locator("time").inner_text() == "March 4, 2026"
    assert result.locator(".result-coach").inner_text() == "Jürgen Klopp"
    assert result.locator(".result-clubs").inner_text() == "Real Madrid"
    assert result.locator(".result-source").inner_text() == "via Corriere dello Sport"
    title = result.locator(".result-title").inner_text()
    assert not result.locator(".result-excerpt").inner_text().startswith(title[:20])
    assert result.locator(".result-status").inner_text() == "rumour"
    assert result.locator(".result-outcome").inner_text() == "open"
    # A story naming two clubs says what came of each (the reader review found no outcome at all).
    page = open_page(f"{base}/search/?q=Allegri")
    results_ready(page)
    second = page.locator(".search-result", has_text="Real Madrid try again for Allegri")
    assert second.locator(".result-outcome").inner_text() == "Real Madrid: did not happen; Juventus: came true"
    assert page.problems == []


def test_every_result_on_a_large_archive_shows_its_date_coach_clubs_and_source(open_page, big_site):
    page = open_page(f"{big_site}/search/?q={QUERY}", PHONE)
    results_ready(page)
    results = page.locator(".search-result")
    assert results.count() >= 5
    for index in range(results.count()):
        result = results.nth(index)
        assert re.fullmatch(r"(\w+ )?(\d{1,2}, )?\d{4}", result.locator("time").inner_text()), "not the site's date"
        assert QUERY in result.locator(".result-coach").inner_text()
        assert result.locator(".result-clubs").inner_text().strip()
        assert result.locator(".result-source").inner_text().startswith("via ")
    assert page.problems == []


def test_arriving_with_a_query_puts_the_focus_on_the_count_of_results(open_page, demo_output):
    _, base = demo_output
    page = open_page(f"{base}/search/?q=Allegri")
    results_ready(page)
    expect(page.locator("#search-status")).to_be_focused()
    page = open_page(f"{base}/search/")
    expect(page.locator("#search-q")).to_be_focused()
    expect(page.locator("#search-status")).to_have_text("Type a coach, a club or any word, or pick a filter.")


def test_while_the_index_loads_the_page_says_so_and_the_count_is_announced(browser, demo_output):
    _, base = demo_output
    context = browser.new_context()
    page = context.new_page()
    held = []
    page.route("**/pagefind.js", lambda route: held.append(route))  # in any bundle's folder
    page.goto(f"{base}/search/?q=Allegri")
    expect(page.locator("#search-status")).to_have_text("Loading the search…")
    expect(page.locator("#search-results-wrap")).to_have_attribute("aria-busy", "true")
    expect(page.locator("#search-status")).to_have_attribute("aria-live", "polite")
    for _ in range(400):  # the module import that the route holds (20 s at most, never forever)
        if held:
            break
        page.wait_for_timeout(50)
    assert held, "the search page never asked for pagefind.js"
    held[0].continue_()
    results_ready(page)
    context.close()


def test_an_empty_result_suggests_what_to_try(open_page, demo_output):
    _, base = demo_output
    page = open_page(f"{base}/search/?q=zzyzx")
    expect(page.locator("#search-status")).to_have_text(
        "0 stories found. Check the spelling, or try the name of a coach, a club or a source.")


def test_the_back_button_restores_the_previous_search(open_page, either_site):
    base = either_site
    page = open_page(f"{base}/search/?q=Allegri")
    results_ready(page)
    allegri = page.locator(".search-result .result-title").all_inner_texts()
    page.fill("#search-q", "Klopp")
    page.press("#search-q", "Enter")
    page.wait_for_url("**/search/?q=Klopp")
    results_ready(page)
    assert page.locator(".search-result .result-title").all_inner_texts() != allegri
    page.go_back()
    page.wait_for_url("**/search/?q=Allegri")
    expect(page.locator("#search-q")).to_have_value("Allegri")
    results_ready(page)
    assert page.locator(".search-result .result-title").all_inner_texts() == allegri
    assert page.problems == []


def test_coaches_are_listed_by_surname(open_page, big_site):
    page = open_page(f"{big_site}/coaches/")
    a_names = page.locator("#letter-a li a").all_inner_texts()
    assert "Rúben Allegri" in a_names and "Łukasz Allegri" in a_names
    surnames = [next(word for word in reversed(name.split()) if word.isalpha()) for name in a_names]
    assert {surname[0] for surname in surnames} <= {"A", "Á"}, surnames
    assert "Rúben Allegri" not in page.locator("#letter-r").inner_text()


def test_the_search_page_works_with_the_messages_it_is_given(demo_output):
    """Every word search.js shows comes from the page's data-messages, in the site's language."""
    output, _ = demo_output
    html = (output / "search" / "index.html").read_text(encoding="utf-8")
    messages = json.loads(re.search(r'data-messages="([^"]*)"', html).group(1).replace("&#34;", '"')
                          .replace("&quot;", '"').replace("&amp;", "&").replace("&#39;", "'"))
    script = (ROOT / "static" / "search.js").read_text(encoding="utf-8")
    used = set(re.findall(r"messages\.(\w+)", script))
    assert used <= set(messages), used - set(messages)
