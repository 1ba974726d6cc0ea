"""What a build keeps in ``.cache/`` to make the next one fast.

In ``build.sqlite``: the checked stories, each under the hash of its file's
bytes; the manifest of the last output (for each page, the key it was
rendered with, and the file's size, mtime and inode, to notice a page
changed by hand); the plan (what each unit of pages read, see ``reads.py``);
and the newest date each page showed.  In ``bodies.sqlite``: the rendered
story bodies, each under the hash of the exact Markdown that was rendered.

Nothing in the cache depends on where the project lives or on file times,
so a ``.cache/`` restored after a fresh ``git clone`` (as a Netlify build
cache is) still hits.  The cache is only ever a shortcut: it is stamped with
a hash of Panchina's own code, and any mismatch, damage or absence means a
cold build (with one warning line when something was there but unusable).

SQLite, not one JSON file: a warm build changes a few rows of tens of
thousands, and rewriting them all took a third of a second at 10,000
stories.  Each build writes only the rows that differ from what it read,
in one transaction.  Not pickle: a ``.cache/`` may come from anyone, and
unpickling runs code; every value read is checked for its type instead.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import sqlite3
import stat as stat_module
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import chain
from operator import itemgetter
from pathlib import Path
from typing import Annotated, Literal

import msgspec

from .errors import ContentError, Inconsistent
from .files import is_safe_relative, kind_of
from .model import STATUSES, PartialDate, Story
from .pages import Plan
from .reads import story_facts
from .slugs import is_slug

CACHE_FILE = "build.sqlite"
BODIES_FILE = "bodies.sqlite"
FORMAT = 10


def code_fingerprint() -> str:
    """A hash of Panchina's own source (and catalogues): new code never trusts an old cache."""
    hasher = hashlib.blake2b(digest_size=16)
    package = Path(__file__).parent
    for path in sorted([*package.rglob("*.py"), *package.rglob("*.po")]):
        hasher.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes())
    return hasher.hexdigest()


def content_hash(data: bytes) -> str:
    # SHA-256, which processors compute in hardware: 1.7 times as fast as BLAKE2 on 10,000 story files here.
    return hashlib.sha256(data).hexdigest()[:40]


@dataclass
class BuildCache:
    stamp: str = ""  # code fingerprint the entries were made with
    stories_stamp: str = ""  # fingerprint of the settings and registries the stories were checked against
    stories: dict = field(default_factory=dict)  # place below stories/ -> (hash of its bytes, unlinked Story)
    output: str = ""  # the output folder the manifest describes (see output.output_identity)
    manifest: dict = field(default_factory=dict)  # page path -> (page key, size, mtime_ns, inode, bytes hash)
    newest: dict = field(default_factory=dict)  # page key -> the newest date the page shows, "YYYY[-MM[-DD]]" or ""
    plan: Plan = field(default_factory=Plan)  # what each unit of pages read, and its pages (pages/__init__.py)
    templates: dict = field(default_factory=dict)  # {"sources": digest of every template, "keys": their keys}
    # What the file holds, as read: saving writes only the rows that differ from it.  None: write all.
    on_disk: BuildCache | None = field(default=None, repr=False, compare=False)
    generation: str = ""  # written with every save: another process's save since this one read means write all

    def forget(self) -> None:
        """Hold nothing, as a cache found unusable (a build kept in memory by the preview)."""
        self.__dict__.update(BuildCache(stamp=code_fingerprint()).__dict__)


def set_cache_aside(cache_dir: Path) -> bool:
    """Remove the cache's files (see ``errors.Inconsistent``); whether none is left."""
    left = False
    for name in (CACHE_FILE, CACHE_FILE + "-journal", BODIES_FILE, BODIES_FILE + ".stamp"):
        try:
            (cache_dir / name).unlink(missing_ok=True)
        except OSError:
            left = True
    return not left


_TABLES = """
CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS stories (place TEXT PRIMARY KEY, digest TEXT NOT NULL, story TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS manifest (path TEXT PRIMARY KEY, key TEXT NOT NULL, size INTEGER NOT NULL,
                                     mtime INTEGER NOT NULL, inode INTEGER NOT NULL, hash TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS newest (key TEXT PRIMARY KEY, day TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS units (unit TEXT PRIMARY KEY, unit_data TEXT NOT NULL);
"""

