"""Batch deduplication and linkage of person records on one machine: blocking, comparison and a
Fellegi-Sunter model in DuckDB, estimation in numpy.

    settings = Settings(
        comparisons=(KoreanName("name"), DateOfBirth("date_of_birth"), ExactMatch("sex")),
        blocking_rules=(BlockingRule(("name__keys",)), BlockingRule(("date_of_birth", "name__surnames"))),
    )
    result = dedupe(records, settings)   # or link(left, right, settings)
    result.pairs     # id_l, id_r, probability, match_weight: pairs at or above the threshold
    result.clusters  # id (and source, when linking), cluster: connected components of those pairs

Stages: load the records into DuckDB; add per distinct value the columns a comparison needs (the
Korean name keys, computed in Python once per distinct name); generate candidate pairs by the
blocking rules (equality joins, list columns exploded); compute each pair's comparison levels, as one
pattern number; estimate u from random pairs, except the top agreement levels, which are counted
from value frequencies (sampling would see too few of them to weigh a shared name key at a million
records), and m by EM on the pattern counts (`batch_model`); keep the pairs whose posterior
probability reaches the threshold; cluster them. Values are never logged:
the app feeds decrypted names through here, so errors name fields, not values.

SQL is built from settings' column names, always quoted as identifiers, never from values (hence
the S608 exemptions); values reach DuckDB as registered Arrow tables or parameters.
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, TypeAlias

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from matching.batch_comparisons import (
    BlockingRule,
    Comparison,
    DateOfBirth,
    ExactMatch,
    JaroWinkler,
    KoreanName,
    Levenshtein,
    blocking_sql,
    check_columns,
)
from matching.batch_model import (
    IntArray,
    Parameters,
    connected_components,
    estimate,
    level_frequencies,
    with_counted_levels,
)

__all__ = [
    "BlockingRule",
    "DateOfBirth",
    "ExactMatch",
    "JaroWinkler",
    "KoreanName",
    "Levenshtein",
    "Result",
    "Settings",
    "dedupe",
    "link",
]

Progress = Callable[[str, int, int], None]
"""Called with (stage, done, total) as work advances: "load", "prepare", "block", "compare",
"estimate", "predict", "cluster"; done == total when a stage ends."""

Records: TypeAlias = "pa.Table | Sequence[Mapping[str, Any]]"
"""A pyarrow table, or rows as mappings; a pandas DataFrame is accepted too (converted through pyarrow)."""


@dataclass(frozen=True, slots=True)
class Settings:
    """What to compare, how to block, and the engine's limits.

    `threshold` is the posterior probability at or above which a pair is a match. `random_pairs` is
    how many random pairs estimate u; `seed` makes their choice, and so the whole result, repeatable.
    """

    comparisons: tuple[Comparison, ...]
    blocking_rules: tuple[BlockingRule, ...]
    id_column: str = "id"
    threshold: float = 0.9
    random_pairs: int = 300_000
    seed: int = 42
    is_clustered: bool = True
    threads: int = 2
    memory_limit: str = "6GB"
    max_em_iterations: int = 100
    may_spill: bool = True
    """Whether DuckDB may write intermediate tables to a temporary directory when memory runs short.
    The app turns it off: its records are decrypted names, which must never reach the disk."""

    def __post_init__(self) -> None:
        if not self.comparisons:
            raise ValueError("settings need at least one comparison")
        if not self.blocking_rules:
            raise ValueError("settings need at least one blocking rule")
        if not 0 < self.threshold < 1:
            raise ValueError(f"threshold must be between 0 and 1, not {self.threshold}")
        if self.random_pairs < 1 or self.threads < 1 or self.max_em_iterations < 1:
            raise ValueError("random_pairs, threads and max_em_iterations must be positive")
        seen: set[str] = set()
        for comparison in self.comparisons:
            if comparison.column in seen:
                raise ValueError(f"comparison field {comparison.column!r} is compared twice")
            seen.add(comparison.column)


@dataclass(frozen=True, slots=True)
class Result:
    """Matched pairs, their clusters, the fitted model, and seconds spent per stage."""

    pairs: pa.Table
    clusters: pa.Table | None
    parameters: Parameters | None
    candidate_pairs: int
    timings: Mapping[str, float] = field(default_factory=dict)


def _ignore_progress(stage: str, done: int, total: int) -> None:
    return None


def _as_table(records: Records | Any) -> pa.Table:
    if isinstance(records, pa.Table):
        return records
    if hasattr(records, "columns") and hasattr(records, "dtypes"):  # a pandas DataFrame
        return pa.Table.from_pandas(records, preserve_index=False)
    if isinstance(records, Sequence):
        return pa.Table.from_pylist(list(records))
    raise TypeError("records must be a pyarrow Table, a pandas DataFrame or a sequence of mappings")


class _Run:
    """One dedupe or link run: a DuckDB connection and the stage timings."""

    def __init__(self, settings: Settings, progress: Progress, spill_directory: str) -> None:
        self.settings = settings
        self.progress = progress
        self.timings: dict[str, float] = {}
        self.db = duckdb.connect(
            ":memory:",
            config={
                "threads": settings.threads,
                "memory_limit": settings.memory_limit,
                "temp_directory": spill_directory if settings.may_spill else "",
                "preserve_insertion_order": False,
            },
        )

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        started = time.perf_counter()
        self.progress(name, 0, 1)
        yield
        self.timings[name] = self.timings.get(name, 0.0) + time.perf_counter() - started
        self.progress(name, 1, 1)

    def load(self, tables: Sequence[pa.Table]) -> dict[str, bool]:
        """Load the records as table `records` (_row, _source, the used columns); the columns available."""
        settings = self.settings
        schema = tables[0].schema
        for table in tables[1:]:
            missing = [name for name in schema.names if name not in table.schema.names]
            if missing:
                raise ValueError(f"field {missing[0]!r} is in the left records but not the right")
        available = {f.name: pa.types.is_list(f.type) or pa.types.is_large_list(f.type) for f in schema}
        for comparison in settings.comparisons:
            available.update(comparison.derived_columns())
        check_columns(available, settings.comparisons, settings.blocking_rules, settings.id_column)
        used = sorted(
            {c.column for c in settings.comparisons}
            | {c for rule in settings.blocking_rules for c in rule.columns if c in schema.names}
        )
        parts = []
        offset = 0
        for source, table in enumerate(tables):
            part = table.select(used)
            part = part.append_column("_row", pa.array(np.arange(offset, offset + len(table), dtype=np.int64)))
            part = part.append_column("_source", pa.array(np.full(len(table), source, dtype=np.int8)))
            parts.append(part)
            offset += len(table)
        combined = pa.concat_tables(parts)
        self.db.register("input_records", combined)
        columns = ", ".join(_cleaned(name, combined.schema.field(name).type) for name in used)
        self.db.execute(f"CREATE TABLE records AS SELECT _row, _source, {columns} FROM input_records")  # noqa: S608
        self.db.unregister("input_records")
        return available

    def prepare(self) -> None:
        """Add the derived columns of each comparison, computed once per distinct value."""
        for comparison in self.settings.comparisons:
            if not comparison.derived_columns():
                continue
            col = _quoted(comparison.column)
            rows = self.db.execute(f"SELECT DISTINCT {col} FROM records WHERE {col} IS NOT NULL ORDER BY 1").fetchall()  # noqa: S608
            values = [str(row[0]) for row in rows]
            derived = comparison.derived(
                values, self.settings.threads, lambda done, total: self.progress("prepare", done, total)
            )
            if derived is None:
                continue
            self.db.register("derived", derived.table)
            extra = ", ".join(f"d.{_quoted(name)}" for name in derived.table.schema.names[1:])
            self.db.execute(
                f"CREATE OR REPLACE TABLE records AS SELECT r.*, {extra} FROM records r "  # noqa: S608
                f"LEFT JOIN derived d ON r.{col} = d.{col}"
            )
            self.db.unregister("derived")

    def block(self, available: Mapping[str, bool], pair_filter: str) -> int:
        """Create `candidates` (row_l, row_r), the union of every rule's pairs; their number."""
        selects = " UNION ".join(blocking_sql(rule, available, pair_filter) for rule in self.settings.blocking_rules)
        self.db.execute(f"CREATE TABLE candidates AS {selects}")
        row = self.db.execute("SELECT count(*) FROM candidates").fetchone()
        return int(row[0]) if row else 0

    def _pattern_sql(self) -> str:
        """The pair's levels packed into one number: each level + 1 in mixed radix (level_count + 1)."""
        terms = []
        radix = 1
        for comparison in self.settings.comparisons:
            terms.append(f"(({comparison.level_sql()}) + 1) * {radix}")
            radix *= comparison.level_count + 1
        return " + ".join(terms)

    def _unpack(self, codes: IntArray) -> IntArray:
        columns = []
        rest = codes.copy()
        for comparison in self.settings.comparisons:
            base = comparison.level_count + 1
            columns.append(rest % base - 1)
            rest //= base
        return np.stack(columns, axis=1)

    def compare(self, pairs_table: str, into: str) -> None:
        self.db.execute(
            f"CREATE OR REPLACE TABLE {into} AS SELECT p.row_l, p.row_r, ({self._pattern_sql()})::BIGINT AS pattern "  # noqa: S608
            f"FROM {pairs_table} p JOIN records l ON l._row = p.row_l JOIN records r ON r._row = p.row_r"
        )

    def pattern_counts(self, table: str) -> tuple[IntArray, IntArray]:
        found = self.db.execute(f"SELECT pattern, count(*) FROM {table} GROUP BY pattern ORDER BY pattern").fetchnumpy()  # noqa: S608
        codes = np.asarray(found["pattern"], dtype=np.int64)
        counts = np.asarray(found["count_star()"], dtype=np.int64)
        return codes, counts

    def random_pairs(self, left_rows: tuple[int, int], right_rows: tuple[int, int], is_dedupe: bool) -> None:
        """Create `random_pairs` (row_l, row_r): pairs drawn with the settings' seed."""
        generator = np.random.default_rng(self.settings.seed)
        size = self.settings.random_pairs
        row_l = generator.integers(*left_rows, size=size, dtype=np.int64)
        row_r = generator.integers(*right_rows, size=size, dtype=np.int64)
        if is_dedupe:
            distinct = row_l != row_r
            row_l, row_r = row_l[distinct], row_r[distinct]
        self.db.register("random_pair_rows", pa.table({"row_l": row_l, "row_r": row_r}))
        self.db.execute("CREATE TABLE random_pairs AS SELECT * FROM random_pair_rows")
        self.db.unregister("random_pair_rows")

    def shared_value_rate(self, column: str, is_list: bool, is_dedupe: bool) -> float:
        """The share of pairs (both values present) that share a value of `column`, an element if a list."""
        col = _quoted(column)
        value = f"unnest({col})" if is_list else col
        self.db.execute(
            f"CREATE OR REPLACE TEMP TABLE shared_values AS SELECT DISTINCT _row, _source, {value} AS value "  # noqa: S608
            f"FROM records WHERE {col} IS NOT NULL"
        )
        if is_dedupe:
            pairs = "sum(n * (n - 1) / 2)"
            counts = "count(DISTINCT _row) AS n"
        else:
            pairs = "sum(n_left * n_right)"
            counts = "count(DISTINCT _row) FILTER (WHERE _source = 0) AS n_left, " + (
                "count(DISTINCT _row) FILTER (WHERE _source = 1) AS n_right"
            )
        found = self.db.execute(
            f"SELECT (SELECT {pairs} FROM (SELECT {counts} FROM shared_values GROUP BY value)), "  # noqa: S608
            f"(SELECT {pairs} FROM (SELECT {counts} FROM shared_values))"
        ).fetchone()
        if not found or not found[0] or not found[1]:
            return 0.0
        return min(float(found[0]) / float(found[1]), 1.0)

    def estimate(self, possible_pairs: float, available: Mapping[str, bool], is_dedupe: bool) -> Parameters:
        level_counts = tuple(c.level_count for c in self.settings.comparisons)
        random_codes, random_counts = self.pattern_counts("random_compared")
        sampled = level_frequencies(self._unpack(random_codes), random_counts, level_counts)
        u = tuple(
            with_counted_levels(
                levels,
                [
                    (level, self.shared_value_rate(column, available[column], is_dedupe))
                    for level, column in comparison.counted_levels()
                ],
            )
            for comparison, levels in zip(self.settings.comparisons, sampled, strict=True)
        )
        codes, counts = self.pattern_counts("compared")
        parameters = estimate(
            self._unpack(codes), counts, u, possible_pairs, max_iterations=self.settings.max_em_iterations
        )
        probabilities = parameters.probabilities(self._unpack(codes))
        weights = parameters.match_weights(self._unpack(codes))
        self.db.register(
            "pattern_rows", pa.table({"pattern": codes, "probability": probabilities, "match_weight": weights})
        )
        self.db.execute("CREATE TABLE patterns AS SELECT * FROM pattern_rows")
        self.db.unregister("pattern_rows")
        return parameters

    def matched_rows(self) -> dict[str, Any]:
        """Numpy columns row_l, row_r, probability, match_weight of the pairs at or above the threshold."""
        return self.db.execute(
            "SELECT c.row_l, c.row_r, p.probability, p.match_weight FROM compared c JOIN patterns p USING (pattern) "
            "WHERE p.probability >= ? ORDER BY c.row_l, c.row_r",
            [self.settings.threshold],
        ).fetchnumpy()


