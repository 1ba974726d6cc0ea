"""Open data: every story as JSON and CSV, and the JSON Schema that describes them.

``FIELDS`` is the whole format: one line per published field, with its
JSON Schema and how it is read from a story.  The JSON, the CSV header and
the schema all follow it, so publishing a new field (a status, an outcome)
is adding one line here.

The files are pages like any other (``pages/data.py``): their context holds
one tuple of plain values per story, and the template hands it to the
filters below, so a warm build writes them exactly when a value changes.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from dataclasses import dataclass

from markupsafe import Markup

from .fingerprint import View
from .model import Story
from .present import Row

_TEXT = {"type": "string"}
_DATE = {"type": "string", "pattern": r"^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$"}


@dataclass(frozen=True)
class DataField:
    """One column of the CSV, one key of each JSON record."""

    name: str
    schema: dict  # its JSON Schema
    description: str  # for the schema and the README
    read: Callable[[Story, Row, Callable[[str], str]], object]  # (story, its row, absolute) -> a plain value


FIELDS: tuple[DataField, ...] = (
    DataField("url", {"type": "string", "format": "uri"}, "The story's page on this site.",
              lambda story, row, absolute: absolute(row.url)),
    DataField("headline", _TEXT, "The headline as the site shows it: the title, or the default one.",
              lambda story, row, absolute: row.title),
    DataField("title", {"type": ["string", "null"]}, "The title as written; null when the story gives none.",
              lambda story, row, absolute: story.title),
    DataField("coach", _TEXT, "The coach's canonical name (an alias is filed under it).",
              lambda story, row, absolute: story.coach_name),
    DataField("clubs", {"type": "array", "items": _TEXT, "minItems": 1},
              "The clubs' canonical names, in the order written.",
              lambda story, row, absolute: story.club_names),
    DataField("date", _DATE, "When the rumour was reported: YYYY-MM-DD, or YYYY-MM / YYYY when only that is known.",
              lambda story, row, absolute: story.date.iso),
    DataField("source", _TEXT, "The outlet or journalist that reported it.",
              lambda story, row, absolute: story.source_name),
    DataField("source_url", {"type": ["string", "null"], "format": "uri"},
              "The link to the original report; null when there is none.",
              lambda story, row, absolute: story.source_url),
    DataField("lang", _TEXT, "The language of the story's text, a BCP 47 tag such as it or pt-BR.",
              lambda story, row, absolute: story.lang),
    DataField("status", {"enum": ["rumour", "talks", "agreed", "signed", "denied", "collapsed"]},
              "What the report claims: rumour (the default), talks, agreed, signed, denied or collapsed.",
              lambda story, row, absolute: row.status),
    DataField("outcomes", {"type": "array", "items": {"enum": ["came_true", "did_not_happen", "open"]},
                           "minItems": 1},
              "What became of it, one per club in the order of clubs: came_true, did_not_happen or open.",
              lambda story, row, absolute: row.outcomes),
)
COLUMNS = tuple(field.name for field in FIELDS)
LIST_SEPARATOR = "; "  # how a CSV cell holds a list (the clubs); the JSON keeps the list itself


@dataclass(frozen=True)
class Records(View):
    """Every story's values, one tuple each: a view, so the JSON and the CSV share one digest."""

    columns: tuple[str, ...]
    rows: tuple[tuple, ...]


def record(story: Story, row: Row, absolute: Callable[[str], str]) -> tuple:
    """One story's values, in the order of ``FIELDS``."""
    return tuple(field.read(story, row, absolute) for field in FIELDS)


def schema(schema_url: str) -> dict:
    """The JSON Schema (draft 2020-12) of ``stories.json``."""
    properties = {field.name: {**field.schema, "description": field.description} for field in FIELDS}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": schema_url,
        "title": "Panchina stories",
        "description": "Every story of the archive, newest first.",
        "type": "array",
        "items": {"type": "object", "properties": properties, "required": list(COLUMNS),
                  "additionalProperties": False},
    }


def records_json(records: Records) -> Markup:
    """A JSON array with one object a line: small diffs, and any JSON reader takes it whole."""
    lines = (json.dumps(dict(zip(records.columns, values, strict=True)), ensure_ascii=False)
             for values in records.rows)
    return Markup("[\n" + ",\n".join(lines) + "\n]\n" if records.rows else "[]\n")


def records_csv(records: Records) -> Markup:
    """RFC 4180 CSV (UTF-8, CRLF, every cell quoted), each cell made safe to open in a spreadsheet."""
    text = io.StringIO()
    writer = csv.writer(text, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    writer.writerow(records.columns)
    for values in records.rows:
        writer.writerow([neutralise(cell_text(value)) for value in values])
    return Markup(text.getvalue())


def json_document(value: object) -> Markup:
    return Markup(json.dumps(value, ensure_ascii=False, indent=2) + "\n")


def cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, (tuple, list)):
        return LIST_SEPARATOR.join(value)
    return str(value)


# A spreadsheet reads a cell starting with one of these as a formula (OWASP, "CSV Injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(cell: str) -> str:
    """``'`` before a cell a spreadsheet would run as a formula, and before one already starting with ``'``.

    The second rule keeps it reversible: a reader drops one leading ``'``
    from any cell that has one and gets the value back exactly.
    """
    return "'" + cell if cell.startswith(FORMULA_STARTS) or cell.startswith("'") else cell


FILTERS = {"records_json": records_json, "records_csv": records_csv, "json_document": json_document}
