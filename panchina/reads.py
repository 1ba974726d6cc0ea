"""What the pages were made from: every read of the archive, noted as a token with a digest.

A warm build must not plan every page again (at 10,000 stories that alone
took three seconds), yet must never keep a page whose data changed.  So
while a unit of pages is planned (``pages/__init__.py``), every way into
the archive notes what it read:

- the lists of the model (``Archive.stories``, ``Entity.stories``, the
  lists of coaches, clubs and sources) are ``TrackedList``: iterating one
  notes the whole list, ``len`` its length, ``[i]`` one item and ``[a:b]``
  one slice;
- the sagas are a ``TrackedDict``: one saga, or all of them;
- a story's body and the outcomes' "now" are noted where they are read.

A token names what was read, and ``Digests`` computes its digest from the
archive of any build.  A unit whose tokens all have the digests they had
when it was planned shows the same data, so its pages keep their keys; any
other is planned again.  Nothing here lists what a page shows: the reads
are noted as the page kinds' own code makes them, so adding a field to a
template cannot make a warm build differ from a cold one.  Everything that
does not come through these doors (settings, registries, appointments,
templates, code) is a site-wide input, and a change there plans every page.

A story read through a list is digested with all its own facts (every
field of ``Story`` except its body, its links and its derived outcomes are
included, the outcomes too); its links lead to entities, whose own facts
are their names and the registries', and whose story lists are tracked.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Iterator
from contextlib import contextmanager

SEP = "\x1f"  # refused in every name and place, so it can join the parts of a token

_recording: list[set[str]] = []


def note(token: str) -> None:
    """Note a read for the unit being planned (nothing happens outside planning)."""
    if _recording:
        _recording[-1].add(token)


@contextmanager
def recording() -> Iterator[set[str]]:
    """Collect the tokens of every read made inside the ``with`` block."""
    reads: set[str] = set()
    _recording.append(reads)
    try:
        yield reads
    finally:
        _recording.pop()


@contextmanager
def not_recording() -> Iterator[None]:
    """Reads that belong to no unit (making a page again only to render it)."""
    saved = _recording[:]
    _recording.clear()
    try:
        yield
    finally:
        _recording[:] = saved


class TrackedList(list):
    """A list of the model that notes how it is read: whole, its length, an item or a slice."""

    __slots__ = ("name",)

    def __init__(self, items=(), name: str = ""):
        super().__init__(items)
        self.name = name

    def _whole(self) -> None:
        if _recording:
            _recording[-1].add("L" + SEP + self.name)

    def __iter__(self):
        self._whole()
        return super().__iter__()

    def __len__(self):
        if _recording:
            _recording[-1].add("N" + SEP + self.name)
        return super().__len__()

    def __getitem__(self, index):
        if _recording:
            if isinstance(index, slice):
                _recording[-1].add(SEP.join(("R", self.name, _part(index.start), _part(index.stop),
                                             _part(index.step))))
            else:
                _recording[-1].add(SEP.join(("I", self.name, str(index))))
        return super().__getitem__(index)

    # Every other way to read a list's items reads all of them.

    def copy(self):
        self._whole()
        return list(super().__iter__())

    def __radd__(self, other):  # [x] + tracked: list.__add__ would read the items without a note
        self._whole()
        return list(other) + list(super().__iter__())

    __hash__ = None  # a list is not hashable; defining __eq__ must not change that

    def __reduce__(self):
        self._whole()
        return (TrackedList, (list(super().__iter__()), self.name))


def _part(value) -> str:
    return "" if value is None else str(value)


class TrackedDict(dict):
    """A dictionary of the model (the sagas by pair) that notes the keys read, or all of it."""

    __slots__ = ("name",)

    def __init__(self, name: str):
        super().__init__()
        self.name = name

    def _key(self, key) -> None:
        if _recording:
            _recording[-1].add(SEP.join(("D", self.name, *key)))

    def _whole(self) -> None:
        if _recording:
            _recording[-1].add("A" + SEP + self.name)

    def __getitem__(self, key):
        self._key(key)
        return super().__getitem__(key)

    def get(self, key, default=None):
        self._key(key)
        return super().get(key, default)

    def __contains__(self, key):
        self._key(key)
        return super().__contains__(key)

    def setdefault(self, key, default=None):
        self._key(key)
        return super().setdefault(key, default)

    def pop(self, key, *default):
        self._key(key)
        return super().pop(key, *default)

    def __ror__(self, other):
        self._whole()
        return dict(other) | dict(super().items())

    __hash__ = None

    def copy(self):
        self._whole()
        return dict(super().items())


def _note_whole_on(cls, names: list[str]) -> None:
    """Give ``cls`` the methods ``names`` of its base, each noting a read of the whole list or dict first:
    every one of them reads all the items (in C, past any other override)."""
    base = cls.__mro__[1]
    for name in names:
        setattr(cls, name, _noting_whole(getattr(base, name), name))


def _noting_whole(read, name: str):
    def method(self, *args):
        self._whole()
        return read(self, *args)
    method.__name__ = method.__qualname__ = name
    return method


_note_whole_on(TrackedList, ["__reversed__", "__contains__", "index", "count", "__add__", "__mul__", "__rmul__",
                             "__lt__", "__le__", "__gt__", "__ge__", "__eq__", "__ne__", "__repr__"])
_note_whole_on(TrackedDict, ["popitem", "__reversed__", "__or__", "__iter__", "__len__", "keys", "values", "items",
                             "__eq__", "__ne__", "__repr__"])


class Noted:
    """An attribute whose every read is noted as ``token(instance)`` (a story's body, "now").

    Set on a dataclass after it is made (``Story.body = Noted("body", …)``),
    so that the dataclass keeps it as an ordinary field.
    """

    def __init__(self, name: str, token):
        self.name, self.token = name, token

    def __get__(self, instance, owner=None):
        if instance is None:
            return self
        if _recording:
            _recording[-1].add(self.token(instance))
        return instance.__dict__[self.name]

    def __set__(self, instance, value):
        instance.__dict__[self.name] = value


def short_hash(text: str) -> str:
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=10).hexdigest()


# A story's facts that are noted apart (its body), links to entities (whose own facts are their names'),
# and the two set after it is checked (the shown path of a cached story, its outcomes): added at digest time.
NOT_FACTS = frozenset({"body", "body_hash", "coach", "clubs", "source", "path", "outcomes"})


def place_id(place: tuple[str, ...]) -> str:
    """A story's place as one string (``2026/x``): how unit ids and noted reads name a story
    (``Archive.story_at`` finds it again)."""
    return "/".join(place)


def body_token(story) -> str:
    """The read of a story's body, noted apart from its other facts ("B")."""
    return "B" + SEP + place_id(story.place)


def story_digest(story) -> str:
    """Every fact of a story a page can show, besides its body (noted by itself) and its links.

    The checked fields are digested once and kept with the story in the
    build cache (``_facts``); a field added to ``Story`` is in it unless it
    is listed in ``NOT_FACTS``.
    """
    return f"{story_facts(story)} {story.path} {' '.join(story.outcomes)}"


def story_facts(story) -> str:
    """The digest of the fields a story was checked with (see ``story_digest``), made once."""
    values = story.__dict__
    facts = values.get("_facts")
    if facts is None:
        facts = values["_facts"] = short_hash(repr([(name, values[name]) for name in _fact_names(type(story))]))
    return facts


def _fact_names(kind: type) -> tuple[str, ...]:
    """A story's fields that are facts, in the order they are declared: however a story was made
    (field by field, or at once from the build cache), its facts digest alike."""
    names = _FACT_NAMES.get(kind)
    if names is None:
        names = _FACT_NAMES[kind] = tuple(item.name for item in dataclasses.fields(kind)
                                          if item.name not in NOT_FACTS)
    return names


_FACT_NAMES: dict[type, tuple[str, ...]] = {}  # apart from _FIELDS, which holds every field of a kind


def entity_digest(entity) -> str:
    """An entity's own facts: kind, name, slug, aliases, how it sorts (its stories are tracked apart)."""
    return short_hash(repr([(item.name, getattr(entity, item.name)) for item in dataclasses.fields(entity)
                            if item.name != "stories"]))


_FIELDS: dict[type, tuple[str, ...]] = {}


class Digests:
    """The digest of any token against one build's archive, each computed once.

    ``templates``: template name -> key; ``pages``: the digest of every
    other page's address, template and newest date (``pages.Listed``), for the kinds that list pages.
    """

    def __init__(self, archive, templates: dict[str, str]):
        self.archive = archive
        self.templates = templates
        self._pages = ""
        self._known: dict[str, str] = {}
        self._items: dict[int, str] = {}  # by id: the archive holds every story and entity for the build
        self._lists: dict[str, list] | None = None

    @property
    def pages(self) -> str:
        return self._pages

    @pages.setter
    def pages(self, digest: str) -> None:
        """The digest of the pages planned so far, for the next kind that lists them ("P")."""
        self._pages = digest
        self._known.pop("P", None)

    def know_bodies(self, stories=None) -> list[tuple[str, str]]:
        """Every story's (or these stories') body token and its digest (the body's hash) at once, returned
        too: when only bodies may have changed, each is compared, and one pass costs a tenth of looking them
        up one by one."""
        known = [(body_token(story), story.__dict__["body_hash"])
                 for story in (list.__iter__(self.archive.stories) if stories is None else stories)]
        self._known.update(known)
        return known

    def of_stored(self, token: str) -> str | None:
        """A token from the build cache's plan: None when it is not one this code can read (a damaged or
        edited cache), so that every unit that read it is planned again.  Tokens this build notes go
        through ``of``, which fails loudly on a kind of read it cannot digest."""
        try:
            return self.of(token)
        except (ValueError, IndexError, TypeError):
            return None

    def of(self, token: str) -> str:
        known = self._known.get(token)
        if known is None:
            known = self._known[token] = self._compute(token)
        return known

    def _compute(self, token: str) -> str:
        kind, _, rest = token.partition(SEP)
        if kind == "S" or kind == "B":
            story = self._story(rest)
            if story is None:
                return "-"
            return self.item(story) if kind == "S" else story.__dict__["body_hash"]
        if kind == "L":
            items = self._list(rest)
            return "-" if items is None else short_hash(" ".join(map(self.item, list.__iter__(items))))
        if kind == "N":
            items = self._list(rest)
            return "-" if items is None else str(list.__len__(items))
        if kind == "I":
            name, _, index = rest.rpartition(SEP)
            items = self._list(name)
            try:
                return self.item(list.__getitem__(items, int(index))) if items is not None else "-"
            except IndexError:
                return "-"
        if kind == "R":
            name, start, stop, step = rest.rsplit(SEP, 3)
            items = self._list(name)
            if items is None:
                return "-"
            part = list.__getitem__(items, slice(*(int(value) if value else None for value in (start, stop, step))))
            return short_hash(" ".join(map(self.item, part)))
        if kind == "E":
            entity_kind, _, name = rest.partition(SEP)
            entity = self.archive.named(entity_kind).get(name)
            return "-" if entity is None else entity_digest(entity)
        if kind == "D":
            name, _, key = rest.partition(SEP)
            value = dict.get(self._dict(name), tuple(key.split(SEP)))
            return "-" if value is None else self.saga(value)
        if kind == "A":
            return short_hash(" ".join(f"{SEP.join(key)} {self.saga(value)}"
                                       for key, value in dict.items(self._dict(rest))))
        if kind == "W":
            return repr(self.archive.resolved.__dict__["now"])
        if kind == "T":
            return self.templates.get(rest, "-")
        if kind == "P":
            return self._pages
        raise ValueError(f"unknown read {token!r}")

    def facts(self) -> str:
        """Every story's place and facts, in the archive's order: when it is the last build's, every
        list, saga, entity and "now" is too (they are made from the stories, the settings, registries
        and appointments, which the plan's stamp covers), so that only bodies are left to compare."""
        known = self.archive.__dict__.get("_facts")  # the preview builds on one archive while only bodies change
        if known is None:
            known = self.archive.__dict__["_facts"] = short_hash("\n".join([  # as self.item, for 10,000 at once
                f"{place_id(story.place)} {story_digest(story)}" for story in list.__iter__(self.archive.stories)]))
        return known

    def item(self, item) -> str:
        """A story's or an entity's own facts (the kinds of item a tracked list holds)."""
        known = self._items.get(id(item))
        if known is None:
            from .model import Story  # the model imports this module
            known = self._items[id(item)] = story_digest(item) if isinstance(item, Story) else entity_digest(item)
        return known

    def saga(self, saga) -> str:
        names = _FIELDS.get(type(saga))
        if names is None:
            names = _FIELDS[type(saga)] = tuple(item.name for item in dataclasses.fields(saga))
        return short_hash("\x1e".join(
            "\x1d".join(" ".join(map(self.item, group)) for group in saga.approaches) if name == "approaches"
            else repr(getattr(saga, name)) for name in names))

    def _story(self, place: str):
        return self.archive.story_at(place)

    def _list(self, name: str) -> list | None:
        if self._lists is None:
            archive = self.archive
            self._lists = {"all": archive.stories, "coach": archive.coaches, "club": archive.clubs,
                           "source": archive.sources}
        known = self._lists.get(name)
        if known is not None:
            return known
        kind, _, entity_name = name.partition(SEP)
        entity = self.archive.named(kind).get(entity_name) if entity_name else None
        return entity.stories if entity is not None else None

    def _dict(self, name: str) -> dict:
        if name != "sagas":
            raise ValueError(f"unknown dictionary {name!r}")
        return self.archive.resolved.sagas
