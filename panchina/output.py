"""Write the site into a staging folder, then swap it into place.

Nothing touches the live ``output/`` until every page has been written and
indexed beside it; then the two folders trade places in one step (Linux's
``renameat2(RENAME_EXCHANGE)``, two renames elsewhere).  A failure or
Ctrl-C at any moment leaves the previous site as it was and removes the
staging folder.  A build killed outright (SIGKILL, the machine losing
power) cannot clean up; the folders it leaves carry its process id in their
name, and the next build removes those whose process is gone.
"""

from __future__ import annotations

import errno
import hashlib
import os
import re
import shutil
import signal
import stat
import tempfile
import threading
import traceback
from collections.abc import Callable, Container, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from .cache import file_identity
from .errors import BuildFailed, ContentError, Inconsistent
from .files import HOST_CONFIG_FILES, is_ignored_name, is_safe_relative, kind_of
from .workers import ignore_interrupts

# Written into every site published, so that a later build knows the folder is ours to replace.
SITE_MARKER = ".panchina-site"
MARKER_TEXT = "This folder is a site built by Panchina. Each build replaces everything in it.\n"


@dataclass
class Written:
    """What a write did: for the summary, the next build's manifest and the body cache."""

    rendered: int  # pages rendered this time
    manifest: dict  # page path -> (page key, size, mtime_ns, inode, hash of the bytes), for the next build
    bodies: list = field(default_factory=list)  # the bodies each rendering process rendered


@dataclass
class Staged:
    """A staging folder beside the output folder, holding what the next site needs."""

    folder: Path
    whole: bool  # holds the complete site (unchanged pages as hard links), to be swapped in
    manifest: dict
    changed: list[str]  # files written into it: pages rendered and static files copied
    stale: list[str]  # published files that the new site no longer has
    rendered: int
    bodies: list


def write_site(plan: Sequence[tuple], renderer, static_dir: Path | None, output_dir: Path,
               previous: Mapping | None = None, index: Callable[[Path], None] | None = None,
               workers: int = 1, keep_search: bool = False, trusted: bool = True,
               by_hand: Container[str] | None = None) -> Written:
    """Stage → index → publish: the new site replaces ``output_dir`` only once it is complete.

    ``plan``: (page, key) pairs; ``renderer``: ``render(page) -> str`` and
    ``take_new_bodies() -> dict`` (see render.Renderer).  A page whose key matches ``previous`` (the
    last build's manifest for this very output folder) and whose file is
    untouched since keeps its bytes, inode and modification time.  With
    ``trusted`` false, ``previous`` describes a copy of this folder (a
    folder restored from a build cache: every inode and mtime new), so a
    page is kept only when its bytes hash to what was written, and the site
    is staged whole.  ``by_hand``: the pages known changed by hand, when
    the caller looks over the page files itself: the preview after each
    build (``pages_changed_by_hand``, once the browser has its page), the
    command line while it reads its cache (``lookahead.LookAhead``, a second
    before it writes).  Then a page whose key is unchanged and that is not
    among them keeps its file without a look here: at 17,000 pages, one
    lstat each was a quarter of the preview's answer to a save.  (Not when
    the site is staged whole: then every kept page is linked, and looked at
    first.)

    With a search ``index``, or on a first build, the staging folder holds
    the whole site (unchanged pages hard-linked), is indexed, and is swapped
    with ``output_dir`` in one step.  Otherwise it holds the changed pages
    only, which are renamed into place with Ctrl-C held back (renames need
    no disk space, so nothing can fail half-way for want of it); a search
    index of the older site is removed then, unless ``keep_search`` (the
    preview refreshes it in the background).
    """
    output_dir = output_dir.absolute()
    _refuse_duplicates(page for page, _ in plan)
    previous = previous or {}
    # A folder this build did not sign (changed by hand, or replaced since, even under the same
    # inode) is replaced whole, never written into.
    whole = index is not None or not previous or not trusted or not (output_dir / SITE_MARKER).is_file()
    # A whole site links every kept page into the staging folder: each must be there, so each is looked at.
    staged = stage(plan, renderer, static_dir, output_dir, previous, whole, workers, trusted,
                   None if whole else by_hand)
    if not staged.whole and _in_the_way(output_dir, [*staged.changed, *staged.stale]):
        # A folder changed by hand into a link (writing into it would write wherever it leads) or a
        # page into a folder: the whole site is staged instead, and the folder replaced.
        shutil.rmtree(staged.folder, ignore_errors=True)
        staged = stage(plan, renderer, static_dir, output_dir, previous, True, workers, trusted)
    try:
        if index is not None:
            index(staged.folder)
        publish(staged, output_dir, keep_search)
    except OSError as error:  # disk full, read-only folder: a clear message, never a traceback
        shutil.rmtree(staged.folder, ignore_errors=True)
        raise BuildFailed([_write_error(output_dir, error)]) from None
    except BaseException:  # including Ctrl-C: the staging folder must not outlive the build
        shutil.rmtree(staged.folder, ignore_errors=True)
        raise
    return Written(staged.rendered, staged.manifest, staged.bodies)


