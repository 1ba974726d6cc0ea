"""Story bodies: Markdown to HTML, then sanitized.

Stories come from strangers' pull requests, so the HTML that Markdown makes
(raw HTML passes straight through it) is cleaned by nh3, the binding to the
Rust sanitizer Ammonia: an allow-list of tags, attributes and URL schemes.
Nothing that can run script survives: no <script>, no on* handlers, no
javascript:/data:/vbscript: links, no iframes, forms, styles or SVG.
"""

from __future__ import annotations

import hashlib
import importlib
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import markdown
import nh3
from markdown.treeprocessors import Treeprocessor

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
}
# Tags whose content is dropped along with the tag: the text of a <script>
# is code, not prose.
CLEAN_CONTENT_TAGS = {"script", "style", "iframe", "object", "embed", "svg", "math",
                      "template", "noscript", "textarea", "select", "title"}
URL_SCHEMES = {"http", "https", "mailto"}


def renderer_fingerprint() -> str:
    """Everything that shapes a body's HTML besides its Markdown: the libraries' versions, the extensions
    and allow-lists as they are now (a test changes them), and this module's own code, read from its file:
    any change to how a body is rendered renders every stored body again, with nothing to remember to bump."""
    return repr((markdown.__version__, nh3.__version__, MARKDOWN_EXTENSIONS, sorted(ALLOWED_TAGS),
                 sorted((k, sorted(v)) for k, v in ALLOWED_ATTRIBUTES.items()),
                 sorted(CLEAN_CONTENT_TAGS), sorted(URL_SCHEMES), _OWN_CODE))


_OWN_CODE = hashlib.sha256(Path(__file__).read_bytes()).hexdigest()


class MarkdownRenderer:
    """Renders story bodies; one instance per thread (Python-Markdown keeps state).

    Only bodies that ``body_problems`` accepts are guaranteed to render
    quickly: Python-Markdown recurses once per level of nesting and is
    quadratic in several constructs.
    """

    def __init__(self) -> None:
        # Made from their modules: given by name, Python-Markdown looks for each among the entry points of
        # every installed package, which took a build 40 ms.
        extensions = [importlib.import_module(f"markdown.extensions.{name}").makeExtension()
                      for name in MARKDOWN_EXTENSIONS]
        self._markdown = markdown.Markdown(extensions=extensions, output_format="html")
        # After the inline patterns (20), which make the images, and before unescaping (0).
        self._markdown.treeprocessors.register(_ImagesAsAltText(self._markdown), "image-alt-text", 5)

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


class _ImagesAsAltText(Treeprocessor):
    """Markdown images become their alt text: pictures are not published, their words are."""

    def run(self, root) -> None:
        parents = [parent for parent in root.iter() if any(child.tag == "img" for child in parent)]
        for parent in parents:
            for index in reversed(range(len(parent))):
                image = parent[index]
                if image.tag != "img":
                    continue
                words = (image.get("alt") or "") + (image.tail or "")
                parent.remove(image)
                if index == 0:
                    parent.text = (parent.text or "") + words
                else:
                    parent[index - 1].tail = (parent[index - 1].tail or "") + words


_HEADING = re.compile(r"<(/?)h([1-6])>")


def demote_headings(html: str) -> str:
    """The story title is the page's only <h1>, so body headings move one level down.

    Safe as a regular expression because the sanitizer leaves headings
    without attributes.
    """
    return _HEADING.sub(lambda m: f"<{m.group(1)}h{min(int(m.group(2)) + 1, 6)}>", html)


# Limits on a body's structure, checked before it is rendered.  Python-Markdown
# recurses once per level of nested lists and quotes, and several of its
# constructs take time that grows with the square of their count (each '['
# scans to the end of its paragraph for a ']', each heading or rule splits
# the text after it again, and so on).  Counting is deterministic where a
# time limit would not be: a body passes or fails the same way on every
# machine.  Each limit is far above anything a story needs, and a body just
# under all of them renders in about a second (tests/test_hardening_markdown.py).
MAX_NESTING = 20  # lists and block quotes inside one another
MAX_PARAGRAPH_CHARS = 10_000  # lines between blank lines
MAX_OPEN_BRACKETS = 20  # '[' with no ']' in their paragraph, in the whole body
MAX_BRACKET_NESTING = 3  # [a [b [c] ] ]
MAX_OPEN_TAGS = 10  # '<' that starts a tag with no '>' in its paragraph, in the whole body
MAX_OPEN_LINKS = 20  # '](' with no ')' in their paragraph, in the whole body
MAX_EMPHASIS_PER_PARAGRAPH = 1_000  # '*' and '_'
MAX_BREAKS_PER_PARAGRAPH = 20  # headings and rules with no blank line between them
MAX_FENCES = 100  # lines that open or close a fenced code block
MAX_ABBREVIATIONS = 50  # *[ABC]: definitions
MAX_DEFINITIONS = 500  # ': ' lines of definition lists
# Every mark becomes an element or a pass of Python code: a megabyte of list
# markers or table cells takes tens of seconds even where no construct is slow.
MAX_MARKS = 20_000  # * _ [ ] < & ` \ | line breaks and list or quote markers in the whole body


