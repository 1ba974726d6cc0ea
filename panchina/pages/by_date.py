"""``/archive/``: every rumour by date, with a page per year and, for a long year, a page per month.

``/archive/`` lists the years with their counts; ``/archive/<year>/`` the
year's stories month by month, with links to its months.  A year of more
than ``PAGE_LIMIT`` stories is split like a long timeline: its page links to
a page per month, ``/archive/<year>/<mm>/``, and lists only the stories known
to the year alone.  Every page has the years with their counts, the current
one marked, and links to the newer and older page of its kind.
"""

from __future__ import annotations

from ..model import PartialDate, Story
from ..present import date_label
from ..urls import archive_url, file_for
from . import Page, Site

TEMPLATE = "by_date.html"
PAGE_LIMIT = 250  # a year with more stories lists its months instead of its stories


def pages(site: Site) -> list[Page]:
    years = by_year(site.archive.stories)
    year_links = [(year, len(stories), archive_url(year)) for year, stories in years]
    pages = [Page(file_for(archive_url()), TEMPLATE, {
        "url": archive_url(), "total": len(site.archive.stories), "year_links": year_links, "year": None, "month": None,
        "month_links": [], "sections": [], "newer": None, "older": None})]
    split = {year for year, stories in years if len(stories) > PAGE_LIMIT}
    every_month = [(year, month) for year, stories in years if year in split
                   for month, _ in by_month(stories) if month is not None]
    for index, (year, stories) in enumerate(years):
        months = by_month(stories)
        if year not in split:  # one page holds the year: its months are sections of it
            month_links = [(date_label(site.present.language, PartialDate(year, month)), len(members),
                            f"#when-{PartialDate(year, month).iso}")
                           for month, members in months if month is not None]
            pages.append(_page(site, archive_url(year), year, None, len(stories), year_links, month_links, months,
                               _link(years, index - 1), _link(years, index + 1)))
            continue
        month_links = [(date_label(site.present.language, PartialDate(year, month)), len(members),
                        archive_url(year, month)) for month, members in months if month is not None]
        pages.append(_page(site, archive_url(year), year, None, len(stories), year_links, month_links,
                           [(month, members) for month, members in months if month is None],
                           _link(years, index - 1), _link(years, index + 1)))
        for month, members in months:
            if month is not None:
                place = every_month.index((year, month))
                pages.append(_page(site, archive_url(year, month), year, month, len(stories), year_links,
                                   month_links, [(month, members)], _month_link(site, every_month, place - 1),
                                   _month_link(site, every_month, place + 1)))
    return pages


def by_year(stories: list[Story]) -> list[tuple[int, list[Story]]]:
    """Years newest first, each with its stories newest first (``stories`` are)."""
    years: dict[int, list[Story]] = {}
    for story in stories:
        years.setdefault(story.date.year, []).append(story)
    return list(years.items())


def by_month(stories: list[Story]) -> list[tuple[int | None, list[Story]]]:
    """One year's months newest first; stories known only to the year come last, under None."""
    months: dict[int | None, list[Story]] = {}
    for story in stories:
        months.setdefault(story.date.month, []).append(story)
    return sorted(months.items(), key=lambda item: -(item[0] or 0))


def _link(years, index: int):
    """(label, url) of the year at ``index``, or None past either end."""
    if 0 <= index < len(years):
        return str(years[index][0]), archive_url(years[index][0])
    return None


def _month_link(site: Site, months: list[tuple[int, int]], index: int):
    """(label, url) of the month at ``index`` of every month with a page, or None past either end."""
    if 0 <= index < len(months):
        year, month = months[index]
        return date_label(site.present.language, PartialDate(year, month)), archive_url(year, month)
    return None


def _page(site: Site, url: str, year: int, month: int | None, count: int, year_links, month_links, months,
          newer, older) -> Page:
    present = site.present
    sections = [(PartialDate(year, month), [present.row(story) for story in stories]) for month, stories in months]
    return Page(file_for(url), TEMPLATE, {
        "url": url, "total": len(site.archive.stories), "year": year, "month": month, "count": count,
        "year_links": year_links, "month_links": month_links, "sections": sections,
        "newer": newer, "older": older})
