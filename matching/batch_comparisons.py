"""What the batch engine compares: blocking rules and per-field comparisons as DuckDB SQL.

A comparison turns a pair of records into an agreement level: -1 when either value is missing, 0
for disagreement, and higher numbers for closer agreement, up to `level_count - 1`. Comparisons
that need Python per value (the Korean name) compute it once per distinct value, never per pair.
"""

from __future__ import annotations

import abc
import concurrent.futures
import multiprocessing
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

import pyarrow as pa

from matching.keys import name_keys

MISSING = -1
"""The level of a pair in which either value is missing: it counts neither for nor against a match."""


def _quoted(column: str) -> str:
    return '"' + column.replace('"', '""') + '"'


def _thresholds_met(measure: str, operator: str, thresholds: Sequence[float]) -> str:
    """SQL counting the thresholds `measure` meets, computing it once (a one-element list and a lambda)."""
    tests = " + ".join(f"(value {operator} {t!r})::INTEGER" for t in thresholds)
    return f"list_transform([{measure}], lambda value: {tests})[1]"


@dataclass(frozen=True, slots=True)
class BlockingRule:
    """Pairs are candidates when they are equal on every one of `columns`.

    A column holding lists (such as the Korean name keys a `KoreanName` comparison adds, "name__keys")
    is exploded: two records agree on it when their lists share an element. At most one list column
    per rule.
    """

    columns: tuple[str, ...]

    def __post_init__(self) -> None:
        if not self.columns:
            raise ValueError("a blocking rule needs at least one column")


@dataclass(frozen=True, slots=True)
class DerivedColumns:
    """Columns a comparison adds to the records, computed once per distinct value of its input column."""

    source: str
    table: pa.Table  # one row per distinct source value: the value, then the derived columns


class Comparison(abc.ABC):
    """One field's comparison: SQL for the level of a pair, `l` and `r` being the two records."""

    column: str

    @property
    @abc.abstractmethod
    def level_count(self) -> int:
        """How many levels besides MISSING: 0 (disagree) to level_count - 1 (closest)."""

    @abc.abstractmethod
    def level_sql(self) -> str:
        """A SQL expression over `l` and `r` giving the pair's level, MISSING when a value is missing."""

    @property
    def name(self) -> str:
        return self.column

    def derived(
        self, distinct_values: Sequence[str], workers: int, progress: Callable[[int, int], None]
    ) -> DerivedColumns | None:
        """Columns this comparison needs beyond the input, for these distinct values; None if it needs none.

        `workers` processes may share the work.
        """
        return None

    def derived_columns(self) -> Mapping[str, bool]:
        """The names of the columns `derived` adds, each with whether it holds lists."""
        return {}

    def counted_levels(self) -> tuple[tuple[int, str], ...]:
        """Levels whose frequency among all pairs can be counted from value frequencies, top level first:
        (level, column) where a pair is at that level or above exactly when it shares a value of the
        column (an element, for a list column). Random pairs rarely reach these levels, so counting
        them gives u where sampling would be noisiest."""
        return ((self.level_count - 1, self.column),)

    def _missing(self) -> str:
        col = _quoted(self.column)
        return f"l.{col} IS NULL OR r.{col} IS NULL"


@dataclass(frozen=True, slots=True)
class ExactMatch(Comparison):
    """Agree (1) when equal, else disagree (0)."""

    column: str

    @property
    def level_count(self) -> int:
        return 2

    def level_sql(self) -> str:
        col = _quoted(self.column)
        return f"CASE WHEN {self._missing()} THEN {MISSING} WHEN l.{col} = r.{col} THEN 1 ELSE 0 END"


