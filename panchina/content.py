"""Load every story file and check it, collecting all mistakes at once.

A story is ``content/stories/<folders>/<name>.md``: UTF-8 text that opens
with YAML front matter between ``---`` lines, followed by a Markdown body.
"""

from __future__ import annotations

import calendar
import difflib
import errno
import hashlib
import os
import re
import stat
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from .config import Registry
from .errors import ContentError
from .fields import FieldReader
from .files import NotARegularFile, TooLarge, is_ignored_name, is_inside, kind_of, read_regular_bytes
from .languages import check_language
from .markup import body_problems
from .model import STATUSES, PartialDate, Story
from .slugs import is_slug, slugify
from .yamltext import YamlProblem, parse_yaml

REQUIRED = ("coach", "clubs", "date", "source")
OPTIONAL = ("source_url", "title", "lang", "status")
MAX_STORY_BYTES = 1024 * 1024  # a story is a few KB; a megabyte is a mistake, not a story
MAX_CLUBS = 10
EARLIEST_YEAR = 1860  # the first football clubs; an earlier year is a typo
_DATE = re.compile(r"^([0-9]{4})(?:-([0-9]{1,2})(?:-([0-9]{1,2}))?)?$")  # ASCII digits: \d takes ٢٠٢٣ too
DATE_HINT = "write YYYY-MM-DD, or YYYY-MM / YYYY when only the month or year is known"
_FENCE = "---"
FRONT_MATTER_HINT = ("start the file with a line '---', then the fields "
                     "(coach:, clubs:, date:, source:), then another '---' line")


@dataclass
class StoryFile:
    """A file found under ``stories/``, before it is read."""

    path: str  # on disk (a plain string: there is one per story and it is made on every build)
    shown: str  # as printed in messages
    relative: str  # below stories/, with forward slashes: 2026/x.md
    linked: bool = False  # a symbolic link (to a story inside the content folder)


# Extensions that say "Markdown" but that the build does not read as a story: an error, not a silent skip.
MARKDOWN_LOOKALIKES = frozenset({".md", ".markdown", ".mdown", ".mkd", ".mkdn", ".mdwn", ".mdtext", ".mdtxt"})


def find_story_files(content_dir: Path, errors: list[ContentError],
                     warnings: list[ContentError]) -> list[StoryFile]:
    """Every ``.md`` file below ``content/stories``, in a stable order.

    Symlinks are followed only when they stay inside the content folder, so a
    pull request cannot publish ``/etc/passwd`` by linking to it; the
    stories folder itself may not lead outside either.  Editor and system
    files are ignored; a file named like Markdown but not ``.md`` is an
    error, since it would vanish from the site in silence.  (Plain strings
    and ``os.scandir`` here: this runs over every file on every build.)
    """
    stories_dir = os.path.join(content_dir, "stories")
    shown_root = (content_dir / "stories").as_posix()
    root = content_dir.resolve()
    if not _stories_folder_usable(Path(stories_dir), shown_root, root, errors):
        return []
    found: list[StoryFile] = []
    pending = [""]  # folders below stories/, relative, with forward slashes
    while pending:
        folder = pending.pop()
        listed = _list_folder(os.path.join(stories_dir, folder), f"{shown_root}/{folder}".rstrip("/"), errors)
        subfolders = []
        for entry in listed:
            name = entry.name
            if is_ignored_name(name):
                continue
            relative = f"{folder}/{name}" if folder else name
            shown = f"{shown_root}/{relative}"
            if entry.is_symlink():
                if not is_inside(Path(entry.path), root):
                    errors.append(ContentError(shown, None, None, "is a link to a file outside the content folder",
                                               "copy the story into content/stories instead of linking to it"))
                    continue
                if entry.is_dir():
                    errors.append(ContentError(shown, None, None, "is a linked folder, which is not followed",
                                               "move the stories into content/stories"))
                    continue
            elif entry.is_dir():
                subfolders.append(relative)
                continue
            if not _is_story_name(name, shown, folder, shown_root, errors, warnings):
                continue
            if not _is_regular(entry, shown, errors):
                continue
            found.append(StoryFile(entry.path, shown, relative, entry.is_symlink()))
        pending.extend(reversed(subfolders))
    return sorted(found, key=lambda file: file.relative)


def has_story_files(content_dir: Path) -> bool:
    """Whether ``content/stories`` holds at least one ``.md`` file (stops at the first)."""
    for _, dirnames, filenames in os.walk(os.path.join(content_dir, "stories")):
        dirnames[:] = [name for name in dirnames if not is_ignored_name(name)]
        if any(name.endswith(".md") and not is_ignored_name(name) for name in filenames):
            return True
    return False


