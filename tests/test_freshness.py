"""Warm builds and the preview are byte-identical to a cold build, whatever changes.

A Hypothesis state machine applies random sequences of changes to a small
archive, with the page-size limits turned down so that timelines, A–Z
indexes and sitemaps split, and after every step compares three sites: a
warm build (the cache on disk, as a new process would find it), the
preview's update (in memory, told only the paths the file events name),
and a cold build.  ``PANCHINA_STATEFUL_EXAMPLES`` runs it longer
(``make test-long``).  Below it, the stale pages that earlier versions
served, each pinned by its own test.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import time
import types
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, precondition, rule

from panchina import pages, pipeline
from panchina.cache import content_hash, load_cache
from panchina.content import find_story_files
from panchina.errors import BuildFailed
from panchina.lookahead import LookAhead
from panchina.model import PartialDate
from panchina.pages import by_date, entity_index, saga, sitemap, timeline
from panchina.pipeline import Paths, build
from panchina.serve import PreviewSite
from tests.conftest import ROOT, TODAY, folder_files, story_text
from tests.test_serve import Preview

EXAMPLES = int(os.environ.get("PANCHINA_STATEFUL_EXAMPLES", "24"))

COACHES = ["Massimiliano Allegri", "Max Allegri", "Jürgen Klopp", "Xabi Alonso", "Carlo Ancelotti"]
CLUBS = ["Real Madrid", "Real Madrid CF", "Juventus", "Milan", "Liverpool"]
SOURCES = ["Marca", "Corriere dello Sport", "Kicker"]
DATES = ["2019", "2021-06", "2024-02-29", "2025-12-31", "2026-03-04", "2026-11-26"]
TITLES = [None, "Talks", "Allegri: the third try", "Ça bouge à Madrid"]
LANGS = [None, "it", "en", "pt-BR"]
BODIES = ["Body.", "Allegri *again*.", "| a | b |\n|---|---|\n| 1 | 2 |", "", "# Heading\n\nText."]
PLACES = [f"{folder}/{name}.md" for folder in ("2019", "2026", "misc") for name in ("a", "b", "c")]
STATUSES = [None, "talks", "signed", "collapsed"]
# Spells for content/appointments.yaml (issue 9): aliases, open ends, one that overlaps, one in the future.
SPELLS = [
    "- coach: Massimiliano Allegri\n  club: Juventus\n  from: 2021\n  to: 2024-05\n  source: Marca\n",
    "- coach: Max Allegri\n  club: Real Madrid\n  from: 2025-12-31\n  source: Kicker\n",
    "- coach: Xabi Alonso\n  club: Real Madrid\n  from: 2025-06\n  to: 2026-01\n  source: Marca\n",
    "- coach: Carlo Ancelotti\n  club: Real Madrid CF\n  from: 2019-03\n  source: Marca\n",
    "- coach: Jürgen Klopp\n  club: Liverpool\n  from: 2015-10\n  to: 2024-05\n  source: Kicker\n",
    "- coach: Xabi Alonso\n  club: Liverpool\n  from: 2025-07\n  source: Marca\n",
    "- coach: Carlo Ancelotti\n  club: Milan\n  from: 2030\n  source: Marca\n",
]


def our_files(folder: Path) -> dict[str, bytes]:
    return folder_files(folder, lambda name: not name.startswith("pagefind/"))


def story_file(coach, clubs, date, source, title, lang, body, status=None) -> str:
    extra = "\n".join(line for line in (title and f"title: {json.dumps(title)}", lang and f"lang: {lang}",
                                         status and f"status: {status}") if line)
    return story_text(coach=json.dumps(coach), clubs=json.dumps(clubs), date=date, source=json.dumps(source),
                      extra=extra, body=body)


class Archive(RuleBasedStateMachine):
    """A small archive under random edits; every step ends with warm == preview == cold."""

    @initialize()
    def start(self):
        self.saved_limits = (timeline.PAGE_LIMIT, entity_index.PAGE_LIMIT, sitemap.LIMIT, by_date.PAGE_LIMIT,
                             entity_index.HEADINGS_FROM, saga.PAGE_LIMIT)
        (timeline.PAGE_LIMIT, entity_index.PAGE_LIMIT, sitemap.LIMIT, by_date.PAGE_LIMIT,
         entity_index.HEADINGS_FROM, saga.PAGE_LIMIT) = 2, 2, 5, 2, 0, 2
        self.root = Path(tempfile.mkdtemp(prefix="panchina-fsm-"))
        shutil.copytree(ROOT / "templates", self.root / "templates")
        shutil.copytree(ROOT / "static", self.root / "static")
        (self.root / "content/stories").mkdir(parents=True)
        self.stories: set[str] = set()  # every story file, links included
        self.fields: dict[str, dict] = {"2026/a.md": dict(coach=COACHES[0], clubs=[CLUBS[0]], date="2026-03-04",
                                                         source=SOURCES[0], title=None, lang=None, body="Body.")}
        self.write("2026/a.md", story_file(**self.fields["2026/a.md"]))
        self.preview = PreviewSite(self.paths("preview", ".cache-preview"), search=False)
        self.check(None)

    def teardown(self):
        if hasattr(self, "root"):
            (timeline.PAGE_LIMIT, entity_index.PAGE_LIMIT, sitemap.LIMIT, by_date.PAGE_LIMIT,
             entity_index.HEADINGS_FROM, saga.PAGE_LIMIT) = self.saved_limits
            shutil.rmtree(self.root, ignore_errors=True)

    def paths(self, output: str, cache: str | None) -> Paths:
        return Paths(content=self.root / "content", output=self.root / output, templates=self.root / "templates",
                     static=self.root / "static", cache=self.root / cache if cache else None)

    def write(self, place: str, text: str) -> Path:
        path = self.root / "content/stories" / place
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.is_symlink():  # writing a file where a link was replaces the link
            path.unlink()
        path.write_text(text, encoding="utf-8")
        self.stories.add(place)
        return path

    def check(self, changed: list[Path] | None, by_hand: bool = False) -> None:
        """The three ways to the site agree byte for byte, or all three refuse the content.

        The preview's look over its pages after a build (``PreviewSite.repair``) finds nothing unless
        pages were changed ``by_hand``: its builds alone must give the cold site."""
        outcomes = []
        for output, cache in (("warm", ".cache"), ("cold", None)):
            try:
                build(self.paths(output, cache), search=False, today=TODAY)
                outcomes.append(our_files(self.root / output))
            except BuildFailed:
                outcomes.append(None)
        # The preview builds as of the real today; every date here is on or before TODAY.
        good = self.preview.rebuild(None if changed is None else [str(path) for path in changed])
        if good and not by_hand:
            assert not self.preview.repair(), "the preview took a page it wrote for one changed by hand"
        elif good and self.preview.repair():  # what the preview does a moment after each build
            good = not self.preview.errors
        outcomes.append(our_files(self.root / "preview") if good else None)
        warm, cold, preview = outcomes
        assert (warm is None) == (cold is None) == (preview is None), self.preview.errors
        if cold is not None:
            assert warm == cold, sorted(name for name in set(warm) | set(cold) if warm.get(name) != cold.get(name))
            assert preview == cold, sorted(name for name in set(preview) | set(cold)
                                           if preview.get(name) != cold.get(name))

    @rule(place=st.sampled_from(PLACES), coach=st.sampled_from(COACHES),
          clubs=st.lists(st.sampled_from(CLUBS), min_size=1, max_size=3, unique=True),
          date=st.sampled_from(DATES), source=st.sampled_from(SOURCES), title=st.sampled_from(TITLES),
          lang=st.sampled_from(LANGS), body=st.sampled_from(BODIES), status=st.sampled_from(STATUSES))
    def write_story(self, place, coach, clubs, date, source, title, lang, body, status):
        self.fields[place] = dict(coach=coach, clubs=clubs, date=date, source=source, title=title, lang=lang,
                                  body=body, status=status)
        self.check([self.write(place, story_file(**self.fields[place]))])

    @precondition(lambda self: self.fields)
    @rule(data=st.data(), field=st.sampled_from(["coach", "clubs", "date", "source", "title", "lang", "body",
                                                 "status"]))
    def edit_story(self, data, field):
        """Change one field of a story that is there, maybe one that a link also reads."""
        place = data.draw(st.sampled_from(sorted(self.fields)))
        choices = {"coach": st.sampled_from(COACHES), "date": st.sampled_from(DATES),
                   "clubs": st.lists(st.sampled_from(CLUBS), min_size=1, max_size=3, unique=True),
                   "source": st.sampled_from(SOURCES), "title": st.sampled_from(TITLES),
                   "lang": st.sampled_from(LANGS), "body": st.sampled_from(BODIES),
                   "status": st.sampled_from(STATUSES)}
        self.fields[place][field] = data.draw(choices[field])
        self.check([self.write(place, story_file(**self.fields[place]))])

    @precondition(lambda self: self.fields)
    @rule(data=st.data(), body=st.sampled_from(BODIES))
    def edit_body(self, data, body):
        """The commonest edit, and the one a warm build plans least for: only the text changes."""
        place = data.draw(st.sampled_from(sorted(self.fields)))
        self.fields[place]["body"] = body
        self.check([self.write(place, story_file(**self.fields[place]))])

    @precondition(lambda self: self.stories)
    @rule(data=st.data())
    def delete_story(self, data):
        place = data.draw(st.sampled_from(sorted(self.stories)))
        path = self.root / "content/stories" / place
        path.unlink()
        self.stories.discard(place)
        self.fields.pop(place, None)
        self.check([path])

    @precondition(lambda self: self.stories)
    @rule(data=st.data(), new_place=st.sampled_from(PLACES))
    def rename_story(self, data, new_place):
        place = data.draw(st.sampled_from(sorted(self.stories)))
        source, destination = self.root / "content/stories" / place, self.root / "content/stories" / new_place
        if source == destination or destination.exists() or destination.is_symlink():
            return
        destination.parent.mkdir(parents=True, exist_ok=True)
        source.rename(destination)  # a link moved elsewhere may now point nowhere: then all three refuse it
        self.stories.discard(place)
        self.stories.add(new_place)
        if place in self.fields:
            self.fields[new_place] = self.fields.pop(place)
        self.check([source, destination])

    @precondition(lambda self: self.stories)
    @rule(data=st.data(), link=st.sampled_from(PLACES))
    def link_story(self, data, link):
        target = data.draw(st.sampled_from(sorted(self.stories)))
        path, target_path = self.root / "content/stories" / link, self.root / "content/stories" / target
        if path.exists() or path.is_symlink():
            return  # a link to a link is fine: a chain, whose middle may be moved later
        path.parent.mkdir(parents=True, exist_ok=True)
        os.symlink(os.path.relpath(target_path, path.parent), path)
        self.stories.add(link)
        self.check([path])

    @rule(coach_alias=st.booleans(), club_alias=st.booleans(), sort_as=st.sampled_from([None, "Zeta", "Alonso, X"]))
    def edit_registries(self, coach_alias, club_alias, sort_as):
        content = self.root / "content"
        # sort_as moves Klopp between letters (and letter pages) of the coaches' index.
        (content / "coaches.yaml").write_text(
            ("- name: Massimiliano Allegri\n  aliases: [Max Allegri]\n" if coach_alias else "")
            + (f"- name: Jürgen Klopp\n  sort_as: {sort_as}\n" if sort_as else ""))
        (content / "clubs.yaml").write_text("- name: Real Madrid\n  aliases: [Real Madrid CF]\n" if club_alias else "")
        self.check([content / "coaches.yaml", content / "clubs.yaml"])

    @rule(spells=st.lists(st.sampled_from(SPELLS), max_size=4, unique=True), present=st.booleans())
    def edit_appointments(self, spells, present):
        """What actually happened changes: outcomes, sagas, careers, track records and charts follow."""
        path = self.root / "content/appointments.yaml"
        if present:
            path.write_text("".join(spells), encoding="utf-8")
        elif path.exists():
            path.unlink()
        self.check([path])

    @rule(title=st.sampled_from(["Panchina", "Archivio"]), language=st.sampled_from(["en", "it"]))
    def edit_settings(self, title, language):
        path = self.root / "content/site.yaml"
        path.write_text(f"title: {title}\nlanguage: {language}\nbase_url: https://example.org/\n")
        self.check([path])

    @rule(template=st.sampled_from(["base.html", "timeline.html", "_macros.html", "story.html"]),
          word=st.sampled_from(["one", "two"]))
    def edit_template(self, template, word):
        path = self.root / "templates" / template
        text = path.read_text()
        marker = "{# edited: "
        text = text.split(marker)[0] + f"{marker}{word} #}}\n<!-- {word} -->\n" if template != "base.html" \
            else text.replace("<main id=\"main\">", f"<main id=\"main\" data-edit=\"{word}\">", 1) \
            if "data-edit" not in text else text.replace('data-edit="one"', f'data-edit="{word}"').replace(
                'data-edit="two"', f'data-edit="{word}"')
        path.write_text(text)
        self.check([path])


    @rule(data=st.data(), remove=st.booleans())
    def change_a_page_by_hand(self, data, remove):
        """A published page edited or deleted by hand: the warm build checks every page it keeps, the
        preview looks its pages over after each build (``PreviewSite.repair``)."""
        names = sorted(name for name in our_files(self.root / "preview") if name.endswith(".html"))
        if not names:
            return
        name = data.draw(st.sampled_from(names))
        for output in ("warm", "preview"):
            path = self.root / output / name
            if remove:
                path.unlink(missing_ok=True)
            elif path.exists():
                path.write_text("Changed by hand.\n", encoding="utf-8")
        self.check([], by_hand=True)

    @rule(how=st.sampled_from(["empty", "copy"]))
    def empty_or_replace_the_output_folder(self, how):
        """The folder emptied in place (same inode, no marker), or swapped for a copy with a page changed."""
        for output in ("warm", "preview"):
            folder = self.root / output
            if not folder.is_dir():
                continue
            if how == "empty":
                for entry in folder.iterdir():
                    shutil.rmtree(entry) if entry.is_dir() and not entry.is_symlink() else entry.unlink()
                continue
            copy = self.root / f"{output}-copy"
            shutil.copytree(folder, copy, symlinks=True)
            pages = sorted(copy.rglob("index.html"))
            if pages:
                pages[0].write_text("Changed in the copy.\n", encoding="utf-8")
            shutil.rmtree(folder)
            copy.rename(folder)
        self.check([], by_hand=True)

    @rule(template=st.sampled_from(["story.html", "timeline.html"]))
    def break_a_template_then_fix_it(self, template):
        """A template that fails while pages render, after planning: all three refuse it, then agree again."""
        path = self.root / "templates" / template
        text = path.read_text()
        end = text.rindex("{% endblock %}")
        path.write_text(text[:end] + "{{ 1 // 0 }}" + text[end:])
        self.check([path])
        path.write_text(text)
        self.check([path])


Archive.TestCase.settings = settings(max_examples=EXAMPLES, stateful_step_count=10, deadline=None,
                                     suppress_health_check=list(HealthCheck))
test_warm_builds_and_the_preview_equal_a_cold_build = Archive.TestCase


# The stale pages that earlier versions served, one test each.

def paths_of(project, output="output", cache=".cache") -> Paths:
    return Paths(content=project.content, output=project.root / output, templates=project.root / "templates",
                 static=project.root / "static", cache=project.root / cache if cache else None)


def cold_files(project) -> dict[str, bytes]:
    shutil.rmtree(project.root / "cold", ignore_errors=True)
    build(paths_of(project, "cold", None), search=False, today=TODAY)
    return our_files(project.root / "cold")


def test_year_pages_say_the_new_latest_date_after_the_newest_story_moves(project, monkeypatch):
    monkeypatch.setattr(timeline, "PAGE_LIMIT", 2)
    for year in (2019, 2021, 2026):
        project.story(f"{year}/s.md", date=f"{year}-05-01")
    build(paths_of(project), search=False, today=TODAY)
    project.story("2026/s.md", date="2026-06-15")
    build(paths_of(project), search=False, today=TODAY)
    older_year = (project.output / "coaches/massimiliano-allegri/2019/index.html").read_text()
    assert 'the latest on <time datetime="2026-06-15">' in older_year
    assert our_files(project.output) == cold_files(project)


def test_the_sitemap_dates_a_page_anew_when_its_story_moves_within_a_month(project):
    """The sitemap sees each page's address, template and newest date (pages.Listed): a story dated again keeps
    every address, yet its page's lastmod changes."""
    project.story("2026/new.md", date="2026-06-20")
    project.story("2026/old.md", coach="Xabi Alonso", date="2026-03-04")
    build(paths_of(project), search=False, today=TODAY)
    project.story("2026/old.md", coach="Xabi Alonso", date="2026-03-05")
    build(paths_of(project), search=False, today=TODAY)
    assert "/stories/2026/old/</loc><lastmod>2026-03-05</lastmod>" in \
        (project.output / "sitemap.xml").read_text().replace("\n", "").replace(" ", "")
    assert our_files(project.output) == cold_files(project)


