"""Story bodies: Markdown to HTML, then sanitized.

Stories come from strangers' pull requests, so the HTML that Markdown makes
(raw HTML passes straight through it) is cleaned by nh3, the binding to the
Rust sanitizer Ammonia: an allow-list of tags, attributes and URL schemes.
Nothing that can run script survives: no <script>, no on* handlers, no
javascript:/data:/vbscript: links, no iframes, forms, styles or SVG.
"""

from __future__ import annotations

import hashlib
import os
import re
import sqlite3
from collections.abc import Callable
from importlib.metadata import version
from pathlib import Path

import markdown
import nh3

MARKDOWN_EXTENSIONS = ("tables", "fenced_code", "sane_lists", "abbr", "def_list")

ALLOWED_TAGS = {
    "p", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "ul", "ol", "li",
    "dl", "dt", "dd", "strong", "em", "b", "i", "code", "pre", "a", "abbr",
    "table", "thead", "tbody", "tr", "th", "td", "sup", "sub", "del", "q", "cite",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title", "hreflang"},
    "abbr": {"title"},
    "th": {"align"},
    "td": {"align"},
    "ol": {"start"},
    "q": {"cite"},
}
# Tags whose content is dropped along with the tag: the text of a <script>
# is code, not prose.
CLEAN_CONTENT_TAGS = {"script", "style", "iframe", "object", "embed", "svg", "math",
                      "template", "noscript", "textarea", "select", "title"}
URL_SCHEMES = {"http", "https", "mailto"}


def renderer_fingerprint() -> str:
    """Everything that shapes a body's HTML besides its Markdown: versions, extensions, allow-lists."""
    return repr((version("markdown"), version("nh3"), MARKDOWN_EXTENSIONS, sorted(ALLOWED_TAGS),
                 sorted((k, sorted(v)) for k, v in ALLOWED_ATTRIBUTES.items()),
                 sorted(CLEAN_CONTENT_TAGS), sorted(URL_SCHEMES), "demote-headings-1"))


class MarkdownRenderer:
    """Renders story bodies; one instance per thread (Python-Markdown keeps state)."""

    def __init__(self) -> None:
        self._markdown = markdown.Markdown(extensions=list(MARKDOWN_EXTENSIONS), output_format="html")

    def render(self, body: str) -> str:
        html = self._markdown.reset().convert(body)
        return demote_headings(sanitize(html))


def sanitize(html: str) -> str:
    """Keep only the allow-listed HTML; external links get rel=noopener nofollow."""
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        clean_content_tags=CLEAN_CONTENT_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    )


_HEADING = re.compile(r"<(/?)h([1-6])>")


def demote_headings(html: str) -> str:
    """The story title is the page's only <h1>, so body headings move one level down.

    Safe as a regular expression because the sanitizer leaves headings
    without attributes.
    """
    return _HEADING.sub(lambda m: f"<{m.group(1)}h{min(int(m.group(2)) + 1, 6)}>", html)


class BodyCache:
    """Rendered story bodies, kept in SQLite between builds (``.cache/bodies.sqlite``).

    The key covers the body's hash, the Python-Markdown and nh3 versions,
    the extension list and the sanitizer's allow-lists, so a cached body can
    never be stale: change any of them and every key changes.  Each process
    opens its own connection (the build forks rendering processes); new
    bodies are handed back to the main process, which alone writes.
    """

    def __init__(self, path: Path | None = None, read_body: Callable[[str], str] | None = None):
        self.path = path  # None: remember bodies for this build only
        self.read_body = read_body  # for stories whose Markdown was not kept in memory
        self.new: dict[str, str] = {}  # rendered in this process, not yet stored
        self._renderer: MarkdownRenderer | None = None
        self._connection: sqlite3.Connection | None = None
        self._connection_pid = 0
        self.fingerprint = renderer_fingerprint()

    def key(self, body_digest: str) -> str:
        return hashlib.blake2b((self.fingerprint + "\x00" + body_digest).encode("utf-8"),
                               digest_size=20).hexdigest()

    def render(self, story) -> str:
        key = self.key(story.body_digest)
        html = self.new.get(key) or self._stored(key)
        if html is None:
            if self._renderer is None:
                self._renderer = MarkdownRenderer()
            body = story.body if story.body is not None else self.read_body(story.path)
            html = self._renderer.render(body)
            self.new[key] = html
        return html

    def _stored(self, key: str) -> str | None:
        connection = self._open()
        if connection is None:
            return None
        row = connection.execute("SELECT html FROM bodies WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def _open(self) -> sqlite3.Connection | None:
        if self.path is None:
            return None
        if self._connection is None or self._connection_pid != os.getpid():
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                self._connection = sqlite3.connect(self.path)
                self._connection.execute("CREATE TABLE IF NOT EXISTS bodies (key TEXT PRIMARY KEY, html TEXT)")
                self._connection_pid = os.getpid()
            except sqlite3.Error:
                self.path = None  # an unusable cache is no cache
                return None
        return self._connection

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
            pass  # the cache is a shortcut; losing it only costs time
