"""Charts drawn at build time: the geometry of inline SVG, as plain data.

Only numbers and path strings are made here; the template writes the SVG
around them with its words (title, text alternative, table headings) from
the catalogue, and colours come from the stylesheet (``currentColor`` and
CSS variables), so a chart follows dark mode.  Rumours are counted into at
most ``MAX_BINS`` columns, and each outcome is one ``<path>``: a chart is a
few KB whether it shows 1 rumour or 2,000, and costs one pass over the
stories it shows.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from .fingerprint import View
from .model import Appointment, PartialDate

WIDTH = 420  # drawn near the size it is shown at: 11-unit text stays about 10 px on a 390 px phone
PLOT_LEFT = 8
PLOT_RIGHT = WIDTH - 8
COLUMNS_HEIGHT = 90  # the tallest column of rumours
LANE = 16  # one spell per lane
AXIS = 22
MAX_BINS = 48
MAX_TICKS = 8
OUTCOMES = ("came_true", "did_not_happen", "open")


def _month(day: date) -> int:
    return day.year * 12 + day.month - 1


class _Axis:
    """Months from January of the first year to December of the last, mapped onto the plot's width."""

    def __init__(self, first_year: int, last_year: int):
        self.first = first_year * 12
        self.months = (last_year - first_year + 1) * 12
        self.first_year, self.last_year = first_year, last_year

    def x(self, month: float) -> float:
        return PLOT_LEFT + (month - self.first) / self.months * (PLOT_RIGHT - PLOT_LEFT)

    def ticks(self) -> tuple[tuple[float, int], ...]:
        years = self.last_year - self.first_year + 1
        step = max(1, -(-years // MAX_TICKS))
        return tuple((round(self.x(year * 12), 1), year)
                     for year in range(self.first_year, self.last_year + 1, step))


def _r(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


@dataclass(frozen=True)
class TimelineChart(View):
    """Spells as bars above columns of rumours by outcome; ``years`` is the table behind it."""

    width: int
    height: int
    base: int  # y of the columns' foot
    tallest: int  # rumours in the tallest column
    ticks: tuple[tuple[float, int], ...]  # (x, year)
    # (x, y, width, label, still running, label's x, label's text-anchor)
    bars: tuple[tuple[str, int, str, str, bool, str, str], ...]
    lane: int
    paths: tuple[tuple[str, str], ...]  # (outcome, path)
    years: tuple[tuple[int, tuple[int, ...]], ...]  # (year, counts in OUTCOMES order)
    totals: tuple[int, ...]  # rumours by outcome, in OUTCOMES order


@dataclass(frozen=True)
class HitRateChart(View):
    """A source's hit rate, a column per year with resolved reports; ``years`` is the table behind it."""

    width: int
    height: int
    base: int
    ticks: tuple[tuple[float, int], ...]
    path: str
    years: tuple[tuple[int, int, int, int | None], ...]  # (year, resolved, came true, rate in %)


def timeline_chart(reports: list[tuple[PartialDate, str]], spells: list[tuple[Appointment, str]]) -> TimelineChart:
    """Spells as bars (one lane each) above columns of rumours counted by outcome.

    ``reports``: each rumour's date and outcome; ``spells``: each spell with
    the name its bar is labelled with.  Returns the SVG's size, the axis
    ticks, the bars, one path per outcome, and the counts per year for the
    table that stands in for the picture.
    """
    years = [when.year for when, _ in reports]
    years += [day.year for spell, _ in spells for day in (spell.start, spell.end) if day is not None]
    axis = _Axis(min(years), max(years))
    bin_months = max(1, -(-axis.months // MAX_BINS))
    counts: dict[int, dict[str, int]] = {}
    per_year: dict[int, dict[str, int]] = {}
    for when, result in reports:
        column = (_month(when.start) - axis.first) // bin_months
        counts.setdefault(column, dict.fromkeys(OUTCOMES, 0))[result] += 1
        per_year.setdefault(when.year, dict.fromkeys(OUTCOMES, 0))[result] += 1
    tallest = max((sum(column.values()) for column in counts.values()), default=1)
    top = len(spells) * LANE + (6 if spells else 0)
    base = top + COLUMNS_HEIGHT
    paths = {result: [] for result in OUTCOMES}
    width = (PLOT_RIGHT - PLOT_LEFT) * bin_months / axis.months
    for column, by_result in sorted(counts.items()):
        x = PLOT_LEFT + column * width
        y = base
        for result in OUTCOMES:
            if by_result[result]:
                height = by_result[result] / tallest * COLUMNS_HEIGHT
                y -= height
                side = _r(max(width - 1, 1))
                paths[result].append(f"M{_r(x + 0.5)} {_r(y)}h{side}v{_r(height)}h-{side}z")
    last_month = axis.first + axis.months
    bars = []
    for lane, (spell, label) in enumerate(spells):
        start = _month(spell.start.start)
        end = _month(spell.end.last) + 1 if spell.end is not None else last_month
        x = axis.x(start)
        right = x + max(axis.x(end) - x, 2)
        # A label reads from the bar's start, or, for a bar in the right half, ends at its end: a
        # spell that began lately would otherwise run its name off the chart's edge.
        label_at = (_r(x + 3), "start") if x < WIDTH / 2 else (_r(right - 3), "end")
        bars.append((_r(x), lane * LANE + 2, _r(right - x), label, spell.end is None, *label_at))
    return TimelineChart(
        WIDTH, base + AXIS, base, tallest, axis.ticks(), tuple(bars), LANE,
        tuple((result, "".join(paths[result])) for result in OUTCOMES if paths[result]),
        tuple((year, tuple(per_year[year][result] for result in OUTCOMES)) for year in sorted(per_year)),
        tuple(sum(1 for _, result in reports if result == wanted) for wanted in OUTCOMES))


def hit_rate_chart(by_year: dict[int, tuple[int, int]]) -> HitRateChart:
    """A source's hit rate year by year: a column per year with resolved reports, as tall as its rate.

    ``by_year``: year -> (resolved reports, how many came true).
    """
    axis = _Axis(min(by_year), max(by_year))
    width = (PLOT_RIGHT - PLOT_LEFT) / (axis.last_year - axis.first_year + 1)
    columns = []
    for year, (resolved, hits) in sorted(by_year.items()):
        if resolved:
            height = hits / resolved * COLUMNS_HEIGHT
            x = axis.x(year * 12)
            columns.append(f"M{_r(x + 1)} {_r(COLUMNS_HEIGHT - height)}h{_r(max(width - 2, 1))}"
                           f"v{_r(height)}h-{_r(max(width - 2, 1))}z")
    return HitRateChart(
        WIDTH, COLUMNS_HEIGHT + AXIS, COLUMNS_HEIGHT, axis.ticks(), "".join(columns),
        tuple((year, resolved, hits, round(100 * hits / resolved) if resolved else None)
              for year, (resolved, hits) in sorted(by_year.items())))
