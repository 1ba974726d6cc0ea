"""Shared fixtures: a scratch project with our templates, and ways to run it."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import textwrap
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
TODAY = date(2026, 11, 26)  # every test builds as of this day, so that dates never drift into the future
EXAMPLE = ROOT / "tests" / "example"

# A shell that starts a job in the background (``make test &``, ``nohup … &``) starts it with Ctrl-C
# ignored, and every process started from it inherits that: the tests that interrupt a build or stop a
# preview with SIGINT would then wait, fail or time out. Interrupts are part of what is tested, so the
# suite puts the default back (a handled signal is reset to the default in every program it starts).
signal.signal(signal.SIGINT, signal.default_int_handler)


def folder_files(folder: Path, keep=lambda name: True) -> dict[str, bytes]:
    """Every file under ``folder`` whose relative path ``keep`` accepts, for byte-for-byte comparisons."""
    files = {}
    for path in sorted(folder.rglob("*")):
        name = path.relative_to(folder).as_posix()
        if path.is_file() and keep(name):
            files[name] = path.read_bytes()
    return files


def byte_stable(name: str) -> bool:
    """Everything we write, and of Pagefind's files those it writes deterministically.

    Pagefind 1.5.2 writes its filter chunks (and so its entry file) in hash-map
    order; its word index and page fragments are byte-stable, and so is our list
    of bundles (``pagefind/<bundle>/``, see panchina/search.py).
    """
    parts = name.split("/")
    return parts[0] != "pagefind" or name == "pagefind/bundles.json" or (
        len(parts) > 3 and parts[2] in ("fragment", "index"))


def story_text(coach="Massimiliano Allegri", clubs="[Real Madrid]", date="2026-03-04",
               source="Corriere dello Sport", extra="", body="Body text.") -> str:
    """A valid story, with any field replaceable (None drops it)."""
    lines = ["---"]
    for key, value in (("coach", coach), ("clubs", clubs), ("date", date), ("source", source)):
        if value is not None:
            lines.append(f"{key}: {value}")
    if extra:
        lines.append(textwrap.dedent(extra).strip("\n"))
    lines += ["---", body, ""]
    return "\n".join(lines)


@dataclass
class Project:
    """A scratch copy of the project: our templates and static files, its own content."""

    root: Path

    @property
    def content(self) -> Path:
        return self.root / "content"

    @property
    def output(self) -> Path:
        return self.root / "output"

    def write(self, relative: str, text: str | bytes) -> Path:
        path = self.root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8")
        return path

    def story(self, name: str, **fields) -> Path:
        return self.write(f"content/stories/{name}", story_text(**fields))

    def run(self, *args: str, timeout: float = 120) -> subprocess.CompletedProcess:
        """``python build.py ARGS`` in this project, as a contributor would run it."""
        return subprocess.run([sys.executable, str(ROOT / "build.py"), *args], cwd=self.root,
                              capture_output=True, text=True, timeout=timeout)

    def snapshot(self) -> dict[str, bytes]:
        """Every file under output/, for byte-for-byte comparisons."""
        return folder_files(self.output)


def built_pages(project: Project) -> dict[str, str]:
    """Every page a cold build of ``project`` writes (no search index), as text by path."""
    from panchina.pipeline import Paths, build

    output = project.root.parent / "rendered"
    shutil.rmtree(output, ignore_errors=True)
    build(Paths(content=project.content, output=output, templates=project.root / "templates",
                static=project.root / "static", cache=None), search=False, today=TODAY)
    return {name: data.decode() for name, data in folder_files(output).items() if not name.startswith("static/")}


@pytest.fixture
def project(tmp_path) -> Project:
    return new_project(tmp_path / "site")


def new_project(root: Path) -> Project:
    """A project folder at ``root`` with Panchina's templates and static files and no stories yet."""
    root.mkdir()
    shutil.copytree(ROOT / "templates", root / "templates")
    shutil.copytree(ROOT / "static", root / "static")
    (root / "content" / "stories").mkdir(parents=True)
    return Project(root)


@pytest.fixture
def example_project(tmp_path) -> Project:
    """The reviewed example site under tests/example, copied so tests may change it."""
    root = tmp_path / "example"
    shutil.copytree(EXAMPLE / "content", root / "content")
    shutil.copytree(ROOT / "templates", root / "templates")
    shutil.copytree(ROOT / "static", root / "static")
    return Project(root)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def chromium_path() -> str:
    """Debian's Chromium; in CI its absence fails the browser tests instead of skipping them."""
    path = "/usr/bin/chromium"
    if not os.path.exists(path):
        if os.environ.get("CI"):
            pytest.fail("/usr/bin/chromium is missing: .ci/run must install Debian's chromium package")
        pytest.skip("Debian's chromium is not installed (apt-get install chromium)")
    return path


CORPUS_STORIES = 2000  # benchmarks/corpus.py at 2,000 stories: 222 coaches and 132 clubs, as issue 10 tried


@pytest.fixture(scope="session")
def corpus_2000(tmp_path_factory) -> Path:
    """The 2,000-story corpus built once with its search index, for every module that needs an archive
    of realistic size (the site checks and the search page in Chromium): one build of about 20 s."""
    from benchmarks.corpus import generate
    from panchina.pipeline import Paths, build

    scratch = tmp_path_factory.mktemp("corpus-2000")
    output = scratch / "output"
    build(Paths(content=generate(scratch / "content", CORPUS_STORIES), output=output, templates=ROOT / "templates",
                static=ROOT / "static", cache=None))
    return output
