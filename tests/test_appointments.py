"""``content/appointments.yaml`` and ``status:``: every mistake pinned by its exact message (issue 9)."""

from __future__ import annotations

import pytest

from panchina.errors import BuildFailed
from panchina.pipeline import load
from tests.conftest import TODAY, story_text

FILE = "content/appointments.yaml"
SPELL = "- coach: Massimiliano Allegri\n  club: Juventus\n  from: 2021\n  source: Marca\n"


def problems(project, monkeypatch, appointments: str | None, **story) -> list[str]:
    monkeypatch.chdir(project.root)
    project.write("content/stories/2021/a.md", story_text(date="2021", **story))
    if appointments is not None:
        project.write(FILE, appointments)
    try:
        load(project.content.relative_to(project.root), today=TODAY)
    except BuildFailed as failure:
        return [str(error) for error in failure.errors]
    return []


CASES = {
    "not a list": (
        "coach: Massimiliano Allegri\n",
        [f"{FILE}:1: must be a list of appointments — write each spell as '- coach: Name', then 'club:', "
         "'from:' and 'source:' lines indented below it"]),
    "entry not a mapping": (
        SPELL + "- just text\n",
        [f"{FILE}:5: an appointment must be a set of 'field: value' lines — write each spell as '- coach: Name', "
         "then 'club:', 'from:' and 'source:' lines indented below it"]),
    "unknown and missing field": (
        "- coach: Massimiliano Allegri\n  clubs: Juventus\n  from: 2021\n  source: Marca\n",
        [f"{FILE}:1: club: missing — add a line 'club: …' (required fields: coach, club, from, source)",
         f"{FILE}:2: clubs: unknown field — did you mean 'club'?"]),
    "bad month": (
        SPELL.replace("from: 2021", "from: 2021-13"),
        [f"{FILE}:3: from: '2021-13' has no month 13 — months run from 01 to 12: write YYYY-MM-DD"]),
    "from in the future": (
        SPELL.replace("from: 2021", "from: 2030"),
        [f"{FILE}:3: from: '2030' is in the future: the latest date allowed is 2026-11-27, one day after today, "
         "for time zones — record a spell once it has begun"]),
    "to in the future": (
        SPELL + "  to: 2027-01\n",
        [f"{FILE}:5: to: '2027-01' is in the future: the latest date allowed is 2026-11-27, one day after today, "
         "for time zones — leave 'to:' out while the spell runs"]),
    "to before from": (
        SPELL.replace("from: 2021", "from: 2021-06\n  to: 2021-05-31"),
        [f"{FILE}:4: to: '2021-05-31' is before 'from' (2021-06) — check both dates: 'to' is the last day in "
         "charge, 'from' the first"]),
    "bad source url": (
        SPELL + "  source_url: www.marca.com\n",
        [f"{FILE}:5: source_url: 'www.marca.com' is not a web address — use the full address of the report, "
         "starting with https:// or http://"]),
    "coach typo": (
        SPELL.replace("Massimiliano Allegri", "Massimiliano Alegri"),
        [f"{FILE}:1: coach: 'Massimiliano Alegri' is not a name any story or content/coaches.yaml uses — did you "
         "mean 'Massimiliano Allegri'? If not, add 'Massimiliano Alegri' to content/coaches.yaml"]),
    "club typo": (
        SPELL.replace("Juventus", "Real Madird"),
        [f"{FILE}:2: club: 'Real Madird' is not a name any story or content/clubs.yaml uses — did you mean "
         "'Real Madrid'? If not, add 'Real Madird' to content/clubs.yaml"]),
    "overlaps a running spell": (
        SPELL + SPELL.replace("Juventus", "Real Madrid").replace("2021", "2023-02"),
        [f"{FILE}:5: from: Massimiliano Allegri's spell at Real Madrid from 2023-02 overlaps the spell at "
         "Juventus on line 1, which has no 'to' and so is still running — add 'to:' to the spell on line 1"]),
    "overlaps an ended spell": (
        SPELL.replace("2021", "2018") + "  to: 2020\n" + SPELL.replace("Juventus", "Milan").replace("2021", "2019-12"),
        [f"{FILE}:6: from: Massimiliano Allegri's spell at Milan from 2019-12 overlaps the spell at Juventus on "
         "line 1 (2018 to 2020) — a coach leads one club at a time: correct the dates of one of the two spells"]),
    "tab": (
        "- coach: Massimiliano Allegri\n\tclub: Juventus\n",
        [f"{FILE}:2: a tab character — indent with spaces, not tabs"]),
}


