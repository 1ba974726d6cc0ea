"""``build.py check --format github``: every problem as a GitHub Actions annotation (issue 11)."""

from __future__ import annotations

import pytest

from panchina.errors import ContentError, github_annotation


def test_an_error_names_its_file_line_and_field():
    problem = ContentError("content/stories/2026/a.md", 4, "date", "'2023-02-30' does not exist",
                           "check the day of the month")
    assert github_annotation(problem) == ("::error file=content/stories/2026/a.md,line=4,title=date::"
                                          "'2023-02-30' does not exist — check the day of the month")


def test_a_whole_file_problem_has_no_line_and_a_warning_its_level():
    problem = ContentError("content/site.yaml", None, None, "is empty")
    assert github_annotation(problem, "warning") == "::warning file=content/site.yaml,title=content::is empty"


@pytest.mark.parametrize(("message", "shown"), [
    ("100% sure", "100%25 sure"),
    ("a: b, c", "a: b, c"),  # the message keeps : and , (only properties escape them)
    ("line\nbreak\rthere", "line\\nbreak\\rthere"),  # made visible first, as on the terminal
])
def test_the_message_is_escaped_as_github_documents(message, shown):
    annotation = github_annotation(ContentError("a.md", 1, "title", message))
    assert annotation == f"::error file=a.md,line=1,title=title::{shown}"


def test_properties_escape_colon_comma_percent_and_line_breaks():
    problem = ContentError("content/stories/a,b:c%.md", 2, "x:y,z\n", "m")
    assert github_annotation(problem) == ("::error file=content/stories/a%2Cb%3Ac%25.md,line=2,"
                                          "title=x%3Ay%2Cz\\n::m")


def test_check_prints_annotations_for_every_problem_and_warning(project):
    project.story("2026/bad.md", date="2026-02-30", extra="clubz: [Milan]")
    result = project.run("check", "--format", "github")
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        "::error file=content/stories/2026/bad.md,line=4,title=date::'2026-02-30' does not exist: "
        "February 2026 has 28 days — check the day of the month",
        "::error file=content/stories/2026/bad.md,line=6,title=clubz::unknown field — did you mean 'clubs'?",
    ]
    assert result.stderr.startswith("Check failed: 2 problems to fix.\n")


def test_check_prints_warnings_as_warning_annotations(project):
    project.story("2026/a.md", clubs="[Real Madrid]")
    project.story("2026/b.md", clubs="[Real Madrid CF]")
    result = project.run("check", "--format", "github")
    assert result.returncode == 0, result.stderr
    annotations = [line for line in result.stdout.splitlines() if line.startswith("::")]
    assert annotations and all(line.startswith("::warning file=") for line in annotations)


def test_the_default_output_has_no_annotations(project):
    project.story("2026/bad.md", date="2026-02-30")
    result = project.run("check")
    assert result.returncode == 1 and "::" not in result.stdout + result.stderr
    assert result.stderr == ("Check failed: 1 problem to fix.\n  content/stories/2026/bad.md:4: date: "
                             "'2026-02-30' does not exist: February 2026 has 28 days — check the day of the month\n")


def test_a_valid_site_prints_no_annotation(project):
    project.story("2026/a.md")
    result = project.run("check", "--format", "github")
    assert result.returncode == 0 and "::" not in result.stdout
