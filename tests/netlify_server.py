"""Serve a built site over loopback the way Netlify would: its headers, its 404 page.

The headers come from our netlify.toml itself, so the browser tests run under
exactly the Content-Security-Policy that the live site sends.
"""

from __future__ import annotations

import fnmatch
import functools
import http.server
import threading
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def netlify_headers(path: str, config: dict) -> dict[str, str]:
    """Every header netlify.toml sets for ``path`` (later rules add to earlier ones)."""
    headers: dict[str, str] = {}
    for rule in config.get("headers", []):
        if fnmatch.fnmatchcase(path, rule["for"]):
            headers.update(rule["values"])
    return headers


class NetlifyLikeHandler(http.server.SimpleHTTPRequestHandler):
    config: dict = {}
    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map,
                      ".js": "text/javascript", ".wasm": "application/wasm", ".xml": "application/xml"}

    def end_headers(self) -> None:
        for name, value in netlify_headers(self.path.split("?")[0], self.config).items():
            self.send_header(name, value)
        super().end_headers()

    def send_error(self, code, message=None, explain=None):
        page = Path(self.directory) / "404.html"
        if code == 404 and page.is_file():
            body = page.read_bytes()
            self.send_response(404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        super().send_error(code, message, explain)

    def log_message(self, *args) -> None:  # keep test output quiet
        pass


def start(site_dir: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    """Serve ``site_dir`` on a free loopback port; returns the server and its base URL."""
    config = tomllib.loads((ROOT / "netlify.toml").read_text())
    handler = type("Handler", (NetlifyLikeHandler,), {"config": config})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0),
                                             functools.partial(handler, directory=str(site_dir)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"
