"""The real Pagefind binary indexes story pages only, with our filters, in bundles by date.

One small corpus, built once, spans four bundles (with bundles of at most
two pages); Chromium searches it under netlify.toml's headers.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from playwright.sync_api import expect, sync_playwright

from panchina import search
from panchina.pipeline import Paths, build
from panchina.search import IndexedPage, group_into_bundles
from tests import netlify_server
from tests.conftest import ROOT, TODAY, story_text
from tests.test_browser import CHROMIUM_ARGS

# (file, date, language, club, a word of the body in that language): four bundles of at most two.
STORIES = [
    ("2018/a.md", "2018-05-01", "en", "Milan", "manager"),
    ("2019/b.md", "2019", "it", "Juventus", "allenatore"),
    ("2021/c.md", "2021-02-03", "de", "Milan", "Trainer"),
    ("2021/d.md", "2021-07", "en", "Roma", "manager"),
    ("2024/e.md", "2024-01-10", "it", "Milan", "allenatore"),
    ("2025/f.md", "2025-06-06", "es", "Napoli", "entrenador"),
    ("2026/g.md", "2026-03-04", "en", "Juventus", "Train"),
]
NEWEST_FIRST = sorted((date for _, date, *_ in STORIES), reverse=True)


def write_corpus(content: Path) -> None:
    for name, date, lang, club, word in STORIES:
        path = content / "stories" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(story_text(clubs=f"[{club}]", date=date, extra=f"lang: {lang}\ntitle: Allegri {date}",
                                   body=f"Allegri {word} {club}."), encoding="utf-8")


def paths(root: Path, output: str = "output", cache: str | None = ".cache") -> Paths:
    return Paths(content=root / "content", output=root / output, templates=ROOT / "templates",
                 static=ROOT / "static", cache=root / cache if cache else None)


@pytest.fixture(scope="module")
def small_bundles():
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(search, "BUNDLE_PAGES", 2)
        yield


@pytest.fixture(scope="module")
def site(tmp_path_factory, small_bundles) -> Path:
    """The corpus, built once with its search index and a cache."""
    root = tmp_path_factory.mktemp("bundles")
    write_corpus(root / "content")
    build(paths(root), today=TODAY)
    return root


def bundle_list(output: Path) -> list[dict]:
    return json.loads((output / "pagefind" / "bundles.json").read_text())["bundles"]


def data_files(bundle: Path) -> dict[str, tuple[bytes, int]]:
    """A bundle's index files (not Pagefind's code): bytes and inode."""
    return {path.relative_to(bundle).as_posix(): (path.read_bytes(), path.stat().st_ino)
            for path in sorted(bundle.rglob("*")) if path.is_file() and search.DATA_FILES.match(
                path.relative_to(bundle).as_posix())}


def test_stories_are_indexed_in_bundles_of_consecutive_years(site):
    bundles = bundle_list(site / "output")
    assert [(b["first"], b["last"]) for b in bundles] == [
        ("2018-05-01", "2019"), ("2021-02-03", "2021-07"), ("2024-01-10", "2025-06-06"), ("2026-03-04", "2026-03-04")]
    assert [b["folder"].rsplit("-", 1)[0] for b in bundles] == ["2018-2019", "2021", "2024-2025", "2026"]
    pages = 0
    for bundle in bundles:
        entry = json.loads((site / "output/pagefind" / bundle["folder"] / "pagefind-entry.json").read_text())
        assert list(entry["languages"]) == ["en"]  # one index for every language
        pages += entry["languages"]["en"]["page_count"]
    assert pages == len(STORIES)  # home, timelines and indexes are not results
    # The cache keeps exactly these bundles, for a build from a fresh clone.
    assert sorted(os.listdir(site / ".cache/pagefind")) == sorted(b["folder"] for b in bundles)


def test_a_new_story_reindexes_only_its_bundle_and_the_others_keep_their_bytes(tmp_path, small_bundles):
    write_corpus(tmp_path / "content")
    build(paths(tmp_path), today=TODAY)
    before = {b["folder"]: data_files(tmp_path / "output/pagefind" / b["folder"]) for b in bundle_list(
        tmp_path / "output")}
    (tmp_path / "content/stories/2026/h.md").write_text(story_text(date="2026-05-05", body="Allegri again."))
    build(paths(tmp_path), today=TODAY)
    after = {b["folder"]: data_files(tmp_path / "output/pagefind" / b["folder"]) for b in bundle_list(
        tmp_path / "output")}
    kept = [folder for folder in before if folder in after]
    assert [folder.rsplit("-", 1)[0] for folder in kept] == ["2018-2019", "2021", "2024-2025"]
    for folder in kept:  # the same bytes, and the same files: linked, not indexed again
        assert after[folder] == before[folder]
    assert [folder.rsplit("-", 1)[0] for folder in after if folder not in before] == ["2026"]


def test_a_fresh_clone_with_the_cache_restored_reuses_the_bundles(tmp_path, site):
    clone = tmp_path / "clone"
    shutil.copytree(site / "content", clone / "content")  # new inodes and mtimes
    shutil.copytree(site / ".cache", clone / ".cache")
    kept = {b["folder"]: data_files(clone / ".cache/pagefind" / b["folder"]) for b in bundle_list(site / "output")}
    build(paths(clone), today=TODAY)
    assert {b["folder"]: data_files(clone / "output/pagefind" / b["folder"])
            for b in bundle_list(clone / "output")} == kept


def test_a_reused_bundle_never_publishes_code_from_the_cache(tmp_path, site):
    clone = tmp_path / "clone"
    shutil.copytree(site / "content", clone / "content")
    shutil.copytree(site / ".cache", clone / ".cache")
    for script in (clone / ".cache/pagefind").glob("*/pagefind.js"):
        script.write_text("alert('from a foreign cache')")
    build(paths(clone), today=TODAY)
    for bundle in bundle_list(clone / "output"):
        published = clone / "output/pagefind" / bundle["folder"] / "pagefind.js"
        assert published.read_bytes() == (site / "output/pagefind" / bundle["folder"] / "pagefind.js").read_bytes()


def page(path: str, date: str) -> IndexedPage:
    return IndexedPage(path, date, "digest")


def test_years_are_grouped_oldest_first_and_a_large_year_is_split_by_month():
    pages = [page("a", "2019"), page("b", "2020-01"), page("c", "2020-05-01"), page("d", "2021"),
             *(page(f"e{n}", f"2022-0{1 + n % 2}-0{1 + n}") for n in range(5)), page("f", "2022"), page("g", "")]
    bundles = group_into_bundles(pages, limit=3)
    assert [(b.name, [p.path for p in b.pages]) for b in bundles] == [
        ("2019-2020", ["a", "b", "c"]), ("2021", ["d"]),
        ("2022-00", ["f"]), ("2022-01", ["e0", "e2", "e4"]), ("2022-02", ["e1", "e3"]),
        ("undated", ["g"])]
    month = group_into_bundles([page(f"p{n}", "2023-04-01") for n in range(5)], limit=2)
    assert [b.name for b in month] == ["2023-04-1", "2023-04-2", "2023-04-3"]


# In Chromium: the bundles merged by static/search.js's loadIndex().

@pytest.fixture(scope="module")
def served(site):
    server, base = netlify_server.start(site / "output")
    yield base
    server.shutdown()


@pytest.fixture(scope="module")
def browser(chromium_path):
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def tab(browser):
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    tab = context.new_page()
    tab.problems = []
    tab.on("console", lambda message: message.type in ("error", "warning") and tab.problems.append(message.text))
    tab.on("pageerror", lambda error: tab.problems.append(str(error)))
    yield tab
    context.close()


def shown_dates(tab, count: int) -> list[str]:
    expect(tab.locator(".search-result")).to_have_count(count)
    return tab.locator(".search-result time").evaluate_all("els => els.map(e => e.dateTime)")


def test_a_deep_link_searches_every_bundle_newest_first_in_every_language(tab, served):
    tab.goto(served + "/search/?q=Allegri")
    assert shown_dates(tab, len(STORIES)) == NEWEST_FIRST
    languages = " ".join(tab.locator("#search-filters fieldset", has_text="Language").inner_text().split())
    for name in ("English 3", "Italian 2", "German 1", "Spanish 1"):
        assert name in languages
    assert tab.problems == []


def no_results_for(tab, value: str) -> bool:
    """A filter value that would give no results: its box disabled (and so hidden)."""
    return tab.locator("#search-filters label", has_text=value).locator("input").is_disabled()


def test_oldest_first_is_ordered_across_bundles(tab, served):
    tab.goto(served + "/search/?q=Allegri&sort=date:asc")
    assert shown_dates(tab, len(STORIES)) == NEWEST_FIRST[::-1]


def test_filter_counts_add_up_across_bundles(tab, served):
    tab.goto(served + "/search/?q=Allegri")
    tab.wait_for_selector(".search-result")
    milan = tab.locator("#search-filters label", has_text="Milan")
    assert milan.inner_text().split() == ["Milan", "3"]  # one story in each of three bundles
    milan.locator("input").check()
    assert shown_dates(tab, 3) == ["2024-01-10", "2021-02-03", "2018-05-01"]
    # Counts are faceted (a club ticked, the other clubs stay choosable: test_search_ui), so
    # another club's count is its number among all the stories of the query, across bundles.


def test_a_word_in_one_language_is_found_in_its_bundle(tab, served):
    tab.goto(served + "/search/?q=allenatore")
    assert shown_dates(tab, 2) == ["2024-01-10", "2019"]


def test_bundles_without_the_word_add_no_results_for_a_prefix_of_it(tab, served):
    # Pagefind alone would answer "Trainer" with "Train" from the 2026 bundle, which lacks the word.
    tab.goto(served + "/search/?q=Trainer")
    assert shown_dates(tab, 1) == ["2021-02-03"]
    assert tab.inner_text("#search-status") == "1 story found."
    assert no_results_for(tab, "Juventus")
    tab.fill("#search-q", "Trai")  # a word being typed: Pagefind's prefix matching, in every bundle
    tab.press("#search-q", "Enter")
    assert shown_dates(tab, 2) == ["2026-03-04", "2021-02-03"]
    assert tab.problems == []
