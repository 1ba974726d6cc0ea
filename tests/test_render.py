"""Hostile names and titles are escaped everywhere they appear."""

import json
import re
from datetime import date
from xml.etree import ElementTree

import pytest

from panchina.errors import BuildFailed
from panchina.pipeline import load
from panchina.render import Renderer, render_site
from tests.conftest import ROOT, story_text

EVIL = '</script><script>alert(1)</script>"\'<b>'


@pytest.fixture
def pages(project):
    project.write("content/stories/2026/a.md", story_text(
        coach=json.dumps("Coach " + EVIL), clubs=json.dumps(["Club " + EVIL]), source=json.dumps("Src " + EVIL),
        extra=f"title: {json.dumps('Title ' + EVIL)}\nlang: it"))
    loaded = load(project.content, date(2026, 11, 26))
    return render_site(loaded.archive, Renderer(ROOT / "templates", loaded.config))


def test_no_page_contains_the_raw_markup(pages):
    for path, text in pages.items():
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
    assert json.loads(raw.replace("&#34;", '"')) == {"it": "Italiano"}


def test_pagefind_filters_carry_the_escaped_names(pages):
    story = pages["stories/2026/a/index.html"]
    assert 'data-pagefind-filter="coach">Coach &lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;' in story


def test_strict_undefined_fails_loudly(tmp_path, project):
    (project.root / "templates" / "robots.txt").write_text("{{ nope }}\n")
    project.write("content/stories/2026/a.md", story_text())
    loaded = load(project.content, date(2026, 11, 26))
    with pytest.raises(BuildFailed) as failure:
        render_site(loaded.archive, Renderer(project.root / "templates", loaded.config))
    assert "robots.txt:1: template: 'nope' is undefined" in str(failure.value)
