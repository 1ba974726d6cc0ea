"""build.py run as a contributor runs it: a subprocess, in a project folder."""

from __future__ import annotations

import re

from tests.conftest import byte_stable, folder_files, story_text


def test_build_prints_a_summary_and_writes_the_site(project):
    project.story("2026/allegri-real-madrid.md")
    result = project.run("build")
    assert result.returncode == 0, result.stderr
    assert re.fullmatch(r"Built 1 story, 1 coach, 1 club: \d+ pages in \d+\.\d\d s\n", result.stdout)
    page = (project.output / "stories/2026/allegri-real-madrid/index.html").read_text()
    assert ('<h1 data-pagefind-meta="title" data-pagefind-ignore>Massimiliano Allegri linked with Real Madrid</h1>'
            in page)
    assert (project.output / "coaches/massimiliano-allegri/index.html").is_file()
    assert (project.output / "clubs/real-madrid/index.html").is_file()
    assert (project.output / "pagefind/bundles.json").is_file()


def test_bare_build_py_is_build(project):
    project.story("2026/x.md")
    assert project.run().returncode == 0
    assert (project.output / "index.html").is_file()


def test_a_content_mistake_exits_1_without_traceback_and_keeps_the_old_site(project):
    project.story("2026/good.md")
    assert project.run().returncode == 0
    before = project.snapshot()
    project.story("2026/bad.md", date="2023-02-30")
    project.write("content/stories/2026/worse.md", "no front matter\n")
    result = project.run("build")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr + result.stdout
    assert result.stderr.splitlines() == [
        "Build stopped: 2 problems to fix. The site in output/ was not changed.",
        "  content/stories/2026/bad.md:4: date: '2023-02-30' does not exist: February 2023 has 28 days — "
        "check the day of the month",
        "  content/stories/2026/worse.md:1: has no front matter — start the file with a line '---', then the "
        "fields (coach:, clubs:, date:, source:), then another '---' line",
    ]
    assert project.snapshot() == before
    assert sorted(p.name for p in project.root.iterdir()) == [".cache", "content", "output", "static", "templates"]


def test_check_exits_1_on_errors_and_0_with_warnings(project):
    project.story("2026/a.md", clubs="[Real Madrid]")
    project.story("2026/b.md", clubs="[Real Madrid CF]")
    result = project.run("check")
    assert result.returncode == 0
    assert result.stdout.splitlines() == [
        "warning: content/stories/2026/b.md:3: clubs: 'Real Madrid CF' looks like 'Real Madrid' "
        "(used in content/stories/2026/a.md) — if they are the same club, add one as an alias of the other "
        "in content/clubs.yaml",
        "OK: 2 stories, 1 coach, 2 clubs, 1 warning",
    ]
    assert not project.output.exists()
    project.story("2026/c.md", coach="[a, b]")
    result = project.run("check")
    assert result.returncode == 1
    assert result.stderr.startswith("Check failed: 1 problem to fix.\n")


def test_aliases_file_stories_under_the_canonical_name(project):
    project.write("content/coaches.yaml", "- name: Massimiliano Allegri\n  aliases: [Max Allegri]\n")
    project.story("2026/a.md", coach="Max Allegri")
    project.story("2026/b.md", coach="Massimiliano Allegri")
    assert project.run().returncode == 0
    timeline = (project.output / "coaches/massimiliano-allegri/index.html").read_text()
    assert "2 rumours since" in timeline
    assert "Also written as: Max Allegri" in timeline
    assert not (project.output / "coaches/max-allegri").exists()


def test_registry_mistakes_are_reported(project):
    project.write("content/clubs.yaml", "- name: Milan\n  aliases: [AC Milan]\n- name: Inter\n  aliases: [AC Milan]\n")
    project.story("2026/a.md")
    result = project.run("check")
    assert result.returncode == 1
    assert ("content/clubs.yaml:3: aliases: 'AC Milan' is already claimed by the entry on line 1 — a name or alias "
            "may appear only once in the file: merge the two entries") in result.stderr


def test_content_and_output_options_choose_other_folders(project):
    project.write("elsewhere/stories/2026/x.md", story_text())
    result = project.run("--content", "elsewhere", "--output", "public", "--no-search")
    assert result.returncode == 0, result.stderr
    assert (project.root / "public/stories/2026/x/index.html").is_file()
    assert not (project.root / "public/pagefind").exists()


