"""The preview server, started for real on a free loopback port."""

from __future__ import annotations

import http.client
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest

from tests.conftest import ROOT, free_port, story_text


class Preview:
    def __init__(self, project, *args: str):
        self.project = project
        self.port = free_port()
        self.log_path = project.root.parent / "serve.log"
        self.log = open(self.log_path, "w")
        self.process = subprocess.Popen(
            [sys.executable, str(ROOT / "build.py"), "serve", "--port", str(self.port), *args],
            cwd=project.root, stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True)
        self.wait_for(lambda: self.status("/") == 200, "the server to answer")

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def get(self, path: str) -> tuple[int, str]:
        try:
            with urllib.request.urlopen(self.url(path), timeout=5) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()

    def status(self, path: str) -> int | None:
        try:
            return self.get(path)[0]
        except (urllib.error.URLError, ConnectionError, OSError):
            return None

    def raw_status(self, raw_path: str) -> int:
        """Send the path exactly as written, without a client normalising it."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
        connection.putrequest("GET", raw_path, skip_accept_encoding=True)
        connection.endheaders()
        status = connection.getresponse().status
        connection.close()
        return status

    def output(self) -> str:
        return self.log_path.read_text()

    def wait_for(self, condition, what: str, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"the server exited while waiting for {what}:\n{self.output()}")
            if condition():
                return
            time.sleep(0.1)
        raise AssertionError(f"timed out waiting for {what}:\n{self.output()}")

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGINT)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        self.log.close()


@pytest.fixture
def preview(project):
    project.story("2026/allegri.md", extra="title: First headline")
    server = Preview(project)
    yield server
    server.stop()


def test_an_edit_is_served_after_the_rebuild(preview, project):
    assert "First headline" in preview.get("/stories/2026/allegri/")[1]
    project.story("2026/allegri.md", extra="title: Second headline")
    preview.wait_for(lambda: "Second headline" in preview.get("/stories/2026/allegri/")[1], "the rebuilt page")


def test_a_broken_edit_shows_the_error_and_keeps_the_site_until_fixed(preview, project):
    project.story("2026/allegri.md", date="2023-02-30", extra="title: Broken headline")
    preview.wait_for(lambda: "panchina-build-error" in preview.get("/")[1], "the error banner")
    status, page = preview.get("/stories/2026/allegri/")
    assert status == 200
    assert "content/stories/2026/allegri.md:4: date: &#x27;2023-02-30&#x27; does not exist" in page
    assert "First headline" in page  # the last good site is still there
    project.story("2026/allegri.md", extra="title: Fixed headline")
    preview.wait_for(lambda: "Fixed headline" in preview.get("/stories/2026/allegri/")[1], "the fixed page")
    assert "panchina-build-error" not in preview.get("/")[1]


def test_a_burst_of_saves_triggers_one_rebuild(preview, project):
    builds_before = preview.output().count("Built ")
    for index in range(10):
        project.write(f"content/stories/2026/burst-{index}.md", story_text(coach=f"Coach {index}"))
    preview.wait_for(lambda: preview.status("/stories/2026/burst-9/") == 200, "the burst to be built")
    time.sleep(1.0)  # several poll intervals: any extra rebuild would show up now
    assert preview.output().count("Built ") == builds_before + 1


def test_a_page_changed_by_hand_is_put_back_a_moment_after_the_next_build(preview, project):
    project.story("2026/other.md", coach="Jürgen Klopp", body="First body.")
    preview.wait_for(lambda: preview.status("/stories/2026/other/") == 200, "the new story")
    page = project.root / "output/stories/2026/allegri/index.html"
    page.write_text("Changed by hand.\n", encoding="utf-8")
    project.story("2026/other.md", coach="Jürgen Klopp", body="Second body.")  # a build that plans no other page
    preview.wait_for(lambda: "Second body." in preview.get("/stories/2026/other/")[1], "the rebuild")
    preview.wait_for(lambda: "First headline" in preview.get("/stories/2026/allegri/")[1], "the page put back")


def test_a_story_deleted_while_serving_disappears(preview, project):
    (project.content / "stories/2026/allegri.md").unlink()
    project.story("2026/other.md", coach="Jürgen Klopp")
    preview.wait_for(lambda: preview.status("/stories/2026/other/") == 200, "the rebuild")
    assert preview.status("/stories/2026/allegri/") == 404
    assert preview.status("/coaches/massimiliano-allegri/") == 404


@pytest.mark.parametrize("raw_path", [
    "/../../../../etc/passwd", "/%2e%2e/%2e%2e/%2e%2e/etc/passwd", "/..%5c..%5c..%5cetc%5cpasswd",
    "/static/%2e%2e/%2e%2e/content/stories/2026/allegri.md",
])
def test_paths_out_of_the_output_folder_are_refused(preview, raw_path):
    assert preview.raw_status(raw_path) in (403, 404)


def test_a_symlink_out_of_the_output_folder_is_refused(preview, project):
    os.symlink("/etc/passwd", project.output / "passwd.txt")
    assert preview.raw_status("/passwd.txt") == 403


def test_it_listens_on_loopback_only(preview):
    with socket.socket() as sock:
        sock.settimeout(2)
        assert sock.connect_ex(("127.0.0.2", preview.port)) != 0  # bound to 127.0.0.1, not every address
    assert f"Serving on http://127.0.0.1:{preview.port}/" in preview.output()


def test_another_host_warns(project):
    project.story("2026/allegri.md")
    server = Preview(project, "--host", "0.0.0.0", "--no-search")
    try:
        assert "Warning: listening on 0.0.0.0: anyone who can reach this address can read the preview." \
            in server.output()
    finally:
        server.stop()


def test_the_search_index_catches_up_in_the_background(preview, project):
    import gzip

    def indexed_words() -> bytes:
        chunks = []
        for fragment in (project.output / "pagefind").glob("*/fragment/*.pf_fragment"):
            try:
                chunks.append(gzip.decompress(fragment.read_bytes()))
            except (OSError, EOFError):
                pass  # being swapped right now
        return b"".join(chunks)

    assert b"Zanzibar" not in indexed_words()
    project.story("2026/allegri.md", extra="title: First headline", body="Zanzibar appears now.")
    preview.wait_for(lambda: "Zanzibar" in preview.get("/stories/2026/allegri/")[1], "the rebuilt page")
    preview.wait_for(lambda: b"Zanzibar" in indexed_words(), "the background search index")
    # The index is swapped in by its own process, which then exits: the server reports it a moment later.
    preview.wait_for(lambda: "Search index updated." in preview.output(), "the report of the index")