def test_a_career_links_a_coach_once_his_first_story_appears(project):
    """A club's page names its coaches' spells, linked when the coach has a page: the club's own stories are
    unchanged by a story about another club, yet the page changes (an entity looked up by name is a read)."""
    project.write("content/appointments.yaml",
                  "- coach: Carlo Ancelotti\n  club: Milan\n  from: 2001-11\n  to: 2009-05\n  source: Marca\n")
    project.story("2026/a.md", clubs="[Milan]")
    build(paths_of(project), search=False, today=TODAY)
    project.story("2026/b.md", coach="Carlo Ancelotti", clubs="[Juventus]")
    build(paths_of(project), search=False, today=TODAY)
    assert 'href="/coaches/carlo-ancelotti/"' in (project.output / "clubs/milan/index.html").read_text()
    assert our_files(project.output) == cold_files(project)


def test_a_story_rewritten_with_the_same_size_and_time_is_rebuilt(project):
    path = project.story("2026/a.md", extra="title: Alpha")
    build(paths_of(project), search=False, today=TODAY)
    before = path.stat()
    with open(path, "r+b") as handle:  # in place: the same inode, as cp -p, tar or rsync -t leave it
        handle.write(path.read_bytes().replace(b"Alpha", b"Omega"))
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert (path.stat().st_size, path.stat().st_mtime_ns, path.stat().st_ino) == \
        (before.st_size, before.st_mtime_ns, before.st_ino)
    build(paths_of(project), search=False, today=TODAY)
    assert "Omega" in (project.output / "stories/2026/a/index.html").read_text()