# Columns that must hold text or integers: anything else in them is damage, found in one query each.
_TYPES = {
    "meta": {"name": "text", "value": "text"},
    "stories": {"place": "text", "digest": "text", "story": "text"},
    "manifest": {"path": "text", "key": "text", "size": "integer", "mtime": "integer", "inode": "integer",
                 "hash": "text"},
    "newest": {"key": "text", "day": "text"},
    "units": {"unit": "text", "unit_data": "text"},
}


class Damaged(ValueError):
    """The cache file holds something no build wrote."""


def load_cache(cache_dir: Path | None) -> tuple[BuildCache, str | None]:
    """The last build's cache, or an empty one; and a warning if one was there but unusable."""
    fresh = BuildCache(stamp=code_fingerprint())
    if cache_dir is None:
        return fresh, None
    path = cache_dir / CACHE_FILE
    if cache_dir.exists() and not cache_dir.is_dir():
        return fresh, f"{cache_dir.as_posix()} is not a folder, so this build runs without a cache; delete it"
    try:
        info = os.stat(path)
        if not stat_module.S_ISREG(info.st_mode):
            kind = kind_of(info.st_mode)
            return fresh, (f"{path.as_posix()} cannot be read (it is {kind}, not a file), so this build runs "
                           f"without a cache; delete {cache_dir.as_posix()}")
        connection = sqlite3.connect(path)
    except FileNotFoundError:
        return fresh, None
    except (OSError, sqlite3.Error) as error:
        reason = getattr(error, "strerror", None) or error
        return fresh, (f"{path.as_posix()} cannot be read ({reason}), so this build runs "
                       f"without a cache; delete {cache_dir.as_posix()}")
    try:
        meta = dict(connection.execute("SELECT name, value FROM meta"))
        if meta.get("format") != str(FORMAT) or meta.get("stamp") != fresh.stamp:
            return fresh, None  # another version of Panchina made it: expected, not worth a warning
        cache = _read(connection, meta)
    except (sqlite3.Error, Damaged, KeyError, TypeError, ValueError, IndexError):
        return fresh, f"{path.as_posix()} is damaged, so this build starts cold; it is rewritten at the end"
    finally:
        connection.close()
    cache.on_disk = _snapshot(cache)
    return cache, None


def manifest_as_written(cache_dir: Path | None) -> tuple[str, str, list[tuple]] | None:
    """The cache's generation, the output folder its manifest describes (``output.output_identity``), and
    each page of the manifest as ``(path, size, mtime_ns, inode)``, read
    apart from the rest, from a second process (``lookahead.LookAhead``); None when there is none to read.
    Opened read-only: never made, never locked for writing.  Unchecked: the caller only looks at files."""
    path = (cache_dir / CACHE_FILE).absolute() if cache_dir is not None else None
    if path is None or not path.is_file():
        return None
    try:
        connection = sqlite3.connect(path.as_uri() + "?mode=ro", uri=True, isolation_level=None)
        try:
            connection.execute("BEGIN")  # one read: another build's save cannot land between the two
            meta = dict(connection.execute("SELECT name, value FROM meta WHERE name IN ('generation', 'output')"))
            pages = connection.execute("SELECT path, size, mtime, inode FROM manifest").fetchall()
        finally:
            connection.close()
    except sqlite3.Error:
        return None
    return (meta["generation"], meta["output"], pages) if len(meta) == 2 else None


def _read(connection: sqlite3.Connection, meta: dict) -> BuildCache:
    """Every table, every value checked for its type: a wrong one is damage, never a crash later."""
    for table, columns in _TYPES.items():
        if table == "meta":
            continue  # read already: its values are only ever compared
        wrong = " OR ".join(f"typeof({column}) != '{kind}'" for column, kind in columns.items())
        if connection.execute(f"SELECT 1 FROM {table} WHERE {wrong} LIMIT 1").fetchone():  # noqa: S608 (our names)
            raise Damaged(table)
    stories = _stories(connection.execute("SELECT place, digest, story FROM stories").fetchall())
    manifest = {row[0]: row[1:] for row in connection.execute("SELECT * FROM manifest")}
    if not all(map(is_safe_relative, manifest)):
        raise Damaged("manifest")  # a build removes the files it lists that it no longer writes
    newest = dict(connection.execute("SELECT key, day FROM newest"))
    if not all(_ISO.fullmatch(day) for day in newest.values()):
        raise Damaged("newest")  # it goes into sitemap.xml: a date or nothing
    templates = json.loads(meta["templates"])
    if type(templates) is not dict or templates and not (
            isinstance(templates.get("sources"), str) and isinstance(templates.get("keys"), dict)
            and {type(item) for item in (*templates["keys"], *templates["keys"].values())} <= {str}):
        raise Damaged("templates")
    return BuildCache(meta["stamp"], meta["stories_stamp"], stories, meta["output"], manifest, newest,
                      _plan(connection, meta), templates, generation=meta["generation"])


