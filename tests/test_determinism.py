"""The same content gives byte-identical output, whatever the machine's settings."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

from tests.conftest import EXAMPLE, ROOT, byte_stable, folder_files


def stable_files(folder):
    return folder_files(folder, byte_stable)


def copy_in_order(source, target, reverse):
    """Copy a content folder creating files in a chosen order (directory order follows it)."""
    files = sorted((p for p in source.rglob("*") if p.is_file()), reverse=reverse)
    for path in files:
        destination = target / path.relative_to(source)
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, destination)


def build_with(tmp_path, name, env, reverse):
    workdir = tmp_path / name
    content = workdir / "content"
    copy_in_order(EXAMPLE / "content", content, reverse)
    output = workdir / "elsewhere" / "output"
    result = subprocess.run(
        [sys.executable, str(ROOT / "build.py"), "--content", str(content), "--output", str(output),
         "--templates", str(ROOT / "templates"), "--static", str(ROOT / "static")],
        cwd=workdir.parent if reverse else workdir, env={**os.environ, **env}, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return stable_files(output)


def test_output_is_identical_across_directories_time_zones_locales_and_hash_seeds(tmp_path):
    first = build_with(tmp_path, "a", {"TZ": "Pacific/Kiritimati", "LC_ALL": "C.UTF-8", "PYTHONHASHSEED": "1"},
                       reverse=False)
    second = build_with(tmp_path, "b", {"TZ": "America/Los_Angeles", "LC_ALL": "C", "LANG": "C",
                                        "PYTHONHASHSEED": "12345"}, reverse=True)
    assert any(name.startswith("pagefind/") and "/fragment/" in name for name in first)
    assert first.keys() == second.keys()
    assert [name for name in first if first[name] != second[name]] == []
