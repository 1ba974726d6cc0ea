"""What a hostile or careless contributor writes in YAML, each class pinned by its exact message."""

from __future__ import annotations

from datetime import date

import pytest

from panchina.errors import BuildFailed, ContentError
from panchina.pipeline import load
from tests.conftest import story_text

TODAY = date(2026, 11, 26)
FILE = "content/stories/2026/x.md"
INVISIBLE = "delete it: it is invisible in most editors, so retype the value if you cannot find it"
PLAIN = "write plain text, lists and key: value pairs only"
TWICE = "keep one of them: the second would silently replace the first"


def problems(project, monkeypatch, today: date = TODAY) -> list[str]:
    monkeypatch.chdir(project.root)
    try:
        load(project.content.relative_to(project.root), today=today)
    except BuildFailed as failure:
        return [str(error) for error in failure.errors]
    return []


def loaded_story(project, monkeypatch, today: date = TODAY):
    monkeypatch.chdir(project.root)
    return load(project.content.relative_to(project.root), today=today).archive.stories[0]


CASES = {
    # Deep nesting is refused before the loader recurses into it (it crashed Python).
    "50,000 nested lists": (
        story_text(clubs="[" * 50_000 + "]" * 50_000),
        f"{FILE}:3: clubs: the value is nested more than 20 levels deep — a story needs two levels at most, "
        "as in 'clubs: [A, B]': remove the extra brackets or dashes"),
    "50,000 nested mappings": (
        story_text(extra="a: " + "{a: " * 50_000 + "x" + "}" * 50_000),
        f"{FILE}:6: a: the value is nested more than 20 levels deep — a story needs two levels at most, "
        "as in 'clubs: [A, B]': remove the extra brackets or dashes"),
    "nested block lists": (
        story_text(clubs="\n  " + "- " * 30 + "x"),
        f"{FILE}:4: clubs: the value is nested more than 20 levels deep — a story needs two levels at most, "
        "as in 'clubs: [A, B]': remove the extra brackets or dashes"),
    # Every explicit tag is refused by name, as it is written.
    "timestamp tag": (
        story_text(date="!!timestamp 2023-02-30"),
        f"{FILE}:4: date: the tag !!timestamp is not allowed — {PLAIN}"),
    "int tag": (story_text(coach="!!int abc"), f"{FILE}:2: coach: the tag !!int is not allowed — {PLAIN}"),
    "float tag": (story_text(source="!!float x"), f"{FILE}:5: source: the tag !!float is not allowed — {PLAIN}"),
    "bool tag": (story_text(extra="title: !!bool maybe"), f"{FILE}:6: title: the tag !!bool is not allowed — {PLAIN}"),
    "str tag": (story_text(coach="!!str Allegri"), f"{FILE}:2: coach: the tag !!str is not allowed — {PLAIN}"),
    "local tag": (story_text(coach="!coach Allegri"), f"{FILE}:2: coach: the tag !coach is not allowed — {PLAIN}"),
    "verbatim tag": (
        story_text(coach="!<tag:yaml.org,2002:int> 3"),
        f"{FILE}:2: coach: the tag !<tag:yaml.org,2002:int> is not allowed — {PLAIN}"),
    "tag after an anchor": (
        story_text(coach="&a !!int 3"), f"{FILE}:2: coach: the tag !!int is not allowed — {PLAIN}"),
    "tag on a list item": (
        story_text(clubs="[Milan, !!binary aGk=]"), f"{FILE}:3: clubs: the tag !!binary is not allowed — {PLAIN}"),
    "tag on a key": (
        story_text(extra="!!str title: x"), f"{FILE}:6: title: the tag !!str is not allowed — {PLAIN}"),
    "merge key": (
        story_text(extra="<<: {title: x}"),
        f"{FILE}:6: <<: YAML merge keys are not allowed — write the fields out in full"),
    "merge key with an alias": (
        story_text(extra="a: &base {title: x}\n<<: *base"),
        f"{FILE}:7: <<: YAML anchors and aliases (&name, *name) are not allowed — write the value out in full"),
    # Control and invisible characters, however they are written.
    "NUL escape": (
        story_text(coach='"Test\\0Coach"'),
        f"{FILE}:2: coach: contains the control character U+0000 — {INVISIBLE}"),
    "ESC and BEL escapes": (
        story_text(extra='title: "T\\x1bx\\x07"'),
        f"{FILE}:6: title: contains the control character U+001B — {INVISIBLE}"),
    "C1 escape in a list": (
        story_text(clubs='[Milan, "Real\\u0085Madrid"]'),
        f"{FILE}:3: clubs: contains the control character U+0085 — {INVISIBLE}"),
    "raw bidi override": (
        story_text(coach="Allegri\u202eMassimiliano"),
        f"{FILE}:2: coach: contains the invisible character U+202E (RIGHT-TO-LEFT OVERRIDE) — {INVISIBLE}"),
    "escaped bidi isolate": (
        story_text(source='"CdS\\u2066"'),
        f"{FILE}:5: source: contains the invisible character U+2066 (LEFT-TO-RIGHT ISOLATE) — {INVISIBLE}"),
    "zero-width space": (
        story_text(coach="Alle\u200bgri"),
        f"{FILE}:2: coach: contains the invisible character U+200B (ZERO WIDTH SPACE) — {INVISIBLE}"),
    "soft hyphen": (
        story_text(coach="Alle\u00adgri"),
        f"{FILE}:2: coach: contains the invisible character U+00AD (SOFT HYPHEN) — {INVISIBLE}"),
    "joiner inside a Latin name": (
        story_text(coach="Alle\u200dgri"),
        f"{FILE}:2: coach: contains the invisible character U+200D (ZERO WIDTH JOINER) — {INVISIBLE}"),
    "non-joiner at the end of a name": (
        story_text(coach="Allegri\u200c"),
        f"{FILE}:2: coach: contains the invisible character U+200C (ZERO WIDTH NON-JOINER) — {INVISIBLE}"),
    "raw control character": (
        story_text(extra="title: T\x07x"),
        f"{FILE}:6: title: contains the control character U+0007 — {INVISIBLE}"),
    "raw control character after a non-ASCII one": (
        story_text(coach="Jürgen Klopp", extra="title: Töx\x07"),
        f"{FILE}:6: title: contains the control character U+0007 — {INVISIBLE}"),
    # A key given twice.
    "coach twice": (
        story_text(extra="coach: Someone Else"),
        f"{FILE}:6: coach: is given twice, on line 2 and line 6 — {TWICE}"),
    "quoted and plain key": (
        story_text(extra='"source": Other'),
        f"{FILE}:6: source: is given twice, on line 5 and line 6 — {TWICE}"),
    # Every message is one line; quoted content cannot forge another.
    "newline in a quoted key": (
        story_text(extra='"ti\\ntle": x'),
        f"{FILE}:6: ti\\ntle: unknown field — did you mean 'title'?"),
    "bidi override in a key": (
        story_text(extra='"ti\\u202etle": x'),
        f"{FILE}:6: ti\\u202etle: unknown field — did you mean 'title'?"),
    # An unknown escape is named, not mistaken for an unclosed quote.
    "unknown escape": (
        story_text(extra='title: "Allegri \\o/ at last"'),
        f"{FILE}:6: title: the double-quoted value has an unknown escape '\\o' — put the value in single quotes "
        "instead, where \\ is an ordinary character"),
    "short hex escape": (
        story_text(extra='title: "Allegri \\x4g"'),
        f"{FILE}:6: title: the double-quoted value has an unknown escape '\\x4g' — put the value in single quotes "
        "instead, where \\ is an ordinary character"),
    # Lines are counted at \n only, as editors count them.
    "line separator in a quoted value, then a mistake": (
        story_text(extra='title: "A\u2028B"\nsorce_url: https://example.com/'),
        f"{FILE}:7: sorce_url: unknown field — did you mean 'source_url'?"),
    "paragraph separator in a quoted value, then a YAML mistake": (
        story_text(extra='title: "A\u2029B"\nlang: "it'),
        f"{FILE}:7: lang: a quoted value is never closed — add the closing quote, or remove the opening one"),
    "next line in a quoted value, then a repeated key": (
        story_text(extra='title: "A\x85B"\ncoach: X'),
        f"{FILE}:7: coach: is given twice, on line 2 and line 7 — {TWICE}"),
    "line separator in a quoted value, then a raw control": (
        story_text(extra='title: "A\u2028B"\nlang: i\x07t'),
        f"{FILE}:7: lang: contains the control character U+0007 — {INVISIBLE}"),
    "line separator in a plain value": (
        story_text(extra="title: A\u2028B\nlang: it"),
        f"{FILE}:6: title: contains the invisible character U+2028 (LINE SEPARATOR), which YAML reads as a line "
        "break — replace it with a space, or put the value in quotes"),
    "next line in a block value": (
        story_text(extra="title: |\n  A\x85B\nlang: it"),
        f"{FILE}:7: contains the control character U+0085, which YAML reads as a line break — replace it with "
        "a space, or put the value in quotes"),
    # Hints quote what the contributor wrote, not what YAML made of it.
    "sexagesimal title": (
        story_text(extra="title: 2:1"),
        f"{FILE}:6: title: must be text, but YAML reads 2:1 as a number — put it in quotes: title: \"2:1\""),
    "number in a list": (
        story_text(clubs="[Milan, 1_860]"),
        f"{FILE}:3: clubs: must be a name, but YAML reads 1_860 as a number — put it in quotes: \"1_860\""),
    "hex number": (
        story_text(coach="0x1F"),
        f"{FILE}:2: coach: must be a name, but YAML reads 0x1F as a number — put it in quotes: coach: \"0x1F\""),
    "year with an underscore": (
        story_text(date="20_24"),
        f"{FILE}:4: date: '20_24' is not a date — write YYYY-MM-DD, or YYYY-MM / YYYY when only the month or "
        "year is known"),
    "hex year": (
        story_text(date="0x7E8"),
        f"{FILE}:4: date: '0x7E8' is not a date — write YYYY-MM-DD, or YYYY-MM / YYYY when only the month or "
        "year is known"),
    # Dates in ASCII digits only.
    "Arabic-Indic digits": (
        story_text(date="٢٠٢٣-٠٢-٠١"),
        f"{FILE}:4: date: '٢٠٢٣-٠٢-٠١' is written with digits other than 0-9 — write the date with the digits "
        "0 to 9, as YYYY-MM-DD"),
    "full-width digits": (
        story_text(date="２０２３-０２-０１"),
        f"{FILE}:4: date: '２０２３-０２-０１' is written with digits other than 0-9 — write the date with the "
        "digits 0 to 9, as YYYY-MM-DD"),
    # Language tags: real BCP 47 tags pass, typos do not.
    "unknown region": (
        story_text(extra="lang: pt-XX"),
        f"{FILE}:6: lang: 'pt-XX': XX is not a country or region code — use a two-letter country code such as "
        "pt-BR, or write just 'pt'"),
    "unknown script": (
        story_text(extra="lang: zh-Hanx"),
        f"{FILE}:6: lang: 'zh-Hanx': Hanx is not a script code — use a script such as Latn, Cyrl or Hant, "
        "or write just 'zh'"),
    "language name": (
        story_text(extra="lang: Portuguese"),
        f"{FILE}:6: lang: 'Portuguese' is not a language code — did you mean 'pt'? write a language code such as "
        "en, it, es, de or fr, or one with a region such as pt-BR"),
    "variant": (
        story_text(extra="lang: de-CH-1996"),
        f"{FILE}:6: lang: 'de-CH-1996' is not a language code — did you mean 'de'? write a language code such as "
        "en, it, es, de or fr, or one with a region such as pt-BR"),
}