def _quoted(column: str) -> str:
    return '"' + column.replace('"', '""') + '"'


def _cleaned(name: str, kind: pa.DataType) -> str:
    """A column as loaded: text trimmed, and blank text missing."""
    col = _quoted(name)
    if pa.types.is_string(kind) or pa.types.is_large_string(kind):
        return f"NULLIF(trim({col}), '') AS {col}"
    return col


def _empty_pairs(id_type: pa.DataType) -> pa.Table:
    return pa.table(
        {
            "id_l": pa.array([], id_type),
            "id_r": pa.array([], id_type),
            "probability": pa.array([], pa.float64()),
            "match_weight": pa.array([], pa.float64()),
        }
    )


def _run(tables: Sequence[pa.Table], settings: Settings, progress: Progress) -> Result:
    if all(table.num_columns == 0 for table in tables):  # rows given as an empty sequence: nothing to do
        clusters = _clusters(tables, pa.array([]), np.arange(0)) if settings.is_clustered else None
        return Result(_empty_pairs(pa.null()), clusters, None, 0, {})
    is_dedupe = len(tables) == 1
    ids = pa.concat_arrays([_id_column(table, settings.id_column).combine_chunks() for table in tables])
    with tempfile.TemporaryDirectory(prefix="passage-batch-") as spill_directory:
        run = _Run(settings, progress, spill_directory)
        try:
            with run.stage("load"):
                available = run.load(tables)
            sizes = [len(t) for t in tables]
            has_pairs = sizes[0] >= 2 if is_dedupe else min(sizes) >= 1
            if not has_pairs:
                return _result_without_pairs(tables, settings, ids, run.timings)
            with run.stage("prepare"):
                run.prepare()
            with run.stage("block"):
                pair_filter = "l._row < r._row" if is_dedupe else "l._source = 0 AND r._source = 1"
                candidate_count = run.block(available, pair_filter)
            if candidate_count == 0:
                return _result_without_pairs(tables, settings, ids, run.timings)
            with run.stage("compare"):
                run.compare("candidates", "compared")
                left_rows = (0, sizes[0])
                right_rows = left_rows if is_dedupe else (sizes[0], sizes[0] + sizes[1])
                run.random_pairs(left_rows, right_rows, is_dedupe)
                run.compare("random_pairs", "random_compared")
            with run.stage("estimate"):
                possible_pairs = sizes[0] * (sizes[0] - 1) / 2 if is_dedupe else sizes[0] * sizes[1]
                parameters = run.estimate(possible_pairs, available, is_dedupe)
            with run.stage("predict"):
                matched = run.matched_rows()
                row_l = np.asarray(matched["row_l"], dtype=np.int64)
                row_r = np.asarray(matched["row_r"], dtype=np.int64)
                pairs = pa.table(
                    {
                        "id_l": pc.take(ids, pa.array(row_l)),
                        "id_r": pc.take(ids, pa.array(row_r)),
                        "probability": pa.array(np.asarray(matched["probability"], dtype=np.float64)),
                        "match_weight": pa.array(np.asarray(matched["match_weight"], dtype=np.float64)),
                    }
                )
            clusters = None
            if settings.is_clustered:
                with run.stage("cluster"):
                    components = connected_components(len(ids), row_l, row_r)
                    clusters = _clusters(tables, ids, components)
            return Result(pairs, clusters, parameters, candidate_count, dict(run.timings))
        finally:
            run.db.close()


