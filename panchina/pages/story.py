"""``/stories/<year>/<slug>/``: one story, its body and the timelines it belongs to."""

from __future__ import annotations

from ..model import Entity, Story
from ..present import BodyRef, SagaLine, ordinal_form, saga_has_page
from ..reads import place_id
from ..urls import file_for, saga_url, story_url
from . import Page, Site

TEMPLATE = "story.html"


def units(site: Site) -> list[tuple[str, Story]]:
    return [(place_id(story.place), story) for story in site.archive.stories]


def subject(site: Site, unit: str) -> Story | None:
    """One unit's story, without listing them all: the preview plans a saved story's page alone."""
    return site.archive.story_at(unit)


def pages(site: Site, story: Story) -> list[Page]:
    present = site.present
    return [Page(file_for(story_url(story)), TEMPLATE, {
        "url": story_url(story),
        "story": present.row(story),
        "lang": story.lang,
        "source_url": story.source_url,
        "body": BodyRef(story.body_hash),
        "timelines": [present.counted(entity) for entity in (story.coach, *story.clubs, story.source)],
        "sagas": [saga_line(site, story, club) for club in story.clubs],
    })]


def saga_line(site: Site, story: Story, club: Entity) -> SagaLine:
    """Which approach of the coach by this club the story belongs to (issue 9)."""
    saga = site.archive.resolved.sagas[(story.coach_name, club.name)]
    number = saga.number_of(story)
    url = saga_url(story.coach, club) if saga_has_page(saga, story.coach, club) else None
    return SagaLine(story.coach_name, club.name, url, number, len(saga.approaches),
                    ordinal_form(site.present.language, number),
                    saga.first_years)
