"""The example site under tests/example builds to its reviewed expected output.

Regenerate with `make golden` after an intended template change, then review
`git diff tests/example/expected`.
"""

from __future__ import annotations

import difflib

from tests.regenerate_golden import EXAMPLE, build_example, golden_files


def test_example_site_matches_the_expected_output(tmp_path):
    built = golden_files(build_example(tmp_path))
    expected = {p.relative_to(EXAMPLE / "expected").as_posix(): p.read_bytes()
                for p in sorted((EXAMPLE / "expected").rglob("*")) if p.is_file()}
    assert sorted(built) == sorted(expected), "pages added or missing: run `make golden` and review"
    for name in expected:
        if built[name] != expected[name]:
            diff = "\n".join(difflib.unified_diff(
                expected[name].decode().splitlines(), built[name].decode().splitlines(),
                f"expected/{name}", f"built/{name}", lineterm=""))
            raise AssertionError(f"{name} differs from the reviewed output (`make golden` to accept):\n{diff}")
