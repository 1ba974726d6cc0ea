"""``/stories/<year>/<slug>/``: one story, its body and the timelines it belongs to."""

from __future__ import annotations

from ..present import BodyRef, linked_data
from ..urls import file_for, story_url
from . import Page, Site

TEMPLATE = "story.html"


def pages(site: Site) -> list[Page]:
    present = site.present
    base = site.config.base_url.rstrip("/")
    return [Page(file_for(story_url(story)), TEMPLATE, {
        "url": story_url(story),
        "story": present.row(story),
        "linked_data": linked_data(present.row(story), story.source_url, story.lang, site.config.title,
                                   lambda path: base + path),
        "lang": story.lang,
        "source_url": story.source_url,
        "body": BodyRef(story.body_hash),
        "timelines": [present.counted(entity) for entity in (story.coach, *story.clubs, story.source)],
    }) for story in site.archive.stories]
