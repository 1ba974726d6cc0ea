"""The Pagefind search index, in bundles, built by the real Pagefind binary.

Story pages mark their own index entries in the HTML (``data-pagefind-body``,
``-filter``, ``-sort``, ``-meta``), so only stories are results, with filters
coach, club, source, year and lang and a ``date`` sort.  The whole site is
indexed as one language so that one search finds stories in every language;
each story's own language is on its ``<article lang>``.

The index is split into bundles by the stories' dates: whole years, oldest
first, as many to a bundle as fit in ``BUNDLE_PAGES`` (a year larger than
that is split by month, and a month by parts).  Each bundle is its own
Pagefind index in ``pagefind/<name>-<key>/``, where the key is a digest of
the bytes of every page it indexes and of Pagefind's version and settings;
``pagefind/bundles.json`` lists them, oldest first, and the search page
merges them in the browser with Pagefind's ``mergeIndex``.  A bundle whose
key a previous index already has (the live site's, or the copy kept in
``.cache/pagefind/`` for a fresh clone) is linked from there, byte for byte,
instead of being indexed again: a new story re-indexes one bundle.

Why these sizes: Pagefind holds a whole index in memory, about 100 KB a page,
so a bundle of 4,000 pages stays far below 1 GiB at any archive size; and the
reader fetches a few files per bundle, so fewer, larger bundles keep a search
cheap (about three at 10,000 stories).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from .errors import BuildFailed, ContentError

BUNDLE_PAGES = 4000  # pages a bundle may hold: see the module's docstring
BUNDLE_LIST = "bundles.json"
# Raise it when the way bundles are made changes, so that no older bundle is taken for a new one.
BUNDLE_FORMAT = 1
# What Pagefind writes that is data about the pages; everything else (pagefind.js, its worker, the
# WebAssembly, the UI kits) is Pagefind's code, the same in every bundle.
DATA_FILES = re.compile(r"^(pagefind-entry\.json|pagefind\.[^/]+\.pf_meta|(index|filter|fragment)/[^/]+)$")
INDEXED_MARK = b"data-pagefind-body"
BODY_TAG = re.compile(rb"<([a-zA-Z][a-zA-Z0-9-]*)\b[^>]*\bdata-pagefind-body\b[^>]*>")
MARKED_TAG = re.compile(rb"<[^>]*\bdata-pagefind-[^>]*>[^<]*")  # a tag for Pagefind, and the text it starts
# The date a page sorts by: the element carrying data-pagefind-sort="date[datetime]" (templates/story.html).
SORT_DATE = re.compile(rb'<[^>]*\bdata-pagefind-sort="date\[datetime\]"[^>]*>')
DATETIME = re.compile(rb'\bdatetime="([^"]*)"')


@dataclass(frozen=True)
class IndexedPage:
    """A page Pagefind will index: its path in the site, the date it sorts by, the digest of what it indexes."""

    path: str
    date: str  # "2019", "2019-05" or "2019-05-04"; "" for a page with no date
    digest: str


@dataclass(frozen=True)
class Bundle:
    """One Pagefind index over a run of pages, consecutive in date order."""

    name: str  # "1995-2006", "2024", "2024-03", "2024-03-2"
    pages: tuple[IndexedPage, ...]

    def key(self, language: str) -> str:
        """A digest of everything the bundle's bytes depend on."""
        digest = hashlib.blake2b(digest_size=8)
        for part in (str(BUNDLE_FORMAT), pagefind_version(), language, self.name):
            digest.update(part.encode("utf-8") + b"\0")
        for page in self.pages:
            digest.update(f"{page.path}\0{page.digest}\n".encode())
        return digest.hexdigest()

    def folder(self, language: str) -> str:
        return f"{self.name}-{self.key(language)}"


@dataclass
class IndexReport:
    """What an index step did: for tests and the build's timing line."""

    bundles: list[str]  # folder names, oldest first
    indexed: list[str]  # those indexed by Pagefind this time; the others were reused


def pagefind_version() -> str:
    import importlib.metadata  # here: a build without search need not spend its 15 ms

    try:
        return importlib.metadata.version("pagefind")
    except importlib.metadata.PackageNotFoundError:
        return "unknown"


