"""A build that fails at any point leaves the previous output/ complete, and no debris.

Disk full and read-only folders are real: a tiny tmpfs mounted for the test
(this needs root, which the development machines and CI have).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest

from benchmarks.corpus import generate
from tests.conftest import ROOT, folder_files


@pytest.fixture
def tmpfs(tmp_path):
    """A fresh tmpfs folder of a given size; unmounted after the test."""
    mount_point = tmp_path / "disk"
    mount_point.mkdir()
    mounted = []

    def mount(size: str):
        result = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size},mode=0755", "tmpfs", str(mount_point)],
                                capture_output=True, text=True)
        if result.returncode != 0:
            pytest.skip(f"cannot mount a tmpfs here: {result.stderr.strip()}")
        mounted.append(mount_point)
        return mount_point

    yield mount
    for point in mounted:
        subprocess.run(["umount", "-l", str(point)], capture_output=True)


snapshot = folder_files


def test_disk_full_leaves_the_previous_site(project, tmpfs):
    disk = tmpfs("600k")
    output = disk / "output"
    project.story("2026/a.md")
    assert project.run("--output", str(output), "--no-search").returncode == 0
    before = snapshot(output)
    for index in range(80):
        project.story(f"2026/big-{index}.md", coach=f"Coach {index}", body="Long body. " * 800)
    result = project.run("--output", str(output), "--no-search")
    assert result.returncode == 1
    assert "output: could not write the site: No space left on device — free some disk space" in result.stderr
    assert "Traceback" not in result.stderr
    assert snapshot(output) == before
    assert sorted(p.name for p in disk.iterdir()) == ["output"]


def test_a_read_only_output_folder_leaves_the_previous_site(project, tmpfs):
    disk = tmpfs("2m")
    output = disk / "output"
    project.story("2026/a.md")
    assert project.run("--output", str(output), "--no-search").returncode == 0
    before = snapshot(output)
    subprocess.run(["mount", "-o", "remount,ro", str(disk)], check=True)
    project.story("2026/b.md", coach="Jürgen Klopp")
    result = project.run("--output", str(output), "--no-search")
    assert result.returncode == 1
    assert "output: could not write the site: Read-only file system" in result.stderr
    assert "Traceback" not in result.stderr
    assert snapshot(output) == before


@pytest.mark.parametrize("interrupt", [signal.SIGINT, signal.SIGTERM], ids=["ctrl-c", "sigterm"])
def test_an_interrupted_build_leaves_the_previous_site(project, interrupt):
    """Ctrl-C, and SIGTERM (how CI and Netlify cancel a job), both sent to the whole process group."""
    generate(project.content, 1500)
    assert project.run(timeout=300).returncode == 0
    before = snapshot(project.output)
    project.story("2026/new.md")
    process = subprocess.Popen([sys.executable, str(ROOT / "build.py")], cwd=project.root, start_new_session=True,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 120
    while not any(p.name.startswith(".output.staging-") for p in project.root.iterdir()):
        assert process.poll() is None, "the build ended before it started writing"
        assert time.monotonic() < deadline
        time.sleep(0.005)
    time.sleep(0.2)  # into the rendering, with the pool of processes running
    os.killpg(process.pid, interrupt)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 130, stderr
    assert stderr.strip().splitlines()[-1] == "Interrupted; the previous site was left as it was."
    assert "Traceback" not in stderr
    assert snapshot(project.output) == before
    assert sorted(p.name for p in project.root.iterdir()) == [".cache", "content", "output", "static", "templates"]


def test_a_build_killed_outright_leaves_the_previous_site_and_the_next_build_clears_its_folders(project):
    """SIGKILL (the OOM killer, a power cut) gives no chance to clean up: the next build does it."""
    generate(project.content, 600)
    assert project.run("--no-search", timeout=300).returncode == 0
    before = snapshot(project.output)
    project.story("2026/new.md")
    (project.root / "content/site.yaml").write_text("title: Renamed\nbase_url: https://example.org/\n")
    process = subprocess.Popen([sys.executable, str(ROOT / "build.py"), "--no-search"], cwd=project.root,
                               start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while not any(p.name.startswith(".output.staging-") for p in project.root.iterdir()):
        assert process.poll() is None, "the build ended before it started writing"
        assert time.monotonic() < deadline
        time.sleep(0.005)
    os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=60)
    assert snapshot(project.output) == before
    left = [p.name for p in project.root.iterdir() if p.name.startswith(".output.")]
    assert left, "the kill came too late to leave anything"
    # A folder of a build that still runs (this test's own process id) is not touched.
    running = project.root / f".output.staging-{os.getpid()}-x"
    running.mkdir()
    assert project.run("--no-search", timeout=300).returncode == 0
    assert sorted(p.name for p in project.root.iterdir()) == [
        ".cache", running.name, "content", "output", "static", "templates"]
    assert (project.output / "stories/2026/new/index.html").is_file()


def test_a_template_exception_leaves_the_previous_site(project):
    project.story("2026/a.md")
    assert project.run().returncode == 0
    before = snapshot(project.output)
    (project.root / "templates/timeline.html").write_text("{% extends 'base.html' %}{% block main %}"
                                                          "{{ entity.count // 0 }}{% endblock %}")
    result = project.run()
    assert result.returncode == 1
    assert "templates/timeline.html:1: template: integer division or modulo by zero" in result.stderr
    assert snapshot(project.output) == before
    assert sorted(p.name for p in project.root.iterdir()) == [".cache", "content", "output", "static", "templates"]


def test_a_story_renamed_leaves_no_stale_page(project):
    project.story("2026/old-name.md")
    assert project.run("--no-search").returncode == 0
    os.rename(project.content / "stories/2026/old-name.md", project.content / "stories/2026/new-name.md")
    assert project.run("--no-search").returncode == 0
    assert (project.output / "stories/2026/new-name/index.html").is_file()
    assert not (project.output / "stories/2026/old-name").exists()
    assert "old-name" not in (project.output / "sitemap.xml").read_text()