@pytest.mark.parametrize("text, expected", CASES.values(), ids=CASES.keys())
def test_each_hostile_input_has_its_exact_message(project, monkeypatch, text, expected):
    project.write(FILE, text)
    assert problems(project, monkeypatch) == [expected]


@pytest.mark.parametrize("title", [
    "می\u200cخواهم Allegri",  # Persian needs the non-joiner
    "क्\u200dष Allegri",  # Devanagari: the joiner picks a half form
    "Allegri \U0001F468\u200d\U0001F469\u200d\U0001F467",  # an emoji family is joined
    "Scotland \U0001F3F4\U000E0067\U000E0062\U000E0073\U000E0063\U000E0074\U000E007F",  # a subdivision flag
    "Tab\tand line\u2028separator",  # whitespace, folded into one space
])
def test_joiners_where_a_script_needs_them_are_kept(project, monkeypatch, title):
    project.story("2026/x.md", extra=f'title: "{title}"')
    assert loaded_story(project, monkeypatch).title == " ".join(title.split())


@pytest.mark.parametrize("lang, expected", [
    ("pt-BR", "pt-BR"), ("pt_br", "pt-BR"), ("zh-hant", "zh-Hant"), ("zh-Hant-TW", "zh-Hant-TW"),
    ("es-419", "es-419"), ("IT", "it"), ("yue", "yue"),
])
def test_real_language_tags_are_accepted_and_normalised(project, monkeypatch, lang, expected):
    project.story("2026/x.md", extra=f"lang: {lang}")
    assert loaded_story(project, monkeypatch).lang == expected