def _id_column(table: pa.Table, id_column: str) -> pa.ChunkedArray:
    if id_column not in table.schema.names:
        raise ValueError(f"id column {id_column!r} is not in the records")
    return table.column(id_column)


def _clusters(tables: Sequence[pa.Table], ids: pa.Array, components: IntArray) -> pa.Table:
    columns: dict[str, pa.Array] = {"id": ids, "cluster": pa.array(components)}
    if len(tables) == 2:
        sources = np.repeat(np.array(["left", "right"]), [len(tables[0]), len(tables[1])])
        columns = {"source": pa.array(sources), **columns}
    return pa.table(columns)


def _result_without_pairs(
    tables: Sequence[pa.Table], settings: Settings, ids: pa.Array, timings: Mapping[str, float]
) -> Result:
    clusters = _clusters(tables, ids, np.arange(len(ids), dtype=np.int64)) if settings.is_clustered else None
    return Result(_empty_pairs(ids.type), clusters, None, 0, dict(timings))


def dedupe(records: Records, settings: Settings, progress: Progress = _ignore_progress) -> Result:
    """Find the pairs of records that are one person's, and cluster them. See the module docstring."""
    return _run([_as_table(records)], settings, progress)


def link(left: Records, right: Records, settings: Settings, progress: Progress = _ignore_progress) -> Result:
    """Find the pairs (one record from each table) that are one person's; each table is taken as free of duplicates."""
    return _run([_as_table(left), _as_table(right)], settings, progress)
