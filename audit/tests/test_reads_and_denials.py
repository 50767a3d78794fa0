"""What is audited and who sees it: one entry per identifying read, search or refusal, one per write;
the auditor's log page and a case's trail, scoped to the owning organisation."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.db.models import Max
from django.test import Client

from accounts.services import api_token_create
from audit.models import AuditEvent
from audit.services import checkpoint_write
from audit.tests.helpers import delete_entry, rewrite_action
from conftest import World, verified_client
from consent.tests.helpers import consent_to_share
from registry.models import Custody
from registry.services import (
    case_assign_team,
    case_create,
    case_record_view,
    case_unassign_team,
    case_update,
    custody_add,
    person_erase,
)

pytestmark = pytest.mark.django_db

NAME = "Chol Su"  # the given name of world.case_a's person
UNKNOWN_REFERENCE = "PSG-0000-0000"


@contextmanager
def recorded() -> Iterator[list[AuditEvent]]:
    """The entries added inside the block, oldest first."""
    count = AuditEvent.objects.count()
    last = AuditEvent.objects.aggregate(last=Max("pk"))["last"] or 0
    added: list[AuditEvent] = []
    yield added
    added.extend(AuditEvent.objects.filter(pk__gt=last).order_by("pk"))
    assert AuditEvent.objects.count() - count == len(added)


def only(entries: list[AuditEvent]) -> AuditEvent:
    assert len(entries) == 1, [(e.action, e.case_reference) for e in entries]
    return entries[0]


def text_of(event: AuditEvent) -> str:
    """Everything an entry stores, as text."""
    columns = [str(getattr(event, field.attname)) for field in AuditEvent._meta.concrete_fields]
    return " ".join([*columns, event.payload])


def page_entries(client: Client, **filters: str) -> list[AuditEvent]:
    response = client.get("/audit/", filters)
    assert response.status_code == 200
    return list(response.context["page"].object_list)


@pytest.fixture
def caseworker(world: World) -> Client:
    return verified_client(world.user("caseworker_a"))


# Identifying reads


def test_the_case_page_adds_exactly_one_case_view_entry(world: World, caseworker: Client) -> None:
    with recorded() as added:
        assert caseworker.get(f"/cases/{world.case_a.reference}/").status_code == 200
    event = only(added)
    assert (event.action, event.kind, event.channel) == ("case.view", "read", "web")
    assert event.case_reference == world.case_a.reference
    assert event.organisation_id == world.org_a.pk
    assert event.actor == world.user("caseworker_a")


def test_the_edit_page_adds_exactly_one_case_view_entry_for_editing(world: World, caseworker: Client) -> None:
    with recorded() as added:
        assert caseworker.get(f"/cases/{world.case_a.reference}/edit/").status_code == 200
    event = only(added)
    assert (event.action, event.purpose, event.case_reference) == ("case.view", "edit", world.case_a.reference)


def test_the_api_detail_adds_exactly_one_case_view_entry(world: World, caseworker: Client) -> None:
    with recorded() as added:
        assert caseworker.get(f"/api/v1/cases/{world.case_a.reference}/").status_code == 200
    event = only(added)
    assert (event.action, event.channel, event.case_reference) == ("case.view", "api", world.case_a.reference)


def test_a_search_adds_one_case_search_entry_and_never_the_query_text(world: World, caseworker: Client) -> None:
    with recorded() as added:
        response = caseworker.get("/cases/", {"q": f"Ri {NAME}"})
    assert response.status_code == 200
    assert world.case_a.reference in response.content.decode()
    event = only(added)
    assert (event.action, event.kind, event.purpose) == ("case.search", "read", "1 results")
    assert NAME not in text_of(event)


def test_an_api_search_adds_one_case_search_entry_and_never_the_query_text(world: World, caseworker: Client) -> None:
    with recorded() as added:
        response = caseworker.get("/api/v1/cases/", {"q": f"Ri {NAME}"})
    assert response.status_code == 200
    event = only(added)
    assert (event.action, event.channel) == ("case.search", "api")
    assert NAME not in text_of(event)


def test_the_case_list_without_a_query_adds_no_entry(caseworker: Client) -> None:
    with recorded() as added:
        assert caseworker.get("/cases/").status_code == 200
    assert added == []


# Refusals


@pytest.mark.parametrize("path", ["/cases/{}/", "/cases/{}/edit/", "/api/v1/cases/{}/"])
def test_a_user_of_another_organisation_gets_404_and_one_denied_entry(world: World, path: str) -> None:
    client = verified_client(world.user("caseworker_b"))
    with recorded() as added:
        assert client.get(path.format(world.case_a.reference)).status_code == 404
    event = only(added)
    assert (event.action, event.kind) == ("case.denied", "denied")
    assert event.case_reference == world.case_a.reference
    assert event.actor == world.user("caseworker_b")


def test_a_denied_api_read_records_the_api_channel(world: World) -> None:
    client = verified_client(world.user("caseworker_b"))
    with recorded() as added:
        assert client.get(f"/api/v1/cases/{world.case_a.reference}/").status_code == 404
    assert only(added).channel == "api"


def test_an_unknown_reference_gets_404_and_one_denied_entry_naming_it(caseworker: Client) -> None:
    with recorded() as added:
        assert caseworker.get(f"/cases/{UNKNOWN_REFERENCE.lower()}/").status_code == 404
    event = only(added)
    assert (event.action, event.kind, event.case_reference) == ("case.denied", "denied", UNKNOWN_REFERENCE)


@pytest.mark.parametrize("path", ["/cases/{}/", "/api/v1/cases/{}/"])
def test_a_name_typed_where_the_reference_goes_is_not_stored(caseworker: Client, path: str) -> None:
    with recorded() as added:
        assert caseworker.get(path.format("Kim%20Myong%20Chol")).status_code == 404
    event = only(added)
    assert (event.action, event.case_reference, event.changed_fields) == ("case.denied", "", ["not a reference"])
    stored = text_of(event).upper()
    assert "KIM" not in stored
    assert "MYONG" not in stored


def test_an_auditor_gets_404_on_the_case_page_itself(world: World) -> None:
    client = verified_client(world.user("auditor_a"))
    assert client.get(f"/cases/{world.case_a.reference}/").status_code == 404
    assert client.get(f"/api/v1/cases/{world.case_a.reference}/").status_code == 404


def test_a_denied_access_is_visible_to_an_auditor_on_the_log_page(world: World) -> None:
    verified_client(world.user("caseworker_b")).get(f"/cases/{world.case_a.reference}/")
    seen = [
        event
        for auditor in ("auditor_a", "auditor_b")
        for event in page_entries(verified_client(world.user(auditor)), kind="denied")
    ]
    assert [event.actor_label for event in seen] == ["caseworker@b.test"]


# Writes


def _create(world: World) -> Any:
    return case_create(
        actor=world.user("caseworker_a"),
        organisation=world.org_a,
        person={"family_name": "Jo", "given_name": "Un Hui"},
    )


def _update(world: World) -> Any:
    case = world.case_a
    return case_update(
        actor=world.user("caseworker_a"), case=case, expected_version=case.version, person={"rank": "Private"}
    )


def _custody(world: World) -> Any:
    return custody_add(
        actor=world.user("caseworker_a"),
        case=world.case_a,
        facility="Reception centre 1",
        kind=Custody.Kind.CAMP,
        from_date=dt.date(2025, 2, 1),
    )


def _assign(world: World) -> Any:
    return case_assign_team(actor=world.user("supervisor_a"), case=world.case_a, team=world.team_a2)


def _share(world: World) -> Any:
    return case_assign_team(actor=world.user("supervisor_a"), case=world.case_a, team=world.team_receiving)


def _unshare(world: World) -> Any:
    return case_unassign_team(actor=world.user("supervisor_a"), case=world.case_a, team=world.team_protection)


def _erase(world: World) -> Any:
    return person_erase(actor=world.user("supervisor_a"), case=world.case_a, reason="Fictional erasure request, test.")


# What a write needs first, outside the entries counted: sharing with the receiving state needs consent.
PREPARE = {"case.share": consent_to_share}
WRITES = {
    "case.create": _create,
    "case.update": _update,
    "custody.add": _custody,
    "case.assign": _assign,
    "case.share": _share,
    "case.unshare": _unshare,
    "person.erase": _erase,
}


@pytest.mark.parametrize("action", WRITES)
def test_every_write_service_leaves_exactly_one_entry_with_its_organisation(world: World, action: str) -> None:
    if action in PREPARE:
        PREPARE[action](world)
    with recorded() as added:
        WRITES[action](world)
    event = only(added)
    assert (event.action, event.kind) == (action, "write")
    assert event.organisation_id == world.org_a.pk
    assert event.case_reference.startswith("PSG-")


def test_no_entry_holds_a_protected_value(world: World, caseworker: Client) -> None:
    _update(world)
    _custody(world)
    caseworker.get(f"/cases/{world.case_a.reference}/")
    stored = " ".join(text_of(event) for event in AuditEvent.objects.all())
    for value in (NAME, "Hamhung", "Unit 40001", "Lee Cheol-su", "철수", "Reception centre 1", "Private"):
        assert value not in stored
    update = AuditEvent.objects.get(action="case.update")
    assert update.changed_fields == ["rank"]


# The auditor's log page


def test_the_log_page_shows_an_organisations_entries_to_its_auditor(world: World) -> None:
    entries = page_entries(verified_client(world.user("auditor_a")))
    references = {event.case_reference for event in entries}
    assert world.case_a.reference in references
    assert world.case_b.reference not in references
    assert {event.organisation_id for event in entries} <= {world.org_a.pk, None}


def test_the_log_page_hides_an_organisations_entries_from_another_auditor(world: World) -> None:
    entries = page_entries(verified_client(world.user("auditor_b")))
    assert world.case_a.reference not in {event.case_reference for event in entries}
    assert world.case_b.reference in {event.case_reference for event in entries}


def test_the_log_page_hides_another_organisations_users_security_entries(world: World) -> None:
    api_token_create(user=world.user("caseworker_b"))
    entries = page_entries(verified_client(world.user("auditor_a")))
    assert "caseworker@b.test" not in {event.actor_label for event in entries}


def test_a_search_is_visible_to_the_auditor_of_the_searchers_organisation(world: World, caseworker: Client) -> None:
    caseworker.get("/cases/", {"q": NAME})
    entries = page_entries(verified_client(world.user("auditor_a")), action="case.search")
    assert [event.actor_label for event in entries] == ["caseworker@a.test"]


@pytest.mark.parametrize("role", ["caseworker_a", "supervisor_a", "admin_a"])
def test_the_log_page_is_404_for_anyone_but_an_auditor(world: World, role: str) -> None:
    assert verified_client(world.user(role)).get("/audit/").status_code == 404


@pytest.fixture
def auditor(world: World, caseworker: Client) -> Client:
    """Org A's auditor, after a caseworker read case_a and an older entry from January 2024."""
    caseworker.get(f"/cases/{world.case_a.reference}/")
    with time_machine.travel(dt.datetime(2024, 1, 10, 12, tzinfo=dt.UTC), tick=False):
        case_record_view(actor=world.user("supervisor_a"), case=world.case_a, purpose="review")
    return verified_client(world.user("auditor_a"))


