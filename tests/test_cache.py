"""Incremental builds: never stale, byte-identical to a cold build, unchanged files untouched."""

from __future__ import annotations

import dataclasses
import re
import shutil
from datetime import date

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from panchina import markup
from panchina.cache import NOT_STORED, StoryRow, _stories, _story_row
from panchina.model import PartialDate, Story
from panchina.pipeline import Paths, build
from panchina.reads import story_facts
from tests.conftest import folder_files

TODAY = date(2026, 11, 26)
AT = {name: index for index, name in enumerate(StoryRow.__struct_fields__)}  # a field's place in a cached row


def our_files(folder):
    """Every file but Pagefind's, whose filter chunks are not byte-stable."""
    return folder_files(folder, lambda name: not name.startswith("pagefind/"))


def mtimes(folder):
    return {p.relative_to(folder).as_posix(): p.stat().st_mtime_ns for p in folder.rglob("*") if p.is_file()}


@pytest.fixture
def site(project):
    project.story("2026/allegri.md", body="Allegri *first* body.")
    project.story("2026/klopp.md", coach="Jürgen Klopp", clubs="[Real Madrid, Liverpool]", date="2026-02")
    project.story("2025/ancelotti.md", coach="Carlo Ancelotti", clubs="[Real Madrid]", date="2025-06-01",
                  extra="lang: it")
    paths = Paths(content=project.content, output=project.output, templates=project.root / "templates",
                  static=project.root / "static", cache=project.root / ".cache")

    def run(search=False):
        return build(paths, search=search, today=TODAY)

    def cold_equivalent(search=False):
        """What a cold build of the same content writes, for comparison."""
        fresh = project.root.parent / "cold"
        shutil.rmtree(fresh, ignore_errors=True)
        build(Paths(content=project.content, output=fresh, templates=paths.templates, static=paths.static,
                    cache=None), search=search, today=TODAY)
        return our_files(fresh)

    project.run_build, project.cold_equivalent = run, cold_equivalent
    return project


@pytest.mark.parametrize("search", [False, True])
def test_warm_builds_match_cold_builds_after_every_kind_of_change(site, search):
    first = site.run_build(search)
    assert first.rendered == first.pages  # cold: everything rendered
    assert site.run_build(search).rendered == 0  # warm, nothing changed: nothing rendered
    steps = [
        lambda: site.story("2026/allegri.md", body="Allegri *second* body."),  # edit a body
        lambda: site.story("2026/klopp.md", coach="Jürgen Klopp", clubs="[Liverpool]", date="2026-02"),  # fields
        lambda: (site.content / "stories/2025/ancelotti.md").rename(site.content / "stories/2025/carlo.md"),
        lambda: (site.content / "stories/2026/allegri.md").unlink(),  # delete
        lambda: site.write("content/coaches.yaml", "- name: Jürgen Klopp\n  aliases: [Kloppo]\n"),  # registry
        lambda: site.write("content/site.yaml", "title: Renamed Archive\n"),  # settings
    ]
    for change in steps:
        change()
        site.run_build(search)
        assert our_files(site.output) == site.cold_equivalent(search)


def test_an_unchanged_build_rewrites_nothing(site):
    site.run_build()
    before = mtimes(site.output)
    report = site.run_build()
    assert report.rendered == 0
    assert mtimes(site.output) == before


def test_a_body_edit_rewrites_only_that_story_page(site):
    site.run_build()
    before = mtimes(site.output)
    site.story("2026/allegri.md", body="Allegri *edited* body.")
    report = site.run_build()
    after = mtimes(site.output)
    assert report.rendered == 1
    assert [name for name in after if after[name] != before.get(name)] == ["stories/2026/allegri/index.html"]
    assert "<em>edited</em>" in (site.output / "stories/2026/allegri/index.html").read_text()