@pytest.mark.parametrize("case", CASES)
def test_appointment_mistakes_are_pinned(project, monkeypatch, case):
    text, expected = CASES[case]
    assert problems(project, monkeypatch, text) == expected


def test_valid_spells_pass_including_a_handover_in_the_same_year(project, monkeypatch):
    handover = SPELL.replace("from: 2021", "from: 2019\n  to: 2021") + SPELL.replace("Juventus", "Milan")
    assert problems(project, monkeypatch, handover) == []
    assert problems(project, monkeypatch, None) == []  # the file is optional


def test_every_problem_at_once_with_the_stories(project, monkeypatch):
    found = problems(project, monkeypatch, SPELL.replace("2021", "2021-13") + "- x\n",
                     extra="status: rumor")
    assert found == [
        f"{FILE}:3: from: '2021-13' has no month 13 — months run from 01 to 12: write YYYY-MM-DD",
        f"{FILE}:5: an appointment must be a set of 'field: value' lines — write each spell as '- coach: Name', "
        "then 'club:', 'from:' and 'source:' lines indented below it",
        "content/stories/2021/a.md:6: status: 'rumor' is not a status — did you mean 'rumour'? write one of: "
        "rumour, talks, agreed, signed, denied, collapsed",
    ]


@pytest.mark.parametrize(("written", "expected"), [
    ("Talks", "content/stories/2021/a.md:6: status: 'Talks' is not a status — did you mean 'talks'? write one of: "
              "rumour, talks, agreed, signed, denied, collapsed"),
    ("maybe", "content/stories/2021/a.md:6: status: 'maybe' is not a status — write one of: "
              "rumour, talks, agreed, signed, denied, collapsed"),
    ("[talks]", "content/stories/2021/a.md:6: status: must be a status, not a list — write one value after "
                "'status:'"),
])
def test_status_mistakes_are_pinned(project, monkeypatch, written, expected):
    assert problems(project, monkeypatch, None, extra=f"status: {written}") == [expected]


def test_a_story_status_is_read_and_defaults_to_rumour(project, monkeypatch):
    monkeypatch.chdir(project.root)
    project.write("content/stories/2021/a.md", story_text(date="2021", extra="status: collapsed"))
    project.write("content/stories/2021/b.md", story_text(date="2021"))
    loaded = load(project.content.relative_to(project.root), today=TODAY)
    assert {story.place[-1]: story.status for story in loaded.archive.stories} == {"a": "collapsed", "b": "rumour"}


def test_the_command_line_lists_appointment_mistakes_and_leaves_output_alone(project):
    project.story("2021/a.md", date="2021")
    assert project.run("build", "--no-search").returncode == 0
    before = project.snapshot()
    project.write(FILE, SPELL.replace("from: 2021", "from: 2021-13"))
    result = project.run("build", "--no-search")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr + result.stdout
    assert (f"{FILE}:3: from: '2021-13' has no month 13 — months run from 01 to 12: write YYYY-MM-DD"
            in result.stderr + result.stdout)
    assert project.snapshot() == before


def test_a_warm_build_keeps_the_status_of_a_cached_story(project):
    """The build cache stores checked stories: a status it dropped would turn into "rumour" on the next build."""
    from panchina.pipeline import Paths, build

    project.story("2021/a.md", date="2021", extra="status: collapsed")
    project.story("2021/b.md", date="2021-05")
    paths = Paths(content=project.content, output=project.output, templates=project.root / "templates",
                  static=project.root / "static", cache=project.root / ".cache")
    build(paths, search=False, today=TODAY)
    project.story("2021/b.md", date="2021-06")  # an edit elsewhere: a.md now comes from the cache
    build(paths, search=False, today=TODAY)
    page = (project.output / "stories/2021/a/index.html").read_text()
    assert 'data-pagefind-filter="status" data-pagefind-meta="status">collapsed<' in page


def test_the_preview_resolves_again_when_only_the_appointments_change(project):
    """Only appointments.yaml changed: every story is unchanged, yet its outcome label must follow."""
    from panchina.pipeline import Paths
    from panchina.serve import PreviewSite

    project.story("2026/a.md", clubs="[Juventus]", date="2026-03-04")
    paths = Paths(content=project.content, output=project.output, templates=project.root / "templates",
                  static=project.root / "static", cache=None)
    preview = PreviewSite(paths, search=False)
    assert preview.rebuild()
    page = project.output / "stories/2026/a/index.html"
    assert 'data-pagefind-filter="outcome">open<' in page.read_text()
    changed = project.write(FILE, SPELL.replace("from: 2021", "from: 2026-07"))
    assert preview.rebuild([str(changed)])
    assert 'data-pagefind-filter="outcome">came true<' in page.read_text()
