"""``build.py serve``: build, serve ``output/``, rebuild on change, reload the browser.

The server is livereload's (Tornado underneath) around a small WSGI app of
ours that serves the built files.  Our app refuses any path that leaves the
output folder, and while the last rebuild has failed it shows the errors on
top of the last good page, so the contributor sees file, line and field in
the browser and the site stays up.  A rebuild never stops the server,
whatever goes wrong in it.
"""

from __future__ import annotations

import contextlib
import errno
import gc
import html
import logging
import mimetypes
import os
import socket
import stat
import subprocess
import sys
import threading
import time
import traceback
from pathlib import Path
from urllib.parse import quote

from livereload import Server
from livereload.handlers import LiveReloadHandler
from livereload.watcher import Watcher
from tornado import httputil, ioloop, web
from tornado.wsgi import WSGIContainer
from watchdog.events import FileSystemEventHandler
from watchdog.observers import Observer
from watchdog.observers.api import ObservedWatch

from .cache import load_cache, save_cache
from .config import load_site_config
from .errors import BuildFailed, ContentError
from .files import is_ignored_name
from .output import pages_changed_by_hand
from .pages import Reach
from .pipeline import Paths, PlanMemo, build

PACKAGE_ROOT = Path(__file__).resolve().parent.parent  # where ``python -m panchina.search`` finds the package
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
        # Views and page keys, reused when their data is equal; the units, planned from a change alone.
        self.memo = PlanMemo(reach=Reach())

    def rebuild(self, changed: list[str] | None = None) -> bool:
        """Build once; on any failure keep the last good site and remember the errors.

        ``changed``: the paths the file events named.  Story files outside
        them (and outside their link targets) are known to be unchanged and
        are not read again; after a failed build, or without events, every
        file is read.
        """
        first = self.builds == 0
        self.builds += 1
        edited = {os.path.abspath(path) for path in changed} if changed is not None and self._good else None
        try:
            # Rendering in this process keeps the preview free of forks beside its server threads.
            report = build(self.paths, search=self.search and first, cache=self.cache, workers=1,
                           keep_search=True, edited=edited, memo=self.memo)
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

    def repair(self) -> bool:
        """After a build: rebuild at once if a page was changed, replaced or removed by hand since a
        build wrote it, planning and checking every page.  Whether it rebuilt (then the browser reloads).

        A rebuild here trusts the pages it wrote (see ``write_site``'s
        ``by_hand``), so this runs after each one, once the browser has had
        its page: a page file changed by hand is put back as a cold build
        would write it, as the command line's warm build does.  After a
        failed build there is nothing to look at: the next build checks
        every page anyway (``pipeline.build`` keeps no reach of a failure).
        """
        if not self._good or not pages_changed_by_hand(self.paths.output.absolute(), self.cache.manifest):
            return False
        self.memo.reach = Reach()
        self.rebuild([])
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
                done = subprocess.run(  # a process of its own: see search.main
                    [sys.executable, "-m", "panchina.search", str(self.paths.output.absolute()),
                     self._site_language()], cwd=PACKAGE_ROOT, capture_output=True, text=True, timeout=3600)
                problem = (done.stderr.strip().splitlines() or [f"exit code {done.returncode}"])[-1]
                _say("Search index updated." if done.returncode == 0 else f"Search index not updated: {problem}")
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

    A watch ends with the folder it watches: a folder deleted and restored (as
    ``git stash`` or a checkout does) is a new folder nobody watches.  So the
    folders' parents are watched too, without recursion, to see a folder come
    back (or appear for the first time) and watch it again.
    """

    def __init__(self, folders: list[Path], on_change, after_build=None):
        super().__init__()
        self.folders = [os.path.abspath(folder) for folder in folders]
        self.on_change = on_change
        self.after_build = after_build  # run a moment after each rebuild; True: it rebuilt, reload
        self._lock = threading.Lock()
        self._changed: set[str] = set()
        self._last_event = 0.0
        self._collect_timer = None
        for folder in self.folders:  # also tells livereload not to watch the whole working folder
            self.watch(folder)
        _quiet_stopped_watches()
        self.observer = Observer()
        self.observer.daemon = True
        self.observer.start()  # first: a watch scheduled on a started observer fails at once if its folder is gone
        self._handler = _EventHandler(self)
        self._watches: dict[str, ObservedWatch] = {}
        for parent in sorted({os.path.dirname(folder) for folder in self.folders} - set(self.folders)):
            self._schedule(parent, recursive=False)
        for folder in self.folders:
            self.rewatch(folder)

    def folder_of(self, path: str) -> str | None:
        """The watched folder ``path`` is in (or is), or None for its parent's other entries."""
        for folder in self.folders:
            if path == folder or path.startswith(folder + os.sep):
                return folder
        return None

    def rewatch(self, folder: str) -> None:
        """Watch ``folder`` afresh, dropping the watch that ended when it was removed or moved away."""
        old = self._watches.pop(folder, None)
        if old is not None:
            with contextlib.suppress(KeyError):
                self.observer.unschedule(old)
        watch = self._schedule(folder, recursive=True)
        if watch is not None:
            self._watches[folder] = watch

    def _schedule(self, folder: str, recursive: bool) -> ObservedWatch | None:
        try:
            return self.observer.schedule(self._handler, folder, recursive=recursive)
        except OSError:
            return None  # not there (yet, or any more): its parent's watch will see it come

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
        # Builds run with the cyclic garbage collector paused; collect the old archive a moment later,
        # once the browser has fetched the new page, and then look over the pages (``PreviewSite.repair``).
        loop = ioloop.IOLoop.current()
        if self._collect_timer is not None:
            loop.remove_timeout(self._collect_timer)
        self._collect_timer = loop.call_later(COLLECT_AFTER_SECONDS, self._after_build)
        return self.filepath, None

    def _after_build(self) -> None:
        self._collect_timer = None
        gc.collect()
        if self.after_build is not None and self.after_build():
            self._changes.append((self.folders[0], None))  # livereload reloads the browser on a change