def _stories_folder_usable(stories_dir: Path, shown: str, root: Path, errors: list[ContentError]) -> bool:
    """True when ``content/stories`` is a folder the build may read; a missing one holds no stories."""
    if stories_dir.is_symlink() and not is_inside(stories_dir, root):
        errors.append(ContentError(shown, None, None, "is a link to a folder outside the content folder",
                                   "move the stories into content/stories instead of linking to them"))
        return False
    if stories_dir.exists() and not stories_dir.is_dir():
        errors.append(ContentError(shown, None, None, "is a file, not a folder",
                                   "stories go in the folder content/stories: rename or move this file"))
        return False
    return stories_dir.is_dir()


def _list_folder(path: str, shown: str, errors: list[ContentError]) -> list[os.DirEntry]:
    """A folder's entries by name; an unreadable folder (or one past the system's path limit) is one error."""
    try:
        with os.scandir(path) as entries:
            return sorted(entries, key=lambda entry: entry.name)
    except OSError as error:
        hint = ("use shorter folder and file names" if error.errno == errno.ENAMETOOLONG
                else "check that the folder exists and is readable")
        errors.append(ContentError(shown, None, None, f"cannot be read ({error.strerror or error})", hint))
        return []


def _is_story_name(name: str, shown: str, folder: str, shown_root: str, errors: list[ContentError],
                   warnings: list[ContentError]) -> bool:
    """``.md`` names are stories; a Markdown-like name that is not is an error, anything else a warning."""
    if name.endswith(".md"):
        return True
    stem, dot, extension = name.rpartition(".")
    new_name = f"{slugify(stem if dot else name) or 'story'}.md"
    if dot and f".{extension.lower()}" in MARKDOWN_LOOKALIKES:
        errors.append(ContentError(shown, None, None, "is not published: only files whose names end in .md are stories",
                                   f"rename it to {shown_root}/{folder + '/' if folder else ''}{new_name}"))
    else:
        warnings.append(ContentError(shown, None, None, "is not read: only .md files are stories",
                                     f"rename it to {new_name} if it is one"))
    return False


def _is_regular(entry: os.DirEntry, shown: str, errors: list[ContentError]) -> bool:
    """A story must be a regular file: opening a named pipe would wait for ever."""
    try:
        mode = entry.stat().st_mode
    except OSError as error:
        errors.append(ContentError(shown, None, None, f"cannot be read ({error.strerror or error})",
                                   "check that the file exists and is readable"))
        return False
    if stat.S_ISREG(mode):
        return True
    errors.append(ContentError(shown, None, None, f"is {kind_of(mode)}, not a file, so it cannot be a story",
                               "delete it, or put the story's text in an ordinary .md file"))
    return False


def read_story_bytes(file: StoryFile, errors: list[ContentError]) -> bytes | None:
    """The file's bytes, or None (with an error) when it is too large or cannot be read."""
    try:
        return read_regular_bytes(file.path, MAX_STORY_BYTES)
    except TooLarge as error:
        errors.append(ContentError(
            file.shown, None, None,
            f"is {error.size:,} bytes; a story may be at most {MAX_STORY_BYTES:,}",
            "keep the body to the report itself; split a long saga into several stories"))
    except NotARegularFile as error:
        errors.append(ContentError(file.shown, None, None, f"is {error.kind}, not a file, so it cannot be a story",
                                   "delete it, or put the story's text in an ordinary .md file"))
    except OSError as error:
        errors.append(ContentError(file.shown, None, None, f"cannot be read ({error.strerror or error})",
                                   "check that the file exists and is readable"))
    return None


def load_story(file: StoryFile, data: bytes, registries: dict[str, Registry], default_lang: str,
               today: date, errors: list[ContentError], warnings: list[ContentError] | None = None) -> Story | None:
    """Decode, parse and check one story's bytes; None when it has mistakes (all reported)."""
    mistakes: list[ContentError] = []
    text = decode_story(file, data, mistakes)
    errors.extend(mistakes)
    if text is None:
        return None
    return story_from_text(file, text, registries, default_lang, today, errors, warnings)


def story_from_text(file: StoryFile, text: str, registries: dict[str, Registry], default_lang: str,
                    today: date, errors: list[ContentError],
                    warnings: list[ContentError] | None = None) -> Story | None:
    """Check a story's text (already decoded); None when it has mistakes (all reported)."""
    mistakes: list[ContentError] = []
    place = _story_place(file, mistakes)
    parts = _split_front_matter(file.shown, text, mistakes)
    story = _story_from_fields(file, place, parts, registries, default_lang, today, mistakes) if parts else None
    if parts is not None:
        _check_body(file, parts, mistakes, warnings)
    errors.extend(mistakes)
    return story if not mistakes else None


