"""``build.py new`` run as a contributor runs it: every refusal is one line per problem, nothing written."""

from __future__ import annotations

import os
import sys

import pytest

NEW = ["new", "--coach", "Xabi Alonso", "--club", "Real Madrid", "--source", "Marca"]


def written(project) -> list[str]:
    return sorted(path.relative_to(project.content).as_posix() for path in project.content.rglob("*.md"))


def test_arabic_indic_digits_in_the_date_are_written_as_ascii(project):
    result = project.run(*NEW, "--date", "٢٠٢٤-٠٣-٠١")
    assert result.returncode == 0, result.stderr
    assert result.stdout == ("Wrote content/stories/2024/xabi-alonso-real-madrid.md: write the story in your own "
                             "words below the front matter.\n")
    text = (project.content / "stories/2024/xabi-alonso-real-madrid.md").read_text()
    assert "\ndate: '2024-03-01'\n" in text
    assert project.run("check").returncode == 0


def test_other_scripts_digits_too(project):
    # Persian and Devanagari digits
    assert project.run(*NEW, "--date", "۲۰۲۴-۰۳", "--slug", "a").returncode == 0
    assert project.run(*NEW, "--date", "२०२४", "--slug", "b").returncode == 0
    assert written(project) == ["stories/2024/a.md", "stories/2024/b.md"]
    assert project.run("check").returncode == 0


def test_a_year_folder_that_is_a_file_is_one_clear_line(project):
    project.write("content/stories/2024", "not a folder\n")
    result = project.run(*NEW, "--date", "2024-03")
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        "Nothing was written: 1 problem to fix.",
        ("  content/stories/2024: is a file, so no story can be written in a folder of that name — rename or move "
        "the file, then run build.py new again"),
    ]


def test_names_without_latin_letters_ask_for_a_slug(project):
    result = project.run("new", "--coach", "李明", "--club", "北京国安", "--source", "Xinhua", "--date", "2024")
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        "Nothing was written: 3 problems to fix.",
        ("  build.py new: the names '李明 北京国安' have no letters that can make a file name — pass --slug with a "
        "file name of letters a-z, digits and hyphens, e.g. --slug coach-club"),
        ("  build.py new: clubs: '北京国安' has no letters or digits that can make a web address — write the name "
        "in Latin letters, or add this spelling as an alias in the registry"),
        ("  build.py new: coach: '李明' has no letters or digits that can make a web address — write the name in "
        "Latin letters, or add this spelling as an alias in the registry"),
    ]
    assert written(project) == []


def test_names_with_aliases_in_the_registry_make_the_file_name(project):
    project.write("content/coaches.yaml", "- name: Li Ming\n  aliases: [李明]\n")
    project.write("content/clubs.yaml", "- name: Beijing Guoan\n  aliases: [北京国安]\n")
    result = project.run("new", "--coach", "李明", "--club", "北京国安", "--source", "Xinhua", "--date", "2024")
    assert result.returncode == 0, result.stderr
    assert written(project) == ["stories/2024/li-ming-beijing-guoan.md"]
    assert project.run("check").returncode == 0


@pytest.mark.skipif(sys.platform == "win32" or os.geteuid() == 0, reason="root may write anywhere")
def test_a_folder_that_cannot_be_written_is_one_clear_line(project):
    stories = project.content / "stories"
    stories.chmod(0o500)
    try:
        result = project.run(*NEW, "--date", "2024-03")
    finally:
        stories.chmod(0o700)
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        "Nothing was written: 1 problem to fix.",
        ("  content/stories/2024/xabi-alonso-real-madrid.md: cannot be written (Permission denied) — check that the "
        "content folder exists and that you may write to it"),
    ]


def test_a_write_error_is_one_clear_line(project):
    # A year folder that is a link to nowhere: the folder cannot be made, whoever runs the test.
    (project.content / "stories" / "2024").symlink_to(project.root / "missing" / "2024")
    result = project.run(*NEW, "--date", "2024-03")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.splitlines() == [
        "Nothing was written: 1 problem to fix.",
        ("  content/stories/2024/xabi-alonso-real-madrid.md: cannot be written (File exists) — check that the "
        "content folder exists and that you may write to it"),
    ]


def test_every_problem_of_new_is_listed_at_once_under_its_own_heading(project):
    result = project.run("new", "--coach", "A", "--club", "B", "--source", "C", "--date", "2024-02-31",
                         "--slug", "Not A Slug")
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        "Nothing was written: 2 problems to fix.",
        ("  build.py new: --slug: 'Not A Slug' is not a lower-case slug — use letters a-z, digits and hyphens, "
        "e.g. not-a-slug"),
        "  build.py new: date: '2024-02-31' does not exist: February 2024 has 29 days — check the day of the month",
    ]
    assert written(project) == []
