"""The alert rules of PROCESS.md (c) 2, 3, 4, 6, 14, 15 and 16: each opens, stays single when run
again, and resolves when its condition ends; the dashboard and the API show only what the user may see."""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections.abc import Iterator

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from audit.models import AuditEvent
from conftest import World, verified_client
from protection import alerts, services
from protection.alerts import (
    DeadlineFacts,
    HealthReport,
    Visit,
    alert_dashboard,
    alerts_run,
    capture_card_due,
    deadline_facts,
    health_report_due,
    visit_with_witnesses,
)
from protection.models import Alert, CaseEvent
from protection.rules import Deadlines
from protection.scenarios import Cast, days_needed, walk_to
from protection.scheduler import alerts_tick, start_alerts_thread
from protection.selectors import case_facts
from protection.stages import Stage
from registry.models import Case, Custody
from registry.services import case_create, custody_add, person_erase

START = dt.date(2027, 1, 4)  # a Monday; every test travels in time from here


def at(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(12, 0), tzinfo=dt.UTC)


def days(count: int) -> dt.timedelta:
    return dt.timedelta(days=count)


def cast_of(world: World) -> Cast:
    return Cast(
        detaining=world.user("detaining_a"),
        interviewer=world.user("protection"),
        decider=world.user("protection_2"),
        receiving=world.user("receiving"),
        caseworker=world.user("caseworker_a"),
        supervisor=world.user("supervisor_a"),
        receiving_team=world.team_receiving,
    )


def open_alerts(case: Case, kind: str) -> list[tuple[int, dt.date]]:
    return list(
        Alert.objects.filter(case=case, kind=kind, resolved_at__isnull=True)
        .order_by("pk")
        .values_list("subject_id", "due_on")
    )


def all_alerts(case: Case, kind: str) -> int:
    return Alert.objects.filter(case=case, kind=kind).count()


def record_event(world: World, case: Case, kind: str, on: dt.date, **values: object) -> CaseEvent:
    event: CaseEvent = services.event_record(
        actor=world.user("detaining_a"), case=case, values={"kind": kind, "occurred_on": on, **values}
    )
    return event


@pytest.fixture
def traveller() -> Iterator[time_machine.Traveller]:
    with time_machine.travel(at(START), tick=False) as frozen:
        yield frozen


def in_custody(world: World, traveller: time_machine.Traveller, *, now: dt.date) -> Case:
    """case_a walked to in_custody from START (arrival at the camp on START + 2), the clock at `now`;
    the capture card was offered but neither sent nor declined."""
    traveller.move_to(at(now))
    case = walk_to(world.case_a, Stage.IN_CUSTODY, cast_of(world), start=START)
    CaseEvent.objects.filter(case=case, kind=CaseEvent.Kind.CAPTURE_CARD_SENT).delete()
    return case


# --- (c) 2 capture card -------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_capture_card_alert_opens_a_week_after_arrival_and_closes_when_the_card_is_sent(
    world: World, traveller: time_machine.Traveller
) -> None:
    case = in_custody(world, traveller, now=START + days(9))
    camp = Custody.objects.get(case=case)
    assert camp.from_date == START + days(2)
    alerts_run()  # 7 days after arrival: still in time
    assert open_alerts(case, Alert.Kind.CAPTURE_CARD) == []

    traveller.move_to(at(START + days(10)))
    first = alerts_run()
    assert open_alerts(case, Alert.Kind.CAPTURE_CARD) == [(camp.pk, START + days(9))]
    assert first.opened >= 1
    again = alerts_run()
    assert (again.opened, again.resolved) == (0, 0)
    assert all_alerts(case, Alert.Kind.CAPTURE_CARD) == 1

    record_event(world, case, CaseEvent.Kind.CAPTURE_CARD_SENT, START + days(10))
    alerts_run()
    assert open_alerts(case, Alert.Kind.CAPTURE_CARD) == []
    assert Alert.objects.get(case=case, kind=Alert.Kind.CAPTURE_CARD).resolved_at == at(START + days(10))


