"""Checks over a built site folder: internal links and anchors, HTML validity."""

from __future__ import annotations

import heapq
import os
import posixpath
import re
import shutil
import subprocess
from collections import Counter
from dataclasses import dataclass
from html import unescape
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

ROOT = Path(__file__).resolve().parent.parent
LINK_ATTRIBUTES = {"a": "href", "link": "href", "script": "src", "img": "src", "form": "action"}


# --- Reading every page once: its ids, its links and its shape.
#
# On the 3,000 pages of the 2,000-story site HTMLParser took 6 s to find the ids and links alone. These pages are
# our own templates' output, so a tokenizer of a few regular expressions reads them, shapes included, in 3.5 s:
# comments, declarations and processing instructions, raw-text elements (a script's JSON is not markup), start tags
# with quoted or bare attribute values, end tags; the same tag text, repeated by the thousand across pages, is taken
# apart once. test_site_quality checks that it finds exactly the ids and links HTMLParser finds, on every page of
# the demo and on the big site's sample and every 20th page.

TOKEN = re.compile(r"""<!--.*?-->|<![^>]*>|<\?[^>]*>
                   |<(?P<raw>script|style)\b(?P<raw_attrs>[^>]*)>.*?</(?P=raw)\s*>
                   |<(?P<tag>[a-zA-Z][\w:-]*)(?P<attrs>(?:[^>"']|"[^"]*"|'[^']*')*)>
                   |</(?P<end>[a-zA-Z][\w:-]*)\s*>""", re.S | re.I | re.X)
ATTRIBUTE = re.compile(r"""([^\s"'>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+)))?""")
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
DIGITS = re.compile(r"\d+")
# In a long value (text, a URL) only these tell html-validate anything: whitespace (ids, token lists), character
# references, and what an unquoted value may not hold.
TELLING = set(" \t\n&<>\"'=`")
CHARACTER_REFERENCE = re.compile(r"&(#[xX]?|[a-zA-Z]*)")
RAW_LESS_THAN = re.compile(r"<(?![a-zA-Z/!])")


@dataclass
class Page:
    size: int
    ids: set[str]
    links: list[str]  # every href, src and action of the elements in LINK_ATTRIBUTES, unescaped
    features: frozenset  # what HTML validation of this page depends on, see shape_sample


def scan_site(site: Path) -> dict[str, Page]:
    """Every page of ``site`` (Pagefind's own left out) by its path relative to ``site``, read once."""
    tags: dict[str, tuple | None] = {}  # the meaning of each distinct tag text, across pages
    pages = {}
    for path in sorted(site.rglob("*.html")):
        name = path.relative_to(site).as_posix()
        if name.split("/")[0] != "pagefind":
            pages[name] = _scan_page(name, path.read_text(encoding="utf-8"), tags)
    return pages


def _tag(match: re.Match) -> tuple | None:
    """(name, tag and classes, those with the attributes' sort of values, its id or none, link, opens an element,
    heading level) of a start tag; end tags and comments as ("/", name) and None."""
    if match["end"]:
        return "/", match["end"].lower()
    if match["raw"]:
        name, text = match["raw"].lower(), match["raw_attrs"]
    elif match["tag"]:
        name, text = match["tag"].lower(), match["attrs"]
    else:
        return None
    attributes = {}  # as HTMLParser has them: a bare attribute is None, of one written twice the last counts
    for attribute in ATTRIBUTE.finditer(text):
        if attribute[1] != "/":
            value = next((group for group in attribute.groups()[1:] if group is not None), None)
            attributes[attribute[1].lower()] = None if value is None else unescape(value)
    classes = DIGITS.sub("9", attributes.pop("class", None) or "").split()
    element = ".".join([name, *sorted(classes)])
    values = tuple(sorted((key, _sort_of(value)) for key, value in attributes.items()))
    link = attributes.get(LINK_ATTRIBUTES.get(name, ""))
    opens = not match["raw"] and name not in VOID and not text.rstrip().endswith("/")
    ids = [attributes["id"]] if "id" in attributes else []
    return name, element, f"{element} {values}", ids, link, opens, name in HEADINGS and int(name[1])