@dataclass(frozen=True)
class BodyProblem:
    """A problem in a story body; the caller adds the body's first line in its file."""

    line: int  # 0-based line within the body
    message: str
    hint: str


@dataclass
class _Paragraph:
    first_line: int  # 0-based line within the body
    lines: list[str]
    text: str  # the lines joined

    def line_at(self, offset: int) -> int:
        """The body line of a character offset in ``text``."""
        return self.first_line + self.text.count("\n", 0, offset)


_CONTAINER_STARTS = set(">*+-0123456789")
_CONTAINER = re.compile(r"[ ]*(?:>|[*+-](?=[ ]|$)|\d+\.(?=[ ]|$))[ ]?")
_RULE = re.compile(r"^[ ]{0,3}(?:(?:-[ ]*){3,}|(?:_[ ]*){3,}|(?:\*[ ]*){3,})$")
_HEADING_LINE = re.compile(r"^[ ]{0,3}#{1,6}(?:[ ]|$)")
_SETEXT_LINE = re.compile(r"^[ ]{0,3}(?:=+|-+)[ ]*$")
_FENCE_LINE = re.compile(r"^[ ]{0,3}(?:`{3,}|~{3,})")
_ABBREVIATION_LINE = re.compile(r"^[ ]{0,3}\*\[")
_ABBREVIATION = re.compile(r"^[ ]{0,3}\*\[(?P<name>[^\]]*)\][ ]*:", re.MULTILINE)
_DEFINITION_LINE = re.compile(r"^[ ]{0,3}:[ ]")
_TAG_START = re.compile(r"<[A-Za-z/!?]")
_MARK = re.compile(r"[*_\[\]<&`\\|]|  $")
_IMAGE = re.compile(r"!\[")
_ESCAPED = re.compile(r"\\.")
_CLOSED_ADDRESS = re.compile(r"\]\([^()\[\]]*\)")
_CLOSED_BRACKET = re.compile(r"\[[^\[\]]*\]")
_BRACKET_OR_ESCAPE = re.compile(r"\\.|\]\(|[\[\]()]")


@dataclass
class _Body:
    text: str  # line ends and tabs as Python-Markdown sees them
    lines: list[str]
    paragraphs: list[_Paragraph]
    depths: dict[int, int]  # line -> lists and quotes it is inside, for lines inside any


def body_problems(body: str) -> tuple[list[BodyProblem], list[BodyProblem]]:
    """Errors (the body would not render in bounded time) and warnings (something will not show).

    Every story is checked on every cold build, so each check first looks
    for what would make it fire in the whole text, at C speed, and goes line
    by line only when it may.
    """
    text = body.replace("\r\n", "\n").replace("\r", "\n").expandtabs(4)
    lines = text.split("\n")
    depths = {index: depth for index, line in enumerate(lines)
              if line.lstrip(" ")[:1] in _CONTAINER_STARTS and (depth := _nesting(line))}
    parsed = _Body(text, lines, list(_paragraphs(lines)), depths)
    errors: list[BodyProblem] = []
    for check in (_check_nesting, _check_paragraph_lengths, _check_brackets, _check_open_tags,
                  _check_emphasis, _check_breaks, _check_line_counts, _check_marks):
        errors.extend(check(parsed))
    return errors, list(_image_warnings(parsed))


def _paragraphs(lines: list[str]) -> Iterator[_Paragraph]:
    """Runs of non-blank lines: the units Python-Markdown parses one at a time.

    Only spaces make a line blank, as for Python-Markdown: a line of no-break
    spaces does not end a paragraph.
    """
    start = None
    for index, line in enumerate([*lines, ""]):
        blank = not line.strip(" ")
        if not blank and start is None:
            start = index
        elif blank and start is not None:
            yield _Paragraph(start, lines[start:index], "\n".join(lines[start:index]))
            start = None


def _nesting(line: str) -> int:
    """How many lists and quotes a line is inside: its markers, and its indentation if it has one."""
    if _RULE.match(line):
        return 0
    markers, position = 0, 0
    indent = len(line) - len(line.lstrip(" "))
    while match := _CONTAINER.match(line, position):
        if match.end() == position:
            break
        markers, position = markers + 1, match.end()
    return markers + indent // 4 if markers else 0


