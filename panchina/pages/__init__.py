"""Every kind of page the site has: one module each, found by itself.

A page-kind module holds everything about its pages: their addresses, the
template and the context the template receives.  It defines ``TEMPLATE``
and either

- ``pages(site) -> list[Page]``: the kind is planned as one unit; or
- ``units(site)``, the subjects it makes pages for, as ``(id, subject)``
  pairs (a ``Story``, an ``Entity`` or a plain value such as a saga's pair
  of names), and ``pages(site, subject) -> list[Page]``: one unit each.
  Where there are many units, ``subject(site, id)`` may find one unit's
  subject without listing them all.

A kind that lists other pages (the sitemap) sets ``AFTER_ALL = True`` and
gets them as a second argument, each as a ``Listed``: its address, template
and newest date, and nothing else, which is what its reads cover.  Adding a
kind of page is adding one module here and one template: the full build,
the warm build and the preview all plan through ``plan_site``.

What a unit depends on is never listed: while it is planned, every read of
the archive is noted (``reads.py``), and the next build plans it again only
when one of those reads would now give something else, or a template or a
site-wide input changed.  Otherwise its pages keep their keys, and their
contexts are made again only if a page has to be rendered after all (its
file was changed by hand or lost).
"""

from __future__ import annotations

import dataclasses
import importlib
import pkgutil
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from itertools import chain
from types import ModuleType

from ..config import SiteConfig
from ..fingerprint import View
from ..model import Archive, Entity, PartialDate, Story
from ..present import Presenter
from ..reads import SEP, Digests, not_recording, place_id, recording, short_hash


@dataclass
class Page:
    """One file to write: where, with which template, and the data it shows."""

    path: str  # inside the output folder, posix: stories/2026/x/index.html
    template: str
    # Plain data and views only: its fingerprint is the page's key.  None for a page of a unit kept
    # from the last build, until ``full_context`` makes it again.
    context: dict | None
    key: str = ""  # that fingerprint (with the template's and the site's), set by the pipeline
    remake: Callable[[str], dict] | None = field(default=None, repr=False, compare=False)  # path -> context

    def full_context(self) -> dict:
        if self.context is None:
            self.context = self.remake(self.path)
        return self.context


@dataclass(frozen=True)
class Listed:
    """What a kind that lists the other pages (``AFTER_ALL``) sees of each one: its address, its template
    and the newest date it shows (``YYYY[-MM[-DD]]``, "" for none).  The pages' digest ("P") covers exactly
    these, so an edit that leaves every page's newest date as it was (a body) does not plan the sitemap again."""

    path: str
    template: str
    newest: str


@dataclass
class Site:
    """What page kinds plan from."""

    archive: Archive
    config: SiteConfig
    present: Presenter
    # What a page of a given key was found to show, kept from build to build: a page's key is a
    # fingerprint of its context, so the same key means the same data (the sitemap's lastmod).
    newest: dict[str, str] = field(default_factory=dict)


@dataclass
class Plan:
    """Every unit of the last build: what it read and its pages, to plan the next one from.

    ``stamp`` covers the site-wide inputs.  Each token read is kept once,
    in ``tokens``, with the digest it had in ``digests``; ``units`` maps a
    unit's id to the places of its tokens there and to its pages as
    ``[path, template, key]``.  ``facts``: see ``Digests.facts``.
    """

    stamp: str = ""
    facts: str = ""
    tokens: list[str] = field(default_factory=list)
    digests: list[str] = field(default_factory=list)
    # Each page as a list when planned, a tuple when read from the cache: read only, never compared.
    units: dict[str, tuple[list[int], list[Sequence[str]]]] = field(default_factory=dict)
    # Each token's place in ``tokens``, as the planner left it: the preview plans from this very plan
    # next time (a build cache read from disk has none, and it is made again).
    places: dict[str, int] | None = field(default=None, repr=False, compare=False)


