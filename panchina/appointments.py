"""``content/appointments.yaml``: what actually happened, checked like a story.

Each entry is one spell of a coach in charge of a club::

    - coach: Massimiliano Allegri
      club: Juventus
      from: 2021
      source: Corriere dello Sport
      source_url: https://www.corrieredellosport.it/

``to:`` is optional (the spell is running, or its end is not recorded).
Names go through the registries, so an alias files the spell under the
canonical name; a name no story or registry uses but that looks like one
that does is refused with a suggestion, as it is almost always a typo.
Overlapping spells of one coach and a ``to`` before its ``from`` are
errors.  Every problem is collected, as for stories.
"""

from __future__ import annotations

import difflib
from datetime import date
from pathlib import Path

from .config import Registry, _parse_file
from .content import _read_date
from .errors import ContentError
from .fields import FieldReader
from .model import Appointment, Archive, PartialDate

REQUIRED = ("coach", "club", "from", "source")
OPTIONAL = ("to", "source_url")
FILE = "appointments.yaml"
ENTRY_HINT = "write each spell as '- coach: Name', then 'club:', 'from:' and 'source:' lines indented below it"


def load_appointments(content_dir: Path, registries: dict[str, Registry], archive: Archive, today: date,
                      errors: list[ContentError]) -> list[Appointment]:
    """Every spell in the file, in file order; a missing file records none."""
    path = content_dir / FILE
    shown = path.as_posix()
    if not path.exists() and not path.is_symlink():
        return []
    document = _parse_file(path, shown, errors)
    if document is None or document.data is None:
        return []
    if not isinstance(document.data, list):
        errors.append(ContentError(shown, 1, None, "must be a list of appointments", ENTRY_HINT))
        return []
    known = {"coach": _known(archive.coaches, registries["coach"]), "club": _known(archive.clubs, registries["club"])}
    spells = []
    for item, line, keys in zip(document.data, document.item_lines, document.item_keys, strict=True):
        spell = _read_spell(shown, item, line + 1, keys, registries, known, today, errors)
        if spell is not None:
            spells.append(spell)
    _check_overlaps(shown, spells, errors)
    return spells


def _known(entities, registry: Registry) -> set[str]:
    return {entity.name for entity in entities} | set(registry.aliases) | set(registry.canonical)


def _read_spell(shown: str, item: object, line: int, keys, registries: dict[str, Registry],
                known: dict[str, set[str]], today: date, errors: list[ContentError]) -> Appointment | None:
    if not isinstance(item, dict) or keys is None:
        errors.append(ContentError(shown, line, None, "an appointment must be a set of 'field: value' lines",
                                   ENTRY_HINT))
        return None
    mistakes: list[ContentError] = []
    reader = FieldReader(shown, item, keys, 1, mistakes, home_line=line)
    reader.check_keys(REQUIRED, OPTIONAL)
    coach = _name(reader, "coach", registries["coach"], known["coach"], "coaches") if "coach" in item else None
    club = _name(reader, "club", registries["club"], known["club"], "clubs") if "club" in item else None
    start = _read_date(reader, today, "from", "record a spell once it has begun") if "from" in item else None
    end = _read_date(reader, today, "to", "leave 'to:' out while the spell runs") if reader.has("to") else None
    source = reader.name("source") if "source" in item else None
    source_url = reader.url("source_url") if reader.has("source_url") else None
    if start is not None and end is not None and end.last < start.start:
        reader.error("to", f"'{end.iso}' is before 'from' ({start.iso})",
                     "check both dates: 'to' is the last day in charge, 'from' the first")
    errors.extend(mistakes)
    if mistakes or None in (coach, club, start, source):
        return None
    return Appointment(coach, club, start, end, source, source_url, line)


def _name(reader: FieldReader, key: str, registry: Registry, known: set[str], plural: str) -> str | None:
    """A canonical name; one that nothing else uses but that looks like a known one is a typo."""
    name = reader.name(key)
    if name is None:
        return None
    name = registry.resolve(name)
    if name not in known:
        match = difflib.get_close_matches(name, sorted(known), n=1, cutoff=0.8)
        if match:
            reader.error(key, f"'{name}' is not a name any story or content/{plural}.yaml uses",
                         f"did you mean '{match[0]}'? If not, add '{name}' to content/{plural}.yaml")
            return None
    return name


def _check_overlaps(shown: str, spells: list[Appointment], errors: list[ContentError]) -> None:
    """A coach leads one club at a time: a spell that starts before the one before it surely ended is refused."""
    by_coach: dict[str, list[Appointment]] = {}
    for spell in spells:
        by_coach.setdefault(spell.coach_name, []).append(spell)
    for coach_spells in by_coach.values():
        ordered = sorted(coach_spells, key=lambda spell: (spell.start.start, spell.line))
        for earlier, later in zip(ordered, ordered[1:], strict=False):
            if earlier.end is None:
                errors.append(ContentError(
                    shown, later.line, "from",
                    f"{later.coach_name}'s spell at {later.club_name} from {later.start.iso} overlaps the spell "
                    f"at {earlier.club_name} on line {earlier.line}, which has no 'to' and so is still running",
                    f"add 'to:' to the spell on line {earlier.line}"))
            elif _surely_before(later.start, earlier.end):
                errors.append(ContentError(
                    shown, later.line, "from",
                    f"{later.coach_name}'s spell at {later.club_name} from {later.start.iso} overlaps the spell "
                    f"at {earlier.club_name} on line {earlier.line} ({earlier.start.iso} to {earlier.end.iso})",
                    "a coach leads one club at a time: correct the dates of one of the two spells"))


def _surely_before(start: PartialDate, end: PartialDate) -> bool:
    """Whether a spell starting at ``start`` surely began before one ending at ``end`` had ended.

    Partial dates give the benefit of the doubt: ``to: 2021`` and ``from: 2021``
    may well be a handover in the same year.
    """
    return start.last < end.start
