"""Convert source.txt (inline markup) into texts.jsonl and verify the labels.

Standard library only. Run from anywhere:
    /work/main/.venv/bin/python tests/data/disclosure/heldout_b/convert.py [--stats]

Checks (the script exits non-zero if any fails):
- every header is well formed, ids are unique, language is "en" or "ko";
- every markup kind is a label kind of the guide, every person id exists in registry.json,
  every linked id exists;
- after stripping, text[start:end] equals the marked surface; spans do not overlap;
- no markup debris ("[[", "]]") is left in a text.
It also warns (does not fail) when a registry value (name, alias, relative's name, serial number,
ISO date of birth) occurs in a text outside every label, which catches forgotten labels.
"""

from __future__ import annotations

import itertools
import json
import re
import sys
import unicodedata
from collections import Counter
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
SOURCE = HERE / "source.txt"
REGISTRY = HERE / "registry.json"
OUT = HERE / "texts.jsonl"

LABEL_KINDS = {
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
}
HEADER = re.compile(r"^### (\S+) \| (en|ko) \| ([a-z_]+) \| linked:(.*)$")
MARK = re.compile(r"\[\[([a-z_]+):(.*?)(?:\|(\d+))?\]\]")


def parse_blocks(raw: str) -> list[dict[str, Any]]:
    blocks: list[dict[str, Any]] = []
    current: dict[str, Any] | None = None
    for line in raw.split("\n"):
        if line.startswith("### "):
            m = HEADER.match(line)
            if not m:
                raise SystemExit(f"bad header: {line!r}")
            linked = [int(x) for x in m.group(4).replace(" ", "").split(",") if x]
            current = {"id": m.group(1), "language": m.group(2), "genre": m.group(3), "linked": linked, "lines": []}
            blocks.append(current)
        elif current is not None:
            current["lines"].append(line)
        elif line.strip() and not line.startswith("#"):
            raise SystemExit(f"text before the first header: {line!r}")
    for b in blocks:
        b["marked"] = "\n".join(b.pop("lines")).strip()
    return blocks


def strip_markup(marked: str) -> tuple[str, list[dict[str, Any]]]:
    out: list[str] = []
    labels: list[dict[str, Any]] = []
    pos = 0  # position in the plain text
    last = 0  # position in the marked text
    for m in MARK.finditer(marked):
        before = marked[last : m.start()]
        out.append(before)
        pos += len(before)
        kind, surface, person = m.group(1), m.group(2), m.group(3)
        labels.append(
            {
                "start": pos,
                "end": pos + len(surface),
                "kind": kind,
                "person": int(person) if person else None,
                "_surface": surface,
            }
        )
        out.append(surface)
        pos += len(surface)
        last = m.end()
    out.append(marked[last:])
    return "".join(out), labels


def fold_char(c: str) -> str:
    """One character, lower case, without accents or apostrophes (Hangul is left whole)."""
    if "\uac00" <= c <= "\ud7a3":
        return c
    if c in "'\u2019":
        return ""
    d = unicodedata.normalize("NFKD", c)
    return "".join(x for x in d if not unicodedata.combining(x)).lower()


def fold(s: str) -> str:
    return "".join(fold_char(c) for c in s)


def fold_with_map(s: str) -> tuple[str, list[int]]:
    """The folded text and, for each folded character, its index in the original text."""
    out: list[str] = []
    index: list[int] = []
    for i, c in enumerate(s):
        f = fold_char(c)
        out.append(f)
        index.extend([i] * len(f))
    return "".join(out), index


def registry_probes(reg: list[dict[str, Any]]) -> list[tuple[str, int, str]]:
    """(probe string, person id, field) for the forgotten-label warning."""
    probes: list[tuple[str, int, str]] = []
    for p in reg:
        pid = p["person_id"]
        names = [
            f"{p['family_name']} {p['given_name']}",
            p["family_name_hangul"] + p["given_name_hangul"],
            *p["aliases"],
        ]
        for n in names:
            for v in {n, n.replace("-", " "), n.replace("-", ""), n.replace(" ", "")}:
                if len(v) >= 3:
                    probes.append((v, pid, "name"))
        for n in p["family_member_names"]:
            for v in {n, n.replace("-", " ")}:
                probes.append((v, pid, "family_name"))
        if p["serial_number"]:
            probes.append((p["serial_number"], pid, "serial_number"))
        if len(p["date_of_birth"]) == 10:
            probes.append((p["date_of_birth"], pid, "date_of_birth"))
    return probes