def test_a_template_change_rerenders_only_the_pages_that_use_it(site):
    site.run_build()
    before = mtimes(site.output)
    timeline = site.root / "templates/timeline.html"
    timeline.write_text(timeline.read_text().replace('<p class="kind">', '<p class="kind changed">'))
    site.run_build()
    after = mtimes(site.output)
    changed = sorted(name for name in after if after[name] != before.get(name))
    assert changed and all(name.startswith(("coaches/", "clubs/", "sources/")) for name in changed)
    assert not any(name in changed for name in ("coaches/index.html", "clubs/index.html", "index.html"))
    assert 'class="kind changed"' in (site.output / "coaches/jurgen-klopp/index.html").read_text()


def test_a_base_template_change_rerenders_every_page(site):
    site.run_build()
    base = site.root / "templates/base.html"
    base.write_text(base.read_text().replace("Skip to content", "Skip to the content"))
    site.run_build()
    for name, data in our_files(site.output).items():
        if name.endswith(".html"):
            assert b"Skip to the content" in data, name


def test_a_changed_markdown_extension_set_never_serves_old_html(site, monkeypatch):
    site.story("2026/allegri.md", body="| a | b |\n|---|---|\n| 1 | 2 |\n")
    site.run_build()
    assert "<table>" in (site.output / "stories/2026/allegri/index.html").read_text()
    monkeypatch.setattr(markup, "MARKDOWN_EXTENSIONS", ("fenced_code",))
    site.run_build()
    assert "<table>" not in (site.output / "stories/2026/allegri/index.html").read_text()
    assert our_files(site.output) == site.cold_equivalent()


def test_a_damaged_cache_means_a_cold_build(site):
    site.run_build()
    (site.root / ".cache/build.sqlite").write_bytes(b"not a database")
    (site.root / ".cache/bodies.sqlite").write_bytes(b"not a database")
    site.story("2026/allegri.md", body="After damage.")
    site.run_build()
    assert our_files(site.output) == site.cold_equivalent()


def test_a_hand_edited_output_page_is_repaired(site):
    site.run_build()
    (site.output / "coaches/jurgen-klopp/index.html").write_text("defaced")
    site.run_build()
    assert our_files(site.output) == site.cold_equivalent()


def test_the_preview_rebuild_matches_a_full_build_after_every_kind_of_change(site, monkeypatch):
    from panchina.pages import timeline
    from panchina.serve import PreviewSite

    monkeypatch.setattr(timeline, "PAGE_LIMIT", 2)  # so that timelines split and merge years
    paths = Paths(content=site.content, output=site.output, templates=site.root / "templates",
                  static=site.root / "static", cache=site.root / ".cache")
    preview = PreviewSite(paths, search=False)
    assert preview.rebuild()
    stories = site.content / "stories"
    steps = [
        lambda: site.story("2026/allegri.md", body="Allegri *second* body."),
        lambda: site.story("2026/klopp.md", coach="Jürgen Klopp", clubs="[Liverpool]", date="2026-02"),
        lambda: site.story("2024/new-coach.md", coach="Xabi Alonso", clubs="[Real Madrid]", date="2024-05"),
        lambda: site.story("2023/more.md", coach="Xabi Alonso", clubs="[Bayer Leverkusen]", date="2023"),
        lambda: site.story("2022/older.md", coach="Xabi Alonso", clubs="[Real Sociedad]", date="2022"),
        lambda: (stories / "2025/ancelotti.md").rename(stories / "2025/carlo.md") or stories / "2025/carlo.md",
        lambda: (stories / "2024/new-coach.md").unlink() or stories / "2024/new-coach.md",
        lambda: site.story("2023/more.md", coach="Carlo Ancelotti", clubs="[Real Madrid]", date="2019-01-01",
                           extra="title: Moved back in time"),
    ]
    for change in steps:
        changed = change()
        assert preview.rebuild([str(changed), str(stories / "2025/ancelotti.md")]), preview.errors
        assert our_files(site.output) == site.cold_equivalent()


