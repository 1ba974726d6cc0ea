"""Every word a page shows comes from the message catalogue."""

from __future__ import annotations

import shutil

from panchina.catalogue import SOURCES, missing
from tests.conftest import ROOT


def test_every_message_in_the_templates_and_code_is_in_the_english_catalogue():
    assert missing() == []


def test_a_template_that_gains_a_message_fails_until_the_catalogue_has_it(tmp_path):
    templates = tmp_path / "templates"
    shutil.copytree(ROOT / "templates", templates)
    page = templates / "404.html"
    page.write_text(page.read_text().replace("{% block main %}", "{% block main %}{{ _('A brand new sentence') }}"))
    sources = [(templates, SOURCES[0][1]), *SOURCES[1:]]
    assert missing(sources) == ["A brand new sentence"]
