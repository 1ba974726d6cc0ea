"""Open data: /data/stories.json and .csv against their JSON Schema, round-tripped; formulas neutralised (issue 11)."""

from __future__ import annotations

import csv
import io
import json
import re

import pytest
from jsonschema import Draft202012Validator

from panchina.opendata import COLUMNS, FIELDS, LIST_SEPARATOR, neutralise
from tests.conftest import ROOT
from tests.reach_sites import BASE, HOSTILE_TITLE, build_site, write_hostile_content


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    return build_site(ROOT / "content", tmp_path_factory.mktemp("demo") / "output")


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hostile")
    return build_site(write_hostile_content(folder), folder / "output")


def records(files) -> list[dict]:
    return json.loads(files["data/stories.json"])


def csv_rows(files) -> list[list[str]]:
    text = files["data/stories.csv"].decode("utf-8")
    assert text.endswith("\r\n") and "\n" not in text.replace("\r\n", "")
    return list(csv.reader(io.StringIO(text, newline="")))


def unneutralise(cell: str) -> str:
    """What the README tells a reader to do: drop one leading ' from a cell that has one."""
    return cell[1:] if cell.startswith("'") else cell


def test_the_json_is_valid_against_the_published_schema(demo, hostile):
    schema = json.loads(demo["data/stories.schema.json"])
    Draft202012Validator.check_schema(schema)
    assert schema["$id"] == f"{BASE}/data/stories.schema.json"
    assert list(schema["items"]["properties"]) == schema["items"]["required"] == list(COLUMNS)
    assert schema["items"]["additionalProperties"] is False  # a record with an unknown field is invalid
    for files in (demo, hostile):
        validator = Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)
        assert [error.message for error in validator.iter_errors(records(files))] == []


def test_every_story_is_there_newest_first_with_every_field(demo):
    data = records(demo)
    pages = sorted(name for name in demo if re.fullmatch(r"stories/.+/index\.html", name))
    assert sorted(f"{record['url'].removeprefix(BASE).lstrip('/')}index.html" for record in data) == pages
    assert [record["date"] for record in data] == ["2026-03-04"] * 3 + ["2026", "2021", "2019"]
    milan = next(record for record in data if record["url"].endswith("/dubbi-sul-futuro-di-allegri-al-milan/"))
    assert milan == {
        "url": f"{BASE}/stories/2026/dubbi-sul-futuro-di-allegri-al-milan/",
        "headline": "Dubbi sul futuro di Allegri al Milan", "title": "Dubbi sul futuro di Allegri al Milan",
        "coach": "Massimiliano Allegri", "clubs": ["Milan"],  # written as the aliases Max Allegri, AC Milan
        "date": "2026-03-04", "source": "Corriere dello Sport", "source_url": None, "lang": "it",
        "status": "rumour", "outcomes": ["open"]}


def test_the_csv_holds_the_same_records(demo, hostile):
    for files in (demo, hostile):
        header, *rows = csv_rows(files)
        assert header == list(COLUMNS)
        expected = [[LIST_SEPARATOR.join(value) if isinstance(value, list) else "" if value is None else value
                     for value in record.values()] for record in records(files)]
        assert [[unneutralise(cell) for cell in row] for row in rows] == expected


def test_cells_a_spreadsheet_would_run_are_neutralised(hostile):
    header, *rows = csv_rows(hostile)
    formula = dict(zip(header, next(row for row in rows if row[0].endswith("/formula-coach/")), strict=True))
    assert formula["coach"] == "'=HYPERLINK(\"http://evil.example\",\"x\")"
    assert formula["clubs"] == "'+Inter; -Roma"
    assert formula["source"] == "'@FabrizioRomano"
    assert formula["title"] == "''quoted"  # a leading ' is doubled, so that dropping one is always right
    story = dict(zip(header, next(row for row in rows if row[0].endswith("/script-title/")), strict=True))
    assert story["title"] == HOSTILE_TITLE
    assert next(record for record in records(hostile) if record["url"].endswith("/formula-coach/"))["coach"] == \
        '=HYPERLINK("http://evil.example","x")'


@pytest.mark.parametrize("cell", ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx", "'x"])
def test_neutralise_prefixes_formula_starts_and_quotes(cell):
    assert neutralise(cell) == "'" + cell
    assert unneutralise(neutralise(cell)) == cell


@pytest.mark.parametrize("cell", ["Allegri", "2026-03-04", "", "a=b", " =x"])
def test_neutralise_leaves_other_cells_alone(cell):
    assert neutralise(cell) == cell


def test_the_readme_documents_every_field():
    section = (ROOT / "README.md").read_text(encoding="utf-8").split("## Open data", 1)[1].split("\n## ", 1)[0]
    for field in FIELDS:
        assert f"| `{field.name}` |" in section, field.name


def test_the_appointments_are_published_as_recorded(demo):
    appointments = json.loads(demo["data/appointments.json"])
    assert appointments == [
        {"coach": "Massimiliano Allegri", "club": "Juventus", "from": "2021", "to": None,
         "source": "Corriere dello Sport", "source_url": "https://www.corrieredellosport.it/"},
        {"coach": "Álvaro Arbeloa", "club": "Real Madrid", "from": "2026", "to": None,
         "source": "Corriere dello Sport", "source_url": "https://www.corrieredellosport.it/"}]