def test_a_cache_restored_into_a_fresh_clone_hits(site, monkeypatch):
    """New paths, mtimes and inodes (git clone), the old .cache/: nothing is parsed or rendered again."""
    from panchina import content, markup

    site.run_build()
    clone = site.root.parent / "clone"
    shutil.copytree(site.root / "content", clone / "content", copy_function=shutil.copy)  # new times and inodes
    for folder in ("templates", "static", ".cache"):
        shutil.copytree(site.root / folder, clone / folder)
    parsed, rendered = [], []
    monkeypatch.setattr(content, "story_from_text", lambda *args, **kwargs: parsed.append(args[0]))
    monkeypatch.setattr(markup.MarkdownRenderer, "render", lambda self, body: rendered.append(body))
    monkeypatch.chdir(clone)
    report = build(Paths(), search=False, today=TODAY)
    assert (parsed, rendered) == ([], [])
    assert report.rendered == report.pages  # no output/ there yet: every page written, from the cache
    assert our_files(clone / "output") == our_files(site.output)


def test_a_foreign_cache_can_neither_run_code_nor_publish_script(site):
    """A .cache/ may come from a pull request: it is data (JSON, SQLite), and stored bodies are sanitized again."""
    import sqlite3

    site.run_build()
    cache = site.root / ".cache"
    (cache / "build.pickle").write_bytes(b"cos\nsystem\n(S'touch pwned'\ntR.")  # what an old cache file could do
    with sqlite3.connect(cache / "bodies.sqlite") as connection:
        connection.execute("UPDATE bodies SET html = '<script>alert(1)</script><p>poisoned</p>'")
    (site.output / "stories/2026/allegri/index.html").unlink()  # so that its body is read from the cache
    site.run_build()
    page = (site.output / "stories/2026/allegri/index.html").read_text()
    assert "<script>" not in page and "<p>poisoned</p>" in page
    assert not (site.root / "pwned").exists() and not (site.root.parent / "pwned").exists()


def test_a_cache_entry_of_the_wrong_type_is_damage_not_a_crash(site, capsys):
    import sqlite3

    from panchina.cache import load_cache

    site.run_build()
    path = site.root / ".cache/build.sqlite"
    connection = sqlite3.connect(path)
    with connection:  # a story's title (its 8th field) made an object
        connection.execute(f"""UPDATE stories SET story = json_set(story, '$[{AT["title"]}]',
                                                        json('{{"not": "text"}}'))""")
    connection.close()
    cache, warning = load_cache(site.root / ".cache")
    assert cache.stories == {} and warning == (f"{path.as_posix()} is damaged, so this build starts cold; "
                                               "it is rewritten at the end")


def test_a_poisoned_manifest_cannot_remove_a_file_outside_the_site(site):
    """Found by the hostile review: a build removes the files its last manifest lists and no longer writes."""
    import sqlite3

    site.run_build()
    victim = site.root / "victim.txt"
    victim.write_text("precious\n", encoding="utf-8")
    connection = sqlite3.connect(site.root / ".cache/build.sqlite")
    with connection:
        row = connection.execute("SELECT * FROM manifest LIMIT 1").fetchone()
        connection.execute("INSERT INTO manifest VALUES (?, ?, ?, ?, ?, ?)", ("../victim.txt", *row[1:]))
    connection.close()
    assert site.run_build().warnings  # damaged: a cold build
    assert victim.read_text() == "precious\n"


def test_a_poisoned_story_row_cannot_publish_a_script_link(site):
    """Found by the hostile review: a cached story's address becomes an href on its pages."""
    import json
    import sqlite3

    site.run_build()
    connection = sqlite3.connect(site.root / ".cache/build.sqlite")
    with connection:
        for place, story in connection.execute("SELECT place, story FROM stories").fetchall():
            values = json.loads(story)
            values[AT["source_url"]] = "javascript:alert(document.domain)"
            connection.execute("UPDATE stories SET story = ? WHERE place = ?", (json.dumps(values), place))
    connection.close()
    shutil.rmtree(site.output)  # every page rendered again, from the cached stories
    assert site.run_build().warnings  # damaged: a cold build
    assert not any("javascript:" in page.read_text() for page in site.output.rglob("*.html"))


