"""``/coaches/<coach>/<club>/``: a saga, every report linking one coach and one club, oldest first.

Reports less than 60 days apart are one approach; each approach has its
outcome, and the coach's spells at the club appear between them (see
``outcomes.py``).  Only sagas with more than one story to tell get a page
(``present.saga_has_page``).
"""

from __future__ import annotations

from ..present import Approach, Spell, by_name, ordinal_form, saga_has_page
from ..urls import file_for, saga_url
from . import Page, Site

TEMPLATE = "saga.html"


def pages(site: Site) -> list[Page]:
    archive, present = site.archive, site.present
    coaches, clubs = by_name(archive.coaches), by_name(archive.clubs)
    made = []
    for (coach_name, club_name), saga in archive.resolved.sagas.items():
        coach, club = coaches.get(coach_name), clubs.get(club_name)
        if not saga_has_page(saga, coach, club):
            continue
        url = saga_url(coach, club)
        approaches = [Approach(number, ordinal_form(present.language, number), group[0].date, ended,
                               tuple(present.row(story) for story in group))
                      for number, (group, ended) in enumerate(zip(saga.approaches, saga.outcomes, strict=True), 1)]
        spells = [Spell(present.ref(coach), present.ref(club), spell.start, spell.end, spell.source_name,
                        spell.source_url) for spell in saga.spells]
        # Approaches and spells in one line of time; a spell goes after the approaches that began before it.
        events = sorted([(item.start.start, 0, "approach", item) for item in approaches]
                        + [(item.start.start, 1, "spell", item) for item in spells], key=lambda event: event[:2])
        made.append(Page(file_for(url), TEMPLATE, {
            "url": url, "coach": present.ref(coach), "club": present.ref(club),
            "events": [(kind, item) for _, _, kind, item in events],
            "approaches": len(approaches), "reports": sum(len(group) for group in saga.approaches),
            "outcome": saga.outcomes[-1],
        }))
    return made

