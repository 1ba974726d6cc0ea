"""FieldReader: one place decides what text is, and quotes values as they are written."""

from __future__ import annotations

import pytest

from panchina.errors import describe_character
from panchina.fields import FieldReader, hidden_character
from panchina.yamltext import parse_yaml


def reader(text: str, first_line: int = 2, **options) -> tuple[FieldReader, list]:
    errors = []
    document = parse_yaml(text, first_line)
    return FieldReader("x.md", document.data, document.key_lines, first_line, errors, **options), errors


@pytest.mark.parametrize("text, hidden", [
    ("Allegri", None),
    ("Jürgen Klopp", None),
    ("A\tB\nC\rD", None),  # whitespace, folded later
    ("Non\u00a0breaking", None),  # a space, folded later
    ("Test\0Coach", "\0"),
    ("T\x1bx\x07", "\x1b"),
    ("DEL\x7f", "\x7f"),
    ("C1\x85\x9b", "\x85"),
    ("bidi\u202eoverride", "\u202e"),
    ("isolate\u2066", "\u2066"),
    ("mark\u200e", "\u200e"),
    ("zero\u200bwidth", "\u200b"),
    ("soft\u00adhyphen", "\u00ad"),
    ("bom\ufeff", "\ufeff"),
    ("می\u200cخواهم", None),  # Persian: the non-joiner is part of the spelling
    ("क्\u200dष", None),  # Devanagari half form
    ("\U0001F468\u200d\U0001F469", None),  # emoji sequence
    ("Alle\u200dgri", "\u200d"),  # between Latin letters it only hides a second spelling
    ("Алле\u200cгри", "\u200c"),  # Cyrillic does not use joiners either
    ("\u200cمی", "\u200c"),  # a joiner must join two characters
    ("می \u200cخواهم", "\u200c"),  # ... not a space
    ("\U0001F3F4\U000E0067\U000E0062\U000E0077\U000E006C\U000E0073\U000E007F", None),  # the flag of Wales
    ("tag\U000E0067\U000E007F", "\U000E0067"),  # tag letters outside a flag
])
def test_hidden_characters(text, hidden):
    assert hidden_character(text) == hidden


@pytest.mark.parametrize("char, described", [
    ("\0", "the control character U+0000"),
    ("\u202e", "the invisible character U+202E (RIGHT-TO-LEFT OVERRIDE)"),
    ("\U000E0067", "the invisible character U+E0067 (TAG LATIN SMALL LETTER G)"),
])
def test_describe_character(char, described):
    assert describe_character(char) == described


def test_written_keeps_the_spelling_yaml_changed():
    fields, _ = reader("title: 2:1\nclubs: [0x10, 'x']\ncoach: 1_000\n")
    assert fields.data == {"title": 121, "clubs": [16, "x"], "coach": 1000}
    assert fields.written("title") == "2:1"
    assert fields.written("clubs", 0) == "0x10"
    assert fields.written("coach") == "1_000"


def test_written_falls_back_to_the_value_for_a_plain_dict():
    errors = []
    fields = FieldReader("x.md", {"title": 7, "clubs": [8]}, {"title": 0, "clubs": 1}, 2, errors)
    assert fields.written("title") == "7" and fields.written("clubs", 0) == "8"


def test_numbers_are_quoted_as_written():
    fields, errors = reader("title: 2.50\nclubs: [Milan, 2:1]\n")
    assert fields.text("title") is None and fields.names("clubs", 5) is None
    assert [str(error) for error in errors] == [
        "x.md:2: title: must be text, but YAML reads 2.50 as a number — put it in quotes: title: \"2.50\"",
        "x.md:3: clubs: must be a name, but YAML reads 2:1 as a number — put it in quotes: \"2:1\"",
    ]


def test_hidden_characters_are_refused_in_every_kind_of_text():
    fields, errors = reader('coach: "A\\0"\nclubs: [B, "C\\e"]\nsource_url: "https://x.org/\\u200b"\n')
    assert fields.name("coach") is None and fields.names("clubs", 5) is None and fields.url("source_url") is None
    hint = "delete it: it is invisible in most editors, so retype the value if you cannot find it"
    assert [str(error) for error in errors] == [
        f"x.md:2: coach: contains the control character U+0000 — {hint}",
        f"x.md:3: clubs: contains the control character U+001B — {hint}",
        f"x.md:4: source_url: contains the invisible character U+200B (ZERO WIDTH SPACE) — {hint}",
    ]


def test_a_missing_key_is_reported_on_the_home_line():
    fields, errors = reader("aliases: [A]\n", first_line=7, home_line=7)
    fields.check_keys(("name",), ("aliases",))
    assert [str(error) for error in errors] == [
        "x.md:7: name: missing — add a line 'name: …' (required fields: name)"]
