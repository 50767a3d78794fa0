"""The in-memory registry answers what the vault's blind indexes would (registry.search_terms,
consent.disclosure_lookup.VaultRegistry), minus their coincidences."""

from __future__ import annotations

import pytest

from consent.disclosure.memory_registry import family_compacts, family_keys, person_compacts, person_keys
from consent.disclosure.tests.registry import PAK, PERSONS, RI, registry
from consent.disclosure.types import PersonRecord
from matching.keys import name_keys
from registry.search_terms import COMPACT, NAME_KEY, PersonNames, family_index_terms, person_index_terms


def _vault_terms(person: PersonRecord) -> set[tuple[str, str, str]]:
    names = PersonNames(
        family_name=person.family_name,
        given_name=person.given_name,
        family_name_hangul=person.family_name_hangul,
        given_name_hangul=person.given_name_hangul,
        aliases=person.aliases,
        date_of_birth=person.date_of_birth,
    )
    return person_index_terms(names)


def _forms(terms: set[tuple[str, str, str]], index: str) -> set[str]:
    return {form for _, name, form in terms if name == index}


@pytest.mark.parametrize("person", PERSONS, ids=lambda p: str(p.person_id))
def test_own_names_are_keyed_as_the_vault_keys_them(person):
    terms = _vault_terms(person)
    assert person_keys(person) == _forms(terms, NAME_KEY)
    assert person_compacts(person) == _forms(terms, COMPACT)  # PASSAGE_NAME_FORMS adds none in tests


@pytest.mark.parametrize("person", PERSONS, ids=lambda p: str(p.person_id))
def test_family_members_names_are_keyed_as_the_vault_keys_them(person):
    terms = family_index_terms(person.family_member_names)
    assert family_keys(person) == _forms(terms, NAME_KEY)
    assert family_compacts(person) == _forms(terms, COMPACT)


def test_name_candidates_answers_by_key_and_by_compact_form():
    lookup = registry()
    by_key = lookup.name_candidates(["이:JOLSO"], [])
    assert [r.person_id for r in by_key] == [RI.person_id]
    assert "Ri Chol Su" in by_key[0].names and "리철수" in by_key[0].names
    assert [r.person_id for r in lookup.name_candidates([], ["ivanpetrov"])] == [RI.person_id]
    assert lookup.name_candidates(["김:XXX"], ["nobody"]) == []


def test_a_person_found_through_a_family_member_comes_with_the_family_names_only():
    found = registry().name_candidates(name_keys("김옥희"), [])
    assert [r.person_id for r in found] == [RI.person_id]
    assert found[0].names == ()
    assert "김옥희" in found[0].family_member_names


def test_only_full_dates_of_birth_are_indexed():
    lookup = registry()
    assert lookup.date_of_birth_candidates(["1999-04-12", "2003-09-01"]) == [(RI.person_id, "1999-04-12")]


def test_details_leave_out_unknown_persons():
    assert [p.person_id for p in registry().details([PAK.person_id, 999])] == [PAK.person_id]
