"""Rebuild tests/example/expected/ from tests/example/content: `make golden`.

Review the diff (`git diff tests/example/expected`) before committing: the
expected output is what the test suite holds the templates to.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "tests" / "example"
sys.path.insert(0, str(ROOT))

from panchina.pipeline import Paths, build  # noqa: E402


def build_example(into: Path) -> Path:
    """Build the example site (no search index: Pagefind's files are not ours to pin)."""
    output = into / "output"
    build(Paths(content=EXAMPLE / "content", output=output, templates=ROOT / "templates",
                static=ROOT / "static", cache=None), search=False)
    return output


def golden_files(output: Path) -> dict[str, bytes]:
    """The pages we generate; static/ is copied verbatim and not pinned here."""
    return {p.relative_to(output).as_posix(): p.read_bytes() for p in sorted(output.rglob("*"))
            if p.is_file() and not p.relative_to(output).as_posix().startswith("static/")}


def main() -> None:
    expected = EXAMPLE / "expected"
    with tempfile.TemporaryDirectory() as scratch:
        files = golden_files(build_example(Path(scratch)))
    shutil.rmtree(expected, ignore_errors=True)
    for relative, data in files.items():
        target = expected / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    print(f"Wrote {len(files)} files to {expected.relative_to(ROOT)}; review them with git diff.")


if __name__ == "__main__":
    main()