def _check_nesting(body: _Body) -> Iterator[BodyProblem]:
    for index, depth in body.depths.items():
        if depth > MAX_NESTING:
            yield BodyProblem(index, f"lists and quotes are nested {depth} levels deep; at most {MAX_NESTING} "
                                     "are allowed", "flatten the list: put fewer items and quotes inside one another")
            return


def _check_paragraph_lengths(body: _Body) -> Iterator[BodyProblem]:
    for paragraph in body.paragraphs:
        length = len(paragraph.text)
        if length > MAX_PARAGRAPH_CHARS:
            yield BodyProblem(paragraph.first_line, f"the paragraph starting here is {length:,} characters long; "
                                                    f"at most {MAX_PARAGRAPH_CHARS:,} are allowed",
                              "split it with blank lines")
            return


def _check_brackets(body: _Body) -> Iterator[BodyProblem]:
    """Each '[' scans ahead for its ']', and each '](' for its ')': left open, they scan to the paragraph's end."""
    open_brackets, open_links, deep_reported = 0, 0, False
    for paragraph in body.paragraphs:
        if _plain_links_only(paragraph.text):
            continue
        scan = _scan_brackets(paragraph.text)
        if scan.depth > MAX_BRACKET_NESTING and not deep_reported:
            deep_reported = True
            yield BodyProblem(paragraph.line_at(scan.deepest), f"square brackets are nested {scan.depth} deep; at "
                                                               f"most {MAX_BRACKET_NESTING} are allowed",
                              "take the inner brackets out, or write \\[ and \\] for brackets that are only text")
        for unclosed in scan.open_brackets:
            open_brackets += 1
            if open_brackets == MAX_OPEN_BRACKETS + 1:
                yield BodyProblem(paragraph.line_at(unclosed),
                                  f"more than {MAX_OPEN_BRACKETS} '[' are never closed by ']' in their paragraph; "
                                  "this is the first one over",
                                  "close each link text with ']', or write \\[ for a bracket that is only text")
        for unclosed in scan.open_links:
            open_links += 1
            if open_links == MAX_OPEN_LINKS + 1:
                yield BodyProblem(paragraph.line_at(unclosed),
                                  f"more than {MAX_OPEN_LINKS} link addresses '](' are never closed by ')' in their "
                                  "paragraph; this is the first one over",
                                  "end each link's address with ')'")


@dataclass(frozen=True)
class _BracketScan:
    depth: int  # how deep closed brackets nest
    deepest: int  # where the deepest opens
    open_brackets: list[int]  # '[' never closed
    open_links: list[int]  # '](' never closed by ')'


def _scan_brackets(text: str) -> _BracketScan:
    """Pair brackets and parentheses as Python-Markdown's link patterns do, skipping backslash escapes."""
    brackets: list[int] = []
    pairs: list[tuple[int, int]] = []  # '[' and its ']'
    parens: list[tuple[int, bool]] = []  # '(' and whether it opens a link address
    for match in _BRACKET_OR_ESCAPE.finditer(text):
        token = match.group()
        if token == "[":
            brackets.append(match.start())
        elif token in ("]", "](") and brackets:
            pairs.append((brackets.pop(), match.start()))
        if token in ("(", "]("):
            parens.append((match.start(), token == "]("))
        elif token == ")" and parens:
            parens.pop()
    depth, deepest = _deepest(pairs)
    return _BracketScan(depth, deepest, brackets, [position for position, link in parens if link])


def _plain_links_only(text: str) -> bool:
    """Every '[' closed with no bracket inside, every '](' closed with no parenthesis inside: nothing to count."""
    if "[" not in text and "]" not in text:
        return True
    text = _CLOSED_ADDRESS.sub("]", _ESCAPED.sub("", text))
    return "](" not in text and "[" not in _CLOSED_BRACKET.sub("", text)


def _deepest(pairs: list[tuple[int, int]]) -> tuple[int, int]:
    """How deep closed brackets nest, and where the deepest opens (brackets left open are counted apart)."""
    deepest, where = 0, 0
    enclosing: list[int] = []  # the closing positions of the brackets around this one
    for start, end in sorted(pairs):
        while enclosing and enclosing[-1] < start:
            enclosing.pop()
        enclosing.append(end)
        if len(enclosing) > deepest:
            deepest, where = len(enclosing), start
    return deepest, where


