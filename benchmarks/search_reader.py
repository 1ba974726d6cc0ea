"""What the search bundles cost: the reader in Chromium, and Pagefind's memory while indexing.

    python -m benchmarks.search_reader --size 10000

Builds one generated corpus (benchmarks/corpus.py) twice, once as a single
Pagefind index (one bundle: the index as it was before bundles) and once in
bundles (panchina/search.py), then for each:

- indexes the built site again in a new process and reports the time and
  the peak resident memory of the largest Pagefind process (getrusage of
  the waited-for children);
- opens ``/search/?q=<query>`` in headless Chromium (Debian's, under
  netlify.toml's headers, a new browser context each run so nothing is
  cached) and counts the requests and bytes until the first result shows,
  and the time from navigation to that first result.

Medians of --runs runs.  Nothing here is a pass/fail test.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.corpus import generate
from panchina import search
from panchina.pipeline import Paths, build

ROOT = Path(__file__).resolve().parent.parent
SINGLE = 10**9  # bundle size that puts every story in one bundle
INDEX_AGAIN = """
import resource, sys, time
from pathlib import Path
from panchina import search
search.BUNDLE_PAGES = int(sys.argv[2])
started = time.perf_counter()
report = search.index_site(Path(sys.argv[1]), "en", Path(sys.argv[1]) / "pagefind-again")
print(time.perf_counter() - started, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024, len(report.bundles))
"""


def build_site(content: Path, output: Path, bundle_pages: int) -> None:
    search.BUNDLE_PAGES = bundle_pages
    build(Paths(content=content, output=output, templates=ROOT / "templates", static=ROOT / "static", cache=None))


def index_again(output: Path, bundle_pages: int) -> tuple[float, int, int]:
    """Seconds, peak RSS of the largest Pagefind process (bytes), bundles: in a new process."""
    result = subprocess.run([sys.executable, "-c", INDEX_AGAIN, str(output), str(bundle_pages)], cwd=ROOT,
                            capture_output=True, text=True, check=True)
    seconds, peak, bundles = result.stdout.split()
    return float(seconds), int(peak), int(bundles)


def reader(base: str, query: str, browser) -> dict:
    """One visit of the search page with a query: requests, bytes and time to the first result."""
    context = browser.new_context()
    page = context.new_page()
    requests: list = []
    page.on("requestfinished", lambda request: requests.append(request))
    page.goto(f"{base}/search/?q={query}")
    page.wait_for_selector(".search-result")
    first_result = page.evaluate("performance.now()")
    found = page.inner_text("#search-status")
    pagefind = [r for r in requests if "/pagefind/" in r.url]
    result = {"ms": first_result, "requests": len(requests), "index_requests": len(pagefind),
              "bytes": sum(r.sizes()["responseBodySize"] for r in requests),
              "index_bytes": sum(r.sizes()["responseBodySize"] for r in pagefind), "status": found}
    context.close()
    return result


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", type=int, default=10000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--query", default="Allegri")
    args = parser.parse_args(argv)
    from playwright.sync_api import sync_playwright

    from tests import netlify_server
    from tests.test_browser import CHROMIUM_ARGS

    figures = {}
    with tempfile.TemporaryDirectory(prefix="panchina-reader-") as scratch_name:
        scratch = Path(scratch_name)
        content = generate(scratch / "content", args.size)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
            for label, pages in (("single index", SINGLE), ("bundles", search.BUNDLE_PAGES)):
                print(f"building {label} …", file=sys.stderr, flush=True)
                output = scratch / label.replace(" ", "-")
                build_site(content, output, pages)
                seconds, peak, bundles = index_again(output, pages)
                server, base = netlify_server.start(output)
                visits = [reader(base, args.query, browser) for _ in range(args.runs)]
                server.shutdown()
                figures[label] = {"bundles": bundles, "index_s": round(seconds, 2), "pagefind_peak_mib": peak >> 20,
                                  **{key: statistics.median(v[key] for v in visits)
                                     for key in ("ms", "requests", "index_requests", "bytes", "index_bytes")},
                                  "status": visits[0]["status"]}
            browser.close()
    print(f"N = {args.size:,}, query {args.query!r}, medians of {args.runs} visits, {time.strftime('%Y-%m-%d')}")
    print(json.dumps(figures, indent=1, ensure_ascii=False))
    single, bundled = figures["single index"], figures["bundles"]
    for key in ("ms", "requests", "index_requests", "bytes", "index_bytes"):
        print(f"{key}: {single[key]:,.0f} → {bundled[key]:,.0f} ({bundled[key] / single[key]:.2f}×)")


if __name__ == "__main__":
    main()
