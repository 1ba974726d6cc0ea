"""Checks over a built site folder: internal links and anchors, HTML validity."""

from __future__ import annotations

import os
import posixpath
import re
import shutil
import subprocess
from dataclasses import dataclass
from html import unescape
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

ROOT = Path(__file__).resolve().parent.parent
LINK_ATTRIBUTES = {"a": "href", "link": "href", "script": "src", "img": "src", "form": "action"}


# --- Reading every page once: its ids and its links.
#
# On the 3,000 pages of the 2,000-story site HTMLParser took 6 s to find the ids and links. These pages are our
# own templates' output, so a tokenizer of a few regular expressions reads them faster: comments, declarations and
# processing instructions, raw-text elements (a script's JSON is not markup), start tags with quoted or bare
# attribute values, end tags; the same tag text, repeated by the thousand across pages, is taken apart once.
# test_site_quality checks that it finds exactly the ids and links HTMLParser finds on every page of the demo.

TOKEN = re.compile(r"""<!--.*?-->|<![^>]*>|<\?[^>]*>
                   |<(?P<raw>script|style)\b(?P<raw_attrs>[^>]*)>.*?</(?P=raw)\s*>
                   |<(?P<tag>[a-zA-Z][\w:-]*)(?P<attrs>(?:[^>"']|"[^"]*"|'[^']*')*)>
                   |</(?P<end>[a-zA-Z][\w:-]*)\s*>""", re.S | re.I | re.X)
ATTRIBUTE = re.compile(r"""([^\s"'>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+)))?""")


@dataclass
class Page:
    ids: set[str]
    links: list[str]  # every href, src and action of the elements in LINK_ATTRIBUTES, unescaped


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
    """(its id or none, link) of a start tag; end tags and comments as None."""
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
    ids = [attributes["id"]] if "id" in attributes else []
    return ids, attributes.get(LINK_ATTRIBUTES.get(name, ""))


def _scan_page(name: str, text: str, tags: dict[str, tuple | None]) -> Page:
    ids, links = [], []
    for match in TOKEN.finditer(text):
        tag = tags.get(match[0], ())
        if tag == ():
            tag = tags[match[0]] = _tag(match)
        if tag is not None:
            ids += tag[0]
            if tag[1] is not None:
                links.append(tag[1])
    return Page(set(ids), links)


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

def html_validate(site: Path) -> subprocess.CompletedProcess:
    """Run html-validate (from node_modules, installed by `make install`) over every page.

    The pages are shared among one html-validate process per core: on the 2,000-story site a single process took
    75 s of the suite's 10-minute budget.
    """
    binary = ROOT / "node_modules" / ".bin" / "html-validate"
    if not binary.exists() or shutil.which("node") is None:
        raise AssertionError("html-validate is not installed: run `make install` (needs node and npm)")
    pages = sorted(str(path) for path in site.rglob("*.html"))
    cores = os.cpu_count() or 1
    shares = [pages[index::cores] for index in range(cores)]
    runs = [subprocess.Popen([str(binary), "--config", str(ROOT / ".htmlvalidate.json"), "--formatter", "text",
                              *share], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            for share in shares if share]
    outputs = [run.communicate(timeout=600) for run in runs]
    return subprocess.CompletedProcess(
        [str(binary)], max(run.returncode for run in runs), "".join(out for out, _ in outputs),
        "".join(err for _, err in outputs))
