"""Convert source.txt (inline markup) into texts.jsonl and verify the labels (held-out set C).

Standard library only. Run from anywhere:
    /work/main/.venv/bin/python tests/data/disclosure/heldout_c/convert.py [--check] [--stats]

`--check` verifies without writing texts.jsonl; `--stats` prints counts by kind, language and genre.

Markup: `[[kind:surface|person_id]]`; `[[kind:surface]]` (no id) is a protected person who is not
in the registry (`"person": null`), allowed only in a text with no linked person.

Checks (the script exits non-zero if any fails):
- registry.json has 40 unique ids and exactly the fields of `PersonRecord` in
  consent/disclosure/types.py (read from the file with `ast`, the package is not imported);
- every header is well formed, ids are unique, language is "en" or "ko";
- every markup kind is a label kind of the guide, every person id exists in registry.json,
  every linked id exists;
- after stripping, text[start:end] equals the marked surface, both in memory and again in the
  written file; spans are neither empty nor padded and do not overlap;
- no markup debris ("[[", "]]") is left in a text.
It also warns (does not fail) when a registry value occurs in a text outside every label: any
person's name or alias in its written forms, relative's name, serial number or ISO date of birth,
and, for the persons labelled in that text, the given name alone and the facilities.
"""

from __future__ import annotations

import ast
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
TYPES = HERE.parents[3] / "consent" / "disclosure" / "types.py"
REGISTRY_SIZE = 40

LABEL_KINDS = frozenset(
    {
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
)
HEADER = re.compile(r"^### (\S+) \| (en|ko) \| ([a-z_]+) \| linked:(.*)$")
MARK = re.compile(r"\[\[([a-z_]+):(.*?)(?:\|(\d+))?\]\]")

Label = dict[str, Any]
Block = dict[str, Any]


def person_record_fields() -> list[str]:
    """The field names of `PersonRecord`, in order, read from types.py without importing it."""
    tree = ast.parse(TYPES.read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.ClassDef) and node.name == "PersonRecord":
            return [
                stmt.target.id
                for stmt in node.body
                if isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name)
            ]
    raise SystemExit(f"PersonRecord not found in {TYPES}")


def check_registry(reg: list[dict[str, Any]], errors: list[str]) -> None:
    fields = person_record_fields()
    ids = [p.get("person_id") for p in reg]
    if len(reg) != REGISTRY_SIZE or len(set(ids)) != len(ids):
        errors.append(f"registry: expected {REGISTRY_SIZE} unique ids, got {len(set(ids))} of {len(ids)}")
    for p in reg:
        if list(p) != fields:
            errors.append(f"registry {p.get('person_id')}: fields {list(p)} differ from PersonRecord {fields}")
        dob = p.get("date_of_birth", "")
        if dob and not re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", dob):
            errors.append(f"registry {p.get('person_id')}: date_of_birth {dob!r} is not YYYY[-MM[-DD]]")
        for key in ("aliases", "facilities", "family_member_names"):
            if not isinstance(p.get(key), list) or not all(isinstance(v, str) and v for v in p[key]):
                errors.append(f"registry {p.get('person_id')}: {key} must be a list of non-empty strings")


def parse_blocks(raw: str) -> list[Block]:
    blocks: list[Block] = []
    current: Block | None = None
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


def strip_markup(marked: str) -> tuple[str, list[Label]]:
    out: list[str] = []
    labels: list[Label] = []
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


def variants(value: str) -> set[str]:
    return {value, value.replace("-", " "), value.replace("-", ""), value.replace(" ", "")}


def global_probes(reg: list[dict[str, Any]]) -> list[tuple[str, int, str]]:
    """(probe, person id, field) searched in every text."""
    probes: list[tuple[str, int, str]] = []
    for p in reg:
        pid = p["person_id"]
        names = [
            f"{p['family_name']} {p['given_name']}",
            p["family_name_hangul"] + p["given_name_hangul"],
            *p["aliases"],
        ]
        probes += [(v, pid, "name") for n in names for v in variants(n) if len(v) >= 3]
        probes += [(v, pid, "family_name") for n in p["family_member_names"] for v in variants(n)]
        if p["serial_number"]:
            probes.append((p["serial_number"], pid, "serial_number"))
        if len(p["date_of_birth"]) == 10:
            probes.append((p["date_of_birth"], pid, "date_of_birth"))
    return probes


