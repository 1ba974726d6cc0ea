"""The demo site and a generated 2,000-story site, checked with real tools.

Zero broken internal links and anchors (every page of both), valid HTML
(html-validate, errors only: every page of the demo, a sample of the big
site's pages that has every shape of page it has) and no axe-core violations
on one page of each kind.
"""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import sync_playwright

from panchina.pipeline import Paths, build
from tests import netlify_server
from tests.conftest import ROOT
from tests.site_checks import broken_links, html_validate, parsed_ids_and_links, scan_site, shape_sample
from tests.test_browser import CHROMIUM_ARGS

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"


def build_into(content, output, search):
    build(Paths(content=content, output=output, templates=ROOT / "templates", static=ROOT / "static",
                cache=None),
          search=search)
    return output


@pytest.fixture(scope="module", params=["demo", "generated-2000"])
def site(request, tmp_path_factory):
    if request.param == "demo":
        return request.param, build_into(ROOT / "content", tmp_path_factory.mktemp("demo") / "output", search=True)
    return request.param, request.getfixturevalue("corpus_2000")  # shared with the search page's tests


def one_page_of_each_kind(output) -> list[str]:
    story = next(output.glob("stories/*/*/index.html")).parent.relative_to(output).as_posix()
    coach = next(output.glob("coaches/*/index.html")).parent.relative_to(output).as_posix()
    club = next(output.glob("clubs/*/index.html")).parent.relative_to(output).as_posix()
    source = next(output.glob("sources/*/index.html")).parent.relative_to(output).as_posix()
    saga = next(path.parent.relative_to(output).as_posix() for path in sorted(output.glob("coaches/*/*/index.html"))
                if not path.parent.name.isdigit())  # issue 9: a saga, not a year of a split timeline
    return ["/", f"/{story}/", "/coaches/", f"/{coach}/", "/clubs/", f"/{club}/", "/sources/", f"/{source}/",
            "/search/", "/404.html", f"/{saga}/", "/sources/by-hit-rate/"]


@pytest.fixture(scope="module")
def pages(site):
    """Every page of the site read once: its ids, its links and its shape (tests/site_checks.py)."""
    return scan_site(site[1])


@pytest.fixture(scope="module")
def validated(site, pages) -> list[str] | None:
    """The pages html-validate reads: every page of the demo (None); of the 2,000-story site, ``shape_sample``'s.

    Every page of a kind comes from one template, and html-validate took 54 s in CI over the 3,000 pages of the
    big site, a tenth of the suite's budget, to find again and again what the first page of each shape had
    told. The sample, about 125 pages and a fourteenth of the bytes, has every kind of page and every element in
    each of its contexts at least twice, drawn from the site under test: a template writing invalid HTML on one
    kind of page, or in one branch of it (a year of a split timeline, a story whose body ends with a heading),
    puts pages with it in the sample and still fails the test.
    """
    name, _ = site
    return None if name == "demo" else shape_sample(pages)


def test_no_broken_internal_links_or_anchors(site, pages):
    """Every link of every page, on both sites: to a missing page, to a missing #anchor, from a pager."""
    _, output = site
    assert broken_links(output, pages) == []


def test_page_reading_agrees_with_html_parser(site, pages, validated):
    """scan_site reads our pages with regular expressions, faster than HTMLParser and with their shapes: on every
    page of the demo, and on every page of the big site's sample (every shape it has) and every 20th page, it
    finds exactly the ids and links HTMLParser finds, so that no link or anchor escapes the link check."""
    _, output = site
    names = list(pages) if validated is None else sorted({*validated, *list(pages)[::20]})
    differ = [name for name in names if parsed_ids_and_links(output / name) != (pages[name].ids, pages[name].links)]
    assert differ == []


def test_every_page_is_valid_html(site, validated):
    """No html-validate error on every page of the demo, nor on every shape of page of the big site (``validated``)."""
    _, output = site
    result = html_validate(output, validated)
    assert result.returncode == 0, result.stdout + result.stderr


def test_no_accessibility_violations_on_one_page_of_each_kind(site, chromium_path):
    name, output = site
    server, base = netlify_server.start(output)
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
            # axe is injected as an inline script, which our own CSP rightly forbids.
            context = browser.new_context(bypass_csp=True)
            page = context.new_page()
            found = {}
            for path in one_page_of_each_kind(output):
                page.goto(base + path)
                page.add_script_tag(path=str(AXE))
                results = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
                if results["violations"]:
                    found[path] = [(v["id"], v["help"], [n["target"] for n in v["nodes"]][:3])
                                   for v in results["violations"]]
            browser.close()
    finally:
        server.shutdown()
    assert found == {}, json.dumps(found, indent=1, ensure_ascii=False)
