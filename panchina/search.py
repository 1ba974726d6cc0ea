"""The Pagefind search index, built by the real Pagefind binary.

Story pages mark their own index entries in the HTML (``data-pagefind-body``,
``-filter``, ``-sort``, ``-meta``), so only stories are results, with filters
coach, club, source, year and lang and a ``date`` sort.  The whole site is
indexed as one language so that one search finds stories in every language;
each story's own language is on its ``<article lang>``.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from .errors import BuildFailed, ContentError


def index_site(site_dir: Path, language: str, bundle_dir: Path | None = None, background: bool = False) -> None:
    """Run Pagefind over ``site_dir``, writing ``site_dir/pagefind/`` (or ``bundle_dir``).

    ``background``: at the lowest CPU priority, so that it never slows the
    preview's next rebuild.
    """
    bundle_dir = bundle_dir or site_dir / "pagefind"
    command = [sys.executable, "-m", "pagefind", "--site", str(site_dir), "--output-path", str(bundle_dir),
               "--force-language", language, "--quiet"]
    try:
        result = subprocess.run(command, capture_output=True, text=True, timeout=600,
                                preexec_fn=(lambda: os.nice(19)) if background else None)
    except (OSError, subprocess.TimeoutExpired) as error:
        raise BuildFailed([_search_error(str(error))]) from None
    if result.returncode != 0 or not (bundle_dir / "pagefind.js").exists():
        detail = (result.stderr or result.stdout).strip().splitlines()
        raise BuildFailed([_search_error(detail[-1] if detail else f"exit code {result.returncode}")])


def _search_error(detail: str) -> ContentError:
    return ContentError("pagefind", None, "search", f"indexing failed: {detail}",
                        "run 'make install' to reinstall Pagefind; the site was not changed")


def reindex_in_place(site_dir: Path, language: str) -> None:
    """Rebuild ``site_dir/pagefind/`` beside the live one, then swap it in.

    For the preview server, which updates pages in place and lets the search
    index catch up in the background: visitors keep the old index until the
    new one is complete.
    """
    fresh = site_dir / ".pagefind-next"
    retired = site_dir / ".pagefind-old"
    for leftover in (fresh, retired):
        shutil.rmtree(leftover, ignore_errors=True)
    try:
        index_site(site_dir, language, fresh, background=True)
        live = site_dir / "pagefind"
        if live.exists():
            os.rename(live, retired)
        os.rename(fresh, live)
    finally:
        shutil.rmtree(fresh, ignore_errors=True)
        shutil.rmtree(retired, ignore_errors=True)