def test_a_warm_build_gives_the_bytes_of_a_cold_build_in_another_folder(project):
    project.story("2026/a.md")
    project.story("2026/b.md", coach="Jürgen Klopp", date="2026-03")
    assert project.run().returncode == 0
    project.story("2026/b.md", coach="Jürgen Klopp", date="2026-04", extra="title: Moved on")
    assert project.run().returncode == 0  # warm: from the cache and the last output
    warm = project.snapshot()
    assert project.run("--output", "cold").returncode == 0  # cold: a folder no build wrote before
    cold = folder_files(project.root / "cold")
    # Pagefind writes its filter chunks in hash-map order (see byte_stable); all of our files are stable.
    stable = lambda files: {k: v for k, v in files.items() if byte_stable(k)}  # noqa: E731
    assert stable(warm) == stable(cold)
    assert b"Moved on" in warm["coaches/jurgen-klopp/index.html"]
    assert any(k.startswith("pagefind/") and "/fragment/" in k for k in warm)


def test_a_deleted_story_leaves_no_stale_page(project):
    project.story("2026/a.md")
    project.story("2026/b.md", coach="Jürgen Klopp")
    assert project.run("--no-search").returncode == 0
    (project.content / "stories/2026/b.md").unlink()
    assert project.run("--no-search").returncode == 0
    assert not (project.output / "stories/2026/b").exists()
    assert not (project.output / "coaches/jurgen-klopp").exists()


def test_a_template_mistake_names_the_template_and_line(project):
    project.story("2026/a.md")
    story = project.root / "templates/story.html"
    story.write_text(story.read_text().replace("{{ story.title }}</h1>", "{{ story.titel }}</h1>"))
    result = project.run()
    assert result.returncode == 1
    line = next(i for i, text in enumerate(story.read_text().splitlines(), 1) if "story.titel" in text)
    assert f"templates/story.html:{line}: template: 'panchina.present.Row object' has no attribute 'titel'" \
        in result.stderr
    assert "Traceback" not in result.stderr


def test_a_template_syntax_error_names_the_template_and_line(project):
    project.story("2026/a.md")
    (project.root / "templates/home.html").write_text("{% extends 'base.html' %}\n{% block main %}\n{% if %}\n")
    result = project.run()
    assert result.returncode == 1
    assert "templates/home.html:3: template: Expected an expression, got 'end of statement block'" in result.stderr


def test_new_writes_a_story_that_builds_and_refuses_to_overwrite(project):
    args = ["new", "--coach", "Xabi Alonso", "--club", "Bayer Leverkusen", "--club", "Real Madrid",
            "--source", "Kicker", "--url", "https://example.com/a", "--date", "2024-03"]
    result = project.run(*args)
    assert result.returncode == 0, result.stderr
    path = project.content / "stories/2024/xabi-alonso-bayer-leverkusen.md"
    assert path.read_text().startswith(
        "---\ncoach: Xabi Alonso\nclubs:\n- Bayer Leverkusen\n- Real Madrid\ndate: 2024-03\nsource: Kicker\n"
        "source_url: https://example.com/a\n---\n")
    assert project.run("check").returncode == 0
    again = project.run(*args)
    assert again.returncode == 1
    assert "already exists and was not changed — pass --slug with another file name" in again.stderr


def test_new_refuses_a_bad_date_before_writing(project):
    result = project.run("new", "--coach", "A", "--club", "B", "--source", "C", "--date", "2024-02-31")
    assert result.returncode == 1
    assert "date: '2024-02-31' does not exist: February 2024 has 29 days" in result.stderr
    assert list((project.content / "stories").rglob("*.md")) == []


def test_an_output_folder_that_would_swallow_the_content_is_refused(project):
    project.story("2026/a.md")
    result = project.run("--output", ".")
    assert result.returncode == 1
    assert "output: the output folder would replace or sit inside" in result.stderr
    assert (project.content / "stories/2026/a.md").is_file()


def test_a_template_mistake_is_reported_at_its_path_when_templates_is_relative(project):
    project.story("2026/a.md")
    (project.root / "templates/robots.txt").write_text("{{ nope }}\n")
    result = project.run("--templates", "templates")
    assert "  templates/robots.txt:1: template: 'nope' is undefined — fix the template; the content is fine" \
        in result.stderr.splitlines()


def test_a_missing_templates_folder_says_which_folder_and_how_to_point_at_it(project):
    project.story("2026/a.md")
    result = project.run("--templates", "themes/mine")
    assert result.returncode == 1
    assert result.stderr.splitlines()[1] == (
        f"  themes/mine: templates: the templates folder {(project.root / 'themes/mine').as_posix()} does not exist"
        " — run build.py from the project folder, or pass --templates DIR")
    assert "Traceback" not in result.stderr


def test_a_build_run_in_a_process_that_goes_on_frees_its_objects_and_collects_again(project, monkeypatch):
    """Only build.py, which leaves at once, keeps the build's objects and switches collection off for good
    (PlanMemo.exiting): a caller that goes on (a test, a tool) gets both back."""
    import gc

    from panchina import cli

    project.story("2026/a.md")
    monkeypatch.chdir(project.root)
    assert gc.isenabled()
    for _ in range(2):
        assert cli.main(["--no-search"]) == 0
        assert gc.isenabled()
    assert cli._LEFT_TO_THE_END == []
