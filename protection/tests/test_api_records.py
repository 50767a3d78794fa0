"""The records the guards read, through the API: each endpoint creates, names the field of bad input,
refuses the wrong role (403) and hides the case from another organisation (404)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from audit.models import AuditEvent
from conftest import World, verified_client
from consent.tests.helpers import consent_to_share
from protection import services
from protection.models import CaseEvent, Proceedings, Transfer
from registry.models import Case
from registry.services import case_assign_team, person_erase

PROBLEM = "application/problem+json"
TODAY = "today"


def client(world: World, who: str | None) -> Client:
    return verified_client(world.user(who)) if who else Client()


def dated(body: dict[str, Any]) -> dict[str, Any]:
    """`body` with TODAY replaced by today's date (parametrized bodies are built at import time)."""
    today = timezone.localdate().isoformat()
    return {key: today if value == TODAY else value for key, value in body.items()}


def send(world: World, who: str | None, method: str, url: str, body: dict[str, Any]):
    return getattr(client(world, who), method)(url, dated(body), content_type="application/json")


def url(case: Case, path: str) -> str:
    return f"/api/v1/cases/{case.reference}/{path}/"


@pytest.fixture
def shared(world: World) -> World:
    """case_a shared with the receiving state's liaison, as it is once protection is requested."""
    consent_to_share(world)
    case_assign_team(actor=world.user("supervisor_a"), case=world.case_a, team=world.team_receiving)
    return world


@dataclass(frozen=True)
class Endpoint:
    path: str
    method: str  # "post" adds a record, "put" creates or replaces the one record
    valid: dict[str, Any]
    invalid: dict[str, Any]
    invalid_field: str
    recorder: str  # a role that may record it
    refused: str  # sees the case; the role may not record it
    other: str  # another organisation


ENDPOINTS = [
    Endpoint(
        "risk-assessments",
        "post",
        {"destination": "kr", "assessed_on": TODAY, "risk_found": False, "reasons": "Assessment on file."},
        {"destination": "Korea", "assessed_on": TODAY, "risk_found": False, "reasons": "Assessment on file."},
        "destination",
        "detaining_a",
        "protection",
        "detaining_b",
    ),
    Endpoint(
        "protection-requests",
        "post",
        {"receiving_state": "KR", "requested_on": TODAY, "made_in_person": True},
        {"receiving_state": "KR", "requested_on": "yesterday"},
        "requested_on",
        "receiving",
        "detaining_a",
        "supervisor_b",
    ),
    Endpoint(
        "acceptances",
        "post",
        {"receiving_state": "KR", "decided_on": TODAY, "is_written": True, "legal_basis": "direct_transfer"},
        {"receiving_state": "KR", "decided_on": TODAY, "legal_basis": "treaty"},
        "legal_basis",
        "receiving",
        "detaining_a",
        "supervisor_b",
    ),
    Endpoint(
        "transfers",
        "post",
        {"from_place": "Camp 1", "to_state": "KR", "legal_basis": "direct_transfer", "scheduled_for": TODAY},
        {"to_state": "KR", "legal_basis": "direct_transfer", "scheduled_for": TODAY},
        "from_place",
        "detaining_a",
        "protection",
        "detaining_b",
    ),
    Endpoint(
        "proceedings",
        "post",
        {"opened_on": "2025-01-10", "description": "Proceedings on file."},
        {"opened_on": "2025-01-10", "closed_on": "2025-01-09", "description": "Proceedings on file."},
        "closed_on",
        "detaining_a",
        "protection",
        "detaining_b",
    ),
    Endpoint(
        "extensions",
        "post",
        {"kind": "screening", "days": 30, "approved_on": TODAY, "approved_by_body": "Consultative Council"},
        {"kind": "screening", "days": 0, "approved_on": TODAY, "approved_by_body": "Consultative Council"},
        "days",
        "caseworker_a",
        "detaining_a",
        "caseworker_b",
    ),
    Endpoint(
        "events",
        "post",
        {"kind": "hospital_admission", "occurred_on": TODAY, "is_seriously_ill": True},
        {"kind": "transfer", "occurred_on": TODAY},
        "kind",
        "detaining_a",
        "protection",
        "detaining_b",
    ),
    Endpoint(
        "nib-record",
        "put",
        {"serial_number": "SN-1", "power_depended_on": ["kp", "ru"], "not_available": ["mother_maiden_name"]},
        {"not_available": ["shoe_size"]},
        "not_available",
        "detaining_a",
        "protection",
        "detaining_b",
    ),
    Endpoint(
        "death-record",
        "put",
        {"died_on": TODAY, "cause": "illness", "place": "Camp hospital", "buried_on": TODAY, "grave": "Plot 4"},
        {"died_on": TODAY, "cause": "old age"},
        "cause",
        "detaining_a",
        "protection",
        "detaining_b",
    ),
    Endpoint(
        "pathway-progress",
        "put",
        {"exclusions_checked": True},
        {"programme_completed_on": "soon"},
        "programme_completed_on",
        "receiving",
        "detaining_a",
        "supervisor_b",
    ),
]