def _quiet_stopped_watches() -> None:
    """Keep watchdog from logging an error when ``rewatch`` stops a watch that was waiting for events."""
    inotify_log = logging.getLogger("watchdog.observers.inotify")
    if not any(isinstance(known, _StoppedWatchFilter) for known in inotify_log.filters):
        inotify_log.addFilter(_StoppedWatchFilter())


class _StoppedWatchFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return "called when the thread is inactive" not in record.getMessage()


class _EventHandler(FileSystemEventHandler):
    def __init__(self, watcher: FolderWatcher):
        self.watcher = watcher

    def on_any_event(self, event) -> None:
        if event.event_type in ("opened", "closed_no_write") or (event.is_directory and event.event_type == "modified"):
            return
        for path in (event.src_path, getattr(event, "dest_path", "")):
            if not path:
                continue
            path = os.path.abspath(os.fsdecode(path))
            folder = self.watcher.folder_of(path)
            name = os.path.basename(path)
            if folder is None or is_ignored_name(name):  # output/, editors' swap and backup files
                continue
            if path == folder and event.event_type in ("created", "moved") and os.path.isdir(path):
                self.watcher.rewatch(folder)  # before the rebuild is asked for, so no later save is missed
            self.watcher.note(path)


def make_app(site: PreviewSite):
    """A WSGI app serving ``site.paths.output``, with the build errors shown on HTML pages."""

    def app(environ, start_response):
        if environ.get("REQUEST_METHOD", "GET") not in ("GET", "HEAD"):
            status, headers, body = _plain("405 Method Not Allowed", "Method Not Allowed: the preview only reads")
            headers["Allow"] = "GET, HEAD"
        else:
            # WSGI hands the path over as its raw bytes in Latin-1; file names are UTF-8.
            path = os.fsdecode(environ.get("PATH_INFO", "/").encode("latin-1"))
            status, headers, body = respond(site, path, environ.get("QUERY_STRING", ""))
        if site.errors and headers.get("Content-Type", "").startswith("text/html"):
            body = inject_errors(body, site.errors)
        headers["Content-Length"] = str(len(body))
        headers["Cache-Control"] = "no-store"
        start_response(status, list(headers.items()))
        return [body]

    return app


def respond(site: PreviewSite, path: str, query: str = "") -> tuple[str, dict[str, str], bytes]:
    """The built file for a request path; whatever the path, a 4xx rather than an error."""
    root = site.paths.output.resolve()
    segments = [segment for segment in path.split("/") if segment]
    if "\\" in path or "\0" in path or any(s in ("..", ".") or s.startswith(".") for s in segments):
        return _plain("403 Forbidden", "Forbidden")
    try:
        resolved = root.joinpath(*segments).resolve()
        if not resolved.is_relative_to(root):
            return _plain("403 Forbidden", "Forbidden")
        if resolved.is_dir():
            if not path.endswith("/"):
                return "301 Moved Permanently", {"Location": _folder_address(segments, query)}, b""
            resolved = resolved / "index.html"
        body = _read_regular_file(resolved)
    except (OSError, RuntimeError):  # a name too long, a symlink loop, a file gone since the build…
        body = None
    if body is None:
        return _not_found(root)
    content_type = _TYPES.get(resolved.suffix) or mimetypes.guess_type(resolved.name)[0] or "application/octet-stream"
    return "200 OK", {"Content-Type": content_type}, body


def _folder_address(segments: list[str], query: str) -> str:
    """Where a folder's address without its final slash redirects: always a path on this site.

    Built from the segments, so ``//coaches`` cannot become ``//coaches/``,
    which a browser reads as the address of another site; the query is kept.
    """
    address = "/" + "".join(quote(segment, errors="surrogateescape") + "/" for segment in segments)
    if query:
        address += "?" + quote(query, safe="!$&'()*+,;=:@/?%", encoding="latin-1")
    return address


