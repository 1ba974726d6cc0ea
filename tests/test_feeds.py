"""Atom feeds: every feed of the demo parsed with feedparser, entries and fields checked (issue 11)."""

from __future__ import annotations

import re
from datetime import date

import feedparser
import pytest

from panchina.pages.feeds import LIMIT
from tests.conftest import ROOT, story_text
from tests.reach_sites import BASE, HOSTILE_TITLE, build_site, write_hostile_content


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    return build_site(ROOT / "content", tmp_path_factory.mktemp("demo") / "output")


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    """The hostile stories plus 55 of one coach, for the limit."""
    folder = tmp_path_factory.mktemp("hostile")
    many = {f"2025/many-{day:02d}.md": story_text(coach="Luciano Spalletti", clubs="[Napoli]",
                                                  date=f"2025-{1 + (day - 1) // 28:02d}-{1 + (day - 1) % 28:02d}",
                                                  source="Il Mattino")
            for day in range(1, 56)}
    return build_site(write_hostile_content(folder, many), folder / "output")


def feeds(files: dict[str, bytes]) -> dict[str, feedparser.FeedParserDict]:
    return {name: feedparser.parse(data) for name, data in files.items() if name.endswith("feed.xml")}


def test_every_feed_of_the_demo_is_valid_atom(demo):
    parsed = feeds(demo)
    timelines = [name for name in demo if re.fullmatch(r"(coaches|clubs|sources)/[^/]+/index\.html", name)
                 and name != "sources/by-hit-rate/index.html"]  # issue 9: a ranking of sources, not a timeline
    assert sorted(parsed) == sorted(["feed.xml", *(name.replace("index.html", "feed.xml") for name in timelines)])
    for name, feed in parsed.items():
        assert not feed.bozo, f"{name}: {feed.get('bozo_exception')}"
        assert feed.version == "atom10", name
        assert feed.entries, name


def test_the_archive_feed_lists_every_demo_story_newest_first_with_its_facts(demo):
    feed = feedparser.parse(demo["feed.xml"])
    assert feed.feed.title == "Panchina: the latest rumours"
    assert feed.feed.id == f"{BASE}/feed.xml"
    assert [link.href for link in feed.feed.links] == [f"{BASE}/feed.xml", f"{BASE}/"]
    assert feed.feed.updated == "2026-03-04T00:00:00Z"
    ids = [entry.id for entry in feed.entries]
    assert ids[-1] == f"{BASE}/stories/2019/real-madrid-first-approach-allegri/"
    assert len(ids) == 6 and all(f"{i.removeprefix(BASE)}index.html".lstrip("/") in demo for i in ids)
    second = next(entry for entry in feed.entries if entry.id.endswith("/real-madrid-second-approach-allegri/"))
    assert second.title == "Real Madrid try again for Allegri before his return to Juventus"
    assert second.link == second.id
    assert second.updated == second.published == "2021-01-01T00:00:00Z"  # a year-only date: its first day
    assert second.summary == ("Real Madrid try again for Allegri before his return to Juventus, "
                              "reported by Corriere dello Sport (2021)")
    assert [(tag.term, tag.scheme) for tag in second.tags] == [
        ("Massimiliano Allegri", f"{BASE}/coaches/"), ("Real Madrid", f"{BASE}/clubs/"),
        ("Juventus", f"{BASE}/clubs/"), ("Corriere dello Sport", f"{BASE}/sources/"),
        ("collapsed", f"{BASE}/data/stories.schema.json#status"),
        ("did_not_happen", f"{BASE}/data/stories.schema.json#outcomes"),
        ("came_true", f"{BASE}/data/stories.schema.json#outcomes")]
    assert [tag.label for tag in second.tags[-3:]] == [
        "collapsed", "Real Madrid: did not happen", "Juventus: came true"]


def test_a_timeline_feed_holds_that_timelines_stories(demo):
    feed = feedparser.parse(demo["clubs/juventus/feed.xml"])
    assert feed.feed.title == "Panchina: every rumour about Juventus"
    assert feed.feed.link == f"{BASE}/clubs/juventus/"
    assert [entry.id for entry in feed.entries] == [f"{BASE}/stories/2021/real-madrid-second-approach-allegri/"]
    source = feedparser.parse(demo["sources/corriere-dello-sport/feed.xml"])
    assert source.feed.title == "Panchina: everything reported by Corriere dello Sport"
    assert len(source.entries) == 6


def test_a_feed_holds_the_newest_50_stories(hostile):
    feed = feedparser.parse(hostile["coaches/luciano-spalletti/feed.xml"])
    assert len(feed.entries) == LIMIT == 50
    assert feed.entries[0].id == f"{BASE}/stories/2025/many-55/"
    assert feed.entries[-1].id == f"{BASE}/stories/2025/many-06/"
    assert feed.feed.updated == feed.entries[0].updated == "2025-02-27T00:00:00Z"


def test_hostile_values_come_back_exactly_and_the_original_report_is_linked(hostile):
    feed = feedparser.parse(hostile["coaches/massimiliano-allegri/feed.xml"])
    assert not feed.bozo
    entry = feed.entries[0]
    assert entry.title == HOSTILE_TITLE
    via = [link.href for link in entry.links if link.rel == "via"]
    assert via == ["https://www.corrieredellosport.it/news/allegri?a=1&b=2"]
    formula = feedparser.parse(hostile["sources/fabrizioromano/feed.xml"]).entries[0]
    assert [tag.term for tag in formula.tags][:4] == ['=HYPERLINK("http://evil.example","x")', "+Inter", "-Roma",
                                                  "@FabrizioRomano"]


def test_feeds_come_from_the_content_not_the_clock(tmp_path, demo):
    later = build_site(ROOT / "content", tmp_path / "output", today=date(2027, 6, 1))
    assert {name: data for name, data in later.items() if name.endswith(".xml")} == {
        name: data for name, data in demo.items() if name.endswith(".xml")}


def test_every_page_links_the_archive_feed_and_timelines_link_their_own(demo):
    for name, data in demo.items():
        if name.endswith(".html"):
            assert '<link rel="alternate" type="application/atom+xml" href="/feed.xml"' in data.decode(), name
    timeline = demo["coaches/massimiliano-allegri/index.html"].decode()
    assert ('<link rel="alternate" type="application/atom+xml" href="/coaches/massimiliano-allegri/feed.xml" '
            'title="Panchina: every rumour about Massimiliano Allegri">') in timeline
    assert ('<a href="/coaches/massimiliano-allegri/feed.xml" type="application/atom+xml">'
            'Follow Massimiliano Allegri in a feed reader (Atom)</a>') in timeline
    assert '<a href="/feed.xml" type="application/atom+xml">Latest rumours as a feed (Atom)</a>' in \
        demo["index.html"].decode()