@pytest.mark.django_db
def test_a_hospital_admission_needs_a_new_capture_card_and_a_declined_card_counts(
    world: World, traveller: time_machine.Traveller
) -> None:
    case = in_custody(world, traveller, now=START + days(10))
    record_event(world, case, CaseEvent.Kind.CAPTURE_CARD_DECLINED, START + days(5))
    traveller.move_to(at(START + days(12)))
    hospital = custody_add(
        actor=world.user("detaining_a"),
        case=case,
        facility="Field hospital",
        kind="hospital",
        from_date=START + days(12),
    )
    traveller.move_to(at(START + days(20)))
    alerts_run()
    assert open_alerts(case, Alert.Kind.CAPTURE_CARD) == [(hospital.pk, START + days(19))]


def test_capture_cards_are_owed_to_a_prisoner_while_held_only() -> None:
    from protection.alerts import CustodyStart

    held = DeadlineFacts(stage=Stage.IN_CUSTODY, custody=(CustodyStart(7, START),))
    today = START + days(30)
    assert capture_card_due(held, today=today, deadlines=Deadlines()) != []
    for facts in (
        DeadlineFacts(stage=Stage.REPATRIATED, custody=held.custody),
        DeadlineFacts(stage=Stage.SCREENING, custody=held.custody),
        DeadlineFacts(stage=Stage.IN_CUSTODY, entry_route=Case.EntryRoute.DEFECTOR, custody=held.custody),
    ):
        assert capture_card_due(facts, today=today, deadlines=Deadlines()) == []
    assert capture_card_due(held, today=today, deadlines=Deadlines(capture_card_days=30)) == []


# --- (c) 3 notification waiting -----------------------------------------------------------------


@pytest.mark.django_db
def test_a_notification_waiting_more_than_a_day_opens_an_alert_until_it_is_forwarded(
    world: World, traveller: time_machine.Traveller
) -> None:
    case = in_custody(world, traveller, now=START + days(10))
    admission = record_event(world, case, CaseEvent.Kind.HOSPITAL_ADMISSION, START + days(10))
    assert admission.forwarding == CaseEvent.Forwarding.QUEUED
    traveller.move_to(at(START + days(11)))
    alerts_run()
    assert (admission.pk, START + days(11)) not in open_alerts(case, Alert.Kind.NOTIFICATION_WAITING)

    traveller.move_to(at(START + days(12)))
    alerts_run()
    alerts_run()
    waiting = [row for row in open_alerts(case, Alert.Kind.NOTIFICATION_WAITING) if row[0] == admission.pk]
    assert waiting == [(admission.pk, START + days(11))]

    services.event_mark_forwarded(actor=world.user("detaining_a"), case=case, event=admission)
    alerts_run()
    assert admission.pk not in [subject for subject, _due in open_alerts(case, Alert.Kind.NOTIFICATION_WAITING)]
    assert Alert.objects.filter(case=case, subject_id=admission.pk).count() == 1


# --- (c) 4 weekly health report -----------------------------------------------------------------


@pytest.mark.django_db
def test_a_seriously_ill_prisoner_without_a_health_report_for_a_week_opens_an_alert(
    world: World, traveller: time_machine.Traveller
) -> None:
    case = in_custody(world, traveller, now=START + days(10))
    admission = record_event(world, case, CaseEvent.Kind.HOSPITAL_ADMISSION, START + days(10), is_seriously_ill=True)
    alerts_run(today=START + days(17))
    assert open_alerts(case, Alert.Kind.HEALTH_WEEKLY) == []
    traveller.move_to(at(START + days(18)))
    alerts_run()
    alerts_run()
    assert open_alerts(case, Alert.Kind.HEALTH_WEEKLY) == [(admission.pk, START + days(17))]

    weekly = record_event(world, case, CaseEvent.Kind.HEALTH_WEEKLY, START + days(18), is_seriously_ill=True)
    alerts_run()
    assert open_alerts(case, Alert.Kind.HEALTH_WEEKLY) == []
    traveller.move_to(at(START + days(26)))
    alerts_run()
    assert open_alerts(case, Alert.Kind.HEALTH_WEEKLY) == [(weekly.pk, START + days(25))]

    record_event(world, case, CaseEvent.Kind.HEALTH_WEEKLY, START + days(26), is_seriously_ill=False)
    traveller.move_to(at(START + days(60)))
    alerts_run()
    assert open_alerts(case, Alert.Kind.HEALTH_WEEKLY) == []