class _Planner:
    """Plans unit after unit against the last plan, and makes the next one."""

    def __init__(self, site: Site, set_keys, digests: Digests, last: Plan, stamp: str, reach: Reach | None,
                 saved: list[Story] | None):
        self.site, self.set_keys, self.digests, self.last = site, set_keys, digests, last
        # Every story's facts as they were (the common edit, a body): then every token but a body's
        # or a template's has its old digest, as it is a function of those facts and the stamp.
        facts = digests.facts()
        self.same_facts = last.facts == facts
        # With the facts as they were, the units are the last plan's: a reach of that very plan says
        # which of them read each token, and the others are not looked at (see ``Reach``).
        self.reach = reach if reach is not None and reach.describes(last) and self.same_facts else None
        self.plan = Plan(stamp, facts, list(last.tokens), [], dict(last.units) if self.reach else {})
        reusable = last.places is not None and len(last.places) == len(last.tokens)  # not renumbered since
        self.place = dict(last.places) if reusable else {token: index for index, token in enumerate(last.tokens)}
        self._by_kind: dict[str, list[str]] | None = None
        self.keeping = reach is not None
        self.kept: dict[str, list[Page]] = {}  # each unit's pages as a reach keeps them: no contexts
        self.planned: set[str] = set()  # the units planned this time
        # Whether a page is listed (pages.Listed) otherwise than in the last plan: with the facts as they
        # were, only a unit planned again can make it so, and then the kinds that list pages need not
        # see 17,000 pages to know that nothing changed for them.
        self.listing_changed = not self.same_facts
        # The places of the tokens whose digest is not what it was ("P", the pages, is only known later).
        tokens, digests_then = last.tokens, last.digests
        # With the facts as they were, only a template's ("T") or a body's ("B") digest can differ: those
        # alone are compared, where the others are 40,000 tokens at 10,000 stories.
        if self.same_facts:
            templates = self.reach.templates if self.reach is not None else [
                index for index, token in enumerate(tokens) if token[0] == "T"]
            # The bodies of the stories saved, where the preview knows them; else of every story.
            stories = saved if self.reach is not None and saved is not None else \
                list(list.__iter__(site.archive.stories))
            bodies = digests.know_bodies(stories)
            self.changed = {index for index in templates if digests.of_stored(tokens[index]) != digests_then[index]}
            self.changed.update(index for token, digest in bodies
                                if (index := self.place.get(token)) is not None and digest != digests_then[index])
        else:
            self.changed = {index for index, (token, digest) in enumerate(zip(tokens, digests_then, strict=True))
                            if token != "P" and digests.of_stored(token) != digest}

    def unit(self, kind, unit: str, subjects: _Subjects) -> list[Page]:
        """The unit's pages: kept from the last plan when its reads are unchanged, else planned."""
        old = self.last.units.get(unit)
        if old is not None and self._unchanged(old[0]):
            self.plan.units[unit] = old
            remake = _Remake(kind, self.site, subjects, unit)
            kept = [Page(path, template, None, key, remake) for path, template, key in old[1]]
            if self.keeping:
                self.kept[unit] = kept
            return kept
        subject = subjects[unit]
        with recording() as reads:
            made = _make(kind, self.site, subject)
        reads.update("T" + SEP + page.template for page in made)
        reads.update(_subject_reads(subject))
        self.set_keys(made)
        self.plan.units[unit] = ([self._place(token) for token in sorted(reads)],
                                 [[page.path, page.template, page.key] for page in made])
        self.planned.add(unit)
        if not self.listing_changed:
            newest = self.site.newest
            self.listing_changed = old is None or [Listed(path, template, newest.get(key, "?"))
                                                   for path, template, key in old[1]] != [_listed(page, newest)
                                                                                          for page in made]
        if self.keeping:
            remake = _Remake(kind, self.site, subjects, unit)
            self.kept[unit] = [Page(page.path, page.template, None, page.key, remake) for page in made]
        return made

    def last_units(self, kind) -> list[str]:
        """The ids of the last build's units of ``kind``."""
        if self._by_kind is None:
            self._by_kind = {}
            for unit in self.last.units:
                self._by_kind.setdefault(unit.partition(SEP)[0], []).append(unit)
        return self._by_kind.get(kind.__name__, [])

    def _unchanged(self, places: list[int]) -> bool:
        if not self.changed.isdisjoint(places):
            return False
        pages = self.place.get("P")
        return pages is None or pages not in places or self.digests.of("P") == self.last.digests[pages]

    def last_digest(self, token: str) -> str:
        """The digest ``token`` had in the last plan, "" if it was not read."""
        index = self.place.get(token)
        return self.last.digests[index] if index is not None and index < len(self.last.digests) else ""

    def _place(self, token: str) -> int:
        index = self.place.get(token)
        if index is None:
            index = self.place[token] = len(self.plan.tokens)
            self.plan.tokens.append(token)
        return index

    def _stored_digest(self, token: str) -> str:
        """A cached token's digest now; "?", which no digest is, for one this code cannot parse."""
        digest = self.digests.of_stored(token)
        return "?" if digest is None else digest

    def finish(self) -> Plan:
        """The plan with every token's digest now; tokens no unit reads any more are dropped when many."""
        plan = self.plan
        carried = len(self.last.tokens)  # read from the cache, the others noted by this build
        if self.same_facts:  # only a body's, a template's and the pages' digests can have changed
            plan.digests = list(self.last.digests)
            for index in (*self.changed, *((self.place["P"],) if "P" in self.place else ())):
                plan.digests[index] = self._stored_digest(plan.tokens[index])
            plan.digests += [self.digests.of(token) for token in plan.tokens[carried:]]
            plan.places = self.place
            return plan
        plan.digests = [self._stored_digest(token) if index < carried else self.digests.of(token)
                        for index, token in enumerate(plan.tokens)]
        used = set().union(*(places for places, _ in plan.units.values()))
        if len(plan.tokens) > 2 * len(used) + 1000:
            kept = sorted(used)
            renumber = {old: new for new, old in enumerate(kept)}
            plan.tokens = [plan.tokens[index] for index in kept]
            plan.digests = [plan.digests[index] for index in kept]
            plan.units = {unit: ([renumber[index] for index in places], pages)
                          for unit, (places, pages) in plan.units.items()}
        else:
            plan.places = self.place
        return plan


