"""The presentation layer: the model turned into the views that pages receive.

Views are frozen dataclasses of plain data (see ``fingerprint.py``): exactly
what a template shows, so that a page's fingerprint covers everything it
renders.  Words are chosen here or in the templates, in the interface
language: the default headline, joined lists of names.  Dates and counts
stay facts until a template formats them with the ``date`` and ``number``
filters and ``ngettext``.

A ``Presenter`` lives for one build and makes each view once: a story's row
appears on up to a dozen pages, and its digest is computed only once.
"""

from __future__ import annotations

from dataclasses import dataclass

from babel import Locale, UnknownLocaleError

from .fingerprint import View
from .i18n import Language
from .model import Entity, EntityKind, PartialDate, Story
from .outcomes import ENOUGH_RESOLVED
from .urls import entity_url, story_url


@dataclass(frozen=True)
class Ref(View):
    """A link to a coach, club or source, as a list of stories shows it."""

    name: str
    url: str


@dataclass(frozen=True)
class Counted(View):
    """A link with the number of rumours behind it (indexes, "every rumour about…")."""

    kind: EntityKind
    name: str
    url: str
    count: int


@dataclass(frozen=True)
class Row(View):
    """One story in a list: what every listing shows about it."""

    url: str
    title: str
    date: PartialDate
    coach: Ref
    clubs: tuple[Ref, ...]
    source: Ref
    lang: str = ""  # the language of the headline and body: a listing marks it where it differs from the site's
    status: str = "rumour"  # what the report claims (issue 9); its word is in the templates
    outcomes: tuple[str, ...] = ()  # what became of it, one per club: came_true, did_not_happen, open


@dataclass(frozen=True)
class BodyRef(View):
    """A story's rendered body, looked up by the hash of its Markdown when the page is rendered."""

    key: str


@dataclass(frozen=True)
class Head(View):
    """The top of a timeline: who, how many, since when, and with whom most often."""

    kind: EntityKind
    name: str
    url: str
    count: int
    first_date: PartialDate
    latest_date: PartialDate
    partners: tuple[tuple[Ref, int], ...]
    aliases: tuple[str, ...]


class Presenter:
    """Makes the views of stories and entities, each once, remembered by the facts it is made from.

    A view is a pure function of a few facts (a row of the story's place,
    title, date and names; a link of the entity's kind and name), so the
    same facts give back the same view object, digest included.  The
    preview keeps one presenter from build to build: unchanged stories then
    cost a lookup.  ``begin()`` starts a build and forgets what the one
    before last used.
    """

    def __init__(self, language: Language):
        self.language = language
        self._views: dict[tuple, View] = {}
        self._older: dict[tuple, View] = {}
        # This build's rows by story object (the archive holds every story for the whole build, so an
        # id is not reused): a story's row is asked for on a dozen pages, each time building the key below.
        self._rows: dict[int, View] = {}

    def begin(self) -> None:
        self._older, self._views, self._rows = self._views, {}, {}

    def _view(self, key: tuple, make) -> View:
        view = self._views.get(key)
        if view is None:
            view = self._older.get(key)
            if view is None:
                view = make()
            self._views[key] = view
        return view

    def ref(self, entity: Entity) -> Ref:
        return self._view(("ref", entity.kind, entity.name), lambda: Ref(entity.name, entity_url(entity)))

    def counted(self, entity: Entity) -> Counted:
        return self._view(("counted", entity.kind, entity.name, entity.count), lambda: Counted(
            entity.kind, entity.name, entity_url(entity), entity.count))

    def row(self, story: Story) -> Row:
        known = self._rows.get(id(story))
        if known is not None:
            return known
        key = ("row", story.place, story.title, story.date, story.coach_name, story.club_names, story.source_name,
               story.lang, story.status, story.outcomes)
        view = self._views.get(key)  # inline: this runs for every story on every page that lists it
        if view is None:
            view = self._view(key, lambda: Row(
                story_url(story), self.title(story), story.date, self.ref(story.coach),
                tuple(self.ref(club) for club in story.clubs), self.ref(story.source), story.lang,
                story.status, story.outcomes))
        self._rows[id(story)] = view
        return view

    def head(self, entity: Entity) -> Head:
        partners = tuple((self.ref(other), count) for other, count in entity.partners)
        return self._view(("head", entity.kind, entity.name, entity.count, entity.first_date, entity.latest_date,
                           partners, entity.aliases), lambda: Head(
            entity.kind, entity.name, entity_url(entity), entity.count, entity.first_date, entity.latest_date,
            partners, entity.aliases))

    def title(self, story: Story) -> str:
        """The headline as written, or ``Coach linked with Club`` in the interface language."""
        if story.title is not None:
            return story.title
        return self.language.gettext("%(coach)s linked with %(clubs)s", coach=story.coach_name,
                                     clubs=self.language.join(list(story.club_names)))


def language_name(code: str) -> str:
    """A language's name in that language (``Italiano``, ``Español``), as language pickers show them."""
    try:
        name = Locale.parse(code, sep="-").get_display_name()
    except (ValueError, UnknownLocaleError):
        return code
    return name[:1].upper() + name[1:] if name else code