def index_site(site_dir: Path, language: str, bundle_dir: Path | None = None, background: bool = False,
               previous: Sequence[Path] = (), keep: Path | None = None) -> IndexReport:
    """Index ``site_dir`` into bundles under ``site_dir/pagefind/`` (or ``bundle_dir``).

    ``previous``: folders holding earlier bundles, searched in order for one
    with the same key (the live site's ``pagefind/``, the cache's).  ``keep``:
    a folder (``.cache/pagefind``) left holding exactly this index's bundles,
    so that the next build, even from a fresh clone, can reuse them.
    ``background``: at the lowest CPU priority, so that it never slows the
    preview's next rebuild.
    """
    bundle_dir = bundle_dir or site_dir / "pagefind"
    bundle_dir.mkdir(parents=True, exist_ok=True)
    bundles = group_into_bundles(indexed_pages(site_dir))
    folders, indexed, fresh = [], [], None
    for bundle in bundles:
        folder = bundle.folder(language)
        folders.append(folder)
        if not _reuse(folder, previous, bundle_dir / folder):
            _run_pagefind(site_dir, bundle, language, bundle_dir / folder, background)
            indexed.append(folder)
            fresh = fresh or bundle_dir / folder
    _trust_only_fresh_code(bundle_dir, [folder for folder in folders if folder not in indexed], fresh, language,
                           background)
    _write_bundle_list(bundle_dir, bundles, folders)
    if keep is not None:
        keep_bundles(bundle_dir, folders, keep)
    return IndexReport(folders, indexed)


def indexed_pages(site_dir: Path) -> list[IndexedPage]:
    """Every page of the site that Pagefind indexes: those that carry ``data-pagefind-body``.

    Only stories do today; the home page, indexes and timelines are not results.
    """
    pages = []
    root = os.fspath(site_dir)
    for folder, dirnames, filenames in os.walk(root):
        # The index's own folders (pagefind/, the preview's .pagefind-next/) hold no pages.
        dirnames[:] = sorted(name for name in dirnames
                             if not name.startswith(".") and not (folder == root and name == "pagefind"))
        for name in sorted(filenames):
            if not name.endswith(".html"):
                continue
            path = os.path.join(folder, name)
            with open(path, "rb") as handle:
                data = handle.read()
            if INDEXED_MARK not in data:
                continue
            relative = os.path.relpath(path, root).replace(os.sep, "/")
            pages.append(IndexedPage(relative, _sort_date(data),
                                     hashlib.blake2b(indexed_part(data), digest_size=16).hexdigest()))
    return pages


def indexed_part(html: bytes) -> bytes:
    """What Pagefind reads of a page: the ``data-pagefind-body`` element, and any tag marked for it elsewhere.

    A story page also shows its timelines' counts, outside the indexed
    element: a new story about the same coach changes those bytes on every
    page about him, but not his pages' index, so they are left out.
    """
    opening = BODY_TAG.search(html)
    if opening is None:
        return html
    name = opening.group(1)
    depth, position = 1, opening.end()
    nesting = re.compile(rb"<(/?)" + re.escape(name) + rb"\b", re.IGNORECASE)
    while depth:
        tag = nesting.search(html, position)
        if tag is None:
            return html  # not closed: all of it, to be safe
        depth += -1 if tag.group(1) else 1
        position = tag.end()
    outside = html[:opening.start()] + html[position:]
    marked = b"".join(MARKED_TAG.findall(outside))
    return html[opening.start():position] + b"\0" + marked


def _sort_date(html: bytes) -> str:
    tag = SORT_DATE.search(html)
    found = DATETIME.search(tag.group(0)) if tag else None
    return found.group(1).decode("ascii", "replace") if found else ""


def group_into_bundles(pages: Iterable[IndexedPage], limit: int | None = None) -> list[Bundle]:
    """The pages in bundles of consecutive dates, oldest first, each of at most ``limit`` pages.

    Whole years are grouped from the oldest on, so a story added to the
    latest year (the usual case) changes only the last bundle; a year over
    the limit is split by month, a month over it into numbered parts.
    Pages with no date come last, in bundles of their own.
    """
    limit = limit or BUNDLE_PAGES
    ordered = sorted(pages, key=lambda page: (page.date == "", page.date, page.path))
    by_year: dict[str, list[IndexedPage]] = {}
    for page in ordered:
        by_year.setdefault(page.date[:4] or "undated", []).append(page)
    bundles: list[Bundle] = []
    run: list[tuple[str, list[IndexedPage]]] = []  # years waiting to be bundled together
    for year, year_pages in by_year.items():
        if run and (sum(len(p) for _, p in run) + len(year_pages) > limit or year == "undated"):
            bundles.append(_year_run(run))
            run = []
        if len(year_pages) > limit:
            bundles += _split_year(year, year_pages, limit)
        else:
            run.append((year, year_pages))
    if run:
        bundles.append(_year_run(run))
    return bundles