def test_the_site_language_may_be_a_tag_with_a_region(project, monkeypatch):
    project.write("content/site.yaml", "language: pt-br\n")
    project.story("2026/x.md")
    monkeypatch.chdir(project.root)
    loaded = load(project.content.relative_to(project.root), today=TODAY)
    assert loaded.config.language == "pt-BR"
    assert loaded.archive.stories[0].lang == "pt-BR"


@pytest.mark.parametrize("when, today, accepted", [
    ("2026-11-27", date(2026, 11, 26), True),  # tomorrow: already today somewhere on Earth
    ("2026-11-28", date(2026, 11, 26), False),
    ("2026-12", date(2026, 11, 30), True),  # the month starts tomorrow
    ("2026-12", date(2026, 11, 29), False),
    ("2027", date(2026, 12, 31), True),
    ("2027", date(2026, 12, 30), False),
])
def test_a_story_may_be_dated_one_day_ahead_and_no_more(project, monkeypatch, when, today, accepted):
    project.story("2026/x.md", date=f'"{when}"')
    found = problems(project, monkeypatch, today)
    latest = date.fromordinal(today.toordinal() + 1).isoformat()
    assert found == ([] if accepted else [
        f"{FILE}:4: date: '{when}' is in the future: the latest date allowed is {latest}, one day after today, "
        "for time zones — use the date the rumour was reported, not the date of the move"])


