"""The demo site shows the sagas, the outcomes, the track records and the charts (issue 9).

One cold build of the project's own demo content for the whole module; the
charts are also drawn at 1 and at 2,000 rumours and parsed as XML.
"""

from __future__ import annotations

import re
import shutil
import xml.etree.ElementTree as ET
from datetime import date

import pytest

from panchina.charts import hit_rate_chart, timeline_chart
from panchina.model import Appointment, PartialDate
from panchina.pipeline import load
from tests.conftest import ROOT, Project, built_pages

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> dict[str, str]:
    root = tmp_path_factory.mktemp("demo") / "site"
    for folder in ("content", "templates", "static"):
        shutil.copytree(ROOT / folder, root / folder)
    return built_pages(Project(root))


def main(page: str) -> str:
    return page[page.index("<main"):page.index("</main>")]


def text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", html)).strip()


def svgs(page: str) -> list[ET.Element]:
    return [ET.fromstring(svg) for svg in re.findall(r"<svg.*?</svg>", page, re.S)]


def test_the_story_page_names_its_approach_and_links_the_saga(demo):
    page = main(demo["stories/2026/real-madrid-valutano-allegri/index.html"])
    assert "Real Madrid's 3rd approach for Massimiliano Allegri: 2019, 2021, 2026" in text(page)
    assert 'href="/coaches/massimiliano-allegri/real-madrid/"' in page


def test_status_and_outcome_are_labels_and_search_filters_on_the_story_page(demo):
    page = main(demo["stories/2021/real-madrid-second-approach-allegri/index.html"])
    assert re.search(r'data-pagefind-filter="status" data-pagefind-meta="status">collapsed<', page)
    assert re.findall(r'data-pagefind-filter="outcome">([^<]+)<', page) == ["did not happen", "came true"]
    assert "Claimed: collapsed · Real Madrid: did not happen · Juventus: came true" in text(page)
    assert "Real Madrid's 2nd approach for Massimiliano Allegri" in text(page)


def test_every_listing_shows_status_and_outcome(demo):
    for listing in ("index.html", "coaches/massimiliano-allegri/index.html", "clubs/real-madrid/index.html",
                    "sources/corriere-dello-sport/index.html"):
        items = re.findall(r'<li class="story-item">.*?</li>', demo[listing], re.S)
        assert items and all('class="labels"' in item for item in items), listing
    first = next(item for item in re.findall(r'<li class="story-item">.*?</li>', demo["index.html"], re.S)
                 if "first-approach" in item)
    assert "rumour did not happen" in text(first)


def test_the_saga_page_lists_the_approaches_oldest_first_with_their_outcomes(demo):
    page = text(main(demo["coaches/massimiliano-allegri/real-madrid/index.html"]))
    assert "3 reports, 3 approaches." in page
    assert re.findall(r"Approach (\d) (did not happen|open|came true)", page) == [
        ("1", "did not happen"), ("2", "did not happen"), ("3", "open")]
    juventus = text(main(demo["coaches/massimiliano-allegri/juventus/index.html"]))
    # The appointment appears between the approaches, after the report that came true.
    assert juventus.index("Approach 1 came true") < juventus.index("Juventus, from 2021")


def test_timelines_show_careers_and_link_their_sagas(demo):
    coach = main(demo["coaches/massimiliano-allegri/index.html"])
    assert "Juventus, from 2021 (source: Corriere dello Sport)" in text(coach)
    assert 'href="/coaches/massimiliano-allegri/real-madrid/">Real Madrid</a>' in coach
    club = main(demo["clubs/real-madrid/index.html"])
    assert "Coaches, in order Álvaro Arbeloa, from 2026" in text(club)
    assert 'href="/coaches/massimiliano-allegri/real-madrid/">Massimiliano Allegri</a>' in club


