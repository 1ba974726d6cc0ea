"""The real Pagefind binary indexes story pages only, with our filters."""

import json
from datetime import date

from panchina.pipeline import Paths, build
from tests.conftest import ROOT, story_text


def test_only_stories_are_indexed_with_their_filters(project):
    project.write("content/stories/2026/a.md", story_text(clubs="[Real Madrid, Milan]", extra="lang: it"))
    project.write("content/stories/2019/b.md", story_text(coach="Jürgen Klopp", date="2019"))
    output = project.root / "output"
    build(Paths(content=project.content, output=output, templates=ROOT / "templates", static=ROOT / "static",
                cache=None),
          today=date(2026, 11, 26))
    entry = json.loads((output / "pagefind/pagefind-entry.json").read_text())
    assert list(entry["languages"]) == ["en"]  # one index for every language
    assert entry["languages"]["en"]["page_count"] == 2  # home, timelines and indexes are not results
    assert (output / "pagefind/pagefind.js").is_file()
