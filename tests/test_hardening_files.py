"""What the build reads: plain files only, inside the project, none skipped in silence.

And a damaged cache costs time only.
"""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from benchmarks.corpus import generate
from panchina.config import load_site_config
from tests.conftest import ROOT, folder_files


def failed(result, *lines: str) -> None:
    """Exit 1 with exactly the build's outcome line and these problems, and no traceback."""
    assert result.returncode == 1, result.stdout + result.stderr
    noun = "problem" if len(lines) == 1 else "problems"
    assert result.stderr.splitlines() == [
        f"Build stopped: {len(lines)} {noun} to fix. The site in output/ was not changed.",
        *(f"  {line}" for line in lines)]


def built(result, stories: int = 1) -> None:
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"Built {stories} {'story' if stories == 1 else 'stories'}"), result.stdout


# Editor and system files -------------------------------------------------------------------------

EDITOR_DROPPINGS = {".a.md.swp": b"b0VIM 9.0\x00\x00\xff", "a.md~": "---\nbroken\n", "#a.md#": "---\n",
                    ".DS_Store": b"\x00\x00\x00\x01Bud1\x00", "Thumbs.db": b"\xd0\xcf\x11\xe0",
                    "desktop.ini": "[.ShellClassInfo]\n", ".a.md.swo": b"\xff\xfe"}


def test_editor_and_system_files_are_ignored_in_every_folder(project):
    project.story("2026/a.md")
    for name, data in EDITOR_DROPPINGS.items():
        project.write(f"content/stories/2026/{name}", data)
        project.write(f"templates/{name.replace('a.md', 'story.html')}", data)
        project.write(f"static/{name.replace('a.md', 'style.css')}", data)
    result = project.run("--no-search")
    built(result)
    assert result.stderr == ""
    assert sorted(folder_files(project.output / "static")) == ["favicon.svg", "search.js", "share.png", "style.css"]
    check = project.run("check")
    assert (check.returncode, check.stdout) == (0, "OK: 1 story, 1 coach, 1 club\n")


def test_a_binary_file_among_the_templates_is_one_line(project):
    project.story("2026/a.md")
    project.write("templates/logo.png", b"\x89PNG\r\n\x1a\n")
    failed(project.run("--no-search"),
           "templates/logo.png: template: is not UTF-8 text (byte offset 0) — save it as UTF-8, or move it out of "
           "the templates folder if it is not a template")


# Named pipes and other special files: refused, never opened ---------------------------------------------

def test_a_named_pipe_among_the_stories_is_refused_not_read(project):
    project.story("2026/a.md")
    os.mkfifo(project.content / "stories/2026/pipe.md")
    line = ("content/stories/2026/pipe.md: is a named pipe, not a file, so it cannot be a story — delete it, "
            "or put the story's text in an ordinary .md file")
    failed(project.run("--no-search", timeout=60), line)
    check = project.run("check", timeout=60)
    assert check.returncode == 1
    assert check.stderr.splitlines() == ["Check failed: 1 problem to fix.", f"  {line}"]


def test_a_named_pipe_among_the_templates_is_refused_not_read(project):
    project.story("2026/a.md")
    os.mkfifo(project.root / "templates/partial.html")
    failed(project.run("--no-search", timeout=60),
           "templates/partial.html: template: is a named pipe, not a file — delete it, or replace it with the "
           "template's text")


def test_a_named_pipe_in_the_static_folder_is_refused_not_read(project):
    project.story("2026/a.md")
    os.mkfifo(project.root / "static/feed.css")
    failed(project.run("--no-search", timeout=60),
           "static/feed.css: is a named pipe, not a file — delete it: only ordinary files are published from the "
           "static folder")


def test_a_named_pipe_as_the_settings_file_is_refused_not_read(tmp_path):
    os.mkfifo(tmp_path / "site.yaml")
    errors = []

    def waited(signum, frame):
        raise TimeoutError("load_site_config waited for a writer on the pipe")

    previous = signal.signal(signal.SIGALRM, waited)
    signal.alarm(20)  # a read would wait for a writer for ever
    try:
        assert load_site_config(tmp_path, "content/site.yaml", errors).title == "Panchina"
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
    assert [str(e) for e in errors] == [
        "content/site.yaml: is a named pipe, not a file — replace it with an ordinary text file"]


def test_a_named_pipe_as_the_settings_file_does_not_hang_the_build(project):
    project.story("2026/a.md")
    os.mkfifo(project.content / "site.yaml")
    failed(project.run("--no-search", timeout=20),
           "content/site.yaml: is a named pipe, not a file — replace it with an ordinary text file")


