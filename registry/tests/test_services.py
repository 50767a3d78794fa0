"""Registry services: creation, editing with optimistic locking, custody, assignment, audit."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from audit.models import AuditEvent
from conftest import World
from consent.tests.helpers import consent_to_share
from passage.errors import EditConflict, NotPermitted
from registry.models import Alias, Case, Custody, Person
from registry.references import is_valid_reference
from registry.services import AliasInput, case_assign_team, case_create, case_unassign_team, case_update, custody_add


@pytest.mark.django_db
def test_a_new_case_gets_a_random_reference_and_is_assigned_to_the_creators_team(world: World) -> None:
    case = case_create(
        actor=world.user("caseworker_a"),
        organisation=world.org_a,
        person={
            "family_name": "Kim",
            "given_name": "Su Yong",
            "family_name_hangul": "김",
            "given_name_hangul": "수용",
        },
    )
    assert is_valid_reference(case.reference)
    assert [a.team for a in case.assignments.all()] == [world.team_a]
    assert case.version == 1


@pytest.mark.django_db
def test_creation_leaves_one_audit_entry_with_field_names_and_no_values(world: World) -> None:
    before = AuditEvent.objects.count()
    case = case_create(
        actor=world.user("caseworker_a"),
        organisation=world.org_a,
        person={"family_name": "Kim", "given_name": "Hye Sun", "unit": "Unit 12345"},
    )
    events = list(AuditEvent.objects.all()[: AuditEvent.objects.count() - before])
    assert len(events) == 1
    event = events[0]
    assert (event.action, event.case_reference, event.actor_label) == (
        "case.create",
        case.reference,
        "caseworker@a.test",
    )
    assert "unit" in event.changed_fields
    assert "Hye Sun" not in str(event.__dict__) and "12345" not in str(event.__dict__)


@pytest.mark.django_db
def test_creation_reports_every_invalid_field_at_once_and_writes_nothing(world: World) -> None:
    before = (Person.objects.count(), Case.objects.count(), AuditEvent.objects.count())
    with pytest.raises(ValidationError) as caught:
        case_create(
            actor=world.user("caseworker_a"),
            organisation=world.org_a,
            person={
                "family_name": "",
                "given_name": "X",
                "date_of_birth": "1999-13",
                "family_name_hangul": "Kim",
            },
            reference="PSG-IIII-0000",
        )
    assert set(caught.value.message_dict) == {
        "family_name",
        "date_of_birth",
        "family_name_hangul",
        "reference",
    }
    assert (Person.objects.count(), Case.objects.count(), AuditEvent.objects.count()) == before


@pytest.mark.django_db
def test_a_user_from_another_organisation_cannot_create_a_case_there(world: World) -> None:
    with pytest.raises(NotPermitted):
        case_create(
            actor=world.user("caseworker_b"),
            organisation=world.org_a,
            person={"family_name": "Kim", "given_name": "Il"},
        )


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["media_a", "auditor_a", "admin_a", "protection", "receiving"])
def test_roles_that_do_not_register_people_cannot_create_cases(world: World, role: str) -> None:
    with pytest.raises(NotPermitted):
        case_create(
            actor=world.user(role),
            organisation=world.org_a,
            person={"family_name": "Kim", "given_name": "Il"},
        )


@pytest.mark.django_db
def test_an_edit_raises_the_version_and_names_the_changed_fields(world: World) -> None:
    case = world.case_a
    updated = case_update(
        actor=world.user("caseworker_a"),
        case=case,
        expected_version=1,
        person={"rank": "Lieutenant", "family_name": "Ri"},
    )
    assert updated.version == 2
    assert updated.person.rank == "Lieutenant"
    event = AuditEvent.objects.filter(action="case.update").get()
    assert event.changed_fields == ["rank"]


@pytest.mark.django_db
def test_an_edit_that_changes_nothing_keeps_the_version(world: World) -> None:
    updated = case_update(
        actor=world.user("caseworker_a"), case=world.case_a, expected_version=1, person={"family_name": "Ri"}
    )
    assert updated.version == 1
    assert not AuditEvent.objects.filter(action="case.update").exists()


@pytest.mark.django_db
def test_the_second_of_two_edits_of_the_same_version_is_refused_and_the_first_is_kept(world: World) -> None:
    first, second = world.user("caseworker_a"), world.user("supervisor_a")
    case_update(actor=first, case=world.case_a, expected_version=1, person={"rank": "Lieutenant"})
    with pytest.raises(EditConflict) as caught:
        case_update(actor=second, case=world.case_a, expected_version=1, person={"place_of_origin": "Wonsan"})
    assert caught.value.current_version == 2
    person = Person.objects.get(pk=world.case_a.person_id)
    assert (person.rank, person.place_of_origin) == ("Lieutenant", "Hamhung")


@pytest.mark.django_db(transaction=True)
def test_concurrent_edits_of_the_same_version_never_both_succeed(world: World) -> None:
    outcomes: list[str] = []
    barrier = threading.Barrier(2)

    def edit(user_key: str, rank: str) -> None:
        try:
            barrier.wait()
            case_update(actor=world.user(user_key), case=world.case_a, expected_version=1, person={"rank": rank})
            outcomes.append("saved")
        except EditConflict:
            outcomes.append("conflict")
        except Exception as exc:  # SQLite may report a lock instead of waiting: still no lost update.
            outcomes.append(type(exc).__name__)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=edit, args=("caseworker_a", "Lieutenant")),
        threading.Thread(target=edit, args=("supervisor_a", "Captain")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert outcomes.count("saved") == 1, outcomes
    case = Case.objects.get(pk=world.case_a.pk)
    assert case.version == 2
    assert AuditEvent.objects.filter(action="case.update").count() == 1


@pytest.mark.django_db
def test_aliases_are_replaced_as_a_whole_and_counted_as_one_change(world: World) -> None:
    case_update(
        actor=world.user("caseworker_a"),
        case=world.case_a,
        expected_version=1,
        person={},
        aliases=[AliasInput("Ivanov Ivan", Alias.Kind.CLAIMED_IDENTITY), AliasInput("Ri Chol-su")],
    )
    names = [(alias.name, alias.kind) for alias in world.case_a.person.aliases.all()]
    assert names == [("Ivanov Ivan", "claimed_identity"), ("Ri Chol-su", "alias")]
    assert AuditEvent.objects.filter(action="case.update").get().changed_fields == ["aliases"]


@pytest.mark.django_db
def test_a_user_who_may_only_view_cannot_edit(world: World) -> None:
    with pytest.raises(NotPermitted):
        case_update(actor=world.user("protection"), case=world.case_a, expected_version=1, person={"rank": "X"})


@pytest.mark.django_db
def test_custody_cannot_end_before_it_starts(world: World) -> None:
    with pytest.raises(ValidationError) as caught:
        custody_add(
            actor=world.user("detaining_a"),
            case=world.case_a,
            facility="Camp 1",
            kind="camp",
            from_date=dt.date(2025, 3, 1),
            to_date=dt.date(2025, 2, 1),
        )
    assert "to_date" in caught.value.message_dict
    assert not Custody.objects.exists()


@pytest.mark.django_db
def test_custody_is_recorded_and_audited(world: World) -> None:
    record = custody_add(
        actor=world.user("detaining_a"),
        case=world.case_a,
        facility="Camp 1",
        kind="camp",
        from_date=dt.date(2025, 3, 1),
    )
    assert record.is_current
    assert AuditEvent.objects.filter(action="custody.add", case_reference=world.case_a.reference).count() == 1


@pytest.mark.django_db
def test_only_the_owning_supervisor_can_share_a_case_and_sharing_is_audited(world: World) -> None:
    consent_to_share(world)
    with pytest.raises(NotPermitted):
        case_assign_team(actor=world.user("caseworker_a"), case=world.case_a, team=world.team_receiving)
    case_assign_team(actor=world.user("supervisor_a"), case=world.case_a, team=world.team_receiving)
    assert AuditEvent.objects.filter(action="case.share").count() == 1
    with pytest.raises(NotPermitted):
        case_assign_team(actor=world.user("supervisor_b"), case=world.case_a, team=world.team_b)


@pytest.mark.django_db
def test_sharing_with_the_receiving_state_is_refused_without_the_persons_consent(world: World) -> None:
    with pytest.raises(ValidationError) as caught:
        case_assign_team(actor=world.user("supervisor_a"), case=world.case_a, team=world.team_receiving)
    assert "no live consent to share" in caught.value.message_dict["team"][0]
    assert not world.case_a.assignments.filter(team=world.team_receiving).exists()
    assert not AuditEvent.objects.filter(action="case.share").exists()


@pytest.mark.django_db
def test_sharing_with_an_ngo_needs_a_consent_naming_that_ngo_and_the_protection_body_none(world: World) -> None:
    with pytest.raises(ValidationError):
        case_assign_team(actor=world.user("supervisor_a"), case=world.case_a, team=world.team_b)
    consent_to_share(world, organisation=world.org_b)
    case_assign_team(actor=world.user("supervisor_a"), case=world.case_a, team=world.team_b)
    case_unassign_team(actor=world.user("supervisor_a"), case=world.case_a, team=world.team_protection)
    case_assign_team(actor=world.user("supervisor_a"), case=world.case_a, team=world.team_protection)  # GC III 126


@pytest.mark.django_db
def test_a_sharing_consent_given_at_an_earlier_stage_no_longer_allows_sharing(world: World) -> None:
    consent_to_share(world)
    Case.objects.filter(pk=world.case_a.pk).update(stage="in_custody")
    with pytest.raises(ValidationError):
        case_assign_team(actor=world.user("supervisor_a"), case=world.case_a, team=world.team_receiving)


@pytest.mark.django_db
def test_the_last_team_of_the_owning_organisation_cannot_be_removed(world: World) -> None:
    supervisor = world.user("supervisor_a")
    case_unassign_team(actor=supervisor, case=world.case_a, team=world.team_protection)
    assert AuditEvent.objects.filter(action="case.unshare").count() == 1
    with pytest.raises(ValidationError) as caught:
        case_unassign_team(actor=supervisor, case=world.case_a, team=world.team_a)
    assert "team" in caught.value.message_dict
    assert list(world.case_a.assignments.values_list("team", flat=True)) == [world.team_a.pk]
