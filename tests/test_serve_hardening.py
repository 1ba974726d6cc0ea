"""The preview server against odd requests, a taken or impossible port, and content/ deleted and restored.

Each test starts the real server (``build.py serve``) as a subprocess on a
free loopback port and talks to it with raw requests.
"""

from __future__ import annotations

import http.client
import os
import shutil
import socket
import subprocess

import pytest

from panchina.cli import _parser
from tests.conftest import ROOT, free_port
from tests.test_serve import Preview


@pytest.fixture
def quick_preview(project):
    """A preview without the search index, which none of these tests need."""
    project.story("2026/allegri.md", extra="title: First headline")
    server = Preview(project, "--no-search")
    yield server
    server.stop()


def raw_request(preview: Preview, method: str, target: str, host: str | None = None):
    """Send ``target`` byte for byte (no client normalising it); the status, the headers and the body."""
    connection = http.client.HTTPConnection("127.0.0.1", preview.port, timeout=5)
    try:
        connection.putrequest(method, target, skip_host=host is not None, skip_accept_encoding=True)
        if host is not None:
            connection.putheader("Host", host)
        connection.endheaders()
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        connection.close()


def assert_no_traceback(preview: Preview) -> None:
    assert "Traceback" not in preview.output()


# --- paths that cannot be a file of the site: a 4xx, never a 500 and a traceback ---

@pytest.mark.parametrize("target, status", [
    ("/" + "a" * 300, 404),                      # one segment longer than a file name may be (ENAMETOOLONG)
    ("/" + "a" * 300 + "/", 404),
    ("/a" * 3000, 404),                          # a path longer than a path may be
    ("/stories/" + "b" * 300 + "/index.html", 404),
    ("/%ff%fe%fd/", 404),                        # bytes that are not UTF-8
    ("/%00", 403),                               # a NUL, percent-encoded
    ("/index.html%00.txt", 403),
    ("/%zz", 404),                               # invalid percent-encodings
    ("/%", 404),
    ("/stories/", 404),                          # a folder without index.html
])
def test_an_impossible_path_is_a_clean_4xx(quick_preview, target, status):
    assert raw_request(quick_preview, "GET", target)[0] == status
    assert quick_preview.status("/") == 200  # still serving
    assert_no_traceback(quick_preview)


def test_a_fifo_a_socket_and_a_symlink_loop_in_output_are_not_found(quick_preview, project):
    os.mkfifo(project.output / "fifo.html")
    with socket.socket(socket.AF_UNIX) as unix_socket:
        unix_socket.bind(str(project.output / "socket.html"))
        os.symlink("loop-b.html", project.output / "loop-a.html")
        os.symlink("loop-a.html", project.output / "loop-b.html")
        for target in ("/fifo.html", "/socket.html", "/loop-a.html"):
            assert raw_request(quick_preview, "GET", target)[0] == 404, target
    assert_no_traceback(quick_preview)


def test_a_file_with_a_non_ascii_name_is_served(quick_preview, project):
    (project.output / "città.txt").write_text("Torino")
    status, _, body = raw_request(quick_preview, "GET", "/citt%C3%A0.txt")
    assert (status, body) == (200, b"Torino")


# --- redirects to a folder's address stay on the site and keep the query ---

@pytest.mark.parametrize("target, location", [
    ("/coaches", "/coaches/"),
    ("//coaches", "/coaches/"),                  # not //coaches/: a browser reads that as the site "coaches"
    ("///coaches", "/coaches/"),
    ("//stories//2026", "/stories/2026/"),
    ("/coaches?q=x", "/coaches/?q=x"),
    ("//coaches?q=a%20b&page=2", "/coaches/?q=a%20b&page=2"),
])
def test_a_folder_redirects_on_the_site_with_its_query(quick_preview, target, location):
    status, headers, _ = raw_request(quick_preview, "GET", target)
    assert (status, headers.get("Location")) == (301, location)
    assert_no_traceback(quick_preview)


def test_a_folder_with_a_name_that_is_not_utf8_redirects_to_its_own_address(quick_preview, project):
    os.mkdir(os.path.join(os.fsencode(project.output), b"\xff"))
    status, headers, _ = raw_request(quick_preview, "GET", "/%FF")
    assert (status, headers.get("Location")) == (301, "/%FF/")
    assert_no_traceback(quick_preview)


# --- methods and headers ---