def stage(plan, renderer, static_dir, output_dir: Path, previous: Mapping, whole: bool, workers: int,
          trusted: bool = True, by_hand: Container[str] | None = None) -> Staged:
    """Render what changed (and, for a whole site, link what did not) into a new staging folder."""
    try:
        output_dir.parent.mkdir(parents=True, exist_ok=True)
        remove_abandoned(output_dir)
        folder = Path(tempfile.mkdtemp(prefix=_prefix(output_dir, "staging"), dir=output_dir.parent))
    except OSError as error:
        raise BuildFailed([_write_error(output_dir, error)]) from None
    try:
        manifest, to_render = _sort_out(plan, previous, output_dir, trusted, by_hand)
        if whole:
            _link_unchanged(manifest, output_dir, folder)
        records, bodies = render_pages(folder, to_render, renderer, workers)
        manifest.update(records)
        static = copy_static(static_dir, folder / "static", None if whole else output_dir / "static") \
            if static_dir is not None and static_dir.is_dir() else []
        stale = [] if whole else [*(path for path in previous if path not in manifest),
                                  *_stale_static(static_dir, output_dir / "static")]
        return Staged(folder, whole, manifest, [*records, *static], stale, len(to_render), bodies)
    except OSError as error:
        shutil.rmtree(folder, ignore_errors=True)
        raise BuildFailed([_write_error(output_dir, error)]) from None
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise


def publish(staged: Staged, output_dir: Path, keep_search: bool) -> None:
    """Make the staged site the live one: swap the whole folder, or move the changed files in."""
    if staged.whole:
        os.chmod(staged.folder, 0o755)  # mkdtemp makes it private; a web server must read it
        mark_as_site(staged.folder)
        retired = swap_into_place(staged.folder, output_dir)
        if retired is not None:
            shutil.rmtree(retired, ignore_errors=True)
        return
    with signals_held():
        for relative in staged.changed:
            target = os.path.join(output_dir, relative)
            os.makedirs(os.path.dirname(target), exist_ok=True)
            os.replace(os.path.join(staged.folder, relative), target)
        for relative in staged.stale:
            try:
                os.unlink(os.path.join(output_dir, relative))
            except FileNotFoundError:
                pass
            _remove_empty_folders(output_dir, os.path.dirname(relative))
        if not keep_search:
            shutil.rmtree(output_dir / "pagefind", ignore_errors=True)  # an index of an older site
    shutil.rmtree(staged.folder, ignore_errors=True)


def mark_as_site(folder: Path) -> None:
    """Sign a site as Panchina's, so a later build knows it may replace the folder."""
    (folder / SITE_MARKER).write_text(MARKER_TEXT, encoding="utf-8")


def check_output_folder(output: Path, sources: Sequence[Path], force: bool = False) -> None:
    """Refuse an output folder whose replacement would delete what no build of ours wrote.

    Publishing swaps a whole new folder in place of ``output``, so whatever
    it held is gone.  The project, its sources and Git's own folder are
    never replaced, nor is a file; any other folder only when it is new,
    empty or a site that Panchina published (or with ``force``).
    """
    problem = _protected_folder_problem(output, sources) or _not_a_folder_problem(output)
    if problem is None and not force:
        problem = _not_our_site_problem(output)
    if problem is not None:
        raise BuildFailed([ContentError(output.as_posix(), None, "output", *problem)])


def _protected_folder_problem(output: Path, sources: Sequence[Path]) -> tuple[str, str] | None:
    """The project folder, the sources and Git's folders: never replaced, never written into."""
    resolved, project = output.resolve(), Path.cwd().resolve()
    for folder in (project, *(source.resolve() for source in sources)):
        inside = resolved.is_relative_to(folder) and folder != project  # output/ sits inside the project
        if resolved == folder or folder.is_relative_to(resolved) or inside:
            return (f"the output folder would replace or sit inside {folder.as_posix()}",
                    "choose a separate folder such as output/")
    if ".git" in resolved.parts or (resolved / ".git").exists():
        return ("the output folder would replace or sit inside a Git repository's own files",
                "choose a separate folder such as output/")
    return None


