"""Resolution of reports against appointments, on hand-built cases (issue 9).

Each boundary the rules name has a case on either side: the 12-month
window to the day, month-only and year-only dates, an appointment that
starts before the report, several clubs in one story, aliases, re-reports
grouped into one approach, saga ordinals and the hit-rate threshold.
"""

from __future__ import annotations

from datetime import date

import pytest

from panchina.appointments import load_appointments
from panchina.config import Registry
from panchina.model import Appointment, Entity, PartialDate, Story, link_archive
from panchina.outcomes import (
    approaches,
    combined,
    months_later,
    newest_date,
    outcome,
    resolve,
    track_record,
    wilson,
)


def day(text: str) -> PartialDate:
    parts = [int(part) for part in text.split("-")]
    return PartialDate(*parts)


def spell(start: str, end: str | None = None, coach="Allegri", club="Real Madrid") -> Appointment:
    return Appointment(coach, club, day(start), day(end) if end else None, "Marca")


def story(when: str, clubs=("Real Madrid",), coach="Allegri", name=None) -> Story:
    return Story(path=f"content/stories/{name or when}.md", place=(name or when,), coach_name=coach,
                 club_names=tuple(clubs), date=day(when), source_name="Marca", source_url=None, title=None,
                 lang="en", body_hash="", body_line=1)


def archive_of(stories: list[Story]):
    coaches, clubs, sources = {}, {}, {}
    for item in stories:
        coaches.setdefault(item.coach_name, Entity("coach", item.coach_name, item.coach_name.lower()))
        for club in item.club_names:
            clubs.setdefault(club, Entity("club", club, club.lower().replace(" ", "-")))
        sources.setdefault(item.source_name, Entity("source", item.source_name, item.source_name.lower()))
    return link_archive(stories, coaches, clubs, sources)


# --- The 12-month window, to the day.

@pytest.mark.parametrize(("start", "expected"), [
    ("2025-03-04", "came_true"),  # the day of the report
    ("2026-03-04", "came_true"),  # exactly 12 months later: still within
    ("2026-03-05", "did_not_happen"),  # a day too late, and by then 12 months had passed
    ("2025-03-03", "did_not_happen"),  # the day before the report: already in charge, not "took charge"
])
def test_the_window_is_twelve_months_after_the_report_to_the_day(start, expected):
    assert outcome(day("2025-03-04"), [spell(start)], now=date(2027, 1, 1)) == expected


def test_twelve_months_must_have_passed_before_a_report_did_not_happen():
    report = day("2025-03-04")
    assert outcome(report, [], now=date(2026, 3, 4)) == "open"  # the last day of the window: it could still happen
    assert outcome(report, [], now=date(2026, 3, 5)) == "did_not_happen"


def test_months_later_keeps_the_day_or_takes_the_last_of_a_shorter_month():
    assert months_later(date(2024, 2, 29), 12) == date(2025, 2, 28)
    assert months_later(date(2025, 1, 31), 1) == date(2025, 2, 28)
    assert months_later(date(2025, 12, 15), 12) == date(2026, 12, 15)


# --- Partial dates: the first possible day for "came true", the last for "did not happen".

def test_a_month_only_report_counts_from_its_last_day_for_did_not_happen():
    report = day("2025-03")
    assert outcome(report, [], now=date(2026, 3, 31)) == "open"  # 12 months after 2025-03-31 is this day
    assert outcome(report, [], now=date(2026, 4, 1)) == "did_not_happen"


def test_a_year_only_report_counts_from_its_last_day_for_did_not_happen():
    report = day("2019")
    assert outcome(report, [], now=date(2020, 12, 31)) == "open"
    assert outcome(report, [], now=date(2021, 1, 1)) == "did_not_happen"


def test_a_month_only_report_counts_from_its_first_day_for_came_true():
    report = day("2025-03")
    assert outcome(report, [spell("2025-03-01")], now=date(2027, 1, 1)) == "came_true"
    assert outcome(report, [spell("2026-03-01")], now=date(2027, 1, 1)) == "came_true"
    assert outcome(report, [spell("2026-03-02")], now=date(2027, 1, 1)) == "did_not_happen"
    assert outcome(report, [spell("2025-02-28")], now=date(2027, 1, 1)) == "did_not_happen"


def test_a_year_only_report_counts_from_its_first_day_for_came_true():
    report = day("2021")
    assert outcome(report, [spell("2022-01-01")], now=date(2030, 1, 1)) == "came_true"
    assert outcome(report, [spell("2022-01-02")], now=date(2030, 1, 1)) == "did_not_happen"


