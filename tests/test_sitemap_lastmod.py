"""``sitemap.xml`` ``lastmod``: the newest story date a page shows, from the content (issue 11)."""

from __future__ import annotations

from datetime import date
from xml.etree import ElementTree

import pytest

from tests.conftest import ROOT, story_text
from tests.reach_sites import BASE, build_site

NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def lastmods(files) -> dict[str, str | None]:
    root = ElementTree.fromstring(files["sitemap.xml"])
    return {url.find(NS + "loc").text.removeprefix(BASE): getattr(url.find(NS + "lastmod"), "text", None)
            for url in root.iter(NS + "url")}


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    return build_site(ROOT / "content", tmp_path_factory.mktemp("demo") / "output")


def test_each_page_is_dated_by_the_newest_story_it_shows(demo):
    found = lastmods(demo)
    assert found["/stories/2019/real-madrid-first-approach-allegri/"] == "2019"
    assert found["/stories/2026/real-madrid-valutano-allegri/"] == "2026-03-04"
    assert found["/clubs/juventus/"] == "2021"  # its one story
    assert found["/coaches/alvaro-arbeloa/"] == "2026"
    assert found["/coaches/massimiliano-allegri/"] == "2026-03-04"
    assert found["/"] == "2026-03-04"
    assert found["/coaches/"] == "2026-03-04"  # shows no date: the archive's newest
    assert all(found.values())


def test_a_later_story_moves_only_the_pages_that_show_it(tmp_path, demo):
    content = tmp_path / "content"
    import shutil
    shutil.copytree(ROOT / "content", content)
    (content / "stories" / "2026" / "juve.md").write_text(
        story_text(coach="Thiago Motta", clubs="[Juventus]", date="2026-05", source="Tuttosport"), encoding="utf-8")
    found = lastmods(build_site(content, tmp_path / "output", today=date(2026, 11, 26)))
    assert found["/clubs/juventus/"] == "2026-05"
    assert found["/coaches/thiago-motta/"] == "2026-05"
    assert found["/coaches/massimiliano-allegri/"] == "2026-03-04"  # unchanged
    assert found["/stories/2021/real-madrid-second-approach-allegri/"] == "2021"
    assert found["/"] == found["/clubs/"] == "2026-05"


def test_a_warm_build_dates_a_page_by_what_it_shows_now_not_by_what_it_showed(tmp_path):
    """The cache remembers each page's newest date by the page's key, never by its address: a story
    moved to another date keeps its address and gets a new key, so its date is worked out again."""
    import shutil

    from panchina.pipeline import Paths, build
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    paths = Paths(content=content, output=tmp_path / "output", templates=ROOT / "templates",
                  static=ROOT / "static", cache=tmp_path / ".cache")
    build(paths, search=False, today=date(2026, 11, 26))
    story = content / "stories" / "2026" / "real-madrid-valutano-allegri.md"
    story.write_text(story.read_text(encoding="utf-8").replace("date: 2026-03-04", "date: 2026-03-09"),
                     encoding="utf-8")
    build(paths, search=False, today=date(2026, 11, 26))
    warm = lastmods({"sitemap.xml": (tmp_path / "output" / "sitemap.xml").read_bytes()})
    assert warm["/stories/2026/real-madrid-valutano-allegri/"] == "2026-03-09"
    assert warm == lastmods(build_site(content, tmp_path / "cold", today=date(2026, 11, 26)))