def _sort_of(value: str | None) -> str | None:
    """A short value (a keyword, a date) as written, its digits aside; of a long one, its telling characters."""
    if value is None or len(value) <= 12:
        return value and DIGITS.sub("9", value)
    return "…" + "".join(sorted(TELLING & set(value)))


def _scan_page(name: str, text: str, tags: dict[str, tuple | None]) -> Page:
    ids, links, seen = [], [], Counter()
    # The open elements, innermost last, each with the last element in it so far; two empty ones above <html>.
    open_names, open_elements, last_children = ["", ""], ["", ""], ["", ""]
    kind = level = None
    empty_from = -1  # where the content of the element just opened starts, while it has no child element
    for match in TOKEN.finditer(text):
        tag = tags.get(match[0], ())
        if tag == ():
            tag = tags[match[0]] = _tag(match)
        if tag is None:
            continue
        if tag[0] == "/":
            if open_names[-1] == tag[1]:
                if empty_from >= 0 and not text[empty_from:match.start()].strip():
                    seen["empty", open_elements[-2], open_elements[-1]] += 1
                seen["last", open_elements[-1], last_children[-1]] += 1
                del open_names[-1], open_elements[-1], last_children[-1]
            elif tag[1] in open_names:  # closes elements left open (else a stray end tag): html-validate's to report
                index = len(open_names) - 1 - open_names[::-1].index(tag[1])
                del open_names[index:], open_elements[index:], last_children[index:]
            empty_from = -1
            continue
        tag_name, element, described, ids_, link, opens, heading = tag
        if ids_:
            ids += ids_
        if link is not None:
            links.append(link)
        if kind is None and open_names[-1] == "main":
            kind = element
        seen[open_elements[-2], open_elements[-1], last_children[-1], described] += 1
        last_children[-1] = element
        if heading:
            seen["heading", level, heading] += 1
            level = heading
        empty_from = -1
        if opens:
            open_names.append(tag_name)
            open_elements.append(element)
            last_children.append("")
            empty_from = match.end()
    seen.update(("character reference", reference) for reference in set(CHARACTER_REFERENCE.findall(text)))
    if RAW_LESS_THAN.search(text):
        seen["raw <"] += 1
    if len(set(ids)) < len(ids):
        seen["duplicate id"] += 1
    parts = name.split("/")
    parts = parts[:-1] if parts[-1] == "index.html" else parts
    kind = ("/".join(part if index == 0 else "9" if part.isdigit() else "x" for index, part in enumerate(parts)),
            kind)
    features = frozenset([(kind,)] + [(kind, feature, min(count, 2)) for feature, count in seen.items()])
    return Page(len(text), set(ids), links, features)


class _PageParser(HTMLParser):
    """The standard library's reading of a page, to check ``scan_site`` against."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if "id" in attributes:
            self.ids.add(attributes["id"])
        wanted = LINK_ATTRIBUTES.get(tag)
        if wanted and attributes.get(wanted) is not None:
            self.links.append(attributes[wanted])


def parsed_ids_and_links(path: Path) -> tuple[set[str], list[str]]:
    parser = _PageParser()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser.ids, parser.links


# --- Links and anchors.

def broken_links(site: Path, pages: dict[str, Page] | None = None) -> list[str]:
    """Every internal link or #anchor in ``site`` that leads nowhere, as 'page -> link'.

    ``pages``: ``scan_site(site)``, when the caller has it already.
    """
    pages = scan_site(site) if pages is None else pages
    files = {path.relative_to(site).as_posix() for path in site.rglob("*") if path.is_file()}
    targets: dict[tuple[str, str], str | None] = {}
    broken = []
    for name, page in pages.items():
        folder = posixpath.dirname(name)
        for link in page.links:
            parts = urlsplit(link)
            if parts.scheme or parts.netloc:
                continue  # external (or the absolute canonical URL): not ours to check here
            path = unquote(parts.path)
            key = ("", path) if path.startswith("/") else (folder, path)
            if path and key not in targets:
                targets[key] = _target_file(files, *key)
            target = targets[key] if path else name
            if target is None:
                broken.append(f"{name} -> {link}")
            elif parts.fragment and parts.fragment not in (pages[target].ids if target in pages else ()):
                broken.append(f"{name} -> {link} (no such anchor)")
    return broken


def _target_file(files: set[str], folder: str, link_path: str) -> str | None:
    """The file a link's path leads to from a page in ``folder``: itself, or the index.html of a folder."""
    target = posixpath.normpath(posixpath.join(folder, link_path.lstrip("/")))
    if target == ".." or target.startswith("../"):
        return None
    target = "" if target == "." else target
    if target in files:
        return target
    index = posixpath.join(target, "index.html")
    return index if index in files else None


