"""netlify.toml: the build, the publish folder and the security headers."""

from __future__ import annotations

import re
import tomllib

import pytest

from tests.conftest import ROOT
from tests.netlify_server import netlify_headers

CONFIG = tomllib.loads((ROOT / "netlify.toml").read_text())


def csp_directives(policy: str) -> dict[str, list[str]]:
    return {parts[0]: parts[1:] for parts in (d.split() for d in policy.split(";") if d.strip())}


def test_build_publishes_output_with_the_pinned_requirements():
    assert CONFIG["build"]["publish"] == "output"
    assert CONFIG["build"]["command"] == "pip install -r requirements.txt && python build.py"
    assert CONFIG["build"]["environment"]["PYTHON_VERSION"] == "3.11"


def test_every_page_gets_a_strict_content_security_policy():
    headers = netlify_headers("/stories/2026/x/", CONFIG)
    csp = csp_directives(headers["Content-Security-Policy"])
    assert csp["default-src"] == ["'self'"]
    assert csp["script-src"] == ["'self'", "'wasm-unsafe-eval'"]
    assert csp["worker-src"] == ["'self'", "blob:"]
    assert csp["connect-src"] == ["'self'"]
    assert csp["frame-ancestors"] == ["'none'"]
    assert csp["object-src"] == ["'none'"]
    assert not any("unsafe-inline" in value or value == "*" for values in csp.values() for value in values)


@pytest.mark.parametrize("name, pattern", [
    ("X-Content-Type-Options", r"^nosniff$"),
    ("Referrer-Policy", r"^strict-origin-when-cross-origin$"),
    ("Permissions-Policy", r"camera=\(\)"),
    ("Strict-Transport-Security", r"^max-age=\d{8,}"),
])
def test_security_headers(name, pattern):
    assert re.search(pattern, netlify_headers("/", CONFIG)[name])


def test_pagefind_files_always_revalidate():
    cache = netlify_headers("/pagefind/pagefind.js", CONFIG)["Cache-Control"]
    assert "max-age=0" in cache and "must-revalidate" in cache
    assert "Content-Security-Policy" in netlify_headers("/pagefind/pagefind.js", CONFIG)
    assert "Cache-Control" not in netlify_headers("/index.html", CONFIG)


def test_our_pages_have_no_inline_script_or_style(example_project):
    assert example_project.run().returncode == 0
    for page in example_project.output.rglob("*.html"):
        if page.relative_to(example_project.output).parts[0] == "pagefind":
            continue
        text = page.read_text()
        # Only data blocks (JSON-LD), which a browser never runs, may sit inline.
        assert not re.search(r"<script(?![^>]*\b(?:src=|type=\"application/ld\+json\"))[^>]*>", text), page
        assert " style=" not in text and "<style" not in text, page
        assert not re.search(r"\son[a-z]+=", text), page