def test_a_partial_appointment_may_fall_anywhere_in_its_period():
    # "from: 2021" may be after a June 2021 report; "from: 2020" cannot be.
    assert outcome(day("2021-06-10"), [spell("2021")], now=date(2030, 1, 1)) == "came_true"
    assert outcome(day("2021-06-10"), [spell("2020")], now=date(2030, 1, 1)) == "did_not_happen"
    assert outcome(day("2021-06-10"), [spell("2022-06")], now=date(2030, 1, 1)) == "came_true"
    assert outcome(day("2021-06-10"), [spell("2022-07")], now=date(2030, 1, 1)) == "did_not_happen"


# --- Whole archives: now, several clubs, aliases, approaches.

def test_now_is_the_newest_date_in_the_content_never_the_clock():
    stories = [story("2019"), story("2024-05")]
    assert newest_date(stories, [spell("2025", "2026-02-03")]) == date(2026, 2, 3)
    assert newest_date(stories, []) == date(2024, 5, 1)  # a partial date counts from its first day
    assert newest_date([], []) is None


def test_each_club_of_a_story_is_resolved_on_its_own():
    report = story("2021", clubs=("Real Madrid", "Juventus"))
    later = story("2026-03-04", clubs=("Milan",))
    archive = archive_of([report, later])
    resolve(archive, [spell("2021", club="Juventus")])
    assert report.outcomes == ("did_not_happen", "came_true")
    assert later.outcomes == ("open",)


def test_an_alias_in_the_appointments_file_resolves_to_the_canonical_name(tmp_path):
    (tmp_path / "appointments.yaml").write_text(
        "- coach: Max Allegri\n  club: Juve\n  from: 2021\n  source: Marca\n")
    registries = {"coach": Registry({"Max Allegri": "Allegri"}, {"Allegri": ("Max Allegri",)}),
                  "club": Registry({"Juve": "Juventus"}, {"Juventus": ("Juve",)})}
    report = story("2021", clubs=("Juventus",))
    archive = archive_of([report])
    errors = []
    spells = load_appointments(tmp_path, registries, archive, date(2026, 11, 26), errors)
    assert errors == []
    assert [(item.coach_name, item.club_name) for item in spells] == [("Allegri", "Juventus")]
    resolve(archive, spells)
    assert report.outcomes == ("came_true",)


def test_reports_less_than_60_days_apart_are_one_approach():
    first, again, sixty, later = (story("2025-01-01", name="a"), story("2025-03-01", name="b"),
                                  story("2025-04-30", name="c"), story("2026-03-04", name="d"))
    groups = approaches([later, sixty, again, first])
    # 59 days from 1 January to 1 March: one approach; 60 days on to 30 April: a new one.
    assert [[item.place[0] for item in group] for group in groups] == [["a", "b"], ["c"], ["d"]]


def test_the_demo_saga_numbers_its_approaches_with_their_outcomes():
    stories = [story("2019", name="s2019"), story("2021", ("Real Madrid", "Juventus"), name="s2021"),
               story("2026-03-04", name="s2026")]
    archive = archive_of(stories)
    resolved = resolve(archive, [spell("2021", club="Juventus")])
    saga = resolved.sagas[("Allegri", "Real Madrid")]
    assert [saga.number_of(item) for item in stories] == [1, 2, 3]
    assert saga.outcomes == ["did_not_happen", "did_not_happen", "open"]
    assert resolved.sagas[("Allegri", "Juventus")].outcomes == ["came_true"]


def test_an_approach_came_true_if_any_report_did():
    assert combined(["did_not_happen", "came_true"]) == "came_true"
    assert combined(["did_not_happen", "open"]) == "open"
    assert combined(["did_not_happen", "did_not_happen"]) == "did_not_happen"


# --- Track records.

def test_a_hit_rate_needs_five_resolved_reports():
    four = track_record(["came_true"] * 4 + ["open"] * 10)
    five = track_record(["came_true"] * 4 + ["did_not_happen"] + ["open"])
    assert (four.reports, four.resolved, four.came_true, four.enough) == (14, 4, 4, False)
    assert (five.reports, five.resolved, five.came_true, five.enough, five.rate) == (6, 5, 4, True, 0.8)


def test_the_wilson_interval_does_not_take_two_out_of_two_for_certainty():
    interval = wilson(2, 2)
    assert interval.high == 1.0
    assert round(interval.low, 3) == 0.342
    half = wilson(50, 100)
    assert (round(half.low, 3), round(half.high, 3)) == (0.404, 0.596)
    assert (wilson(0, 0).low, wilson(0, 0).high) == (0.0, 1.0)