def _year_run(run: list[tuple[str, list[IndexedPage]]]) -> Bundle:
    first, last = run[0][0], run[-1][0]
    return Bundle(first if first == last else f"{first}-{last}", tuple(p for _, pages in run for p in pages))


def _split_year(year: str, pages: list[IndexedPage], limit: int) -> list[Bundle]:
    """A year too large for one bundle: a bundle per month (the year-only dates form month 00)."""
    by_month: dict[str, list[IndexedPage]] = {}
    for page in pages:
        by_month.setdefault(f"{year}-{page.date[5:7] or '00'}", []).append(page)
    bundles = []
    for month, month_pages in by_month.items():
        parts = [month_pages[start:start + limit] for start in range(0, len(month_pages), limit)]
        for number, part in enumerate(parts, 1):
            bundles.append(Bundle(month if len(parts) == 1 else f"{month}-{number}", tuple(part)))
    return bundles


def _reuse(folder: str, previous: Sequence[Path], target: Path) -> bool:
    """Link an earlier bundle with the same key into ``target``; False if there is none."""
    for place in previous:
        source = place / folder
        if (source / "pagefind-entry.json").is_file():
            try:
                _link_tree(source, target)
                return True
            except OSError:
                shutil.rmtree(target, ignore_errors=True)  # an unreadable copy: index it again
    return False


def _link_tree(source: Path, target: Path) -> None:
    """Copy a folder as hard links (as copies where links cannot be made): same bytes, no space used."""
    for folder, _, filenames in os.walk(source):
        into = target / os.path.relpath(folder, source)
        into.mkdir(parents=True, exist_ok=True)
        for name in filenames:
            try:
                os.link(os.path.join(folder, name), into / name)
            except OSError:
                shutil.copy2(os.path.join(folder, name), into / name)


def _run_pagefind(site_dir: Path, bundle: Bundle, language: str, output: Path, background: bool) -> None:
    """Index one bundle's pages: Pagefind reads a folder holding links to exactly those pages.

    The folder is made inside the index's own folder, so that a build stopped
    at any moment leaves nothing behind: the staging folder goes with it.
    """
    pages = Path(tempfile.mkdtemp(prefix=".pages-", dir=output.parent))
    try:
        for page in bundle.pages:
            target = pages / page.path
            target.parent.mkdir(parents=True, exist_ok=True)
            try:
                os.link(site_dir / page.path, target)
            except OSError:
                shutil.copy2(site_dir / page.path, target)
        _pagefind(pages, output, language, background)
    finally:
        shutil.rmtree(pages, ignore_errors=True)


def _pagefind(site: Path, output: Path, language: str, background: bool) -> None:
    command = [sys.executable, "-m", "pagefind", "--site", str(site), "--output-path", str(output),
               "--force-language", language, "--quiet"]
    try:
        result = subprocess.run(command, capture_output=True, text=True, timeout=600,
                                preexec_fn=(lambda: os.nice(19)) if background else None)
    except (OSError, subprocess.TimeoutExpired) as error:
        raise BuildFailed([_search_error(str(error))]) from None
    if result.returncode != 0 or not (output / "pagefind.js").exists():
        detail = (result.stderr or result.stdout).strip().splitlines()
        raise BuildFailed([_search_error(detail[-1] if detail else f"exit code {result.returncode}")])


