"""Hostile names, file names and stray host files cannot escape or reconfigure the site."""

from __future__ import annotations

from panchina.output import SITE_MARKER
from tests.conftest import story_text


def all_files(folder):
    """Every file published, but the marker that the publish step itself writes (never from content)."""
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file() and p.name != SITE_MARKER)


def test_names_shaped_like_paths_stay_inside_the_output_folder(project):
    sibling = project.root / "output-evil"
    sibling.mkdir()
    project.story("2026/a.md", coach='"../output-evil/x"', clubs='["/etc/passwd", "..\\\\..\\\\win", ".hidden"]',
                  source='"../../../tmp/source"')
    result = project.run("--no-search")
    assert result.returncode == 0, result.stderr
    assert list(sibling.iterdir()) == []
    files = all_files(project.output)
    assert "coaches/output-evil-x/index.html" in files
    assert {"clubs/etc-passwd/index.html", "clubs/win/index.html", "clubs/hidden/index.html"} <= set(files)
    assert "sources/tmp-source/index.html" in files
    assert not any(part.startswith(".") for name in files for part in name.split("/"))


def test_host_config_files_in_content_are_never_published(project):
    project.story("2026/a.md")
    for name in ("_headers", "_redirects", "netlify.toml", "stories/_headers", "stories/2026/_redirects"):
        project.write(f"content/{name}", "/* Content-Security-Policy: none\n")
    project.write("static/_headers", "/* X: y\n")
    result = project.run("--no-search")
    assert result.returncode == 0, result.stderr
    files = all_files(project.output)
    assert not any(name.rsplit("/", 1)[-1] in ("_headers", "_redirects", "netlify.toml") for name in files)


def test_file_names_with_dots_are_refused_and_hidden_files_ignored(project):
    project.write("content/stories/2026/a..b.md", story_text())
    project.write("content/stories/2026/...md", story_text())  # hidden, like an editor's temp file
    project.write("content/stories/.drafts/x.md", story_text())
    result = project.run("check")
    assert result.returncode == 1
    assert result.stderr.splitlines()[1:] == [
        "  content/stories/2026/a..b.md: the name 'a..b' is not a lower-case slug (a-z, 0-9 and -) — "
        "rename it to content/stories/2026/a-b.md"]