def _joined(texts: list[str]) -> str:
    """Many small JSON texts as one array, parsed in one call (one call per row would cost more than the rows)."""
    return "[" + ",".join(texts) + "]"


_TEXT = Annotated[str, msgspec.Meta(min_length=1)]


class StoryRow(msgspec.Struct, array_like=True, frozen=True):
    """A checked story as the cache keeps it, one JSON array a row: its fields but those in ``NOT_STORED``
    and its place (the row's key, its file's place below stories/, says it), and its facts digest
    (``reads.story_facts``).  Each value's type, and the range a checked story's value has, is checked as
    the rows are parsed, in C (checking them in Python took longer than parsing them at 10,000 stories):
    anything else, as anything no build writes, is damage."""

    path: str
    coach_name: _TEXT  # names: with no control character either (see _stories)
    club_names: Annotated[tuple[_TEXT, ...], msgspec.Meta(min_length=1)]
    # A PartialDate's year, month and day; a story dated later than 9998 could not be resolved a year on.
    date: tuple[Annotated[int, msgspec.Meta(ge=1, le=9998)], Annotated[int, msgspec.Meta(ge=1, le=12)] | None,
                Annotated[int, msgspec.Meta(ge=1, le=31)] | None]
    source_name: _TEXT
    # It becomes an href on several pages: a web address, never javascript: (see fields.is_web_url).
    source_url: Annotated[str, msgspec.Meta(pattern="^[Hh][Tt][Tt][Pp][Ss]?://[^\\x00-\\x20]+\\Z")] | None
    title: str | None
    lang: str
    body_hash: str
    body_line: int
    field_lines: dict[str, int]
    status: Literal[STATUSES]  # one of them: Literal takes a tuple as its values
    facts: _TEXT


# A story's fields that the row leaves out: the body (its HTML is in bodies.sqlite, its text in the file),
# and what linking and resolving set on every build.  Every other field must be in the row (tests/test_cache).
NOT_STORED = frozenset({"body", "coach", "clubs", "source", "outcomes"})
_STORY_ROWS = msgspec.json.Decoder(list[StoryRow])
_ENCODE = msgspec.json.Encoder()


def _stories(rows: list) -> dict:
    stories = {}
    dates: dict[tuple, PartialDate] = {}  # frozen, so shared: 10,000 stories fall on a few thousand days
    names: set[str] = set()
    places: set[str] = set()  # the folder and file names of the rows' keys
    for (key, digest, _), row in zip(rows, _STORY_ROWS.decode(_joined([row[2] for row in rows])), strict=True):
        date = row.date
        names.update((row.coach_name, row.source_name, *row.club_names))
        place = tuple(key[:-3].split("/")) if key.endswith(".md") else ("",)
        places.update(place)
        stories[key] = (digest, Story.unlinked_from(
            path=row.path, place=place, coach_name=row.coach_name, club_names=row.club_names,
            date=dates.get(date) or dates.setdefault(date, PartialDate(*date)), source_name=row.source_name,
            source_url=row.source_url, title=row.title, lang=row.lang, body_hash=row.body_hash,
            body_line=row.body_line, field_lines=row.field_lines, status=row.status, _facts=row.facts))
    # Checked once each, where a pattern in StoryRow would check 40,000 names (20 ms); a place's parts
    # are slugs, as a story's file must be named (content._story_place).
    if not all(map(_SHOWN_NAME.fullmatch, names)) or not all(map(is_slug, places)):
        raise Damaged("a name, or a file name that is not a slug")
    return stories


_SHOWN_NAME = re.compile(r"[^\x00-\x1f\x7f]+")  # as the checked names are (fields.hidden_character)


def _story_row(place: str, digest: str, story: Story) -> tuple[str, str, str]:
    date = story.date
    return place, digest, _ENCODE.encode(StoryRow(
        path=story.path, coach_name=story.coach_name, club_names=story.club_names,
        date=(date.year, date.month, date.day), source_name=story.source_name, source_url=story.source_url,
        title=story.title, lang=story.lang, body_hash=story.body_hash, body_line=story.body_line,
        field_lines=story.field_lines, status=story.status, facts=story_facts(story))).decode()


