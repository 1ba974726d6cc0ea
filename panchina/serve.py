"""``build.py serve``: build, serve ``output/``, rebuild on change, reload the browser.

The server is livereload's (Tornado underneath) around a small WSGI app of
ours that serves the built files.  Our app refuses any path that leaves the
output folder, and while the last rebuild has failed it shows the errors on
top of the last good page, so the contributor sees file, line and field in
the browser and the site stays up.  A rebuild never stops the server,
whatever goes wrong in it.
"""

from __future__ import annotations

import gc
import html
import mimetypes
import os
import sys
import threading
import time
import traceback
from pathlib import Path
from urllib.parse import quote

from livereload import Server
from livereload.handlers import LiveReloadHandler
from livereload.watcher import Watcher
from tornado import ioloop
from watchdog.events import FileSystemEventHandler
from watchdog.observers import Observer

from .cache import load_cache, save_cache
from .config import load_site_config
from .errors import BuildFailed, ContentError
from .pipeline import Paths, build
from .search import reindex_in_place

POLL_SECONDS = 0.01  # how often pending file events are looked at (cheap: no disk access)
SETTLE_SECONDS = 0.05  # a burst of saves counts as one change once it is this quiet
COLLECT_AFTER_SECONDS = 2.0  # garbage collection waits until the reloaded page has been served
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1"}
_TYPES = {".wasm": "application/wasm", ".js": "text/javascript", ".pagefind": "application/octet-stream",
          ".pf_meta": "application/octet-stream", ".pf_index": "application/octet-stream",
          ".pf_fragment": "application/octet-stream", ".xml": "application/xml",
          ".css": "text/css", ".html": "text/html; charset=utf-8", ".txt": "text/plain; charset=utf-8"}

class PreviewSite:
    """Builds the site on request and remembers whether the last build failed.

    Every rebuild is the same ``build`` as the command line's, with the
    build cache kept in memory between them.  The first build is complete,
    search index included; later ones skip the index, so the rebuilt pages
    are served at once, and the index is then refreshed in a background
    thread and swapped in.
    """

    def __init__(self, paths: Paths, search: bool = True):
        self.paths = paths
        self.search = search
        self.errors: list[ContentError] = []
        self.builds = 0
        self.cache, warning = load_cache(paths.cache)  # kept in memory between rebuilds; saved when the server stops
        if warning:
            _say(f"warning: {warning}")
        self._index_lock = threading.Lock()
        self._index_wanted = False  # a rebuild happened since the running index started
        self._index_running = False
        self._good = False  # the last build succeeded, so the cache describes every story

    def rebuild(self, changed: list[str] | None = None) -> bool:
        """Build once; on any failure keep the last good site and remember the errors.

        ``changed``: the paths the file events named.  Story files outside
        them (and outside their link targets) are known to be unchanged and
        are not read again; after a failed build, or without events, every
        file is read.
        """
        first = self.builds == 0
        self.builds += 1
        edited = {os.path.abspath(path) for path in changed} if changed and self._good else None
        try:
            # Rendering in this process keeps the preview free of forks beside its server threads.
            report = build(self.paths, search=self.search and first, cache=self.cache, workers=1,
                           keep_search=True, edited=edited)
        except BuildFailed as failure:
            self.errors, self._good = failure.errors, False
            _say(f"Build failed; still serving the last good site. {len(self.errors)} to fix:")
            for error in self.errors:
                _say(f"  {error}")
            return False
        except Exception as error:  # noqa: BLE001 — the preview must survive anything a build throws
            self.errors, self._good = [ContentError("build", None, None, f"unexpected error: {error!r}",
                                                    "see the terminal for the traceback")], False
            traceback.print_exc()
            return False
        self.errors, self._good = [], True
        for warning in report.warnings:
            _say(f"warning: {warning}")
        _say(report.summary())
        if first:
            self.save()
        if self.search and not first:
            self._refresh_index()
        return True

    def _refresh_index(self) -> None:
        with self._index_lock:
            self._index_wanted = True
            if self._index_running:
                return  # the running indexer will go round once more
            self._index_running = True
        threading.Thread(target=self._index_loop, name="search-index", daemon=True).start()

    def _index_loop(self) -> None:
        while True:
            with self._index_lock:
                if not self._index_wanted:
                    self._index_running = False
                    return
                self._index_wanted = False
            try:
                reindex_in_place(self.paths.output, self._site_language())
                _say("Search index updated.")
            except BuildFailed as failure:
                _say(f"Search index not updated: {failure}")
            except Exception as error:  # noqa: BLE001 — a failed index must not stop the preview
                _say(f"Search index not updated: {error!r}")

    def _site_language(self) -> str:
        return load_site_config(self.paths.content, "site.yaml", []).language  # defaults if it has mistakes

    def save(self) -> None:
        save_cache(self.paths.cache, self.cache)


