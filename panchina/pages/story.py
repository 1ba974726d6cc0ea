"""``/stories/<year>/<slug>/``: one story, its body and the timelines it belongs to."""

from __future__ import annotations

from ..present import BodyRef
from ..urls import file_for, story_url
from . import Page, Site

TEMPLATE = "story.html"


def pages(site: Site) -> list[Page]:
    present = site.present
    return [Page(file_for(story_url(story)), TEMPLATE, {
        "url": story_url(story),
        "story": present.row(story),
        "lang": story.lang,
        "source_url": story.source_url,
        "body": BodyRef(story.body_hash),
        "timelines": [present.counted(entity) for entity in (story.coach, *story.clubs, story.source)],
    }) for story in site.archive.stories]