@dataclass
class Reach:
    """What the preview keeps of the last plan between builds, to plan from a change alone.

    With every story's facts as they were (a saved body, an edited
    template), the units are the last plan's, and only those that read a
    changed body or template can plan differently.  Looking at 15,000 units
    to find them was most of the preview's answer at 10,000 stories;
    ``readers`` names them at once, and every other unit keeps its pages.
    """

    plan: Plan | None = None  # the plan the rest describes: with any other, none of it is used
    pages: dict[str, list[Page]] = field(default_factory=dict)  # each unit's, in planning order; no contexts
    readers: dict[int, set[str]] = field(default_factory=dict)  # a token's place in the plan -> its units
    templates: list[int] = field(default_factory=list)  # the places of the templates' tokens
    # The plan was made from the reached units alone: the caches' rows no page uses any more are left
    # for the next plan made in full to drop (looking for them is looking at every page and story).
    partial: bool = False

    def describes(self, plan: Plan) -> bool:
        """Whether this is the reach of ``plan``: a plan made in this process (one read from disk never is)."""
        return self.plan is not None and self.plan is plan

    def reached(self, places) -> set[str]:
        """The units that read any token at these places."""
        return set().union(*(self.readers.get(place, ()) for place in places))

    def keep(self, plan: Plan, pages: dict[str, list[Page]], planned: set[str], old: Plan | None) -> None:
        """Describe ``plan`` from now on: ``pages``, every unit's (contexts dropped) in planning order.
        ``planned``: the units planned again since ``old``, the plan described until now (None: start
        afresh, for a plan made in full, maybe renumbered); only their reads are looked at."""
        if old is None:
            self.readers, self.templates, planned, known = {}, [], set(pages), 0
        else:
            known = len(old.tokens)
            for unit in planned:
                for place in old.units[unit][0]:
                    self.readers[place].discard(unit)
        for unit in planned:
            for place in plan.units[unit][0]:
                self.readers.setdefault(place, set()).add(unit)
        self.templates += [index for index in range(known, len(plan.tokens)) if plan.tokens[index][0] == "T"]
        self.pages, self.plan, self.partial = pages, plan, old is not None


def plan_site(site: Site, set_keys: Callable[[list[Page]], None], digests: Digests | None = None,
              last: Plan | None = None, stamp: str = "", reach: Reach | None = None,
              saved: list[Story] | None = None) -> tuple[list[Page], Plan]:
    """Every page of the site, kind by kind, each with its key (``set_keys`` sets them).

    With the ``last`` plan, a unit whose reads all have their old digests
    (and whose site-wide ``stamp`` is the same) keeps its pages unplanned.
    Returns the pages and the plan to give the next build.  A ``reach``
    (the preview keeps one from build to build) is brought up to date; when
    it describes ``last`` and the facts are unchanged, only the units it
    says read a changed token are looked at; ``saved``, when the load knows
    them, are the only stories whose bodies may have changed since.
    """
    digests = digests or Digests(site.archive, {})
    last = last if last is not None and last.stamp == stamp else Plan()
    planner = _Planner(site, set_keys, digests, last, stamp, reach, saved)
    kinds = page_kinds()
    late = [kind for kind in kinds if getattr(kind, "AFTER_ALL", False)]
    pages = (_plan_reached if planner.reach is not None else _plan_each)(planner, kinds, late)
    _plan_listing_kinds(planner, late, pages)
    plan = planner.finish()
    if reach is not None:
        reach.keep(plan, planner.kept, planner.planned, last if planner.reach is not None else None)
    return pages, plan


