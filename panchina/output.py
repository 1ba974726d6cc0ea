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
import os
import shutil
import tempfile
from collections.abc import Callable, Mapping
from pathlib import Path, PurePosixPath

from .errors import BuildFailed, ContentError

# Files that would change how Netlify serves the site if a pull request could
# smuggle them into the published folder.
HOST_CONFIG_FILES = frozenset({"_headers", "_redirects", "netlify.toml"})


def write_site(pages: Mapping[str, str], static_dir: Path | None, output_dir: Path,
               index: Callable[[Path], None] | None = None) -> Path:
    """Write ``pages`` and the static files, index them, and publish as ``output_dir``."""
    output_dir = output_dir.absolute()
    try:
        output_dir.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{output_dir.name}.staging-", dir=output_dir.parent))
    except OSError as error:
        raise BuildFailed([_write_error(output_dir, error)]) from None
    try:
        for relative, text in pages.items():
            write_file(staging, relative, text.encode("utf-8"))
        if static_dir is not None and static_dir.is_dir():
            copy_static(static_dir, staging / "static")
        if index is not None:
            index(staging)
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
    return output_dir


def _write_error(output_dir: Path, error: OSError) -> ContentError:
    reason = error.strerror or str(error)
    return ContentError(output_dir.as_posix(), None, "output", f"could not write the site: {reason}",
                        "free some disk space or make the folder writable; the previous site was left as it was")


def safe_target(root: Path, relative: str) -> Path:
    """``root/relative``, refusing any path that could land outside ``root``."""
    pure = PurePosixPath(relative)
    parts = pure.parts
    if (pure.is_absolute() or not parts or "\\" in relative or "\0" in relative
            or any(part in ("", ".", "..") or part.startswith(".") for part in parts)
            or parts[-1] in HOST_CONFIG_FILES):
        raise BuildFailed([ContentError(relative, None, None, "refused to write a page outside the output folder",
                                        "this is a bug in Panchina: please report it")])
    target = root.joinpath(*parts)
    if not target.resolve().is_relative_to(root.resolve()):
        raise BuildFailed([ContentError(relative, None, None, "refused to write a page outside the output folder",
                                        "this is a bug in Panchina: please report it")])
    return target


def write_file(root: Path, relative: str, data: bytes) -> None:
    target = safe_target(root, relative)
    target.parent.mkdir(parents=True, exist_ok=True)
    with open(target, "xb") as handle:  # "x": the same page written twice is a bug, not an overwrite
        handle.write(data)


def copy_static(static_dir: Path, target_dir: Path) -> None:
    """Copy the theme's static files; links and host config files are never copied."""
    for folder, dirnames, filenames in os.walk(static_dir):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith(".") and not (Path(folder) / d).is_symlink())
        for name in sorted(filenames):
            source = Path(folder) / name
            if name.startswith(".") or name in HOST_CONFIG_FILES or source.is_symlink():
                continue
            relative = source.relative_to(static_dir).as_posix()
            write_file(target_dir, relative, source.read_bytes())


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
