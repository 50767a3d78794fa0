"""The batch engine on small generated registries: planted duplicates found, blocking respected, repeatable."""

from __future__ import annotations

import random
from collections.abc import Callable

import numpy as np
import pyarrow as pa
import pytest

from matching.batch import (
    BlockingRule,
    DateOfBirth,
    ExactMatch,
    JaroWinkler,
    KoreanName,
    Levenshtein,
    Settings,
    dedupe,
    link,
)
from matching.batch_model import connected_components, with_counted_levels
from matching.romanise import mccune_reischauer, north, revised
from matching.surnames import SURNAMES

SYLLABLES = "철수영희민준서연지현성호정은일동훈미경숙자선혜진우재석광명남옥순"
FAMILIES = sorted(h for h in SURNAMES if len(h) == 1)
SPELLERS: list[Callable[[str], str]] = [revised, mccune_reischauer, north]


def _person(rng: random.Random) -> tuple[str, str, str]:
    hangul = rng.choice(FAMILIES) + rng.choice(SYLLABLES) + rng.choice(SYLLABLES)
    date = f"{rng.randint(1950, 2005)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
    return hangul, date, rng.choice("FM")


def _registry(
    persons: int = 300, duplicated: int = 60, seed: int = 1
) -> tuple[list[dict[str, object]], set[tuple[int, int]]]:
    """Records (id, name, date_of_birth, sex) and the true duplicate pairs as (smaller id, larger id)."""
    rng = random.Random(seed)
    records: list[dict[str, object]] = []
    truth: set[tuple[int, int]] = set()
    for number in range(persons):
        hangul, date, sex = _person(rng)
        records.append({"id": len(records), "name": hangul, "date_of_birth": date, "sex": sex})
        if number < duplicated:
            spelling = rng.choice(SPELLERS)(hangul)
            truth.add((len(records) - 1, len(records)))
            records.append({"id": len(records), "name": spelling, "date_of_birth": date, "sex": sex})
    return records, truth


def _settings(**overrides: object) -> Settings:
    values: dict[str, object] = {
        "comparisons": (KoreanName("name"), DateOfBirth("date_of_birth"), ExactMatch("sex")),
        "blocking_rules": (BlockingRule(("name__keys",)), BlockingRule(("date_of_birth",))),
        "random_pairs": 20_000,
        "threshold": 0.5,
    }
    values.update(overrides)
    return Settings(**values)  # type: ignore[arg-type]


def _found(result_pairs: pa.Table) -> set[tuple[object, object]]:
    return set(zip(result_pairs.column("id_l").to_pylist(), result_pairs.column("id_r").to_pylist(), strict=True))


def test_dedupe_finds_the_planted_duplicates_written_in_other_systems() -> None:
    records, truth = _registry()
    result = dedupe(records, _settings())
    found = _found(result.pairs)
    assert len(found & truth) >= 0.95 * len(truth)
    assert len(found - truth) <= 0.05 * len(truth)


def test_duplicates_share_a_cluster_and_everyone_else_is_alone() -> None:
    records, truth = _registry()
    result = dedupe(records, _settings())
    assert result.clusters is not None
    cluster_of = dict(
        zip(result.clusters.column("id").to_pylist(), result.clusters.column("cluster").to_pylist(), strict=True)
    )
    assert len(cluster_of) == len(records)
    together = sum(cluster_of[a] == cluster_of[b] for a, b in truth)
    assert together >= 0.95 * len(truth)


def test_only_pairs_that_agree_on_a_blocking_rule_are_compared() -> None:
    records, _ = _registry()
    result = dedupe(records, _settings(blocking_rules=(BlockingRule(("sex", "date_of_birth")),), threshold=0.01))
    by_id = {r["id"]: r for r in records}
    for left, right in _found(result.pairs):
        assert by_id[left]["sex"] == by_id[right]["sex"]
        assert by_id[left]["date_of_birth"] == by_id[right]["date_of_birth"]


def test_the_same_seed_gives_the_same_result() -> None:
    records, _ = _registry()
    first, second = dedupe(records, _settings(seed=3)), dedupe(records, _settings(seed=3))
    assert first.pairs.equals(second.pairs)
    assert first.parameters is not None
    assert second.parameters is not None
    assert first.parameters.match_share == second.parameters.match_share


def test_progress_is_reported_for_every_stage() -> None:
    records, _ = _registry(persons=100, duplicated=20)
    reported: list[tuple[str, int, int]] = []
    dedupe(records, _settings(), progress=lambda stage, done, total: reported.append((stage, done, total)))
    stages = [stage for stage, done, total in reported if done == total]
    assert stages[:1] == ["load"]
    assert {"prepare", "block", "compare", "estimate", "predict", "cluster"} <= set(stages)


def test_link_pairs_each_left_record_with_its_right_counterpart() -> None:
    rng = random.Random(5)
    people = [_person(rng) for _ in range(200)]
    left = pa.table(
        {
            "id": [f"a{i}" for i in range(200)],
            "name": [p[0] for p in people],
            "date_of_birth": [p[1] for p in people],
            "sex": [p[2] for p in people],
        }
    )
    right = pa.table(
        {
            "id": [f"b{i}" for i in range(200)],
            "name": [north(p[0]) for p in people],
            "date_of_birth": [p[1][:7] if i % 5 == 0 else p[1] for i, p in enumerate(people)],
            "sex": [p[2] for p in people],
        }
    )
    result = link(left, right, _settings())
    found = _found(result.pairs)
    correct = {(f"a{i}", f"b{i}") for i in range(200)}
    assert len(found & correct) >= 190
    assert len(found - correct) <= 5
    assert result.clusters is not None
    assert set(result.clusters.column("source").to_pylist()) == {"left", "right"}