def test_a_read_in_the_cached_plan_that_this_code_cannot_parse_is_planned_again(site):
    """An edited or damaged plan (a read of an unknown kind, an index that is not a number) replans the units
    that read it, and the site is a cold build's, with no traceback."""
    import json
    import sqlite3

    site.run_build()
    with sqlite3.connect(site.root / ".cache/build.sqlite") as connection:
        tokens = json.loads(connection.execute("SELECT value FROM meta WHERE name = 'tokens'").fetchone()[0])
        tokens[0], tokens[1] = "Zno such read", "I\x1fall\x1fnot a number"
        connection.execute("UPDATE meta SET value = ? WHERE name = 'tokens'", (json.dumps(tokens),))
    site.story("2026/allegri.md", body="Allegri *first* body.", extra="title: A new title")  # a fact changes
    site.run_build()
    assert our_files(site.output) == site.cold_equivalent()


def cache_contents(cache) -> dict:
    """What a cache holds, comparable: stories by their checked fields, and everything else as is."""
    return {"stories": {place: (digest, {name: value for name, value in story.__dict__.items()
                                         if name not in ("coach", "clubs", "source", "outcomes", "body")})
                        for place, (digest, story) in cache.stories.items()},
            "manifest": cache.manifest, "newest": cache.newest, "templates": cache.templates,
            "output": cache.output, "stamps": (cache.stamp, cache.stories_stamp),
            "plan": (cache.plan.stamp, cache.plan.facts, dict(zip(cache.plan.tokens, cache.plan.digests, strict=True)),
                     {unit: ([cache.plan.tokens[index] for index in places], [list(page) for page in pages])
                      for unit, (places, pages) in cache.plan.units.items()})}


def test_the_cache_file_holds_what_the_build_left_though_only_changed_rows_are_written(site):
    """Saving writes the rows that differ from what was read; read back, the file is the build's cache."""
    from panchina.cache import load_cache, save_cache

    folder = site.root / ".cache"
    site.run_build()
    for change in (lambda: site.story("2026/allegri.md", body="Another body."),
                   lambda: site.story("2026/new.md", coach="Xabi Alonso", clubs="[Real Madrid]"),
                   lambda: (site.content / "stories/2026/klopp.md").unlink(),
                   lambda: site.write("content/clubs.yaml", "- name: Real Madrid\n  aliases: [Real]\n")):
        change()
        cache, warning = load_cache(folder)
        assert warning is None and cache.on_disk is not None
        build(Paths(content=site.content, output=site.output, templates=site.root / "templates",
                    static=site.root / "static", cache=folder), search=False, today=TODAY, cache=cache)
        save_cache(folder, cache)
        assert cache_contents(load_cache(folder)[0]) == cache_contents(cache)


def test_a_save_by_another_build_since_this_one_read_means_a_whole_rewrite(site):
    """Two builds (the preview and the command line) sharing one .cache: the last to save wins whole."""
    from panchina.cache import load_cache, save_cache

    folder = site.root / ".cache"
    site.run_build()
    first, _ = load_cache(folder)
    second, _ = load_cache(folder)
    site.story("2026/allegri.md", body="Changed by the first.")
    paths = Paths(content=site.content, output=site.output, templates=site.root / "templates",
                  static=site.root / "static", cache=folder)
    build(paths, search=False, today=TODAY, cache=first)
    save_cache(folder, first)
    (site.content / "stories/2026/klopp.md").unlink()
    build(paths, search=False, today=TODAY, cache=second)
    save_cache(folder, second)  # its rows-to-write were worked out against a file the first has changed since
    assert cache_contents(load_cache(folder)[0]) == cache_contents(second)


