"""``/coaches/<slug>/``, ``/clubs/<slug>/``, ``/sources/<slug>/``: every story that names one entity.

A timeline longer than ``PAGE_LIMIT`` stories is split into a page per year
(the newest year on the entity's own address), and a year longer than that
into numbered parts, so that no page grows past a few hundred KB however
large the archive becomes.
"""

from __future__ import annotations

from ..charts import hit_rate_chart, timeline_chart
from ..model import KINDS, Entity
from ..present import SagaRef, Spell, name_ref, saga_has_page, track_view
from ..reads import SEP
from ..urls import entity_url, feed_url, file_for, saga_url, year_url
from . import Page, Site

TEMPLATE = "timeline.html"
PAGE_LIMIT = 250
# Sagas listed on an entity's own page, newest first: at 300,000 stories one coach had thousands, a
# 1 MB page, and at 2,000 a reader scrolled past 82 of them to reach the first story. The older ones
# stay one link away, on each of their stories' pages.
SAGA_LIMIT = 12


def units(site: Site) -> list[tuple[str, Entity]]:
    return [(kind + SEP + entity.name, entity) for kind in KINDS for entity in site.archive.entities(kind)]


def pages(site: Site, entity: Entity) -> list[Page]:
    return timeline(site, entity, outcome_context(site, entity))


def timeline(site: Site, entity: Entity, extra: dict | None = None) -> list[Page]:
    """``extra``: what the entity's own page shows besides its stories (careers, sagas, charts)."""
    present = site.present
    head = present.head(entity)
    extra = extra or {}
    years = entity.stories_by_year()
    if entity.count <= PAGE_LIMIT:
        sections = [(year, [present.row(story) for story in stories]) for year, stories in years]
        links = [(year, len(stories), f"#year-{year}") for year, stories in years] if len(years) > 1 else []
        return [_page(entity_url(entity), head, sections, links, None, None, extra)]
    parts = []  # (year, url, stories) for every page, newest first
    for index, (year, stories) in enumerate(years):
        first = entity_url(entity) if index == 0 else year_url(entity, year)
        for start in range(0, len(stories), PAGE_LIMIT):
            url = first if start == 0 else f"{first}{start // PAGE_LIMIT + 1}/"
            parts.append((year, url, stories[start:start + PAGE_LIMIT]))
    links = [(year, len(stories), entity_url(entity) if index == 0 else year_url(entity, year))
             for index, (year, stories) in enumerate(years)]
    return [_page(url, head, [(year, [present.row(story) for story in stories])], links,
                  _part_link(parts, number - 1), _part_link(parts, number + 1),
                  extra if number == 0 else {})
            for number, (year, url, stories) in enumerate(parts)]


def _part_link(parts, number: int) -> tuple[str, str] | None:
    """(label, url) of another page of a split timeline: its year, and its part number after the first."""
    if not 0 <= number < len(parts):
        return None
    year, url, _ = parts[number]
    part = [other_url for other_year, other_url, _ in parts if other_year == year].index(url)
    return (f"{year} ({part + 1})" if part else str(year)), url


def _page(url: str, head, sections, year_links, newer: tuple[str, str] | None,
          older: tuple[str, str] | None, extra: dict) -> Page:
    return Page(file_for(url), TEMPLATE, {"url": url, "entity": head, "sections": sections,
                                          "year_links": year_links, "newer": newer, "older": older,
                                          "feed": feed_url(head.url),
                                          "career": extra.get("career", ()), "sagas": extra.get("sagas", ()),
                                          "more_sagas": extra.get("more_sagas", 0),
                                          "chart": extra.get("chart"), "track": extra.get("track")})


# --- Issue 9: careers, sagas, track records and charts on the entity's own page.

def linked_sagas(site: Site, entity: Entity) -> list[SagaRef]:
    """The sagas with a page that a coach's or a club's timeline links, newest first."""
    archive = site.archive
    if entity.kind == "coach":
        pairs = {(entity.name, club): None for story in entity.stories for club in story.club_names}
    else:
        pairs = {(story.coach_name, entity.name): None for story in entity.stories}
    found = []
    for coach_name, club_name in pairs:
        saga = archive.resolved.sagas[(coach_name, club_name)]
        coach, club = archive.entity("coach", coach_name), archive.entity("club", club_name)
        if not saga_has_page(saga, coach, club):
            continue
        other = club_name if entity.kind == "coach" else coach_name
        latest = saga.approaches[-1][-1].date.start
        found.append((-latest.toordinal(), other, SagaRef(other, saga_url(coach, club), len(saga.approaches),
                                                          sum(len(group) for group in saga.approaches),
                                                          saga.outcomes[-1])))
    return [item[-1] for item in sorted(found, key=lambda item: item[:2])]


def outcome_context(site: Site, entity: Entity) -> dict:
    archive, present = site.archive, site.present
    resolved = archive.resolved
    if entity.kind == "source":
        by_year: dict[int, list[int]] = {}
        for story in entity.stories:
            ended = resolved.outcome(story)
            counts = by_year.setdefault(story.date.year, [0, 0])
            counts[0] += ended != "open"
            counts[1] += ended == "came_true"
        return {"track": track_view(resolved.record(entity.stories)),
                "chart": hit_rate_chart({year: tuple(counts) for year, counts in by_year.items()})}
    if entity.kind == "coach":
        spells = resolved.careers.get(entity.name, [])
        reports = [(story.date, resolved.outcome(story)) for story in entity.stories]
        labels = [spell.club_name for spell in spells]
    else:
        spells = resolved.coaches_of.get(entity.name, [])
        reports = [(story.date, story.outcomes[story.club_names.index(entity.name)]) for story in entity.stories]
        labels = [spell.coach_name for spell in spells]
    career = tuple(Spell(name_ref(archive.entity("coach", spell.coach_name), spell.coach_name, present),
                         name_ref(archive.entity("club", spell.club_name), spell.club_name, present),
                         spell.start, spell.end, spell.source_name, spell.source_url) for spell in spells)
    linked = linked_sagas(site, entity)
    return {"career": career, "sagas": tuple(linked[:SAGA_LIMIT]), "more_sagas": max(0, len(linked) - SAGA_LIMIT),
            "chart": timeline_chart(reports, list(zip(spells, labels, strict=True)))}

