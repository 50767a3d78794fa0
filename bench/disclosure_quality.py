"""Disclosure check quality (issue 7): recall and precision of `consent.disclosure.engine.analyse` on
labelled texts, with the pure `InMemoryRegistry`.

Targets: recall >= 0.99 of labelled mentions, precision >= 0.9 of non-advisory findings; the engine's
own work on a 5,000-word text well under 200 ms warm.

    .venv/bin/python bench/disclosure_quality.py [--set PATH ...] [--registry PATH] [--quiet]

Default sets: every tests/data/disclosure/*.jsonl (the held-out folder below it is never read by
default; point --set at its files to score them), against tests/data/disclosure/registry_dev.json.

Scoring (DESIGN-7.md): a label is found when a non-advisory finding overlaps it (a COMBINATION
through its parts); recall = found labels / labels. Precision = non-advisory findings that overlap a
label / non-advisory findings; a COMBINATION overlaps a label when one of its parts does, and is left
out of the denominator when every part is itself a counted finding. Per kind: recall by label kind,
precision by finding kind. Per text: every text that should be blocked (an identifying label, or
labels of three or more quasi kinds) must not come out clean. The misses and false positives are
printed with their text (everything here is fictional).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from consent.disclosure.engine import analyse  # noqa: E402
from consent.disclosure.memory_registry import InMemoryRegistry  # noqa: E402
from consent.disclosure.names import find_candidates, lookup_forms  # noqa: E402
from consent.disclosure.text import tokenise  # noqa: E402
from consent.disclosure.types import DisclosureReport, Kind, PersonRecord, Severity  # noqa: E402

DATA = ROOT / "tests" / "data" / "disclosure"
IDENTIFYING_LABELS = frozenset(
    {"name", "family_name", "date_of_birth", "place_of_origin", "phone", "email", "serial_number"}
)
QUASI_LABELS = frozenset({"age", "place", "unit", "rank", "facility", "capture"})
BENCH_WORDS = 5000
RUNS = 7


@dataclass(frozen=True)
class Label:
    start: int
    end: int
    kind: str
    person: int | None


@dataclass(frozen=True)
class LabelledText:
    id: str
    language: str
    text: str
    linked: tuple[int, ...]
    labels: tuple[Label, ...]

    @property
    def should_block(self) -> bool:
        kinds = {label.kind for label in self.labels}
        return bool(kinds & IDENTIFYING_LABELS) or len(kinds & QUASI_LABELS) >= 3


def load_registry(path: Path) -> list[PersonRecord]:
    records = []
    for row in json.loads(path.read_text(encoding="utf-8")):
        for key in ("aliases", "facilities", "family_member_names"):
            row[key] = tuple(row.get(key, ()))
        records.append(PersonRecord(**row))
    return records


def load_texts(path: Path) -> list[LabelledText]:
    texts = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        row = json.loads(line)
        labels = tuple(Label(x["start"], x["end"], x["kind"], x.get("person")) for x in row["labels"])
        texts.append(
            LabelledText(row["id"], row.get("language", "en"), row["text"], tuple(row.get("linked", ())), labels)
        )
    return texts


@dataclass
class Score:
    labels: Counter[str] = field(default_factory=Counter)
    found: Counter[str] = field(default_factory=Counter)
    findings: Counter[str] = field(default_factory=Counter)
    correct: Counter[str] = field(default_factory=Counter)
    to_block: int = 0
    blocked: int = 0
    clean_texts: int = 0
    clean_blocked: int = 0
    misses: list[tuple[str, str, str]] = field(default_factory=list)
    false_positives: list[tuple[str, str, str, str]] = field(default_factory=list)
    engine_ms: list[float] = field(default_factory=list)
    lookups: list[int] = field(default_factory=list)  # keys + compact forms asked of the registry, per text

    def add(self, other: Score) -> None:
        for name in ("labels", "found", "findings", "correct"):
            getattr(self, name).update(getattr(other, name))
        self.to_block += other.to_block
        self.blocked += other.blocked
        self.clean_texts += other.clean_texts
        self.clean_blocked += other.clean_blocked
        self.misses += other.misses
        self.false_positives += other.false_positives
        self.engine_ms += other.engine_ms
        self.lookups += other.lookups

    @property
    def recall(self) -> float:
        total = sum(self.labels.values())
        return sum(self.found.values()) / total if total else 1.0

    @property
    def precision(self) -> float:
        total = sum(self.findings.values())
        return sum(self.correct.values()) / total if total else 1.0


def _overlaps(a_start: int, a_end: int, b_start: int, b_end: int) -> bool:
    return a_start < b_end and b_start < a_end


def score_text(item: LabelledText, report: DisclosureReport) -> Score:
    score = Score()
    counted = [f for f in report.findings if f.severity is not Severity.ADVISORY and f.kind is not Kind.COMBINATION]
    combinations = [f for f in report.findings if f.kind is Kind.COMBINATION and f.severity is not Severity.ADVISORY]
    spans = [(f.start, f.end) for f in counted] + [part for c in combinations for part in c.parts]
    for label in item.labels:
        score.labels[label.kind] += 1
        if any(_overlaps(label.start, label.end, s, e) for s, e in spans):
            score.found[label.kind] += 1
        else:
            score.misses.append((item.id, label.kind, item.text[label.start : label.end]))

    def overlaps_label(start: int, end: int) -> bool:
        return any(_overlaps(start, end, label.start, label.end) for label in item.labels)

    for finding in counted:
        score.findings[finding.kind.value] += 1
        if overlaps_label(finding.start, finding.end):
            score.correct[finding.kind.value] += 1
        else:
            score.false_positives.append(
                (item.id, finding.kind.value, finding.rule, item.text[finding.start : finding.end])
            )
    counted_spans = {(f.start, f.end) for f in counted}
    for combination in combinations:
        if all(part in counted_spans for part in combination.parts):
            continue
        score.findings[Kind.COMBINATION.value] += 1
        if any(overlaps_label(s, e) for s, e in combination.parts):
            score.correct[Kind.COMBINATION.value] += 1
        else:
            parts = " | ".join(item.text[s:e] for s, e in combination.parts)
            score.false_positives.append((item.id, "combination", "combination", parts))
    if item.should_block:
        score.to_block += 1
        score.blocked += not report.is_clean
    else:
        score.clean_texts += 1
        score.clean_blocked += not report.is_clean
    return score


def engine_ms(report: DisclosureReport) -> float:
    return report.timings_ms.get("total", 0.0) - report.timings_ms.get("registry", 0.0)


def score_set(texts: Sequence[LabelledText], registry: InMemoryRegistry) -> Score:
    total = Score()
    for item in texts:
        report = analyse(item.text, registry, linked_person_ids=item.linked)
        score = score_text(item, report)
        score.engine_ms.append(engine_ms(report))
        keys, compacts = lookup_forms(find_candidates(tokenise(item.text)))
        score.lookups.append(len(keys) + len(compacts))
        total.add(score)
    return total


def long_text(texts: Sequence[LabelledText], words: int = BENCH_WORDS) -> str:
    parts: list[str] = []
    count = 0
    while count < words:
        for item in texts:
            parts.append(item.text)
            count += len(item.text.split())
            if count >= words:
                break
    return "\n\n".join(parts)


def print_score(name: str, score: Score, *, quiet: bool) -> None:
    print(f"\n== {name}")
    labels, found = sum(score.labels.values()), sum(score.found.values())
    findings, correct = sum(score.findings.values()), sum(score.correct.values())
    print(f"recall    {score.recall:.4f}  ({found}/{labels} labels found)")
    print(f"precision {score.precision:.4f}  ({correct}/{findings} non-advisory findings on a label)")
    print(f"blocking recall {score.blocked}/{score.to_block} texts that must be blocked are blocked")
    print(f"texts without identifying labels blocked anyway: {score.clean_blocked}/{score.clean_texts}")
    print("recall by label kind:")
    for kind in sorted(score.labels):
        print(f"  {kind:16} {score.found[kind] / score.labels[kind]:.4f}  ({score.found[kind]}/{score.labels[kind]})")
    print("precision by finding kind:")
    for kind in sorted(score.findings):
        print(
            f"  {kind:16} {score.correct[kind] / score.findings[kind]:.4f}  "
            f"({score.correct[kind]}/{score.findings[kind]})"
        )
    if score.engine_ms:
        ordered = sorted(score.engine_ms)
        p95 = ordered[int(0.95 * (len(ordered) - 1))]
        print(
            f"engine time per text: median {statistics.median(ordered):.1f} ms, p95 {p95:.1f} ms, "
            f"max {ordered[-1]:.1f} ms"
        )
    if score.lookups:
        print(
            f"registry look-up forms per text (keys + compact forms, one call): mean "
            f"{statistics.mean(score.lookups):.1f}, max {max(score.lookups)}"
        )
    if quiet:
        return
    print(f"misses ({len(score.misses)}):")
    for text_id, kind, span in score.misses:
        print(f"  {text_id} {kind:16} {span!r}")
    print(f"false positives ({len(score.false_positives)}):")
    for text_id, kind, rule, span in score.false_positives:
        print(f"  {text_id} {kind:16} {rule:26} {span!r}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--set", dest="sets", type=Path, action="append", help="a JSON Lines file of labelled texts")
    parser.add_argument("--registry", type=Path, default=DATA / "registry_dev.json")
    parser.add_argument("--quiet", action="store_true", help="totals only, no lists of misses and false positives")
    args = parser.parse_args()
    sets = args.sets or sorted(DATA.glob("*.jsonl"))
    registry = InMemoryRegistry(load_registry(args.registry))
    started = time.perf_counter()
    analyse("Warm-up: Ri Chol Su, 26, +82 10-1234-5678, 리철수 하사.", registry)
    print(f"first analysis (imports, Presidio, caches): {(time.perf_counter() - started) * 1000:.0f} ms")
    overall = Score()
    all_texts: list[LabelledText] = []
    for path in sets:
        texts = load_texts(path)
        all_texts += texts
        score = score_set(texts, registry)
        print_score(f"{path.name} ({len(texts)} texts)", score, quiet=args.quiet)
        overall.add(score)
    if len(sets) > 1:
        print_score(f"all sets ({len(all_texts)} texts)", overall, quiet=True)
    if all_texts:
        text = long_text(all_texts)
        times: list[float] = []
        cpu: list[float] = []
        for _ in range(RUNS):
            started_cpu = time.process_time()
            report = analyse(text, registry)
            cpu.append((time.process_time() - started_cpu) * 1000)
            times.append(engine_ms(report))
        stages = {k: round(v, 1) for k, v in report.timings_ms.items()}
        keys, compacts = lookup_forms(find_candidates(tokenise(text)))
        print(
            f"\n{len(text.split())}-word text ({len(report.findings)} findings), engine's own work (registry calls "
            f"excluded), {RUNS} warm runs: min {min(times):.1f} ms, median {statistics.median(times):.1f} ms, "
            f"max {max(times):.1f} ms (CPU time of the whole call: min {min(cpu):.1f} ms, median "
            f"{statistics.median(cpu):.1f} ms); last run by stage {stages}; registry asked for {len(keys)} keys and "
            f"{len(compacts)} compact forms in one call; persons checked {report.persons_checked}"
        )
    by_kind: defaultdict[str, int] = defaultdict(int)
    for _, kind, _ in overall.misses:
        by_kind[kind] += 1
    if overall.misses:
        print("misses by kind:", dict(sorted(by_kind.items())))


if __name__ == "__main__":
    main()
