"""The vault's primitives: sealing binds the associated data; keys are random and separate."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from vault import crypto

KEY = crypto.new_key()


@given(st.text(max_size=300), st.text(min_size=1, max_size=40))
def test_sealed_text_opens_only_with_the_same_key_and_associated_data(text: str, table: str) -> None:
    ad = crypto.field_associated_data(table, "family_name", 7)
    sealed = crypto.seal(KEY, text.encode(), ad)
    assert crypto.unseal(KEY, sealed, ad).decode() == text
    with pytest.raises(crypto.DecryptionFailed):
        crypto.unseal(KEY, sealed, crypto.field_associated_data(table, "given_name", 7))
    with pytest.raises(crypto.DecryptionFailed):
        crypto.unseal(KEY, sealed, crypto.field_associated_data(table, "family_name", 8))
    with pytest.raises(crypto.DecryptionFailed):
        crypto.unseal(crypto.new_key(), sealed, ad)


def test_the_same_text_seals_differently_every_time() -> None:
    ad = crypto.field_associated_data("t", "f", 1)
    assert crypto.seal(KEY, b"Kim", ad) != crypto.seal(KEY, b"Kim", ad)


@given(st.binary(min_size=0, max_size=64), st.integers(min_value=0, max_value=200))
def test_any_change_to_a_sealed_value_is_detected(noise: bytes, position: int) -> None:
    ad = crypto.field_associated_data("t", "f", 1)
    sealed = bytearray(crypto.seal(KEY, b"Ri Chol Su", ad))
    index = position % len(sealed)
    sealed[index] ^= 0x01
    with pytest.raises(crypto.DecryptionFailed):
        crypto.unseal(KEY, bytes(sealed), ad)
    with pytest.raises(crypto.DecryptionFailed):
        crypto.unseal(KEY, noise, ad)


def test_data_keys_are_random_not_derived() -> None:
    keys = {crypto.new_key() for _ in range(100)}
    assert len(keys) == 100
    assert all(len(key) == 32 for key in keys)


def test_wrapping_binds_the_key_version_and_the_data_key() -> None:
    kek, dek = crypto.new_key(), crypto.new_key()
    wrapped = crypto.seal(kek, dek, crypto.wrap_associated_data(1, 10))
    assert crypto.unseal(kek, wrapped, crypto.wrap_associated_data(1, 10)) == dek
    for other in (crypto.wrap_associated_data(2, 10), crypto.wrap_associated_data(1, 11)):
        with pytest.raises(crypto.DecryptionFailed):
            crypto.unseal(kek, wrapped, other)


@pytest.mark.parametrize(("population", "bits"), [(1_000, 8), (10_000, 12), (100_000, 15), (1_000_000, 18)])
def test_index_truncation_follows_the_sizing_rule(population: int, bits: int) -> None:
    chosen = crypto.index_bits_for_population(population)
    assert chosen == bits
    coincidences = population / 2**chosen
    assert 2 <= coincidences < population**0.5


def test_index_values_have_the_configured_width() -> None:
    key = crypto.derive_index_key(crypto.new_key(), "registry_person", "name", "name_token")
    value = crypto.blind_index_value(key, "kim", 15)
    assert len(value) == 4
    assert int(value, 16) < 2**15