def _story_place(file: StoryFile, errors: list[ContentError]) -> tuple[str, ...] | None:
    """``2026/x.md`` -> ``("2026", "x")``; every part must be a lower-case slug (it makes the address)."""
    parts = file.relative[: -len(".md")].split("/")
    bad = [part for part in parts if not is_slug(part)]
    if bad:
        suggestion = "/".join(slugify(part) or "story" for part in parts) + ".md"
        errors.append(ContentError(
            file.shown, None, None,
            f"the name '{bad[0]}' is not a lower-case slug (a-z, 0-9 and -)",
            f"rename it to content/stories/{suggestion}"))
        return None
    return tuple(parts)


def decode_story(file: StoryFile, data: bytes, errors: list[ContentError]) -> str | None:
    """The file as text: UTF-8 (a BOM allowed), line ends made ``\\n``."""
    if b"\0" in data:
        offset = data.index(b"\0")
        errors.append(ContentError(file.shown, data.count(b"\n", 0, offset) + 1, None,
                                   f"contains a NUL byte at byte offset {offset}",
                                   "the file is binary or damaged: save it again as plain UTF-8 text"))
        return None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        errors.append(ContentError(file.shown, data.count(b"\n", 0, error.start) + 1, None,
                                   f"is not valid UTF-8 (byte offset {error.start})",
                                   "save the file with UTF-8 encoding"))
        return None
    return text.replace("\r\n", "\n").replace("\r", "\n")


@dataclass
class _Parts:
    fields: dict
    key_lines: dict[str, int]
    first_line: int  # file line of the first front-matter line
    body: str
    body_line: int


def _split_front_matter(shown: str, text: str, errors: list[ContentError]) -> _Parts | None:
    lines = text.split("\n")
    if not text.strip():
        errors.append(ContentError(shown, 1, None, "the file is empty", FRONT_MATTER_HINT))
        return None
    if lines[0].rstrip() != _FENCE:
        errors.append(ContentError(shown, 1, None, "has no front matter", FRONT_MATTER_HINT))
        return None
    closing = next((i for i in range(1, len(lines)) if lines[i].rstrip() in (_FENCE, "...")), None)
    if closing is None:
        errors.append(ContentError(shown, 1, None, "the front matter opened on line 1 is never closed",
                                   "add a line of three dashes (---) after the last field"))
        return None
    try:
        document = parse_yaml("\n".join(lines[1:closing]), first_line=2)
    except YamlProblem as problem:
        field = problem.field or _key_on_line(lines, problem.line)
        errors.append(ContentError(shown, problem.line, field, problem.message, problem.hint))
        return None
    if not isinstance(document.data, dict):
        what = "empty" if document.data is None else (
            "a list" if isinstance(document.data, list) else "plain text")
        errors.append(ContentError(shown, 2 if closing > 1 else 1, None,
                                   f"the front matter is {what}, not fields",
                                   "write one 'field: value' per line: coach:, clubs:, date:, source:"))
        return None
    body = "\n".join(lines[closing + 1:])
    return _Parts(document.data, document.key_lines, 2, body, closing + 2)


def _key_on_line(lines: list[str], line: int) -> str | None:
    """The field a YAML mistake is on, when its line starts with ``key:``."""
    if 0 < line <= len(lines):
        match = re.match(r"^\s*([A-Za-z_][\w-]*)\s*:", lines[line - 1])
        if match:
            return match.group(1)
    return None


def _check_body(file: StoryFile, parts: _Parts, errors: list[ContentError],
                warnings: list[ContentError] | None) -> None:
    """Bodies that Markdown would take minutes to render, or would recurse on, are refused (see markup)."""
    problems, notes = body_problems(parts.body)
    errors.extend(ContentError(file.shown, parts.body_line + p.line, "body", p.message, p.hint) for p in problems)
    if warnings is not None:
        warnings.extend(ContentError(file.shown, parts.body_line + p.line, "body", p.message, p.hint)
                        for p in notes)