@dataclass(frozen=True, slots=True)
class JaroWinkler(Comparison):
    """Exact (top level), then Jaro-Winkler similarity at or above each threshold, highest first."""

    column: str
    thresholds: tuple[float, ...] = (0.92, 0.8)

    def __post_init__(self) -> None:
        if not self.thresholds or any(not 0 < t <= 1 for t in self.thresholds):
            raise ValueError(f"{self.column}: Jaro-Winkler thresholds must be in (0, 1]")

    @property
    def level_count(self) -> int:
        return len(self.thresholds) + 2

    def level_sql(self) -> str:
        col = _quoted(self.column)
        met = _thresholds_met(f"jaro_winkler_similarity(l.{col}, r.{col})", ">=", self.thresholds)
        top = len(self.thresholds) + 1
        return f"CASE WHEN {self._missing()} THEN {MISSING} WHEN l.{col} = r.{col} THEN {top} ELSE {met} END"


@dataclass(frozen=True, slots=True)
class Levenshtein(Comparison):
    """Exact (top level), then edit distance at or below each threshold, smallest first."""

    column: str
    thresholds: tuple[int, ...] = (1, 2)

    def __post_init__(self) -> None:
        if not self.thresholds or any(t < 1 for t in self.thresholds):
            raise ValueError(f"{self.column}: Levenshtein thresholds must be positive")

    @property
    def level_count(self) -> int:
        return len(self.thresholds) + 2

    def level_sql(self) -> str:
        col = _quoted(self.column)
        met = _thresholds_met(f"levenshtein(l.{col}, r.{col})", "<=", self.thresholds)
        top = len(self.thresholds) + 1
        return f"CASE WHEN {self._missing()} THEN {MISSING} WHEN l.{col} = r.{col} THEN {top} ELSE {met} END"


@dataclass(frozen=True, slots=True)
class DateOfBirth(Comparison):
    """Dates as text, "YYYY-MM-DD", or partial "YYYY-MM" and "YYYY" when only part is known.

    Levels: 4 equal; 3 one date is partial and agrees with the other as far as it goes; 2 full dates
    with one digit mistyped or day and month swapped; 1 same year; 0 otherwise.
    """

    column: str

    @property
    def level_count(self) -> int:
        return 5

    def level_sql(self) -> str:
        a, b = f"l.{_quoted(self.column)}", f"r.{_quoted(self.column)}"
        same_year = f"CASE WHEN {a}[1:4] = {b}[1:4] THEN 1 ELSE 0 END"
        swapped = f"({a}[1:4] = {b}[1:4] AND {a}[6:7] = {b}[9:10] AND {a}[9:10] = {b}[6:7])"
        # Nested CASEs, because DuckDB evaluates a branch only for its rows and hamming() needs equal lengths.
        return (
            f"CASE WHEN {self._missing()} THEN {MISSING} WHEN {a} = {b} THEN 4 "
            f"WHEN length({a}) <> length({b}) THEN "
            f"CASE WHEN starts_with({a}, {b}) OR starts_with({b}, {a}) THEN 3 ELSE {same_year} END "
            f"WHEN length({a}) < 10 THEN {same_year} "
            f"WHEN hamming({a}, {b}) <= 1 OR {swapped} THEN 2 ELSE {same_year} END"
        )


