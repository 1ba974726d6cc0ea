"""``/archive/``: every rumour by date, with a page per year and, for a long year, a page per month.

``/archive/`` lists the years with their counts; ``/archive/<year>/`` the
year's stories month by month, with links to its months.  A year of more
than ``PAGE_LIMIT`` stories is split like a long timeline: its page links to
a page per month, ``/archive/<year>/<mm>/``, and lists only the stories known
to the year alone.  Any of these pages with more than ``PAGE_LIMIT`` stories
still (a busy month of a large archive) goes on over numbered pages,
``/archive/2026/03/2/``.  Every page has the years with their counts, the
current one marked, and links to the newer and older page of its kind.
"""

from __future__ import annotations

from ..model import PartialDate, Story
from ..present import date_label
from ..urls import archive_url, file_for
from . import Page, Site, split_into_pages

TEMPLATE = "by_date.html"
PAGE_LIMIT = 250  # a year with more stories lists its months instead of its stories; a longer page is split


def pages(site: Site) -> list[Page]:
    language = site.present.language
    years = by_year(site.archive.stories)
    year_links = [(year, len(stories), archive_url(year)) for year, stories in years]
    pages = [Page(file_for(archive_url()), TEMPLATE, {
        "url": archive_url(), "total": len(site.archive.stories), "year_links": year_links, "year": None, "month": None,
        "month_url": None, "month_links": [], "sections": [], "newer": None, "older": None})]
    year_chain, month_chain = [], []  # (label, url, year, month, count, month_links, sections): newest first
    for year, stories in years:
        months = by_month(stories)
        if len(stories) <= PAGE_LIMIT:  # one page holds the year: its months are sections of it
            month_links = [(date_label(language, PartialDate(year, month)), len(members),
                            f"#when-{PartialDate(year, month).iso}") for month, members in months if month is not None]
            year_chain.append((str(year), archive_url(year), year, None, len(stories), month_links, months))
            continue
        month_links = [(date_label(language, PartialDate(year, month)), len(members), archive_url(year, month))
                       for month, members in months if month is not None]
        year_chain.append((str(year), archive_url(year), year, None, len(stories), month_links,
                           [(month, members) for month, members in months if month is None]))
        month_chain += [(label, url, year, month, len(stories), month_links, [(month, members)])
                        for (label, _, url), (month, members) in zip(month_links, [m for m in months if m[0]],
                                                                     strict=True)]
    for chain in (year_chain, month_chain):
        parts = [part for entry in chain for part in _parts(*entry)]
        for index, (_, url, year, month, count, month_links, sections) in enumerate(parts):
            pages.append(_page(site, url, year, month, count, year_links, month_links, sections,
                               _link(parts, index - 1), _link(parts, index + 1)))
    return pages


def _parts(label: str, url: str, year: int, month: int | None, count: int, month_links, sections) -> list[tuple]:
    """One archive page, or its numbered pages when it lists more than PAGE_LIMIT stories (``2026 (2)``)."""
    pieces = [[(when, stories) for when, stories, _ in page] for page in split_into_pages(sections, PAGE_LIMIT)]
    return [(label if number == 1 else f"{label} ({number})", url if number == 1 else f"{url}{number}/",
             year, month, count, month_links, piece) for number, piece in enumerate(pieces, 1)]


def _link(parts: list[tuple], index: int) -> tuple[str, str] | None:
    """(label, url) of the page at ``index`` of a chain, or None past either end."""
    return (parts[index][0], parts[index][1]) if 0 <= index < len(parts) else None


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


def _page(site: Site, url: str, year: int, month: int | None, count: int, year_links, month_links, months,
          newer, older) -> Page:
    present = site.present
    sections = [(PartialDate(year, when), [present.row(story) for story in stories]) for when, stories in months]
    return Page(file_for(url), TEMPLATE, {
        "url": url, "total": len(site.archive.stories), "year": year, "month": month, "count": count,
        "month_url": archive_url(year, month) if month else None, "year_links": year_links,
        "month_links": month_links, "sections": sections, "newer": newer, "older": older})
