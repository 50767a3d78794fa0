"""Blind-index sizing (CipherSweet's rule) measured on synthetic populations, and domain separation.

CipherSweet sizes a truncated blind index so that, at the expected population R, every index
value is shared by several people: the coincidence count C = R / 2^bits satisfies 2 <= C < sqrt(R).
With C >= 2 an index value never points at one person, so the stored values cannot be used as an
identifier; with C < sqrt(R) a search still narrows R people down to a few candidates.

Here the rule is checked on real index values: R distinct synthetic normalised names are hashed
under a random key with the chosen width, and the observed distribution is compared with the
Poisson model (people per value ~ Poisson(lambda), lambda = R / 2^bits).
"""

from __future__ import annotations

import math
import random
from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from vault import crypto, runtime
from vault.keys import create_key_file

DEFAULT_POPULATION = 100_000  # the default of PASSAGE_VAULT_EXPECTED_POPULATION
HASHED_POPULATIONS = (1_000, 10_000, DEFAULT_POPULATION)
ALL_POPULATIONS = (*HASHED_POPULATIONS, 1_000_000)  # the largest: arithmetic only, no hashing

ONSETS = ("", "g", "kk", "n", "d", "tt", "r", "m", "b", "pp", "s", "ss", "j", "jj", "ch", "k", "t", "p", "h")
VOWELS = ("a", "ae", "ya", "eo", "e", "yeo", "o", "wa", "u", "wo", "wi", "eu", "ui", "i")
CODAS = ("", "k", "n", "l", "m", "p", "ng", "t")


def synthetic_names(count: int, seed: int) -> list[str]:
    """`count` distinct normalised names made of random romanised syllables (as `compact` makes them)."""
    rng = random.Random(seed)
    names: set[str] = set()
    while len(names) < count:
        syllables = rng.randint(2, 4)
        names.add("".join(rng.choice(ONSETS) + rng.choice(VOWELS) + rng.choice(CODAS) for _ in range(syllables)))
    return sorted(names)


def expected_people_per_used_value(population: int, bits: int) -> float:
    """Mean people per index value that at least one person has: lambda / (1 - e^-lambda)."""
    lam = population / 2**bits
    return lam / -math.expm1(-lam)


@pytest.mark.parametrize("population", ALL_POPULATIONS)
def test_the_chosen_width_gives_between_2_and_sqrt_r_people_per_value(population: int) -> None:
    bits = crypto.index_bits_for_population(population)
    lam = population / 2**bits
    assert 2 <= lam < 4, "the largest width with R / 2^bits >= 2: one bit more would halve lambda below 2"
    assert lam < math.sqrt(population)
    assert 2 <= expected_people_per_used_value(population, bits) < math.sqrt(population)


@pytest.mark.parametrize("population", HASHED_POPULATIONS)
def test_real_index_values_are_shared_as_the_rule_predicts(population: int) -> None:
    bits = crypto.index_bits_for_population(population)
    key = crypto.new_key()
    names = synthetic_names(population, seed=population)
    assert len(set(names)) == population
    people_per_value = Counter(crypto.blind_index_value(key, name, bits) for name in names)

    used = len(people_per_value)
    mean_per_used_value = population / used
    assert 2 <= mean_per_used_value < math.sqrt(population)
    assert mean_per_used_value == pytest.approx(expected_people_per_used_value(population, bits), rel=0.05)

    # A person is "unique" when nobody else has their index value: the value would identify them.
    lam = population / 2**bits
    unique_share = sum(1 for count in people_per_value.values() if count == 1) / population
    poisson_unique_share = math.exp(-lam)
    # The unique count is close to binomial(R, e^-lambda): allow six standard deviations.
    tolerance = 6 * math.sqrt(poisson_unique_share * (1 - poisson_unique_share) / population)
    assert unique_share == pytest.approx(poisson_unique_share, abs=tolerance)
    assert unique_share < 0.15, f"{unique_share:.1%} of the people have an index value of their own"


def test_the_default_setting_derives_the_width_from_100_000_people(settings) -> None:
    settings.PASSAGE_VAULT_INDEX_BITS = 0
    settings.PASSAGE_VAULT_EXPECTED_POPULATION = DEFAULT_POPULATION
    assert runtime.index_bits() == crypto.index_bits_for_population(DEFAULT_POPULATION) == 15


@given(st.integers(min_value=16, max_value=10**12))
def test_the_rule_holds_for_any_population_of_16_or_more(population: int) -> None:
    bits = crypto.index_bits_for_population(population)
    lam = population / 2**bits
    assert 2 <= lam < 4
    assert lam < math.sqrt(population)  # sqrt(R) >= 4 from R = 16 on