def _plan_each(planner: _Planner, kinds: list[ModuleType], late: list[ModuleType]) -> list[Page]:
    """The pages of every unit of every kind but the listing ones, each unit looked at in turn."""
    pages: list[Page] = []
    for kind in kinds:
        if kind in late:
            continue
        # The units a kind makes are made from the facts, settings, registries and appointments: with the
        # facts as they were, they are the last build's, and a subject is looked for only if it is planned.
        subjects = _Subjects.of_kind(kind, planner.site)
        for unit in planner.last_units(kind) if planner.same_facts else subjects.ids():
            pages += planner.unit(kind, unit, subjects)
    return pages


def _plan_reached(planner: _Planner, kinds: list[ModuleType], late: list[ModuleType]) -> list[Page]:
    """The pages of every unit but the listing kinds', only the units the reach says read a changed
    token looked at."""
    site, reach = planner.site, planner.reach
    by_name = {kind.__name__: kind for kind in kinds}
    subjects = {kind: _Subjects.of_kind(kind, site) for kind in kinds}
    made: dict[str, list[Page]] = {}  # with their contexts, to render
    for unit in sorted(reach.reached(planner.changed)):
        kind = by_name[unit.partition(SEP)[0]]
        if kind not in late:  # those are planned with the listing kinds, below
            made[unit] = planner.unit(kind, unit, subjects[kind])
    # In the order they were planned, as the listing kinds see them; theirs come last, and are planned below.
    kept = dict(reach.pages)
    kept.update(planner.kept)
    for kind in late:
        kept.pop(kind.__name__, None)
    planner.kept = kept
    return list(chain.from_iterable(made.get(unit, pages) for unit, pages in kept.items()))


def _plan_listing_kinds(planner: _Planner, late: list[ModuleType], pages: list[Page]) -> None:
    """The kinds that list the other pages, each seeing those planned before it (earlier listing kinds'
    among them), added to ``pages``.  With no page listed otherwise than last time, the pages' digest is
    the last one, and the listing is made only if a listing kind is planned after all (its template changed)."""
    site = planner.site
    listed: list[Listed] = []
    for kind in late:
        seen = len(pages)
        if planner.listing_changed:
            listed += [_listed(page, site.newest) for page in pages[len(listed):seen]]
            planner.digests.pages = _pages_digest(listed)
            subjects = _Subjects(lambda name=kind.__name__, given=list(listed): {name: given})
        else:
            planner.digests.pages = planner.last_digest("P")
            subjects = _Subjects(lambda name=kind.__name__, before=pages[:seen]: {
                name: [_listed(page, site.newest) for page in before]})
        pages += planner.unit(kind, kind.__name__, subjects)


def _pages_digest(listed: list[Listed]) -> str:
    return short_hash("\n".join(sorted(f"{item.path} {item.template} {item.newest}" for item in listed)))


def _listed(page: Page, known: dict[str, str]) -> Listed:
    """``page`` as a kind that lists pages sees it.  ``known``: the newest date by page key, from earlier
    builds: a page's key is a fingerprint of its context, so a known key shows the same dates."""
    found = known.get(page.key)
    if found is None:
        newest = newest_date(page.full_context())
        found = known[page.key] = newest.iso if newest else ""
    return Listed(page.path, page.template, found)


def newest_date(value: object) -> PartialDate | None:
    """The latest ``PartialDate`` anywhere in a context: its views, lists and dicts (by start, then precision)."""
    kind = type(value)
    if kind is str or value is None or kind is int or kind is bool:
        return None
    if kind is PartialDate:
        return value
    if isinstance(value, View):
        # A view is frozen, so its newest date is kept on it, as its digest is: a story's row is on
        # a dozen pages, and the preview reuses unchanged views from one build to the next.
        found = value.__dict__.get("_newest", _UNKNOWN)
        if found is _UNKNOWN:
            names = _FIELDS.get(kind)
            if names is None:
                names = _FIELDS[kind] = tuple(item.name for item in dataclasses.fields(value))
            found = value.__dict__["_newest"] = _newest((getattr(value, name) for name in names))
        return found
    if kind is dict:
        return _newest(value.values())
    if kind is list or kind is tuple:
        return _newest(value)
    return None