def test_a_body_edited_during_a_build_and_back_is_never_kept_under_the_wrong_hash(project, monkeypatch):
    path = project.story("2026/a.md", body="Original body.")
    build(paths_of(project), search=False, today=TODAY)
    (project.root / ".cache/bodies.sqlite").unlink()  # the body must be rendered again, the story is cached
    original_plan = pipeline.plan_site

    def edit_while_building(*args, **kwargs):
        project.story("2026/a.md", body="Edited body.")  # after the story was read, before it is rendered
        return original_plan(*args, **kwargs)

    monkeypatch.setattr(pipeline, "plan_site", edit_while_building)
    build(paths_of(project), search=False, today=TODAY)
    monkeypatch.setattr(pipeline, "plan_site", original_plan)
    build(paths_of(project), search=False, today=TODAY)  # sees the edit
    project.story("2026/a.md", body="Original body.")  # and back
    build(paths_of(project), search=False, today=TODAY)
    assert "Original body." in (project.output / "stories/2026/a/index.html").read_text()
    assert path.read_text().endswith("Original body.\n")
    assert our_files(project.output) == cold_files(project)


def test_the_preview_answers_a_saved_body_without_listing_the_stories_again(project, monkeypatch):
    """The commonest save, a new body, is built from the last model; a new fact loads everything again."""
    path = project.story("2026/a.md", body="First body.")
    project.story("2026/b.md", coach="Xabi Alonso", body="Other body.")
    site = PreviewSite(paths_of(project), search=False)
    assert site.rebuild(), site.errors
    listed = []
    real = pipeline.find_story_files
    monkeypatch.setattr(pipeline, "find_story_files", lambda *args: listed.append(1) or real(*args))
    project.story("2026/a.md", body="Second body.")
    assert site.rebuild([str(path)]), site.errors
    assert "Second body." in (project.output / "stories/2026/a/index.html").read_text()
    assert listed == []
    project.story("2026/a.md", body="Second body.", extra="title: A new title")
    assert site.rebuild([str(path)]), site.errors
    assert listed == [1]
    assert our_files(project.output) == cold_files(project)


