"""What a build keeps in ``.cache/`` to make the next one fast.

In ``build.pickle``: the checked stories (keyed by each file's size,
modification time and inode) and the manifest of the last output (for each
page, a digest of its inputs, and the file's size, mtime and inode).  In
``bodies.sqlite``: the rendered story bodies (see ``markup.BodyCache``).

The cache is only ever a shortcut: it is stamped with a hash of Panchina's
own code and of the settings that shape stories, and any mismatch, damage or
absence means a cold build.  Deleting ``.cache/`` is always safe.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

CACHE_FILE = "build.pickle"
FORMAT = 1


def code_fingerprint() -> str:
    """A hash of Panchina's own source: new code never trusts an old cache."""
    hasher = hashlib.blake2b(digest_size=16)
    for path in sorted(Path(__file__).parent.glob("*.py")):
        hasher.update(path.name.encode() + b"\0" + path.read_bytes())
    return hasher.hexdigest()


@dataclass
class BuildCache:
    stamp: str = ""  # code fingerprint the entries were made with
    stories_stamp: str = ""  # fingerprint of site.yaml and the registries the stories were checked against
    stories: dict = field(default_factory=dict)  # path -> ((size, mtime_ns, ino), Story without links or body)
    output: str = ""  # the output folder the manifest describes
    manifest: dict = field(default_factory=dict)  # page path -> (inputs digest, size, mtime_ns, ino)


def load_cache(cache_dir: Path | None) -> BuildCache:
    """The last build's cache, or an empty one if it is missing, damaged or from other code."""
    if cache_dir is None:
        return BuildCache(stamp=code_fingerprint())
    try:
        with open(cache_dir / CACHE_FILE, "rb") as handle:
            version, cache = pickle.load(handle)
        if version == FORMAT and isinstance(cache, BuildCache) and cache.stamp == code_fingerprint():
            return cache
    except Exception:  # noqa: BLE001 — any damage just means starting cold
        pass
    return BuildCache(stamp=code_fingerprint())


def save_cache(cache_dir: Path | None, cache: BuildCache) -> None:
    """Write the cache atomically; a failure to write it never fails the build."""
    if cache_dir is None:
        return
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
        fd, temporary = tempfile.mkstemp(prefix=".build-", dir=cache_dir)
    except OSError:
        return
    try:
        with os.fdopen(fd, "wb") as handle:
            pickle.dump((FORMAT, cache), handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temporary, cache_dir / CACHE_FILE)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        if not isinstance(sys.exc_info()[1], Exception):
            raise  # Ctrl-C still stops the program; other failures only lose the cache


def file_identity(stat: os.stat_result) -> tuple[int, int, int]:
    """Size, modification time and inode: what must match for a cached copy to stand in."""
    return (stat.st_size, stat.st_mtime_ns, stat.st_ino)