# A unit's row: the places of its reads among the tokens, and its pages as (path, template, key).
_UNIT_ROWS = msgspec.json.Decoder(list[tuple[list[int], list[tuple[str, str, str]]]])
_TEXTS = msgspec.json.Decoder(list[str])


def _plan(connection: sqlite3.Connection, meta: dict) -> Plan:
    # The token table is two JSON lists in meta: one read of each, where 40,000 rows took a tenth of a second.
    tokens, digests = _TEXTS.decode(meta["tokens"]), _TEXTS.decode(meta["digests"])
    if len(tokens) != len(digests):
        raise Damaged("tokens")
    units_rows = connection.execute("SELECT unit, unit_data FROM units").fetchall()
    parsed = _UNIT_ROWS.decode(_joined([row[1] for row in units_rows]))
    indices = list(chain.from_iterable(item[0] for item in parsed))
    if indices and not 0 <= min(indices) <= max(indices) < len(tokens):
        raise Damaged("units")
    units = {row[0]: item for row, item in zip(units_rows, parsed, strict=True)}
    if meta["units"] != _unit_ids_digest(units):
        raise Damaged("units")  # a row lost: with the facts unchanged, the plan's units are the site's units
    return Plan(meta["plan_stamp"], meta["plan_facts"], tokens, digests, units)


def _unit_ids_digest(units: dict) -> str:
    return hashlib.blake2b("\n".join(sorted(units)).encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


# A year, a month of it or a day of it, as sitemap.xml takes it: a month 01–12, a day 01–31.
_ISO = re.compile(r"(\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?)?", re.ASCII)


def _snapshot(cache: BuildCache) -> BuildCache:
    """What was read, kept apart: a build replaces or adds to these dictionaries as it goes."""
    plan = cache.plan
    return BuildCache(cache.stamp, cache.stories_stamp, dict(cache.stories), cache.output, dict(cache.manifest),
                      dict(cache.newest), Plan(plan.stamp, plan.facts, list(plan.tokens), list(plan.digests),
                                               dict(plan.units)), cache.templates)


def save_cache(cache_dir: Path | None, cache: BuildCache) -> None:
    """Write what changed since the cache was read, in one transaction; a failure never fails the build.

    A file that cannot be used (damaged, or from another version) is replaced whole.
    """
    if cache_dir is None:
        return
    path = cache_dir / CACHE_FILE
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
        if cache.on_disk is None:  # unusable when read, or never read: start it afresh
            for stale in (path, path.with_name(path.name + "-journal")):
                stale.unlink(missing_ok=True)
        connection = sqlite3.connect(path)
    except (OSError, sqlite3.Error):
        return
    try:
        connection.execute("PRAGMA synchronous = OFF")  # a cache: damage after a power cut means a cold build
        connection.isolation_level = None
        connection.execute("BEGIN IMMEDIATE")  # no other build writes between the look below and the commit
        try:
            for statement in _TABLES.split(";"):
                if statement.strip():
                    connection.execute(statement)
            found = connection.execute("SELECT value FROM meta WHERE name = 'generation'").fetchone()
            old = cache.on_disk
            if old is None or found is None or found[0] != cache.generation:
                for table in _TYPES:
                    connection.execute(f"DELETE FROM {table}")  # noqa: S608 (our names)
                old = BuildCache()
            cache.generation = os.urandom(8).hex()
            _write(connection, cache, old)
            connection.execute("COMMIT")
        except BaseException:
            if connection.in_transaction:
                connection.execute("ROLLBACK")
            raise
        cache.on_disk = _snapshot(cache)
    except Exception:  # noqa: BLE001 — the cache is a shortcut: losing it costs time, never the build
        pass
    finally:
        connection.close()


def _write(connection: sqlite3.Connection, cache: BuildCache, old: BuildCache) -> None:
    plan = cache.plan
    meta = {"format": str(FORMAT), "generation": cache.generation, "stamp": cache.stamp,
            "stories_stamp": cache.stories_stamp, "output": cache.output, "plan_stamp": plan.stamp,
            "plan_facts": plan.facts, "templates": json.dumps(cache.templates), "units": _unit_ids_digest(plan.units)}
    connection.executemany("INSERT OR REPLACE INTO meta VALUES (?, ?)", meta.items())
    # A story entry is (digest, Story), and a Story is compared as itself (model.Story: eq=False).
    _update(connection, "stories", "place", old.stories, cache.stories, lambda place, entry: _story_row(place, *entry))
    _update(connection, "manifest", "path", old.manifest, cache.manifest, lambda path, entry: (path, *entry))
    _update(connection, "newest", "key", old.newest, cache.newest, lambda key, day: (key, day))
    _update(connection, "units", "unit", old.plan.units, plan.units,
            lambda unit, entry: (unit, json.dumps(entry, ensure_ascii=False)),
            same=lambda before, after: before is after)  # lists inside: a kept unit's entry is the very one read
    for name, values, before in (("tokens", plan.tokens, old.plan.tokens), ("digests", plan.digests, old.plan.digests)):
        if values != before or not before:
            connection.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)",
                                (name, json.dumps(values, ensure_ascii=False)))


