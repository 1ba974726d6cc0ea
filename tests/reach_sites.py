"""Built sites shared by the tests of feeds, link previews, open data and the sitemap (issue 11).

One cold build of the demo and one of a small hostile project per test
module: every file of each is then read as it was written.
"""

from __future__ import annotations

from pathlib import Path

from panchina.pipeline import Paths, build
from tests.conftest import ROOT, TODAY, folder_files, story_text

BASE = "https://panchina.netlify.app"
HOSTILE_TITLE = "</script><script>alert(1)</script> & 'Allegri' \"2:1\""
# Stories whose values a spreadsheet would run as formulas, or that try to break out of markup.
HOSTILE_STORIES = {
    "2026/script-title.md": dict(coach="Massimiliano Allegri", clubs="[Real Madrid]", date="2026-03-05",
                                 source="Corriere dello Sport",
                                 extra="title: '" + HOSTILE_TITLE.replace("'", "''") + "'\n"
                                       "source_url: https://www.corrieredellosport.it/news/allegri?a=1&b=2"),
    "2026/formula-coach.md": dict(coach="'=HYPERLINK(\"http://evil.example\",\"x\")'", clubs="['+Inter', '-Roma']",
                                  date="2026-02", source="'@FabrizioRomano'", extra="title: \"'quoted\""),
}


def build_site(content: Path, output: Path, today=TODAY) -> dict[str, bytes]:
    """A cold build without the search index; every file written, by path."""
    build(Paths(content=content, output=output, templates=ROOT / "templates", static=ROOT / "static", cache=None),
          search=False, today=today)
    return folder_files(output)


def write_hostile_content(folder: Path, extra_stories: dict[str, str] | None = None) -> Path:
    content = folder / "content"
    (content / "stories").mkdir(parents=True)
    (content / "site.yaml").write_text(f"title: Panchina\nbase_url: {BASE}/\n", encoding="utf-8")
    for name, fields in HOSTILE_STORIES.items():
        path = content / "stories" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(story_text(**fields), encoding="utf-8")
    for name, text in (extra_stories or {}).items():
        path = content / "stories" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return content
