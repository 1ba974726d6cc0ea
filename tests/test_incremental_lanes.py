"""The shortcuts an incremental build takes, each held to a cold build.

The preview's lane for a saved body (``pipeline._with_bodies_saved``), the
planner walking the last plan's units when every story's facts are as they
were, and the templates compiled once per process (``render.CompiledHere``).
The state machine in ``test_freshness.py`` shares this process's compiled
templates between its cold and incremental builds, so the keys of that
memo are pinned here against builds that share nothing (``process_cold_files``).
Found in the review of session 6, most of them as probes that passed.
"""

from __future__ import annotations

import os
import shutil
import sqlite3

import pytest

from panchina.errors import BuildFailed
from panchina.pipeline import build
from panchina.serve import PreviewSite
from tests.conftest import TODAY, story_text
from tests.test_freshness import cold_files, our_files, paths_of

# --- what the shortcuts must not skip ---------------------------------------------------------------


def test_the_preview_refuses_a_story_whose_chain_of_links_now_leaves_the_content_folder(project):
    """a.md -> ../elsewhere/pointer.md -> c.md is inside (find_story_files follows it to the end).  The
    pointer, outside every watched folder, is pointed at a file outside: no event names it.  A cold build
    refuses a.md ("a link to a file outside the content folder"); the preview's body-only lane reads every
    link without listing the folder, so is_inside is never asked again and the outside file is published."""
    stories = project.content / "stories"
    project.story("2026/c.md", body="Inside body.")
    elsewhere = project.root / "elsewhere"
    elsewhere.mkdir()
    os.symlink(stories / "2026/c.md", elsewhere / "pointer.md")
    os.symlink(elsewhere / "pointer.md", stories / "2026/a.md")
    site = PreviewSite(paths_of(project), search=False)
    assert site.rebuild(), site.errors
    (elsewhere / "secret.md").write_text(story_text(body="Secret from outside the content folder."))
    (elsewhere / "pointer.md").unlink()
    os.symlink(elsewhere / "secret.md", elsewhere / "pointer.md")
    saved = project.story("2026/c.md", body="Inside body, saved again.")  # any body save
    with pytest.raises(BuildFailed):
        cold_files(project)
    assert not site.rebuild([str(saved)]), "the preview published a file from outside the content folder"


def test_a_cache_that_lost_one_unit_row_still_builds_every_page(project):
    """The cache is 'only ever a shortcut': damage means a cold build.  With the facts unchanged the planner
    now takes the *set* of units from the cache, so a unit row that is missing is a page that is missing."""
    project.story("2026/a.md", body="One.")
    project.story("2026/b.md", coach="Xabi Alonso", body="Two.")
    build(paths_of(project), search=False, today=TODAY)
    with sqlite3.connect(project.root / ".cache/build.sqlite") as connection:
        unit = next(row[0] for row in connection.execute("SELECT unit FROM units")
                    if row[0].startswith("panchina.pages.story") and row[0].endswith("2026/b"))
        connection.execute("DELETE FROM units WHERE unit = ?", (unit,))
    project.story("2026/a.md", body="One, edited.")  # the facts are as they were
    build(paths_of(project), search=False, today=TODAY)
    assert our_files(project.output) == cold_files(project)


# --- odd file events, and templates ----------------------------------------------------------------


def test_a_story_replaced_by_a_link_then_its_target_edited(project):
    stories = project.content / "stories"
    a = project.story("2026/a.md", body="A body.")
    project.story("2026/b.md", body="B body.")
    site = PreviewSite(paths_of(project), search=False)
    assert site.rebuild(), site.errors
    a.unlink()
    os.symlink("b.md", a)  # the same facts: only the body differs
    assert site.rebuild([str(a)]), site.errors
    assert our_files(project.output) == cold_files(project)
    b = project.story("2026/b.md", body="B body, later.")
    assert site.rebuild([str(b)]), site.errors
    assert our_files(project.output) == cold_files(project)
    a.unlink()
    project.story("2026/a.md", body="A plain file again.")
    assert site.rebuild([str(stories / "2026/a.md")]), site.errors
    assert our_files(project.output) == cold_files(project)


def test_two_saves_the_first_with_a_mistake(project):
    path = project.story("2026/a.md", body="Fine.")
    project.story("2026/b.md", body="Other.")
    site = PreviewSite(paths_of(project), search=False)
    assert site.rebuild(), site.errors
    project.story("2026/a.md", body="Broken.", date="2026-13-01")
    assert not site.rebuild([str(path)])
    project.story("2026/a.md", body="Fixed body.")
    assert site.rebuild([str(path)]), site.errors
    assert our_files(project.output) == cold_files(project)


def test_settings_registries_and_appointments_with_a_body(project):
    path = project.story("2026/a.md", body="One.", coach="Max Allegri")
    site = PreviewSite(paths_of(project), search=False)
    assert site.rebuild(), site.errors
    for name, text in (("site.yaml", "title: Archivio\nlanguage: it\nbase_url: https://example.org/\n"),
                       ("coaches.yaml", "- name: Massimiliano Allegri\n  aliases: [Max Allegri]\n"),
                       ("appointments.yaml", "- coach: Massimiliano Allegri\n  club: Real Madrid\n  from: 2026-05\n"
                                             "  source: Marca\n")):
        changed = project.write(f"content/{name}", text)
        project.story("2026/a.md", body=f"Body with {name}.", coach="Max Allegri")
        assert site.rebuild([str(changed), str(path)]), site.errors
        assert our_files(project.output) == cold_files(project)


