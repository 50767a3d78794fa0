"""Fail if the Korean catalogue has untranslated or fuzzy entries, or if the compiled .mo is stale."""

from __future__ import annotations

import gettext
import sys
from pathlib import Path

import polib

LOCALE = Path(__file__).resolve().parent.parent / "passage" / "locale" / "ko" / "LC_MESSAGES"


def main() -> int:
    po_path, mo_path = LOCALE / "django.po", LOCALE / "django.mo"
    if not po_path.exists() or not mo_path.exists():
        print(f"missing {po_path} or {mo_path}")
        return 1
    catalogue = polib.pofile(str(po_path))
    problems = [f"untranslated: {entry.msgid!r}" for entry in catalogue.untranslated_entries()]
    problems += [f"fuzzy: {entry.msgid!r}" for entry in catalogue.fuzzy_entries()]
    with mo_path.open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    for entry in catalogue.translated_entries():
        if entry.msgid_plural:
            continue
        key = f"{entry.msgctxt}\x04{entry.msgid}" if entry.msgctxt else entry.msgid
        if compiled._catalog.get(key) != entry.msgstr:  # type: ignore[attr-defined]
            problems.append(f"stale .mo (run `make messages`): {entry.msgid!r}")
    for problem in problems:
        print(problem)
    print(f"{len(catalogue.translated_entries())} Korean entries; {len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
