"""Write the site into a staging folder, then swap it into place.

Nothing touches the live ``output/`` until every page has been written and
indexed beside it; then the two folders trade places in one step (Linux's
``renameat2(RENAME_EXCHANGE)``, two renames elsewhere).  A failure or
Ctrl-C at any moment leaves the previous site as it was and removes the
staging folder.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import errno
import os
import pickle
import shutil
import signal
import tempfile
import traceback
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .cache import file_identity
from .errors import BuildFailed, ContentError

# Files that would change how Netlify serves the site if a pull request could
# smuggle them into the published folder.
HOST_CONFIG_FILES = frozenset({"_headers", "_redirects", "netlify.toml"})


@dataclass
class WriteReport:
    rendered: int  # pages rendered this time
    reused: int  # pages linked unchanged from the previous output
    manifest: dict  # page path -> (inputs key, size, mtime_ns, inode), for the next build
    collected: list = field(default_factory=list)  # what each rendering process handed back


def write_site(jobs: Sequence, render: Callable, key_of: Callable, static_dir: Path | None, output_dir: Path,
               index: Callable[[Path], None] | None = None, previous: Mapping | None = None,
               workers: int = 1, collect: Callable[[], object] | None = None,
               keep_search: bool = False, partial: set[str] | None = None) -> WriteReport:
    """Render and write every page, index them, and publish the result as ``output_dir``.

    A page whose inputs key matches ``previous`` (the last build's manifest
    for this very output folder) and whose file is untouched since is not
    rendered again: it keeps its bytes and modification time.

    Two ways to publish, both leaving the old site whole if anything fails:

    - full: every page goes into a new staging folder (unchanged ones as hard
      links), which is then swapped with ``output_dir`` in one step.  Used for
      the first build and whenever the search index is rebuilt.
    - incremental (no ``previous`` mismatch, no index): only the changed pages
      are rendered into a small staging folder; then, with Ctrl-C held back,
      they are renamed into place and the pages that no longer exist are
      deleted.  Renames need no disk space, so nothing can fail half-way
      for want of it.  ``keep_search`` leaves an existing search index for a
      background indexer to replace; otherwise a stale one is removed.

    ``partial``: ``jobs`` cover only the pages a change can have touched;
    the other pages of ``previous`` stand as they are, and of the paths in
    ``partial`` (what the touched items had before) those no longer planned
    are deleted.
    """
    output_dir = output_dir.absolute()
    _refuse_duplicates(jobs)
    previous = previous or {}
    incremental = index is None and bool(previous) and output_dir.is_dir()
    if partial is not None and not incremental:
        raise ValueError("a partial plan needs an incremental write")
    try:
        output_dir.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{output_dir.name}.staging-", dir=output_dir.parent))
    except OSError as error:
        raise BuildFailed([_write_error(output_dir, error)]) from None
    retired = staging
    try:
        manifest, to_render = _sort_out(jobs, key_of, previous, output_dir)
        reused = len(manifest)
        if not incremental:
            _link_unchanged(manifest, output_dir, staging)
        records, collected = render_pages(staging, to_render, render, key_of, workers, collect)
        manifest.update(records)
        static = copy_static(static_dir, staging / "static", output_dir / "static" if incremental else None) \
            if static_dir is not None and static_dir.is_dir() else []
        if index is not None:
            index(staging)
        if partial is not None:
            stale = [path for path in partial if path not in manifest and path in previous]
            manifest = {**{k: v for k, v in previous.items() if k not in partial}, **manifest}
        elif incremental:
            stale = [path for path in previous if path not in manifest]
        if incremental:
            stale += _stale_static(static_dir, output_dir / "static")
            _apply_changes(staging, output_dir, [*records, *static], stale, keep_search)
        else:
            os.chmod(staging, 0o755)  # mkdtemp makes it private; a web server must read it
            retired = swap_into_place(staging, output_dir)
    except OSError as error:  # disk full, read-only folder: a clear message, never a traceback
        shutil.rmtree(staging, ignore_errors=True)
        raise BuildFailed([_write_error(output_dir, error)]) from None
    except BaseException:  # including Ctrl-C: the staging folder must not outlive the build
        shutil.rmtree(staging, ignore_errors=True)
        raise
    if retired is not None:
        shutil.rmtree(retired, ignore_errors=True)
    return WriteReport(len(to_render), reused, manifest, collected)


def _refuse_duplicates(jobs: Sequence) -> None:
    seen: set[str] = set()
    for job in jobs:
        if job.path in seen:
            raise BuildFailed([ContentError(job.path, None, None, "two pages would be written to this path",
                                            "this is a bug in Panchina: please report it")])
        seen.add(job.path)


def _sort_out(jobs, key_of, previous, output_dir: Path) -> tuple[dict, list]:
    """Split the jobs into pages unchanged since the last build and pages to render."""
    manifest, to_render = {}, []
    root = os.fspath(output_dir)
    for job in jobs:
        key = key_of(job)
        old = previous.get(job.path)
        if old is not None and old[0] == key:
            try:
                # The inode, size and mtime recorded when we wrote it: the file is ours and untouched.
                if file_identity(os.lstat(os.path.join(root, check_relative(job.path)))) == tuple(old[1:]):
                    manifest[job.path] = old
                    continue
            except OSError:
                pass  # gone or unreadable: render it again
        to_render.append((job, key))
    return manifest, to_render


def _link_unchanged(manifest: dict, output_dir: Path, staging: Path) -> None:
    """Hard-link the unchanged pages into the staging folder (copy them where links are not possible)."""
    made: set[str] = set()
    old_root, new_root = os.fspath(output_dir), os.fspath(staging)
    for relative in manifest:
        folder = os.path.dirname(relative)
        if folder and folder not in made:
            os.makedirs(os.path.join(new_root, folder), exist_ok=True)
            made.add(folder)
        source, target = os.path.join(old_root, relative), os.path.join(new_root, relative)
        try:
            os.link(source, target)
        except OSError as error:
            if error.errno not in (errno.EPERM, errno.EXDEV, errno.EMLINK, errno.ENOTSUP):
                raise
            shutil.copy2(source, target)  # same bytes and mtime; a new inode, so note it
            manifest[relative] = (manifest[relative][0], *file_identity(os.lstat(target)))


def _apply_changes(staging: Path, output_dir: Path, changed: list[str], stale: list[str], keep_search: bool) -> None:
    """Move the staged pages into place and delete the stale ones, with Ctrl-C held back."""
    old_mask = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM})
    try:
        for relative in changed:
            target = os.path.join(output_dir, relative)
            os.makedirs(os.path.dirname(target), exist_ok=True)
            os.replace(os.path.join(staging, relative), target)
        for relative in stale:
            try:
                os.unlink(os.path.join(output_dir, relative))
            except FileNotFoundError:
                pass
            _remove_empty_folders(output_dir, os.path.dirname(relative))
        if not keep_search:
            shutil.rmtree(output_dir / "pagefind", ignore_errors=True)  # an index of an older site
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old_mask)


def _remove_empty_folders(root: Path, folder: str) -> None:
    while folder:
        try:
            os.rmdir(os.path.join(root, folder))
        except OSError:
            return  # not empty (or gone): its parents are not empty either
        folder = os.path.dirname(folder)


def render_pages(staging: Path, work: list, render: Callable, key_of: Callable, workers: int,
                 collect: Callable[[], object] | None) -> tuple[dict, list]:
    """Render and write ``work`` (job, key pairs), over several processes when it is large.

    Each process renders and writes its own share straight into the staging
    folder, so no page travels between processes; only the manifest records
    (and whatever ``collect`` returns, such as newly rendered bodies) come back.
    """
    def run(share) -> dict:
        records = {}
        for job, key in share:
            data = render(job).encode("utf-8")
            target = write_file(staging, job.path, data)
            records[job.path] = (key, *file_identity(target.lstat()))
        return records

    if workers <= 1 or len(work) < PARALLEL_THRESHOLD or not hasattr(os, "fork"):
        return run(work), [collect() if collect else None]
    shares = [work[start::workers] for start in range(workers)]
    children = [_fork_worker(staging, run, share, collect) for share in shares[1:]]
    try:
        records = run(shares[0])
        collected = [collect() if collect else None]
        for pid, result_path in children:
            child_records, child_collected = _join_worker(pid, result_path)
            records.update(child_records)
            collected.append(child_collected)
        children = []
        return records, collected
    finally:
        for pid, result_path in children:  # only left when something failed: stop the others
            _stop_worker(pid, result_path)


PARALLEL_THRESHOLD = 300  # below this many pages, starting processes costs more than it saves


def _fork_worker(staging: Path, run, share, collect) -> tuple[int, str]:
    # The result file lives in the staging folder, so even a crash leaves nothing behind.
    fd, result_path = tempfile.mkstemp(prefix=".worker-", dir=staging)
    os.close(fd)
    pid = os.fork()
    if pid == 0:  # the child: render its share, hand back the result through a file, exit at once
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
        try:
            outcome = ("ok", (run(share), collect() if collect else None))
        except BuildFailed as failure:
            outcome = ("failed", failure.errors)
        except OSError as error:
            outcome = ("oserror", (error.errno, error.strerror, error.filename))
        except BaseException as error:  # noqa: BLE001 — reported by the parent
            outcome = ("crashed", "".join(traceback.format_exception(error)))
        try:
            with open(result_path, "wb") as handle:
                pickle.dump(outcome, handle, protocol=pickle.HIGHEST_PROTOCOL)
        finally:
            os._exit(0)
    return pid, result_path


def _join_worker(pid: int, result_path: str):
    os.waitpid(pid, 0)
    try:
        with open(result_path, "rb") as handle:
            status, value = pickle.load(handle)
    except (OSError, EOFError, pickle.PickleError) as error:
        raise RuntimeError(f"a rendering process ended without a result: {error}") from None
    finally:
        Path(result_path).unlink(missing_ok=True)
    if status == "ok":
        return value
    if status == "failed":
        raise BuildFailed(value)
    if status == "oserror":
        raise OSError(*value)
    raise RuntimeError(f"a rendering process failed:\n{value}")


def _stop_worker(pid: int, result_path: str) -> None:
    try:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
    except (ProcessLookupError, ChildProcessError):
        pass
    Path(result_path).unlink(missing_ok=True)


def _write_error(output_dir: Path, error: OSError) -> ContentError:
    reason = error.strerror or str(error)
    return ContentError(output_dir.as_posix(), None, "output", f"could not write the site: {reason}",
                        "free some disk space or make the folder writable; the previous site was left as it was")


def check_relative(relative: str) -> str:
    """``relative`` itself, if it can only name a file inside the folder it is joined to."""
    parts = relative.split("/")
    if (not relative or relative.startswith("/") or "\\" in relative or "\0" in relative
            or any(part in ("", ".", "..") or part.startswith(".") for part in parts)
            or parts[-1] in HOST_CONFIG_FILES):
        raise BuildFailed([ContentError(relative, None, None, "refused to write a page outside the output folder",
                                        "this is a bug in Panchina: please report it")])
    return relative


def safe_target(root: Path, relative: str) -> Path:
    """``root/relative``, refusing any path that could land outside ``root``.

    The checks are on the text alone: ``root`` is a folder this build made,
    holding no links, so a path without ``..``, absolute parts or hidden
    names cannot leave it.
    """
    return root / check_relative(relative)


def write_file(root: Path, relative: str, data: bytes) -> Path:
    target = safe_target(root, relative)
    target.parent.mkdir(parents=True, exist_ok=True)
    with open(target, "xb") as handle:  # "x": the same page written twice is a bug, not an overwrite
        handle.write(data)
    return target


def copy_static(static_dir: Path, target_dir: Path, published: Path | None = None) -> list[str]:
    """Copy the theme's static files; links and host config files are never copied.

    With ``published`` (the live site's static folder), a file whose size and
    modification time match the published copy is skipped.  Returns the
    copied files' paths relative to the site root.
    """
    copied = []
    for folder, dirnames, filenames in os.walk(static_dir):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith(".") and not (Path(folder) / d).is_symlink())
        for name in sorted(filenames):
            source = Path(folder) / name
            if name.startswith(".") or name in HOST_CONFIG_FILES or source.is_symlink():
                continue
            relative = source.relative_to(static_dir).as_posix()
            if published is not None and _same_file(source, published / relative):
                continue
            target = safe_target(target_dir, relative)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)  # keeps the modification time: unchanged files stay unchanged
            copied.append(f"{target_dir.name}/{relative}")
    return copied


def _stale_static(static_dir: Path | None, published: Path) -> list[str]:
    """Published static files whose source is gone."""
    if not published.is_dir():
        return []
    stale = []
    for path in published.rglob("*"):
        relative = path.relative_to(published)
        if path.is_file() and (static_dir is None or not (static_dir / relative).is_file()):
            stale.append(f"static/{relative.as_posix()}")
    return stale


def _same_file(source: Path, copy: Path) -> bool:
    try:
        mine, theirs = source.stat(), copy.stat()
    except OSError:
        return False
    return (mine.st_size, mine.st_mtime_ns) == (theirs.st_size, theirs.st_mtime_ns)


def swap_into_place(staging: Path, output_dir: Path) -> Path | None:
    """Make ``staging`` the new ``output_dir``; return the old folder's new name, if any."""
    if not output_dir.exists():
        os.rename(staging, output_dir)
        return None
    if _exchange(staging, output_dir):
        return staging  # the old site now lives at the staging path
    retired = Path(tempfile.mkdtemp(prefix=f".{output_dir.name}.old-", dir=output_dir.parent))
    os.rename(output_dir, retired / "site")
    os.rename(staging, output_dir)
    return retired


def _exchange(first: Path, second: Path) -> bool:
    """Atomically swap two paths (Linux renameat2); False where unsupported."""
    libc_name = ctypes.util.find_library("c")
    if not libc_name:
        return False
    libc = ctypes.CDLL(libc_name, use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is None:
        return False
    at_fdcwd, rename_exchange = -100, 2
    result = renameat2(at_fdcwd, os.fsencode(first), at_fdcwd, os.fsencode(second), rename_exchange)
    return result == 0