def test_the_log_page_filters_by_actor(auditor: Client) -> None:
    entries = page_entries(auditor, actor="CASEWORKER@a")
    assert entries
    assert {event.actor_label for event in entries} == {"caseworker@a.test"}


def test_the_log_page_filters_by_case_reference_prefix(world: World, auditor: Client) -> None:
    entries = page_entries(auditor, case_reference=world.case_a.reference[:8].lower())
    assert entries
    assert {event.case_reference for event in entries} == {world.case_a.reference}


def test_the_log_page_filters_by_action(auditor: Client) -> None:
    entries = page_entries(auditor, action="case.create")
    assert entries
    assert {event.action for event in entries} == {"case.create"}


def test_the_log_page_filters_by_kind(auditor: Client) -> None:
    entries = page_entries(auditor, kind="read")
    assert len(entries) == 2
    assert {event.kind for event in entries} == {"read"}


def test_the_log_page_filters_by_date(auditor: Client) -> None:
    entries = page_entries(auditor, since="2024-01-10", until="2024-01-10")
    assert [(event.action, event.purpose) for event in entries] == [("case.view", "review")]
    today = dt.datetime.now(tz=dt.UTC).date().isoformat()
    assert "2024-01-10" not in {event.at.date().isoformat() for event in page_entries(auditor, since=today)}