# --- HTML validity.

def shape_sample(pages: dict[str, Page], times: int = 2) -> list[str]:
    """Pages of the fewest bytes that show html-validate everything the site's pages are made of ``times`` times
    (or as often as the site has it), as names of ``pages``, chosen greedily by new features per byte.

    The features of a page are what its validity depends on, within its kind of page (the folder pattern of its
    address with the first element of its <main>: a story, a year of a split timeline, a saga, the sources by hit
    rate ...): each element as its tag and classes, under its parent and grandparent and after its previous
    sibling, with its attributes and the sort of their values (a short one as written, digits aside; of a long
    one, its whitespace and the characters markup cares about), and whether it comes once or more; the last
    child of each element; empty elements; each step from one heading level to the next; the character
    references used; a raw "<"; a repeated id. The sample is drawn from the site under test, so a template that
    writes something new on some pages (an element where it may not be, an unclosed one that moves everything
    after it, a duplicated element or id, an attribute or value) gives those pages a feature no other page has,
    and puts them in the sample. What it does not see: the words of the text, long values beyond those
    characters, and elements further apart than a grandparent or a previous sibling.
    """
    wanted = Counter(feature for page in pages.values() for feature in page.features)
    needed = {feature: min(times, count) for feature, count in wanted.items()}
    queue = [(-len(page.features) / page.size, name) for name, page in pages.items()]
    heapq.heapify(queue)
    chosen = []
    while needed and queue:
        _, name = heapq.heappop(queue)
        gain = sum(feature in needed for feature in pages[name].features) / pages[name].size
        if not gain:
            continue
        if queue and -gain > queue[0][0]:  # another page may show more now: look at it first
            heapq.heappush(queue, (-gain, name))
            continue
        chosen.append(name)
        for feature in pages[name].features:
            if feature in needed:
                needed[feature] -= 1
                if not needed[feature]:
                    del needed[feature]
    return sorted(chosen)


def html_validate(site: Path, names: list[str] | None = None) -> subprocess.CompletedProcess:
    """Run html-validate (from node_modules, installed by `make install`) over the pages ``names`` of ``site``,
    every page by default.

    The pages are shared among one html-validate process per core, largest first in turn so that the shares
    weigh about the same: on the 2,000-story site a single process took 75 s of the suite's 10-minute budget.
    """
    binary = ROOT / "node_modules" / ".bin" / "html-validate"
    if not binary.exists() or shutil.which("node") is None:
        raise AssertionError("html-validate is not installed: run `make install` (needs node and npm)")
    paths = site.rglob("*.html") if names is None else (site / name for name in names)
    pages = [str(path) for path in sorted(paths, key=lambda path: (-path.stat().st_size, path))]
    cores = os.cpu_count() or 1
    shares = [pages[index::cores] for index in range(cores)]
    runs = [subprocess.Popen([str(binary), "--config", str(ROOT / ".htmlvalidate.json"), "--formatter", "text",
                              *share], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            for share in shares if share]
    outputs = [run.communicate(timeout=600) for run in runs]
    return subprocess.CompletedProcess(
        [str(binary)], max(run.returncode for run in runs), "".join(out for out, _ in outputs),
        "".join(err for _, err in outputs))