def _newest(items) -> PartialDate | None:
    newest = None
    for item in items:
        found = newest_date(item)
        if found is not None and (newest is None or (found.start, len(found.iso)) > (newest.start, len(newest.iso))):
            newest = found
    return newest


_FIELDS: dict[type, tuple[str, ...]] = {}
_UNKNOWN = object()


def units_of(kind: ModuleType, site: Site) -> list[tuple[str, object]]:
    if not hasattr(kind, "units"):
        return [(kind.__name__, None)]
    return [(kind.__name__ + SEP + unit, subject) for unit, subject in kind.units(site)]


def _make(kind, site: Site, subject) -> list[Page]:
    if getattr(kind, "AFTER_ALL", False):
        return kind.pages(site, subject)
    return kind.pages(site, subject) if hasattr(kind, "units") else kind.pages(site)


def _subject_reads(subject) -> list[str]:
    """A unit's subject is read whole: a story's facts, or an entity's; a plain value is in the unit's id."""
    if isinstance(subject, Story):
        return ["S" + SEP + place_id(subject.place)]
    if isinstance(subject, Entity):
        return ["E" + SEP + subject.kind + SEP + subject.name]
    if isinstance(subject, list):  # the pages an AFTER_ALL kind lists
        return ["P"]
    if subject is None or isinstance(subject, (str, int, tuple)):
        return []
    raise TypeError(f"a unit's subject cannot be a {type(subject).__name__}")


class _Subjects:
    """A kind's subjects by unit id, made only if one is asked for (most warm builds and previews keep
    every unit, and need none), and then one by one where the kind can find one (``subject``)."""

    def __init__(self, make: Callable[[], dict[str, object]], one: Callable[[str], object] | None = None):
        self._make, self._one, self._by_unit = make, one, None

    @classmethod
    def of_kind(cls, kind: ModuleType, site: Site) -> _Subjects:
        find = getattr(kind, "subject", None)
        return cls(lambda: dict(units_of(kind, site)),
                   None if find is None else lambda unit: find(site, unit.partition(SEP)[2]))

    def ids(self) -> list[str]:
        return list(self._known())

    def __getitem__(self, unit: str):
        if self._by_unit is None and self._one is not None:
            with not_recording():
                found = self._one(unit)
            if found is not None:
                return found
        return self._known()[unit]

    def _known(self) -> dict[str, object]:
        if self._by_unit is None:
            with not_recording():
                self._by_unit = self._make()
        return self._by_unit


class _Remake:
    """The contexts of a kept unit's pages, made again by planning it once more (same reads, same keys)."""

    def __init__(self, kind, site: Site, subjects: _Subjects, unit: str):
        self.kind, self.site, self.subjects, self.unit = kind, site, subjects, unit
        self.made: dict[str, dict] | None = None

    def __call__(self, path: str) -> dict:
        if self.made is None:
            with not_recording():
                self.made = {page.path: page.context
                             for page in _make(self.kind, self.site, self.subjects[self.unit])}
        return self.made[path]


def page_kinds() -> list[ModuleType]:
    """The modules of this package, in name order."""
    return [importlib.import_module(f"{__name__}.{info.name}")
            for info in sorted(pkgutil.iter_modules(__path__), key=lambda info: info.name)]


def split_into_pages(groups: list[tuple], limit: int) -> list[list[tuple]]:
    """Groups of rows (``(head, rows)``) cut into pages of at most ``limit`` rows each.

    A group cut between two pages carries on at the top of the next; a group
    without rows (a saga's appointment) stays with the rows before it.
    Each page is a list of ``(head, rows, continued)``.
    """
    pages: list[list[tuple]] = [[]]
    room = limit
    for head, rows in groups:
        continued = False
        while True:
            if room == 0 and rows:
                pages.append([])
                room = limit
            taken = rows[:room]
            pages[-1].append((head, taken, continued))
            rows, room, continued = rows[len(taken):], room - len(taken), True
            if not rows:
                break
    return pages