def test_editor_temp_files_directories_and_renames(project):
    stories = project.content / "stories"
    a = project.story("2026/a.md", body="One.")
    site = PreviewSite(paths_of(project), search=False)
    assert site.rebuild(), site.errors
    # an editor's atomic save: a temporary name, renamed over the story
    temporary = stories / "2026/.a.md.swp"
    temporary.write_text(story_text(body="Saved atomically."))
    os.replace(temporary, a)
    assert site.rebuild([str(temporary), str(a)]), site.errors
    assert our_files(project.output) == cold_files(project)
    # a folder renamed: only the folder is named
    os.rename(stories / "2026", stories / "2025")
    assert site.rebuild([str(stories / "2026")]), site.errors
    assert our_files(project.output) == cold_files(project)
    # a folder hidden: the event names its new, ignored, name and the old one
    os.rename(stories / "2025", stories / ".2025")
    assert site.rebuild([str(stories / ".2025"), str(stories / "2025")]), site.errors
    assert our_files(project.output) == cold_files(project)


def test_a_template_changed_back_and_forth_and_the_language_switched(project):
    path = project.story("2026/a.md", body="One.")
    site = PreviewSite(paths_of(project), search=False)
    assert site.rebuild(), site.errors
    template = project.root / "templates/story.html"
    original = template.read_text()
    for text in (original + "<!-- one -->\n", original, original + "<!-- one -->\n"):
        template.write_text(text)
        assert site.rebuild([str(template)]), site.errors
        assert our_files(project.output) == cold_files(project)
    for language in ("it", "en", "it"):
        settings = project.write("content/site.yaml", f"language: {language}\n")
        project.story("2026/a.md", body=f"In {language}.")
        assert site.rebuild([str(settings), str(path)]), site.errors
        assert our_files(project.output) == cold_files(project)


def test_two_template_folders_with_the_same_names_report_their_own_file(project, tmp_path):
    """The compiled code carries its file name: an error in the second folder names the second folder."""
    project.story("2026/a.md")
    other = tmp_path / "other"
    shutil.copytree(project.root, other, symlinks=True)
    for root in (project.root, other):
        (root / "templates/404.html").write_text("{{ missing_name.attribute }}\n")
    failures = []
    for root in (project.root, other):
        paths = paths_of(type(project)(root), cache=None)
        with pytest.raises(BuildFailed) as failure:
            build(paths, search=False, today=TODAY)
        failures.append(str(failure.value.errors[0]))
    assert "other/templates/404.html" not in failures[0] and "other/templates/404.html:1:" in failures[1], failures


# --- the reference build must be cold for the process-wide memos too ------------------------------


def process_cold_files(project, monkeypatch) -> dict[str, bytes]:
    """A cold build that shares nothing with this process's earlier builds: ``cold_files`` runs beside the
    preview in one process, so it reads the same compiled templates (render._COMPILED, _REFERENCED) and
    cannot tell a wrong entry there from a right one."""
    from panchina import render
    with monkeypatch.context() as patch:
        patch.setattr(render, "_COMPILED", {})
        patch.setattr(render, "_REFERENCED", {})
        return cold_files(project)


def test_the_language_switched_in_the_preview_shows_the_new_words(project, monkeypatch):
    path = project.story("2026/a.md", body="One.")
    site = PreviewSite(paths_of(project), search=False)
    assert site.rebuild(), site.errors
    for language in ("it", "en", "it"):
        settings = project.write("content/site.yaml", f"language: {language}\n")
        project.story("2026/a.md", body=f"In {language}.")
        assert site.rebuild([str(settings), str(path)]), site.errors
        assert our_files(project.output) == process_cold_files(project, monkeypatch), language


def test_a_template_that_starts_including_another_follows_its_edits(project, monkeypatch):
    project.story("2026/a.md")
    templates = project.root / "templates"
    (templates / "_extra.html").write_text("<!-- extra one -->\n")
    site = PreviewSite(paths_of(project), search=False)
    assert site.rebuild(), site.errors
    page = templates / "robots.txt"  # extends nothing: what it includes is in the file
    page.write_text(page.read_text() + '{% include "_extra.html" %}\n')
    assert site.rebuild([str(page)]), site.errors
    (templates / "_extra.html").write_text("<!-- extra two -->\n")
    assert site.rebuild([str(templates / "_extra.html")]), site.errors
    assert our_files(project.output) == process_cold_files(project, monkeypatch)


def test_the_preview_plans_right_after_its_plan_drops_the_tokens_no_unit_reads(project, monkeypatch):
    """700 stories, 690 deleted: the plan is renumbered (finish() drops dead tokens), and Plan.places must
    not survive that.  Two saves later the pages must still follow their stories."""
    stories = project.content / "stories/2026"
    for number in range(700):
        project.story(f"2026/s{number}.md", body=f"Body {number}.")
    site = PreviewSite(paths_of(project), search=False)
    assert site.rebuild(), site.errors
    gone = [stories / f"s{number}.md" for number in range(10, 700)]
    for path in gone:
        path.unlink()
    assert site.rebuild([str(path) for path in gone]), site.errors
    for body in ("Edited once.", "Edited twice.", "Edited thrice."):
        for number in range(3):
            project.story(f"2026/s{number}.md", body=f"{body} {number}")
        assert site.rebuild([str(stories / f"s{number}.md") for number in range(3)]), site.errors
    assert our_files(project.output) == cold_files(project)