def _not_a_folder_problem(output: Path) -> tuple[str, str] | None:
    """A link or a file in the output's place: a build would replace it with a folder."""
    if output.is_symlink():
        real = Path(os.path.realpath(output)).as_posix()
        return (f"is a link to {real}, and a build would replace the link with a folder",
                f"give the folder itself: --output {real}")
    if output.exists() and not output.is_dir():
        return ("is a file, not a folder, and a build would replace it",
                "choose a folder for the site, such as output/")
    return None


def _not_our_site_problem(output: Path) -> tuple[str, str] | None:
    """A folder holding anything a Panchina build did not publish."""
    if not output.exists():
        return None
    names = sorted(os.listdir(output))
    if not names or SITE_MARKER in names or _looks_like_an_older_site(output, names):
        return None
    return (f"this folder holds files that no Panchina build wrote, such as '{names[0]}', and a build would "
            "delete them", "choose a new or empty folder such as output/, or pass --force to replace it")


def _looks_like_an_older_site(output: Path, names: list[str]) -> bool:
    """Sites built before the marker existed: a home page, a sitemap and the theme's folder."""
    return {"index.html", "sitemap.xml", "static"} <= set(names) and (output / "static").is_dir()


@contextmanager
def signals_held():
    """Ctrl-C and SIGTERM wait until the block is done (in the main thread; elsewhere they cannot arrive)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    old_mask = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old_mask)


def _refuse_duplicates(pages) -> None:
    paths = [page.path for page in pages]
    if len(set(paths)) == len(paths):
        return
    seen: set[str] = set()
    for path in paths:
        if path in seen:
            raise Inconsistent([ContentError(path, None, None, "two pages would be written to this path",
                                            "this is a bug in Panchina: please report it")])
        seen.add(path)


def _sort_out(plan, previous, output_dir: Path, trusted: bool = True,
              by_hand: Container[str] | None = None) -> tuple[dict, list]:
    """Split the plan into pages unchanged since the last build and pages to render.

    A path found in ``previous`` is joined to the folder as it is: the
    manifest holds only paths a build wrote, and every path read from the
    cache was checked there (``cache._read``).  A warm build looks at
    17,000 pages here, so the loop does no more than it must.
    """
    manifest, to_render = {}, []
    root = os.path.join(os.fspath(output_dir), "")
    for page, key in plan:
        path = page.path
        old = previous.get(path)
        if old is None or old[0] != key:
            to_render.append((page, key))
        elif by_hand is not None and path not in by_hand:  # its file was looked at (see write_site)
            manifest[path] = old
        elif (kept := _unchanged(root + path, old, trusted)) is not None:
            manifest[path] = kept
        else:
            to_render.append((page, key))
    return manifest, to_render


def _in_the_way(output_dir: Path, relatives: list[str]) -> bool:
    """Whether writing or removing these files in the live folder would go through a link, or meet
    something other than a folder where a folder is, or a folder where a file goes."""
    root = os.fspath(output_dir)
    looked: set[str] = set()
    for relative in relatives:
        try:
            if stat.S_ISDIR(os.lstat(os.path.join(root, relative)).st_mode):
                return True
        except FileNotFoundError:
            pass
        except OSError:
            return True
        folder = os.path.dirname(relative)
        while folder and folder not in looked:
            looked.add(folder)
            try:
                if not stat.S_ISDIR(os.lstat(os.path.join(root, folder)).st_mode):
                    return True
            except FileNotFoundError:
                pass  # made by the publish step, inside folders looked at here too
            except OSError:
                return True
            folder = os.path.dirname(folder)
    return False


def pages_changed_by_hand(output_dir: Path, manifest: Mapping) -> list[str]:
    """The pages of ``manifest`` whose file is not the one the build wrote: changed, replaced or removed
    since (see ``write_site``'s ``by_hand``)."""
    root = os.path.join(os.fspath(output_dir), "")
    return [relative for relative, entry in manifest.items() if _unchanged(root + relative, entry, True) is None]


def output_identity(output: Path) -> str:
    """The output folder's path and inode: a full build swaps in a new folder, and so a new inode,
    so a manifest can never describe a folder that another build has replaced."""
    try:
        return f"{output.as_posix()}\0{output.stat().st_ino}"
    except OSError:
        return ""


def pages_not_as_written(output_dir: Path, written: list[tuple]) -> list[str]:
    """Of ``written``'s pages, each ``(path, size, mtime_ns, inode)`` as the manifest holds it, those whose
    file is not that one now (changed, replaced, removed or copied since): a look over every page with
    one lstat each and no reading, for ``lookahead.LookAhead``."""
    root = os.path.join(os.fspath(output_dir), "")
    found = []
    for relative, *identity in written:
        try:
            if file_identity(os.lstat(root + relative)) == tuple(identity):
                continue
        except OSError:
            pass
        found.append(relative)
    return found


def _unchanged(path: str, old: tuple, trusted: bool) -> tuple | None:
    """The manifest entry of a page file still holding what was written under ``old``, else None.

    The inode, size and mtime recorded when we wrote it say so at the cost
    of one lstat; a file whose identity is new (restored from a cache, or
    copied) must hash to the bytes we wrote.
    """
    try:
        info = os.lstat(path)
        identity = (info.st_size, info.st_mtime_ns, info.st_ino)  # cache.file_identity, inlined: 17,000 calls
        if trusted and identity == old[1:4]:  # entries are tuples: a list would only cost a hash
            return old
        if identity[0] != old[1] or not stat.S_ISREG(info.st_mode):
            return None  # a link is never kept, even to a copy of the page: the site would serve its target
        with open(path, "rb") as handle:
            if bytes_hash(handle.read()) == old[4]:
                return (old[0], *identity, old[4])
    except OSError:
        pass  # gone or unreadable: render it again
    return None


def bytes_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:32]  # in hardware (see cache.content_hash)


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
            manifest[relative] = (manifest[relative][0], *file_identity(os.lstat(target)), manifest[relative][4])