@given(st.integers(min_value=-5, max_value=3))
def test_a_population_below_4_gets_a_single_bit(population: int) -> None:
    assert crypto.index_bits_for_population(population) == 1


@settings(max_examples=200)
@given(st.text(max_size=60), st.integers(min_value=1, max_value=256))
def test_an_index_value_is_deterministic_hex_of_the_chosen_width(normalised: str, bits: int) -> None:
    key = crypto.derive_index_key(b"\x07" * 32, "registry_person", "name", "name_token")
    value = crypto.blind_index_value(key, normalised, bits)
    assert value == crypto.blind_index_value(key, normalised, bits)
    assert len(value) == (bits + 3) // 4
    assert 0 <= int(value, 16) < 2**bits


@pytest.mark.parametrize("bits", [0, -1, 257])
def test_a_width_outside_1_to_256_bits_is_refused(bits: int) -> None:
    with pytest.raises(ValueError, match="bits"):
        crypto.blind_index_value(crypto.new_key(), "kim", bits)


# Domain separation ---------------------------------------------------------------------------------

INDEX_SLOTS = [
    (table, field, index)
    for table in ("registry_person", "registry_alias", "registry_custody")
    for field in ("name", "family_name", "given_name", "date_of_birth")
    for index in ("name_token", "name_compact", "surname_birth_year")
]

identifier = st.from_regex(r"[a-z][a-z0-9_]{0,30}", fullmatch=True)


def test_every_table_field_and_index_gets_its_own_key_unlike_any_master_or_data_key(tmp_path) -> None:
    ring = create_key_file(tmp_path / "keys.json")
    keys = {slot: crypto.derive_index_key(ring.index_root, *slot) for slot in INDEX_SLOTS}
    assert len(set(keys.values())) == len(INDEX_SLOTS)
    assert all(len(key) == crypto.KEY_BYTES for key in keys.values())
    data_keys = [crypto.new_key() for _ in range(50)]
    others = {ring.index_root, ring.kek(ring.active_version), *data_keys}
    assert not others & set(keys.values())


@pytest.mark.django_db
def test_the_running_vault_separates_index_keys_from_its_data_keys() -> None:
    """The keys of the configured key file: index keys differ from the KEKs and from unwrapped DEKs."""
    ring = runtime.key_ring()
    index_keys = {runtime.index_key(*slot) for slot in INDEX_SLOTS}
    assert len(index_keys) == len(INDEX_SLOTS)
    provider = runtime.key_provider()
    data_keys = set()
    for _ in range(5):
        data_key = runtime.data_key_create()
        associated = crypto.wrap_associated_data(data_key.kek_version, data_key.pk)
        data_keys.add(provider.unwrap(data_key.kek_version, bytes(data_key.wrapped), associated))
    assert len(data_keys) == 5
    masters = {ring.index_root, *(ring.kek(version) for version in ring.usable_versions)}
    assert not index_keys & (masters | data_keys)


@given(identifier, identifier, identifier, identifier, identifier, identifier)
def test_different_slots_derive_different_keys(
    table: str, field: str, index: str, other_table: str, other_field: str, other_index: str
) -> None:
    root = b"\x11" * 32
    first = crypto.derive_index_key(root, table, field, index)
    second = crypto.derive_index_key(root, other_table, other_field, other_index)
    assert (first == second) == ((table, field, index) == (other_table, other_field, other_index))
    assert root not in (first, second)


@given(st.text(min_size=1, max_size=40))
def test_two_roots_give_unrelated_index_values_for_the_same_name(normalised: str) -> None:
    first_root, second_root = crypto.new_key(), crypto.new_key()
    slot = ("registry_person", "name", "name_compact")
    first = crypto.blind_index_value(crypto.derive_index_key(first_root, *slot), normalised, 256)
    second = crypto.blind_index_value(crypto.derive_index_key(second_root, *slot), normalised, 256)
    assert first != second


def test_two_roots_disagree_on_almost_every_truncated_value() -> None:
    """At the default width two installations' values for the same names agree only by chance."""
    bits = crypto.index_bits_for_population(DEFAULT_POPULATION)
    slot = ("registry_person", "name", "name_token")
    first = crypto.derive_index_key(crypto.new_key(), *slot)
    second = crypto.derive_index_key(crypto.new_key(), *slot)
    names = synthetic_names(2_000, seed=7)
    agreeing = sum(
        crypto.blind_index_value(first, name, bits) == crypto.blind_index_value(second, name, bits) for name in names
    )
    assert agreeing <= 5  # expected 2000 / 2^15 = 0.06
