"""Hostile names and titles are escaped everywhere they appear."""

import json
import re
from datetime import date
from xml.etree import ElementTree

import pytest

from panchina.errors import BuildFailed
from panchina.pages import entity_index, sitemap, timeline
from panchina.pipeline import load
from tests.conftest import built_pages, story_text

EVIL = '</script><script>alert(1)</script>"\'<b>'


@pytest.fixture
def pages(project):
    project.write("content/stories/2026/a.md", story_text(
        coach=json.dumps("Coach " + EVIL), clubs=json.dumps(["Club " + EVIL]), source=json.dumps("Src " + EVIL),
        extra=f"title: {json.dumps('Title ' + EVIL)}\nlang: it"))
    return built_pages(project)


def test_no_page_contains_the_raw_markup(pages):
    for path, text in pages.items():
        if path.startswith("data/"):
            continue  # the open data holds the values as written: JSON and CSV, never read as markup
        assert "<script>alert(1)" not in text, path
        assert "<b>" not in text, path


def test_attributes_are_escaped(pages):
    story = pages["stories/2026/a/index.html"]
    description = re.search(r'<meta name="description" content="([^"]*)">', story).group(1)
    assert "&#34;" in description or "&quot;" in description
    assert "&lt;/script&gt;" in description


def test_the_sitemap_is_valid_xml_with_absolute_urls(pages):
    root = ElementTree.fromstring(pages["sitemap.xml"])
    locations = [loc.text for loc in root.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]
    assert "http://127.0.0.1:8000/stories/2026/a/" in locations
    assert all(loc.startswith("http://127.0.0.1:8000/") for loc in locations)


def test_search_page_json_is_in_an_escaped_attribute(pages):
    search = pages["search/index.html"]
    raw = re.search(r'data-language-names="([^"]*)"', search).group(1)
    assert json.loads(raw.replace("&#34;", '"')) == {"it": "Italian"}


def test_pagefind_filters_carry_the_escaped_names(pages):
    story = pages["stories/2026/a/index.html"]
    assert 'data-pagefind-filter="coach">Coach &lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;' in story


def test_strict_undefined_fails_loudly(tmp_path, project):
    (project.root / "templates" / "robots.txt").write_text("{{ nope }}\n")
    project.write("content/stories/2026/a.md", story_text())
    with pytest.raises(BuildFailed) as failure:
        built_pages(project)
    assert "robots.txt:1: template: 'nope' is undefined" in str(failure.value)


def test_a_long_timeline_is_split_into_a_page_per_year(project, monkeypatch):
    monkeypatch.setattr(timeline, "PAGE_LIMIT", 3)
    for index, year in enumerate([2020, 2021, 2021, 2022, 2022]):
        project.write(f"content/stories/{year}/s{index}.md", story_text(date=str(year)))
    pages = built_pages(project)
    main = pages["coaches/massimiliano-allegri/index.html"]
    assert "<h2 id=\"year-2022-heading\">2022" in main and "year-2021-heading" not in main
    assert '<a href="/coaches/massimiliano-allegri/2021/">2021 <span class="count">' in main
    year_page = pages["coaches/massimiliano-allegri/2021/index.html"]
    assert "year-2021-heading" in year_page and "year-2022-heading" not in year_page
    assert '<a href="/coaches/massimiliano-allegri/2021/" aria-current="page">2021 <span class="count">' in year_page
    assert "/coaches/massimiliano-allegri/2020/" in pages["sitemap.xml"]


def test_a_long_index_is_split_into_a_page_per_letter(project, monkeypatch):
    monkeypatch.setattr(entity_index, "PAGE_LIMIT", 2)
    for name in ("Coach Alpha", "Coach Beta", "Coach 2nd"):  # coaches are listed by surname
        project.write(f"content/stories/2026/{name.split()[1].lower()}.md", story_text(coach=name))
    pages = built_pages(project)
    assert '<a href="/coaches/by-letter/b/">B</a>' in pages["coaches/index.html"]
    assert "Coach Beta" in pages["coaches/by-letter/b/index.html"]
    assert "Coach Alpha" not in pages["coaches/by-letter/b/index.html"]
    assert "Coach 2nd" in pages["coaches/by-letter/0-9/index.html"]