def main() -> int:
    reg = json.loads(REGISTRY.read_text(encoding="utf-8"))
    person_ids = {p["person_id"] for p in reg}
    blocks = parse_blocks(SOURCE.read_text(encoding="utf-8"))
    errors: list[str] = []
    warnings: list[str] = []
    seen_ids: set[str] = set()
    records: list[dict[str, Any]] = []
    probes = registry_probes(reg)

    for b in blocks:
        tid = b["id"]
        if tid in seen_ids:
            errors.append(f"{tid}: duplicate id")
        seen_ids.add(tid)
        text, labels = strip_markup(b["marked"])
        if "[[" in text or "]]" in text:
            errors.append(f"{tid}: markup debris left in text")
        for pid in b["linked"]:
            if pid not in person_ids:
                errors.append(f"{tid}: linked id {pid} not in registry")
        for lab in labels:
            if lab["kind"] not in LABEL_KINDS:
                errors.append(f"{tid}: unknown kind {lab['kind']!r}")
            if lab["person"] is None or lab["person"] not in person_ids:
                errors.append(f"{tid}: label {lab['_surface']!r} has unknown person {lab['person']}")
            if text[lab["start"] : lab["end"]] != lab["_surface"]:
                errors.append(f"{tid}: span mismatch for {lab['_surface']!r}")
            if not lab["_surface"].strip() or lab["_surface"] != lab["_surface"].strip():
                errors.append(f"{tid}: empty or padded surface {lab['_surface']!r}")
        spans = sorted((lab["start"], lab["end"]) for lab in labels)
        for (s1, e1), (s2, e2) in itertools.pairwise(spans):
            if s2 < e1:
                errors.append(f"{tid}: overlapping spans {(s1, e1)} {(s2, e2)}")
        # forgotten labels
        ftext, index = fold_with_map(text)
        for probe, pid, field in probes:
            fp = fold(probe)
            for m in re.finditer(re.escape(fp), ftext):
                fs, fe = m.start(), m.end()
                # whole-word-ish for Latin probes
                if fp[0].isascii() and (
                    (fs > 0 and ftext[fs - 1].isalnum()) or (fe < len(ftext) and ftext[fe].isalnum())
                ):
                    continue
                s, e = index[fs], index[fe - 1] + 1
                if not any(lab["start"] <= s and e <= lab["end"] for lab in labels):
                    warnings.append(f"{tid}: unlabelled {field} {text[s:e]!r} (person {pid})")
        records.append(
            {
                "id": tid,
                "language": b["language"],
                "text": text,
                "linked": b["linked"],
                "labels": [{k: lab[k] for k in ("start", "end", "kind", "person")} for lab in labels],
                "_genre": b["genre"],
            }
        )

    for w in sorted(set(warnings)):
        print("WARNING", w)
    if errors:
        for error in errors:
            print("ERROR", error)
        return 1

    with OUT.open("w", encoding="utf-8") as f:
        for r in records:
            f.write(json.dumps({k: v for k, v in r.items() if not k.startswith("_")}, ensure_ascii=False) + "\n")
    print(f"wrote {len(records)} texts to {OUT.name}; {sum(len(r['labels']) for r in records)} labels")

    if "--stats" in sys.argv:
        by_lang = Counter(r["language"] for r in records)
        clean = Counter(r["language"] for r in records if not r["labels"])
        kinds = Counter((lab["kind"], r["language"]) for r in records for lab in r["labels"])
        genres = Counter((r["_genre"], r["language"]) for r in records)
        print("texts by language:", dict(by_lang), "clean:", dict(clean))
        print("labels per kind (en / ko / total):")
        for k in sorted({k for k, _ in kinds}):
            en, ko = kinds[(k, "en")], kinds[(k, "ko")]
            print(f"  {k:16} {en:4} {ko:4} {en + ko:4}")
        print("genres (language: count):")
        for (g, lang), n in sorted(genres.items()):
            print(f"  {lang} {g}: {n}")
        persons_labelled = {lab["person"] for r in records for lab in r["labels"]}
        print(
            "persons in registry:",
            len(person_ids),
            "persons labelled:",
            len(persons_labelled),
            "never mentioned:",
            sorted(person_ids - persons_labelled),
        )
        not_linked = sum(1 for r in records for lab in r["labels"] if lab["person"] not in r["linked"])
        print("labels of persons not linked to their text:", not_linked)
    return 0


if __name__ == "__main__":
    sys.exit(main())
