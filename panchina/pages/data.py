"""``/data/stories.json``, ``/data/stories.csv`` and their JSON Schema: the archive as open data.

The fields are listed once, in ``opendata.FIELDS``.
"""

from __future__ import annotations

from .. import opendata
from . import Page, Site

TEMPLATE = "data/stories.json"
SCHEMA_URL = "/data/stories.schema.json"


def pages(site: Site) -> list[Page]:
    base = site.config.base_url.rstrip("/")

    def absolute(path: str) -> str:
        return base + path

    records = opendata.Records(opendata.COLUMNS, tuple(opendata.record(story, site.present.row(story), absolute)
                                                       for story in site.archive.stories))
    return [
        Page("data/stories.json", TEMPLATE, {"url": "/data/stories.json", "records": records}),
        Page("data/stories.csv", "data/stories.csv", {"url": "/data/stories.csv", "records": records}),
        Page(SCHEMA_URL.lstrip("/"), "data/schema.json", {"url": SCHEMA_URL,
                                                          "schema": opendata.schema(absolute(SCHEMA_URL))}),
    ]
