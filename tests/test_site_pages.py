"""The browsing pages a fan bookmarks: coaches A–Z by surname, the archive by date, year navigation."""

from __future__ import annotations

import dataclasses
import re

import pytest

from panchina.i18n import load_language
from panchina.model import PartialDate
from panchina.pages import Site, by_date, entity_index, saga, timeline
from panchina.pipeline import load
from panchina.present import Presenter
from tests.conftest import TODAY, built_pages, story_text


def headings_and_names(page: str) -> list[tuple[str, list[str]]]:
    """The A–Z headings of an index page, each with the names listed under it."""
    sections = re.findall(r'<h2 id="letter-[^"]*-heading">([^<]*)</h2>\s*<ul class="entity-list">(.*?)</ul>',
                          page, re.S)
    return [(letter, re.findall(r'<li><a href="[^"]*">([^<]*)</a>', names)) for letter, names in sections]


def test_coaches_are_listed_by_surname_and_sort_as_overrides_the_rule(project, monkeypatch):
    monkeypatch.setattr(entity_index, "HEADINGS_FROM", 0)
    for name in ("Massimiliano Allegri", "Xabi Alonso", "Erik ten Hag", "Park Hang-seo", "Jürgen Klopp 2"):
        project.story(f"2026/{name.split()[-1].lower()}.md", coach=f'"{name}"')
    project.write("content/coaches.yaml", "- name: Park Hang-seo\n  sort_as: Park Hang-seo\n")
    assert headings_and_names(built_pages(project)["coaches/index.html"]) == [
        ("A", ["Massimiliano Allegri", "Xabi Alonso"]),
        ("H", ["Erik ten Hag"]),
        ("K", ["Jürgen Klopp 2"]),
        ("P", ["Park Hang-seo"]),
    ]


def test_clubs_keep_their_name_order_and_a_short_index_has_no_letter_headings(project):
    for club in ("Real Madrid", "Juventus", "AC Milan"):
        project.story(f"2026/{club.split()[-1].lower()}.md", clubs=f"[{club}]")
    page = built_pages(project)["clubs/index.html"]
    assert re.findall(r'<li><a href="/clubs/[^"]*">([^<]*)</a>', page) == ["AC Milan", "Juventus", "Real Madrid"]
    assert "<h2" not in page.split("<main")[1] and "letter-nav" not in page


@pytest.fixture
def archive_pages(project, monkeypatch):
    monkeypatch.setattr(by_date, "PAGE_LIMIT", 3)
    dates = ["2026-03-04", "2026-03-01", "2026-01-10", "2026", "2024-05", "2024-05-02"]
    for index, when in enumerate(dates):
        project.story(f"{when[:4]}/s{index}.md", date=when, extra=f"title: Story {index}")
    return built_pages(project)


def titles(page: str) -> list[str]:
    return re.findall(r'<a class="story-link" href="[^"]*">([^<]*)</a>', page)


def test_the_archive_lists_the_years_with_their_counts(archive_pages):
    page = archive_pages["archive/index.html"]
    assert "<h1>All rumours</h1>" in page
    assert "6 rumours, newest first, year by year and month by month." in page
    years = re.findall(r'<a href="(/archive/\d+/)">(\d+) <span class="count">(\d+)', page)
    assert years == [("/archive/2026/", "2026", "4"), ("/archive/2024/", "2024", "2")]


def test_a_year_page_lists_its_months_newest_first_and_the_stories_known_only_to_the_year(archive_pages):
    page = archive_pages["archive/2024/index.html"]
    assert "<h1>Rumours of 2024</h1>" in page
    assert titles(page) == ["Story 5", "Story 4"]
    assert '<a href="/archive/2024/" aria-current="page">2024 <span class="count">2' in page
    assert '<a href="/archive/2026/" rel="prev">← Newer: 2026</a>' in page and 'rel="next"' not in page
    # Past PAGE_LIMIT stories a year lists its months and only the stories no month holds.
    big = archive_pages["archive/2026/index.html"]
    assert titles(big) == ["Story 3"]
    assert re.findall(r'<a href="(/archive/2026/\d\d/)">', big) == ["/archive/2026/03/", "/archive/2026/01/"]
    assert "2026, month not known" in big