def _story_from_fields(file: StoryFile, place: tuple[str, ...] | None, parts: _Parts, registries: dict[str, Registry],
                       default_lang: str, today: date, errors: list[ContentError]) -> Story | None:
    reader = FieldReader(file.shown, parts.fields, parts.key_lines, parts.first_line, errors)
    reader.check_keys(REQUIRED, OPTIONAL)
    coach = reader.name("coach") if "coach" in parts.fields else None
    clubs = reader.names("clubs", MAX_CLUBS) if "clubs" in parts.fields else None
    when = _read_date(reader, today) if "date" in parts.fields else None
    source = reader.name("source") if "source" in parts.fields else None
    source_url = reader.url("source_url") if reader.has("source_url") else None
    title = reader.text("title") if reader.has("title") else None
    lang = _read_lang(reader) if reader.has("lang") else default_lang
    status = read_status(reader) if "status" in parts.fields else "rumour"
    if coach is not None:
        coach = registries["coach"].resolve(coach)
        _check_sluggable(reader, "coach", coach)
    if clubs is not None:
        clubs = list(dict.fromkeys(registries["club"].resolve(club) for club in clubs))
        for club in clubs:
            _check_sluggable(reader, "clubs", club)
    if source is not None:
        _check_sluggable(reader, "source", source)
    if errors or None in (place, coach, clubs, when, source, lang, status):
        return None
    return Story(
        path=file.shown, place=place, coach_name=coach, club_names=tuple(clubs), date=when,
        source_name=source, source_url=source_url, title=title, lang=lang,
        body_hash=body_hash(parts.body), body_line=parts.body_line, body=parts.body,
        field_lines={key: reader.line(key) for key in parts.key_lines}, status=status,
    )


def body_hash(body: str) -> str:
    """The hash a body's rendered HTML is cached under: of the exact text that is rendered."""
    return hashlib.blake2b(body.encode("utf-8", "surrogatepass"), digest_size=20).hexdigest()


def body_of(text: str) -> str:
    """The Markdown body of a story's text that has already been checked."""
    lines = text.split("\n")
    closing = next(i for i in range(1, len(lines)) if lines[i].rstrip() in (_FENCE, "..."))
    return "\n".join(lines[closing + 1:])


def _read_date(reader: FieldReader, today: date, key: str = "date",
               future_hint: str = "use the date the rumour was reported, not the date of the move",
               ) -> PartialDate | None:
    """A date field (also read by appointments.py for ``from:`` and ``to:``)."""
    value = reader.data.get(key)
    if value is None or isinstance(value, (list, dict)):
        reader.error(key, f"must be a date, not {'empty' if value is None else type(value).__name__}", DATE_HINT)
        return None
    # A number or yes/no is quoted as written: YAML reads 20_24 as 2024.
    text = value.strip() if isinstance(value, str) else reader.written(key)
    match = _DATE.match(text)
    if not match:
        if any(char.isdigit() and not char.isascii() for char in text):
            reader.error(key, f"'{text[:40]}' is written with digits other than 0-9",
                         "write the date with the digits 0 to 9, as YYYY-MM-DD")
        else:
            reader.error(key, f"'{text[:40]}' is not a date", DATE_HINT)
        return None
    year, month, day = (int(g) if g else None for g in match.groups())
    if year < EARLIEST_YEAR:
        reader.error(key, f"the year {year} is before {EARLIEST_YEAR}", "check the year")
        return None
    if month is not None and not 1 <= month <= 12:
        reader.error(key, f"'{text}' has no month {month}", "months run from 01 to 12: write YYYY-MM-DD")
        return None
    if day is not None:
        days = calendar.monthrange(year, month)[1]
        if not 1 <= day <= days:
            reader.error(key, f"'{text}' does not exist: {calendar.month_name[month]} {year} has {days} days",
                         "check the day of the month")
            return None
    when = PartialDate(year, month, day)
    latest = today + timedelta(days=1)  # somewhere on Earth it is already tomorrow
    if when.start > latest:
        reader.error(key, f"'{text}' is in the future: the latest date allowed is {latest.isoformat()}, "
                             "one day after today, for time zones",
                     future_hint)
        return None
    return when


def read_status(reader: FieldReader) -> str | None:
    """``status:``: what the report claims (issue 9); one of ``STATUSES``."""
    text = reader.text("status", "a status")
    if text is None:
        return None
    if text in STATUSES:
        return text
    match = difflib.get_close_matches(text.lower(), STATUSES, n=1, cutoff=0.6)
    reader.error("status", f"'{text}' is not a status",
                 (f"did you mean '{match[0]}'? " if match else "") + f"write one of: {', '.join(STATUSES)}")
    return None


def _read_lang(reader: FieldReader) -> str | None:
    text = reader.text("lang", "a language code")
    if text is None:
        return None
    code, problem, hint = check_language(text)
    if code is None:
        reader.error("lang", problem, hint)
    return code


MAX_SLUG_CHARS = 100  # an address part; file systems stop at 255 bytes


def _check_sluggable(reader: FieldReader, key: str, name: str) -> None:
    slug = slugify(name)
    if not slug:
        reader.error(key, f"'{name}' has no letters or digits that can make a web address",
                     "write the name in Latin letters, or add this spelling as an alias in the registry")
    elif len(slug) > MAX_SLUG_CHARS:
        reader.error(key, f"'{name}' makes a web address {len(slug)} characters long; at most {MAX_SLUG_CHARS} "
                     "are allowed", "shorten the name, or register a shorter spelling as an alias")
