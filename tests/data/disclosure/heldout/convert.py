"""Convert the held-out disclosure texts from inline markup to JSON Lines, and verify them.

Run from anywhere (Python 3.11, standard library only):

    /work/main/.venv/bin/python tests/data/disclosure/heldout/convert.py          # write + verify
    /work/main/.venv/bin/python tests/data/disclosure/heldout/convert.py --check  # verify only
    /work/main/.venv/bin/python tests/data/disclosure/heldout/convert.py --lint   # + review hints

Input: ``source.txt`` next to this file. Output: ``heldout.jsonl`` next to this file. The
registry is ``registry_heldout.json`` (read only, never rewritten here).

Format of source.txt
--------------------
* Lines before the first header that start with ``#`` (or are blank) are comments.
* Each text starts with a header line::

      === <id> | <language> | <linked person ids, comma-separated, may be empty>

  ``<id>`` is ``ho-<language>-<nnn>-<genre>``; the genre is only a naming convention (the
  JSONL has exactly the fields of DESIGN-7.md: id, language, text, linked, labels).
* The text is every line after the header up to the next header; leading and trailing blank
  lines are dropped, inner newlines are kept.
* A labelled span is written ``[[kind:surface|person_id]]``, or ``[[kind:surface]]`` when the
  span describes a protected person who is not (identifiably) in the registry (person null).
  ``kind`` is one of LABEL_KINDS below; ``surface`` is copied into the text verbatim and may not
  contain ``[``, ``]`` or ``|``. Everything outside the brackets is plain text.

Checks (any failure exits with status 1)
----------------------------------------
registry fields are exactly those of ``consent/disclosure/types.PersonRecord`` (loaded from the
file itself, the package is not imported), ids are unique ints, dates are YYYY / YYYY-MM /
YYYY-MM-DD; text ids unique; language en|ko (ko texts contain Hangul); no markup left in a text;
kinds valid; ``text[start:end] == surface`` for every label; no empty or whitespace-padded span;
no overlapping labels; every labelled and linked person id exists in the registry.

``--lint`` also prints review hints (never failures): registry values of the persons a text is
about that occur in the text outside any label, and registry names that occur in any text
outside a label (possible missed labels or unintended hard negatives). Each hint was reviewed
by hand when the set was written; the README lists the deliberate ones.
"""

from __future__ import annotations

import argparse
import dataclasses
import importlib.util
import json
import re
import sys
import unicodedata
from collections import Counter
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[3]
TYPES_PY = REPO / "consent" / "disclosure" / "types.py"
SOURCE = HERE / "source.txt"
REGISTRY = HERE / "registry_heldout.json"
OUTPUT = HERE / "heldout.jsonl"

LABEL_KINDS = (
    "name",
    "family_name",
    "date_of_birth",
    "age",
    "place_of_origin",
    "place",
    "unit",
    "rank",
    "facility",
    "capture",
    "phone",
    "email",
    "serial_number",
)
HEADER = re.compile(r"^=== (?P<id>[^|]+?) \| (?P<lang>[a-z]+) \|(?P<linked>[^|]*)$")
MARK = re.compile(r"\[\[(?P<kind>[a-z_]+):(?P<surface>[^\[\]|]+?)(?:\|(?P<person>\d+))?\]\]")
HANGUL = re.compile(r"[\uac00-\ud7a3]")
DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


class SourceError(Exception):
    pass


def load_types_module() -> Any:
    spec = importlib.util.spec_from_file_location("_disclosure_types", TYPES_PY)
    if spec is None or spec.loader is None:
        raise SourceError(f"cannot load {TYPES_PY}")
    sys.dont_write_bytecode = True  # leave no cache file beside types.py (not our folder)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses resolve annotations through sys.modules
    spec.loader.exec_module(module)
    return module


def load_registry(errors: list[str]) -> dict[int, dict[str, Any]]:
    types = load_types_module()
    expected = [f.name for f in dataclasses.fields(types.PersonRecord)]
    kinds = {k.value for k in types.Kind}
    for kind in LABEL_KINDS:
        if kind not in kinds:
            errors.append(f"label kind {kind!r} is not a Kind value in types.py")
    rows = json.loads(REGISTRY.read_text(encoding="utf-8"))
    registry: dict[int, dict[str, Any]] = {}
    for row in rows:
        if list(row) != expected:
            errors.append(f"registry row {row.get('person_id')}: fields {list(row)} != {expected}")
            continue
        pid = row["person_id"]
        if not isinstance(pid, int) or pid in registry:
            errors.append(f"registry: bad or duplicate person_id {pid!r}")
            continue
        if row["date_of_birth"] and not DATE.match(row["date_of_birth"]):
            errors.append(f"registry {pid}: bad date_of_birth")
        for key in ("aliases", "facilities", "family_member_names"):
            if not isinstance(row[key], list) or not all(isinstance(v, str) and v for v in row[key]):
                errors.append(f"registry {pid}: {key} must be a list of non-empty strings")
        # Must build as a PersonRecord (tuples for the sequence fields).
        types.PersonRecord(**{k: tuple(v) if isinstance(v, list) else v for k, v in row.items()})
        registry[pid] = row
    return registry