def test_health_reports_are_due_only_for_the_seriously_ill() -> None:
    well = DeadlineFacts(stage=Stage.IN_CUSTODY, latest_health_report=HealthReport(1, START, False))
    ill = DeadlineFacts(stage=Stage.IN_CUSTODY, latest_health_report=HealthReport(1, START, True))
    today = START + days(30)
    assert health_report_due(well, today=today, deadlines=Deadlines()) == []
    assert health_report_due(ill, today=today, deadlines=Deadlines()) != []
    assert health_report_due(ill, today=START + days(7), deadlines=Deadlines()) == []


# --- (c) 6 visit with witnesses -----------------------------------------------------------------


@pytest.mark.django_db
def test_a_visit_with_witnesses_not_asked_for_stays_flagged_until_a_private_visit(
    world: World, traveller: time_machine.Traveller
) -> None:
    case = in_custody(world, traveller, now=START + days(10))
    asked = record_event(
        world, case, CaseEvent.Kind.VISIT, START + days(9), witnesses_present=True, witnesses_requested=True
    )
    imposed = record_event(world, case, CaseEvent.Kind.VISIT, START + days(10), witnesses_present=True)
    alerts_run()
    alerts_run()
    assert open_alerts(case, Alert.Kind.VISIT_WITH_WITNESSES) == [(imposed.pk, START + days(10))]
    assert asked.pk not in [subject for subject, _due in open_alerts(case, Alert.Kind.VISIT_WITH_WITNESSES)]

    traveller.move_to(at(START + days(40)))
    alerts_run()  # time alone does not close it
    assert open_alerts(case, Alert.Kind.VISIT_WITH_WITNESSES) == [(imposed.pk, START + days(10))]

    record_event(world, case, CaseEvent.Kind.VISIT, START + days(40), witnesses_present=False)
    alerts_run()
    assert open_alerts(case, Alert.Kind.VISIT_WITH_WITNESSES) == []


def test_a_flagged_visit_closes_when_the_person_is_no_longer_held() -> None:
    visits = (Visit(1, START, True, False),)
    today = START + days(1)
    assert visit_with_witnesses(
        DeadlineFacts(stage=Stage.IN_CUSTODY, visits=visits), today=today, deadlines=Deadlines()
    )
    assert not visit_with_witnesses(
        DeadlineFacts(stage=Stage.TRANSFERRED, visits=visits), today=today, deadlines=Deadlines()
    )


# --- (c) 14 screening ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_screening_past_90_days_opens_an_alert_that_an_extension_closes_until_120(
    world: World, traveller: time_machine.Traveller
) -> None:
    cast = cast_of(world)
    traveller.move_to(at(START + days(80)))
    case = walk_to(world.case_a, Stage.SCREENING, cast, start=START)
    began = START + days(days_needed(Stage.SCREENING))
    alerts_run(today=began + days(90))
    assert open_alerts(case, Alert.Kind.SCREENING_OVERDUE) == []

    traveller.move_to(at(began + days(91)))
    alerts_run()
    alerts_run()
    assert open_alerts(case, Alert.Kind.SCREENING_OVERDUE) == [(0, began + days(90))]

    services.extension_record(
        actor=cast.receiving,
        case=case,
        values={
            "kind": "screening",
            "days": 30,
            "approved_on": began + days(91),
            "approved_by_body": "Consultative Council",
        },
    )
    alerts_run()
    assert open_alerts(case, Alert.Kind.SCREENING_OVERDUE) == []
    traveller.move_to(at(began + days(121)))
    alerts_run()
    assert open_alerts(case, Alert.Kind.SCREENING_OVERDUE) == [(0, began + days(120))]
    assert deadline_facts()[case.pk].pathway.screening_limit_days == case_facts(case).pathway.screening_limit_days


# --- (c) 15 late application --------------------------------------------------------------------


@pytest.mark.django_db
def test_an_application_more_than_a_year_after_entry_is_flagged_until_the_protection_decision(
    world: World, traveller: time_machine.Traveller
) -> None:
    cast = cast_of(world)
    traveller.move_to(at(START + days(200)))
    case = walk_to(world.case_a, Stage.PROTECTION_REQUESTED, cast, start=START)
    requested_on = START + days(days_needed(Stage.PROTECTION_REQUESTED))
    entered_on = requested_on - days(400)
    request = services.protection_request_record(
        actor=cast.receiving,
        case=case,
        values={
            "receiving_state": "KR",
            "requested_on": requested_on,
            "made_in_person": True,
            "entered_receiving_state_on": entered_on,
        },
    )
    alerts_run()
    alerts_run()
    assert open_alerts(case, Alert.Kind.LATE_APPLICATION) == [(request.pk, entered_on + days(365))]

    case = walk_to(case, Stage.SCREENING, cast, start=requested_on)
    alerts_run()
    assert len(open_alerts(case, Alert.Kind.LATE_APPLICATION)) == 1  # still before the decision
    walk_to(
        case,
        Stage.PROTECTION_GRANTED,
        cast,
        start=requested_on + days(days_needed(Stage.SCREENING, origin=Stage.PROTECTION_REQUESTED)),
    )
    alerts_run()
    assert open_alerts(case, Alert.Kind.LATE_APPLICATION) == []