def _check_open_tags(body: _Body) -> Iterator[BodyProblem]:
    open_count = 0
    if "<" not in body.text:
        return
    for paragraph in body.paragraphs:
        text = paragraph.text
        for match in _TAG_START.finditer(text, text.rfind(">") + 1):
            open_count += 1
            if open_count == MAX_OPEN_TAGS + 1:
                yield BodyProblem(paragraph.line_at(match.start()),
                                  f"more than {MAX_OPEN_TAGS} '<' start HTML tags that are never closed by '>' in "
                                  "their paragraph; this is the first one over",
                                  "close each tag with '>', or write &lt; for a '<' that is only text")
                return


def _check_emphasis(body: _Body) -> Iterator[BodyProblem]:
    for paragraph in body.paragraphs:
        count = paragraph.text.count("*") + paragraph.text.count("_")
        if count > MAX_EMPHASIS_PER_PARAGRAPH:
            yield BodyProblem(paragraph.first_line,
                              f"the paragraph starting here has {count:,} emphasis marks (* and _); at most "
                              f"{MAX_EMPHASIS_PER_PARAGRAPH:,} are allowed",
                              "split it with blank lines, or write \\* and \\_ for marks that are only text")
            return


def _check_breaks(body: _Body) -> Iterator[BodyProblem]:
    """Each heading or rule splits its paragraph and the rest is parsed again, so many in a row are slow."""
    for paragraph in body.paragraphs:
        if len(paragraph.lines) <= MAX_BREAKS_PER_PARAGRAPH:
            continue
        breaks = [index for index, line in enumerate(paragraph.lines)
                  if _HEADING_LINE.match(line) or _RULE.match(line) or _SETEXT_LINE.match(line)]
        if len(breaks) > MAX_BREAKS_PER_PARAGRAPH:
            yield BodyProblem(paragraph.first_line + breaks[MAX_BREAKS_PER_PARAGRAPH],
                              f"more than {MAX_BREAKS_PER_PARAGRAPH} headings and rules follow one another with no "
                              "blank line between them; this is the first one over",
                              "put a blank line before and after each heading and rule")
            return


# The lines counted, what each such line must contain (to skip counting when
# the text has too few), the limit, and how a message names them.
_COUNTED_LINES = (
    (_FENCE_LINE, ("```", "~~~"), MAX_FENCES, "code fence lines (``` or ~~~)", "keep the code blocks the story needs"),
    (_ABBREVIATION_LINE, ("*[",), MAX_ABBREVIATIONS, "abbreviation definitions (*[ABC]: …)",
     "define only the abbreviations the story uses"),
    (_DEFINITION_LINE, (": ",), MAX_DEFINITIONS, "definition lines (': ' at the start)",
     "write the definitions as a plain list"),
)


def _check_line_counts(body: _Body) -> Iterator[BodyProblem]:
    for pattern, needles, limit, what, hint in _COUNTED_LINES:
        if sum(body.text.count(needle) for needle in needles) <= limit:
            continue
        matching = [index for index, line in enumerate(body.lines) if pattern.match(line)]
        if len(matching) > limit:
            yield BodyProblem(matching[limit], f"the body has {len(matching):,} {what}; at most {limit:,} are "
                                               "allowed, and this is the first one over", hint)


def _check_marks(body: _Body) -> Iterator[BodyProblem]:
    abbreviation = _abbreviation_pattern(body.text) if "*[" in body.text else None
    marks = (sum(body.text.count(mark) for mark in "*_[]<&`\\|") + body.text.count("  \n")
             + body.text.endswith("  ") + sum(body.depths.values()))  # as _MARK counts them, faster
    if marks + (len(abbreviation.findall(body.text)) if abbreviation else 0) <= MAX_MARKS:
        return
    total = 0
    for index, line in enumerate(body.lines):
        total += len(_MARK.findall(line)) + body.depths.get(index, 0)
        if abbreviation:
            total += len(abbreviation.findall(line))  # each becomes an <abbr>
        if total > MAX_MARKS:
            yield BodyProblem(index, f"the body has more than {MAX_MARKS:,} Markdown marks (* _ [ ] < & ` \\ |, "
                                     "line breaks, list and quote markers, abbreviations) by this line",
                              "write plain text: a story needs little formatting")
            return


def _abbreviation_pattern(text: str) -> re.Pattern | None:
    """The words that the abbr extension will wrap in <abbr>, as it finds them."""
    names = sorted({m.group("name") for m in _ABBREVIATION.finditer(text) if m.group("name")},
                   key=len, reverse=True)
    return re.compile(r"\b(?:" + "|".join(map(re.escape, names)) + r")\b") if names else None


def _image_warnings(body: _Body) -> Iterator[BodyProblem]:
    if "![" not in body.text:
        return
    for index, line in enumerate(body.lines):
        if _IMAGE.search(line):
            yield BodyProblem(index, "images are not published; the alt text is kept as text",
                              "link to the picture instead, e.g. [photo of the press conference](https://…)")
