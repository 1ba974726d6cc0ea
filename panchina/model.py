"""The typed archive: stories and the coaches, clubs and sources they link.

Loading produces ``Story`` objects; ``build_archive`` links them into
``Entity`` objects (one per coach, club and source) that hold references to
their stories, never copies.  Facts that templates show (how many rumours,
since when, which clubs most often) are computed here, so templates only
present them.
"""

from __future__ import annotations

import calendar
import hashlib
from dataclasses import dataclass, field
from functools import cached_property
from datetime import date
from typing import Literal

EntityKind = Literal["coach", "club", "source"]


@dataclass(frozen=True, order=True)
class PartialDate:
    """A report date known to the day, the month or only the year."""

    year: int
    month: int | None = None
    day: int | None = None

    @cached_property
    def iso(self) -> str:
        """``2026-03-04``, ``2026-03`` or ``2026``: also valid in ``<time datetime>``."""
        parts = [f"{self.year:04d}"]
        if self.month:
            parts.append(f"{self.month:02d}")
        if self.day:
            parts.append(f"{self.day:02d}")
        return "-".join(parts)

    @cached_property
    def start(self) -> date:
        """The first day of the period: partial dates sort as its start."""
        return date(self.year, self.month or 1, self.day or 1)

    @cached_property
    def display(self) -> str:
        if self.day:
            return f"{self.day} {calendar.month_name[self.month]} {self.year}"
        if self.month:
            return f"{calendar.month_name[self.month]} {self.year}"
        return str(self.year)


@dataclass(eq=False)
class Story:
    """One rumour report: a Markdown file under ``content/stories/``."""

    path: str  # file path as shown to contributors, e.g. content/stories/2026/x.md
    url: str  # /stories/2026/x/ — mirrors the file's place under stories/
    coach_name: str  # canonical coach name (aliases already resolved)
    club_names: tuple[str, ...]  # canonical club names, in the order written
    date: PartialDate  # when the rumour was reported
    source_name: str  # outlet or journalist that reported it
    source_url: str | None  # http(s) link to the original report
    title: str  # headline: given, or built from coach and clubs
    lang: str  # ISO 639-1 code of the body
    body: str | None  # Markdown source of the body; None when taken unchanged from the build cache
    body_line: int  # line in the file where the body starts, for error messages
    body_digest: str = ""  # hash of the body: what the rendered-body cache and page keys use
    field_lines: dict[str, int] = field(default_factory=dict)  # front-matter key -> line
    # Links filled in by build_archive:
    coach: Entity | None = None
    clubs: list[Entity] = field(default_factory=list)
    source: Entity | None = None

    @property
    def output_path(self) -> str:
        return self.url.strip("/") + "/index.html"

    def fresh_copy(self) -> Story:
        """A copy without links or cached facts, to be linked into a new archive."""
        copy = object.__new__(Story)
        copy.__dict__.update(self.__dict__)
        copy.__dict__.pop("summary", None)
        copy.coach, copy.clubs, copy.source = None, [], None
        return copy

    @cached_property
    def summary(self) -> str:
        """A digest of everything a list of stories shows about this one (set once linked)."""
        parts = [self.url, self.title, self.date.iso, self.lang, self.coach.name, self.coach.url,
                 self.source.name, self.source.url, *(f"{c.name}\x1e{c.url}" for c in self.clubs)]
        return hashlib.blake2b("\x1f".join(parts).encode("utf-8"), digest_size=16).hexdigest()

    @property
    def sort_key(self) -> tuple:
        """Newest first; stories on the same date keep a stable order by URL."""
        return (-self.date.start.toordinal(), -len(self.date.iso), self.url)


@dataclass(eq=False)
class Entity:
    """A coach, a club or a source, with every story that names it."""

    kind: EntityKind
    name: str  # canonical name, NFC
    slug: str  # ASCII, unique within its kind
    aliases: tuple[str, ...] = ()
    stories: list[Story] = field(default_factory=list)  # newest first once built

    @property
    def url(self) -> str:
        return f"/{PLURAL[self.kind]}/{self.slug}/"

    @property
    def count(self) -> int:
        return len(self.stories)

    @property
    def summary(self) -> str:
        """What a link to this entity shows: its name, address and count."""
        return f"{self.name}\x1e{self.url}\x1e{self.count}"

    @property
    def initial(self) -> str:
        """The A–Z heading it is listed under; digits and the like go under #."""
        return self.slug[0].upper() if self.slug[0].isalpha() else "#"

    @property
    def first_date(self) -> PartialDate:
        return self.stories[-1].date

    @property
    def latest_date(self) -> PartialDate:
        return self.stories[0].date

    def stories_by_year(self) -> list[tuple[int, list[Story]]]:
        """The timeline: years newest first, each with its stories newest first."""
        years: dict[int, list[Story]] = {}
        for story in self.stories:
            years.setdefault(story.date.year, []).append(story)
        return list(years.items())

    @cached_property
    def partners(self) -> list[tuple[Entity, int]]:
        """The five clubs a coach (or coaches a club) is linked with most often (once linked)."""
        counts: dict[Entity, int] = {}
        if self.kind == "club":
            for story in self.stories:
                counts[story.coach] = counts.get(story.coach, 0) + 1
        else:
            for story in self.stories:
                for club in story.clubs:
                    counts[club] = counts.get(club, 0) + 1
        return sorted(counts.items(), key=lambda item: (-item[1], item[0].name))[:5]


PLURAL = {"coach": "coaches", "club": "clubs", "source": "sources"}
LETTER_PATH = "by-letter"  # /coaches/by-letter/a/ holds long A–Z indexes: no entity may take this slug


@dataclass
class Archive:
    """Everything the site shows, linked and sorted."""

    stories: list[Story]  # newest first
    coaches: list[Entity]  # A-Z
    clubs: list[Entity]  # A-Z
    sources: list[Entity]  # A-Z

    def most_rumoured(self, kind: EntityKind, limit: int = 10) -> list[Entity]:
        entities = {"coach": self.coaches, "club": self.clubs, "source": self.sources}[kind]
        return sorted(entities, key=lambda e: (-e.count, e.name))[:limit]


def link_archive(stories: list[Story], coaches: dict[str, Entity], clubs: dict[str, Entity],
                 sources: dict[str, Entity]) -> Archive:
    """Attach every story to its entities and sort everything for display.

    The entity dictionaries are keyed by canonical name; each name a story
    uses must be there (the loader guarantees it).
    """
    ordered = sorted(stories, key=lambda s: s.sort_key)
    for story in ordered:
        story.coach = coaches[story.coach_name]
        story.clubs = [clubs[name] for name in story.club_names]
        story.source = sources[story.source_name]
        for entity in (story.coach, *story.clubs, story.source):
            entity.stories.append(story)
    return Archive(
        stories=ordered,
        coaches=_a_to_z(coaches.values()),
        clubs=_a_to_z(clubs.values()),
        sources=_a_to_z(sources.values()),
    )


def _a_to_z(entities) -> list[Entity]:
    return sorted((e for e in entities if e.stories), key=lambda e: (e.slug, e.name))