def test_a_cached_story_keeps_every_field_it_was_checked_with():
    """A field added to Story and forgotten in the cache's row would take its default on every warm build."""
    names = {item.name for item in dataclasses.fields(Story)}
    # Its place is the row's key (its file's place below stories/); its other fields are in the row.
    assert names == (set(StoryRow.__struct_fields__) - {"facts"}) | NOT_STORED | {"place"}, \
        "store the new field in cache.StoryRow"
    story = Story(path="content/stories/2026/x.md", place=("2026", "x"), coach_name="Xabi Alonso",
                  club_names=("Real Madrid", "Liverpool"), date=PartialDate(2026, 3, None), source_name="Marca",
                  source_url="https://example.com/x", title="Ça bouge", lang="it", body_hash="b" * 32, body_line=9,
                  field_lines={"coach": 2, "date": 4}, status="talks")
    row = _story_row("2026/x.md", "d" * 32, story)
    digest, again = _stories([row])["2026/x.md"]
    assert digest == "d" * 32
    # However a story is made (here its fields set in the reverse order), its facts digest alike.
    shuffled = Story.unlinked_from(**{name: getattr(story, name) for name in sorted(names - NOT_STORED, reverse=True)})
    assert story_facts(shuffled) == story_facts(story) == again.__dict__["_facts"]
    assert {name: getattr(again, name) for name in NOT_STORED} == {name: getattr(Story(
        path="", place=(), coach_name="", club_names=(), date=PartialDate(2026), source_name="", source_url=None,
        title=None, lang="", body_hash="", body_line=0), name) for name in NOT_STORED}
    assert {name: getattr(again, name) for name in names - NOT_STORED} == \
        {name: getattr(story, name) for name in names - NOT_STORED}


_ODD_VALUES = [None, True, 0, -1, 2**70, 1.5, "", "x", "javascript:alert(1)", "2026", [], [1, None, None],
               ["a"], {}, {"a": 1}, {"a": "b"}, [[1]], [["p", "t"]], [["p", "t", "k"]], [-5], [10**9]]


def _damaged(value, path: list[int], replacement):
    """``value`` with the item at ``path`` (indices into nested lists) replaced."""
    if not path or not isinstance(value, list) or not value:
        return replacement
    index = path[0] % len(value)
    return [_damaged(item, path[1:], replacement) if place == index else item for place, item in enumerate(value)]


@pytest.fixture(scope="module")
def built_cache(tmp_path_factory):
    """A cache file made by a real build, and the path to copy it to."""
    from tests.conftest import new_project

    project = new_project(tmp_path_factory.mktemp("fuzz") / "site")
    root = project.root
    project.story("2026/allegri.md", body="Allegri *first* body.", extra="title: A title")
    project.story("2025/klopp.md", coach="Jürgen Klopp", clubs="[Real Madrid, Liverpool]", date="2025-02")
    build(Paths(content=project.content, output=root / "output", templates=root / "templates",
                static=root / "static", cache=root / ".cache"), search=False, today=TODAY)
    return (root / ".cache/build.sqlite").read_bytes(), root / "fuzzed"


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(table=st.sampled_from([("stories", "story", "place"), ("units", "unit_data", "unit")]),
       path=st.tuples(st.sampled_from(range(15)), st.lists(st.integers(0, 20), max_size=2)).map(
           lambda parts: [parts[0], *parts[1]]),
       replacement=st.sampled_from(_ODD_VALUES), raw=st.sampled_from([None, None, None, "", "[", "1],[2", "{}"]))