def language_name_in(code: str, language: Language) -> str:
    """A language's name in the interface language (``inglese`` on an Italian site), capitalized as a label."""
    try:
        name = Locale.parse(code, sep="-").get_display_name(language.locale)
    except (ValueError, UnknownLocaleError):
        return code
    return name[:1].upper() + name[1:] if name else code


# Link previews and structured data (issue 11).

SCHEMA_ORG = {"@vocab": "https://schema.org/"}  # inline, so that no reader or test fetches a remote context


def linked_data(row: Row, source_url: str | None, lang: str, site_title: str, absolute) -> dict:
    """A story as a schema.org ``NewsArticle`` about its coach and clubs, citing its source (JSON-LD).

    Used as a template filter on the story's row: it is made only when the
    page is rendered, from values the page's context holds already.
    ``absolute`` turns a site path into the full address.  A partial date
    stays partial (``2026-03``): schema.org dates are ISO 8601, which
    allows the reduced precision, and a day we do not know is not invented.
    """
    cited = {"@type": "CreativeWork", "publisher": {"@type": "Organization", "name": row.source.name}}
    if source_url:
        cited["url"] = source_url
    return {
        "@context": SCHEMA_ORG,
        "@type": "NewsArticle",
        "headline": row.title,
        "datePublished": row.date.iso,
        "inLanguage": lang,
        "url": absolute(row.url),
        "image": absolute("/static/share.png"),
        "about": [{"@type": "Person", "name": row.coach.name, "url": absolute(row.coach.url)},
                  *({"@type": "SportsTeam", "name": club.name, "url": absolute(club.url)} for club in row.clubs)],
        "citation": cited,
        "publisher": {"@type": "Organization", "name": site_title, "url": absolute("/")},
    }


def date_label(language: Language, when: PartialDate) -> str:
    """A date in words for a link's label ("March 2026"), where a page names another period.

    Formatted here rather than in the template so that the context holds
    text, not a date: a page's dates are the stories it shows, and nothing
    that reads a context for them (the sitemap's lastmod) should take the
    next month's link for one of them.
    """
    return language.date(when)


# --- Outcomes, sagas, track records and careers (issue 9) ---------------------------------

@dataclass(frozen=True)
class SagaLine(View):
    """A story's place in one saga: "Real Madrid's 3rd approach for Allegri: 2019, 2021, 2026"."""

    coach: str
    club: str
    url: str | None  # the saga page, when there is one
    number: int  # the approach this story belongs to, 1-based
    total: int  # approaches in the saga
    ordinal: str  # the CLDR ordinal category of ``number`` in the interface language: one, two, few, other…
    years: tuple[int, ...]  # the year each approach began


@dataclass(frozen=True)
class SagaRef(View):
    """A saga as a timeline lists it."""

    name: str  # the other side: the club on a coach's timeline, the coach on a club's
    url: str
    approaches: int
    reports: int
    outcome: str  # of the latest approach


@dataclass(frozen=True)
class Spell(View):
    """One appointment, as a career or a saga shows it."""

    coach: Ref
    club: Ref
    start: PartialDate
    end: PartialDate | None
    source: str
    source_url: str | None


@dataclass(frozen=True)
class Approach(View):
    """One approach of a saga: its reports (rows) and its outcome."""

    number: int
    ordinal: str
    start: PartialDate
    outcome: str
    stories: tuple[Row, ...]
    continued: bool = False  # the rest of an approach begun on the page before


@dataclass(frozen=True)
class Track(View):
    """A source's track record; rates in whole percent, the interval the Wilson 95% one."""

    reports: int
    resolved: int
    came_true: int
    enough: bool
    rate: int | None
    low: int
    high: int
    threshold: int  # resolved reports needed before a rate is shown


def track_view(record) -> Track:
    """An ``outcomes.TrackRecord`` as a view."""
    interval = record.interval
    return Track(record.reports, record.resolved, record.came_true, record.enough,
                 round(100 * record.rate) if record.rate is not None else None,
                 round(100 * interval.low), round(100 * interval.high), ENOUGH_RESOLVED)


def ordinal_form(language: Language, number: int) -> str:
    """Which ordinal message a language needs for ``number`` (English: 1st one, 2nd two, 3rd few, 4th other)."""
    return language.ordinal_form(number)


def name_ref(entity: Entity | None, name: str, presenter: Presenter) -> Ref:
    """A link to an entity with a page; a name alone (``url`` empty) for one no story names."""
    return presenter.ref(entity) if entity is not None else Ref(name, "")


def saga_has_page(saga, coach: Entity | None, club: Entity | None) -> bool:
    """A saga gets a page when it tells more than its one story: two reports or more, or a spell.

    A club whose address is a number (a club called "1860") would take the
    address of a split timeline's year page, so its sagas stay on the timelines.
    """
    reports = sum(len(group) for group in saga.approaches)
    return coach is not None and club is not None and not club.slug.isdigit() and (reports > 1 or bool(saga.spells))