def test_the_source_page_has_a_track_record_and_says_when_there_are_too_few(demo):
    page = text(main(demo["sources/corriere-dello-sport/index.html"]))
    assert "6 reports: 3 resolved, 2 came true." in page
    assert "Not enough resolved reports for a hit rate: it is shown from 5." in page
    ranking = text(main(demo["sources/by-hit-rate/index.html"]))
    assert "No source has enough resolved reports yet." in ranking
    # The sources not ranked yet are still listed, nearest to a rate first, each linked.
    assert ranking.endswith("1 source has too few resolved reports to be ranked. Corriere dello Sport 3 resolved")
    assert 'href="/sources/corriere-dello-sport/">Corriere dello Sport</a>' in demo["sources/by-hit-rate/index.html"]
    assert 'href="/sources/by-hit-rate/"' in demo["sources/index.html"]


def test_the_charts_are_svg_with_a_title_a_text_alternative_and_a_table(demo):
    for name in ("coaches/massimiliano-allegri/index.html", "clubs/real-madrid/index.html",
                 "sources/corriere-dello-sport/index.html"):
        (svg,) = svgs(demo[name])
        assert svg.get("role") == "img" and svg.get("aria-labelledby") == "chart-title chart-desc"
        assert svg.find(f"{SVG}title").text and svg.find(f"{SVG}desc").text
        assert "<table>" in demo[name].split("</svg>")[1].split("</figure>")[0]
    (coach,) = svgs(demo["coaches/massimiliano-allegri/index.html"])
    assert coach.find(f"{SVG}desc").text.startswith("Rumours by date: 1 came true, 1 did not happen, 2 still open.")


def test_no_page_carries_script_but_search(demo):
    scripts = [name for name, page in demo.items()
               if re.search(r'<script(?![^>]*type="application/ld\+json")', page)]  # JSON-LD is data
    assert scripts == ["search/index.html"]


def spell(start: str, end: str | None = None) -> Appointment:
    parse = lambda value: PartialDate(*map(int, value.split("-")))  # noqa: E731
    return Appointment("A", "B", parse(start), parse(end) if end else None, "S")


@pytest.mark.parametrize("count", [1, 2000])
def test_a_timeline_chart_stays_small_and_well_formed_at_1_and_2000_rumours(count):
    # Spread over every month of 36 years, the outcomes mixed within each month.
    reports = [(PartialDate(1990 + index % 36, index // 36 % 12 + 1, index % 28 + 1),
                ("came_true", "did_not_happen", "open")[index // 7 % 3]) for index in range(count)]
    chart = timeline_chart(reports, [(spell("2001-07", "2004-06"), "B"), (spell("2019"), "C")])
    assert len(chart.years) == len({when.year for when, _ in reports})
    assert sum(sum(counts) for _, counts in chart.years) == count
    size = sum(len(path) for _, path in chart.paths)
    assert size < 6000  # at most 48 columns of three rectangles, whatever the number of rumours
    assert len(chart.ticks) <= 9
    svg = ('<svg xmlns="http://www.w3.org/2000/svg">'
           + "".join(f'<path d="{path}"/>' for _, path in chart.paths) + "</svg>")
    ET.fromstring(svg)


def test_a_hit_rate_chart_has_a_column_per_year_with_resolved_reports():
    chart = hit_rate_chart({2019: (4, 1), 2020: (0, 0), 2021: (2, 2)})
    assert chart.path.count("M") == 2
    assert chart.years == ((2019, 4, 1, 25), (2020, 0, 0, None), (2021, 2, 2, 100))


def test_now_is_the_newest_date_in_the_content_not_the_day_of_the_build():
    loaded = load(ROOT / "content", today=date(2040, 1, 1))
    assert loaded.archive.resolved.now == date(2026, 3, 4)
    latest = next(story for story in loaded.archive.stories if story.place[-1] == "real-madrid-valutano-allegri")
    assert latest.outcomes == ("open",)  # in 2040 it would long have "not happened"