@example(("stories", "story", "place"), [AT["source_url"]], "javascript:alert(1)", None).via("a script address")
@example(("stories", "story", "place"), [AT["title"]], 0, None).via("a title that is not text")
@example(("stories", "story", "place"), [AT["date"]], [2026, 13, None], None).via("a month that does not exist")
@example(("units", "unit_data", "unit"), [0], [10**9], None).via("a read beyond the table")
@example(("stories", "story", "place"), [AT["field_lines"]], {"a": "b"}, None).via("a line number that is not a number")
@example(("stories", "story", "place"), [AT["facts"]], "", None).via("no facts digest")
def test_any_damage_to_a_cached_row_is_a_warning_or_well_typed_never_a_crash(built_cache, table, path, replacement,
                                                                              raw):
    """A .cache/ may come from anyone: every value is checked for its type as it is read, so a row changed in
    any way is either refused as damage (one warning, a cold build) or read with the types a build expects."""
    import json
    import sqlite3

    from panchina.cache import load_cache

    data, folder = built_cache
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    (folder / "build.sqlite").write_bytes(data)
    name, column, key = table
    with sqlite3.connect(folder / "build.sqlite") as connection:
        first, text = connection.execute(f"SELECT {key}, {column} FROM {name} ORDER BY {key} LIMIT 1").fetchone()
        damaged = raw if raw is not None else json.dumps(_damaged(json.loads(text), path, replacement))
        connection.execute(f"UPDATE {name} SET {column} = ? WHERE {key} = ?", (damaged, first))
    connection.close()
    cache, warning = load_cache(folder)
    if warning is not None:
        assert "is damaged, so this build starts cold" in warning and cache.stories == {} and not cache.plan.units
        return
    for _, story in cache.stories.values():
        assert type(story.path) is str and type(story.coach_name) is str and type(story.source_name) is str
        assert type(story.place) is tuple and {type(item) for item in (*story.place, *story.club_names)} <= {str}
        assert type(story.title) in (str, type(None)) and type(story.body_line) is int
        assert story.source_url is None or story.source_url.startswith(("https://", "http://"))
        assert isinstance(story.date, PartialDate) and type(story.field_lines) is dict
        assert {type(key) for key in story.field_lines} <= {str} and {type(line) for line in
                                                                   story.field_lines.values()} <= {int}
        assert type(story.__dict__["_facts"]) is str and story.__dict__["_facts"]
    for places, pages in cache.plan.units.values():
        assert all(type(index) is int and 0 <= index < len(cache.plan.tokens) for index in places)
        assert all(len(page) == 3 and {type(item) for item in page} <= {str} for page in pages)


def test_a_change_to_how_bodies_are_rendered_renders_every_stored_body_again(project):
    """Found by the code review: the stored bodies were keyed by the libraries' versions and a few names
    bumped by hand, so an edit to markup.py's code left a warm build (and a restored cache) showing the old
    HTML.  A copy of Panchina whose renderer changes between two builds shows the new HTML at once."""
    import subprocess
    import sys

    from tests.conftest import ROOT

    code = project.root.parent / "code"
    shutil.copytree(ROOT / "panchina", code / "panchina", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "build.py", code / "build.py")
    project.story("2026/allegri.md", body="Allegri *first* body.")

    def run() -> str:
        subprocess.run([sys.executable, str(code / "build.py"), "--no-search"], cwd=project.root, check=True,
                       capture_output=True, timeout=120)
        return (project.output / "stories/2026/allegri/index.html").read_text(encoding="utf-8")

    assert "Allegri <em>first</em> body." in run()
    markup = code / "panchina/markup.py"
    text = markup.read_text(encoding="utf-8")
    assert "return demote_headings(sanitize(html))" in text
    markup.write_text(text.replace("return demote_headings(sanitize(html))",
                                   "return demote_headings(sanitize(html.replace('<em>', '<strong>')"
                                   ".replace('</em>', '</strong>')))"), encoding="utf-8")
    assert "Allegri <strong>first</strong> body." in run()


# Found by the hostile review (older than this session): rows of the right types that no build writes.
FOREIGN_ROWS = {
    "a body that is not text": "UPDATE bodies SET html = NULL",
    "an empty coach": f"UPDATE stories SET story = json_set(story, '$[{AT['coach_name']}]', '')",
    "a date whose outcome lies past year 9999":
        f"UPDATE stories SET story = json_set(story, '$[{AT['date']}]', json('[9999, 12, 31]'))",
    "an unknown status": f"UPDATE stories SET story = json_set(story, '$[{AT['status']}]', 'evil')",
    "a name that differs from another by a NUL": (  # the same address as his: a false error blaming both files
        f"UPDATE stories SET story = json_set(story, '$[{AT['coach_name']}]', 'Massimiliano' || char(0) || "
        "'Allegri') WHERE place = '2026/klopp.md'"),
    "no clubs": f"UPDATE stories SET story = json_set(story, '$[{AT['club_names']}]', json('[]'))",
    "templates that are text": "UPDATE meta SET value = '\"x\"' WHERE name = 'templates'",
    "a sitemap date with a month 13": "UPDATE newest SET day = '2026-13-45'",
    "a story in a file whose name is not a slug":
        "UPDATE stories SET place = '2026/Foo Bar.md' WHERE place = '2026/allegri.md'",
    "a unit listing a page it does not make": (
        "UPDATE units SET unit_data = json_set(unit_data, '$[1][0][0]', '../../x.html') "
        "WHERE unit = 'panchina.pages.home'"),
}