def local_probes(p: dict[str, Any]) -> list[tuple[str, int, str]]:
    """(probe, person id, field) searched only in texts where the person is labelled."""
    pid = p["person_id"]
    probes = [(v, pid, "given name") for v in variants(p["given_name"]) if len(fold(v)) >= 4]
    probes += [(p["given_name_hangul"], pid, "given name")] if len(p["given_name_hangul"]) >= 2 else []
    probes += [(f, pid, "facility") for f in p["facilities"]]
    return probes


def unlabelled(text: str, labels: list[Label], probes: list[tuple[str, int, str]]) -> list[str]:
    found: list[str] = []
    ftext, index = fold_with_map(text)
    for probe, pid, field in probes:
        fp = fold(probe)
        if not fp:
            continue
        for m in re.finditer(re.escape(fp), ftext):
            fs, fe = m.start(), m.end()
            if fp[0].isascii() and ((fs > 0 and ftext[fs - 1].isalnum()) or (fe < len(ftext) and ftext[fe].isalnum())):
                continue  # part of a longer Latin word
            s, e = index[fs], index[fe - 1] + 1
            if not any(lab["start"] <= s and e <= lab["end"] for lab in labels):
                found.append(f"unlabelled {field} {text[s:e]!r} (person {pid})")
    return found


def check_block(b: Block, text: str, labels: list[Label], person_ids: set[int], errors: list[str]) -> None:
    tid = b["id"]
    if "[[" in text or "]]" in text:
        errors.append(f"{tid}: markup debris left in text")
    for pid in b["linked"]:
        if pid not in person_ids:
            errors.append(f"{tid}: linked id {pid} not in registry")
    for lab in labels:
        if lab["kind"] not in LABEL_KINDS:
            errors.append(f"{tid}: unknown kind {lab['kind']!r}")
        if lab["person"] is None:
            if b["linked"]:
                errors.append(f"{tid}: label {lab['_surface']!r} without a person in a linked text")
        elif lab["person"] not in person_ids:
            errors.append(f"{tid}: label {lab['_surface']!r} has unknown person {lab['person']}")
        if text[lab["start"] : lab["end"]] != lab["_surface"]:
            errors.append(f"{tid}: span mismatch for {lab['_surface']!r}")
        if not lab["_surface"].strip() or lab["_surface"] != lab["_surface"].strip():
            errors.append(f"{tid}: empty or padded surface {lab['_surface']!r}")
    spans = sorted((lab["start"], lab["end"]) for lab in labels)
    for (s1, e1), (s2, e2) in itertools.pairwise(spans):
        if s2 < e1:
            errors.append(f"{tid}: overlapping spans {(s1, e1)} {(s2, e2)}")


def verify_written(records: list[dict[str, Any]], errors: list[str]) -> None:
    """Read texts.jsonl back and check every span against the surface it was made from."""
    lines = OUT.read_text(encoding="utf-8").splitlines()
    if len(lines) != len(records):
        errors.append(f"{OUT.name}: {len(lines)} lines for {len(records)} texts")
    for line, r in zip(lines, records, strict=False):
        row = json.loads(line)
        if set(row) != {"id", "language", "text", "linked", "labels"}:
            errors.append(f"{OUT.name} {row.get('id')}: unexpected fields {sorted(row)}")
        for lab, orig in zip(row["labels"], r["labels"], strict=True):
            if row["text"][lab["start"] : lab["end"]] != orig["_surface"]:
                errors.append(f"{OUT.name} {row['id']}: span {lab['start']}-{lab['end']} differs from the markup")


def script_of(s: str) -> str:
    if re.search("[\uac00-\ud7a3]", s):
        return "Hangul"
    if re.search("[\u0400-\u04ff]", s):
        return "Cyrillic"
    return "Latin"