def _read_regular_file(path: Path) -> bytes | None:
    """The file's bytes, or None if it is not a regular file.

    Opened without blocking and checked on the open file, so a FIFO or a
    socket in output/ is never read from and cannot hang the server.
    """
    descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    with open(descriptor, "rb") as file:
        if not stat.S_ISREG(os.fstat(file.fileno()).st_mode):
            return None
        return file.read()


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


class CannotListen(Exception):
    """The preview's address cannot be listened on; the message says what to do."""


class _SiteContainer(WSGIContainer):
    """Tornado to our WSGI app, livereload's script added to HTML pages; any request gets an answer.

    Replaces livereload's LiveScriptContainer, which turned a HEAD request or
    a Host header such as ``localhost:abc`` into a traceback.
    """

    def __init__(self, app, script: bytes):
        super().__init__(app)
        self.script = script

    def __call__(self, request: httputil.HTTPServerRequest) -> None:
        try:
            environ = self.environ(request)
        except ValueError:  # Tornado reads what follows a colon in the Host header as a port number
            status, headers, body = _plain("400 Bad Request", "Bad Request: the Host header is not host:port")
            headers = list(headers.items())
        else:
            response = {}
            body = b"".join(self.wsgi_application(environ, lambda status, headers, exc_info=None:
                                                  response.update(status=status, headers=headers)))
            status, headers = response["status"], response["headers"]
        if any(key == "Content-Type" and value.startswith("text/html") for key, value in headers):
            body = body.replace(b"</head>", self.script + b"</head>", 1)
        code, reason = status.split(" ", 1)
        header_lines = httputil.HTTPHeaders()
        for key, value in headers:
            if key != "Content-Length":
                header_lines.add(key, value)
        header_lines["Content-Length"] = str(len(body))  # a HEAD answer says the length of the GET's
        request.connection.write_headers(httputil.ResponseStartLine("HTTP/1.1", int(code), reason), header_lines,
                                         chunk=None if request.method == "HEAD" else body)
        request.connection.finish()
        self._log(int(code), request)


class _PreviewServer(Server):
    def get_web_handlers(self, script):
        return [(r".*", web.FallbackHandler, {"fallback": _SiteContainer(self.app, script)})]


def serve(paths: Paths, host: str = "127.0.0.1", port: int = 8000, search: bool = True) -> None:
    """Listen, build, then serve until Ctrl-C; CannotListen if the address is taken or not ours."""
    site = PreviewSite(paths, search)
    # Watching starts before the first build, so a save made during it is not missed.
    watcher = FolderWatcher([paths.content, paths.templates, paths.static], site.rebuild, site.repair)
    server = _PreviewServer(app=make_app(site), watcher=watcher)
    LiveReloadHandler.DEFAULT_RELOAD_TIME = 0  # livereload drops reloads less than 3 s apart
    _listen(server, host, port)  # before the build: a taken port is said at once, and only that
    if host not in LOCAL_HOSTS:
        _say(f"Warning: listening on {host}: anyone who can reach this address can read the preview.")
    site.rebuild()
    gc.collect()
    _say(f"Serving on http://{'[' + host + ']' if ':' in host else host}:{port}/ (Ctrl-C to stop)")
    try:
        _run(server)
    finally:
        site.save()


def _listen(server: Server, host: str, port: int) -> None:
    try:
        server.application(port, host, debug=False)
    except OSError as error:
        raise CannotListen(_listen_problem(error, host, port)) from None


def _listen_problem(error: OSError, host: str, port: int) -> str:
    other = port + 1 if port < 65535 else port - 1
    if error.errno == errno.EADDRINUSE:
        return (f"Cannot serve on port {port}: another program is using it (another preview?). "
                f"Stop it, or choose another port: python build.py serve --port {other}")
    if error.errno == errno.EACCES:
        return (f"Cannot serve on port {port}: this system reserves it for administrators. "
                "Choose a port from 1024 up: python build.py serve --port 8000")
    if isinstance(error, socket.gaierror) or error.errno == errno.EADDRNOTAVAIL:
        return (f"Cannot listen on {host}: it is not an address of this computer. "
                "Leave out --host to use 127.0.0.1, or give one of this computer's addresses")
    return f"Cannot listen on {host} port {port}: {error.strerror or error}"


def _run(server: Server) -> None:
    """What livereload's ``Server.serve`` does once listening, minus its own "Serving on" line."""
    server._setup_logging()
    LiveReloadHandler.start_tasks()
    try:
        ioloop.IOLoop.current().start()
    except KeyboardInterrupt:
        _say("Stopped.")


def _not_found(root: Path) -> tuple[str, dict[str, str], bytes]:
    try:
        body = _read_regular_file(root / "404.html")
    except OSError:  # none yet, or being replaced by a rebuild
        body = None
    body = body or b"<!doctype html><title>Not found</title><h1>Not found</h1>"
    return "404 Not Found", {"Content-Type": "text/html; charset=utf-8"}, body


def _plain(status: str, text: str) -> tuple[str, dict[str, str], bytes]:
    return status, {"Content-Type": "text/plain; charset=utf-8"}, text.encode("utf-8")


def _say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)