def parse_source(text: str) -> list[dict[str, Any]]:
    records: list[dict[str, Any]] = []
    current: dict[str, Any] | None = None
    body: list[str] = []

    def flush() -> None:
        if current is None:
            return
        while body and not body[0].strip():
            body.pop(0)
        while body and not body[-1].strip():
            body.pop()
        current["raw"] = "\n".join(body)
        records.append(current)

    for lineno, line in enumerate(text.splitlines(), start=1):
        if line.startswith("==="):
            m = HEADER.match(line)
            if not m:
                raise SourceError(f"line {lineno}: malformed header")
            flush()
            linked = [int(x) for x in m["linked"].replace(" ", "").split(",") if x]
            current = {"id": m["id"].strip(), "language": m["lang"], "linked": linked, "line": lineno}
            body = []
        elif current is None:
            if line.strip() and not line.startswith("#"):
                raise SourceError(f"line {lineno}: text before the first header")
        else:
            body.append(line)
    flush()
    return records


def render(record: dict[str, Any]) -> tuple[str, list[dict[str, Any]], list[str]]:
    """Replace the markup by its surfaces; return text, labels and the expected surfaces."""
    raw: str = record["raw"]
    out: list[str] = []
    labels: list[dict[str, Any]] = []
    surfaces: list[str] = []
    pos = 0
    length = 0
    for m in MARK.finditer(raw):
        plain = raw[pos : m.start()]
        out.append(plain)
        length += len(plain)
        surface = m["surface"]
        start = length
        out.append(surface)
        length += len(surface)
        person = int(m["person"]) if m["person"] else None
        labels.append({"start": start, "end": length, "kind": m["kind"], "person": person})
        surfaces.append(surface)
        pos = m.end()
    out.append(raw[pos:])
    return "".join(out), labels, surfaces


def verify(
    rows: list[dict[str, Any]],
    surfaces: dict[str, list[str]],
    registry: dict[int, dict[str, Any]],
    errors: list[str],
) -> None:
    seen: set[str] = set()
    for row in rows:
        rid = row["id"]
        if rid in seen:
            errors.append(f"{rid}: duplicate id")
        seen.add(rid)
        if row["language"] not in ("en", "ko"):
            errors.append(f"{rid}: language {row['language']!r}")
        if row["language"] == "ko" and not HANGUL.search(row["text"]):
            errors.append(f"{rid}: Korean text without Hangul")
        if not re.match(rf"^ho-{row['language']}-\d{{3}}-[a-z]+$", rid):
            errors.append(f"{rid}: id does not follow ho-<lang>-<nnn>-<genre>")
        text = row["text"]
        if "[[" in text or "]]" in text:
            errors.append(f"{rid}: markup left in the text")
        for pid in row["linked"]:
            if pid not in registry:
                errors.append(f"{rid}: linked person {pid} not in the registry")
        previous_end = -1
        for label, surface in zip(row["labels"], surfaces[rid], strict=True):
            s, e = label["start"], label["end"]
            if label["kind"] not in LABEL_KINDS:
                errors.append(f"{rid}: unknown kind {label['kind']!r}")
            if text[s:e] != surface:
                errors.append(f"{rid}: span {s}:{e} is {text[s:e]!r}, expected {surface!r}")
            if not surface.strip() or surface != surface.strip():
                errors.append(f"{rid}: empty or padded span {surface!r}")
            if s < previous_end:
                errors.append(f"{rid}: overlapping labels at {s}")
            previous_end = e
            if label["person"] is not None and label["person"] not in registry:
                errors.append(f"{rid}: label person {label['person']} not in the registry")


# --- review hints (--lint) -------------------------------------------------------------------


def fold(s: str) -> str:
    s = unicodedata.normalize("NFKD", s)
    s = "".join(c for c in s if not unicodedata.combining(c))
    return re.sub(r"[\s\-'\u2019\u02bc.]", "", s).lower()


def person_values(row: dict[str, Any]) -> list[str]:
    values = [
        f"{row['family_name']} {row['given_name']}",
        row["given_name"],
        row["family_name_hangul"] + row["given_name_hangul"],
        row["given_name_hangul"],
        row["unit"],
        row["serial_number"],
        *row["aliases"],
        *row["facilities"],
        *row["family_member_names"],
        *[p.strip() for p in row["place_of_origin"].split(",")],
    ]
    return [v for v in values if v and len(fold(v)) >= 2]


