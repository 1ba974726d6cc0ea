"""Every word a page shows comes from the message catalogue."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from panchina.catalogue import SOURCES, gaps, missing, translations
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


def test_every_message_is_translated_in_every_catalogue():
    assert "it" in translations()
    assert {language: [str(gap) for gap in gaps(language)] for language in translations()} == {"it": []}


@pytest.fixture
def project(tmp_path):
    """A copy of the code, templates and catalogues: `python -m panchina.catalogue` run there edits the copy."""
    shutil.copytree(ROOT / "panchina", tmp_path / "panchina", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(ROOT / "templates", tmp_path / "templates")
    return tmp_path


def catalogue(project, *args):
    return subprocess.run([sys.executable, "-m", "panchina.catalogue", *args], cwd=project, capture_output=True,
                          text=True, timeout=60)


def where(po: Path, msgid: str) -> str:
    """``path:line`` of a message's msgid line, as the check names it."""
    line = po.read_text().splitlines().index('msgid "' + msgid + '"') + 1
    return f"panchina/locale/it/LC_MESSAGES/messages.po:{line}"


def test_check_fails_on_an_italian_translation_missing_empty_or_with_a_wrong_placeholder(project):
    page = project / "templates/404.html"
    page.write_text(page.read_text().replace("{% block main %}", "{% block main %}{{ _('A brand new sentence') }}"))
    english = project / "panchina/locale/en/LC_MESSAGES/messages.po"
    english.write_text(english.read_text() + '\nmsgid "A brand new sentence"\nmsgstr "A brand new sentence"\n')
    po = project / "panchina/locale/it/LC_MESSAGES/messages.po"
    po.write_text(po.read_text().replace('msgstr "Fonti"', 'msgstr ""')
                  .replace('"Tutte le indiscrezioni su %(name)s"', '"Tutte le indiscrezioni su %(nome)s"'))
    result = catalogue(project, "--check")
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        "panchina/locale/it/LC_MESSAGES/messages.po: 'A brand new sentence': missing — "
        "run 'make messages' to add it, then translate it",
        where(po, "Every rumour about %(name)s") + ": "
        "'Every rumour about %(name)s': unknown named placeholder 'nome' — use the placeholders of the msgid",
        where(po, "Sources") + ": "
        "'Sources': not translated — write its msgstr",
    ]


def test_make_messages_keeps_translations_and_flags_new_and_changed_messages_until_translated(project):
    page = project / "templates/home.html"
    page.write_text(page.read_text().replace('_("Latest rumours")', '_("The latest rumours")')
                    .replace("{% block main %}", "{% block main %}{{ _('A brand new sentence') }}"))
    assert catalogue(project).returncode == 0
    po = project / "panchina/locale/it/LC_MESSAGES/messages.po"
    text = po.read_text()
    assert 'msgid "Sources"\nmsgstr "Fonti"' in text
    assert re.search(r'#, fuzzy\nmsgid "The latest rumours"\nmsgstr "[Uu]ltime indiscrezioni"', text)  # the nearest
    assert 'msgid "A brand new sentence"\nmsgstr ""' in text
    english = (project / "panchina/locale/en/LC_MESSAGES/messages.po").read_text()
    assert 'msgid "A brand new sentence"\nmsgstr "A brand new sentence"' in english
    result = catalogue(project, "--check")
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        where(po, "A brand new sentence") + ": "
        "'A brand new sentence': not translated — write its msgstr",
        where(po, "The latest rumours") + ": "
        "'The latest rumours': marked fuzzy: its English changed — check the translation, then delete '#, fuzzy'",
    ]



FRAGMENT = """\
msgid "Outcome"
msgstr "Esito"

msgid "%(num)s outcome"
msgid_plural "%(num)s outcomes"
msgstr[0] "%(num)s esito"
msgstr[1] "%(num)s esiti"

msgid "Feed"
msgstr "Feed"

msgid "Sources"
msgstr "Sorgenti"
"""


def test_merge_takes_a_fragments_translations_of_new_messages_and_names_what_it_did_not_take(project):
    page = project / "templates/home.html"
    words = "{{ _('Outcome') }}{{ ngettext('%(num)s outcome', '%(num)s outcomes', 2) }}"
    page.write_text(page.read_text().replace("{% block main %}", "{% block main %}" + words))
    fragment = project / "it-outcomes.po"
    fragment.write_text(FRAGMENT)
    result = catalogue(project, "--merge", "it", str(fragment))
    assert result.returncode == 0, result.stderr
    assert result.stderr.splitlines() == [
        f"{fragment}: 'Feed': no template uses it yet, so it was not merged — merge the change that adds it, "
        "run 'make messages', then merge this file again",
        f"{fragment}: 'Sources': already translated as 'Fonti', which was kept "
        "— edit panchina/locale/it/LC_MESSAGES/messages.po to change it",
    ]
    assert result.stdout.splitlines()[-1] == ("Merged 1 file(s) into panchina/locale/it/LC_MESSAGES/messages.po; "
                                              "2 message(s) not taken, listed above")
    text = (project / "panchina/locale/it/LC_MESSAGES/messages.po").read_text()
    assert 'msgid "Outcome"\nmsgstr "Esito"' in text
    assert 'msgstr[0] "%(num)s esito"\nmsgstr[1] "%(num)s esiti"' in text
    assert catalogue(project, "--check").returncode == 0
