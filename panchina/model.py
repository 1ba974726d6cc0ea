"""The typed archive: stories and the coaches, clubs and sources they link.

Loading produces ``Story`` objects; ``build_archive`` links them into
``Entity`` objects (one per coach, club and source) that hold references to
their stories, never copies.  The model holds facts only: derived facts
(how many rumours, since when, which clubs most often) are computed here,
while words, dates in words, plurals, default titles and web addresses
belong to the presentation layer (``present.py``, ``urls.py``, the
templates and their message catalogue).
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import date
from typing import Literal

from . import reads
from .reads import SEP, Noted, TrackedList, note

EntityKind = Literal["coach", "club", "source"]
KINDS: tuple[EntityKind, ...] = ("coach", "club", "source")
PLURAL = {"coach": "coaches", "club": "clubs", "source": "sources"}  # also the registry file names


@dataclass(frozen=True, order=True)
class PartialDate:
    """A report date known to the day, the month or only the year.

    ``iso``, ``start`` and ``last`` are computed when it is made: every
    build sorts and resolves tens of thousands of dates, each read many times.
    """

    year: int
    month: int | None = None
    day: int | None = None

    def __post_init__(self):
        start = date(self.year, self.month or 1, self.day or 1)
        if self.day:
            last, iso = start, f"{self.year:04d}-{self.month:02d}-{self.day:02d}"
        elif self.month:
            last = _month_end(self.year, self.month)
            iso = f"{self.year:04d}-{self.month:02d}"
        else:
            last, iso = date(self.year, 12, 31), f"{self.year:04d}"
        object.__setattr__(self, "start", start)  # the first day of the period: partial dates sort as it
        object.__setattr__(self, "last", last)  # the last day of the period: ``2019`` ends on 2019-12-31
        object.__setattr__(self, "iso", iso)  # ``2026-03-04``, ``2026-03`` or ``2026``: valid in <time datetime>


def _month_end(year: int, month: int, known: dict[tuple[int, int], date] = {}) -> date:  # noqa: B006 (a memo)
    found = known.get((year, month))
    if found is None:
        found = known[(year, month)] = date(year, month, calendar.monthrange(year, month)[1])
    return found


@dataclass(eq=False)
class Story:
    """One rumour report: a Markdown file under ``content/stories/``."""

    path: str  # file path as shown to contributors, e.g. content/stories/2026/x.md
    place: tuple[str, ...]  # its folders and name below stories/, without .md: ("2026", "x")
    coach_name: str  # canonical coach name (aliases already resolved)
    club_names: tuple[str, ...]  # canonical club names, in the order written
    date: PartialDate  # when the rumour was reported
    source_name: str  # outlet or journalist that reported it
    source_url: str | None  # http(s) link to the original report
    title: str | None  # the headline as written; None when the story gives none
    lang: str  # language tag of the body
    body_hash: str  # hash of the exact Markdown text of the body
    body_line: int  # line in the file where the body starts, for error messages
    body: str | None = None  # the Markdown text; dropped when its HTML is already cached
    field_lines: dict[str, int] = field(default_factory=dict)  # front-matter key -> line
    # Links filled in by build_archive:
    coach: Entity | None = None
    clubs: list[Entity] = field(default_factory=list)
    source: Entity | None = None
    status: str = "rumour"  # what the report claims: one of STATUSES (issue 9)
    outcomes: tuple[str, ...] = ()  # filled by outcomes.resolve: what became of it, one per club

    @classmethod
    def unlinked_from(cls, **fields) -> Story:
        """A story from every field but its body and links, made at once: the build cache makes 10,000
        each build, and ``__init__`` sets them one by one (two through ``reads.Noted``)."""
        story = object.__new__(cls)
        story.__dict__.update(fields, body=None, coach=None, clubs=[], source=None, outcomes=())
        return story

    def unlinked(self) -> Story:
        """A copy without links, to be linked into a new archive (or kept in the build cache)."""
        copy = object.__new__(Story)
        copy.__dict__.update(self.__dict__)
        copy.coach, copy.clubs, copy.source, copy.outcomes = None, [], None, ()
        return copy

    @property
    def sort_key(self) -> tuple:
        """Newest first; stories on the same date keep a stable order by place."""
        return (-self.date.start.toordinal(), -len(self.date.iso), self.place)


# A story's body is read by its own page only: noted apart from its other facts (see reads.py), so that
# editing a body plans that one page again, not every list the story is on.
Story.body = Noted("body", reads.body_token)
Story.body_hash = Noted("body_hash", reads.body_token)


@dataclass(eq=False)
class Entity:
    """A coach, a club or a source, with every story that names it."""

    kind: EntityKind
    name: str  # canonical name, NFC
    slug: str  # ASCII, unique within its kind
    aliases: tuple[str, ...] = ()
    sort_as: str | None = None  # how the registry says to alphabetise the name, if it says
    stories: list[Story] = field(default_factory=list)  # newest first once built

    def __post_init__(self):
        self.stories = TrackedList(self.stories, self.kind + SEP + self.name)

    @property
    def count(self) -> int:
        return len(self.stories)

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

    @property
    def partners(self) -> list[tuple[Entity, int]]:
        """The five clubs a coach (or coaches a club) is linked with most often (once linked)."""
        note("L" + SEP + self.stories.name)  # what they are counted from, each time they are asked for
        known = self.__dict__.get("_partners")
        if known is None:
            known = self.__dict__["_partners"] = self._count_partners()
        return known

    def _count_partners(self) -> list[tuple[Entity, int]]:
        counts: dict[Entity, int] = {}
        if self.kind == "club":
            for story in self.stories:
                counts[story.coach] = counts.get(story.coach, 0) + 1
        else:
            for story in self.stories:
                for club in story.clubs:
                    counts[club] = counts.get(club, 0) + 1
        return sorted(counts.items(), key=lambda item: (-item[1], item[0].name))[:5]


@dataclass
class Archive:
    """Everything the site shows, linked and sorted."""

    stories: list[Story]  # newest first
    coaches: list[Entity]  # by slug
    clubs: list[Entity]  # by slug
    sources: list[Entity]  # by slug
    appointments: list[Appointment] = field(default_factory=list)  # content/appointments.yaml, as written
    resolved: object | None = None  # outcomes.Resolved: what became of each report (set by pipeline.load)

    def entities(self, kind: EntityKind) -> list[Entity]:
        return {"coach": self.coaches, "club": self.clubs, "source": self.sources}[kind]

    def entity(self, kind: EntityKind, name: str) -> Entity | None:
        """The coach, club or source of that canonical name, or None when no story names it."""
        if reads._recording:  # made only while a unit is planned: enumerating sagas asks 20,000 times
            note("E" + SEP + kind + SEP + name)
        return self.named(kind).get(name)

    def named(self, kind: EntityKind) -> dict[str, Entity]:
        """Untracked: for ``entity`` and ``reads.Digests``."""
        known = self.__dict__.setdefault("_named", {})
        if kind not in known:
            known[kind] = {entity.name: entity for entity in list.__iter__(self.entities(kind))}
        return known[kind]

    def placed(self) -> dict[tuple[str, ...], Story]:
        """Every story by its place (``("2026", "x")``).  Untracked: for the build's own bookkeeping, and
        for a page kind to find the subject of one unit; the preview keeps this archive while only
        bodies change, and the map with it."""
        known = self.__dict__.get("_placed")
        if known is None:
            known = self.__dict__["_placed"] = {story.place: story for story in list.__iter__(self.stories)}
        return known

    def story_at(self, place_id: str) -> Story | None:
        """The story of that ``reads.place_id`` (``2026/x``), or None.  Untracked, as ``placed``."""
        return self.placed().get(tuple(place_id.split("/")))

    def most_rumoured(self, kind: EntityKind, limit: int = 10) -> list[Entity]:
        return sorted(self.entities(kind), key=lambda e: (-e.count, e.name))[:limit]


def link_archive(stories: list[Story], coaches: dict[str, Entity], clubs: dict[str, Entity],
                 sources: dict[str, Entity]) -> Archive:
    """Attach every story to its entities and sort everything.

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
        stories=TrackedList(ordered, "all"),
        coaches=_by_slug(coaches.values(), "coach"),
        clubs=_by_slug(clubs.values(), "club"),
        sources=_by_slug(sources.values(), "source"),
    )


def _by_slug(entities, kind: EntityKind) -> TrackedList:
    return TrackedList(sorted((e for e in entities if e.stories), key=lambda e: (e.slug, e.name)), kind)


# --- Outcomes (issue 9): what actually happened, against which reports are resolved.

# What a report claims, from the weakest to the strongest and then the two ends.
STATUSES = ("rumour", "talks", "agreed", "signed", "denied", "collapsed")
Outcome = Literal["came_true", "did_not_happen", "open"]


@dataclass(frozen=True, order=True)
class Appointment:
    """One spell of a coach in charge of a club, from ``content/appointments.yaml``."""

    coach_name: str  # canonical (aliases resolved)
    club_name: str  # canonical
    start: PartialDate  # ``from:``
    end: PartialDate | None  # ``to:``; None while the spell runs (or its end is not recorded)
    source_name: str  # who records it
    source_url: str | None = None
    line: int = 0  # of its entry in the file, for error messages
