"""Keep the message catalogues in step with the templates and the code.

    python -m panchina.catalogue             # rewrite every language's messages.po from templates/ and panchina/
    python -m panchina.catalogue --check     # exit 1 listing every message a catalogue lacks or leaves untranslated
    python -m panchina.catalogue --add es    # start a catalogue for a new language (then translate it)
    python -m panchina.catalogue --merge it notes/it-*.po  # rewrite, then take translations written elsewhere

English is the complete catalogue: every message id is its own English
text, written out so that a translator sees each one.  Every other
language's catalogue (``panchina/locale/<lang>/LC_MESSAGES/messages.po``)
keeps its translations when it is rewritten: a new message arrives with an
empty translation, and a message whose English changed keeps its old
translation marked ``#, fuzzy`` until a translator checks it.  ``--check``
fails on both, so a page never shows English in a translated site.
"""

from __future__ import annotations

import argparse
import io
import sys
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from babel import Locale, UnknownLocaleError
from babel.messages.catalog import Catalog, Message
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

from .i18n import LOCALE_DIR

ROOT = Path(__file__).resolve().parent.parent
SOURCES = [
    (ROOT / "templates", [("**.html", "jinja2"), ("**.xml", "jinja2"), ("**.txt", "jinja2")]),
    (ROOT / "panchina", [("**.py", "python")]),
]
FIXED_DATE = datetime(2026, 1, 1, tzinfo=timezone.utc)
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2)}


def extract(sources=SOURCES, locale: str = "en") -> Catalog:
    """Every message the templates and the code use."""
    # Fixed dates and header: the file changes only when a message does.
    team = Locale.parse(locale).english_name
    catalog = Catalog(locale=locale, project="Panchina", version="1", copyright_holder="the Panchina contributors",
                      msgid_bugs_address="", creation_date=FIXED_DATE, revision_date=FIXED_DATE,
                      last_translator="the Panchina contributors", language_team=team, fuzzy=False)
    for folder, method_map in sources:
        for filename, lineno, message, comments, context in extract_from_dir(
                folder, method_map, keywords=KEYWORDS, options_map={"**.html": {"trimmed": "false"}}):
            catalog.add(message, None, [(f"{folder.name}/{filename}", lineno)], auto_comments=comments,
                        context=context)
    return catalog


def english(catalog: Catalog) -> Catalog:
    """The catalogue with each message's English text filled in."""
    for message in catalog:
        if message.id:
            message.string = message.id
    return catalog


def catalogue_path(language: str) -> Path:
    return LOCALE_DIR / language / "LC_MESSAGES" / "messages.po"


def english_path() -> Path:
    return catalogue_path("en")


def translations() -> list[str]:
    """The languages other than English that have a catalogue, by folder name (``it``, ``pt_BR``)."""
    return sorted(path.parent.parent.name for path in LOCALE_DIR.glob("*/LC_MESSAGES/messages.po")
                  if path.parent.parent.name != "en")


def _read(path: Path, language: str) -> Catalog:
    with open(path, "rb") as handle:
        return read_po(handle, locale=language)


def _untranslated(entry: Message) -> bool:
    strings = entry.string if isinstance(entry.string, tuple) else (entry.string,)
    return not all(strings)


def _first(message: Message) -> str:
    return message.id if isinstance(message.id, str) else message.id[0]


def missing(sources=SOURCES, used: Catalog | None = None) -> list[str]:
    """Messages used in templates or code that the English catalogue lacks or leaves empty."""
    known = _read(english_path(), "en")
    gaps = []
    for message in used or extract(sources):
        if not message.id:
            continue
        entry = known.get(message.id)
        if entry is None or _untranslated(entry):
            gaps.append(_first(message))
    return gaps


@dataclass(frozen=True)
class Gap:
    """One message a translated catalogue cannot show yet."""

    path: Path
    line: int | None  # of the entry in the .po file; None when the entry is missing
    message: str  # the msgid (its singular for a plural message)
    problem: str  # what is wrong — what to do

    def __str__(self) -> str:
        where = f"{self.path.relative_to(ROOT)}:{self.line}" if self.line else str(self.path.relative_to(ROOT))
        return f"{where}: {self.message!r}: {self.problem}"