def _trust_only_fresh_code(bundle_dir: Path, reused: list[str], fresh: Path | None, language: str,
                           background: bool) -> None:
    """Replace Pagefind's code in reused bundles with the code Pagefind wrote in this build.

    A reused bundle may come from a ``.cache/`` made elsewhere; its data is
    only ever shown as text by search.js, but its pagefind.js would run on
    the site, so it is never published.  Without a bundle indexed this time,
    Pagefind indexes one empty page to write its code.
    """
    if not reused:
        return
    scratch = None
    if fresh is None:
        scratch = Path(tempfile.mkdtemp(prefix="pagefind-code-"))
        (scratch / "site").mkdir()
        (scratch / "site/index.html").write_text("<html><body><main data-pagefind-body>Panchina</main></body></html>")
        _pagefind(scratch / "site", scratch / "bundle", language, background)
        fresh = scratch / "bundle"
    try:
        code = [name for name in _files(fresh) if not DATA_FILES.match(name)]
        for folder in reused:
            for name in _files(bundle_dir / folder):
                if not DATA_FILES.match(name):
                    os.unlink(bundle_dir / folder / name)
            for name in code:
                (bundle_dir / folder / name).parent.mkdir(parents=True, exist_ok=True)
                try:
                    os.link(fresh / name, bundle_dir / folder / name)
                except OSError:
                    shutil.copy2(fresh / name, bundle_dir / folder / name)
    finally:
        if scratch is not None:
            shutil.rmtree(scratch, ignore_errors=True)


def _files(folder: Path) -> list[str]:
    return sorted(path.relative_to(folder).as_posix() for path in folder.rglob("*") if path.is_file())


def _write_bundle_list(bundle_dir: Path, bundles: list[Bundle], folders: list[str]) -> None:
    """``bundles.json``, fetched by the search page: each bundle's folder and the dates it spans.

    The search page merges the bundles in this order, and re-sorts a search
    by date across them with the dates (Pagefind sorts within a bundle only).
    """
    listing = {"bundles": [{"folder": folder, "first": bundle.pages[0].date, "last": bundle.pages[-1].date}
                           for bundle, folder in zip(bundles, folders, strict=True)]}
    (bundle_dir / BUNDLE_LIST).write_text(json.dumps(listing, indent=1) + "\n", encoding="utf-8")


def keep_bundles(bundle_dir: Path, folders: list[str], keep: Path) -> None:
    """Leave ``keep`` holding exactly ``folders`` (linked from ``bundle_dir``) for the next build.

    Best effort: a failure here costs the next build time, never this build.
    """
    try:
        keep.mkdir(parents=True, exist_ok=True)
        for name in os.listdir(keep):
            if name not in folders:
                shutil.rmtree(keep / name, ignore_errors=True)
        for folder in folders:
            if not (keep / folder / "pagefind-entry.json").is_file():
                shutil.rmtree(keep / folder, ignore_errors=True)
                _link_tree(bundle_dir / folder, keep / folder)
    except OSError:
        pass


def _search_error(detail: str) -> ContentError:
    return ContentError("pagefind", None, "search", f"indexing failed: {detail}",
                        "run 'make install' to reinstall Pagefind; the site was not changed")


def reindex_in_place(site_dir: Path, language: str) -> IndexReport:
    """Rebuild ``site_dir/pagefind/`` beside the live one, then swap it in.

    For the preview server, which updates pages in place and lets the search
    index catch up in the background: visitors keep the old index until the
    new one is complete.  Bundles whose pages did not change are linked from
    the live index.
    """
    fresh = site_dir / ".pagefind-next"
    retired = site_dir / ".pagefind-old"
    for leftover in (fresh, retired):
        shutil.rmtree(leftover, ignore_errors=True)
    try:
        live = site_dir / "pagefind"
        report = index_site(site_dir, language, fresh, background=True, previous=[live])
        if live.exists():
            os.rename(live, retired)
        os.rename(fresh, live)
        return report
    finally:
        shutil.rmtree(fresh, ignore_errors=True)
        shutil.rmtree(retired, ignore_errors=True)


def search_bundles(output: Path, cache_dir: Path | None) -> dict:
    """Where a build finds earlier bundles and keeps its own: the live site's index, then ``.cache/``."""
    kept = cache_dir / "pagefind" if cache_dir is not None else None
    return {"previous": [output / "pagefind", *([kept] if kept else [])], "keep": kept}


def main(argv: list[str]) -> int:
    """``python -m panchina.search SITE LANGUAGE``: ``reindex_in_place`` in a process of its own.

    The preview runs it so, at the lowest CPU priority: in a thread of the
    server, linking thousands of pages into each bundle's folder held the
    interpreter lock while the next save was being rebuilt (a preview answer
    took twice as long while the index caught up).
    """
    os.nice(19)  # before anything else: Pagefind, started below, inherits it
    site, language = argv
    try:
        reindex_in_place(Path(site), language)
    except BuildFailed as failure:
        print(failure, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
