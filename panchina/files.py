"""What the build may read from disk: which names it ignores, and regular files only.

Editors and operating systems drop their own files beside ours (vim's
``.story.md.swp``, macOS's ``.DS_Store``); they are nobody's content and are
ignored in every folder the build reads.  Anything that is not a regular
file (a named pipe, a socket, a device) is refused before it is opened:
reading a named pipe waits for a writer that never comes.
"""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path

# Names that the build never reads, in stories/, templates/ and static/.
_SYSTEM_NAMES = frozenset({"thumbs.db", "desktop.ini", "ehthumbs.db"})
_EDITOR_SUFFIXES = (".swp", ".swo", ".swx", "~")


def is_ignored_name(name: str) -> bool:
    """True for hidden files, editor backups and swap files, and the system's own files."""
    return (name.startswith(".") or name.lower() in _SYSTEM_NAMES or name.endswith(_EDITOR_SUFFIXES)
            or (name.startswith("#") and name.endswith("#")))


def kind_of(mode: int) -> str:
    """What a file that is not a regular one is, in words: "a named pipe"."""
    if stat.S_ISFIFO(mode):
        return "a named pipe"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISDIR(mode):
        return "a folder"
    return "not a regular file"


class NotARegularFile(OSError):
    """Raised instead of opening a named pipe, a socket or a device."""

    def __init__(self, path, mode: int):
        self.kind = kind_of(mode)
        super().__init__(f"it is {self.kind}, not a file")
        self.filename = os.fspath(path)


class TooLarge(OSError):
    """Raised instead of reading a file larger than the caller allows."""

    def __init__(self, path, size: int):
        self.size = size
        super().__init__(f"it is {size:,} bytes")
        self.filename = os.fspath(path)


def read_regular_bytes(path: str | Path, limit: int | None = None) -> bytes:
    """The bytes of the regular file at ``path``, never waiting on a pipe or filling memory.

    Raises ``NotARegularFile`` or ``TooLarge`` (both OSErrors).  The file is
    opened without blocking and checked once open, so a named pipe swapped
    in between a look and the read cannot hang the build.
    """
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise NotARegularFile(path, info.st_mode)
        if limit is not None and info.st_size > limit:
            raise TooLarge(path, info.st_size)
        most = None if limit is None else limit + 1
        data = _read_all(fd, info.st_size + 1, most)  # asks for the size seen, not for the limit's megabyte
        if limit is not None and len(data) > limit:  # it grew since fstat
            raise TooLarge(path, len(data))
        return data
    finally:
        os.close(fd)


def _read_all(fd: int, expected: int, most: int | None) -> bytes:
    """Everything to the end of the file (or ``most`` bytes), in reads of about the size expected."""
    chunks, total = [], 0
    while most is None or total < most:
        wanted = expected if most is None else min(expected, most - total)
        chunk = os.read(fd, wanted)
        if not chunk:
            break
        chunks.append(chunk)
        total += len(chunk)
        if len(chunk) < wanted:
            break  # a short read of a regular file is its end: no read more to find it (10,000 calls a build)
        expected = max(expected, 1 << 16)  # it grew since fstat: read on in larger pieces
    return b"".join(chunks)


def is_inside(path: Path, root: Path) -> bool:
    """True when ``path``, its links followed, is ``root`` or lies below it (``root`` resolved already)."""
    try:
        path.resolve().relative_to(root)
        return True
    except (ValueError, OSError, RuntimeError):
        return False


# Files that would change how Netlify serves the site if a pull request could
# smuggle them into the published folder.
HOST_CONFIG_FILES = frozenset({"_headers", "_redirects", "netlify.toml"})
# Names separated by single slashes, none empty or hidden (so no "." or ".."), no backslash or NUL.
_SAFE_RELATIVE = re.compile(r"[^/\\\0.][^/\\\0]*(?:/[^/\\\0.][^/\\\0]*)*")


def is_safe_relative(relative: str) -> bool:
    """Whether ``relative``, joined to a folder, can only name a file inside it that a site may hold."""
    return bool(_SAFE_RELATIVE.fullmatch(relative)) and relative.rpartition("/")[2] not in HOST_CONFIG_FILES
