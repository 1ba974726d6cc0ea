"""``build.py new``: start a story file with its front matter filled in."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import yaml

from .config import Registry
from .content import StoryFile, story_from_text
from .errors import BuildFailed, ContentError
from .slugs import is_slug, slugify

BODY_PROMPT = """
<!--
Tell the rumour in your own words: who reported it, what they said, what came
before. Cite facts, never paste sentences from the article. This comment is
not published; delete it when you are done.
-->
"""


def write_new_story(content_dir: Path, coach: str, clubs: list[str], source: str, url: str | None,
                    when: str, slug: str | None, lang: str | None) -> Path:
    """Write ``content/stories/<year>/<slug>.md``; never overwrite an existing file."""
    slug = slug or slugify(f"{coach} {clubs[0]}")
    if not is_slug(slug):
        raise BuildFailed([ContentError("--slug", None, "slug", f"'{slug}' is not a lower-case slug",
                                        f"use letters a-z, digits and hyphens, e.g. {slugify(slug) or 'story'}")])
    year = when[:4] if when[:4].isdigit() else str(date.today().year)
    path = content_dir / "stories" / year / f"{slug}.md"
    fields = {"coach": coach, "clubs": clubs, "date": when, "source": source}
    if url:
        fields["source_url"] = url
    if lang:
        fields["lang"] = lang
    text = "---\n" + yaml.safe_dump(fields, allow_unicode=True, sort_keys=False, width=1000) + "---\n" + BODY_PROMPT
    if path.exists():
        raise BuildFailed([ContentError(path.as_posix(), None, None, "already exists and was not changed",
                                        "pass --slug with another file name")])
    _check_before_writing(path, text)
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "x", encoding="utf-8") as handle:
        handle.write(text)
    return path


def _check_before_writing(path: Path, text: str) -> None:
    """Run the story checks on the text, so a bad --date or --url is caught now."""
    errors: list[ContentError] = []
    file = StoryFile(str(path), path.as_posix(), path.name)
    story_from_text(file, text, {"coach": Registry(), "club": Registry()}, "en", date.today(), errors)
    if errors:
        raise BuildFailed([ContentError("build.py new", None, e.field, e.message, e.hint) for e in errors])
