"""Every content mistake a contributor can make, pinned by its exact message."""

from __future__ import annotations

import os
from datetime import date

import pytest

from panchina.errors import BuildFailed
from panchina.pipeline import load
from panchina.urls import story_url
from tests.conftest import story_text

TODAY = date(2026, 11, 26)
FILE = "content/stories/2026/x.md"


def problems(project, monkeypatch) -> list[str]:
    monkeypatch.chdir(project.root)
    try:
        load(project.content.relative_to(project.root), today=TODAY)
    except BuildFailed as failure:
        return [str(error) for error in failure.errors]
    return []


CASES = {
    "unclosed quote": (
        '---\ncoach: "Allegri\nclubs: [Real Madrid]\ndate: 2026-03-04\nsource: CdS\n---\n',
        f"{FILE}:2: coach: a quoted value is never closed — add the closing quote, or remove the opening one"),
    "tab indent": (
        "---\ncoach: Allegri\nclubs:\n\t- Real Madrid\ndate: 2026-03-04\nsource: CdS\n---\n",
        f"{FILE}:4: a tab character — indent with spaces, not tabs"),
    "bad indent": (
        "---\ncoach: Allegri\nclubs:\n  - Real Madrid\n - Milan\ndate: 2026-03-04\nsource: CdS\n---\n",
        f"{FILE}:5: did not find expected key — check the quotes, colons and indentation on this line "
        "and the one before"),
    "no front matter": (
        "Just a body.\n",
        f"{FILE}:1: has no front matter — start the file with a line '---', then the fields "
        "(coach:, clubs:, date:, source:), then another '---' line"),
    "never closed": (
        "---\ncoach: A\n",
        f"{FILE}:1: the front matter opened on line 1 is never closed — add a line of three dashes (---) "
        "after the last field"),
    "list front matter": (
        "---\n- a\n- b\n---\n",
        f"{FILE}:2: the front matter is a list, not fields — write one 'field: value' per line: "
        "coach:, clubs:, date:, source:"),
    "scalar front matter": (
        "---\njust words\n---\n",
        f"{FILE}:2: the front matter is plain text, not fields — write one 'field: value' per line: "
        "coach:, clubs:, date:, source:"),
    "empty file": (
        "",
        f"{FILE}:1: the file is empty — start the file with a line '---', then the fields "
        "(coach:, clubs:, date:, source:), then another '---' line"),
    "missing source": (
        story_text(source=None),
        f"{FILE}:1: source: missing — add a line 'source: …' (required fields: coach, clubs, date, source)"),
    "coach is a list": (
        story_text(coach="[a, b]"),
        f"{FILE}:2: coach: must be a name, not a list — write one value after 'coach:'"),
    "clubs is a mapping": (
        story_text(clubs="{a: 1}"),
        f"{FILE}:3: clubs: must be a list of names, not a set of key: value pairs — "
        "write 'clubs: [First Club, Second Club]', or one name"),
    "date is a number": (
        story_text(date="12"),
        f"{FILE}:4: date: '12' is not a date — write YYYY-MM-DD, or YYYY-MM / YYYY when only "
        "the month or year is known"),
    "impossible day": (
        story_text(date="2023-02-30"),
        f"{FILE}:4: date: '2023-02-30' does not exist: February 2023 has 28 days — check the day of the month"),
    "slashes and month 13": (
        story_text(date="2023/13/01"),
        f"{FILE}:4: date: '2023/13/01' is not a date — write YYYY-MM-DD, or YYYY-MM / YYYY when only "
        "the month or year is known"),
    "month 13": (
        story_text(date='"2023-13"'),
        f"{FILE}:4: date: '2023-13' has no month 13 — months run from 01 to 12: write YYYY-MM-DD"),
    "a word for a date": (
        story_text(date="yesterday"),
        f"{FILE}:4: date: 'yesterday' is not a date — write YYYY-MM-DD, or YYYY-MM / YYYY when only "
        "the month or year is known"),
    "future date": (
        story_text(date="2026-11-28"),
        f"{FILE}:4: date: '2026-11-28' is in the future: the latest date allowed is 2026-11-27, one day after "
        "today, for time zones — use the date the rumour was reported, not the date of the move"),
    "unknown key": (
        story_text(extra="sorce_url: https://example.com/"),
        f"{FILE}:6: sorce_url: unknown field — did you mean 'source_url'?"),
    "python object tag": (
        story_text(coach='!!python/object/apply:os.system ["echo hi"]'),
        f"{FILE}:2: coach: the tag !!python/object/apply:os.system is not allowed — "
        "write plain text, lists and key: value pairs only"),
    "billion laughs": (
        story_text(extra='a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
                         'b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]'),
        f"{FILE}:7: b: YAML anchors and aliases (&name, *name) are not allowed — write the value out in full"),
    "2,000 clubs": (
        story_text(clubs="[" + ", ".join(f"Club {i}" for i in range(2000)) + "]"),
        f"{FILE}:3: clubs: has 2000 names; at most 10 are allowed — keep the ones the report names; "
        "split it into several stories if needed"),
    "5,000-character name": (
        story_text(coach="A" * 5000),
        f"{FILE}:2: coach: is 5000 characters long; at most 100 are allowed — shorten it"),
    "javascript url": (
        story_text(extra="source_url: javascript:alert(1)"),
        f"{FILE}:6: source_url: 'javascript:alert(1)' is not a web address — use the full address of the "
        "report, starting with https:// or http://"),
    "data url": (
        story_text(extra="source_url: data:text/html,hi"),
        f"{FILE}:6: source_url: 'data:text/html,hi' is not a web address — use the full address of the "
        "report, starting with https:// or http://"),
    "file url": (
        story_text(extra="source_url: file:///etc/passwd"),
        f"{FILE}:6: source_url: 'file:///etc/passwd' is not a web address — use the full address of the "
        "report, starting with https:// or http://"),
    "url with a password": (
        story_text(extra="source_url: https://editor:s3cret@www.marca.com/futbol/story.html"),
        f"{FILE}:6: source_url: has a user name or password before @ in the address of www.marca.com — link "
        "to the address readers can open, without the 'name:password@' part"),
    "url with a user name": (
        story_text(extra="source_url: https://editor@www.marca.com/"),
        f"{FILE}:6: source_url: has a user name or password before @ in the address of www.marca.com — link "
        "to the address readers can open, without the 'name:password@' part"),
    "relative url": (
        story_text(extra="source_url: /stories/2026/"),
        f"{FILE}:6: source_url: '/stories/2026/' is not a web address — use the full address of the "
        "report, starting with https:// or http://"),
    "yes/no trap": (
        story_text(coach="no"),
        f"{FILE}:2: coach: must be a name, but it is read as false (yes/no/on/off) — "
        "write the value after 'coach:' in quotes"),
    "bad language": (
        story_text(extra="lang: itt"),
        f"{FILE}:6: lang: 'itt' is not a language code — did you mean 'it'? write a language code such as "
        "en, it, es, de or fr, or one with a region such as pt-BR"),
    "name with no slug": (
        story_text(coach="日本"),
        f"{FILE}:2: coach: '日本' has no letters or digits that can make a web address — write the name in "
        "Latin letters, or add this spelling as an alias in the registry"),
}


