"""Open Graph and Twitter card tags on every page; JSON-LD on story pages, expanded with pyld offline (issue 11)."""

from __future__ import annotations

import json
import struct
import tomllib
from html.parser import HTMLParser

import pytest
from pyld import jsonld

from tests.conftest import ROOT
from tests.reach_sites import BASE, HOSTILE_TITLE, build_site, write_hostile_content

SCHEMA = "https://schema.org/"


class HeadParser(HTMLParser):
    """The page's meta properties, canonical link and every script element with its text."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.meta: dict[str, str] = {}
        self.canonical = None
        self.scripts: list[tuple[dict, str]] = []
        self._script = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "meta" and ("property" in attributes or "name" in attributes):
            self.meta[attributes.get("property") or attributes["name"]] = attributes.get("content")
        elif tag == "link" and attributes.get("rel") == "canonical":
            self.canonical = attributes["href"]
        elif tag == "script":
            self._script = (attributes, "")

    def handle_data(self, data):
        if self._script is not None:
            self._script = (self._script[0], self._script[1] + data)

    def handle_endtag(self, tag):
        if tag == "script" and self._script is not None:
            self.scripts.append(self._script)
            self._script = None


def head(data: bytes) -> HeadParser:
    parser = HeadParser()
    parser.feed(data.decode())
    return parser


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    return build_site(ROOT / "content", tmp_path_factory.mktemp("demo") / "output")


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hostile")
    return build_site(write_hostile_content(folder), folder / "output")


def no_network(url, options=None):
    raise AssertionError(f"the JSON-LD processor tried to fetch {url}: the context must be inline")


def expand(document: dict) -> list[dict]:
    return jsonld.expand(document, {"documentLoader": no_network})


def linked_data(page: bytes) -> dict:
    [(attributes, text)] = [script for script in head(page).scripts if script[0].get("type") == "application/ld+json"]
    return json.loads(text)


def test_every_page_has_open_graph_and_twitter_tags(demo):
    pages = [name for name in demo if name.endswith(".html")]
    assert len(pages) > 10
    for name in pages:
        found = head(demo[name])
        for key in ("og:title", "og:description", "og:site_name", "og:locale", "og:type", "og:image",
                    "twitter:card", "twitter:title", "twitter:description"):
            assert found.meta.get(key), f"{name}: {key}"
        assert found.meta["og:url"] == found.canonical, name
        assert found.meta["og:site_name"] == "Panchina"
        assert found.meta["og:locale"] == "en"
        assert found.meta["og:image"] == f"{BASE}/static/share.png"


def test_a_timelines_preview_names_it(demo):
    found = head(demo["clubs/juventus/index.html"])
    assert found.meta["og:title"] == found.meta["twitter:title"] == "Juventus: every rumour"
    assert found.meta["og:description"] == "1 rumour about Juventus since 2021"
    assert found.meta["og:type"] == "website"


def test_the_share_image_is_a_png_of_open_graphs_size(demo):
    image = demo["static/share.png"]
    assert image[:8] == b"\x89PNG\r\n\x1a\n"
    assert struct.unpack(">II", image[16:24]) == (1200, 630)
    assert len(image) < 20_000


def test_story_pages_are_articles_published_on_the_storys_date_at_its_precision(demo):
    full = head(demo["stories/2026/real-madrid-valutano-allegri/index.html"])
    assert full.meta["og:type"] == "article"
    assert full.meta["article:published_time"] == "2026-03-04"
    year_only = head(demo["stories/2019/real-madrid-first-approach-allegri/index.html"])
    assert year_only.meta["article:published_time"] == "2019"
    assert year_only.meta["og:title"] == "Real Madrid's first approach to Allegri"


def test_json_ld_expands_offline_to_a_news_article_about_the_coach_and_clubs(demo):
    data = linked_data(demo["stories/2021/real-madrid-second-approach-allegri/index.html"])
    [article] = expand(data)
    assert article["@type"] == [SCHEMA + "NewsArticle"]
    headline = "Real Madrid try again for Allegri before his return to Juventus"
    assert article[SCHEMA + "headline"] == [{"@value": headline}]
    assert article[SCHEMA + "datePublished"] == [{"@value": "2021"}]
    assert article[SCHEMA + "inLanguage"] == [{"@value": "en"}]
    about = [(thing["@type"], thing[SCHEMA + "name"][0]["@value"]) for thing in article[SCHEMA + "about"]]
    assert about == [([SCHEMA + "Person"], "Massimiliano Allegri"), ([SCHEMA + "SportsTeam"], "Real Madrid"),
                     ([SCHEMA + "SportsTeam"], "Juventus")]
    [cited] = article[SCHEMA + "citation"]
    assert cited[SCHEMA + "publisher"][0][SCHEMA + "name"] == [{"@value": "Corriere dello Sport"}]
    # Nothing was dropped: every key of the document became a schema.org term.
    assert len(article) == len(data) - 1  # all but @context


def test_a_hostile_title_stays_data_inside_the_json_ld_block(hostile):
    page = hostile["stories/2026/script-title/index.html"]
    scripts = head(page).scripts
    assert [attributes for attributes, _ in scripts] == [{"type": "application/ld+json"}]
    data = linked_data(page)
    assert data["headline"] == HOSTILE_TITLE
    assert data["citation"]["url"] == "https://www.corrieredellosport.it/news/allegri?a=1&b=2"
    [article] = expand(data)
    assert article[SCHEMA + "headline"] == [{"@value": HOSTILE_TITLE}]


def test_the_csp_forbids_inline_script_so_json_ld_is_only_ever_data():
    config = tomllib.loads((ROOT / "netlify.toml").read_text())
    policy = config["headers"][0]["values"]["Content-Security-Policy"]
    script_src = next(part for part in policy.split(";") if part.strip().startswith("script-src"))
    assert "'unsafe-inline'" not in script_src and "'sha" not in script_src and "'nonce" not in script_src
