"""Writing the site: staged, swapped into place, never outside the output folder."""

import os
import signal

import pytest

from panchina.errors import BuildFailed
from panchina.output import safe_target, write_site


def files(folder):
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_a_site_replaces_the_previous_one_completely(tmp_path):
    output = tmp_path / "output"
    write_site({"index.html": "one", "old/index.html": "stale"}, None, output)
    write_site({"index.html": "two"}, None, output)
    assert files(output) == {"index.html": b"two"}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["output"]


@pytest.mark.parametrize("relative", ["../escape.html", "/etc/passwd", "a/../../x.html", "a\\..\\x.html",
                                      ".hidden/index.html", "_headers", "x/_redirects", "netlify.toml", ""])
def test_paths_that_could_escape_or_reconfigure_the_host_are_refused(tmp_path, relative):
    with pytest.raises(BuildFailed):
        safe_target(tmp_path / "output", relative)


def test_a_refused_path_leaves_the_old_site_and_the_sibling_folder_alone(tmp_path):
    output = tmp_path / "output"
    sibling = tmp_path / "output-evil"
    sibling.mkdir()
    write_site({"index.html": "good"}, None, output)
    with pytest.raises(BuildFailed):
        write_site({"index.html": "bad", "../output-evil/x.html": "pwned"}, None, output)
    assert files(output) == {"index.html": b"good"}
    assert list(sibling.iterdir()) == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["output", "output-evil"]


def test_a_failing_index_step_leaves_the_old_site(tmp_path):
    output = tmp_path / "output"
    write_site({"index.html": "good"}, None, output)

    def broken_index(folder):
        raise OSError(28, "No space left on device")

    with pytest.raises(BuildFailed, match="could not write the site: No space left on device"):
        write_site({"index.html": "new"}, None, output, index=broken_index)
    assert files(output) == {"index.html": b"good"}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["output"]


def test_ctrl_c_in_the_middle_leaves_the_old_site(tmp_path):
    output = tmp_path / "output"
    write_site({"index.html": "good"}, None, output)

    def interrupted(folder):
        os.kill(os.getpid(), signal.SIGINT)

    with pytest.raises(KeyboardInterrupt):
        write_site({"index.html": "new"}, None, output, index=interrupted)
    assert files(output) == {"index.html": b"good"}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["output"]


def test_static_files_are_copied_but_never_host_config_or_links(tmp_path):
    static = tmp_path / "static"
    static.mkdir()
    (static / "style.css").write_text("body{}")
    (static / "_headers").write_text("/* X: y")
    (static / "netlify.toml").write_text("")
    os.symlink("/etc/passwd", static / "passwd.txt")
    write_site({"index.html": "x"}, static, tmp_path / "output")
    assert files(tmp_path / "output") == {"index.html": b"x", "static/style.css": b"body{}"}


def test_the_same_page_written_twice_is_refused(tmp_path):
    with pytest.raises(BuildFailed, match="File exists"):
        write_site({"a/index.html": "x", "a//index.html": "y"}, None, tmp_path / "output")
