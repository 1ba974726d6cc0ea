"""Rumours against reality: each report resolved against the appointments.

Pure functions over the model, computed once per build in ``resolve``:

- a report **came true** for a club when its coach took charge of that club
  within 12 months after the report;
- it **did not happen** once 12 months have passed without that;
- it is **open** otherwise.

"Now" is the newest date in the content (stories and appointments), never
the clock, so that a build is reproducible.  A month-only or year-only date
is a period: for "came true" the report counts from its first possible day
and the appointment may fall anywhere in its own period; for "did not
happen" the 12 months run from the report's last possible day, so that
partial dates never make a report fail too early.

Reports of one coach and one club less than ``SAME_APPROACH_DAYS`` apart are
one approach (the same story re-reported); a saga is the approaches of one
pair, oldest first.  Facts only: the words for all this are in the templates.
"""

from __future__ import annotations

import calendar
import math
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property

from .model import Appointment, Archive, Outcome, PartialDate, Story
from .reads import Noted, TrackedDict

WINDOW_MONTHS = 12
SAME_APPROACH_DAYS = 60
ENOUGH_RESOLVED = 5  # below this, a source's hit rate is not shown as one
WILSON_Z = 1.959964  # 95%


def months_later(day: date, months: int) -> date:
    """The same day ``months`` later; the 29th–31st become the month's last day when it is shorter."""
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    try:
        return date(year, month, day.day)
    except ValueError:
        return date(year, month, calendar.monthrange(year, month)[1])


def outcome(report: PartialDate, spells: list[Appointment], now: date) -> Outcome:
    """What became of one report for one club, given that pair's spells (any order)."""
    if spells:
        window_start = report.start
        window_end = months_later(report.start, WINDOW_MONTHS)
        for spell in spells:
            if spell.start.last >= window_start and spell.start.start <= window_end:
                return "came_true"
    if now > months_later(report.last, WINDOW_MONTHS):
        return "did_not_happen"
    return "open"


def combined(outcomes: list[Outcome]) -> Outcome:
    """Several outcomes as one (a report naming several clubs, an approach of several reports).

    It came true if any part did, did not happen only if every part did not.
    """
    if "came_true" in outcomes:
        return "came_true"
    if outcomes and all(item == "did_not_happen" for item in outcomes):
        return "did_not_happen"
    return "open"


def newest_date(stories: list[Story], spells: list[Appointment]) -> date | None:
    """"Now": the newest date the content proves has come (a partial date counts from its first day)."""
    dates = [story.date.start for story in stories]
    dates += [day.start for spell in spells for day in (spell.start, spell.end) if day is not None]
    return max(dates, default=None)


def approaches(reports: list[Story]) -> list[list[Story]]:
    """Reports of one pair, oldest first, grouped: less than 60 days after the previous one is the same approach."""
    groups: list[list[Story]] = []
    ordered = sorted(reports, key=lambda story: (story.date.start, len(story.date.iso), story.place))
    for story in ordered:
        if groups and (story.date.start - groups[-1][-1].date.start).days < SAME_APPROACH_DAYS:
            groups[-1].append(story)
        else:
            groups.append([story])
    return groups


@dataclass(frozen=True)
class Interval:
    low: float
    high: float


def wilson(hits: int, total: int, z: float = WILSON_Z) -> Interval:
    """The Wilson score interval of a proportion: honest at 2 out of 2, unlike hits/total."""
    if total == 0:
        return Interval(0.0, 1.0)
    p = hits / total
    denominator = 1 + z * z / total
    centre = (p + z * z / (2 * total)) / denominator
    margin = z * math.sqrt(p * (1 - p) / total + z * z / (4 * total * total)) / denominator
    return Interval(max(0.0, centre - margin), min(1.0, centre + margin))


@dataclass(frozen=True)
class TrackRecord:
    """A source's reports against what happened."""

    reports: int
    resolved: int  # came true or did not happen
    came_true: int

    @property
    def enough(self) -> bool:
        return self.resolved >= ENOUGH_RESOLVED

    @property
    def rate(self) -> float | None:
        return self.came_true / self.resolved if self.resolved else None

    @property
    def interval(self) -> Interval:
        return wilson(self.came_true, self.resolved)


def track_record(outcomes: list[Outcome]) -> TrackRecord:
    resolved = sum(1 for item in outcomes if item != "open")
    return TrackRecord(len(outcomes), resolved, sum(1 for item in outcomes if item == "came_true"))


@dataclass
class Saga:
    """Every report linking one coach and one club, as approaches, with that pair's spells."""

    coach_name: str
    club_name: str
    approaches: list[list[Story]]
    outcomes: list[Outcome]  # one per approach
    spells: list[Appointment]  # of this coach at this club, oldest first

    def number_of(self, story: Story) -> int:
        """The approach (1-based) a story belongs to: by identity, as comparing stories compares every field."""
        return self._approach_numbers[id(story)]

    @cached_property
    def _approach_numbers(self) -> dict[int, int]:
        return {id(each): index for index, group in enumerate(self.approaches, 1) for each in group}

    @cached_property
    def first_years(self) -> tuple[int, ...]:
        """The year each approach began."""
        return tuple(group[0].date.year for group in self.approaches)


@dataclass
class Resolved:
    """The outcome of every report, club by club, and what is derived from them."""

    now: date | None
    # (coach name, club name): each saga read is noted (reads.py), as the story lists are
    sagas: dict[tuple[str, str], Saga] = field(default_factory=lambda: TrackedDict("sagas"))
    careers: dict[str, list[Appointment]] = field(default_factory=dict)  # coach name -> spells, oldest first
    coaches_of: dict[str, list[Appointment]] = field(default_factory=dict)  # club name -> spells, oldest first

    def outcome(self, story: Story) -> Outcome:
        return combined(list(story.outcomes))

    def record(self, stories: list[Story]) -> TrackRecord:
        return track_record([self.outcome(story) for story in stories])


Resolved.now = Noted("now", lambda resolved: "W")  # the newest date of the content: read, it is noted


def resolve(archive: Archive, spells: list[Appointment]) -> Resolved:
    """Every report's outcomes, the sagas and the careers: O(stories + spells)."""
    now = newest_date(archive.stories, spells)
    pair_spells: dict[tuple[str, str], list[Appointment]] = {}
    resolved = Resolved(now)
    for spell in sorted(spells, key=lambda spell: (spell.start.start, spell.line)):
        pair_spells.setdefault((spell.coach_name, spell.club_name), []).append(spell)
        resolved.careers.setdefault(spell.coach_name, []).append(spell)
        resolved.coaches_of.setdefault(spell.club_name, []).append(spell)
    reports: dict[tuple[str, str], list[Story]] = {}
    for story in archive.stories:
        outcomes = []
        for club in story.club_names:
            pair = (story.coach_name, club)
            outcomes.append(outcome(story.date, pair_spells.get(pair, ()), now))
            reports.setdefault(pair, []).append(story)
        story.outcomes = tuple(outcomes)
    for pair, pair_reports in reports.items():
        if len(pair_reports) == 1:  # most pairs: one report, one approach, its own outcome
            story = pair_reports[0]
            groups, outcomes = [pair_reports], [story.outcomes[story.club_names.index(pair[1])]]
        else:
            groups = approaches(pair_reports)
            club_index = {id(story): story.club_names.index(pair[1]) for story in pair_reports}
            outcomes = [combined([story.outcomes[club_index[id(story)]] for story in group])
                        for group in groups]
        resolved.sagas[pair] = Saga(pair[0], pair[1], groups, outcomes, pair_spells.get(pair, []))
    return resolved
