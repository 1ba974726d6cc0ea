"""What a build keeps in ``.cache/`` to make the next one fast.

In ``build.json``: the checked stories, each under the hash of its file's
bytes, and the manifest of the last output (for each page, the key it was
rendered with, and the file's size, mtime and inode, to notice a page
changed by hand).  In ``bodies.sqlite``: the rendered story bodies, each
under the hash of the exact Markdown that was rendered.

Nothing in the cache depends on where the project lives or on file times,
so a ``.cache/`` restored after a fresh ``git clone`` (as a Netlify build
cache is) still hits.  The cache is only ever a shortcut: it is stamped with
a hash of Panchina's own code, and any mismatch, damage or absence means a
cold build (with one warning line when something was there but unusable).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import sqlite3
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from .errors import BuildFailed, ContentError
from .files import read_regular_bytes
from .model import PartialDate, Story
from .pages import Plan

CACHE_FILE = "build.json"  # JSON, not pickle: a .cache/ may come from anyone, and unpickling runs code
BODIES_FILE = "bodies.sqlite"
FORMAT = 6


def code_fingerprint() -> str:
    """A hash of Panchina's own source (and catalogues): new code never trusts an old cache."""
    hasher = hashlib.blake2b(digest_size=16)
    package = Path(__file__).parent
    for path in sorted([*package.rglob("*.py"), *package.rglob("*.po")]):
        hasher.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes())
    return hasher.hexdigest()


def content_hash(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=20).hexdigest()


@dataclass
class BuildCache:
    stamp: str = ""  # code fingerprint the entries were made with
    stories_stamp: str = ""  # fingerprint of the settings and registries the stories were checked against
    stories: dict = field(default_factory=dict)  # place below stories/ -> (hash of its bytes, unlinked Story)
    output: str = ""  # the output folder the manifest describes (see pipeline.output_identity)
    manifest: dict = field(default_factory=dict)  # page path -> (page key, size, mtime_ns, inode, bytes hash)
    newest: dict = field(default_factory=dict)  # page key -> the newest date the page shows, "YYYY[-MM[-DD]]" or ""
    plan: Plan = field(default_factory=Plan)  # what each unit of pages read, and its pages (pages/__init__.py)
    templates: dict = field(default_factory=dict)  # {"sources": digest of every template, "keys": their keys}


def load_cache(cache_dir: Path | None) -> tuple[BuildCache, str | None]:
    """The last build's cache, or an empty one; and a warning if one was there but unusable."""
    fresh = BuildCache(stamp=code_fingerprint())
    if cache_dir is None:
        return fresh, None
    path = cache_dir / CACHE_FILE
    if cache_dir.exists() and not cache_dir.is_dir():
        return fresh, f"{cache_dir.as_posix()} is not a folder, so this build runs without a cache; delete it"
    try:
        data = json.loads(read_regular_bytes(path))
    except FileNotFoundError:
        return fresh, None
    except OSError as error:
        reason = error.strerror or (error.args[0] if error.args else error)
        return fresh, (f"{path.as_posix()} cannot be read ({reason}), so this build runs "
                       f"without a cache; delete {cache_dir.as_posix()}")
    except ValueError:
        return fresh, f"{path.as_posix()} is damaged, so this build starts cold; it is rewritten at the end"
    if not isinstance(data, dict) or data.get("format") != FORMAT or data.get("stamp") != fresh.stamp:
        return fresh, None  # another version of Panchina made it: expected, not worth a warning
    try:
        return _from_json(data), None
    except (KeyError, TypeError, ValueError, IndexError):
        return fresh, f"{path.as_posix()} is damaged, so this build starts cold; it is rewritten at the end"


_STORY_TEXT = ("path", "coach_name", "source_name", "lang", "body_hash", "status")