# --- (c) 16 residence protection ----------------------------------------------------------------


@pytest.mark.django_db
def test_residence_protection_ending_opens_90_days_before_five_years_and_an_extension_closes_it(
    world: World, traveller: time_machine.Traveller
) -> None:
    cast = cast_of(world)
    traveller.move_to(at(START + days(300)))
    case = walk_to(world.case_a, Stage.RESIDENCE_PROTECTION, cast, start=START)
    began = START + days(days_needed(Stage.RESIDENCE_PROTECTION))
    ends = began.replace(year=began.year + 5)
    alerts_run(today=ends - days(91))
    assert open_alerts(case, Alert.Kind.RESIDENCE_PROTECTION_ENDING) == []

    traveller.move_to(at(ends - days(90)))
    alerts_run()
    alerts_run()
    assert open_alerts(case, Alert.Kind.RESIDENCE_PROTECTION_ENDING) == [(0, ends)]

    services.extension_record(
        actor=cast.receiving,
        case=case,
        values={
            "kind": "residence_protection",
            "days": 365,
            "approved_on": ends - days(90),
            "approved_by_body": "Police (personal safety)",
        },
    )
    alerts_run()
    assert open_alerts(case, Alert.Kind.RESIDENCE_PROTECTION_ENDING) == []
    snapshot = deadline_facts()[case.pk].pathway
    assert snapshot.residence_protection_ends_on == case_facts(case).pathway.residence_protection_ends_on
    assert snapshot.residence_protection_ends_on == ends + days(365)


# --- The run ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_run_writes_one_audit_entry_with_counts_and_nothing_about_the_person(
    world: World, traveller: time_machine.Traveller
) -> None:
    case = in_custody(world, traveller, now=START + days(20))
    before = AuditEvent.objects.count()
    summary = alerts_run()
    assert AuditEvent.objects.count() == before + 1
    entry = AuditEvent.objects.get(action="alerts.run")
    assert entry.kind == AuditEvent.Kind.WRITE and entry.actor is None
    assert f"{summary.opened} opened" in entry.purpose
    for protected in ("Ri", "Chol Su", "철수", "Hamhung", "Camp 1", case.reference):
        assert protected not in entry.payload


@pytest.mark.django_db
def test_an_erased_case_has_its_alerts_resolved_and_gets_no_new_ones(
    world: World, traveller: time_machine.Traveller
) -> None:
    case = in_custody(world, traveller, now=START + days(20))
    alerts_run()
    assert open_alerts(case, Alert.Kind.CAPTURE_CARD)
    person_erase(actor=world.user("supervisor_a"), case=case, reason="Requested by the person, test only.")
    alerts_run()
    assert not Alert.objects.filter(case=case, resolved_at__isnull=True).exists()


@pytest.mark.django_db
def test_the_run_needs_the_same_number_of_queries_for_two_cases_as_for_twelve(
    world: World, traveller: time_machine.Traveller
) -> None:
    in_custody(world, traveller, now=START + days(20))

    def idempotent_run_queries() -> int:
        alerts_run()
        with CaptureQueriesContext(connection) as queries:
            alerts_run()
        return len(queries)

    few = idempotent_run_queries()
    for number in range(10):
        extra = case_create(
            actor=world.user("supervisor_a"),
            organisation=world.org_a,
            person={"family_name": "Kim", "given_name": f"Test {number}"},
            teams=[world.team_a],
        )
        custody_add(actor=world.user("detaining_a"), case=extra, facility="Camp 2", kind="camp", from_date=START)
        record_event(world, extra, CaseEvent.Kind.HOSPITAL_ADMISSION, START + days(1), is_seriously_ill=True)
        record_event(world, extra, CaseEvent.Kind.VISIT, START + days(2), witnesses_present=True)
    many = idempotent_run_queries()
    assert many == few
    assert many <= 20
    assert Alert.objects.filter(resolved_at__isnull=True).count() >= 10 * 3  # card, health, visit each