class FolderWatcher(Watcher):
    """File events (watchdog: inotify, FSEvents…) turned into one rebuild per burst of saves.

    livereload's own watcher polls every file and stops at the first change,
    so ten files saved together would cost ten rebuilds, and a large archive
    would be stat-ed over and over.  Events cost nothing until they happen.
    """

    def __init__(self, folders: list[Path], on_change):
        super().__init__()
        self.folders = folders
        self.on_change = on_change
        self._lock = threading.Lock()
        self._changed: set[str] = set()
        self._last_event = 0.0
        self._collect_timer = None
        for folder in folders:  # also tells livereload not to watch the whole working folder
            self.watch(str(folder))
        self.observer = Observer()
        handler = _EventHandler(self)
        for folder in folders:
            self.observer.schedule(handler, str(folder), recursive=True)
        self.observer.daemon = True
        self.observer.start()

    def note(self, path: str) -> None:
        with self._lock:
            self._changed.add(path)
            self._last_event = time.monotonic()

    def start(self, callback) -> bool:
        ioloop.PeriodicCallback(callback, POLL_SECONDS * 1000).start()
        return True

    def examine(self):
        if self._changes:
            return self._changes.pop()
        with self._lock:
            if not self._changed or time.monotonic() - self._last_event < SETTLE_SECONDS:
                return None, None
            changed, self._changed = sorted(self._changed), set()
        self.filepath = changed[0]
        self.on_change(changed)
        # Builds run with the cyclic garbage collector paused; collect the old
        # archive a moment later, once the browser has fetched the new page.
        loop = ioloop.IOLoop.current()
        if self._collect_timer is not None:
            loop.remove_timeout(self._collect_timer)
        self._collect_timer = loop.call_later(COLLECT_AFTER_SECONDS, gc.collect)
        return self.filepath, None


class _EventHandler(FileSystemEventHandler):
    def __init__(self, watcher: FolderWatcher):
        self.watcher = watcher

    def on_any_event(self, event) -> None:
        if event.event_type in ("opened", "closed_no_write") or (event.is_directory and event.event_type == "modified"):
            return
        for path in (event.src_path, getattr(event, "dest_path", "")):
            name = os.path.basename(path)
            if path and not name.startswith(".") and not name.endswith("~"):  # editors' temporary files
                self.watcher.note(os.path.abspath(os.fsdecode(path)))


def make_app(site: PreviewSite):
    """A WSGI app serving ``site.paths.output``, with the build errors shown on HTML pages."""

    def app(environ, start_response):
        status, headers, body = respond(site, environ.get("PATH_INFO", "/"))
        if site.errors and headers.get("Content-Type", "").startswith("text/html"):
            body = inject_errors(body, site.errors)
        headers["Content-Length"] = str(len(body))
        headers["Cache-Control"] = "no-store"
        start_response(status, list(headers.items()))
        return [body]

    return app


def respond(site: PreviewSite, path: str) -> tuple[str, dict[str, str], bytes]:
    root = site.paths.output.resolve()
    segments = path.split("/")
    if "\\" in path or "\0" in path or any(s in ("..", ".") or s.startswith(".") for s in segments if s):
        return _plain("403 Forbidden", "Forbidden")
    target = root.joinpath(*[s for s in segments if s])
    try:
        resolved = target.resolve()
    except (OSError, RuntimeError):
        return _not_found(root)
    if not resolved.is_relative_to(root):
        return _plain("403 Forbidden", "Forbidden")
    if resolved.is_dir():
        if not path.endswith("/"):
            return "301 Moved Permanently", {"Location": quote(path + "/")}, b""
        resolved = resolved / "index.html"
    if not resolved.is_file():
        return _not_found(root)
    content_type = _TYPES.get(resolved.suffix) or mimetypes.guess_type(resolved.name)[0] or "application/octet-stream"
    return "200 OK", {"Content-Type": content_type}, resolved.read_bytes()


def inject_errors(body: bytes, errors: list[ContentError]) -> bytes:
    """Put the failed build's errors at the top of the page."""
    items = "".join(f"<li><code>{html.escape(str(error))}</code></li>" for error in errors)
    banner = (
        '<div id="panchina-build-error" role="alert" style="position:sticky;top:0;z-index:9999;'
        'background:#7f1d1d;color:#fff;padding:1rem 1.25rem;font:15px/1.5 system-ui,sans-serif">'
        f"<strong>The last build failed</strong>; this is the last good site. Fix {len(errors)} "
        f"problem{'s' if len(errors) != 1 else ''} and save: the page reloads by itself."
        f'<ul style="margin:.5rem 0 0;padding-left:1.25rem">{items}</ul></div>'
    ).encode("utf-8")
    start = body.find(b"<body")
    end = body.find(b">", start) + 1 if start != -1 else 0
    return body[:end] + banner + body[end:]


def serve(paths: Paths, host: str = "127.0.0.1", port: int = 8000, search: bool = True) -> None:
    if host not in LOCAL_HOSTS:
        _say(f"Warning: listening on {host}: anyone who can reach this address can read the preview.")
    site = PreviewSite(paths, search)
    site.rebuild()
    gc.collect()
    LiveReloadHandler.DEFAULT_RELOAD_TIME = 0  # livereload drops reloads less than 3 s apart
    folders = [folder for folder in (paths.content, paths.templates, paths.static) if folder.exists()]
    server = Server(app=make_app(site), watcher=FolderWatcher(folders, site.rebuild))
    _say(f"Serving on http://{'[' + host + ']' if ':' in host else host}:{port}/ (Ctrl-C to stop)")
    try:
        server.serve(host=host, port=port, debug=False, restart_delay=0)
    finally:
        site.save()


def _not_found(root: Path) -> tuple[str, dict[str, str], bytes]:
    page = root / "404.html"
    body = page.read_bytes() if page.is_file() else b"<!doctype html><title>Not found</title><h1>Not found</h1>"
    return "404 Not Found", {"Content-Type": "text/html; charset=utf-8"}, body


def _plain(status: str, text: str) -> tuple[str, dict[str, str], bytes]:
    return status, {"Content-Type": "text/plain; charset=utf-8"}, text.encode("utf-8")


def _say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)
