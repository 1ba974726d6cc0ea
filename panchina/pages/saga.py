"""``/coaches/<coach>/<club>/``: a saga, every report linking one coach and one club, oldest first.

Reports less than 60 days apart are one approach; each approach has its
outcome, and the coach's spells at the club appear between them (see
``outcomes.py``).  Only sagas with more than one story to tell get a page
(``present.saga_has_page``).  A saga of more than ``PAGE_LIMIT`` reports
goes on over numbered pages (``/coaches/<coach>/<club>/2/``), an approach
cut between two pages carrying on at the top of the next, so that no page
grows past a few hundred KB (a pair named together every week for years).
"""

from __future__ import annotations

import dataclasses

from ..present import Approach, Spell, ordinal_form, saga_has_page
from ..reads import SEP
from ..urls import file_for, saga_url
from . import Page, Site, split_into_pages

TEMPLATE = "saga.html"
PAGE_LIMIT = 250  # reports on one page of a saga, as on a timeline


def units(site: Site) -> list[tuple[str, tuple[str, str]]]:
    """Every pair of a coach and a club with a saga page (decided anew by every build)."""
    archive = site.archive
    return [(SEP.join(pair), pair) for pair, saga in archive.resolved.sagas.items()
            if saga_has_page(saga, archive.entity("coach", pair[0]), archive.entity("club", pair[1]))]


def pages(site: Site, pair: tuple[str, str]) -> list[Page]:
    archive, present = site.archive, site.present
    coach_name, club_name = pair
    saga = archive.resolved.sagas[pair]
    coach, club = archive.entity("coach", coach_name), archive.entity("club", club_name)
    made: list[Page] = []
    if saga_has_page(saga, coach, club):  # as ``units`` found; read again here, so that it is noted
        url = saga_url(coach, club)
        approaches = [Approach(number, ordinal_form(present.language, number), group[0].date, ended,
                               tuple(present.row(story) for story in group))
                      for number, (group, ended) in enumerate(zip(saga.approaches, saga.outcomes, strict=True), 1)]
        spells = [Spell(present.ref(coach), present.ref(club), spell.start, spell.end, spell.source_name,
                        spell.source_url) for spell in saga.spells]
        # Approaches and spells in one line of time; a spell goes after the approaches that began before it.
        events = sorted([(item.start.start, 0, "approach", item) for item in approaches]
                        + [(item.start.start, 1, "spell", item) for item in spells], key=lambda event: event[:2])
        parts = paged([(kind, item) for _, _, kind, item in events], PAGE_LIMIT)
        urls = [url if number == 1 else f"{url}{number}/" for number in range(1, len(parts) + 1)]
        labels = [_years(part) for part in parts]
        for index, part in enumerate(parts):
            made.append(Page(file_for(urls[index]), TEMPLATE, {
                "url": urls[index], "coach": present.ref(coach), "club": present.ref(club), "events": part,
                "approaches": len(approaches), "reports": sum(len(group) for group in saga.approaches),
                "outcome": saga.outcomes[-1], "part": index + 1, "parts": len(parts),
                "earlier": (labels[index - 1], urls[index - 1]) if index > 0 else None,
                "later": (labels[index + 1], urls[index + 1]) if index + 1 < len(parts) else None,
            }))
    return made


def paged(events: list[tuple[str, object]], limit: int) -> list[list[tuple[str, object]]]:
    """The events cut into pages of at most ``limit`` reports; a spell stays with the reports before it."""
    groups = [((kind, item), item.stories if kind == "approach" else ()) for kind, item in events]
    return [[(kind, dataclasses.replace(item, stories=rows, continued=continued) if kind == "approach" else item)
             for (kind, item), rows, continued in page] for page in split_into_pages(groups, limit)]


def _years(part: list[tuple[str, object]]) -> str:
    """``2019–2021``: the years of the reports on one page."""
    years = [row.date.year for kind, item in part if kind == "approach" for row in item.stories]
    first, last = min(years), max(years)
    return str(first) if first == last else f"{first}–{last}"
