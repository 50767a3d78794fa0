"""The registry as the disclosure check sees it (consent.disclosure_lookup.VaultRegistry): candidates come
through the blind indexes only, family members' names and full dates of birth included; erased and
merged persons are never candidates; details are decrypted only for the persons asked for."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from conftest import World
from consent.disclosure_lookup import VaultRegistry
from matching.keys import name_keys
from matching.normal import compact
from registry.services import AliasInput, case_create, custody_add, person_erase
from tracing.services import family_member_add


def _person_born(world: World, date_of_birth: str) -> int:
    case = case_create(
        actor=world.user("supervisor_a"),
        organisation=world.org_a,
        person={"family_name": "Choe", "given_name": "Myong Nam", "date_of_birth": date_of_birth},
        aliases=[AliasInput(name="Nikolai Vetrov")],
        teams=[world.team_a],
    )
    return case.person_id


@pytest.mark.django_db
def test_a_name_in_another_spelling_finds_the_person_through_its_keys(world: World) -> None:
    registry = VaultRegistry()
    records = registry.name_candidates(name_keys("Rhee Chul-soo"), [])
    mine = [record for record in records if record.person_id == world.case_a.person_id]
    assert mine and "Ri Chol Su" in mine[0].names and "리철수" in mine[0].names and "Lee Cheol-su" in mine[0].names
    assert registry.persons_decrypted == len(records)


@pytest.mark.django_db
def test_a_non_korean_alias_is_found_by_its_whole_form(world: World) -> None:
    person_id = _person_born(world, "1990")
    records = VaultRegistry().name_candidates([], [compact("Nikolai Vetrov")])
    assert any(r.person_id == person_id and "Nikolai Vetrov" in r.names for r in records)


@pytest.mark.django_db
def test_a_family_members_name_finds_the_person_they_belong_to(world: World) -> None:
    family_member_add(
        actor=world.user("protection"), case=world.case_a, values={"relation": "mother", "name": "Kim Sun Hui"}
    )
    records = VaultRegistry().name_candidates(name_keys("Kim Sun-hui"), [])
    mine = [record for record in records if record.person_id == world.case_a.person_id]
    assert mine and mine[0].family_member_names == ("Kim Sun Hui",)


@pytest.mark.django_db
def test_a_full_date_of_birth_finds_the_person(world: World) -> None:
    person_id = _person_born(world, "1998-11-03")
    assert (person_id, "1998-11-03") in VaultRegistry().date_of_birth_candidates(["1998-11-03"])
    assert all(pid != person_id for pid, _dob in VaultRegistry().date_of_birth_candidates(["1998-11-04"]))


@pytest.mark.django_db
def test_no_plaintext_reaches_the_database_in_a_lookup(world: World) -> None:
    with CaptureQueriesContext(connection) as queries:
        VaultRegistry().name_candidates(name_keys("Ri Chol Su"), [compact("Ri Chol Su")])
        VaultRegistry().date_of_birth_candidates(["1999-04-12"])
    sql = " ".join(query["sql"] for query in queries.captured_queries).casefold()
    assert "chol" not in sql and "jolso" not in sql and "1999-04-12" not in sql


@pytest.mark.django_db
def test_an_erased_person_is_never_a_candidate(world: World) -> None:
    person_erase(actor=world.user("supervisor_a"), case=world.case_a, reason="Asked to be forgotten entirely.")
    records = VaultRegistry().name_candidates(name_keys("Ri Chol Su"), [compact("Ri Chol Su")])
    assert all(record.person_id != world.case_a.person_id for record in records)
    assert VaultRegistry().details([world.case_a.person_id]) == []


@pytest.mark.django_db
def test_details_hold_every_disclosable_value_of_the_person(world: World) -> None:
    custody_add(
        actor=world.user("detaining_a"),
        case=world.case_a,
        facility="Camp Severny",
        kind="camp",
        from_date=world.case_a.created_at.date(),
    )
    family_member_add(
        actor=world.user("protection"), case=world.case_a, values={"relation": "father", "name": "리명철"}
    )
    (record,) = VaultRegistry().details([world.case_a.person_id])
    assert (record.family_name, record.given_name, record.given_name_hangul) == ("Ri", "Chol Su", "철수")
    assert record.aliases == ("Lee Cheol-su",)
    assert (record.place_of_origin, record.unit, record.rank) == ("Hamhung", "Unit 40001", "Sergeant")
    assert record.facilities == ("Camp Severny",) and record.family_member_names == ("리명철",)