def test_a_folder_past_the_systems_path_limit_is_one_line(project):
    project.story("2026/a.md")
    folder = os.open(project.content / "stories", os.O_RDONLY)
    for _ in range(20):  # 20 × 251 characters: past Linux's 4,096
        os.mkdir("d" * 250, dir_fd=folder)
        inner = os.open("d" * 250, os.O_RDONLY, dir_fd=folder)
        os.close(folder)
        folder = inner
    os.close(folder)
    result = project.run("--no-search")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 2
    assert lines[1].startswith("  content/stories/" + "d" * 250 + "/")
    assert lines[1].endswith(": cannot be read (File name too long) — use shorter folder and file names")


# Only files inside the content folder -------------------------------------------------------------

def test_a_stories_folder_linked_from_outside_is_refused(project, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    (elsewhere / "2026").mkdir(parents=True)
    shutil.move(project.story("2026/a.md"), elsewhere / "2026/a.md")
    shutil.rmtree(project.content / "stories")
    os.symlink(elsewhere, project.content / "stories")
    failed(project.run("--no-search"),
           "content/stories: is a link to a folder outside the content folder — move the stories into "
           "content/stories instead of linking to them")
    assert not project.output.exists()


@pytest.mark.parametrize("name", ["site.yaml", "coaches.yaml", "clubs.yaml"])
def test_settings_and_registries_linked_from_outside_are_refused(project, tmp_path, name):
    project.story("2026/a.md")
    outside = tmp_path / "secret.yaml"
    outside.write_text("title: Someone else's words\n" if name == "site.yaml" else "- name: A\n  aliases: [B]\n")
    os.symlink(outside, project.content / name)
    failed(project.run("--no-search"), f"content/{name}: is a link to a file outside the content folder — copy the "
                                       "file into the content folder instead of linking to it")


def test_a_settings_file_linked_from_inside_the_content_folder_is_read(project):
    project.story("2026/a.md")
    project.write("content/settings/site.yaml", "title: Linked Archive\n")
    os.symlink("settings/site.yaml", project.content / "site.yaml")
    built(project.run("--no-search"))
    assert "Linked Archive" in (project.output / "index.html").read_text()


# No story skipped in silence ----------------------------------------------------------------------

def test_markdown_files_not_named_md_fail_the_build(project):
    project.story("2026/a.md")
    project.write("content/stories/2026/t.MD", "---\n")
    project.write("content/stories/2026/Long Name.markdown", "---\n")
    project.write("content/stories/u.mkd", "---\n")
    failed(project.run("--no-search"),
           "content/stories/2026/Long Name.markdown: is not published: only files whose names end in .md are "
           "stories — rename it to content/stories/2026/long-name.md",
           "content/stories/2026/t.MD: is not published: only files whose names end in .md are stories — rename "
           "it to content/stories/2026/t.md",
           "content/stories/u.mkd: is not published: only files whose names end in .md are stories — rename it "
           "to content/stories/u.md")


def test_other_files_among_the_stories_are_a_warning(project):
    project.story("2026/a.md")
    project.write("content/stories/notes.txt", "ideas\n")
    project.write("content/stories/README", "how to\n")
    check = project.run("check")
    assert check.returncode == 0
    assert check.stdout.splitlines() == [
        "warning: content/stories/README: is not read: only .md files are stories — rename it to readme.md if it "
        "is one",
        "warning: content/stories/notes.txt: is not read: only .md files are stories — rename it to notes.md if "
        "it is one",
        "OK: 1 story, 1 coach, 1 club, 2 warnings"]


def test_a_warm_build_warns_of_other_files_among_the_stories_as_a_cold_one_does(project):
    """The warm build's look ahead finds the files (lookahead.py): its warnings are the load's."""
    project.story("2026/a.md")
    project.write("content/stories/notes.txt", "ideas\n")
    for build in ("cold", "warm"):
        done = project.run("--no-search")
        assert done.returncode == 0, build
        assert done.stderr.splitlines() == [
            "warning: content/stories/notes.txt: is not read: only .md files are stories — rename it to notes.md "
            "if it is one"], build


EMPTY_HINT = "add one with 'python build.py new', or pass --allow-empty to publish an empty site"


def test_a_build_without_stories_is_refused_unless_asked(project):
    line = f"content/stories: holds no stories, so the site would be empty — {EMPTY_HINT}"
    failed(project.run("--no-search"), line)
    assert not project.output.exists()
    project.write("content/stories/notes.txt", "not a story\n")
    failed(project.run("--no-search"), line)
    built(project.run("--no-search", "--allow-empty"), stories=0)
    assert (project.output / "index.html").is_file()


def test_a_missing_stories_folder_is_refused_with_the_other_problems(project):
    shutil.rmtree(project.content / "stories")
    project.write("content/site.yaml", "titel: Typo\n")
    result = project.run("--no-search")
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert lines[0] == "Build stopped: 2 problems to fix. The site in output/ was not changed."
    assert lines[1].startswith("  content/site.yaml:1: titel:")
    assert lines[2] == f"  content/stories: does not exist, so the site would be empty — {EMPTY_HINT}"


def test_check_warns_about_an_empty_site(project):
    check = project.run("check")
    assert check.returncode == 0
    assert check.stdout.splitlines() == [
        f"warning: content/stories: holds no stories, so the site would be empty — {EMPTY_HINT}",
        "OK: 0 stories, 0 coaches, 0 clubs, 1 warning"]


# Run from the wrong folder ------------------------------------------------------------------------

def test_run_from_another_folder_names_every_missing_folder_where_it_was_looked_for(tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "templates").write_text("not a folder")
    result = subprocess.run([sys.executable, str(ROOT / "build.py")], cwd=elsewhere, capture_output=True,
                            text=True, timeout=60)
    failed(result,
           f"content: content: the content folder {elsewhere.as_posix()}/content does not exist — run build.py from "
           "the project folder, or pass --content DIR",
           f"templates: templates: the templates folder {elsewhere.as_posix()}/templates is a file, not a folder — "
           "run build.py from the project folder, or pass --templates DIR")
    assert sorted(p.name for p in elsewhere.iterdir()) == ["templates"]


# A damaged cache: a cold build and one warning ----------------------------------------------------

@pytest.fixture
def cached(project):
    """A corpus large enough for the body cache to span many pages, built once."""
    generate(project.content, 200)
    assert project.run("--no-search").returncode == 0
    project.cold = folder_files(project.output)
    return project


BODIES_WARNING = ("warning: .cache/bodies.sqlite cannot be used ({}), so every body is rendered again; "
                  "it is rebuilt at the end")


def rebuilt_with_one_warning(project, warning: str) -> None:
    shutil.rmtree(project.output)  # every page must be rendered, so every stored body read
    result = project.run("--no-search")
    built(result, stories=200)
    assert result.stderr.splitlines() == [warning]
    assert folder_files(project.output) == project.cold
    again = project.run("--no-search")  # and the cache is whole again
    built(again, stories=200)
    assert again.stderr == ""
    assert "(" in again.stdout and "unchanged)" in again.stdout


def test_a_damaged_build_cache_means_one_cold_build_and_is_rewritten(cached):
    """Found by the hostile review: the warning said "rewritten at the end", and every build after it
    was cold again with the same warning."""
    (cached.root / ".cache/build.sqlite").write_bytes(b"not a database, " * 100)
    rebuilt_with_one_warning(cached, "warning: .cache/build.sqlite is damaged, so this build starts cold; it is "
                                     "rewritten at the end")


def test_scrambled_pages_in_the_body_cache_mean_a_cold_build(cached):
    bodies = cached.root / ".cache/bodies.sqlite"
    size = bodies.stat().st_size
    assert size > 100_000
    with open(bodies, "r+b") as handle:
        handle.seek(size // 2)
        handle.write(bytes(range(256)) * 32)
    rebuilt_with_one_warning(cached, BODIES_WARNING.format("database disk image is malformed"))


def test_a_body_cache_with_another_schema_means_a_cold_build(cached):
    bodies = cached.root / ".cache/bodies.sqlite"
    connection = sqlite3.connect(bodies)
    with connection:  # as an older Panchina might have kept it: the same keys, another column
        connection.execute("ALTER TABLE bodies RENAME COLUMN html TO markup")
    connection.close()
    rebuilt_with_one_warning(cached, BODIES_WARNING.format("the table has the columns key, markup, not key, html"))


def test_a_cache_that_is_a_file_means_a_build_without_cache(project):
    project.story("2026/a.md")
    project.write(".cache", "oops")
    result = project.run("--no-search")
    built(result)
    assert result.stderr.splitlines() == [
        "warning: .cache is not a folder, so this build runs without a cache; delete it"]
    assert (project.root / ".cache").read_text() == "oops"


def test_an_unreadable_cache_file_means_a_build_without_cache(project):
    project.story("2026/a.md")
    (project.root / ".cache/build.sqlite").mkdir(parents=True)  # EISDIR; EACCES is not testable as root
    result = project.run("--no-search")
    built(result)
    assert result.stderr.splitlines() == [
        "warning: .cache/build.sqlite cannot be read (it is a folder, not a file), so this build runs without a cache; "
        "delete .cache"]
    assert Path(project.output / "index.html").is_file()


def test_a_named_pipe_for_a_cache_file_is_named_so(project):
    """Found by the hostile review: the warning read "it is not a regular file, not a file"."""
    project.story("2026/a.md")
    (project.root / ".cache").mkdir()
    os.mkfifo(project.root / ".cache/build.sqlite")
    result = project.run("--no-search")
    built(result)
    assert result.stderr.splitlines() == [
        "warning: .cache/build.sqlite cannot be read (it is a named pipe, not a file), so this build runs without "
        "a cache; delete .cache"]