def _remove_empty_folders(root: Path, folder: str) -> None:
    while folder:
        try:
            os.rmdir(os.path.join(root, folder))
        except OSError:
            return  # not empty (or gone): its parents are not empty either
        folder = os.path.dirname(folder)


PARALLEL_THRESHOLD = 300  # below this many pages, starting processes costs more than it saves
_WORK: tuple = ()  # (staging folder, work, render): set before the pool forks, inherited by its processes


def render_pages(staging: Path, work: list, renderer, workers: int) -> tuple[dict, list]:
    """Render and write ``work`` ((page, key) pairs), over a pool of processes when it is large.

    Each process renders and writes its share straight into the staging
    folder, so no page travels between processes; only the manifest records
    and the newly rendered bodies come back.  The processes are forked, so
    they share the model built in this one without copying it.
    """
    global _WORK
    if workers <= 1 or len(work) < PARALLEL_THRESHOLD or not hasattr(os, "fork"):
        return _render_share(staging, work, renderer), [renderer.take_new_bodies()]
    _WORK = (staging, work, renderer)
    shares = [range(start, len(work), workers * 4) for start in range(workers * 4)]
    import multiprocessing  # only here: a warm build never starts a pool (see workers.forked_map)

    pool = multiprocessing.get_context("fork").Pool(workers, initializer=ignore_interrupts)
    try:
        records, bodies = {}, []
        for outcome, value in pool.imap_unordered(_render_indices, shares):
            if outcome == "failed":
                raise BuildFailed(value)
            if outcome == "oserror":
                raise OSError(*value)
            if outcome == "crashed":
                raise RuntimeError(f"a rendering process failed:\n{value}")
            records.update(value[0])
            bodies.append(value[1])
        pool.close()
        return records, bodies
    finally:
        pool.terminate()  # stops the others at once when one failed or Ctrl-C came
        pool.join()
        _WORK = ()


def _render_share(staging: Path, share, renderer) -> dict:
    records = {}
    for page, key in share:
        data = renderer.render(page).encode("utf-8")
        target = write_file(staging, page.path, data)
        records[page.path] = (key, *file_identity(target.lstat()), bytes_hash(data))
    return records


def _render_indices(indices: range):
    """In a pool process: render a share of the work; failures come back as values, not exceptions."""
    staging, work, renderer = _WORK
    try:
        return "ok", (_render_share(staging, [work[i] for i in indices], renderer), renderer.take_new_bodies())
    except BuildFailed as failure:
        return "failed", failure.errors
    except OSError as error:
        return "oserror", (error.errno, error.strerror, error.filename)
    except Exception as error:  # noqa: BLE001 — reported by the parent
        return "crashed", "".join(traceback.format_exception(error))


