"""``build.py new``: start a story file with its front matter filled in."""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from pathlib import Path

import yaml

from .config import Registry, load_registry
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
WHERE = "build.py new"  # the "file" named in this command's messages
_YEAR = re.compile(r"^[0-9]{4}")


def write_new_story(content_dir: Path, coach: str, clubs: list[str], source: str, url: str | None,
                    when: str, slug: str | None, lang: str | None) -> Path:
    """Write ``content/stories/<year>/<slug>.md``; never overwrite an existing file."""
    errors: list[ContentError] = []
    registries = _load_registries(content_dir, errors)
    when = ascii_digits(when)
    slug = _file_name(coach, clubs, slug, registries, errors)
    year = when[:4] if _YEAR.match(when) else str(date.today().year)
    path = content_dir / "stories" / year / f"{slug or 'story'}.md"
    text = _story_text(coach, clubs, source, url, when, lang)
    errors.extend(_check_before_writing(path, text, registries))
    if errors:
        raise BuildFailed(errors)
    _write(content_dir, path, text)
    return path


def ascii_digits(text: str) -> str:
    """``٢٠٢٤-٠٣`` -> ``2024-03``: any script's decimal digits, as the story checks accept them."""
    return "".join(str(unicodedata.decimal(char)) if not char.isascii() and unicodedata.decimal(char, None)
                   is not None else char for char in text)


def _load_registries(content_dir: Path, errors: list[ContentError]) -> dict[str, Registry]:
    """The aliases in coaches.yaml and clubs.yaml, so the new story is checked as ``check`` would."""
    return {kind: load_registry(content_dir / f"{plural}.yaml", (content_dir / f"{plural}.yaml").as_posix(), errors)
            for kind, plural in (("coach", "coaches"), ("club", "clubs"))}


def _file_name(coach: str, clubs: list[str], slug: str | None, registries: dict[str, Registry],
               errors: list[ContentError]) -> str | None:
    """The --slug given, or one made from the coach's and first club's names; None when there is none."""
    if slug is not None:
        if is_slug(slug):
            return slug
        errors.append(ContentError(WHERE, None, "--slug", f"'{slug}' is not a lower-case slug",
                                   f"use letters a-z, digits and hyphens, e.g. {slugify(slug) or 'story'}"))
        return None
    names = f"{registries['coach'].resolve(coach)} {registries['club'].resolve(clubs[0])}"
    made = slugify(names)
    if not made:
        errors.append(ContentError(WHERE, None, None, f"the names '{names}' have no letters that can make a file name",
                                   "pass --slug with a file name of letters a-z, digits and hyphens, e.g. "
                                   "--slug coach-club"))
        return None
    return made


def _story_text(coach: str, clubs: list[str], source: str, url: str | None, when: str, lang: str | None) -> str:
    fields = {"coach": coach, "clubs": clubs, "date": when, "source": source}
    if url:
        fields["source_url"] = url
    if lang:
        fields["lang"] = lang
    return "---\n" + yaml.safe_dump(fields, allow_unicode=True, sort_keys=False, width=1000) + "---\n" + BODY_PROMPT


def _check_before_writing(path: Path, text: str, registries: dict[str, Registry]) -> list[ContentError]:
    """Run the story checks on the text, so a bad --date or --url is caught now."""
    errors: list[ContentError] = []
    file = StoryFile(str(path), path.as_posix(), path.name)
    story_from_text(file, text, registries, "en", date.today(), errors)
    return [ContentError(WHERE, None, e.field, e.message, e.hint) for e in errors]


def _write(content_dir: Path, path: Path, text: str) -> None:
    """Create the file and its folders; any failure is one line naming the path."""
    blocking = _file_in_the_way(content_dir, path.parent)
    if blocking is not None:
        raise BuildFailed([ContentError(blocking.as_posix(), None, None,
                                        "is a file, so no story can be written in a folder of that name",
                                        "rename or move the file, then run build.py new again")])
    if path.exists():
        raise BuildFailed([ContentError(path.as_posix(), None, None, "already exists and was not changed",
                                        "pass --slug with another file name")])
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "x", encoding="utf-8") as handle:
            handle.write(text)
    except OSError as error:
        raise BuildFailed([ContentError(path.as_posix(), None, None,
                                        f"cannot be written ({error.strerror or error})",
                                        "check that the content folder exists and that you may write to it")]) from None


def _file_in_the_way(content_dir: Path, year_folder: Path) -> Path | None:
    """The first of the story's folders that exists as something other than a folder."""
    for folder in (content_dir, content_dir / "stories", year_folder):
        if folder.exists() and not folder.is_dir():
            return folder
    return None