def test_the_preview_plans_a_saved_body_through_the_units_that_read_it(project, monkeypatch):
    """A saved body or template plans only the units whose reads it changes, found through the last
    plan's readers (``pages.Reach``): no unit is looked at one by one."""
    path = project.story("2026/a.md", body="First body.")
    project.story("2026/b.md", coach="Xabi Alonso", body="Other body.")
    site = PreviewSite(paths_of(project), search=False)
    assert site.rebuild(), site.errors
    planned, every_unit = [], []
    make, plan_each = pages._make, pages._plan_each
    monkeypatch.setattr(pages, "_make", lambda kind, *args: planned.append(kind.__name__) or make(kind, *args))
    monkeypatch.setattr(pages, "_plan_each", lambda *args: every_unit.append(1) or plan_each(*args))
    project.story("2026/a.md", body="Second body.")
    assert site.rebuild([str(path)]), site.errors
    assert (planned, every_unit) == (["panchina.pages.story"], [])
    assert our_files(project.output) == cold_files(project)
    planned.clear()
    every_unit.clear()
    template = project.root / "templates/timeline.html"
    template.write_text(template.read_text() + "{# edited #}\n")
    assert site.rebuild([str(template)]), site.errors
    assert (set(planned), every_unit) == ({"panchina.pages.timeline"}, [])
    assert our_files(project.output) == cold_files(project)


