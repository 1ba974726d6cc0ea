from datetime import date

from panchina.pipeline import load
from tests.conftest import story_text


def test_lookalike_clubs_and_coaches_are_warned_about(project):
    project.write("content/stories/2026/a.md", story_text(coach="Massimiliano Allegri", clubs="[Real Madrid]"))
    project.write("content/stories/2026/b.md", story_text(coach="Max Allegri", clubs="[Real Madrid CF]"))
    warnings = [str(w) for w in load(project.content, date(2026, 11, 26), with_warnings=True).warnings]
    assert len(warnings) == 2
    assert "clubs: 'Real Madrid CF' looks like 'Real Madrid'" in warnings[0]
    assert "coach: 'Max Allegri' looks like 'Massimiliano Allegri'" in warnings[1]


def test_aliased_names_are_not_warned_about(project):
    project.write("content/clubs.yaml", "- name: Real Madrid\n  aliases: [Real Madrid CF]\n")
    project.write("content/stories/2026/a.md", story_text(clubs="[Real Madrid]"))
    project.write("content/stories/2026/b.md", story_text(clubs="[Real Madrid CF]"))
    loaded = load(project.content, date(2026, 11, 26), with_warnings=True)
    assert loaded.warnings == []
    assert [c.name for c in loaded.archive.clubs] == ["Real Madrid"]
    assert loaded.archive.clubs[0].aliases == ("Real Madrid CF",)


def test_different_clubs_are_not_lookalikes(project):
    project.write("content/stories/2026/a.md", story_text(clubs="[Inter]"))
    project.write("content/stories/2026/b.md", story_text(clubs="[Internacional]"))
    assert load(project.content, date(2026, 11, 26), with_warnings=True).warnings == []


def test_two_stories_with_one_address_are_an_error():
    from panchina.archive import build_archive
    from panchina.config import Registry
    from panchina.model import PartialDate, Story

    def story(path, url):
        return Story(path=path, place=tuple(url.strip("/").split("/")[1:]), coach_name="A", club_names=("B",),
                     date=PartialDate(2026), source_name="C", source_url=None, title="t", lang="en", body_hash="",
                     body_line=6)

    errors = []
    build_archive([story("content/stories/2026/a.md", "/stories/2026/a/"),
                   story("content/stories/2026/A.md", "/stories/2026/A/")],
                  {"coach": Registry(), "club": Registry()}, errors)
    assert [str(e) for e in errors] == [
        "content/stories/2026/A.md: makes the same address /stories/2026/A/ as content/stories/2026/a.md — "
        "rename one of the two files"]