@pytest.mark.parametrize("text, expected", CASES.values(), ids=CASES.keys())
def test_each_mistake_has_its_exact_message(project, monkeypatch, text, expected):
    project.write(FILE, text)
    assert problems(project, monkeypatch) == [expected]


def test_every_problem_in_the_folder_is_reported_in_one_run(project, monkeypatch):
    for index, (text, _) in enumerate(CASES.values()):
        project.write(f"content/stories/2026/case-{index:02d}.md", text)
    project.story("2026/fine.md")
    found = problems(project, monkeypatch)
    assert len(found) == len(CASES)
    assert all(f"case-{index:02d}.md" in line for index, line in enumerate(found))


@pytest.mark.parametrize("date_text", ["2024-01-05", '"2024-01-05"', "'2024-01-05'", "2024-01", '"2024-01"', "2024"])
def test_quoted_and_unquoted_dates_are_accepted(project, monkeypatch, date_text):
    project.story("2026/x.md", date=date_text)
    assert problems(project, monkeypatch) == []


def test_a_file_name_that_is_not_a_slug_gets_the_right_name(project, monkeypatch):
    project.story("2026/Real Madrid_Allegri.md")
    assert problems(project, monkeypatch) == [
        "content/stories/2026/Real Madrid_Allegri.md: the name 'Real Madrid_Allegri' is not a lower-case slug "
        "(a-z, 0-9 and -) — rename it to content/stories/2026/real-madrid-allegri.md"]