def test_a_kind_whose_dates_follow_a_body_dates_its_pages_anew_in_the_sitemap(project, monkeypatch):
    """With every fact unchanged, a warm build and the preview keep the sitemap unless a page planned again is
    listed differently.  No kind here dates a page from its body; one that did must still move the sitemap."""
    dated = types.ModuleType("panchina.pages.dated_by_body")
    dated.TEMPLATE = "dated.html"
    dated.units = lambda site: [("/".join(story.place), story) for story in site.archive.stories]
    dated.pages = lambda site, story: [pages.Page(f"dated/{story.place[-1]}/index.html", dated.TEMPLATE, {
        "when": PartialDate(2026, 3, 1 + int(story.body_hash[:4], 16) % 28)})]
    kinds = pages.page_kinds()
    monkeypatch.setattr(pages, "page_kinds", lambda: [*kinds, dated])
    (project.root / "templates/dated.html").write_text("{{ when.iso }}\n", encoding="utf-8")
    path = project.story("2026/a.md", body="First body.")
    site = PreviewSite(paths_of(project), search=False)
    assert site.rebuild(), site.errors
    warm = paths_of(project, "warm", ".cache-warm")  # a new process's warm build plans every unit
    build(warm, search=False, today=TODAY)
    for body in ("Second body.", "Third body.", "First body."):  # and back: the digest kept must be the new one
        project.story("2026/a.md", body=body)
        assert site.rebuild([str(path)]), site.errors
        build(warm, search=False, today=TODAY)
        assert our_files(project.output) == our_files(warm.output) == cold_files(project)