def test_string_comparisons_find_typed_duplicates() -> None:
    records = [
        {"id": i, "surname": s, "given": g, "code": c}
        for i, (s, g, c) in enumerate(
            [("smith", "john", "1234567"), ("smith", "jon", "1234557"), ("jones", "mary", "7654321")] * 1
            + [(f"name{i}", f"given{i}", f"{i:07d}") for i in range(200)]
        )
    ]
    settings = Settings(
        comparisons=(JaroWinkler("given"), Levenshtein("code"), ExactMatch("surname")),
        blocking_rules=(BlockingRule(("surname",)),),
        random_pairs=20_000,
        threshold=0.5,
    )
    assert _found(dedupe(records, settings).pairs) == {(0, 1)}


def test_no_records_give_no_pairs_and_no_clusters() -> None:
    empty = pa.table({"id": pa.array([], pa.int64()), "name": pa.array([], pa.string())})
    result = dedupe(empty, _settings(comparisons=(KoreanName("name"),), blocking_rules=(BlockingRule(("name",)),)))
    assert result.pairs.num_rows == 0
    assert result.clusters is not None
    assert result.clusters.num_rows == 0
    assert result.parameters is None


def test_an_empty_list_of_records_gives_no_pairs() -> None:
    result = dedupe([], _settings())
    assert result.pairs.num_rows == 0
    assert result.clusters is not None
    assert result.clusters.num_rows == 0


def test_records_without_candidates_are_each_their_own_cluster() -> None:
    records = [{"id": i, "name": name} for i, name in enumerate(["김철수", "박영희", "최민준"])]
    result = dedupe(
        records, _settings(comparisons=(KoreanName("name"),), blocking_rules=(BlockingRule(("name__keys",)),))
    )
    assert result.pairs.num_rows == 0
    assert result.clusters is not None
    assert result.clusters.column("cluster").to_pylist() == [0, 1, 2]


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"comparisons": (ExactMatch("nickname"),)}, "nickname"),
        ({"blocking_rules": (BlockingRule(("birthplace",)),)}, "birthplace"),
        ({"id_column": "person_number"}, "person_number"),
        ({"comparisons": (ExactMatch("sex"), ExactMatch("sex"))}, "sex"),
    ],
)
def test_settings_that_name_a_missing_or_repeated_field_are_refused_naming_it(
    overrides: dict[str, object], field: str
) -> None:
    records, _ = _registry(persons=10, duplicated=0)
    with pytest.raises(ValueError, match=field):
        dedupe(records, _settings(**overrides))


def test_a_rule_exploding_two_list_fields_is_refused() -> None:
    records, _ = _registry(persons=10, duplicated=0)
    with pytest.raises(ValueError, match="name__keys, name__surnames"):
        dedupe(records, _settings(blocking_rules=(BlockingRule(("name__keys", "name__surnames")),)))


@pytest.mark.parametrize("threshold", [0.0, 1.0, 1.5])
def test_a_threshold_outside_zero_and_one_is_refused(threshold: float) -> None:
    with pytest.raises(ValueError, match="threshold"):
        _settings(threshold=threshold)


def test_error_messages_do_not_repeat_record_values() -> None:
    records = [{"id": 1, "name": "김철수"}, {"id": 2, "name": "Kim Chol-su"}]
    with pytest.raises(ValueError, match="not in the records") as raised:
        dedupe(records, _settings())
    assert "김철수" not in str(raised.value)
    assert "Chol" not in str(raised.value)


def test_connected_components_join_chains_and_leave_loners() -> None:
    left = np.array([0, 1, 5], dtype=np.int64)
    right = np.array([1, 2, 6], dtype=np.int64)
    assert connected_components(8, left, right).tolist() == [0, 0, 0, 3, 4, 5, 5, 7]


def test_counted_level_shares_replace_sampled_ones_and_the_rest_keep_their_proportions() -> None:
    sampled = np.array([0.6, 0.3, 0.1, 0.0])
    u = with_counted_levels(sampled, [(3, 0.01), (2, 0.05)])
    assert u.tolist() == pytest.approx([0.95 * 2 / 3, 0.95 / 3, 0.04, 0.01])


@pytest.mark.parametrize(("may_spill", "spills"), [(True, True), (False, False)])
def test_a_run_that_may_not_spill_gives_duckdb_no_temporary_directory(
    monkeypatch: pytest.MonkeyPatch, may_spill: bool, spills: bool
) -> None:
    import duckdb

    configs: list[dict[str, object]] = []
    real_connect = duckdb.connect

    def recording_connect(database: str, config: dict[str, object]) -> duckdb.DuckDBPyConnection:
        configs.append(dict(config))
        return real_connect(database, config=config)  # type: ignore[arg-type]

    monkeypatch.setattr(duckdb, "connect", recording_connect)
    records, truth = _registry(persons=60, duplicated=10)
    result = dedupe(records, _settings(may_spill=may_spill))
    assert configs and bool(configs[0]["temp_directory"]) is spills
    found = set(zip(result.pairs.column("id_l").to_pylist(), result.pairs.column("id_r").to_pylist(), strict=True))
    assert len(found & truth) >= 8
