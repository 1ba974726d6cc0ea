"""Random front matter and bodies: every input builds or gives our error, with file and line."""

from __future__ import annotations

import unicodedata
from datetime import date

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from panchina.config import Registry
from panchina.content import OPTIONAL, REQUIRED, StoryFile, story_from_text
from panchina.model import Story

FIELDS = st.sampled_from(REQUIRED + OPTIONAL + ("clubz", "Coach", "date ", "", "---"))
# Controls, invisible format characters, joiners and YAML's extra line breaks.
HIDDEN = st.sampled_from(["\0", "\x07", "\x1b", "\x7f", "\x85", "\x9b", "\u200b", "\u200c", "\u200d", "\u202e",
                          "\u2066", "\u00ad", "\ufeff", "\u2028", "\u2029", "\t", "\n", "\r"])
TEXT = st.text(st.characters() | HIDDEN, max_size=40)
SCALARS = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True), TEXT,
                    st.dates().map(str), st.sampled_from(["2024-02-30", "2026-03", "1999", "no", "~", "*x", "&a",
                                                          "٢٠٢٣-٠٢-٠١", "2:1", "20_24", "pt-BR", "zh-hant"]))
VALUES = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner,
                                                                                           max_size=3), max_leaves=8)
REGISTRIES = {"coach": Registry(), "club": Registry()}
FILE = StoryFile(path="", shown="content/stories/2026/x.md", relative="2026/x.md")


def check(text: str) -> None:
    errors = []
    story = story_from_text(FILE, text, REGISTRIES, "en", date(2026, 11, 26), errors)
    if story is not None:
        assert isinstance(story, Story) and errors == []
        return
    assert errors, "no story and no error"
    for error in errors:
        assert error.path == FILE.shown
        assert isinstance(error.line, int) and 1 <= error.line <= text.count("\n") + 2, error
        assert error.message and error.hint
        shown = str(error)  # one visible line, whatever the content quoted in it
        assert not any(unicodedata.category(char) in ("Cc", "Cf", "Zl", "Zp", "Cs") for char in shown), shown


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(FIELDS, VALUES, max_size=8), st.text(max_size=200))
def test_random_front_matter_builds_or_fails_cleanly(fields, body):
    front = yaml.safe_dump(fields, allow_unicode=True) if fields else ""
    check(f"---\n{front}---\n{body}")


@settings(max_examples=300, deadline=None)
@given(st.text(st.characters() | HIDDEN, max_size=300))
def test_random_text_builds_or_fails_cleanly(text):
    check(text)


@settings(max_examples=300, deadline=None)
@given(st.text(st.sampled_from("-:[]{}?!&*<>|'\"\\ \n\tabc0x1") | HIDDEN, max_size=120))
def test_random_yaml_punctuation_builds_or_fails_cleanly(front):
    check(f"---\ncoach: A\nclubs: [B]\n{front}\ndate: 2024-01-01\nsource: C\n---\n")


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(["---", "coach: A", "clubs: [B]", "date: 2024-01-01", "source: C", "  - x",
                                 "\t", "'", '"', ": ", "[", "{", "&a x", "*a", "!!python/name:os.system",
                                 "title: a: b", "", "lang: it", "date: !!timestamp 2023-02-30", "coach: !!int abc",
                                 "<<: {title: x}", "title: \"\\o/\"", "title: \"\\x07\"", "title: a\u2028b",
                                 "title: 'a\x85b'", "coach: B", "clubs: " + "[" * 30, "]" * 30, "- " * 25 + "x",
                                 "lang: pt-BR", "title: 2:1", "\"ti\\ntle\": x", "source: \u202eC"]), max_size=12))
def test_random_yaml_shaped_lines_build_or_fail_cleanly(lines):
    check("\n".join(lines))