@pytest.mark.django_db
@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=[e.path for e in ENDPOINTS])
def test_each_record_endpoint_creates_names_the_bad_field_and_refuses_the_others(
    shared: World, endpoint: Endpoint
) -> None:
    world, address, method = shared, url(shared.case_a, endpoint.path), endpoint.method
    created = send(world, endpoint.recorder, method, address, endpoint.valid)
    assert created.status_code == 201, created.content
    assert created.json()["id"]
    bad = send(world, endpoint.recorder, method, address, endpoint.invalid)
    assert bad.status_code == 400
    assert bad["Content-Type"] == PROBLEM
    assert [error["field"].split(".")[0] for error in bad.json()["errors"]] == [endpoint.invalid_field]
    assert all(error["reason"] for error in bad.json()["errors"])
    assert send(world, endpoint.refused, method, address, endpoint.valid).status_code == 403
    assert send(world, endpoint.refused, method, address, endpoint.invalid).status_code == 403
    assert send(world, endpoint.other, method, address, endpoint.valid).status_code == 404
    assert send(world, "media_a", method, address, endpoint.valid).status_code == 404
    assert send(world, None, method, address, endpoint.valid).status_code == 401
    read = client(world, endpoint.refused).get(address)
    assert read.status_code == 200
    listed = read.json()
    assert (listed if method == "put" else listed[0])["id"] == created.json()["id"]
    assert client(world, endpoint.other).get(address).status_code == 404


@pytest.mark.django_db
def test_country_codes_are_stored_in_capitals(world: World) -> None:
    response = send(world, "detaining_a", "post", url(world.case_a, "risk-assessments"), ENDPOINTS[0].valid)
    assert response.json()["destination"] == "KR"
    assert response.json()["recorded_by"] == "detaining@a.test"


@pytest.mark.django_db
def test_reading_records_with_protected_text_is_audited_with_its_purpose(world: World) -> None:
    send(world, "detaining_a", "post", url(world.case_a, "risk-assessments"), ENDPOINTS[0].valid)
    assert client(world, "caseworker_a").get(url(world.case_a, "risk-assessments")).status_code == 200
    read = AuditEvent.objects.get(action="case.view", purpose="risk_assessments")
    assert (read.case_reference, read.channel) == (world.case_a.reference, "api")


@pytest.mark.django_db
def test_a_single_record_not_yet_made_is_404_with_its_own_detail(world: World) -> None:
    response = client(world, "detaining_a").get(url(world.case_a, "nib-record"))
    assert response.status_code == 404
    assert response.json()["detail"] == "Nothing recorded yet."


@pytest.mark.django_db
def test_put_replaces_the_whole_record(world: World) -> None:
    address = url(world.case_a, "nib-record")
    first = send(world, "detaining_a", "put", address, {"serial_number": "SN-1", "father_first_name": "Il"})
    assert first.status_code == 201
    second = send(world, "detaining_a", "put", address, {"serial_number": "SN-2"})
    assert second.status_code == 200
    assert (second.json()["id"], second.json()["serial_number"]) == (first.json()["id"], "SN-2")
    assert second.json()["father_first_name"] == ""