def covered(labels: list[dict[str, Any]], s: int, e: int) -> bool:
    return any(lab["start"] < e and s < lab["end"] for lab in labels)


def lint(rows: list[dict[str, Any]], registry: dict[int, dict[str, Any]]) -> None:
    for row in rows:
        text, labels = row["text"], row["labels"]
        persons = set(row["linked"]) | {lab["person"] for lab in labels if lab["person"]}
        for pid in sorted(persons):
            for value in person_values(registry[pid]):
                pattern = re.escape(value)
                if not HANGUL.search(value):
                    pattern = rf"(?<!\w){pattern}(?!\w)"
                for m in re.finditer(pattern, text, flags=re.IGNORECASE):
                    if not covered(labels, m.start(), m.end()):
                        print(f"HINT {row['id']}: {pid} value {value!r} unlabelled at {m.start()}")
    # Registry full names anywhere (compact Latin forms over 2-3 word windows; Hangul substrings).
    compacts: dict[str, int] = {}
    hangul: dict[str, int] = {}
    for pid, r in registry.items():
        names = [f"{r['family_name']} {r['given_name']}", f"{r['given_name']} {r['family_name']}"]
        names += [a for a in r["aliases"] if not HANGUL.search(a)]
        for name in names:
            compacts[fold(name)] = pid
        full = r["family_name_hangul"] + r["given_name_hangul"]
        hangul[full] = pid
    word = re.compile(r"[^\W\d_][\w'\u2019\u02bc\-]*")
    for row in rows:
        text, labels = row["text"], row["labels"]
        words = list(word.finditer(text))
        for n in (2, 3):
            for i in range(len(words) - n + 1):
                s, e = words[i].start(), words[i + n - 1].end()
                pid = compacts.get(fold(text[s:e]))
                if pid and not covered(labels, s, e):
                    print(f"HINT {row['id']}: registry name of {pid} unlabelled: {text[s:e]!r}")
        for full, pid in hangul.items():
            for m in re.finditer(re.escape(full), text):
                if not covered(labels, m.start(), m.end()):
                    print(f"HINT {row['id']}: Hangul name of {pid} unlabelled at {m.start()}")


def summary(rows: list[dict[str, Any]]) -> None:
    by_lang = Counter(r["language"] for r in rows)
    by_genre = Counter((r["language"], r["id"].rsplit("-", 1)[1]) for r in rows)
    by_kind = Counter((lab["kind"], r["language"]) for r in rows for lab in r["labels"])
    clean = Counter(r["language"] for r in rows if not r["labels"])
    null_person = sum(1 for r in rows for lab in r["labels"] if lab["person"] is None)
    print(f"texts: {len(rows)} {dict(by_lang)}; clean (no label): {sum(clean.values())} {dict(clean)}")
    print("genres:", ", ".join(f"{lang}/{g}={n}" for (lang, g), n in sorted(by_genre.items())))
    total = 0
    for kind in LABEL_KINDS:
        en, ko = by_kind[(kind, "en")], by_kind[(kind, "ko")]
        total += en + ko
        print(f"  {kind:16} en={en:4} ko={ko:4} total={en + ko:4}")
    print(f"labels: {total}; with person null: {null_person}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="verify only, do not write")
    parser.add_argument("--lint", action="store_true", help="also print review hints")
    args = parser.parse_args()

    errors: list[str] = []
    registry = load_registry(errors)
    try:
        records = parse_source(SOURCE.read_text(encoding="utf-8"))
    except SourceError as exc:
        print(f"source.txt: {exc}", file=sys.stderr)
        return 1
    rows: list[dict[str, Any]] = []
    surfaces: dict[str, list[str]] = {}
    for record in records:
        text, labels, surf = render(record)
        row = {
            "id": record["id"],
            "language": record["language"],
            "text": text,
            "linked": record["linked"],
            "labels": labels,
        }
        rows.append(row)
        surfaces[record["id"]] = surf
    verify(rows, surfaces, registry, errors)
    if errors:
        for err in errors:
            print("ERROR", err, file=sys.stderr)
        return 1
    if not args.check:
        with OUTPUT.open("w", encoding="utf-8") as f:
            for row in rows:
                f.write(json.dumps(row, ensure_ascii=False) + "\n")
        # Re-read what was written and verify it again, independently of the markup.
        reread = [json.loads(line) for line in OUTPUT.read_text(encoding="utf-8").splitlines()]
        verify(reread, surfaces, registry, errors)
        if reread != rows or errors:
            print("ERROR: written file does not round-trip", file=sys.stderr)
            return 1
    summary(rows)
    print(f"persons in registry: {len(registry)}")
    if args.lint:
        lint(rows, registry)
    return 0


if __name__ == "__main__":
    sys.exit(main())