def test_a_message_quoting_a_newline_stays_on_one_line():
    error = ContentError("content/stories/a\nb.md", 3, "ti\rtle", "'x\u2028y\x85' is wrong", "fix\u202eit")
    assert str(error) == "content/stories/a\\nb.md:3: ti\\rtle: 'x\\u2028y\\x85' is wrong — fix\\u202eit"


def run_check(project, text: str, relative: str = FILE):
    project.write(relative, text)
    result = project.run("check", timeout=60)
    assert "Traceback" not in result.stderr
    return result


@pytest.mark.parametrize("name", ["50,000 nested lists", "NUL escape", "raw control character", "timestamp tag",
                                  "newline in a quoted key", "unknown escape",
                                  "line separator in a quoted value, then a mistake"])
def test_check_prints_one_line_per_problem_and_exits_1(project, name):
    text, expected = CASES[name]
    result = run_check(project, text)
    assert result.returncode == 1
    assert result.stderr.splitlines()[1:] == [f"  {expected}"]


def test_site_yaml_mistakes_through_check(project):
    project.story("2026/x.md")
    project.write("content/site.yaml", "title: !!int x\nbase_url: https://example.com/#top\ntitle: Again\n")
    result = project.run("check", timeout=60)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr.splitlines()[1:] == [
        "  content/site.yaml:1: title: the tag !!int is not allowed — write plain text, lists and key: value "
        "pairs only"]


def test_deep_nesting_in_clubs_yaml_through_build(project):
    project.story("2026/x.md")
    project.write("content/clubs.yaml", "- name: Milan\n  aliases: " + "[" * 50_000 + "]" * 50_000 + "\n")
    result = project.run("--no-search", timeout=60)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr.splitlines()[1:] == [
        "  content/clubs.yaml:2: aliases: the value is nested more than 20 levels deep — a story needs two levels "
        "at most, as in 'clubs: [A, B]': remove the extra brackets or dashes"]
    assert not project.output.exists()


def test_a_regional_site_language_builds(project):
    project.write("content/site.yaml", "language: pt-BR\n")
    project.story("2026/x.md", extra="lang: zh-Hant")
    result = project.run("--no-search", timeout=60)
    assert result.returncode == 0, result.stderr
    assert '<html lang="pt-BR"' in (project.output / "index.html").read_text()
    assert 'lang="zh-Hant"' in (project.output / "stories/2026/x/index.html").read_text()