def test_a_folder_of_the_site_turned_into_a_link_by_hand_is_never_written_through(project, tmp_path):
    """Writing into the live folder would follow the link: the site is staged whole and swapped instead."""
    project.story("2026/a.md", coach="Xabi Alonso", body="First body.")
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "index.html").write_text("My notes.\n", encoding="utf-8")
    site = PreviewSite(paths_of(project), search=False)
    assert site.rebuild(), site.errors
    warm = paths_of(project, "warm", ".cache-warm")
    build(warm, search=False, today=TODAY)
    for output in (project.output, warm.output):
        shutil.rmtree(output / "coaches/xabi-alonso")
        os.symlink(mine, output / "coaches/xabi-alonso")
    build(warm, search=False, today=TODAY)
    assert site.repair(), site.errors
    assert os.listdir(mine) == ["index.html"] and (mine / "index.html").read_text() == "My notes.\n"
    assert our_files(project.output) == our_files(project.root / "warm") == cold_files(project)


def test_a_page_turned_into_a_folder_by_hand_is_put_back(project):
    path = project.story("2026/a.md", body="First body.")
    site = PreviewSite(paths_of(project), search=False)
    assert site.rebuild(), site.errors
    page = project.output / "coaches/index.html"
    page.unlink()
    page.mkdir()
    project.story("2026/a.md", body="Second body.")
    assert site.rebuild([str(path)]), site.errors
    assert site.repair(), site.errors
    assert our_files(project.output) == cold_files(project)


def test_a_page_turned_into_a_link_to_a_copy_outside_is_put_back(project, tmp_path):
    """A link whose own size (the length of the path it holds) is the page's, to a copy of the page
    outside the site: its bytes hash as written, yet the site would publish whatever that file becomes."""
    project.story("2026/a.md")
    build(paths_of(project), search=False, today=TODAY)
    pages = sorted((path.stat().st_size, path) for path in project.output.rglob("*.html")
                   if len(str(tmp_path)) + 20 <= path.stat().st_size <= 4000)
    size, page = pages[0]
    folder = tmp_path / "outside"
    while (left := size - len(str(folder)) - 1) > 200:  # a name holds at most 255 bytes
        folder = folder / ("d" * min(200, left - 51))
    folder.mkdir(parents=True)
    copy = folder / ("c" * left)
    assert len(str(copy)) == size
    copy.write_bytes(page.read_bytes())
    page.unlink()
    page.symlink_to(copy)
    assert page.lstat().st_size == size
    build(paths_of(project), search=False, today=TODAY)
    assert not page.is_symlink()
    assert our_files(project.output) == cold_files(project)


def test_the_preview_survives_its_output_folder_emptied_in_place(project):
    """Same inode, no marker: the site is staged whole, and every page it links must be looked at first."""
    path = project.story("2026/a.md", body="First body.")
    site = PreviewSite(paths_of(project), search=False)
    assert site.rebuild(), site.errors
    for entry in project.output.iterdir():
        shutil.rmtree(entry) if entry.is_dir() else entry.unlink()
    project.story("2026/a.md", body="Second body.")
    assert site.rebuild([str(path)]), site.errors
    assert our_files(project.output) == cold_files(project)