@dataclass(frozen=True, slots=True)
class KoreanName(Comparison):
    """A written Korean name in any script and order, compared through `matching.keys`.

    The engine adds, per distinct name, "<column>__keys" (its blocking keys), "<column>__surnames" (its
    surname classes) and "<column>__skeleton" (its first key's given-name skeleton). Levels: 4 same text;
    3 a shared key (same surname class and given-name sound); 2 a shared surname class and given names
    that sound alike (Jaro-Winkler of the skeletons at or above `skeleton_threshold`); 1 a shared surname
    class; 0 otherwise.
    """

    column: str
    skeleton_threshold: float = 0.88

    @property
    def level_count(self) -> int:
        return 5

    def derived_columns(self) -> Mapping[str, bool]:
        return {self.column + "__keys": True, self.column + "__surnames": True, self.column + "__skeleton": False}

    def counted_levels(self) -> tuple[tuple[int, str], ...]:
        return ((4, self.column), (3, self.column + "__keys"))

    def derived(
        self, distinct_values: Sequence[str], workers: int, progress: Callable[[int, int], None]
    ) -> DerivedColumns:
        chunks = [
            distinct_values[start : start + _NAMES_PER_CHUNK]
            for start in range(0, len(distinct_values), _NAMES_PER_CHUNK)
        ]
        keys_column: list[list[str]] = []
        if workers > 1 and len(chunks) > 1:
            # forkserver: the caller holds DuckDB's threads, which a plain fork would copy mid-flight.
            context = multiprocessing.get_context("forkserver")
            with concurrent.futures.ProcessPoolExecutor(min(workers, len(chunks)), mp_context=context) as pool:
                for chunk_keys in pool.map(_sorted_keys, chunks):
                    keys_column.extend(chunk_keys)
                    progress(len(keys_column), len(distinct_values))
        else:
            for chunk in chunks:
                keys_column.extend(_sorted_keys(chunk))
                progress(len(keys_column), len(distinct_values))
        surnames_column = [sorted({key.partition(":")[0] for key in keys}) for keys in keys_column]
        skeleton_column = [keys[0].partition(":")[2] if keys else None for keys in keys_column]
        keys_name, surnames_name, skeleton_name = self.derived_columns()
        table = pa.table(
            {
                self.column: pa.array(distinct_values, pa.string()),
                keys_name: pa.array(keys_column, pa.list_(pa.string())),
                surnames_name: pa.array(surnames_column, pa.list_(pa.string())),
                skeleton_name: pa.array(skeleton_column, pa.string()),
            }
        )
        return DerivedColumns(self.column, table)

    def level_sql(self) -> str:
        col = _quoted(self.column)
        keys, surnames, skeleton = (_quoted(c) for c in self.derived_columns())
        shared_surname = f"list_has_any(l.{surnames}, r.{surnames})"
        similar = f"jaro_winkler_similarity(l.{skeleton}, r.{skeleton}) >= {self.skeleton_threshold!r}"
        return (
            f"CASE WHEN {self._missing()} THEN {MISSING} WHEN l.{col} = r.{col} THEN 4 "
            f"WHEN list_has_any(l.{keys}, r.{keys}) THEN 3 "
            f"WHEN {shared_surname} AND {similar} THEN 2 WHEN {shared_surname} THEN 1 ELSE 0 END"
        )


_NAMES_PER_CHUNK = 50_000


def _sorted_keys(names: Sequence[str]) -> list[list[str]]:
    return [sorted(name_keys(name)) for name in names]


def check_columns(
    available: Mapping[str, bool], comparisons: Iterable[Comparison], rules: Iterable[BlockingRule], id_column: str
) -> None:
    """ValueError naming the first field that settings use and the records lack, or a rule that cannot run.

    `available` maps each column the records will have (derived ones included) to whether it holds lists.
    """
    if id_column not in available:
        raise ValueError(f"id column {id_column!r} is not in the records")
    for comparison in comparisons:
        if comparison.column not in available:
            raise ValueError(f"comparison field {comparison.column!r} is not in the records")
        if comparison.column == id_column:
            raise ValueError(f"comparison field {comparison.column!r} is the id column")
    for rule in rules:
        for column in rule.columns:
            if column not in available:
                raise ValueError(f"blocking field {column!r} is not in the records")
        lists = [c for c in rule.columns if available[c]]
        if len(lists) > 1:
            raise ValueError(f"blocking rule on {', '.join(lists)} explodes more than one list field")


def blocking_sql(rule: BlockingRule, available: Mapping[str, bool], pair_filter: str) -> str:
    """SQL selecting the candidate pairs (row_l, row_r) of one rule from the table `records`."""
    lists = [c for c in rule.columns if available[c]]
    source = "records"
    if lists:
        exploded = lists[0]
        others = ", ".join(_quoted(c) for c in rule.columns if c != exploded)
        source = (
            f"(SELECT DISTINCT _row, _source, unnest({_quoted(exploded)}) AS {_quoted(exploded)}"  # noqa: S608
            f"{', ' + others if others else ''} FROM records)"
        )
    condition = " AND ".join(f"l.{_quoted(c)} = r.{_quoted(c)}" for c in rule.columns)
    return f"SELECT l._row AS row_l, r._row AS row_r FROM {source} l JOIN {source} r ON {condition} WHERE {pair_filter}"  # noqa: S608