def test_two_spellings_with_one_slug_name_both_files(project, monkeypatch):
    project.story("2026/a.md", clubs="[Real Madrid]")
    project.story("2026/b.md", clubs="[real madrid]")
    assert problems(project, monkeypatch) == [
        "content/stories/2026/b.md:3: clubs: 'real madrid' and 'Real Madrid' (content/stories/2026/a.md:3) make "
        "the same address /clubs/real-madrid/ — spell both the same way, or list one as an alias of the other "
        "in content/clubs.yaml"]


def test_nfc_and_nfd_spellings_are_one_name(project, monkeypatch):
    project.story("2026/a.md", coach="J\u00fcrgen Klopp")
    project.story("2026/b.md", coach="Ju\u0308rgen Klopp")
    monkeypatch.chdir(project.root)
    loaded = load(project.content.relative_to(project.root), today=TODAY)
    assert [coach.name for coach in loaded.archive.coaches] == ["J\u00fcrgen Klopp"]
    assert loaded.archive.coaches[0].count == 2


def test_accents_that_make_one_slug_are_an_error(project, monkeypatch):
    project.story("2026/a.md", coach="Jurgen Klopp")
    project.story("2026/b.md", coach="Jürgen Klopp")
    assert problems(project, monkeypatch) == [
        "content/stories/2026/b.md:2: coach: 'Jürgen Klopp' and 'Jurgen Klopp' (content/stories/2026/a.md:2) make "
        "the same address /coaches/jurgen-klopp/ — spell both the same way, or list one as an alias of the other "
        "in content/coaches.yaml"]


def test_non_utf8_bytes_name_the_byte_offset(project, monkeypatch):
    data = story_text(source="C\udce9S").encode("utf-8", "surrogateescape")
    project.write(FILE, data)
    offset = data.index(b"\xe9")
    assert problems(project, monkeypatch) == [
        f"{FILE}:5: is not valid UTF-8 (byte offset {offset}) — save the file with UTF-8 encoding"]


def test_a_nul_byte_names_the_byte_offset(project, monkeypatch):
    data = story_text(body="body\0").encode()
    project.write(FILE, data)
    offset = data.index(b"\0")
    assert problems(project, monkeypatch) == [
        f"{FILE}:7: contains a NUL byte at byte offset {offset} — the file is binary or damaged: "
        "save it again as plain UTF-8 text"]


def test_a_symlink_out_of_the_content_folder_is_refused(project, monkeypatch, tmp_path):
    secret = tmp_path / "secret.md"
    secret.write_text(story_text(body="SECRET"))
    os.symlink(secret, project.content / "stories" / "leak.md")
    assert problems(project, monkeypatch) == [
        "content/stories/leak.md: is a link to a file outside the content folder — copy the story into "
        "content/stories instead of linking to it"]


def test_a_symlink_inside_the_content_folder_is_read(project, monkeypatch):
    project.story("2026/a.md")
    os.symlink("2026/a.md", project.content / "stories" / "b.md")
    monkeypatch.chdir(project.root)
    loaded = load(project.content.relative_to(project.root), today=TODAY)
    assert sorted(story_url(story) for story in loaded.archive.stories) == ["/stories/2026/a/", "/stories/b/"]


def test_an_unreadable_story_is_reported(project, monkeypatch):
    os.symlink("nowhere.md", project.content / "stories" / "dangling.md")
    assert problems(project, monkeypatch) == [
        "content/stories/dangling.md: cannot be read (No such file or directory) — "
        "check that the file exists and is readable"]


def test_a_10mb_story_is_refused_quickly(project, monkeypatch):
    path = project.write(FILE, story_text(body="x" * 10_000_000))
    assert problems(project, monkeypatch) == [
        f"{FILE}: is {path.stat().st_size:,} bytes; a story may be at most 1,048,576 — "
        "keep the body to the report itself; split a long saga into several stories"]


def test_bom_and_crlf_are_accepted(project, monkeypatch):
    project.write(FILE, ("\ufeff" + story_text()).replace("\n", "\r\n").encode())
    monkeypatch.chdir(project.root)
    loaded = load(project.content.relative_to(project.root), today=TODAY)
    assert loaded.archive.stories[0].coach_name == "Massimiliano Allegri"


def test_a_single_club_string_is_a_one_club_list(project, monkeypatch):
    project.story("2026/x.md", clubs="Real Madrid")
    monkeypatch.chdir(project.root)
    story = load(project.content.relative_to(project.root), today=TODAY).archive.stories[0]
    assert story.club_names == ("Real Madrid",)
    assert story.title is None  # the presentation layer words a default headline (test_present.py)