def test_the_preview_trusts_the_pages_it_wrote_and_puts_back_one_changed_by_hand_after_the_build(project):
    """A preview build keeps an unchanged page's file without a look (``write_site``'s ``by_hand``); the
    look over every page comes after it (``PreviewSite.repair``, a moment after each build)."""
    path = project.story("2026/a.md", body="First body.")
    project.story("2026/b.md", coach="Xabi Alonso", body="Other body.")
    site = PreviewSite(paths_of(project), search=False)
    assert site.rebuild(), site.errors
    assert not site.repair()
    page = project.output / "stories/2026/b/index.html"
    page.write_text("Changed by hand.\n", encoding="utf-8")
    project.story("2026/a.md", body="Second body.")
    assert site.rebuild([str(path)]), site.errors
    assert page.read_text() == "Changed by hand.\n"  # not looked at by the build itself
    assert site.repair()
    assert our_files(project.output) == cold_files(project)
    assert not site.repair()
    page.unlink()
    assert site.repair()
    assert our_files(project.output) == cold_files(project)


def test_a_warm_build_looks_at_the_stories_and_pages_in_a_second_process_while_it_reads_its_cache(project):
    """``lookahead.LookAhead``: every story file with the hash of its bytes, as the load would find them,
    and the pages whose files are not as the cache's manifest says they were written; the build puts
    those back and trusts the others without a look of its own."""
    project.story("2026/a.md", body="First body.")
    project.story("2026/b.md", coach="Xabi Alonso")
    paths = paths_of(project)
    assert LookAhead.start(paths.content, paths.output, paths.cache) is None  # a cold build reads every file itself
    build(paths, search=False, today=TODAY)
    (project.output / "stories/2026/b/index.html").write_text("Changed by hand.\n", encoding="utf-8")
    (project.output / "coaches/index.html").unlink()
    ahead = LookAhead.taken(LookAhead.start(paths.content, paths.output, paths.cache))
    files, hashes, stray = ahead.scanned
    assert files == find_story_files(project.content, [], [])
    assert hashes == {file.relative: content_hash(Path(file.path).read_bytes()) for file in files}
    assert sorted(hashes) == ["2026/a.md", "2026/b.md"]
    cache, _ = load_cache(paths.cache)
    assert ahead.changed_by_hand(cache) == {"stories/2026/b/index.html", "coaches/index.html"}
    build(paths, search=False, today=TODAY)
    assert our_files(project.output) == cold_files(project)
    newer, _ = load_cache(paths.cache)
    assert ahead.changed_by_hand(newer) is None  # it looked at the files of an older manifest
    shutil.copytree(project.output, project.root / "copy")  # as a restored cache and site are: no file is as written
    elsewhere = LookAhead.taken(LookAhead.start(paths.content, project.root / "copy", paths.cache))
    assert elsewhere.scanned is not None and elsewhere.changed_by_hand(newer) is None


def look_at(project) -> tuple:
    paths = paths_of(project)
    return paths.content, paths.output, paths.cache


def test_a_story_the_look_ahead_cannot_read_is_left_to_the_load_to_report(project):
    project.story("2026/a.md")
    build(paths_of(project), search=False, today=TODAY)
    project.write("content/stories/2026/b.md", "no front matter at all")  # a mistake the load reports, not the look
    assert LookAhead.taken(LookAhead.start(*look_at(project))).scanned is not None
    os.mkfifo(project.content / "stories/2026/c.md")
    assert LookAhead.taken(LookAhead.start(*look_at(project))).scanned is None
    with pytest.raises(BuildFailed) as failure:
        build(paths_of(project), search=False, today=TODAY)
    assert [str(error).split(": ", 1)[1] for error in failure.value.errors if "/c.md" in error.path] == [
        "is a named pipe, not a file, so it cannot be a story — delete it, or put the story's text in an "
        "ordinary .md file"]


def test_the_preview_rebuilds_a_story_reached_through_a_link(project):
    project.story("2026/a.md", extra="title: First headline")
    os.symlink("a.md", project.content / "stories/2026/b.md")
    server = Preview(project, "--no-search")
    try:
        assert "First headline" in server.get("/stories/2026/b/")[1]
        project.story("2026/a.md", extra="title: Second headline")
        server.wait_for(lambda: "Second headline" in server.get("/stories/2026/a/")[1], "the rebuilt story")
        time.sleep(0.3)
        assert "Second headline" in server.get("/stories/2026/b/")[1]
    finally:
        server.stop()