def _update(connection: sqlite3.Connection, table: str, key: str, old: dict, new: dict, row: Callable,
            same: Callable | None = None) -> None:
    """Make ``table`` hold ``new``, knowing it holds ``old``: only the rows that differ are written.

    Values are compared as the dictionaries' items, in C (17,000 pages each build), unless ``same``
    says otherwise.  The rows are written in key order: the file is the same whatever the hash seed.
    """
    gone = sorted(old.keys() - new.keys())
    if gone:
        connection.executemany(f"DELETE FROM {table} WHERE {key} = ?", [(name,) for name in gone])  # noqa: S608
    if same is None:
        changed = sorted(new.items() - old.items(), key=itemgetter(0))
    else:
        changed = [(name, value) for name, value in new.items() if name not in old or not same(old[name], value)]
    rows = [row(name, value) for name, value in changed]
    if rows:
        marks = ", ".join("?" * len(rows[0]))
        connection.executemany(f"INSERT OR REPLACE INTO {table} VALUES ({marks})", rows)  # noqa: S608


def file_identity(stat: os.stat_result) -> tuple[int, int, int]:
    """Size, modification time and inode: what must match for a page we wrote to count as untouched."""
    return (stat.st_size, stat.st_mtime_ns, stat.st_ino)


class Bodies:
    """Rendered story bodies: in memory for this build, in SQLite between builds.

    Each body is stored under a key made of the hash of the exact Markdown
    text that was rendered and the renderer's fingerprint (Markdown and nh3
    versions, extensions, allow-lists), so a stored body can never be stale.
    The texts to render are handed in by the loader, which read them from
    the same bytes it hashed.  Each process opens its own connection (the
    build renders in forked processes); new bodies are handed back to the
    main process, which alone writes.
    """

    def __init__(self, path: Path | None, fingerprint: str, render: Callable[[str], str],
                 clean: Callable[[str], str] = lambda html: html):
        self.path = path  # None: remember bodies for this build only
        self.fingerprint = fingerprint
        self._render_markdown = render
        self._clean = clean  # what comes out of the file is sanitized again: a .cache/ may come from anyone
        self.texts: dict[str, str] = {}  # body hash -> Markdown, for bodies not stored yet
        self.new: dict[str, str] = {}  # key -> HTML rendered in this process, not stored yet
        self.warning: str | None = None
        self._prefix = hashlib.blake2b(fingerprint.encode(), digest_size=10).hexdigest() + ":"
        self._connection: sqlite3.Connection | None = None
        self._connection_pid = 0
        self.broken: Path | None = None  # the file given up on, for messages

    def key(self, body_hash: str) -> str:
        """The renderer's fingerprint, hashed once, and the body's hash: joined, not hashed again for each
        of 10,000 bodies a build."""
        return self._prefix + body_hash

    def stored_keys(self) -> set[str]:
        connection = self._open()
        if connection is None:
            return set()
        try:
            return {key for (key,) in connection.execute("SELECT key FROM bodies")}
        except sqlite3.Error as error:
            self._give_up(error)
            return set()

    def stored_among(self, keys: list[str]) -> set[str]:
        """Those of ``keys`` that are stored: a few looked up, where ``stored_keys`` reads them all."""
        connection = self._open() if keys else None
        if connection is None:
            return set()
        try:
            return {key for (key,) in connection.execute(
                f"SELECT key FROM bodies WHERE key IN ({', '.join('?' * len(keys))})", keys)}  # noqa: S608
        except sqlite3.Error as error:
            self._give_up(error)
            return set()

    def html(self, body_hash: str) -> str:
        key = self.key(body_hash)
        html = self.new.get(key)
        if html is None:
            html = self._stored(key)
        if html is None:
            text = self.texts.get(body_hash)
            if text is None:  # stored when the build began, unreadable now: nothing left to render
                raise Inconsistent([ContentError(
                    (self.broken or Path(BODIES_FILE)).as_posix(), None, None,
                    "was damaged or changed while the site was being built",
                    "build again: the damaged file has been removed, so the next build renders every body")])
            html = self.new[key] = self._render_markdown(text)
        return html

    def _stored(self, key: str) -> str | None:
        connection = self._open()
        if connection is None:
            return None
        try:
            row = connection.execute("SELECT html FROM bodies WHERE key = ?", (key,)).fetchone()
            if row is not None and type(row[0]) is not str:  # no build stores anything else there
                raise sqlite3.DatabaseError(f"a body stored as {type(row[0]).__name__}, not text")
        except sqlite3.Error as error:
            self._give_up(error)
            return None
        return self._clean(row[0]) if row else None

    def _open(self) -> sqlite3.Connection | None:
        if self.path is None:
            return None
        if self._connection is None or self._connection_pid != os.getpid():
            first = self._connection is None  # in the main process: forked renderers inherit its verdict
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                self._connection = sqlite3.connect(self.path)
                self._connection.execute("CREATE TABLE IF NOT EXISTS bodies (key TEXT PRIMARY KEY, html TEXT)")
                self._connection_pid = os.getpid()
                if first:
                    self._check_sound(self._connection)
            except (sqlite3.Error, OSError) as error:
                self._give_up(error)
                return None
        return self._connection

    def _check_sound(self, connection: sqlite3.Connection) -> None:
        """Raise sqlite3.DatabaseError unless the file is our table, undamaged.

        Only the keys are read before rendering, and a story whose body is
        stored is not even read: damage found later, in a rendering process,
        would leave a page with neither its HTML nor its Markdown.  So a file
        not exactly as the last build left it (its size and mtime, noted in
        a stamp beside it) is checked page by page first.
        """
        columns = [row[1] for row in connection.execute("PRAGMA table_info(bodies)")]
        if columns != ["key", "html"]:
            raise sqlite3.DatabaseError(f"the table has the columns {', '.join(columns)}, not key, html")
        if self._stamp() is not None and self._stamp() == self._read_stamp():
            return
        verdict = connection.execute("PRAGMA quick_check(1)").fetchone()
        if verdict is None or verdict[0] != "ok":
            raise sqlite3.DatabaseError("database disk image is malformed")  # the details run over many lines

    def _stamp(self) -> str | None:
        try:
            info = os.stat(self.path)
        except OSError:
            return None
        return f"{FORMAT} {info.st_size} {info.st_mtime_ns}"

    def _stamp_path(self) -> Path:
        return self.path.with_name(self.path.name + ".stamp")

    def _read_stamp(self) -> str | None:
        try:
            return self._stamp_path().read_text(encoding="ascii")
        except (OSError, UnicodeDecodeError):
            return None

    def _write_stamp(self) -> None:
        stamp = self._stamp()
        try:
            if stamp is None:
                self._stamp_path().unlink(missing_ok=True)
            else:
                self._stamp_path().write_text(stamp, encoding="ascii")
        except OSError:
            pass  # the next build checks the file once more

    def _give_up(self, error: Exception) -> None:
        """An unusable body cache is no cache: render everything, say so once, and start it afresh next time."""
        if self.path is not None:
            reason = (str(error).splitlines() or ["unknown error"])[0]
            self.warning = (f"{self.path.as_posix()} cannot be used ({reason}), so every body is rendered again; "
                            "it is rebuilt at the end")
            self.broken, self.path, self._connection = self.path, None, None
            for path in (self.broken, self.broken.with_name(self.broken.name + ".stamp")):
                try:
                    path.unlink()
                except OSError:
                    pass

    def store(self, rendered: list[dict[str, str]], wanted: set[str] | None) -> None:
        """Save newly rendered bodies and forget those no story uses any more (unless ``wanted`` is None)."""
        connection = self._open()
        if connection is None:
            return
        try:
            with connection:
                for batch in rendered:
                    connection.executemany("INSERT OR REPLACE INTO bodies VALUES (?, ?)", (batch or {}).items())
                if wanted is not None:
                    unused = [(key,) for (key,) in connection.execute("SELECT key FROM bodies") if key not in wanted]
                    connection.executemany("DELETE FROM bodies WHERE key = ?", unused)
        except sqlite3.Error:
            return  # the cache is a shortcut; losing it only costs time
        self._write_stamp()