# --- The dashboard ------------------------------------------------------------------------------


def _alert(case: Case, kind: str, due_on: dt.date, subject_id: int = 0) -> Alert:
    return Alert.objects.create(case=case, kind=kind, due_on=due_on, subject_id=subject_id)


@pytest.mark.django_db
def test_the_home_page_shows_open_alerts_by_kind_with_counts_links_dates_and_what_to_do(world: World) -> None:
    hospital = custody_add(
        actor=world.user("detaining_a"),
        case=world.case_a,
        facility="Ward 3",
        kind="hospital",
        from_date=dt.date(2026, 2, 20),
    )
    admission = record_event(world, world.case_a, CaseEvent.Kind.HOSPITAL_ADMISSION, dt.date(2026, 2, 20))
    _alert(world.case_a, Alert.Kind.CAPTURE_CARD, dt.date(2026, 3, 1), hospital.pk)
    _alert(world.case_a, Alert.Kind.NOTIFICATION_WAITING, dt.date(2026, 3, 2), admission.pk)
    _alert(world.case_a, Alert.Kind.NOTIFICATION_WAITING, dt.date(2026, 3, 4), 0)
    resolved = _alert(world.case_a, Alert.Kind.VISIT_WITH_WITNESSES, dt.date(2026, 3, 3), 4)
    Alert.objects.filter(pk=resolved.pk).update(resolved_at=at(START))
    _alert(world.case_b, Alert.Kind.SCREENING_OVERDUE, dt.date(2026, 3, 5))

    page = verified_client(world.user("caseworker_a")).get("/").content.decode()
    assert "Open alerts" in page
    assert f'href="/cases/{world.case_a.reference}/"' in page
    assert "2026-03-01" in page and "2026-03-04" in page
    assert "Notification waiting to be forwarded</a>: <strong>2</strong>" in page
    assert "mark it forwarded" in page
    assert "Hospital since 2026-02-20" in page and "Hospital admission on 2026-02-20" in page
    assert "Ward 3" not in page  # the facility is protected; the dashboard reads kinds and dates only
    assert "Art. 126 visit" not in page  # resolved
    assert world.case_b.reference not in page  # another organisation's case
    assert "Screening past its limit" not in page


@pytest.mark.django_db
@pytest.mark.parametrize("actor", ["supervisor_b", "caseworker_b", "caseworker_a_other_team", "receiving", "admin_a"])
def test_users_who_may_not_see_the_case_see_none_of_its_alerts(world: World, actor: str) -> None:
    _alert(world.case_a, Alert.Kind.CAPTURE_CARD, dt.date(2026, 3, 1), 1)
    page = verified_client(world.user(actor)).get("/").content.decode()
    assert world.case_a.reference not in page
    assert "No open alerts on the cases you can see." in page
    assert alert_dashboard(actor=world.user(actor)) == []


@pytest.mark.django_db
def test_the_dashboard_needs_a_query_per_kind_however_many_alerts(world: World) -> None:
    supervisor = world.user("supervisor_a")
    _alert(world.case_a, Alert.Kind.CAPTURE_CARD, dt.date(2026, 3, 1), 1)
    _alert(world.case_a, Alert.Kind.VISIT_WITH_WITNESSES, dt.date(2026, 3, 1), 1)
    with CaptureQueriesContext(connection) as few:
        alert_dashboard(actor=supervisor)
    for subject in range(2, 40):
        _alert(world.case_a, Alert.Kind.CAPTURE_CARD, dt.date(2026, 3, 1), subject)
        _alert(world.case_a, Alert.Kind.VISIT_WITH_WITNESSES, dt.date(2026, 3, 1), subject)
    with CaptureQueriesContext(connection) as many:
        groups = alert_dashboard(actor=supervisor)
    assert len(many) == len(few) <= 5
    assert [(g.kind, g.count, len(g.rows), g.more) for g in groups] == [
        (Alert.Kind.CAPTURE_CARD, 39, 10, 29),
        (Alert.Kind.VISIT_WITH_WITNESSES, 39, 10, 29),
    ]


