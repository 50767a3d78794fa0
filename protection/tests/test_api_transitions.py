"""The lifecycle through the API: every transition of the main path and of South Korea's pathway is
refused with its reasons until its records are in place, and only for the roles and organisations
that may make it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.test import Client
from django.utils import timezone

from audit.models import AuditEvent
from conftest import World, verified_client
from consent.tests.helpers import consent_to_share
from protection import services
from protection.models import Interview, LegalBasis, StageChange
from protection.scenarios import DESTINATION, HOME, days_needed, handover_interview, walk_to, wish_interview
from protection.stages import Stage
from protection.tests.test_lifecycle_walk import cast_of
from protection.transitions import MAIN, SOUTH_KOREA, Transition
from registry.models import Case, Custody
from registry.services import case_assign_team, case_create, custody_add, person_erase

PROBLEM = "application/problem+json"


def client(world: World, who: str | None) -> Client:
    return verified_client(world.user(who)) if who else Client()


def transitions_url(case: Case) -> str:
    return f"/api/v1/cases/{case.reference}/transitions/"


def move(world: World, who: str | None, case: Case, to: str, note: str = ""):
    return client(world, who).post(transitions_url(case), {"to": to, "note": note}, content_type="application/json")


def today() -> dt.date:
    return timezone.localdate()


# --- What each transition needs -----------------------------------------------------------------


def nothing(world: World, case: Case) -> None:
    return None


def art_122_record(world: World, case: Case) -> None:
    services.nib_record_save(
        actor=world.user("detaining_a"),
        case=case,
        values={
            "serial_number": "SN-000001",
            "power_depended_on": [HOME],
            "father_first_name": "not stated",
            "not_available": ["mother_maiden_name", "person_to_inform", "correspondence_address"],
        },
    )


def camp_and_capture_card(world: World, case: Case) -> None:
    detaining = world.user("detaining_a")
    custody_add(
        actor=detaining, case=case, facility="Camp 1", kind=Custody.Kind.CAMP, from_date=today() - dt.timedelta(2)
    )
    services.event_record(actor=detaining, case=case, values={"kind": "capture_card_offered", "occurred_on": today()})


def wish_to_go(world: World, case: Case) -> None:
    wish_interview(case, cast_of(world), today())


def an_undecided_interview(world: World, case: Case) -> None:
    wish_interview(case, cast_of(world), today(), wish=Interview.Wish.UNDECIDED)


def risk_assessments(world: World, case: Case) -> None:
    for state, risk in ((HOME, True), (DESTINATION, False)):
        risk_assessment(world, case, state, risk_found=risk)


def risk_assessment(world: World, case: Case, state: str, *, risk_found: bool) -> None:
    services.risk_assessment_record(
        actor=world.user("detaining_a"),
        case=case,
        values={
            "destination": state,
            "assessed_on": today(),
            "protecting_body_consulted": True,
            "risk_found": risk_found,
            "reasons": "Assessment on file.",
        },
    )


def share_with_the_receiving_state(world: World, case: Case) -> None:
    consent_to_share(world, case)
    case_assign_team(actor=world.user("supervisor_a"), case=case, team=world.team_receiving)


def consent_again_and_acceptance(world: World, case: Case) -> None:
    """The consent given before the request lapsed with the change of stage: confirmed again."""
    consent_to_share(world, case)
    acceptance(world, case)


def protection_request(world: World, case: Case) -> None:
    services.protection_request_record(
        actor=world.user("receiving"),
        case=case,
        values={
            "receiving_state": DESTINATION,
            "requested_on": today(),
            "made_in_person": True,
        },
    )


def acceptance(world: World, case: Case) -> None:
    services.acceptance_record(
        actor=world.user("receiving"),
        case=case,
        values={
            "receiving_state": DESTINATION,
            "decided_on": today(),
            "is_written": True,
            "legal_basis": LegalBasis.RELEASE_AND_APPLICATION,
        },
    )


def transfer(world: World, case: Case, legal_basis: str = LegalBasis.RELEASE_AND_APPLICATION) -> None:
    services.transfer_schedule(
        actor=world.user("detaining_a"),
        case=case,
        values={
            "from_place": "Camp 1",
            "to_state": DESTINATION,
            "legal_basis": legal_basis,
            "scheduled_for": today(),
            "neutral_witness": "ICRC delegate",
            "protecting_body_notified": True,
            "valuables_inventory_ready": True,
        },
    )


def proceedings(world: World, case: Case) -> None:
    services.proceedings_record(
        actor=world.user("detaining_a"),
        case=case,
        values={"opened_on": today(), "description": "Proceedings on file."},
    )


def held_for_proceedings(world: World, case: Case) -> None:
    proceedings(world, case)
    services.case_transition(actor=world.user("detaining_a"), case=case, to=Stage.HELD_PENDING_PROCEEDINGS)


def proceedings_closed(world: World, case: Case) -> None:
    for pending in case.proceedings.filter(closed_on__isnull=True):
        services.proceedings_close(actor=world.user("detaining_a"), case=case, proceedings=pending, closed_on=today())


def handover(world: World, case: Case) -> None:
    handover_interview(case, cast_of(world), today())


def handover_to_a_neutral_state(world: World, case: Case) -> None:
    handover(world, case)
    transfer(world, case, legal_basis=LegalBasis.NEUTRAL_STATE_TRANSFER)


def wish_to_return_and_a_safe_home_state(world: World, case: Case) -> None:
    wish_interview(case, cast_of(world), today(), wish=Interview.Wish.RETURN)
    risk_assessment(world, case, HOME, risk_found=False)


def death_record(world: World, case: Case) -> None:
    services.death_record_save(
        actor=world.user("detaining_a"),
        case=case,
        values={
            "died_on": today(),
            "cause": "illness",
            "place": "Camp hospital",
            "buried_on": today(),
            "grave": "Plot 4",
        },
    )


def exclusions_checked(world: World, case: Case) -> None:
    services.pathway_progress_save(actor=world.user("receiving"), case=case, values={"exclusions_checked": True})


def programme_completed(world: World, case: Case) -> None:
    services.pathway_progress_save(
        actor=world.user("receiving"),
        case=case,
        values={"programme_completed_on": today(), "family_register_done": True, "housing_arranged": True},
    )


def residence_protection_over(world: World, case: Case) -> None:
    long_ago = timezone.now() - dt.timedelta(days=6 * 366)
    StageChange.objects.filter(case=case, to_stage=Stage.RESIDENCE_PROTECTION).update(occurred_at=long_ago)


@dataclass(frozen=True)
class Who:
    actor: str  # a role that may
    refused: str  # sees the case; the role may not (403)
    other: str  # another organisation (404)


@dataclass(frozen=True)
class Scenario:
    """How to bring case_a to `source`, who may and may not make the change, what the refusal lists
    (the rule names) and what puts the records in place."""

    source: str
    who: Who
    missing: frozenset[str] = frozenset()
    complete: Callable[[World, Case], None] = nothing
    note: str = ""
    prepare: Callable[[World, Case], None] = nothing  # after the walk, before the first attempt
    walk_until: str = ""  # when the source is not on the walk
    lead_days: int = 0  # the walk ends this many days ago

    def arrive(self, world: World) -> Case:
        target = self.walk_until or self.source
        case = world.case_a
        if target != case.stage:
            start = today() - dt.timedelta(days=days_needed(target) + self.lead_days)
            case = walk_to(case, target, cast_of(world), start=start)
        self.prepare(world, case)
        return Case.objects.get(pk=case.pk)


DETAINING = Who("detaining_a", refused="protection", other="detaining_b")
NEUTRAL = Who("protection", refused="detaining_a", other="supervisor_b")
RECEIVING = Who("receiving", refused="detaining_a", other="supervisor_b")
REASONS = "Stated in writing for the record."

SCENARIOS: dict[str, Scenario] = {
    "Finalise the Art. 122 record": Scenario(
        Stage.CAPTURED, DETAINING, missing=frozenset({"art_122"}), complete=art_122_record
    ),
    "Confirm custody at a camp": Scenario(
        Stage.REGISTERED, DETAINING, missing=frozenset({"camp_arrival"}), complete=camp_and_capture_card
    ),
    "Record the wish": Scenario(
        Stage.IN_CUSTODY, NEUTRAL, missing=frozenset({"private_interview"}), complete=wish_to_go
    ),
    "Start verifying the wish": Scenario(
        Stage.WISH_RECORDED,
        NEUTRAL,
        prepare=an_undecided_interview,
        missing=frozenset({"wish_stated"}),
        complete=wish_to_go,
    ),
    "Decide: the wish is established": Scenario(
        Stage.WISH_VERIFYING,
        Who("protection_2", refused="supervisor_a", other="supervisor_b"),  # the decider did not interview
        lead_days=8,
        missing=frozenset({"enough_interviews", "days_apart", "reasons"}),
        complete=wish_to_go,
        note=REASONS,
    ),
    "Record that the wish was withdrawn": Scenario(Stage.WISH_RECORDED, NEUTRAL),
    "Confirm the risk assessments": Scenario(
        Stage.WISH_ESTABLISHED, DETAINING, missing=frozenset({"risk"}), complete=risk_assessments
    ),
    "Register the protection request": Scenario(
        Stage.RISK_ASSESSED,
        RECEIVING,
        prepare=share_with_the_receiving_state,
        missing=frozenset({"protection_request"}),
        complete=protection_request,
    ),
    "Record the acceptance": Scenario(
        Stage.PROTECTION_REQUESTED,
        RECEIVING,
        missing=frozenset({"acceptance"}),
        complete=consent_again_and_acceptance,
    ),
    "Schedule the transfer": Scenario(Stage.ACCEPTED, DETAINING, missing=frozenset({"transfer"}), complete=transfer),
    "Hold for pending proceedings": Scenario(
        Stage.ACCEPTED, DETAINING, missing=frozenset({"proceedings"}), complete=proceedings
    ),
    "Release the hold: proceedings ended": Scenario(
        Stage.HELD_PENDING_PROCEEDINGS,
        DETAINING,
        walk_until=Stage.ACCEPTED,
        prepare=held_for_proceedings,
        missing=frozenset({"proceedings"}),
        complete=proceedings_closed,
    ),
    "Hand over: transferred": Scenario(
        Stage.TRANSFER_SCHEDULED, DETAINING, missing=frozenset({"handover"}), complete=handover
    ),
    "Hand over to a neutral third state": Scenario(
        Stage.TRANSFER_SCHEDULED,
        DETAINING,
        missing=frozenset({"handover", "legal_basis"}),
        complete=handover_to_a_neutral_state,
    ),
    "Repatriate": Scenario(
        Stage.IN_CUSTODY,
        DETAINING,
        missing=frozenset({"return_wish", "non_refoulement"}),
        complete=wish_to_return_and_a_safe_home_state,
    ),
    "Release locally": Scenario(Stage.IN_CUSTODY, DETAINING, missing=frozenset({"reasons"}), note=REASONS),
    "Record an escape": Scenario(Stage.CAPTURED, DETAINING, missing=frozenset({"reasons"}), note=REASONS),
    "Record the death": Scenario(Stage.IN_CUSTODY, DETAINING, missing=frozenset({"death"}), complete=death_record),
    "Start screening": Scenario(Stage.TRANSFERRED, RECEIVING),
    "Grant protection": Scenario(
        Stage.SCREENING,
        RECEIVING,
        missing=frozenset({"exclusions", "reasons"}),
        complete=exclusions_checked,
        note=REASONS,
    ),
    "Deny protection": Scenario(
        Stage.SCREENING,
        RECEIVING,
        missing=frozenset({"exclusions", "reasons"}),
        complete=exclusions_checked,
        note=REASONS,
    ),
    "Enter Hanawon": Scenario(Stage.PROTECTION_GRANTED, RECEIVING),
    "Start residence protection": Scenario(
        Stage.HANAWON,
        RECEIVING,
        missing=frozenset({"programme", "family_register", "housing"}),
        complete=programme_completed,
    ),
    "Close: settled": Scenario(
        Stage.RESIDENCE_PROTECTION,
        Who("caseworker_a", refused="detaining_a", other="caseworker_b"),
        missing=frozenset({"residence_protection"}),
        complete=residence_protection_over,
        note="Residence protection ended.",
    ),
}
TABLE: tuple[Transition, ...] = MAIN + SOUTH_KOREA.transitions()


def test_every_transition_of_the_table_has_one_scenario_from_one_of_its_sources() -> None:
    labels = [transition.label for transition in TABLE]
    assert len(labels) == len(set(labels))
    assert set(SCENARIOS) == set(labels)
    for transition in TABLE:
        assert SCENARIOS[transition.label].source in transition.sources, transition.label


@pytest.mark.django_db
@pytest.mark.parametrize("transition", TABLE, ids=[t.label for t in TABLE])
def test_each_transition_is_refused_with_its_reasons_until_its_records_are_in_place(
    world: World, transition: Transition
) -> None:
    scenario = SCENARIOS[transition.label]
    case = scenario.arrive(world)
    assert case.stage == scenario.source
    to = transition.target
    assert move(world, None, case, to, scenario.note).status_code == 401
    assert move(world, scenario.who.other, case, to, scenario.note).status_code == 404
    assert move(world, scenario.who.refused, case, to, scenario.note).status_code == 403
    if scenario.missing:
        refused = move(world, scenario.who.actor, case, to)
        assert refused.status_code == 409, refused.content
        assert refused["Content-Type"] == PROBLEM
        body = refused.json()
        assert {reason["rule"] for reason in body["unmet"]} == scenario.missing
        assert all(reason["message"] for reason in body["unmet"])
        assert (body["from"], body["to"]) == (scenario.source, to)
        scenario.complete(world, case)
    done = move(world, scenario.who.actor, case, to, scenario.note)
    assert done.status_code == 200, done.content
    assert done.json() == {"reference": case.reference, "stage": to, "version": case.version + 1}
    assert Case.objects.get(pk=case.pk).stage == to
    assert AuditEvent.objects.filter(action="case.transition", channel="api", case_reference=case.reference).exists()


# --- Listing, bad input, every unmet condition --------------------------------------------------


@pytest.mark.django_db
def test_the_transitions_list_says_what_each_change_still_needs(world: World) -> None:
    response = client(world, "detaining_a").get(transitions_url(world.case_a))
    assert response.status_code == 200
    body = response.json()
    assert (body["stage"], body["version"]) == (Stage.CAPTURED, world.case_a.version)
    options = {option["to"]: option for option in body["transitions"]}
    assert set(options) == {Stage.REGISTERED, Stage.ESCAPED, Stage.RELEASED_LOCALLY, Stage.DECEASED}
    register = options[Stage.REGISTERED]
    assert register["allowed"] is False
    assert register["label"] == "Finalise the Art. 122 record"
    assert register["roles"] == ["detaining_liaison", "supervisor"]
    assert [reason["rule"] for reason in register["unmet"]] == ["art_122"]
    assert options[Stage.ESCAPED]["needs_note"] is True
    assert options[Stage.ESCAPED]["allowed"] is True  # the note is checked when the change is asked for


@pytest.mark.django_db
def test_the_transitions_list_names_the_role_first_for_those_who_may_not(world: World) -> None:
    body = client(world, "protection").get(transitions_url(world.case_a)).json()
    register = next(option for option in body["transitions"] if option["to"] == Stage.REGISTERED)
    assert register["allowed"] is False
    assert [reason["rule"] for reason in register["unmet"]] == ["role", "art_122"]


@pytest.mark.django_db
def test_the_transitions_list_is_404_for_another_organisation_and_401_for_anonymous(world: World) -> None:
    assert client(world, "detaining_b").get(transitions_url(world.case_a)).status_code == 404
    assert client(world, "receiving").get(transitions_url(world.case_a)).status_code == 404
    assert client(world, None).get(transitions_url(world.case_a)).status_code == 401


@pytest.mark.django_db
def test_an_unknown_stage_is_400_naming_the_field(world: World) -> None:
    response = move(world, "detaining_a", world.case_a, "somewhere")
    assert response.status_code == 400
    assert response["Content-Type"] == PROBLEM
    assert [error["field"] for error in response.json()["errors"]] == ["to"]
    missing = client(world, "detaining_a").post(transitions_url(world.case_a), {}, content_type="application/json")
    assert [error["field"] for error in missing.json()["errors"]] == ["to"]


@pytest.mark.django_db
def test_a_stage_that_does_not_follow_is_409_and_says_so(world: World) -> None:
    response = move(world, "detaining_a", world.case_a, Stage.SETTLED)
    assert response.status_code == 409
    assert [reason["rule"] for reason in response.json()["unmet"]] == ["no_such_transition"]


@pytest.mark.django_db
def test_a_refusal_lists_every_unmet_condition_at_once(world: World) -> None:
    supervisor = world.user("supervisor_a")
    defector = case_create(
        actor=supervisor,
        organisation=world.org_a,
        person={"family_name": "Kang", "given_name": "Min Ho"},
        entry_route=Case.EntryRoute.DEFECTOR,
        teams=[world.team_a],
    )
    services.acceptance_record(
        actor=supervisor,
        case=defector,
        values={"receiving_state": DESTINATION, "decided_on": today(), "is_written": True, "legal_basis": "other"},
    )
    consent_to_share(world, defector, who="caseworker_a")
    assert move(world, "supervisor_a", defector, Stage.ACCEPTED).status_code == 200
    response = move(world, "detaining_a", defector, Stage.TRANSFER_SCHEDULED)
    assert response.status_code == 409
    body = response.json()
    assert {reason["rule"] for reason in body["unmet"]} == {"wish", "non_refoulement", "transfer"}
    assert body["title"] == "Transition refused"
    assert body["status"] == 409
    assert (body["from"], body["to"]) == (Stage.ACCEPTED, Stage.TRANSFER_SCHEDULED)
    assert "No non-refoulement assessment for KR." in [reason["message"] for reason in body["unmet"]]


@pytest.mark.django_db
def test_acceptance_is_refused_while_the_consent_to_share_given_before_the_request_has_lapsed(world: World) -> None:
    """A consent holds only at the stage it was given (PROCESS.md 4): the one taken before the request
    lapsed when the case moved on, so the acceptance needs it confirmed again."""
    case = walk_to(world.case_a, Stage.PROTECTION_REQUESTED, cast_of(world), start=today() - dt.timedelta(days=60))
    acceptance(world, case)
    response = move(world, "receiving", case, Stage.ACCEPTED)
    assert response.status_code == 409
    assert {reason["rule"] for reason in response.json()["unmet"]} == {"consent_to_share"}
    consent_to_share(world, case)
    assert move(world, "receiving", case, Stage.ACCEPTED).status_code == 200


@pytest.mark.django_db
def test_a_case_whose_person_was_erased_is_410(world: World) -> None:
    person_erase(actor=world.user("supervisor_a"), case=world.case_a, reason="Erasure requested in writing.")
    assert move(world, "detaining_a", world.case_a, Stage.ESCAPED, REASONS).status_code == 410
    assert client(world, "detaining_a").get(transitions_url(world.case_a)).status_code == 410