# A case's trail


@pytest.mark.parametrize("role", ["supervisor_a", "auditor_a"])
def test_the_case_trail_is_shown_to_the_owning_organisations_supervisor_and_auditor(world: World, role: str) -> None:
    verified_client(world.user("caseworker_a")).get(f"/cases/{world.case_a.reference}/")
    response = verified_client(world.user(role)).get(f"/audit/cases/{world.case_a.reference.lower()}/")
    assert response.status_code == 200
    actions = {event.action for event in response.context["page"].object_list}
    assert {"case.create", "case.view"} <= actions
    assert "caseworker@a.test" in response.content.decode()


@pytest.mark.parametrize("role", ["caseworker_a", "admin_a", "supervisor_b", "auditor_b", "protection"])
def test_the_case_trail_is_404_for_everyone_else(world: World, role: str) -> None:
    assert verified_client(world.user(role)).get(f"/audit/cases/{world.case_a.reference}/").status_code == 404


def test_the_case_trail_of_an_unknown_reference_is_404(world: World) -> None:
    assert verified_client(world.user("auditor_a")).get(f"/audit/cases/{UNKNOWN_REFERENCE}/").status_code == 404


def test_the_case_page_shows_who_looked_at_it_to_a_supervisor(world: World) -> None:
    response = verified_client(world.user("supervisor_a")).get(f"/cases/{world.case_a.reference}/")
    assert response.status_code == 200
    assert "Who looked at this case" in response.content.decode()
    assert response.context["trail"] is not None