# --- The API ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_alerts_endpoint_lists_the_open_alerts_of_visible_cases(world: World) -> None:
    card = _alert(world.case_a, Alert.Kind.CAPTURE_CARD, dt.date(2026, 3, 1), 11)
    _alert(world.case_a, Alert.Kind.HEALTH_WEEKLY, dt.date(2026, 3, 2), 12)
    _alert(world.case_b, Alert.Kind.CAPTURE_CARD, dt.date(2026, 3, 1), 13)
    response = verified_client(world.user("protection")).get("/api/v1/alerts/")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 2
    first = body["results"][0]
    assert first == {
        "id": card.pk,
        "kind": "capture_card",
        "title": "Capture card neither sent nor declined in time",
        "case": world.case_a.reference,
        "subject_id": 11,
        "due_on": "2026-03-01",
        "due_on_means": "Card due",
        "todo": str(alerts.ALERT_TODO[Alert.Kind.CAPTURE_CARD]),
        "opened_at": first["opened_at"],
    }
    only_health = verified_client(world.user("protection")).get("/api/v1/alerts/?kind=health_weekly").json()
    assert [row["subject_id"] for row in only_health["results"]] == [12]
    other = verified_client(world.user("supervisor_b")).get("/api/v1/alerts/").json()
    assert [row["subject_id"] for row in other["results"]] == [13]


@pytest.mark.django_db
def test_the_alerts_endpoint_denies_strangers_and_refuses_an_unknown_kind(world: World) -> None:
    from django.test import Client

    _alert(world.case_a, Alert.Kind.CAPTURE_CARD, dt.date(2026, 3, 1), 1)
    anonymous = Client().get("/api/v1/alerts/")
    assert anonymous.status_code == 401
    assert anonymous["Content-Type"] == "application/problem+json"
    for actor in ("caseworker_b", "caseworker_a_other_team", "receiving", "media_a", "auditor_a"):
        assert verified_client(world.user(actor)).get("/api/v1/alerts/").json()["results"] == [], actor
    bad = verified_client(world.user("supervisor_a")).get("/api/v1/alerts/?kind=everything")
    assert bad.status_code == 400
    assert bad.json()["errors"][0]["field"] == "kind"


@pytest.mark.django_db
def test_the_alerts_endpoint_needs_the_same_queries_for_one_alert_as_for_forty(world: World) -> None:
    client = verified_client(world.user("supervisor_a"))
    _alert(world.case_a, Alert.Kind.CAPTURE_CARD, dt.date(2026, 3, 1), 1)
    client.get("/api/v1/alerts/")
    with CaptureQueriesContext(connection) as one:
        client.get("/api/v1/alerts/")
    for subject in range(2, 41):
        _alert(world.case_a, Alert.Kind.CAPTURE_CARD, dt.date(2026, 3, 1), subject)
    with CaptureQueriesContext(connection) as forty:
        assert len(client.get("/api/v1/alerts/").json()["results"]) == 40
    assert len(forty) == len(one)


# --- The server's task --------------------------------------------------------------------------


def test_no_task_is_started_when_the_interval_is_zero() -> None:
    assert start_alerts_thread(0) is None


def test_the_task_runs_at_start_and_stops_when_asked(monkeypatch: pytest.MonkeyPatch) -> None:
    ran = threading.Event()
    calls: list[str] = []

    def fake_run(*, channel: str) -> alerts.AlertRunSummary:
        calls.append(channel)
        ran.set()
        return alerts.AlertRunSummary(today=START, cases=0, opened=0, resolved=0, open_by_kind={})

    monkeypatch.setattr("protection.scheduler.alerts_run", fake_run)
    monkeypatch.setattr("protection.scheduler.close_old_connections", lambda: None)
    stop = threading.Event()
    thread = start_alerts_thread(3600, stop=stop)
    assert thread is not None
    assert ran.wait(5)
    stop.set()
    thread.join(5)
    assert not thread.is_alive()
    assert calls == ["server"]


def test_a_failed_run_is_logged_and_the_task_goes_on(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def failing_run(*, channel: str) -> alerts.AlertRunSummary:
        raise RuntimeError("database unavailable")

    monkeypatch.setattr("protection.scheduler.alerts_run", failing_run)
    monkeypatch.setattr("protection.scheduler.close_old_connections", lambda: None)
    with caplog.at_level(logging.ERROR, logger="passage.alerts"):
        alerts_tick()
    assert "alerts run failed" in caplog.text
