"""Tracing: the consent gate (only persons with a live tracing consent are ever proposed or shown),
the search, the side-by-side review, confirmation and rejection, and who may do what."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from accounts.policy import may_trace
from audit.models import AuditEvent
from conftest import World
from consent import services as consent_services
from consent.tests.helpers import consent_to_share
from passage.errors import NotPermitted
from protection.scenarios import walk_to
from protection.stages import Stage
from protection.tests.test_lifecycle_walk import cast_of
from registry.services import case_assign_team
from tracing import selectors, services
from tracing.compare import compare
from tracing.models import TracingMatch, TracingRequest
from tracing.tests.helpers import SOUGHT, open_request, tracing_consent


def search(world: World, tracing_request: TracingRequest, who: str = "caseworker_a") -> list[TracingMatch]:
    return services.tracing_search(actor=world.user(who), tracing_request=tracing_request)


def shown(world: World, tracing_request: TracingRequest, who: str = "caseworker_a") -> list[int]:
    return [
        m.person_id for m in selectors.tracing_matches_shown(actor=world.user(who), tracing_request=tracing_request)
    ]


@pytest.mark.django_db
def test_a_perfect_match_without_tracing_consent_is_never_proposed(world: World) -> None:
    tracing_request = open_request(world)
    assert search(world, tracing_request) == []
    assert TracingRequest.objects.get().status == TracingRequest.Status.OPEN
    consent_services.consent_record(  # a consent for another purpose does not open the gate
        actor=world.user("protection"),
        case=world.case_a,
        purpose="research",
        scope="Anonymised study.",
        taken_by="Officer",
        given_on=world.case_a.created_at.date(),
    )
    assert search(world, tracing_request) == []


@pytest.mark.django_db
def test_with_a_live_tracing_consent_the_person_is_proposed(world: World) -> None:
    tracing_consent(world)
    tracing_request = open_request(world)
    found = search(world, tracing_request)
    assert [match.person_id for match in found] == [world.case_a.person_id]
    assert found[0].score >= 0.5 and found[0].date_of_birth_agrees is True
    assert TracingRequest.objects.get().status == TracingRequest.Status.CANDIDATES_FOUND
    event = AuditEvent.objects.get(action="tracing_request.search")
    assert event.purpose == "1 candidates" and "Chol" not in event.payload


@pytest.mark.django_db
def test_after_revocation_the_person_is_neither_shown_nor_proposed_again(world: World) -> None:
    consent = tracing_consent(world)
    tracing_request = open_request(world)
    assert len(search(world, tracing_request)) == 1
    consent_services.consent_revoke(
        actor=world.user("protection"), case=world.case_a, consent=consent, revocation_channel="in_person"
    )
    assert shown(world, tracing_request) == []  # hidden at once, before any new search
    assert search(world, tracing_request) == []
    assert not TracingMatch.objects.exists()  # the stale proposal is dropped
    assert TracingRequest.objects.get().status == TracingRequest.Status.OPEN


@pytest.mark.django_db
def test_a_consent_lapsed_by_a_change_of_stage_closes_the_gate(world: World) -> None:
    tracing_consent(world)
    walk_to(world.case_a, Stage.REGISTERED, cast_of(world))
    assert search(world, open_request(world)) == []


@pytest.mark.django_db
def test_persons_the_organisation_neither_holds_nor_may_see_are_not_candidates(world: World) -> None:
    tracing_consent(world, world.case_b, who="caseworker_b")
    sought = {
        "sought_family_name": "Pak",
        "sought_given_name": "Yong Nam",
        "sought_family_name_hangul": "박",
        "sought_given_name_hangul": "용남",
        "sought_date_of_birth": "",
        "sought_place_of_origin": "",
    }
    assert search(world, open_request(world, **sought)) == []
    from_b = open_request(world, who="caseworker_b", **sought)
    assert [m.person_id for m in search(world, from_b, who="caseworker_b")] == [world.case_b.person_id]


@pytest.mark.django_db
def test_a_case_shared_with_the_actor_is_searched_too(world: World) -> None:
    tracing_consent(world)
    consent_to_share(world, organisation=world.org_b)
    case_assign_team(actor=world.user("supervisor_a"), case=world.case_a, team=world.team_b)
    from_b = open_request(world, who="caseworker_b")
    assert [m.person_id for m in search(world, from_b, who="caseworker_b")] == [world.case_a.person_id]


@pytest.mark.django_db
def test_confirming_a_match_confirms_the_request(world: World) -> None:
    tracing_consent(world)
    tracing_request = open_request(world)
    match = search(world, tracing_request)[0]
    services.tracing_match_confirm(
        actor=world.user("caseworker_a"), tracing_request=tracing_request, match=match, note="Names and village agree."
    )
    match = TracingMatch.objects.select_related("request__data_key").get()
    assert match.status == "confirmed" and match.reviewed_by == world.user("caseworker_a")
    assert match.review_note == "Names and village agree."
    assert "village" not in TracingMatch.objects.values_list("review_note", flat=True).get()
    assert TracingRequest.objects.get().status == TracingRequest.Status.CONFIRMED
    event = AuditEvent.objects.get(action="tracing_match.confirm")
    assert event.case_reference == world.case_a.reference and event.changed_fields == ["review_note", "status"]
    with pytest.raises(ValidationError):
        search(world, tracing_request)  # finished


@pytest.mark.django_db
def test_a_rejected_candidate_is_not_proposed_again(world: World) -> None:
    tracing_consent(world)
    tracing_request = open_request(world)
    match = search(world, tracing_request)[0]
    services.tracing_match_reject(actor=world.user("caseworker_a"), tracing_request=tracing_request, match=match)
    assert TracingRequest.objects.get().status == TracingRequest.Status.OPEN
    assert search(world, tracing_request) == []
    assert TracingMatch.objects.get().status == "rejected"
    with pytest.raises(ValidationError):
        services.tracing_match_confirm(actor=world.user("caseworker_a"), tracing_request=tracing_request, match=match)


@pytest.mark.django_db
def test_a_person_seeking_family_is_never_their_own_candidate(world: World) -> None:
    tracing_consent(world)
    seeking = services.tracing_request_create(
        actor=world.user("caseworker_a"),
        organisation=world.org_a,
        direction=TracingRequest.Direction.PERSON_SEEKS_FAMILY,
        case=world.case_a,
        values={**SOUGHT, "enquirer_name": "", "enquirer_contact": "", "relation": "brother"},
    )
    assert seeking.data_key_id == world.case_a.person.data_key_id  # erased with the person
    assert search(world, seeking) == []


@pytest.mark.django_db
def test_requests_are_seen_by_their_organisations_tracers_only(world: World) -> None:
    tracing_request = open_request(world)
    assert may_trace(world.user("caseworker_a")) and not may_trace(world.user("detaining_a"))
    assert list(selectors.tracing_requests_visible_to(world.user("caseworker_a_other_team"))) == [tracing_request]
    for who in ("caseworker_b", "protection", "supervisor_a", "detaining_a", "media_a"):
        assert not selectors.tracing_requests_visible_to(world.user(who)).exists(), who
    with pytest.raises(NotPermitted):
        search(world, tracing_request, who="caseworker_b")
    with pytest.raises(services.TracingRoleRefused):
        open_request(world, who="detaining_a")


@pytest.mark.django_db
def test_a_request_for_a_case_is_hidden_from_tracers_who_cannot_see_the_case(world: World) -> None:
    services.tracing_request_create(
        actor=world.user("caseworker_a"),
        organisation=world.org_a,
        direction=TracingRequest.Direction.PERSON_SEEKS_FAMILY,
        case=world.case_a,
        values={**SOUGHT, "relation": "mother"},
    )
    assert selectors.tracing_requests_visible_to(world.user("caseworker_a")).count() == 1
    assert not selectors.tracing_requests_visible_to(world.user("caseworker_a_other_team")).exists()


@pytest.mark.django_db
def test_a_request_needs_a_name_and_the_right_case(world: World) -> None:
    with pytest.raises(ValidationError) as refused:
        open_request(world, sought_given_name="", sought_given_name_hangul="")
    assert "sought_given_name" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        open_request(world, sought_date_of_birth="April 1999")
    assert "sought_date_of_birth" in refused.value.message_dict
    with pytest.raises(ValidationError):
        services.tracing_request_create(
            actor=world.user("caseworker_a"),
            organisation=world.org_a,
            direction=TracingRequest.Direction.PERSON_SEEKS_FAMILY,
            values={**SOUGHT},
        )
    assert not TracingRequest.objects.exists()


@pytest.mark.django_db
def test_the_comparison_marks_each_field(world: World) -> None:
    tracing_request = open_request(world, sought_place_of_origin="Chongjin", sought_date_of_birth="")
    person = world.case_a.person
    fields = {str(item.label): item.agrees for item in compare(tracing_request, person, ["Lee Cheol-su"])}
    assert fields == {
        "Name (romanised)": True,
        "Name (Hangul)": True,
        "Closest alias": True,
        "Date of birth": None,
        "Place of origin": False,
    }


@pytest.mark.django_db
def test_closing_a_request(world: World) -> None:
    tracing_request = open_request(world)
    services.tracing_request_close(
        actor=world.user("caseworker_a"), tracing_request=tracing_request, status="withdrawn"
    )
    assert TracingRequest.objects.get().status == "withdrawn"
    with pytest.raises(ValidationError):
        services.tracing_request_close(actor=world.user("caseworker_a"), tracing_request=tracing_request, status="open")


@pytest.mark.django_db
def test_after_the_person_is_erased_their_requests_and_matches_disappear(world: World) -> None:
    from registry.services import person_erase

    tracing_consent(world)
    seeking = services.tracing_request_create(
        actor=world.user("protection"),
        organisation=world.protection_body,
        direction=TracingRequest.Direction.PERSON_SEEKS_FAMILY,
        case=world.case_a,
        values={**SOUGHT, "relation": "mother"},
    )
    relative_seeks = open_request(world)
    assert len(search(world, relative_seeks)) == 1
    person_erase(actor=world.user("supervisor_a"), case=world.case_a, reason="The person asked to be forgotten.")
    assert not selectors.tracing_requests_visible_to(world.user("protection")).filter(pk=seeking.pk).exists()
    assert shown(world, relative_seeks) == []
    assert search(world, relative_seeks) == []