def test_the_case_page_does_not_show_who_looked_at_it_to_a_caseworker(world: World, caseworker: Client) -> None:
    response = caseworker.get(f"/cases/{world.case_a.reference}/")
    assert response.status_code == 200
    assert "Who looked at this case" not in response.content.decode()


# Verify the log now


@pytest.fixture
def verifying_auditor(world: World, settings, tmp_path: Path) -> Client:
    settings.PASSAGE_AUDIT_CHECKPOINT_DIR = str(tmp_path / "checkpoints")
    return verified_client(world.user("auditor_a"))


def test_the_verify_button_reports_an_intact_log(verifying_auditor: Client) -> None:
    response = verifying_auditor.post("/audit/verify/", follow=True)
    assert response.redirect_chain == [("/audit/", 302)]
    page = response.content.decode()
    assert "OK: " in page
    assert "form unbroken chains" in page
    assert AuditEvent.objects.filter(action="audit.verify", purpose="intact").count() == 1


def test_the_verify_button_reports_a_tampered_log_as_failed(world: World, verifying_auditor: Client) -> None:
    rewrite_action(AuditEvent.objects.get(action="case.create", case_reference=world.case_a.reference), "case.view")
    response = verifying_auditor.post("/audit/verify/", follow=True)
    page = response.content.decode()
    assert "FAILED at partition" in page
    assert "content changed after it was written" in page
    assert AuditEvent.objects.filter(action="audit.verify", purpose="FAILED").count() == 1


def test_the_verify_button_checks_the_latest_checkpoint_and_reports_a_cut_tail(verifying_auditor: Client) -> None:
    checkpoint_write()
    last = AuditEvent.objects.order_by("-pk").first()
    assert last is not None
    delete_entry(last)
    page = verifying_auditor.post("/audit/verify/", follow=True).content.decode()
    assert f"FAILED at partition {last.partition}, entry {last.seq}: missing" in page


def test_the_verify_button_reports_a_missing_public_key_instead_of_failing_with_a_server_error(
    verifying_auditor: Client, settings, tmp_path: Path
) -> None:
    checkpoint_write()
    settings.PASSAGE_AUDIT_SIGNING_KEY = str(tmp_path / "absent.pem")
    verifying_auditor.raise_request_exception = False
    response = verifying_auditor.post("/audit/verify/")
    assert response.status_code == 302
    assert "FAILED" in verifying_auditor.get("/audit/").content.decode()
    assert AuditEvent.objects.filter(action="audit.verify", purpose="FAILED").count() == 1


def test_the_verify_button_is_404_for_anyone_but_an_auditor(world: World) -> None:
    assert verified_client(world.user("supervisor_a")).post("/audit/verify/").status_code == 404


def test_the_verify_button_only_answers_post(verifying_auditor: Client) -> None:
    assert verifying_auditor.get("/audit/verify/").status_code == 405