def print_stats(records: list[dict[str, Any]], person_ids: set[int]) -> None:
    by_lang = Counter(r["language"] for r in records)
    clean = Counter(r["language"] for r in records if not r["labels"])
    kinds = Counter((lab["kind"], r["language"]) for r in records for lab in r["labels"])
    genres = Counter((r["genre"], r["language"]) for r in records)
    print("texts by language:", dict(by_lang), "clean:", dict(clean))
    print("labels per kind (en / ko / total):")
    for k in sorted({k for k, _ in kinds}):
        en, ko = kinds[(k, "en")], kinds[(k, "ko")]
        print(f"  {k:16} {en:4} {ko:4} {en + ko:4}")
    en_total = sum(n for (_, lang), n in kinds.items() if lang == "en")
    ko_total = sum(n for (_, lang), n in kinds.items() if lang == "ko")
    print(f"  {'total':16} {en_total:4} {ko_total:4} {en_total + ko_total:4}")
    print("genres (language: count / clean):")
    for (g, lang), n in sorted(genres.items()):
        c = sum(1 for r in records if r["genre"] == g and r["language"] == lang and not r["labels"])
        print(f"  {lang} {g}: {n} / {c}")
    labelled = {lab["person"] for r in records for lab in r["labels"]}
    print("persons labelled:", len(labelled - {None}), "never mentioned:", sorted(person_ids - labelled))
    print("labels without a person:", sum(1 for r in records for lab in r["labels"] if lab["person"] is None))
    not_linked = sum(
        1 for r in records for lab in r["labels"] if lab["person"] is not None and lab["person"] not in r["linked"]
    )
    print("labels of a registered person not linked to their text:", not_linked)
    multi = sum(1 for r in records if len({lab["person"] for lab in r["labels"]}) > 1)
    print("texts labelling two or more persons:", multi)
    scripts: Counter[str] = Counter()
    for r in records:
        for lab in r["labels"]:
            if lab["kind"] in ("name", "family_name"):
                scripts[script_of(lab["_surface"])] += 1
    print("scripts of name/family_name spans:", dict(scripts))


def main() -> int:
    reg: list[dict[str, Any]] = json.loads(REGISTRY.read_text(encoding="utf-8"))
    errors: list[str] = []
    warnings: list[str] = []
    check_registry(reg, errors)
    person_ids = {int(p["person_id"]) for p in reg}
    by_id = {int(p["person_id"]): p for p in reg}
    probes = global_probes(reg)
    seen_ids: set[str] = set()
    records: list[dict[str, Any]] = []

    for b in parse_blocks(SOURCE.read_text(encoding="utf-8")):
        tid = b["id"]
        if tid in seen_ids:
            errors.append(f"{tid}: duplicate id")
        seen_ids.add(tid)
        text, labels = strip_markup(b["marked"])
        check_block(b, text, labels, person_ids, errors)
        here = [by_id[lab["person"]] for lab in labels if lab["person"] in by_id]
        extra = [pr for p in {id(p): p for p in here}.values() for pr in local_probes(p)]
        warnings += [f"{tid}: {w}" for w in unlabelled(text, labels, probes + extra)]
        records.append(
            {
                "id": tid,
                "language": b["language"],
                "text": text,
                "linked": b["linked"],
                "labels": labels,
                "genre": b["genre"],
            }
        )

    for w in sorted(set(warnings)):
        print("WARNING", w)
    if errors:
        for error in errors:
            print("ERROR", error)
        return 1

    if "--check" not in sys.argv:
        with OUT.open("w", encoding="utf-8") as f:
            for r in records:
                row = {
                    "id": r["id"],
                    "language": r["language"],
                    "text": r["text"],
                    "linked": r["linked"],
                    "labels": [{k: lab[k] for k in ("start", "end", "kind", "person")} for lab in r["labels"]],
                }
                f.write(json.dumps(row, ensure_ascii=False) + "\n")
    verify_written(records, errors)
    for error in errors:
        print("ERROR", error)
    if errors:
        return 1
    action = "checked" if "--check" in sys.argv else "wrote"
    n_labels = sum(len(r["labels"]) for r in records)
    print(f"{action} {len(records)} texts ({OUT.name}); {n_labels} labels; {len(warnings)} warnings; 0 errors")
    if "--stats" in sys.argv:
        print_stats(records, person_ids)
    return 0


if __name__ == "__main__":
    sys.exit(main())