def test_a_long_year_has_a_page_per_month_linking_to_the_months_around_it(archive_pages):
    page = archive_pages["archive/2026/03/index.html"]
    assert "<h1>Rumours of March 2026</h1>" in page
    assert titles(page) == ["Story 0", "Story 1"]
    assert '<a href="/archive/2026/" aria-current="true">2026' in page
    assert '<a href="/archive/2026/01/" rel="next">Older: January 2026 →</a>' in page and 'rel="prev"' not in page
    assert '<a href="/archive/2026/03/" aria-current="page">' in page
    assert titles(archive_pages["archive/2026/01/index.html"]) == ["Story 2"]
    # A year that fits on its page has no month pages: its month links lead to its sections.
    assert not any(name.startswith("archive/2024/05") for name in archive_pages)
    assert '<a href="#when-2024-05">May 2024 <span class="count">2' in archive_pages["archive/2024/index.html"]


def test_a_month_longer_than_a_page_goes_on_over_numbered_pages(project, monkeypatch):
    """A busy month of a large archive (2,700 stories a month at 1,000,000) stays a few hundred KB a page."""
    monkeypatch.setattr(by_date, "PAGE_LIMIT", 2)
    for index, when in enumerate(["2026-03-04", "2026-03-03", "2026-03-02", "2026-01-10"]):
        project.story(f"2026/m{index}.md", date=when, extra=f"title: Story {index}")
    pages = built_pages(project)
    first, second = pages["archive/2026/03/index.html"], pages["archive/2026/03/2/index.html"]
    assert titles(first) == ["Story 0", "Story 1"] and titles(second) == ["Story 2"]
    assert '<a href="/archive/2026/03/2/" rel="next">Older: March 2026 (2) →</a>' in first
    assert '<a href="/archive/2026/03/" rel="prev">← Newer: March 2026</a>' in second
    assert '<a href="/archive/2026/01/" rel="next">Older: January 2026 →</a>' in second
    assert '<a href="/archive/2026/03/" aria-current="true">March 2026' in second
    assert '<a href="/archive/2026/03/2/" rel="prev">← Newer: March 2026 (2)</a>' in pages["archive/2026/01/index.html"]
    assert "/archive/2026/03/2/</loc>" in pages["sitemap.xml"]


def test_the_home_page_links_to_the_archive_and_names_the_site_once(archive_pages):
    page = archive_pages["index.html"]
    assert '<a href="/archive/">All 6 rumours, by date</a>' in page
    assert page.count("Panchina</a>") == 1 and "<h1>Panchina" not in page
    assert page.count('type="search"') == 1


def test_a_split_timeline_names_its_years_with_counts_and_its_newer_and_older_pages(project, monkeypatch):
    monkeypatch.setattr(timeline, "PAGE_LIMIT", 2)
    for index, when in enumerate(["2026-03-04", "2026-02-01", "2026-01-01", "2025-06-01"]):
        project.story(f"{when[:4]}/t{index}.md", date=when)
    pages = built_pages(project)
    first = pages["coaches/massimiliano-allegri/index.html"]
    assert re.findall(r'<a href="([^"]*)"( aria-current="\w+")?>(\d+) <span class="count">(\d+)', first) == [
        ("/coaches/massimiliano-allegri/", ' aria-current="page"', "2026", "3"),
        ("/coaches/massimiliano-allegri/2025/", "", "2025", "1")]
    assert '<a href="/coaches/massimiliano-allegri/2/" rel="next">Older: 2026 (2) →</a>' in first
    part = pages["coaches/massimiliano-allegri/2/index.html"]
    assert '<a href="/coaches/massimiliano-allegri/" aria-current="true">2026' in part
    assert '<a href="/coaches/massimiliano-allegri/" rel="prev">← Newer: 2026</a>' in part
    assert '<a href="/coaches/massimiliano-allegri/2025/" rel="next">Older: 2025 →</a>' in part