def gaps(language: str, sources=SOURCES, used: Catalog | None = None) -> list[Gap]:
    """What the ``language`` catalogue lacks: messages missing, not translated, fuzzy, or with wrong placeholders."""
    path = catalogue_path(language)
    known = _read(path, language)
    found = []
    for message in used or extract(sources, language):
        if not message.id:
            continue
        entry = known.get(message.id)
        if entry is None:
            found.append(Gap(path, None, _first(message), "missing — run 'make messages' to add it, then translate it"))
        elif _untranslated(entry):
            found.append(Gap(path, entry.lineno, _first(message), "not translated — write its msgstr"))
        elif entry.fuzzy:
            found.append(Gap(path, entry.lineno, _first(message),
                             "marked fuzzy: its English changed — check the translation, then delete '#, fuzzy'"))
        else:
            found += [Gap(path, entry.lineno, _first(message), f"{error} — use the placeholders of the msgid")
                      for error in entry.check(known)]
    return sorted(found, key=lambda gap: gap.line or 0)  # in the file's order: a translator works down it


def _write(catalog: Catalog, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=100, omit_header=False, sort_output=True, include_lineno=False,
             ignore_obsolete=True)
    path.write_bytes(buffer.getvalue())
    return path


def write_english() -> Path:
    return _write(english(extract()), english_path())


def write_translation(language: str) -> Path:
    """Rewrite a language's catalogue with every current message, keeping its translations.

    New messages get an empty translation; a message whose English changed
    keeps the nearest old translation, marked fuzzy for a translator to check.
    Messages no longer used are dropped (Git keeps them).
    """
    path = catalogue_path(language)
    catalog = _read(path, language) if path.is_file() else extract((), language)
    catalog.update(extract(locale=language), update_header_comment=False, update_creation_date=True)
    return _write(catalog, path)


def merge(language: str, fragment: Path) -> list[str]:
    """Fill the ``language`` catalogue's empty or fuzzy entries from a fragment's translations.

    A fragment is a .po file of translations written beside a change that
    adds messages (``/work/notes/it-outcomes.po``), with or without a header.
    A translation the catalogue already has is kept; a message no template
    uses yet is skipped: merge the change that adds it first.  Returns one
    line for each message not taken.
    """
    path = catalogue_path(language)
    catalog = _read(path, language)
    notes = []
    with open(fragment, "rb") as handle:
        offered = read_po(handle, locale=language)
    for message in offered:
        if not message.id or _untranslated(message):
            continue
        entry = catalog.get(message.id)
        if entry is None:
            notes.append(f"{fragment}: {_first(message)!r}: no template uses it yet, so it was not merged — "
                         "merge the change that adds it, run 'make messages', then merge this file again")
        elif entry.fuzzy or _untranslated(entry):
            entry.string, entry.flags = message.string, entry.flags - {"fuzzy"}
        elif entry.string != message.string:
            notes.append(f"{fragment}: {_first(message)!r}: already translated as {entry.string!r}, which was kept "
                         f"— edit {path.relative_to(ROOT)} to change it")
    _write(catalog, path)
    return notes


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check", action="store_true", help="list messages any catalogue lacks or leaves untranslated")
    parser.add_argument("--add", metavar="LANG", help="start the catalogue of a new language, such as es or pt_BR")
    parser.add_argument("--merge", nargs="+", metavar="LANG FILE",
                        help="after rewriting the catalogues, take the translations of .po fragments into LANG's")
    args = parser.parse_args(argv)
    if args.check:
        used = extract()  # once: extracting takes most of the check's time
        problems = [f"missing from {english_path().relative_to(ROOT)}: {gap!r}" for gap in missing(used=used)]
        problems += [str(gap) for language in translations() for gap in gaps(language, used=used)]
        for problem in problems:
            print(problem, file=sys.stderr)
        return 1 if problems else 0
    languages = translations()
    if args.merge and (len(args.merge) < 2 or args.merge[0] not in languages):
        parser.error(f"--merge: name a language that has a catalogue ({', '.join(languages)}), then the files: "
                     "--merge it notes/it-outcomes.po")
    if args.add:
        try:
            language = str(Locale.parse(args.add.replace("-", "_")))
        except (ValueError, UnknownLocaleError):
            parser.error(f"--add: {args.add!r} is not a language code Babel knows: use one such as es or pt_BR")
        languages = sorted({*languages, language})
    print(f"Wrote {write_english().relative_to(ROOT)}")
    for language in languages:
        print(f"Wrote {write_translation(language).relative_to(ROOT)}")
    if args.merge:
        notes = [note for fragment in args.merge[1:] for note in merge(args.merge[0], Path(fragment))]
        for note in notes:
            print(note, file=sys.stderr)
        print(f"Merged {len(args.merge) - 1} file(s) into {catalogue_path(args.merge[0]).relative_to(ROOT)}"
              + (f"; {len(notes)} message(s) not taken, listed above" if notes else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
