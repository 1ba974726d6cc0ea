"""Checks over a built site folder: internal links and anchors, HTML validity."""

from __future__ import annotations

import os
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

ROOT = Path(__file__).resolve().parent.parent
LINK_ATTRIBUTES = {"a": "href", "link": "href", "script": "src", "img": "src", "form": "action"}


class _PageParser(HTMLParser):
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


def broken_links(site: Path) -> list[str]:
    """Every internal link or #anchor in ``site`` that leads nowhere, as 'page -> link'."""
    pages = {}
    for path in sorted(site.rglob("*.html")):
        if path.relative_to(site).parts[0] == "pagefind":
            continue
        parser = _PageParser()
        parser.feed(path.read_text(encoding="utf-8"))
        pages[path] = parser
    broken = []
    for path, parser in pages.items():
        for link in parser.links:
            parts = urlsplit(link)
            if parts.scheme or parts.netloc:
                continue  # external (or the absolute canonical URL): not ours to check here
            target = _target_file(site, path, unquote(parts.path))
            if target is None:
                broken.append(f"{path.relative_to(site)} -> {link}")
            elif parts.fragment:
                ids = pages[target].ids if target in pages else set()
                if parts.fragment not in ids:
                    broken.append(f"{path.relative_to(site)} -> {link} (no such anchor)")
    return broken


def _target_file(site: Path, page: Path, link_path: str) -> Path | None:
    if not link_path:
        return page
    base = site if link_path.startswith("/") else page.parent
    target = (base / link_path.lstrip("/")).resolve()
    if not target.is_relative_to(site.resolve()):
        return None
    if target.is_dir():
        target = target / "index.html"
    return target if target.is_file() else None


def html_validate(site: Path) -> subprocess.CompletedProcess:
    """Run html-validate (from node_modules, installed by `make install`) over every page.

    The pages are shared among one html-validate process per core: on the 2,000-story site a
    single process took 75 s of the suite's 10-minute budget.
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
