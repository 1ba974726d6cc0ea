"""Keep the message catalogues in step with the templates and the code.

    python -m panchina.catalogue          # rewrite locale/en/.../messages.po from templates/ and panchina/
    python -m panchina.catalogue --check  # exit 1 listing any message the English catalogue lacks

English is the complete catalogue: every message id is its own English
text, written out so that a translator sees each one.  Other languages'
catalogues keep their translations; messages they lack show in English.
"""

from __future__ import annotations

import argparse
import io
import sys
from datetime import datetime, timezone
from pathlib import Path

from babel.messages.catalog import Catalog
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


def extract(sources=SOURCES) -> Catalog:
    """Every message the templates and the code use."""
    # Fixed dates and header: the file changes only when a message does.
    catalog = Catalog(locale="en", project="Panchina", version="1", copyright_holder="the Panchina contributors",
                      msgid_bugs_address="", creation_date=FIXED_DATE, revision_date=FIXED_DATE,
                      last_translator="the Panchina contributors", language_team="English", fuzzy=False)
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


def english_path() -> Path:
    return LOCALE_DIR / "en" / "LC_MESSAGES" / "messages.po"


def missing(sources=SOURCES) -> list[str]:
    """Messages used in templates or code that the English catalogue lacks or leaves empty."""
    with open(english_path(), "rb") as handle:
        known = read_po(handle, locale="en")
    gaps = []
    for message in extract(sources):
        if not message.id:
            continue
        entry = known.get(message.id)
        if entry is None or not entry.string or (isinstance(entry.string, tuple) and not all(entry.string)):
            gaps.append(message.id if isinstance(message.id, str) else message.id[0])
    return gaps


def write_english() -> Path:
    path = english_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    buffer = io.BytesIO()
    write_po(buffer, english(extract()), width=100, omit_header=False, sort_output=True, include_lineno=False)
    path.write_bytes(buffer.getvalue())
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check", action="store_true", help="list messages missing from the catalogue")
    args = parser.parse_args(argv)
    if args.check:
        gaps = missing()
        for gap in gaps:
            print(f"missing from {english_path().relative_to(ROOT)}: {gap!r}", file=sys.stderr)
        return 1 if gaps else 0
    print(f"Wrote {write_english().relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