def test_the_preview_follows_a_chain_of_links_whose_middle_is_retargeted(project):
    """a.md → b.md → c.md, then b.md points at d.md: the only event names b.md, yet a.md now reads d.md."""
    stories = project.content / "stories"
    project.story("2026/c.md", extra="title: Seen through c")
    project.story("2026/d.md", extra="title: Seen through d")
    os.symlink("c.md", stories / "2026/b.md")
    os.symlink("b.md", stories / "2026/a.md")
    site = PreviewSite(paths_of(project), search=False)
    assert site.rebuild(), site.errors
    (stories / "2026/b.md").unlink()
    os.symlink("d.md", stories / "2026/b.md")
    assert site.rebuild([str(stories / "2026/b.md")]), site.errors
    assert "Seen through d" in (project.output / "stories/2026/a/index.html").read_text()
    assert our_files(project.output) == cold_files(project)


def test_a_build_without_search_removes_the_old_index(project):
    project.story("2026/a.md")
    assert project.run().returncode == 0
    assert (project.output / "pagefind/bundles.json").is_file()
    project.story("2026/b.md", coach="Jürgen Klopp")
    assert project.run("--no-search").returncode == 0  # a warm build: pages move into place
    assert not (project.output / "pagefind").exists()
    assert project.run().returncode == 0
    shutil.rmtree(project.root / ".cache")
    assert project.run("--no-search").returncode == 0  # a cold one: the whole folder is swapped
    assert not (project.output / "pagefind").exists()


def test_rendering_runs_in_several_processes(project, monkeypatch):
    from benchmarks.corpus import generate
    from panchina import output, render

    generate(project.content, 400)
    pids = project.root / "pids"
    pids.mkdir()
    original = render.Renderer.render

    def render_and_note(self, page):
        (pids / str(os.getpid())).touch()
        return original(self, page)

    monkeypatch.setattr(render.Renderer, "render", render_and_note)
    report = build(paths_of(project, cache=None), search=False, today=TODAY, workers=2)
    assert report.rendered > output.PARALLEL_THRESHOLD
    assert len(list(pids.iterdir())) == 2
    assert str(os.getpid()) not in {path.name for path in pids.iterdir()}  # the pool, not this process


def test_templates_that_include_each_other_rebuild_every_page_that_uses_them(project):
    templates = project.root / "templates"
    (templates / "_a.html").write_text('{% set n = n + 1 %}<i>A-ONE</i>'
                                       '{% if n < 2 %}{% include "_b.html" %}{% endif %}')
    (templates / "_b.html").write_text('{% if n is not defined %}{% set n = 0 %}{% endif %}<i>B</i>'
                                       '{% if n < 1 %}{% include "_a.html" %}{% endif %}')
    timeline_html = templates / "timeline.html"
    timeline_html.write_text(timeline_html.read_text().replace("{% block main %}",
                                                               '{% block main %}{% include "_b.html" %}', 1))
    project.story("2026/a.md")
    build(paths_of(project), search=False, today=TODAY)
    (templates / "_a.html").write_text((templates / "_a.html").read_text().replace("A-ONE", "A-TWO"))
    build(paths_of(project), search=False, today=TODAY)
    assert "A-TWO" in (project.output / "coaches/massimiliano-allegri/index.html").read_text()
    assert our_files(project.output) == cold_files(project)


def test_an_editor_file_in_templates_cannot_be_included(project):
    (project.root / "templates/.foot.html").write_text("<p>FOOT</p>")
    base = project.root / "templates/base.html"
    base.write_text(base.read_text().replace("</footer>", '{% include ".foot.html" %}</footer>'))
    project.story("2026/a.md")
    result = project.run("--no-search")
    assert result.returncode == 1
    assert "template: the template '.foot.html' does not exist" in result.stderr


def test_a_page_changed_by_hand_while_the_previews_builds_fail_is_put_back_by_its_next_good_build(project):
    """Found by the state machine: a build that failed in its load left the preview trusting its pages, so the
    next good build kept a page changed by hand meanwhile (the look after it put the page back a moment later)."""
    project.story("2026/a.md")
    preview = PreviewSite(paths_of(project, "preview", ".cache-preview"), search=False)
    assert preview.rebuild(None)
    appointments = project.content / "appointments.yaml"
    appointments.write_text("- coach: [\n", encoding="utf-8")  # a content mistake: the load fails
    assert not preview.rebuild([str(appointments)])
    page = project.root / "preview/stories/2026/a/index.html"
    written = page.read_bytes()
    page.write_text("Changed by hand.\n", encoding="utf-8")
    appointments.unlink()
    assert preview.rebuild([str(appointments)])
    assert page.read_bytes() == written  # by the build itself, before any look over the pages
