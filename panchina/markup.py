"""Story bodies: Markdown to HTML, then sanitized.

Stories come from strangers' pull requests, so the HTML that Markdown makes
(raw HTML passes straight through it) is cleaned by nh3, the binding to the
Rust sanitizer Ammonia: an allow-list of tags, attributes and URL schemes.
Nothing that can run script survives: no <script>, no on* handlers, no
javascript:/data:/vbscript: links, no iframes, forms, styles or SVG.
"""

from __future__ import annotations

import re
from importlib.metadata import version

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