@pytest.mark.django_db
def test_scheduling_a_transfer_cancels_the_one_still_scheduled(world: World) -> None:
    address = url(world.case_a, "transfers")
    first = send(world, "detaining_a", "post", address, ENDPOINTS[3].valid).json()
    second = send(world, "detaining_a", "post", address, {**ENDPOINTS[3].valid, "legal_basis": "other"}).json()
    assert Transfer.objects.get(pk=first["id"]).status == Transfer.Status.CANCELLED
    assert second["status"] == "scheduled"
    statuses = {row["id"]: row["status"] for row in client(world, "detaining_a").get(address).json()}
    assert statuses == {first["id"]: "cancelled", second["id"]: "scheduled"}


@pytest.mark.django_db
def test_proceedings_are_closed_through_their_own_endpoint(world: World) -> None:
    opened = send(world, "detaining_a", "post", url(world.case_a, "proceedings"), ENDPOINTS[4].valid).json()
    assert opened["is_pending"] is True
    close = url(world.case_a, f"proceedings/{opened['id']}/close")
    early = send(world, "detaining_a", "post", close, {"closed_on": "2025-01-01"})
    assert early.status_code == 400
    assert [error["field"] for error in early.json()["errors"]] == ["closed_on"]
    assert send(world, "protection", "post", close, {"closed_on": "2025-02-01"}).status_code == 403
    assert send(world, "detaining_b", "post", close, {"closed_on": "2025-02-01"}).status_code == 404
    unknown = url(world.case_a, "proceedings/999999/close")
    assert send(world, "detaining_a", "post", unknown, {"closed_on": "2025-02-01"}).status_code == 404
    closed = send(world, "detaining_a", "post", close, {"closed_on": "2025-02-01"})
    assert closed.status_code == 200
    assert (closed.json()["closed_on"], closed.json()["is_pending"]) == ("2025-02-01", False)
    assert Proceedings.objects.get(pk=opened["id"]).closed_on == dt.date(2025, 2, 1)


@pytest.mark.django_db
def test_proceedings_of_another_case_cannot_be_closed_through_this_one(world: World) -> None:
    other_case = world.case_b
    opened = services.proceedings_record(
        actor=world.user("supervisor_b"),
        case=other_case,
        values={"opened_on": dt.date(2025, 1, 10), "description": "Proceedings on file."},
    )
    close = url(world.case_a, f"proceedings/{opened.pk}/close")
    assert send(world, "detaining_a", "post", close, {"closed_on": "2025-02-01"}).status_code == 404
    assert Proceedings.objects.get(pk=opened.pk).closed_on is None


@pytest.mark.django_db
def test_a_queued_event_is_marked_forwarded_once(world: World) -> None:
    event = send(world, "caseworker_a", "post", url(world.case_a, "events"), ENDPOINTS[6].valid).json()
    assert event["forwarding"] == "queued"
    forwarded = url(world.case_a, f"events/{event['id']}/forwarded")
    assert send(world, "caseworker_a", "post", forwarded, {}).status_code == 403
    assert send(world, "detaining_b", "post", forwarded, {}).status_code == 404
    assert send(world, "detaining_a", "post", url(world.case_a, "events/999999/forwarded"), {}).status_code == 404
    done = send(world, "detaining_a", "post", forwarded, {})
    assert done.status_code == 200
    assert done.json()["forwarding"] == "forwarded"
    assert done.json()["forwarded_at"]
    again = send(world, "detaining_a", "post", forwarded, {})
    assert again.status_code == 400
    assert [error["field"] for error in again.json()["errors"]] == ["forwarding"]
    assert CaseEvent.objects.get(pk=event["id"]).forwarding == CaseEvent.Forwarding.FORWARDED


@pytest.mark.django_db
def test_an_event_in_the_future_is_refused_naming_the_date(world: World) -> None:
    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    response = send(
        world, "detaining_a", "post", url(world.case_a, "events"), {"kind": "visit", "occurred_on": tomorrow}
    )
    assert response.status_code == 400
    assert [error["field"] for error in response.json()["errors"]] == ["occurred_on"]


@pytest.mark.django_db
def test_the_records_of_an_erased_person_are_gone(world: World) -> None:
    person_erase(actor=world.user("supervisor_a"), case=world.case_a, reason="Erasure requested in writing.")
    address = url(world.case_a, "risk-assessments")
    assert client(world, "detaining_a").get(address).status_code == 410
    assert send(world, "detaining_a", "post", address, ENDPOINTS[0].valid).status_code == 410
    assert send(world, "detaining_a", "put", url(world.case_a, "nib-record"), {}).status_code == 410
