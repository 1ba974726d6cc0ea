"""Writing the site: staged, swapped into place, never outside the output folder."""

import os
import signal
from types import SimpleNamespace

import pytest

from panchina.errors import BuildFailed
from panchina.output import SITE_MARKER, safe_target
from panchina.output import write_site as write_jobs
from tests.conftest import folder_files


def text_renderer(render=lambda page: page.text):
    """What write_site needs of a renderer: pages here carry their own text."""
    return SimpleNamespace(render=render, take_new_bodies=lambda: {})


def write_site(pages, static_dir, output, index=None, previous=None, workers=1):
    """Write ``pages`` (path -> text) the way a build does; each page's key is its text."""
    plan = [(SimpleNamespace(path=path, text=text), text) for path, text in pages.items()]
    return write_jobs(plan, text_renderer(), static_dir, output, index=index, previous=previous, workers=workers)


def files(folder):
    """The site's files, without the marker that signs every published site as Panchina's."""
    return folder_files(folder, lambda name: name != SITE_MARKER)


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
    plan = [(SimpleNamespace(path="a/index.html", text=text), text) for text in "xy"]
    with pytest.raises(BuildFailed, match="two pages would be written to this path"):
        write_jobs(plan, text_renderer(), None, tmp_path / "output")


def test_an_incremental_write_touches_only_what_changed(tmp_path):
    output = tmp_path / "output"
    first = write_site({"a/index.html": "a", "b/index.html": "b", "c/index.html": "c"}, None, output)
    before = {name: (output / name).stat() for name in ("a/index.html", "b/index.html")}
    report = write_site({"a/index.html": "a", "b/index.html": "B"}, None, output, previous=first.manifest)
    assert (report.rendered, len(report.manifest)) == (1, 2)
    assert files(output) == {"a/index.html": b"a", "b/index.html": b"B"}
    after = (output / "a/index.html").stat()
    assert (after.st_ino, after.st_mtime_ns) == (before["a/index.html"].st_ino, before["a/index.html"].st_mtime_ns)
    assert not (output / "c").exists()  # the stale page and its folder are gone
    assert sorted(p.name for p in tmp_path.iterdir()) == ["output"]


def test_a_page_changed_by_hand_is_rendered_again(tmp_path):
    output = tmp_path / "output"
    first = write_site({"a/index.html": "a"}, None, output)
    (output / "a/index.html").write_text("tampered")
    write_site({"a/index.html": "a"}, None, output, previous=first.manifest)
    assert files(output) == {"a/index.html": b"a"}


def test_parallel_rendering_writes_every_page_once(tmp_path):
    pages = {f"p{i}/index.html": f"page {i}" for i in range(700)}
    report = write_site(pages, None, tmp_path / "output", workers=2)
    assert report.rendered == 700
    assert files(tmp_path / "output") == {k: v.encode() for k, v in pages.items()}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["output"]


def test_a_failure_in_a_rendering_process_leaves_the_old_site(tmp_path):
    output = tmp_path / "output"
    write_site({"index.html": "good"}, None, output)
    plan = [(SimpleNamespace(path=f"p{i}/index.html", text=str(i)), str(i)) for i in range(700)]

    def render(page):
        if page.path == "p699/index.html":
            raise BuildFailed([])
        return page.text

    with pytest.raises(BuildFailed):
        write_jobs(plan, text_renderer(render), None, output, workers=2)
    assert files(output) == {"index.html": b"good"}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["output"]


def test_a_file_that_cannot_be_read_is_not_blamed_on_the_disk(tmp_path):
    import errno

    from panchina.output import _write_error

    output = tmp_path / "output"
    unreadable = _write_error(output, OSError(errno.EIO, "Input/output error", str(tmp_path / "static/style.css")))
    assert str(unreadable) == (f"{(tmp_path / 'static/style.css').as_posix()}: could not be read: Input/output error — "
                               "check that it exists and is readable; the previous site was left as it was")
    full = _write_error(output, OSError(errno.ENOSPC, "No space left on device", str(tmp_path / ".output.staging-x/a")))
    assert str(full) == (f"{output.as_posix()}: output: could not write the site: No space left on device — "
                         "free some disk space; the previous site was left as it was")
