"""What a warm build learns from the disk in a second process while it reads its cache.

Reading and hashing 10,000 story files took a sixth of a second, and
looking at 17,000 page files a tenth: both only read files, so a forked
process does them (``workers.Forked``) while the build reads its cache,
which takes longer.  Its findings come back as plain tuples and lists:
pickling 10,000 dataclasses would cost more than the look saves.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .cache import CACHE_FILE, BuildCache, content_hash, manifest_as_written
from .content import StoryFile, find_story_files, read_story_bytes
from .errors import ContentError
from .output import output_identity, pages_not_as_written
from .workers import Forked

# The story files as the load would find them, the hash of each one's bytes by its place below stories/,
# and the warnings about files there that are not read.
Scanned = tuple[list[StoryFile], dict[str, str], list[ContentError]]


@dataclass
class LookAhead:
    scanned: Scanned | None  # None if a file gave an error: the load finds the files itself and reports it
    # The pages whose files are not as the build cache's manifest says they were written (changed,
    # replaced or removed by hand), and the generation of the cache that manifest was read from.
    by_hand: set[str]
    generation: str | None

    @staticmethod
    def start(content: Path, output: Path, cache_dir: Path | None, pages: bool = True) -> Forked | None:
        """The look, begun; None without a cache to read meanwhile (a cold build reads every file itself).
        ``pages``: look at the page files too (not when the site is staged whole, as with a search index:
        then the write step links every kept page, and looks at each)."""
        if cache_dir is None or not (cache_dir / CACHE_FILE).is_file():
            return None
        return Forked(_look, content, output.absolute(), cache_dir, pages)

    @staticmethod
    def taken(started: Forked | None) -> LookAhead | None:
        """What the look found, once it is done; None if it was not made or failed."""
        found = started.result() if started is not None else None
        if found is None:
            return None
        stories, pages, generation = found
        scanned = None
        if stories is not None:
            files = [StoryFile(*fields) for fields in stories[0]]
            scanned = (files, {file.relative: digest for file, digest in zip(files, stories[1], strict=True)},
                       stories[2])
        return LookAhead(scanned, set(pages), generation)

    def changed_by_hand(self, cache: BuildCache) -> set[str] | None:
        """The pages of ``cache``'s manifest changed by hand, if the look was at that very manifest."""
        return self.by_hand if self.generation is not None and self.generation == cache.generation else None


def _look(content: Path, output: Path, cache_dir: Path, pages: bool) -> tuple:
    """In the second process.  The pages are looked at only if the manifest describes this very output
    folder: one restored beside a copy of the site (as Netlify restores both) describes none of its files."""
    stories = scan_stories(content)
    written = manifest_as_written(cache_dir) if pages else None
    if written is None or written[1] != output_identity(output):
        return stories, [], None
    return stories, pages_not_as_written(output, written[2]), written[0]


def scan_stories(content_dir: Path) -> tuple[list[tuple], list[str], list[ContentError]] | None:
    """Every story file, as a tuple, the hash of its bytes, and the warnings about files that are not
    read (a few, pickled as they are); None if any file gave an error."""
    errors: list[ContentError] = []
    warnings: list[ContentError] = []
    files = find_story_files(content_dir, errors, warnings)
    hashes = []
    for file in files:
        data = read_story_bytes(file, errors)
        if data is None:
            return None
        hashes.append(content_hash(data))
    if errors:
        return None
    return [(file.path, file.shown, file.relative, file.linked) for file in files], hashes, warnings
