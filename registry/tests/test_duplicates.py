"""Possible duplicates: candidate search through the blind indexes, detection at registration and
import, the review queue, merge and mark distinct (both audited), in services, pages and API."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from audit.models import AuditEvent
from conftest import World, verified_client
from passage.errors import NotPermitted
from protection.models import StageChange
from registry.candidates import NameQuery, date_of_birth_agreement, person_candidates
from registry.duplicates import (
    MergeRefused,
    duplicate_mark_distinct,
    duplicate_merge,
    duplicates_detect,
    duplicates_visible_to,
    merge_blockers,
)
from registry.importing import persons_import
from registry.models import Alias, Case, Custody, DuplicateCandidate, Person
from registry.services import case_create, case_update


def _create(world: World, user: str = "caseworker_a", **person: Any) -> Case:
    organisation = world.org_a if user.endswith("_a") else world.org_b
    return case_create(actor=world.user(user), organisation=organisation, person=person)


def _pair(case: Case, other: Case) -> DuplicateCandidate:
    a, b = sorted((case.person_id, other.person_id))
    return DuplicateCandidate.objects.get(person_a_id=a, person_b_id=b)


# --- candidate search ---------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query",
    [
        NameQuery(family_name="Lee", given_name="Cheol-su"),
        NameQuery(family_name="Ri", given_name="Chol Su"),
        NameQuery(family_name_hangul="이", given_name_hangul="철수"),
        NameQuery(family_name="Yi", given_name="Ch'ŏl-su"),
        NameQuery(aliases=("Chul Soo Lee",)),
        NameQuery(aliases=("RI CHOL SU",)),
    ],
)
def test_every_spelling_of_a_name_finds_the_person(world: World, query: NameQuery) -> None:
    found = person_candidates(query, persons=Person.objects.all())
    assert [candidate.person.pk for candidate in found] == [world.case_a.person_id]
    assert found[0].score >= 0.5


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query",
    [
        NameQuery(family_name="Lim", given_name="Chol Su"),  # 임, not 이
        NameQuery(family_name="Ri", given_name="Chol Il"),  # one given syllable differs
        NameQuery(family_name="Ri", given_name="Su Chol"),  # syllables swapped
        NameQuery(family_name="Pak", given_name="Chol Su"),
    ],
)
def test_a_different_name_finds_no_one(world: World, query: NameQuery) -> None:
    assert person_candidates(query, persons=Person.objects.all()) == []


@pytest.mark.django_db
def test_a_differing_date_of_birth_lowers_the_score_and_an_agreeing_one_raises_it(world: World) -> None:
    plain = person_candidates(NameQuery(family_name="Ri", given_name="Chol Su"), persons=Person.objects.all())
    agreeing = person_candidates(
        NameQuery(family_name="Ri", given_name="Chol Su", date_of_birth="1999"), persons=Person.objects.all()
    )
    differing = person_candidates(
        NameQuery(family_name="Ri", given_name="Chol Su", date_of_birth="1975-02-03"),
        persons=Person.objects.all(),
        threshold=0.0,
    )
    assert agreeing[0].date_of_birth_agrees is True
    assert agreeing[0].score >= plain[0].score
    assert differing[0].date_of_birth_agrees is False
    assert differing[0].score < plain[0].score


@pytest.mark.parametrize(
    ("left", "right", "agrees"),
    [
        ("1999", "1999-04-02", True),
        ("1999-04", "1999-04-30", True),
        ("1999-05", "1999-04", False),
        ("1998", "1999", False),
        ("", "1999", None),
        ("not a date", "1999", None),
    ],
)
def test_partial_dates_agree_on_the_parts_both_give(left: str, right: str, agrees: bool | None) -> None:
    assert date_of_birth_agreement(left, right) is agrees


@pytest.mark.django_db
def test_candidate_search_decrypts_only_blind_index_hits(world: World) -> None:
    for index in range(15):
        _create(world, family_name="Pak", given_name=f"Nam {chr(ord('A') + index)}")
    decrypted: list[int] = []
    original = Person.from_db

    def counting(cls: Any, db: Any, field_names: Any, values: Any) -> Person:
        row = original(db, field_names, values)
        decrypted.append(row.pk)
        return row

    Person.from_db = classmethod(counting)  # type: ignore[method-assign,assignment]
    try:
        found = person_candidates(NameQuery(family_name="Ri", given_name="Chol-su"), persons=Person.objects.all())
    finally:
        Person.from_db = original  # type: ignore[method-assign]
    assert [c.person.pk for c in found] == [world.case_a.person_id]
    assert decrypted == [world.case_a.person_id]


@pytest.mark.django_db
def test_candidate_search_never_sends_a_name_to_the_database(world: World) -> None:
    with CaptureQueriesContext(connection) as queries:
        person_candidates(NameQuery(family_name="Ri", given_name="Chol Su"), persons=Person.objects.all())
    sql = " ".join(query["sql"] for query in queries.captured_queries).casefold()
    for word in ("chol", "ri ", "철수", "jolso"):
        assert word not in sql


# --- detection ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_registering_the_same_person_in_another_spelling_records_a_pair_and_audits_it(world: World) -> None:
    before = AuditEvent.objects.filter(action="duplicate.found").count()
    case = _create(world, "caseworker_b", family_name="Lee", given_name="Cheol-su", date_of_birth="1999-04-11")
    pair = _pair(case, world.case_a)
    assert pair.status == DuplicateCandidate.Status.OPEN
    assert pair.source == DuplicateCandidate.Source.CREATE
    assert pair.date_of_birth_agrees is True
    assert pair.score >= 0.5
    found = AuditEvent.objects.filter(action="duplicate.found").order_by("pk")[before:]
    assert {event.case_reference for event in found} == {case.reference, world.case_a.reference}


@pytest.mark.django_db
def test_registering_a_different_person_records_nothing(world: World) -> None:
    _create(world, family_name="Lim", given_name="Chol Su")
    _create(world, family_name="Ri", given_name="Chol Il")
    assert not DuplicateCandidate.objects.exists()


@pytest.mark.django_db
def test_an_edit_that_changes_a_name_looks_again(world: World) -> None:
    case = _create(world, family_name="Kang", given_name="Myong Hui")
    assert not DuplicateCandidate.objects.exists()
    case_update(
        actor=world.user("caseworker_a"),
        case=case,
        expected_version=case.version,
        person={"family_name": "Rhee", "given_name": "Chulsoo"},
    )
    assert _pair(case, world.case_a).source == DuplicateCandidate.Source.EDIT


@pytest.mark.django_db
def test_an_import_records_pairs_within_the_file_and_against_the_registry(world: World) -> None:
    data = (
        b"family_name,given_name,family_name_hangul,given_name_hangul\n"
        b"Lee,Chul Soo,,\n"
        b"Kang,Myong Hui,,\n"
        b"Gang,Myeong-hui,,\n"
    )
    report = persons_import(actor=world.user("caseworker_a"), organisation=world.org_a, data=data, filename="p.csv")
    assert report.is_valid
    assert report.possible_duplicates == 2
    sources = set(DuplicateCandidate.objects.values_list("source", flat=True))
    assert sources == {DuplicateCandidate.Source.IMPORT}


@pytest.mark.django_db
def test_a_pair_marked_distinct_is_not_proposed_again(world: World) -> None:
    case = _create(world, family_name="Lee", given_name="Cheol-su")
    pair = _pair(case, world.case_a)
    duplicate_mark_distinct(actor=world.user("supervisor_a"), candidate=pair)
    assert duplicates_detect(case.person, source=DuplicateCandidate.Source.LINK_RUN) == []
    pair.refresh_from_db()
    assert pair.status == DuplicateCandidate.Status.DISTINCT


# --- who sees what ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_pair_is_listed_only_for_someone_who_may_see_both_cases(world: World) -> None:
    other_org = _create(world, "caseworker_b", family_name="Lee", given_name="Cheol-su")
    same_org = _create(world, "supervisor_a", family_name="Rhee", given_name="Chul-soo")
    cross, inside = _pair(other_org, world.case_a), _pair(same_org, world.case_a)
    assert set(duplicates_visible_to(world.user("supervisor_a"))) == {inside}
    assert set(duplicates_visible_to(world.user("caseworker_b"))) == set()
    assert cross not in set(duplicates_visible_to(world.user("supervisor_b")))
    assert set(duplicates_visible_to(world.user("media_a"))) == set()


@pytest.mark.django_db
def test_pages_and_api_answer_404_for_a_pair_the_user_may_not_see(world: World) -> None:
    case = _create(world, "supervisor_a", family_name="Rhee", given_name="Chul-soo")
    pair = _pair(case, world.case_a)
    outsider = verified_client(world.user("supervisor_b"))
    assert outsider.get(reverse("registry:duplicate_detail", args=[pair.pk])).status_code == 404
    assert outsider.post(reverse("registry:duplicate_distinct", args=[pair.pk])).status_code == 404
    assert (
        outsider.post(reverse("registry:duplicate_merge", args=[pair.pk]), {"survivor": case.reference}).status_code
        == 404
    )
    assert outsider.get(f"/api/v1/duplicates/{pair.pk}/").status_code == 404
    assert outsider.post(f"/api/v1/duplicates/{pair.pk}/distinct/").status_code == 404
    pair.refresh_from_db()
    assert pair.status == DuplicateCandidate.Status.OPEN


# --- merge --------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_merge_moves_names_missing_values_custody_and_teams_and_closes_the_other_case(world: World) -> None:
    supervisor = world.user("supervisor_a")
    duplicate = case_create(
        actor=supervisor,
        organisation=world.org_a,
        person={"family_name": "Lee", "given_name": "Cheol-su", "sex": "male"},
        teams=[world.team_a2],
    )
    Custody.objects.create(
        case=duplicate, person=duplicate.person, facility="Camp North", kind="camp", from_date="2026-01-02"
    )
    pair = _pair(duplicate, world.case_a)
    before = world.case_a.version
    survivor = duplicate_merge(actor=supervisor, candidate=pair, survivor_reference=world.case_a.reference)
    assert survivor.pk == world.case_a.pk
    assert survivor.version == before + 1
    duplicate.refresh_from_db()
    assert duplicate.merged_into_id == survivor.pk
    person = Person.objects.get(pk=survivor.person_id)
    assert person.sex == "male"  # filled: the survivor had none
    assert person.family_name == "Ri"  # kept: the survivor's own value
    names = [alias.name for alias in Alias.objects.filter(person=person)]
    assert names.count("Lee Cheol-su") == 1  # already an alias: not added twice
    assert [record.facility for record in Custody.objects.filter(case=survivor)] == ["Camp North"]
    assert not Custody.objects.filter(case=duplicate).exists()
    assert world.team_a2 in [assignment.team for assignment in survivor.assignments.all()]
    pair.refresh_from_db()
    assert pair.status == DuplicateCandidate.Status.MERGED
    assert pair.decided_by == supervisor
    actions = {(e.action, e.case_reference) for e in AuditEvent.objects.filter(action__startswith="case.merge")}
    assert actions == {("case.merge", survivor.reference), ("case.merged_into", duplicate.reference)}


@pytest.mark.django_db
def test_a_merged_case_leaves_the_lists_and_its_page_points_to_the_survivor(world: World) -> None:
    supervisor = world.user("supervisor_a")
    duplicate = _create(world, "supervisor_a", family_name="Lee", given_name="Cheol-su")
    duplicate_merge(
        actor=supervisor, candidate=_pair(duplicate, world.case_a), survivor_reference=world.case_a.reference
    )
    client = verified_client(supervisor)
    listing = client.get(reverse("registry:case_list")).content.decode()
    assert duplicate.reference not in listing
    page = client.get(reverse("registry:case_detail", args=[duplicate.reference]))
    assert page.status_code == 410
    assert world.case_a.reference in page.content.decode()
    assert client.get(f"/api/v1/cases/{duplicate.reference}/").status_code == 410


@pytest.mark.django_db
def test_a_case_with_lifecycle_records_cannot_be_absorbed(world: World) -> None:
    supervisor = world.user("supervisor_a")
    duplicate = _create(world, "supervisor_a", family_name="Lee", given_name="Cheol-su")
    StageChange.objects.create(
        case=world.case_a, person=world.case_a.person, from_stage="captured", to_stage="in_custody", actor=supervisor
    )
    assert merge_blockers(world.case_a)
    assert merge_blockers(duplicate) == []
    pair = _pair(duplicate, world.case_a)
    with pytest.raises(MergeRefused, match=world.case_a.reference):
        duplicate_merge(actor=supervisor, candidate=pair, survivor_reference=duplicate.reference)
    pair.refresh_from_db()
    assert pair.status == DuplicateCandidate.Status.OPEN
    assert Case.objects.get(pk=world.case_a.pk).merged_into_id is None


@pytest.mark.django_db
def test_only_a_supervisor_merges_and_the_survivor_must_be_one_of_the_pair(world: World) -> None:
    duplicate = _create(world, "caseworker_a", family_name="Lee", given_name="Cheol-su")
    pair = _pair(duplicate, world.case_a)
    with pytest.raises(MergeRefused, match="supervisor"):
        duplicate_merge(actor=world.user("caseworker_a"), candidate=pair, survivor_reference=world.case_a.reference)
    with pytest.raises(MergeRefused, match="one of the pair"):
        duplicate_merge(actor=world.user("supervisor_a"), candidate=pair, survivor_reference="PSG-0000-0000")
    with pytest.raises(NotPermitted):
        duplicate_mark_distinct(actor=world.user("caseworker_b"), candidate=pair)


@pytest.mark.django_db
def test_a_decided_pair_cannot_be_decided_again(world: World) -> None:
    duplicate = _create(world, "supervisor_a", family_name="Lee", given_name="Cheol-su")
    pair = _pair(duplicate, world.case_a)
    duplicate_mark_distinct(actor=world.user("supervisor_a"), candidate=pair)
    with pytest.raises(MergeRefused, match="already decided"):
        duplicate_merge(actor=world.user("supervisor_a"), candidate=pair, survivor_reference=world.case_a.reference)


# --- pages and API ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_review_pages_compare_field_by_field_and_decide(world: World) -> None:
    duplicate = _create(world, "supervisor_a", family_name="Lee", given_name="Cheol-su", date_of_birth="1999-04-20")
    pair = _pair(duplicate, world.case_a)
    client = verified_client(world.user("supervisor_a"))
    created_page = client.get(reverse("registry:case_detail", args=[duplicate.reference])).content.decode()
    assert reverse("registry:duplicate_detail", args=[pair.pk]) in created_page
    listing = client.get(reverse("registry:duplicate_list")).content.decode()
    assert duplicate.reference in listing and world.case_a.reference in listing
    detail = client.get(reverse("registry:duplicate_detail", args=[pair.pk])).content.decode()
    assert "Cheol-su" in detail and "Chol Su" in detail and "Hamhung" in detail
    assert 'class="agree"' in detail  # the dates of birth agree (1999-04 / 1999-04-20)
    assert AuditEvent.objects.filter(action="duplicate.compare", object_id=str(pair.pk)).exists()
    response = client.post(reverse("registry:duplicate_distinct", args=[pair.pk]))
    assert response.status_code == 302
    pair.refresh_from_db()
    assert pair.status == DuplicateCandidate.Status.DISTINCT


@pytest.mark.django_db
def test_the_registration_page_warns_of_a_possible_duplicate(world: World) -> None:
    client = verified_client(world.user("supervisor_a"))
    response = client.post(
        reverse("registry:case_create"),
        {
            "organisation": world.org_a.pk,
            "entry_route": "prisoner",
            "family_name": "Rhee",
            "given_name": "Chul Soo",
            "sex": "unknown",
            "aliases-TOTAL_FORMS": "0",
            "aliases-INITIAL_FORMS": "0",
        },
        follow=True,
    )
    assert response.status_code == 200
    assert "may already be registered" in response.content.decode()


@pytest.mark.django_db
def test_the_api_lists_compares_and_merges(world: World) -> None:
    duplicate = _create(world, "supervisor_a", family_name="Lee", given_name="Cheol-su")
    pair = _pair(duplicate, world.case_a)
    client = verified_client(world.user("supervisor_a"))
    listing = client.get("/api/v1/duplicates/").json()
    assert [row["id"] for row in listing["results"]] == [pair.pk]
    assert {listing["results"][0]["case_a"], listing["results"][0]["case_b"]} == {
        duplicate.reference,
        world.case_a.reference,
    }
    detail = client.get(f"/api/v1/duplicates/{pair.pk}/").json()
    assert {row["field"] for row in detail["comparison"]} >= {"family_name", "given_name", "date_of_birth"}
    bad = client.get("/api/v1/duplicates/?status=maybe")
    assert bad.status_code == 400 and bad.json()["errors"][0]["field"] == "status"
    missing = client.post(f"/api/v1/duplicates/{pair.pk}/merge/", {}, content_type="application/json")
    assert missing.status_code == 400
    merged = client.post(
        f"/api/v1/duplicates/{pair.pk}/merge/", {"survivor": world.case_a.reference}, content_type="application/json"
    )
    assert merged.status_code == 200 and merged.json()["status"] == "merged"
    again = client.post(f"/api/v1/duplicates/{pair.pk}/distinct/")
    assert again.status_code == 409


@pytest.mark.django_db
@pytest.mark.parametrize(("query", "found"), [("Rhee Chul-soo", True), ("RI CHOLSU", True), ("Lim Chol Su", False)])
def test_the_case_search_finds_a_person_under_any_romanisation(world: World, query: str, found: bool) -> None:
    client = verified_client(world.user("supervisor_a"))
    page = client.get(reverse("registry:case_list"), {"q": query}).content.decode()
    assert (world.case_a.reference in page) is found
    api = client.get("/api/v1/cases/", {"q": query}).json()
    assert (world.case_a.reference in [row["reference"] for row in api["results"]]) is found