def _write_error(output_dir: Path, error: OSError) -> ContentError:
    """Say what failed in terms of what to do: space, permissions, or a file that could not be read."""
    reason = error.strerror or str(error)
    if error.errno == errno.ENOSPC or error.errno == errno.EDQUOT:
        hint = "free some disk space"
    elif error.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
        hint = "make the folder writable"
    else:
        hint = "check the folder"
    place = error.filename and os.fspath(error.filename)
    if place and not _is_beside(Path(place), output_dir):
        return ContentError(Path(place).as_posix(), None, None, f"could not be read: {reason}",
                            "check that it exists and is readable; the previous site was left as it was")
    return ContentError(output_dir.as_posix(), None, "output", f"could not write the site: {reason}",
                        f"{hint}; the previous site was left as it was")


def _is_beside(path: Path, output_dir: Path) -> bool:
    """True for the output folder and the staging folders next to it."""
    try:
        relative = path.absolute().relative_to(output_dir.parent)
    except ValueError:
        return False
    return relative.parts[:1] == (output_dir.name,) or relative.parts[:1] and \
        relative.parts[0].startswith(f".{output_dir.name}.")




def check_relative(relative: str) -> str:
    """``relative`` itself, if it can only name a file inside the folder it is joined to."""
    if not is_safe_relative(relative):
        raise Inconsistent([ContentError(relative, None, None, "refused to write a page outside the output folder",
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
        dirnames[:] = sorted(d for d in dirnames if not is_ignored_name(d) and not (Path(folder) / d).is_symlink())
        for name in sorted(filenames):
            source = Path(folder) / name
            if is_ignored_name(name) or name in HOST_CONFIG_FILES or source.is_symlink():
                continue
            _refuse_special_file(source)
            relative = source.relative_to(static_dir).as_posix()
            if published is not None and _same_file(source, published / relative):
                continue
            target = safe_target(target_dir, relative)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)  # keeps the modification time: unchanged files stay unchanged
            copied.append(f"{target_dir.name}/{relative}")
    return copied


def _refuse_special_file(source: Path) -> None:
    """A named pipe in static/ would hang the copy: refuse it, naming it."""
    mode = source.lstat().st_mode
    if not stat.S_ISREG(mode):
        raise BuildFailed([ContentError(source.as_posix(), None, None, f"is {kind_of(mode)}, not a file",
                                        "delete it: only ordinary files are published from the static folder")])


def _stale_static(static_dir: Path | None, published: Path) -> list[str]:
    """Published static files whose source is gone."""
    if not published.is_dir():
        return []
    stale = []
    for path in published.rglob("*"):
        relative = path.relative_to(published)
        if path.is_file() and (static_dir is None or not (static_dir / relative).is_file()
                               or any(is_ignored_name(part) for part in relative.parts)):
            stale.append(f"static/{relative.as_posix()}")
    return stale


def _same_file(source: Path, copy: Path) -> bool:
    try:
        mine, theirs = source.stat(), copy.stat()
    except OSError:
        return False
    return (mine.st_size, mine.st_mtime_ns) == (theirs.st_size, theirs.st_mtime_ns)


def _prefix(output_dir: Path, role: str) -> str:
    """``.output.staging-<pid>-``: whose folder it is, so that a later build can tell an abandoned one."""
    return f".{output_dir.name}.{role}-{os.getpid()}-"


def remove_abandoned(output_dir: Path) -> None:
    """Delete the staging and retired folders of builds that were killed before they could.

    Only folders named as ours for this output folder, and only when their
    process no longer runs: a build running beside this one keeps its own.
    """
    ours = re.compile(rf"\.{re.escape(output_dir.name)}\.(staging|old)-(\d+)-[^/]+", re.ASCII)
    try:
        entries = list(os.scandir(output_dir.parent))
    except OSError:
        return
    for entry in entries:
        found = ours.fullmatch(entry.name)
        if found and entry.is_dir(follow_symlinks=False) and not _running(int(found.group(2))):
            shutil.rmtree(entry.path, ignore_errors=True)


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError):
        return True  # someone else's process (or a number too large to be one): leave its folder alone
    return True


def swap_into_place(staging: Path, output_dir: Path) -> Path | None:
    """Make ``staging`` the new ``output_dir``; return the old folder's new name, if any."""
    if not output_dir.exists():
        os.rename(staging, output_dir)
        return None
    if _exchange(staging, output_dir):
        return staging  # the old site now lives at the staging path
    retired = Path(tempfile.mkdtemp(prefix=_prefix(output_dir, "old"), dir=output_dir.parent))
    os.rename(output_dir, retired / "site")
    os.rename(staging, output_dir)
    return retired


def _exchange(first: Path, second: Path) -> bool:
    """Atomically swap two paths (Linux renameat2); False where unsupported."""
    import ctypes.util  # here: most builds publish without a swap, and need not import it

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
