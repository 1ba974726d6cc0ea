"""A site restored beside its cache (a fresh clone, as Netlify restores both) is reused page by page, by its bytes."""

from __future__ import annotations

import re
import shutil

from tests.conftest import Project, built_pages, folder_files


def restored_copy(project: Project, tmp_path) -> Project:
    """The project copied file by file: every inode and mtime new, as after a clone and a cache restore."""
    copy = Project(tmp_path / "restored")
    shutil.copytree(project.root, copy.root, copy_function=shutil.copyfile)
    return copy


def pages_and_unchanged(result) -> tuple[int, int]:
    found = re.search(r"(\d+) pages(?: \((\d+) unchanged\))?", result.stdout + result.stderr)
    return int(found.group(1)), int(found.group(2) or 0)


def cold_pages(project: Project) -> dict[str, str]:
    return {name: data.decode() for name, data in folder_files(project.output).items()
            if not name.startswith("static/")}


def test_a_restored_site_is_kept_when_its_bytes_are_what_was_written(project, tmp_path):
    for number in range(4):
        project.story(f"2025/story-{number}.md", coach=f"Coach {number % 2}", date=f"2025-0{number + 1}-01")
    assert project.run("--no-search").returncode == 0
    copy = restored_copy(project, tmp_path)
    result = copy.run("--no-search")
    assert result.returncode == 0, result.stderr
    pages, unchanged = pages_and_unchanged(result)
    assert unchanged == pages > 10  # not one page rendered again
    assert cold_pages(copy) == built_pages(copy)


def test_a_restored_page_whose_bytes_differ_is_rendered_again(project, tmp_path):
    for number in range(4):
        project.story(f"2025/story-{number}.md", coach=f"Coach {number % 2}", date=f"2025-0{number + 1}-01")
    assert project.run("--no-search").returncode == 0
    copy = restored_copy(project, tmp_path)
    page = copy.output / "coaches" / "coach-0" / "index.html"
    text = page.read_text()
    page.write_text(text.replace("Coach 0", "Coach X"))  # the same size, other bytes
    extra = copy.output / "left-over.html"
    extra.write_text("not ours")  # a restored folder may hold anything: the site is staged whole
    result = copy.run("--no-search")
    assert result.returncode == 0, result.stderr
    pages, unchanged = pages_and_unchanged(result)
    assert unchanged == pages - 1
    assert cold_pages(copy) == built_pages(copy)
