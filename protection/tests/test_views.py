"""Lifecycle pages: the panel on the case page, the transition form and its refusals, the record forms,
the records page, the notification queue; who may open what, in one line per denial."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.html import escape

from audit.models import AuditEvent
from conftest import World, verified_client
from consent.tests.helpers import consent_to_share
from protection import services
from protection.models import (
    Acceptance,
    CaseEvent,
    DeathRecord,
    Extension,
    Interview,
    NibRecord,
    PathwayProgress,
    Proceedings,
    ProtectionRequest,
    RiskAssessment,
    StageChange,
    Transfer,
)
from protection.rules import guard_wish_established
from protection.scenarios import walk_to, wish_interview
from protection.selectors import case_facts
from protection.stages import Stage
from protection.tests.test_lifecycle_walk import cast_of
from registry.models import Case, CaseAssignment
from registry.services import case_assign_team, person_erase

TODAY = timezone.localdate


def at(world: World, stage: str, *, days_ago: int = 40) -> Case:
    """world.case_a walked to `stage`, starting `days_ago` days ago (so later records can be today)."""
    return walk_to(world.case_a, stage, cast_of(world), start=TODAY() - dt.timedelta(days=days_ago))


def page(client: Client, case: Case, path: str = "") -> str:
    response = client.get(f"/cases/{case.reference}/{path}")
    assert response.status_code == 200, (path, response.status_code)
    return response.content.decode()


def refreshed(case: Case) -> Case:
    return Case.objects.get(pk=case.pk)


# --- The panel on the case page -------------------------------------------------------------


@pytest.mark.django_db
def test_the_case_page_draws_the_timeline_and_lists_what_the_next_step_needs(world: World) -> None:
    case = at(world, Stage.WISH_RECORDED)
    html = page(verified_client(world.user("protection")), case)
    assert '<svg class="timeline-svg"' in html and 'id="timeline-title"' in html and 'id="timeline-desc"' in html
    assert "Stage: Wish recorded" in html  # the timeline in words
    assert 'class="tl-mark counts"' in html  # the recorded wish's interview counts
    assert "Start verifying the wish" in html and "Ready: every condition is met." in html
    assert "Record that the wish was withdrawn" in html


@pytest.mark.django_db
def test_the_checklist_says_who_makes_a_change_the_role_may_not_make(world: World) -> None:
    case = at(world, Stage.WISH_RECORDED)
    html = page(verified_client(world.user("caseworker_a")), case)
    assert "Your role may not make this change; it is made by: Protection officer, Supervisor." in html
    assert 'name="to" value="wish_verifying"' not in html


@pytest.mark.django_db
def test_the_checklist_changes_when_a_record_is_added(world: World) -> None:
    case = at(world, Stage.WISH_ESTABLISHED)
    client = verified_client(world.user("detaining_a"))
    before = page(client, case)
    assert "No risk assessment for KP." in before and "No risk assessment for KR." in before
    response = client.post(
        f"/cases/{case.reference}/risk-assessments/new/",
        {
            "destination": "kp",
            "assessed_on": TODAY().isoformat(),
            "protecting_body_consulted": "on",
            "risk_found": "on",
            "reasons": "Reprisals on return.",
        },
    )
    assert response.status_code == 302 and response["Location"].endswith("#lifecycle")
    after = page(client, case)
    assert "No risk assessment for KP." not in after and "No risk assessment for KR." in after
    assert "Risk assessment recorded." in after


@pytest.mark.django_db
def test_the_form_links_are_shown_only_to_roles_that_may_record(world: World) -> None:
    case = at(world, Stage.WISH_ESTABLISHED)
    detaining = page(verified_client(world.user("detaining_a")), case)
    caseworker = page(verified_client(world.user("caseworker_a")), case)
    assert f"/cases/{case.reference}/risk-assessments/new/" in detaining
    assert f"/cases/{case.reference}/protection-requests/new/" not in detaining
    assert f"/cases/{case.reference}/events/new/" in caseworker
    assert f"/cases/{case.reference}/risk-assessments/new/" not in caseworker


# --- Transitions ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_transition_moves_the_case_and_returns_to_the_case_page(world: World) -> None:
    case = at(world, Stage.WISH_RECORDED)
    client = verified_client(world.user("protection"))
    response = client.post(f"/cases/{case.reference}/transitions/", {"to": Stage.WISH_VERIFYING, "note": ""})
    assert response.status_code == 302
    assert response["Location"] == f"/cases/{case.reference}/#lifecycle"
    assert refreshed(case).stage == Stage.WISH_VERIFYING
    assert "The case moved to the stage “Wish being verified”." in client.get(response["Location"]).content.decode()


@pytest.mark.django_db
def test_a_refused_transition_shows_every_unmet_condition_and_writes_nothing(world: World) -> None:
    case = at(world, Stage.WISH_VERIFYING)
    interviewer = world.user("protection")
    changes, audits = StageChange.objects.count(), AuditEvent.objects.filter(action="case.transition").count()
    expected = guard_wish_established(case_facts(case, actor_id=interviewer.pk, note=""))
    assert len(expected) >= 3  # one interview, too few days, the interviewer deciding, no reasons

    response = verified_client(interviewer).post(
        f"/cases/{case.reference}/transitions/", {"to": Stage.WISH_ESTABLISHED, "note": ""}
    )
    html = response.content.decode()
    assert response.status_code == 409
    assert response.context["refusal"] == [u.template.format(**dict(u.params)) for u in expected]
    for problem in expected:
        assert escape(problem.message) in html
    assert "The change was not made, and nothing was saved." in html
    assert 'id="note-wish_established-error"' in html  # the missing reasons, at the note
    assert refreshed(case).stage == Stage.WISH_VERIFYING
    assert StageChange.objects.count() == changes
    assert AuditEvent.objects.filter(action="case.transition").count() == audits


@pytest.mark.django_db
def test_the_decision_needs_written_reasons_and_is_made_with_them(world: World) -> None:
    case = at(world, Stage.WISH_VERIFYING, days_ago=60)
    wish_interview(case, cast_of(world), TODAY())
    assert (
        verified_client(world.user("supervisor_a"))
        .post(  # the detaining power never decides the wish
            f"/cases/{case.reference}/transitions/", {"to": Stage.WISH_ESTABLISHED, "note": "Agreed."}
        )
        .status_code
        == 403
    )
    client = verified_client(world.user("protection_2"))
    url = f"/cases/{case.reference}/transitions/"
    assert "Ready: every condition is met." in page(client, case, "transitions/")
    refused = client.post(url, {"to": Stage.WISH_ESTABLISHED, "note": "  "})
    assert refused.status_code == 409
    assert refused.context["refusal"] == ["Write down the reasons for the decision."]
    made = client.post(url, {"to": Stage.WISH_ESTABLISHED, "note": "Two private interviews agree."})
    assert made.status_code == 302 and refreshed(case).stage == Stage.WISH_ESTABLISHED


@pytest.mark.django_db
def test_a_withdrawal_returns_the_case_to_custody_and_the_old_interviews_stop_counting(world: World) -> None:
    case = at(world, Stage.WISH_VERIFYING)
    client = verified_client(world.user("protection"))
    response = client.post(f"/cases/{case.reference}/transitions/", {"to": Stage.IN_CUSTODY, "note": ""})
    assert response.status_code == 302 and refreshed(case).stage == Stage.IN_CUSTODY
    html = page(client, case)
    assert "The wish was withdrawn: back to In custody" in html
    assert "it was held before the wish was withdrawn" in html
    assert CaseEvent.objects.filter(case=case, kind=CaseEvent.Kind.WISH_WITHDRAWN).exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("actor", "data", "status"),
    [
        ("caseworker_a", {"to": Stage.WISH_VERIFYING}, 403),  # sees the case, may not move it
        ("protection", {"to": "hanawon"}, 409),  # not a transition from here
        ("protection", {"to": "nowhere"}, 400),  # not a stage
        ("protection", {}, 400),  # nothing chosen
        ("supervisor_b", {"to": Stage.WISH_VERIFYING}, 404),  # another organisation
        ("receiving", {"to": Stage.WISH_VERIFYING}, 404),  # not shared with their team yet
    ],
)
def test_transitions_that_are_refused(world: World, actor: str, data: dict[str, str], status: int) -> None:
    case = at(world, Stage.WISH_RECORDED)
    response = verified_client(world.user(actor)).post(f"/cases/{case.reference}/transitions/", data)
    assert response.status_code == status
    assert refreshed(case).stage == Stage.WISH_RECORDED


# --- Record forms ---------------------------------------------------------------------------

RECORD_PATHS = (
    "interviews/new/",
    "art-122/",
    "events/new/",
    "risk-assessments/new/",
    "protection-requests/new/",
    "acceptances/new/",
    "transfers/new/",
    "proceedings/new/",
    "extensions/new/",
    "pathway/",
    "death/",
)
# Who of those who see case_a may open each form (accounts.policy.RECORD_ROLES).
RECORDERS = {
    "interviews/new/": {"supervisor_a", "caseworker_a", "detaining_a", "protection"},
    "art-122/": {"supervisor_a", "detaining_a"},
    "events/new/": {"supervisor_a", "caseworker_a", "detaining_a"},
    "risk-assessments/new/": {"supervisor_a", "detaining_a"},
    "protection-requests/new/": {"supervisor_a"},
    "acceptances/new/": {"supervisor_a"},
    "transfers/new/": {"supervisor_a", "detaining_a"},
    "proceedings/new/": {"supervisor_a", "detaining_a"},
    "extensions/new/": {"supervisor_a", "caseworker_a"},
    "pathway/": {"supervisor_a", "caseworker_a"},
    "death/": {"supervisor_a", "caseworker_a", "detaining_a"},
}


def test_every_record_page_has_its_route() -> None:
    from protection.urls import RECORD_PATHS as ROUTES
    from protection.views import RECORD_PAGES

    assert set(ROUTES) == set(RECORD_PAGES)
    assert sorted(f"{route}/" for route in ROUTES.values()) == sorted(RECORD_PATHS)


@pytest.mark.django_db
@pytest.mark.parametrize("path", RECORD_PATHS)
def test_each_form_opens_for_the_roles_that_may_record_and_refuses_the_others(world: World, path: str) -> None:
    url = f"/cases/{world.case_a.reference}/{path}"
    for actor in ("supervisor_a", "caseworker_a", "detaining_a", "protection"):
        expected = 200 if actor in RECORDERS[path] else 403
        assert verified_client(world.user(actor)).get(url).status_code == expected, (actor, path)
    for actor in ("supervisor_b", "detaining_b", "receiving", "media_a", "caseworker_a_other_team"):
        assert verified_client(world.user(actor)).get(url).status_code == 404, (actor, path)


@pytest.mark.django_db
def test_a_role_that_may_not_record_gets_403_on_posting_and_nothing_is_saved(world: World) -> None:
    response = verified_client(world.user("caseworker_a")).post(
        f"/cases/{world.case_a.reference}/risk-assessments/new/",
        {"destination": "KP", "assessed_on": TODAY().isoformat(), "reasons": "x"},
    )
    assert response.status_code == 403 and not RiskAssessment.objects.exists()


def _interview_data(**changes: str) -> dict[str, str]:
    data = {
        "kind": "wish_verification",
        "held_on": TODAY().isoformat(),
        "place": "Room 4",
        "independence_declared": "on",
        "language": "Korean (northern)",
        "korean_spoken": "on",
        "interpreter": "",
        "present": "Interviewer",
        "is_private": "on",
        "options_briefing_given": "on",
        "understanding_confirmed": "on",
        "fit_for_interview": "on",
        "stated_wish": "go",
        "stated_destination": "kr",
        "reasons": "Wants to live in the South.",
    }
    data.update(changes)
    return data


@pytest.mark.django_db
def test_the_interviewer_is_the_person_recording_unless_another_is_named(world: World) -> None:
    protection = world.user("protection")
    client = verified_client(protection)
    form = client.get(f"/cases/{world.case_a.reference}/interviews/new/").context["form"]
    assert form["interviewer"].value() == protection.pk
    response = client.post(f"/cases/{world.case_a.reference}/interviews/new/", _interview_data(interviewer=""))
    assert response.status_code == 302
    interview = Interview.objects.get()
    assert interview.interviewer == protection
    assert interview.interviewer_organisation == world.protection_body
    assert interview.stated_destination == "KR"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("actor", "kinds"),
    [
        ("detaining_a", ["registration"]),
        ("caseworker_a", ["external_statement"]),
        ("protection", ["wish_verification", "handover_reconfirmation", "media", "external_statement"]),
    ],
)
def test_the_interview_form_offers_only_the_kinds_the_role_may_record(
    world: World, actor: str, kinds: list[str]
) -> None:
    form = verified_client(world.user(actor)).get(f"/cases/{world.case_a.reference}/interviews/new/").context["form"]
    assert [value for value, _label in form.fields["kind"].choices] == kinds


@pytest.mark.django_db
def test_errors_are_shown_field_by_field_and_nothing_is_saved(world: World) -> None:
    client = verified_client(world.user("protection"))
    tomorrow = (TODAY() + dt.timedelta(days=1)).isoformat()
    response = client.post(
        f"/cases/{world.case_a.reference}/interviews/new/",
        _interview_data(kind="registration", held_on=tomorrow, stated_destination="K1"),
    )
    html = response.content.decode()
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert set(errors) == {"kind", "held_on", "stated_destination"}
    assert errors["held_on"] == ["This date lies in the future."]
    assert errors["stated_destination"] == ["Use a two-letter country code, e.g. KR."]
    assert 'id="id_held_on_error"' in html and "Nothing was saved." in html
    assert not Interview.objects.exists()


@pytest.mark.django_db
def test_the_art_122_form_marks_fields_not_available_and_registration_can_follow(world: World) -> None:
    case = world.case_a
    client = verified_client(world.user("detaining_a"))
    data = {
        "serial_number": "SN-1",
        "power_depended_on": "kp, ru",
        "father_first_name": "Chol",
        "na_mother_maiden_name": "on",
        "na_person_to_inform": "on",
        "na_correspondence_address": "on",
    }
    both = client.post(f"/cases/{case.reference}/art-122/", {**data, "na_serial_number": "on"})
    assert both.status_code == 400
    assert both.context["form"].errors["serial_number"] == [
        "Either fill this field or mark it not available, not both."
    ]
    assert client.post(f"/cases/{case.reference}/art-122/", data).status_code == 302
    record = NibRecord.objects.get(case=case)
    assert record.power_depended_on == ["KP", "RU"]
    assert record.not_available == ["mother_maiden_name", "person_to_inform", "correspondence_address"]
    form = client.get(f"/cases/{case.reference}/art-122/").context["form"]
    assert form["power_depended_on"].value() == "KP, RU" and form["na_person_to_inform"].value() is True
    html = page(client, case)
    assert 'id="step-registered"' in html and "Finalise the Art. 122 record" in html
    assert "Art. 122 fields neither filled" not in html


@pytest.mark.django_db
def test_proceedings_are_recorded_then_closed(world: World) -> None:
    case = world.case_a
    client = verified_client(world.user("detaining_a"))
    opened = (TODAY() - dt.timedelta(days=10)).isoformat()
    response = client.post(f"/cases/{case.reference}/proceedings/new/", {"opened_on": opened, "description": "X"})
    assert response.status_code == 302
    proceedings = Proceedings.objects.get(case=case)
    close_url = f"/cases/{case.reference}/proceedings/{proceedings.pk}/close/"
    assert close_url in page(client, case, "lifecycle/")
    early = client.post(close_url, {"closed_on": (TODAY() - dt.timedelta(days=11)).isoformat()})
    assert early.status_code == 400
    assert early.context["form"].errors["closed_on"] == ["Proceedings cannot close before they open."]
    assert verified_client(world.user("caseworker_a")).post(close_url, {"closed_on": opened}).status_code == 403
    assert client.post(close_url, {"closed_on": TODAY().isoformat()}).status_code == 302
    proceedings.refresh_from_db()
    assert proceedings.closed_on == TODAY()
    assert client.get(close_url).status_code == 404  # closed proceedings are not closed twice


def _valid(path: str) -> dict[str, str]:
    today = TODAY().isoformat()
    return {
        "events/new/": {"kind": "hospital_admission", "occurred_on": today, "is_seriously_ill": "on"},
        "protection-requests/new/": {
            "receiving_state": "KR",
            "requested_on": today,
            "made_in_person": "on",
        },
        "acceptances/new/": {
            "receiving_state": "KR",
            "decided_on": today,
            "is_written": "on",
            "legal_basis": "release_and_application",
        },
        "transfers/new/": {
            "from_place": "Camp 1",
            "to_state": "KR",
            "legal_basis": "release_and_application",
            "scheduled_for": today,
        },
        "extensions/new/": {"kind": "screening", "days": "30", "approved_on": today, "approved_by_body": "Council"},
        "pathway/": {"exclusions_checked": "on"},
        "death/": {"died_on": today, "cause": "illness", "place": "Hospital", "grave": "Plot 4"},
    }[path]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("path", "model"),
    [
        ("events/new/", CaseEvent),
        ("protection-requests/new/", ProtectionRequest),
        ("acceptances/new/", Acceptance),
        ("transfers/new/", Transfer),
        ("extensions/new/", Extension),
        ("pathway/", PathwayProgress),
        ("death/", DeathRecord),
    ],
)
def test_each_form_records_through_its_service(world: World, path: str, model: Any) -> None:
    client = verified_client(world.user("supervisor_a"))
    before = model.objects.count()
    response = client.post(f"/cases/{world.case_a.reference}/{path}", _valid(path))
    assert response.status_code == 302, response.context["form"].errors if response.context else response
    assert model.objects.count() == before + 1
    assert AuditEvent.objects.filter(case_reference=world.case_a.reference, kind=AuditEvent.Kind.WRITE).exists()


@pytest.mark.django_db
def test_a_one_per_case_record_is_edited_in_place(world: World) -> None:
    client = verified_client(world.user("supervisor_a"))
    url = f"/cases/{world.case_a.reference}/death/"
    client.post(url, _valid("death/"))
    form = client.get(url).context["form"]
    assert form["place"].value() == "Hospital"
    client.post(url, {**_valid("death/"), "buried_on": TODAY().isoformat()})
    assert DeathRecord.objects.get().buried_on == TODAY()


@pytest.mark.django_db
def test_events_that_only_a_stage_change_records_are_not_offered(world: World) -> None:
    form = verified_client(world.user("detaining_a")).get(f"/cases/{world.case_a.reference}/events/new/")
    offered = {value for value, _label in form.context["form"].fields["kind"].choices}
    assert "hospital_admission" in offered and "transfer" not in offered and "death" not in offered


# --- The records page -----------------------------------------------------------------------


@pytest.mark.django_db
def test_interview_content_is_hidden_from_the_detaining_power(world: World) -> None:
    case = at(world, Stage.WISH_RECORDED)
    said, place = "Stated in the person's own words.", "Interview room 2"
    for actor in ("detaining_a", "supervisor_a"):  # both work for the detaining power
        client = verified_client(world.user(actor))
        records = page(client, case, "lifecycle/")
        assert escape(said) not in records and place not in records, actor
        assert "Wish verification" in records and "Counts toward the wish" in records
        assert escape(said) not in page(client, case) and place not in page(client, case)
    records = page(verified_client(world.user("protection")), case, "lifecycle/")
    assert escape(said) in records and place in records


@pytest.mark.django_db
def test_the_records_page_lists_the_records_and_logs_the_read(world: World) -> None:
    case = at(world, Stage.TRANSFER_SCHEDULED)
    html = page(verified_client(world.user("detaining_a")), case, "lifecycle/")
    for text in (
        "Risk assessments",
        "Two escorts",
        "Scheduled",
        "Capture card offered",
        "Protection requested from KR",
    ):
        assert escape(text) in html, text
    assert AuditEvent.objects.filter(case_reference=case.reference, purpose="lifecycle records").count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize("actor", ["supervisor_b", "receiving", "media_a", "auditor_a", "caseworker_a_other_team"])
def test_the_lifecycle_pages_answer_404_without_access_to_the_case(world: World, actor: str) -> None:
    client = verified_client(world.user(actor))
    for path in ("lifecycle/", "transitions/"):
        assert client.get(f"/cases/{world.case_a.reference}/{path}").status_code == 404, path


@pytest.mark.django_db
def test_the_receiving_liaison_sees_the_lifecycle_once_their_team_is_given_the_case(world: World) -> None:
    client = verified_client(world.user("receiving"))
    url = f"/cases/{world.case_a.reference}/lifecycle/"
    assert client.get(url).status_code == 404
    consent_to_share(world)
    case_assign_team(actor=world.user("supervisor_a"), case=world.case_a, team=world.team_receiving)
    assert client.get(url).status_code == 200


@pytest.mark.django_db
def test_an_erased_person_s_lifecycle_is_gone(world: World) -> None:
    person_erase(actor=world.user("supervisor_a"), case=world.case_a, reason="Requested by the person's lawyer.")
    response = verified_client(world.user("supervisor_a")).get(f"/cases/{world.case_a.reference}/lifecycle/")
    assert response.status_code == 410


# --- Notifications --------------------------------------------------------------------------


def _queued(world: World) -> CaseEvent:
    at(world, Stage.REGISTERED)
    return CaseEvent.objects.get(case=world.case_a, kind=CaseEvent.Kind.NIB_FORWARDED)


@pytest.mark.django_db
def test_the_notification_queue_lists_waiting_events_and_htmx_marks_one_forwarded(world: World) -> None:
    event = _queued(world)
    client = verified_client(world.user("detaining_a"))
    html = client.get("/notifications/").content.decode()
    assert world.case_a.reference in html and "Art. 122 record forwarded" in html
    response = client.post(
        f"/cases/{world.case_a.reference}/events/{event.pk}/forward/",
        {"next": "/notifications/"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert 'class="notification done"' in response.content.decode()
    event.refresh_from_db()
    assert event.forwarding == CaseEvent.Forwarding.FORWARDED and event.forwarded_at is not None
    assert world.case_a.reference not in client.get("/notifications/").content.decode()


@pytest.mark.django_db
def test_marking_forwarded_without_htmx_returns_to_the_page_it_came_from(world: World) -> None:
    event = _queued(world)
    client = verified_client(world.user("supervisor_a"))
    url = f"/cases/{world.case_a.reference}/events/{event.pk}/forward/"
    back = f"/cases/{world.case_a.reference}/lifecycle/"
    assert client.post(url, {"next": back})["Location"] == back
    again = client.post(url, {"next": "https://elsewhere.example/"})
    assert again["Location"] == "/notifications/"  # only local pages; and it was forwarded already
    assert "This event is not waiting to be forwarded." in client.get(again["Location"]).content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("actor", "queue", "forward"),
    [
        ("detaining_b", 200, 404),  # forwards for another organisation: sees none of A's
        ("supervisor_b", 200, 404),
        ("caseworker_a", 404, 403),  # sees the case, does not forward
        ("protection", 404, 403),
        ("receiving", 404, 404),
        ("auditor_a", 404, 404),
    ],
)
def test_notification_denials(world: World, actor: str, queue: int, forward: int) -> None:
    event = _queued(world)
    client = verified_client(world.user(actor))
    response = client.get("/notifications/")
    assert response.status_code == queue
    if queue == 200:
        assert world.case_a.reference not in response.content.decode()
    assert client.post(f"/cases/{world.case_a.reference}/events/{event.pk}/forward/").status_code == forward
    event.refresh_from_db()
    assert event.forwarding == CaseEvent.Forwarding.QUEUED


@pytest.mark.django_db
def test_the_navigation_links_to_notifications_only_for_those_who_forward(world: World) -> None:
    assert "/notifications/" in verified_client(world.user("detaining_a")).get("/cases/").content.decode()
    assert "/notifications/" not in verified_client(world.user("caseworker_a")).get("/cases/").content.decode()


@pytest.mark.django_db
def test_an_event_of_another_case_cannot_be_forwarded_through_this_one(world: World) -> None:
    event = _queued(world)
    CaseAssignment.objects.get_or_create(case=world.case_b, team=world.team_a)
    client = verified_client(world.user("supervisor_b"))
    assert client.post(f"/cases/{world.case_b.reference}/events/{event.pk}/forward/").status_code == 404


# --- Cost -----------------------------------------------------------------------------------


def _case_page_queries(client: Client, case: Case) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(f"/cases/{case.reference}/").status_code == 200
    return len(queries)


@pytest.mark.django_db
def test_the_case_page_reads_a_bounded_number_of_rows_however_long_the_history(world: World) -> None:
    case = at(world, Stage.WISH_ESTABLISHED)
    client = verified_client(world.user("supervisor_a"))
    _case_page_queries(client, case)  # warm the session and the caches
    first = _case_page_queries(client, case)
    cast = cast_of(world)
    for days in range(1, 6):
        wish_interview(case, cast, TODAY() - dt.timedelta(days=days))
        services.event_record(
            actor=world.user("detaining_a"),
            case=case,
            values={"kind": "health_weekly", "occurred_on": TODAY() - dt.timedelta(days=days)},
        )
    assert _case_page_queries(client, case) == first
    # The registry's page and the guards' snapshot (protection.selectors.case_facts) read most of these.
    assert first <= 55, first