def test_a_long_saga_goes_on_over_numbered_pages_and_an_approach_carries_on_across_them(project, monkeypatch):
    """At 100,000 stories one coach and club had a 1.5 MB saga page: a saga pages like a timeline."""
    monkeypatch.setattr(saga, "PAGE_LIMIT", 2)
    for index, when in enumerate(["2025-01-10", "2025-02-01", "2025-02-20", "2026-03-04"]):
        project.story(f"{when[:4]}/s{index}.md", date=when)  # Allegri and Real Madrid: one approach, then another
    pages = built_pages(project)
    first = pages["coaches/massimiliano-allegri/real-madrid/index.html"]
    second = pages["coaches/massimiliano-allegri/real-madrid/2/index.html"]
    assert "coaches/massimiliano-allegri/real-madrid/3/index.html" not in pages
    assert re.findall(r'<h2 id="approach-\d-heading">([^<]*)<', first) == ["Approach 1 "]
    assert re.findall(r'<h2 id="approach-\d-heading">([^<]*)<', second) == ["Approach 1, continued ", "Approach 2 "]
    assert [first.count('<li class="story-item">'), second.count('<li class="story-item">')] == [2, 2]
    assert "4 reports, 2 approaches." in first and "4 reports, 2 approaches." in second
    assert '<a href="/coaches/massimiliano-allegri/real-madrid/2/" rel="next">Later: 2025–2026 →</a>' in first
    assert '<a href="/coaches/massimiliano-allegri/real-madrid/" rel="prev">← Earlier: 2025</a>' in second
    assert "the saga (page 2 of 2) · " in re.search(r"<title>[^<]*</title>", second).group()
    assert "/coaches/massimiliano-allegri/real-madrid/2/</loc>" in pages["sitemap.xml"]


def test_a_coach_page_lists_his_newest_sagas_and_counts_the_rest(project, monkeypatch):
    """At 300,000 stories one coach's page listed thousands of sagas (1 MB): the newest few are shown."""
    monkeypatch.setattr(timeline, "SAGA_LIMIT", 2)
    for index, club in enumerate(["Juventus", "Napoli", "Roma"]):
        for day in (1, 2):  # two reports each, so that each pair has a saga page
            project.story(f"2026/{club.lower()}-{day}.md", clubs=f"[{club}]", date=f"2026-0{index + 1}-0{day}")
    page = built_pages(project)["coaches/massimiliano-allegri/index.html"]
    listed = re.findall(r'<li><a href="/coaches/massimiliano-allegri/([a-z]+)/">', page)
    assert listed == ["roma", "napoli"]
    assert "1 older saga is linked from its stories." in page


def test_a_story_names_the_years_of_a_long_saga_once_each_and_past_four_as_a_span(project):
    """The reader review saw "Lyon's 61st approach for Pioli: 1995, 1995, 1995, 1996, …" above a story."""
    for when in ("2019-01-01", "2019-09-01", "2020-05-01", "2021-05-01", "2022-05-01", "2023-05-01"):
        project.story(f"{when[:4]}/madrid-{when}.md", date=when)  # months apart: six approaches, five years
    for when in ("2019-01-01", "2019-09-01", "2020-05-01"):
        project.story(f"{when[:4]}/napoli-{when}.md", date=when, clubs="[Napoli]")
    pages = built_pages(project)
    assert "Real Madrid's 6th approach for Massimiliano Allegri: 2019–2023" in \
        pages["stories/2023/madrid-2023-05-01/index.html"]
    assert "Napoli's 3rd approach for Massimiliano Allegri: 2019, 2020" in \
        pages["stories/2020/napoli-2020-05-01/index.html"]


def test_a_story_about_a_coach_and_a_club_does_not_say_he_moves(project):
    project.write("content/stories/2026/a.md", story_text(extra="title: Klopp stays"))
    pages = built_pages(project)
    assert "→" not in pages["stories/2026/a/index.html"]
    assert "→" not in pages["index.html"].split('<ol class="story-list">')[1].split("</ol>")[0]


def dates_in(value) -> list[PartialDate]:
    """Every PartialDate reachable in a page's context: its views, lists, tuples and dicts."""
    if isinstance(value, PartialDate):
        return [value]
    if dataclasses.is_dataclass(value):
        return [d for field in dataclasses.fields(value) for d in dates_in(getattr(value, field.name))]
    if isinstance(value, dict):
        return [d for item in value.values() for d in dates_in(item)]
    if isinstance(value, (list, tuple)):
        return [d for item in value for d in dates_in(item)]
    return []


def test_an_archive_page_holds_no_date_newer_than_its_stories(project, monkeypatch):
    """Links to other periods are labels, not dates: whatever reads a context for its newest date
    (the sitemap's lastmod) must find the page's own stories, not the next month's link."""
    monkeypatch.setattr(by_date, "PAGE_LIMIT", 1)
    for index, when in enumerate(["2026-03-04", "2026-01-10", "2024-05-02"]):
        project.story(f"{when[:4]}/d{index}.md", date=when)
    loaded = load(project.content, TODAY)
    site = Site(loaded.archive, loaded.config, Presenter(load_language("en")))
    for page in by_date.pages(site):
        rows = [row.date for _, rows in page.context["sections"] for row in rows]
        if rows:
            assert max(d.start for d in dates_in(page.context)) == max(d.start for d in rows), page.path