def _from_json(data: dict) -> BuildCache:
    """The cache, every value checked for its type: a wrong one is damage, never a crash later."""
    stories = {}
    for place, (digest, fields) in data["stories"].items():
        date = fields["date"]
        if not (isinstance(place, str) and isinstance(digest, str) and len(date) == 3
                and all(isinstance(fields[name], str) for name in _STORY_TEXT)
                and all(isinstance(part, int) or part is None for part in date)
                and all(isinstance(name, str) for name in [*fields["place"], *fields["club_names"]])
                and all(isinstance(fields[name], str) or fields[name] is None for name in ("source_url", "title"))
                and isinstance(fields["body_line"], int)
                and all(isinstance(k, str) and isinstance(v, int) for k, v in fields["field_lines"].items())):
            raise ValueError(place)
        stories[place] = (digest, Story(
            path=fields["path"], place=tuple(fields["place"]), coach_name=fields["coach_name"],
            club_names=tuple(fields["club_names"]), date=PartialDate(*date), source_name=fields["source_name"],
            source_url=fields["source_url"], title=fields["title"], lang=fields["lang"],
            body_hash=fields["body_hash"], body_line=fields["body_line"], field_lines=dict(fields["field_lines"]),
            status=fields["status"]))
        if fields.get("facts") is not None:
            if not isinstance(fields["facts"], str):
                raise ValueError(place)
            stories[place][1].__dict__["_facts"] = fields["facts"]  # see reads.story_digest
    manifest = {}
    for page, entry in data["manifest"].items():
        if not (isinstance(page, str) and len(entry) == 5 and isinstance(entry[0], str)
                and all(isinstance(number, int) for number in entry[1:4]) and isinstance(entry[4], str)):
            raise ValueError(page)
        manifest[page] = tuple(entry)
    if not all(isinstance(data[name], str) for name in ("stamp", "stories_stamp", "output")):
        raise ValueError("stamps")
    newest = data["newest"]
    if not (isinstance(newest, dict) and all(isinstance(key, str) and isinstance(when, str) and _ISO.fullmatch(when)
                                             for key, when in newest.items())):
        raise ValueError("newest")  # it goes into sitemap.xml: a date or nothing
    templates = data["templates"]
    if templates and not (isinstance(templates.get("sources"), str) and isinstance(templates.get("keys"), dict)
                          and {type(item) for item in (*templates["keys"], *templates["keys"].values())} <= {str}):
        raise ValueError("templates")
    return BuildCache(data["stamp"], data["stories_stamp"], stories, data["output"], manifest, newest,
                      _plan_from_json(data["plan"]), templates)


def _plan_from_json(data: dict) -> Plan:
    tokens, digests, units = data["tokens"], data["digests"], data["units"]
    if not (isinstance(data["stamp"], str) and isinstance(units, dict) and len(tokens) == len(digests)
            and {type(item) for item in (*tokens, *digests)} <= {str}):
        raise ValueError("plan")
    for places, pages in units.values():
        if places and not ({type(index) for index in places} == {int} and 0 <= min(places)
                           and max(places) < len(tokens)):
            raise ValueError("plan")
        if not all(len(page) == 3 and {type(part) for part in page} == {str} for page in pages):
            raise ValueError("plan")
    if not isinstance(data["facts"], str):
        raise ValueError("plan")
    return Plan(data["stamp"], data["facts"], tokens, digests,
                {unit: (places, pages) for unit, (places, pages) in units.items()})


def _plan_to_json(plan: Plan) -> dict:
    return {"stamp": plan.stamp, "tokens": plan.tokens, "digests": plan.digests, "units": plan.units,
            "facts": plan.facts}


_ISO = re.compile(r"(\d{4}(-\d{2}(-\d{2})?)?)?", re.ASCII)


def _to_json(cache: BuildCache) -> dict:
    stories = {place: (digest, {
        "path": story.path, "place": story.place, "coach_name": story.coach_name, "club_names": story.club_names,
        "date": (story.date.year, story.date.month, story.date.day), "source_name": story.source_name,
        "source_url": story.source_url, "title": story.title, "lang": story.lang, "body_hash": story.body_hash,
        "body_line": story.body_line, "field_lines": story.field_lines, "status": story.status,
        "facts": story.__dict__.get("_facts")})
        for place, (digest, story) in cache.stories.items()}
    return {"format": FORMAT, "stamp": cache.stamp, "stories_stamp": cache.stories_stamp, "stories": stories,
            "output": cache.output, "manifest": cache.manifest, "newest": cache.newest,
            "plan": _plan_to_json(cache.plan), "templates": cache.templates}


def save_cache(cache_dir: Path | None, cache: BuildCache) -> None:
    """Write the cache atomically; a failure to write it never fails the build."""
    if cache_dir is None:
        return
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
        fd, temporary = tempfile.mkstemp(prefix=".build-", dir=cache_dir)
    except OSError:
        return
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            # dumps, not dump: only the one-shot encoder is the C one (ten times faster on 10k stories)
            handle.write(json.dumps(_to_json(cache), ensure_ascii=False, separators=(",", ":")))
        os.replace(temporary, cache_dir / CACHE_FILE)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        if not isinstance(sys.exc_info()[1], Exception):
            raise  # Ctrl-C still stops the program; other failures only lose the cache


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
        self._keys: dict[str, str] = {}
        self._connection: sqlite3.Connection | None = None
        self._connection_pid = 0
        self.broken: Path | None = None  # the file given up on, for messages

    def key(self, body_hash: str) -> str:
        key = self._keys.get(body_hash)
        if key is None:
            key = self._keys[body_hash] = hashlib.blake2b(f"{self.fingerprint}\0{body_hash}".encode(),
                                                          digest_size=20).hexdigest()
        return key

    def stored_keys(self) -> set[str]:
        connection = self._open()
        if connection is None:
            return set()
        try:
            return {key for (key,) in connection.execute("SELECT key FROM bodies")}
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
                raise BuildFailed([ContentError(
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
