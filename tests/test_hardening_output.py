"""The output folder: a build replaces only a site it published, never the user's files.

Publishing swaps a new folder in place of the output folder, so whatever was
there is deleted; these tests hold each way of pointing ``--output`` at the
wrong place to one line and exit 1, with every file left as it was.
"""

from __future__ import annotations

import os
import shutil

from panchina.output import MARKER_TEXT, SITE_MARKER
from tests.conftest import folder_files


def refused(result, output: str, line: str) -> None:
    """Exit 1 with exactly the outcome line and one problem, and no traceback."""
    assert result.returncode == 1, result.stdout + result.stderr
    assert result.stderr.splitlines() == [
        f"Build stopped: 1 problem to fix. The site in {output}/ was not changed.", f"  {line}"]


def test_a_git_folder_is_never_replaced_even_with_force(project):
    project.story("2026/a.md")
    project.write(".git/HEAD", "ref: refs/heads/main\n")
    project.write(".git/objects/ab/cdef", b"\x78\x01history")
    before = folder_files(project.root / ".git")
    for args in (("--output", ".git"), ("--output", ".git", "--force"), ("--output", ".git/site", "--force")):
        result = project.run(*args, "--no-search")
        refused(result, args[1], f"{args[1]}: output: the output folder would replace or sit inside a "
                                 "Git repository's own files — choose a separate folder such as output/")
    assert folder_files(project.root / ".git") == before


def test_a_folder_that_is_a_git_repository_is_never_replaced(project, tmp_path):
    project.story("2026/a.md")
    project.write("pages/.git", "gitdir: ../.git/worktrees/pages\n")  # a worktree checked out for GitHub Pages
    project.write("pages/index.html", "<p>hand-made</p>")
    result = project.run("--output", "pages", "--force", "--no-search")
    refused(result, "pages", "pages: output: the output folder would replace or sit inside a Git repository's "
                             "own files — choose a separate folder such as output/")
    assert (project.root / "pages/.git").is_file()


def test_a_folder_of_the_users_files_survives(project):
    project.story("2026/a.md")
    project.write("docs/guide.md", "# How we work\n")
    project.write("docs/img/logo.png", b"\x89PNG")
    before = folder_files(project.root / "docs")
    result = project.run("--output", "docs", "--no-search")
    refused(result, "docs", "docs: output: this folder holds files that no Panchina build wrote, such as 'guide.md', "
                            "and a build would delete them — choose a new or empty folder such as output/, "
                            "or pass --force to replace it")
    assert folder_files(project.root / "docs") == before
    assert sorted(p.name for p in project.root.iterdir()) == ["content", "docs", "static", "templates"]


def test_force_replaces_a_folder_of_other_files(project):
    project.story("2026/a.md")
    for args in (("--force",), ("build", "--force"), ("--force", "build")):
        shutil.rmtree(project.root / "docs", ignore_errors=True)
        project.write("docs/guide.md", "# How we work\n")
        result = project.run("--output", "docs", *args, "--no-search")
        assert result.returncode == 0, result.stderr
        assert not (project.root / "docs/guide.md").exists()
        assert (project.root / "docs/stories/2026/a/index.html").is_file()


def test_a_file_in_the_outputs_place_survives_even_with_force(project):
    project.story("2026/a.md")
    readme = project.write("README.md", "# Our archive\n")
    for args in ((), ("--force",)):
        result = project.run("--output", "README.md", *args, "--no-search")
        refused(result, "README.md", "README.md: output: is a file, not a folder, and a build would replace it "
                                     "— choose a folder for the site, such as output/")
        assert readme.read_text() == "# Our archive\n"


def test_a_link_in_the_outputs_place_is_refused(project):
    project.story("2026/a.md")
    assert project.run("--no-search").returncode == 0
    os.symlink("output", project.root / "site")
    real = project.output.resolve().as_posix()
    for args in ((), ("--force",)):
        result = project.run("--output", "site", *args, "--no-search")
        refused(result, "site", f"site: output: is a link to {real}, and a build would replace the link with a "
                                f"folder — give the folder itself: --output {real}")
        assert (project.root / "site").is_symlink()


def test_an_output_inside_the_sources_is_refused_even_with_force(project):
    project.story("2026/a.md")
    before = folder_files(project.root)
    for folder in ("static", "templates", "content"):
        result = project.run("--output", f"{folder}/site", "--force", "--no-search")
        source = (project.root / folder).resolve().as_posix()
        refused(result, f"{folder}/site", f"{folder}/site: output: the output folder would replace or sit inside "
                                          f"{source} — choose a separate folder such as output/")
    assert folder_files(project.root) == before


def test_a_previous_site_a_new_folder_and_an_empty_one_are_replaced(project):
    project.story("2026/a.md")
    assert project.run("--no-search").returncode == 0  # new
    assert (project.output / SITE_MARKER).read_text() == MARKER_TEXT
    project.story("2026/b.md", coach="Jürgen Klopp")
    assert project.run("--no-search").returncode == 0  # signed by the last build
    assert (project.output / "stories/2026/b/index.html").is_file()
    (project.root / "empty").mkdir()
    assert project.run("--output", "empty", "--no-search").returncode == 0


def test_a_site_built_before_the_marker_existed_is_replaced(project):
    project.story("2026/a.md")
    assert project.run("--no-search").returncode == 0
    (project.output / SITE_MARKER).unlink()  # as Panchina wrote it until now
    project.story("2026/b.md", coach="Jürgen Klopp")
    result = project.run("--no-search")
    assert result.returncode == 0, result.stderr
    assert (project.output / SITE_MARKER).is_file()
    assert (project.output / "stories/2026/b/index.html").is_file()


def test_a_folder_replaced_under_the_same_inode_is_replaced_whole(project):
    """The cache knows the output by path and inode; a folder recreated in its place may reuse the inode."""
    project.story("2026/a.md")
    assert project.run("--no-search").returncode == 0
    for path in sorted(project.output.rglob("*"), reverse=True):
        path.rmdir() if path.is_dir() else path.unlink()
    project.write("output/notes.md", "mine\n")  # the same folder, so the same inode, without the marker
    project.story("2026/a.md", body="Edited.")
    assert project.run("--no-search", "--force").returncode == 0
    assert not (project.output / "notes.md").exists()
    assert (project.output / SITE_MARKER).read_text() == MARKER_TEXT


def test_the_preview_refuses_a_folder_of_other_files(project):
    project.story("2026/a.md")
    project.write("docs/guide.md", "# How we work\n")
    result = project.run("serve", "--output", "docs", "--port", "1", timeout=60)
    refused(result, "docs", "docs: output: this folder holds files that no Panchina build wrote, such as 'guide.md', "
                            "and a build would delete them — choose a new or empty folder such as output/, "
                            "or pass --force to replace it")
    assert (project.root / "docs/guide.md").is_file()
