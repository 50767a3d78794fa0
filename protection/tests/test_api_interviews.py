"""Interviews, the history and the forwarding queue through the API. What a person said in an
interview never reaches anyone working for the detaining power; those who may read it leave an
audit entry."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from audit.models import AuditEvent
from conftest import World, verified_client
from protection.scenarios import walk_to, wish_interview
from protection.serializers import INTERVIEW_CONTENT_FIELDS
from protection.stages import Stage
from protection.tests.test_lifecycle_walk import cast_of
from registry.models import Case

REASONS = "Wants to train as a nurse in Busan."  # fictional
PLACE = "Interview room 7, east wing"


def client(world: World, who: str | None) -> Client:
    return verified_client(world.user(who)) if who else Client()


def interviews_url(case: Case) -> str:
    return f"/api/v1/cases/{case.reference}/interviews/"


def wish_verification(**changes: Any) -> dict[str, Any]:
    return {
        "kind": "wish_verification",
        "held_on": timezone.localdate().isoformat(),
        "place": PLACE,
        "independence_declared": True,
        "interpreter": "Independent interpreter",
        "interpreter_is_independent": True,
        "language": "Korean (northern)",
        "korean_spoken": True,
        "present": "Interviewer, interpreter",
        "is_private": True,
        "options_briefing_given": True,
        "understanding_confirmed": True,
        "fit_for_interview": True,
        "fitness_note": "Fit for interview.",
        "stated_wish": "go",
        "stated_destination": "kr",
        "reasons": REASONS,
        **changes,
    }


def record(world: World, who: str | None, body: dict[str, Any]):
    return client(world, who).post(interviews_url(world.case_a), body, content_type="application/json")


# --- Interviews ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_protection_officer_records_an_interview_as_its_interviewer(world: World) -> None:
    response = record(world, "protection", wish_verification())
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["interviewer"], body["interviewer_organisation"]) == ("protection@gamma.test", "gamma")
    assert body["qualifies_for_wish_verification"] is True
    assert body["not_qualifying_because"] == []
    assert (body["reasons"], body["stated_destination"]) == (REASONS, "KR")


@pytest.mark.django_db
def test_an_interview_that_does_not_qualify_says_why(world: World) -> None:
    body = record(world, "protection", wish_verification(is_private=False, fit_for_interview=False)).json()
    assert body["qualifies_for_wish_verification"] is False
    assert body["not_qualifying_because"] == [
        "it was not private",
        "no clinician found the person fit for interview",
    ]


@pytest.mark.django_db
def test_a_detaining_power_liaison_never_receives_interview_content(world: World) -> None:
    assert record(world, "protection", wish_verification()).status_code == 201
    response = client(world, "detaining_a").get(interviews_url(world.case_a))
    assert response.status_code == 200
    (interview,) = response.json()
    assert not set(INTERVIEW_CONTENT_FIELDS) & set(interview)
    assert interview["kind"] == "wish_verification"
    assert interview["qualifies_for_wish_verification"] is True
    for said in (REASONS, PLACE, "Fit for interview.", "Independent interpreter", "Interviewer, interpreter"):
        assert said not in response.content.decode()
    assert not AuditEvent.objects.filter(action="case.view", purpose="interviews").exists()


@pytest.mark.django_db
def test_a_detaining_power_liaison_records_a_registration_interview_but_gets_no_content_back(world: World) -> None:
    response = record(world, "detaining_a", {"kind": "registration", "held_on": "2025-01-05", "reasons": REASONS})
    assert response.status_code == 201
    assert not set(INTERVIEW_CONTENT_FIELDS) & set(response.json())
    assert REASONS not in response.content.decode()


@pytest.mark.django_db
def test_a_protection_officer_reads_interview_content_and_the_read_is_audited(world: World) -> None:
    record(world, "protection", wish_verification())
    response = client(world, "protection").get(interviews_url(world.case_a))
    assert response.status_code == 200
    (interview,) = response.json()
    assert set(INTERVIEW_CONTENT_FIELDS) <= set(interview)
    assert (interview["reasons"], interview["place"]) == (REASONS, PLACE)
    read = AuditEvent.objects.get(action="case.view", purpose="interviews")
    assert (read.actor_id, read.case_reference, read.channel) == (
        world.user("protection").pk,
        world.case_a.reference,
        "api",
    )


@pytest.mark.django_db
def test_interview_input_errors_name_their_field(world: World) -> None:
    def fields(body: dict[str, Any]) -> list[str]:
        response = record(world, "protection", body)
        assert response.status_code == 400
        return [error["field"] for error in response.json()["errors"]]

    assert fields(wish_verification(kind="chat")) == ["kind"]
    assert fields(wish_verification(stated_destination="Korea")) == ["stated_destination"]
    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    assert fields(wish_verification(held_on=tomorrow)) == ["held_on"]


@pytest.mark.django_db
def test_who_may_record_an_interview_depends_on_its_kind(world: World) -> None:
    assert record(world, "detaining_a", wish_verification()).status_code == 403
    assert record(world, "caseworker_a", wish_verification()).status_code == 403
    assert record(world, "caseworker_a", {"kind": "external_statement", "held_on": "2025-01-05"}).status_code == 201
    assert record(world, "detaining_b", wish_verification()).status_code == 404
    assert record(world, "media_a", wish_verification()).status_code == 404
    assert record(world, None, wish_verification()).status_code == 401
    assert client(world, "receiving").get(interviews_url(world.case_a)).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["protection", "detaining_a"])
def test_the_interview_list_runs_a_constant_number_of_queries(world: World, who: str) -> None:
    reader = client(world, who)

    def count_queries() -> int:
        with CaptureQueriesContext(connection) as context:
            assert reader.get(interviews_url(world.case_a)).status_code == 200
        return len(context.captured_queries)

    record(world, "protection", wish_verification())
    baseline = count_queries()
    for _ in range(4):
        record(world, "protection", wish_verification())
    assert count_queries() == baseline


# --- History ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_history_gives_stage_changes_interviews_and_events_in_date_order(world: World) -> None:
    case = walk_to(world.case_a, Stage.WISH_RECORDED, cast_of(world))
    response = client(world, "detaining_a").get(f"/api/v1/cases/{case.reference}/history/")
    assert response.status_code == 200
    body = response.json()
    assert (body["reference"], body["stage"]) == (case.reference, Stage.WISH_RECORDED)
    entries = body["entries"]
    assert [entry["date"] for entry in entries] == sorted(entry["date"] for entry in entries)
    changes = [entry for entry in entries if entry["type"] == "stage_change"]
    assert [change["to_stage"] for change in changes] == [
        Stage.CAPTURED,
        Stage.REGISTERED,
        Stage.IN_CUSTODY,
        Stage.WISH_RECORDED,
    ]
    assert changes[-1]["actor"] == "protection@gamma.test"
    assert {"note", "at", "from_stage", "is_withdrawal"} <= set(changes[-1])
    interviews = [entry for entry in entries if entry["type"] == "interview"]
    assert [set(entry) for entry in interviews] == [{"type", "date", "id", "kind"}]
    kinds = {entry["kind"] for entry in entries if entry["type"] == "event"}
    assert {"nib_forwarded", "capture_card_offered"} <= kinds
    assert "Stated in the person's own words." not in response.content.decode()
    assert AuditEvent.objects.filter(action="case.view", purpose="history", actor=world.user("detaining_a")).exists()


@pytest.mark.django_db
def test_the_history_shows_a_stage_change_note_to_everyone_who_sees_the_case(world: World) -> None:
    note = "Escaped during the transfer to the camp."
    response = client(world, "detaining_a").post(
        f"/api/v1/cases/{world.case_a.reference}/transitions/",
        {"to": Stage.ESCAPED, "note": note},
        content_type="application/json",
    )
    assert response.status_code == 200
    for reader in ("detaining_a", "protection", "caseworker_a"):
        entries = client(world, reader).get(f"/api/v1/cases/{world.case_a.reference}/history/").json()["entries"]
        assert entries[-1]["type"] == "stage_change" and entries[-1]["note"] == note, reader
        assert entries[-1]["to_stage"] == Stage.ESCAPED


@pytest.mark.django_db
def test_the_history_is_denied_in_one_line_each(world: World) -> None:
    path = f"/api/v1/cases/{world.case_a.reference}/history/"
    assert client(world, "detaining_b").get(path).status_code == 404
    assert client(world, "receiving").get(path).status_code == 404
    assert client(world, "media_a").get(path).status_code == 404
    assert client(world, None).get(path).status_code == 401


@pytest.mark.django_db
def test_the_history_runs_a_constant_number_of_queries(world: World) -> None:
    cast = cast_of(world)
    reader = client(world, "protection")
    path = f"/api/v1/cases/{world.case_a.reference}/history/"

    def count_queries() -> int:
        with CaptureQueriesContext(connection) as context:
            assert reader.get(path).status_code == 200
        return len(context.captured_queries)

    case = walk_to(world.case_a, Stage.IN_CUSTODY, cast)
    baseline = count_queries()
    wish_interview(case, cast, timezone.localdate())
    reader.post(
        f"/api/v1/cases/{case.reference}/transitions/", {"to": Stage.WISH_RECORDED}, content_type="application/json"
    )
    assert count_queries() == baseline


# --- Notifications ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_forwarding_queue_lists_the_events_waiting_in_the_callers_organisation(world: World) -> None:
    case = walk_to(world.case_a, Stage.REGISTERED, cast_of(world))
    response = client(world, "detaining_a").get("/api/v1/notifications/")
    assert response.status_code == 200
    (waiting,) = response.json()["results"]
    assert (waiting["case"], waiting["kind"], waiting["forwarding"]) == (case.reference, "nib_forwarded", "queued")
    assert client(world, "supervisor_a").get("/api/v1/notifications/").json()["count"] == 1
    assert client(world, "supervisor_b").get("/api/v1/notifications/").json()["count"] == 0
    forwarded = f"/api/v1/cases/{case.reference}/events/{waiting['id']}/forwarded/"
    assert client(world, "detaining_a").post(forwarded).status_code == 200
    assert client(world, "detaining_a").get("/api/v1/notifications/").json()["results"] == []


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["caseworker_a", "protection", "receiving", "media_a", "auditor_a", "admin_a"])
def test_the_forwarding_queue_is_403_for_those_who_do_not_forward(world: World, who: str) -> None:
    assert client(world, who).get("/api/v1/notifications/").status_code == 403


@pytest.mark.django_db
def test_the_forwarding_queue_is_401_for_anonymous(world: World) -> None:
    assert Client().get("/api/v1/notifications/").status_code == 401


# --- The schema ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_openapi_schema_describes_every_lifecycle_endpoint(world: World) -> None:
    response = client(world, "caseworker_a").get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    schema = response.json()
    operations = {op["operationId"] for path in schema["paths"].values() for op in path.values()}
    assert {
        "cases_transitions_list",
        "cases_transitions_create",
        "cases_interviews_list",
        "cases_interviews_create",
        "cases_nib_record_retrieve",
        "cases_nib_record_update",
        "cases_proceedings_close",
        "cases_events_forwarded",
        "cases_history_retrieve",
        "notifications_list",
    } <= operations
    assert "HistoryEntry" in schema["components"]["schemas"]
