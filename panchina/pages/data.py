"""``/data/stories.json``, ``/data/stories.csv`` and their JSON Schema: the archive as open data.

The fields are listed once, in ``opendata.FIELDS``.  ``/data/appointments.json``
holds ``content/appointments.yaml`` as recorded, when there is one.
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
    appointments = [appointment_record(appointment) for appointment in site.archive.appointments]
    return [
        *([Page("data/appointments.json", "data/appointments.json",
                {"url": "/data/appointments.json", "appointments": appointments})] if appointments else []),
        Page("data/stories.json", TEMPLATE, {"url": "/data/stories.json", "records": records}),
        Page("data/stories.csv", "data/stories.csv", {"url": "/data/stories.csv", "records": records}),
        Page(SCHEMA_URL.lstrip("/"), "data/schema.json", {"url": SCHEMA_URL,
                                                          "schema": opendata.schema(absolute(SCHEMA_URL))}),
    ]


def appointment_record(appointment) -> dict:
    """One spell: canonical names, dates as written (``YYYY[-MM[-DD]]``), ``to`` null while it runs."""
    return {"coach": appointment.coach_name, "club": appointment.club_name, "from": appointment.start.iso,
            "to": appointment.end.iso if appointment.end else None, "source": appointment.source_name,
            "source_url": appointment.source_url}