def test_head_answers_the_headers_of_get_without_a_body(quick_preview):
    _, get_headers, get_body = raw_request(quick_preview, "GET", "/")
    status, headers, body = raw_request(quick_preview, "HEAD", "/")
    assert (status, body) == (200, b"")
    assert headers["Content-Length"] == get_headers["Content-Length"] == str(len(get_body))
    assert raw_request(quick_preview, "HEAD", "/nowhere/")[0] == 404
    assert_no_traceback(quick_preview)


@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE", "OPTIONS"])
def test_a_method_that_writes_is_refused(quick_preview, method):
    status, headers, body = raw_request(quick_preview, method, "/")
    assert (status, headers.get("Allow"), body) == (405, "GET, HEAD", b"Method Not Allowed: the preview only reads")
    assert_no_traceback(quick_preview)


@pytest.mark.parametrize("host, status", [
    ("localhost:abc", 400),                      # Tornado reads the part after the colon as a port number
    ("127.0.0.1:", 400),
    ("a:b:c", 200),
    ("[::1]:8000", 200),
])
def test_an_odd_host_header_is_answered(quick_preview, host, status):
    assert raw_request(quick_preview, "GET", "/", host=host)[0] == status
    assert_no_traceback(quick_preview)


# --- the port ---

def test_a_taken_port_is_said_in_one_line_before_anything_else(project):
    project.story("2026/allegri.md")
    with socket.socket() as other_program:
        other_program.bind(("127.0.0.1", 0))
        other_program.listen()
        port = other_program.getsockname()[1]
        result = project.run("serve", "--port", str(port), "--no-search", timeout=30)
    assert result.returncode == 1
    assert result.stderr == (f"Cannot serve on port {port}: another program is using it (another preview?). "
                             f"Stop it, or choose another port: python build.py serve --port {port + 1}\n")
    assert result.stdout == ""
    assert not project.output.exists()  # the port is tried before the site is built


def test_an_address_of_another_computer_is_said_in_one_line(project):
    project.story("2026/allegri.md")
    result = project.run("serve", "--host", "203.0.113.5", "--port", str(free_port()), "--no-search", timeout=30)
    assert result.returncode == 1
    assert result.stderr == ("Cannot listen on 203.0.113.5: it is not an address of this computer. "
                             "Leave out --host to use 127.0.0.1, or give one of this computer's addresses\n")
    assert not project.output.exists()


@pytest.mark.parametrize("port", ["-1", "0", "65536", "99999", "eighty"])
def test_a_port_out_of_range_is_refused(project, port):
    try:
        result = project.run("serve", "--port", port, "--no-search", timeout=20)
    except subprocess.TimeoutExpired:
        pytest.fail(f"--port {port} was accepted and served")
    assert result.returncode == 2
    assert result.stderr.splitlines()[-1] == (
        f"build.py serve: error: argument --port: '{port}' is not a port: "
        "give a number from 1 to 65535, e.g. --port 8001")
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("port", ["1", "8000", "65535"])
def test_a_port_in_range_is_accepted(port):
    assert _parser().parse_args(["serve", "--port", port]).port == int(port)


# --- content/ deleted and restored, as git stash or a checkout does ---

def remove_by_rmtree(content, backup):
    shutil.copytree(content, backup)
    shutil.rmtree(content)


def remove_by_rename(content, backup):
    content.rename(backup)


@pytest.mark.parametrize("remove", [remove_by_rmtree, remove_by_rename], ids=["rmtree", "rename"])
def test_content_deleted_and_restored_is_watched_again(quick_preview, project, remove):
    backup = project.root.parent / "content-backup"
    remove(project.content, backup)
    quick_preview.wait_for(lambda: "panchina-build-error" in quick_preview.get("/")[1], "the error banner")
    assert "content: the content folder does not exist" in quick_preview.get("/")[1]

    shutil.copytree(backup, project.content)
    quick_preview.wait_for(lambda: "panchina-build-error" not in quick_preview.get("/")[1], "the banner to clear")
    assert "First headline" in quick_preview.get("/stories/2026/allegri/")[1]

    # and the restored folder is watched: a later edit is built
    project.story("2026/allegri.md", extra="title: Second headline")
    quick_preview.wait_for(lambda: "Second headline" in quick_preview.get("/stories/2026/allegri/")[1],
                           "the edit after the restore")
    assert_no_traceback(quick_preview)


def test_a_folder_created_after_the_start_is_watched(project):
    project.story("2026/allegri.md")
    shutil.rmtree(project.root / "static")
    server = Preview(project, "--no-search")
    try:
        shutil.copytree(ROOT / "static", project.root / "static")
        server.wait_for(lambda: server.status("/static/style.css") == 200, "the new static/ to be built")
    finally:
        server.stop()
