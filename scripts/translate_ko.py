"""Fill Korean translations for given msgids in the catalogue: `translate_ko.py "English=한국어" ...`.

A small aid for maintainers; `make messages` still extracts and compiles.
"""

from __future__ import annotations

import sys
from pathlib import Path

import polib

CATALOGUE = Path(__file__).resolve().parent.parent / "passage" / "locale" / "ko" / "LC_MESSAGES" / "django.po"


def main(pairs: list[str]) -> int:
    catalogue = polib.pofile(str(CATALOGUE))
    wanted = dict(pair.split("=", 1) for pair in pairs)
    done = 0
    for entry in catalogue:
        if entry.msgid in wanted:
            if entry.msgid_plural:
                entry.msgstr_plural = {0: wanted[entry.msgid]}
            else:
                entry.msgstr = wanted[entry.msgid]
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
            entry.previous_msgid = None
            entry.previous_msgid_plural = None
            entry.previous_msgctxt = None
            done += 1
    catalogue.save()
    missing = set(wanted) - {entry.msgid for entry in catalogue}
    for msgid in sorted(missing):
        print(f"not in catalogue: {msgid!r}")
    print(f"{done} entries translated")
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