def test_a_letter_longer_than_a_page_goes_on_over_numbered_pages(project, monkeypatch):
    """At 1,000,000 stories the corpus has tens of thousands of coaches: one letter's page was too long."""
    monkeypatch.setattr(entity_index, "PAGE_LIMIT", 2)
    for name in ("Coach Baker", "Coach Banks", "Coach Bell", "Coach Alpha"):
        project.write(f"content/stories/2026/{name.split()[1].lower()}.md", story_text(coach=name))
    pages = built_pages(project)
    first, second = pages["coaches/by-letter/b/index.html"], pages["coaches/by-letter/b/2/index.html"]
    assert ["Coach Baker" in first, "Coach Banks" in first, "Coach Bell" in first] == [True, True, False]
    assert "Coach Bell" in second and "Coach Baker" not in second
    assert '<a href="/coaches/by-letter/b/2/" rel="next">Later in B →</a>' in first
    assert '<a href="/coaches/by-letter/b/" rel="prev">← Earlier in B</a>' in second
    assert '<a href="/coaches/by-letter/b/" aria-current="true">B</a>' in second
    assert '<a href="/coaches/by-letter/b/" aria-current="page">B</a>' in first
    assert "/coaches/by-letter/b/2/</loc>" in pages["sitemap.xml"]


def test_the_letter_pages_slug_is_reserved(project):
    project.write("content/stories/2026/a.md", story_text(clubs="[By Letter]"))
    with pytest.raises(BuildFailed) as failure:
        load(project.content, date(2026, 11, 26))
    assert "clubs: 'By Letter' makes the address /clubs/by-letter/, which holds the A–Z pages" in str(failure.value)


def test_a_sitemap_past_the_protocol_limit_becomes_an_index(project, monkeypatch):
    monkeypatch.setattr(sitemap, "LIMIT", 5)
    project.write("content/stories/2026/a.md", story_text())
    pages = built_pages(project)
    index = ElementTree.fromstring(pages["sitemap.xml"])
    parts = [loc.text for loc in index.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]
    assert parts == [f"http://127.0.0.1:8000/sitemap-{n}.xml" for n in range(1, len(parts) + 1)]
    urls = [loc.text for n in range(1, len(parts) + 1)
            for loc in ElementTree.fromstring(pages[f"sitemap-{n}.xml"]).iter(
                "{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]
    assert len(urls) > 5 and "http://127.0.0.1:8000/stories/2026/a/" in urls


def test_a_year_too_long_for_one_page_is_split_into_parts_with_newer_and_older_links(project, monkeypatch):
    monkeypatch.setattr(timeline, "PAGE_LIMIT", 2)
    for day in range(1, 6):
        project.write(f"content/stories/2026/s{day}.md", story_text(date=f"2026-01-0{day}"))
    project.write("content/stories/2025/old.md", story_text(date="2025"))
    pages = built_pages(project)
    coach = "coaches/massimiliano-allegri/"
    parts = [f"{coach}index.html", f"{coach}2/index.html", f"{coach}3/index.html", f"{coach}2025/index.html"]
    saga = f"{coach}real-madrid/index.html"  # the saga of the coach and the club (issue 9) sits beside them
    assert [name for name in pages if name.startswith(coach) and name != saga
            and name.endswith(".html")] == sorted(parts)
    counts = [pages[name].count('class="story-item"') for name in parts]
    assert counts == [2, 2, 1, 1]
    middle = pages[f"{coach}2/index.html"]
    assert f'<a href="/{coach}" rel="prev">' in middle and f'<a href="/{coach}3/" rel="next">' in middle
    assert f'<a href="/{coach}2025/" rel="next">' in pages[f"{coach}3/index.html"]