@pytest.mark.parametrize("damage", FOREIGN_ROWS.values(), ids=FOREIGN_ROWS.keys())
def test_a_cache_no_build_wrote_never_fails_the_build(site, damage):
    """Each is refused as damage when read, or, where only using it shows it (a crash, an inconsistency), the
    build is made again without the cache: a correct site and one warning, never a traceback or a false error."""
    import sqlite3

    site.run_build()
    for name in ("build.sqlite", "bodies.sqlite"):
        with sqlite3.connect(site.root / ".cache" / name) as connection:
            try:
                connection.execute(damage)
            except sqlite3.OperationalError:
                continue  # the statement is for the other file
        connection.close()
    shutil.rmtree(site.output)  # every page written again, from what the cache holds
    report = site.run_build()
    cache = (site.root / ".cache").as_posix()
    damaged = f"{cache}/build.sqlite is damaged, so this build starts cold; it is rewritten at the end"
    made_again = re.compile(re.escape(f"this build failed with the cache in {cache}/ (") + r"[^\n]+"
                            + re.escape("), so it was made again without it; the cache is rewritten"))
    assert report.warnings[:1] == [damaged] or made_again.fullmatch(report.warnings[0]), report.warnings
    assert our_files(site.output) == site.cold_equivalent()
    assert not site.run_build().warnings  # the cache, rewritten, is whole again


def test_the_preview_builds_again_without_a_cache_no_build_wrote(site):
    """The preview reads the cache once and keeps it in memory: a crash it causes is met the same way."""
    import sqlite3

    from panchina.serve import PreviewSite

    site.run_build()
    with sqlite3.connect(site.root / ".cache/build.sqlite") as connection:
        connection.execute(FOREIGN_ROWS["a unit listing a page it does not make"])
    connection.close()
    shutil.rmtree(site.output)
    preview = PreviewSite(Paths(content=site.content, output=site.output, templates=site.root / "templates",
                                static=site.root / "static", cache=site.root / ".cache"), search=False)
    assert preview.rebuild(None) and not preview.errors
    assert (site.output / "index.html").is_file()
    assert preview.rebuild([]) and not preview.errors


def test_a_content_mistake_is_not_blamed_on_the_cache(site):
    """Only a crash or an inconsistency may be the cache's: a mistake in a story fails once, the cache kept."""
    from panchina.errors import BuildFailed

    site.run_build()
    site.story("2026/allegri.md", date="2026-02-30")
    with pytest.raises(BuildFailed) as failure:
        site.run_build()
    assert [error.field for error in failure.value.errors] == ["date"]
    assert (site.root / ".cache/build.sqlite").is_file() and (site.root / ".cache/bodies.sqlite").is_file()


def test_a_crash_that_is_not_the_caches_is_reported_with_both_builds(site, monkeypatch):
    """A bug fails the build made again without the cache too: its error is raised, from the first one, with a note."""
    from panchina.render import Renderer

    site.run_build()
    site.story("2026/allegri.md", body="Changed, so that the page is rendered.")

    def broken(self, page):
        raise RuntimeError("a bug in rendering")

    monkeypatch.setattr(Renderer, "render", broken)
    with pytest.raises(RuntimeError, match="a bug in rendering") as failure:
        site.run_build()
    assert isinstance(failure.value.__cause__, RuntimeError)
    assert any("made again without it, it failed as above" in note for note in failure.value.__notes__)
