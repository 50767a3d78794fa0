"""Crypto-shredding: a supervisor erases a person; every read path then fails closed (410),
and a restored backup is shredded again from the erasure list."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from audit.models import AuditEvent
from conftest import World, verified_client
from passage.errors import NotPermitted
from registry.models import Alias, Custody, Erasure, Person
from registry.services import custody_add, person_erase
from vault import erasure_list, runtime
from vault.models import BlindIndex, DataKey

REASON = "The person asked for erasure after resettlement."


@pytest.fixture
def erased(world: World) -> World:
    custody_add(
        actor=world.user("supervisor_a"),
        case=world.case_a,
        facility="Camp North-2",
        kind="camp",
        from_date=dt.date(2025, 1, 10),
    )
    person_erase(actor=world.user("supervisor_a"), case=world.case_a, reason=REASON)
    return world


@pytest.mark.django_db
def test_erasure_destroys_the_data_key_and_the_blind_indexes_and_leaves_a_tombstone(world: World) -> None:
    person = world.case_a.person
    data_key_id = person.data_key_id
    assert BlindIndex.objects.filter(data_key_id=data_key_id).exists()
    tombstone = person_erase(actor=world.user("supervisor_a"), case=world.case_a, reason=REASON)
    assert not DataKey.objects.filter(pk=data_key_id).exists()
    assert not BlindIndex.objects.filter(data_key_id=data_key_id).exists()
    assert not Alias.objects.filter(person=person).exists()
    assert (tombstone.reference, tombstone.actor_label, tombstone.reason) == (
        world.case_a.reference,
        "supervisor@a.test",
        REASON,
    )
    event = AuditEvent.objects.get(action="person.erase")
    assert event.case_reference == world.case_a.reference
    assert [entry.reference for entry in erasure_list.entries()] == [world.case_a.reference]


@pytest.mark.django_db
def test_erasure_empties_the_name_scorers_caches(world: World) -> None:
    from matching import score

    # Registering the world's persons scored their names against each other: the caches hold fragments.
    score.score("Ri Chol Su", "Lee Cheol-su")
    assert score.score.cache_info().currsize > 0
    person_erase(actor=world.user("supervisor_a"), case=world.case_a, reason=REASON)
    assert score.score.cache_info().currsize == 0
    assert score.features.cache_info().currsize == 0


@pytest.mark.django_db
def test_reading_an_erased_person_fails_closed(erased: World) -> None:
    person = Person.objects.get(pk=erased.case_a.person_id)
    assert person.is_erased
    with pytest.raises(runtime.KeyDestroyed):
        person.family_name  # noqa: B018
    with pytest.raises(runtime.KeyDestroyed):
        Custody.objects.get(case=erased.case_a).facility  # noqa: B018


@pytest.mark.django_db
def test_every_page_and_endpoint_of_an_erased_case_answers_410(erased: World) -> None:
    client = verified_client(erased.user("supervisor_a"))
    reference = erased.case_a.reference
    for method, path in [
        ("get", f"/cases/{reference}/"),
        ("get", f"/cases/{reference}/edit/"),
        ("post", f"/cases/{reference}/custody/"),
        ("get", f"/cases/{reference}/erase/"),
        ("post", f"/cases/{reference}/teams/"),
    ]:
        response = getattr(client, method)(path)
        assert response.status_code == 410, path
        assert "This person's data has been erased." in response.content.decode(), path
    for method, path in [
        ("get", f"/api/v1/cases/{reference}/"),
        ("patch", f"/api/v1/cases/{reference}/"),
        ("post", f"/api/v1/cases/{reference}/custody/"),
        ("post", f"/api/v1/cases/{reference}/teams/"),
    ]:
        response = getattr(client, method)(path, {}, content_type="application/json")
        assert response.status_code == 410, path
        assert response["Content-Type"] == "application/problem+json"
        assert response.json()["title"] == "Gone"


@pytest.mark.django_db
def test_an_erased_case_leaves_lists_search_and_the_caseload(erased: World) -> None:
    client = verified_client(erased.user("supervisor_a"))
    reference = erased.case_a.reference
    for path in ("/cases/", "/cases/?q=Ri", f"/cases/?q={reference}", "/"):
        assert f"/cases/{reference}/" not in client.get(path).content.decode()
    assert client.get("/api/v1/cases/", {"q": "Chol"}).json()["count"] == 0
    assert client.get("/api/v1/cases/").json()["count"] == 0


@pytest.mark.django_db
def test_someone_without_access_still_gets_404_not_410(erased: World) -> None:
    client = verified_client(erased.user("caseworker_b"))
    assert client.get(f"/cases/{erased.case_a.reference}/").status_code == 404
    assert client.get(f"/api/v1/cases/{erased.case_a.reference}/").status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["caseworker_a", "detaining_a", "protection", "supervisor_b", "admin_a"])
def test_only_a_supervisor_of_the_owning_organisation_may_erase(world: World, role: str) -> None:
    with pytest.raises(NotPermitted):
        person_erase(actor=world.user(role), case=world.case_a, reason=REASON)
    assert DataKey.objects.filter(pk=world.case_a.person.data_key_id).exists()


@pytest.mark.django_db
def test_an_erasure_needs_a_reason_and_happens_once(world: World) -> None:
    with pytest.raises(ValidationError) as caught:
        person_erase(actor=world.user("supervisor_a"), case=world.case_a, reason="short")
    assert "reason" in caught.value.message_dict
    person_erase(actor=world.user("supervisor_a"), case=world.case_a, reason=REASON)
    with pytest.raises(ValidationError):
        person_erase(actor=world.user("supervisor_a"), case=world.case_a, reason=REASON)


@pytest.mark.django_db
def test_a_failed_erasure_is_cancelled_on_the_erasure_list(world: World, monkeypatch) -> None:
    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(Erasure.objects, "create", broken)
    with pytest.raises(RuntimeError):
        person_erase(actor=world.user("supervisor_a"), case=world.case_a, reason=REASON)
    assert erasure_list.entries() == []


@pytest.mark.django_db
def test_the_page_asks_for_the_reference_before_erasing(world: World) -> None:
    client = verified_client(world.user("supervisor_a"))
    url = f"/cases/{world.case_a.reference}/erase/"
    assert "This cannot be undone." in client.get(url).content.decode()
    wrong = client.post(url, {"confirm_reference": "PSG-0000-0000", "reason": REASON})
    assert wrong.status_code == 400
    assert "This is not the reference of this case." in wrong.content.decode()
    assert not Person.objects.get(pk=world.case_a.person_id).is_erased
    done = client.post(url, {"confirm_reference": world.case_a.reference.lower(), "reason": REASON})
    assert done.status_code == 302
    assert Person.objects.get(pk=world.case_a.person_id).is_erased


@pytest.mark.django_db
def test_the_command_erases_and_reports_bad_input(world: World, capsys) -> None:
    with pytest.raises(CommandError, match="no case"):
        call_command("person", "erase", "PSG-0000-0000", reason=REASON, as_user="supervisor@a.test")
    with pytest.raises(CommandError, match="may not erase"):
        call_command("person", "erase", world.case_a.reference, reason=REASON, as_user="caseworker@a.test")
    with pytest.raises(CommandError, match="reason"):
        call_command("person", "erase", world.case_a.reference, reason="x", as_user="supervisor@a.test")
    call_command("person", "erase", world.case_a.reference, reason=REASON, as_user="supervisor@a.test")
    assert "Erased the person of case" in capsys.readouterr().out


def _snapshot(world: World) -> dict[str, object]:
    """What yesterday's backup holds of person A: the rows the erasure removes or blanks."""
    person = world.case_a.person
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT family_name, given_name, family_name_hangul, given_name_hangul, date_of_birth, "
            "place_of_origin, unit, rank, notes FROM registry_person WHERE id = %s",
            [person.pk],
        )
        columns = cursor.fetchone()
    data_key = DataKey.objects.get(pk=person.data_key_id)
    return {
        "columns": columns,
        "data_key": (data_key.pk, data_key.kek_version, bytes(data_key.wrapped)),
        "indexes": list(BlindIndex.objects.filter(data_key=data_key).values_list("table", "name", "value")),
    }


def _restore(world: World, snapshot: dict[str, object]) -> None:
    person_id = world.case_a.person_id
    pk, version, wrapped = snapshot["data_key"]
    DataKey.objects.create(pk=pk, kek_version=version, wrapped=wrapped)
    BlindIndex.objects.bulk_create(
        [BlindIndex(data_key_id=pk, table=t, name=n, value=v) for t, n, v in snapshot["indexes"]]  # type: ignore[attr-defined]
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE registry_person SET family_name=%s, given_name=%s, family_name_hangul=%s, "
            "given_name_hangul=%s, date_of_birth=%s, place_of_origin=%s, unit=%s, rank=%s, notes=%s, "
            "erased_at=NULL, data_key_id=%s WHERE id = %s",
            [*snapshot["columns"], pk, person_id],
        )
    Erasure.objects.all().delete()  # the backup predates the tombstone


@pytest.mark.django_db
def test_a_restored_backup_is_shredded_again_from_the_erasure_list(world: World, capsys) -> None:
    snapshot = _snapshot(world)
    person_erase(actor=world.user("supervisor_a"), case=world.case_a, reason=REASON)
    _restore(world, snapshot)
    resurrected = Person.objects.select_related("data_key").get(pk=world.case_a.person_id)
    assert resurrected.family_name == "Ri"  # the restore brought the person back
    call_command("person", "reapply-erasures")
    assert f"Re-applied 1 erasure(s). {world.case_a.reference}" in capsys.readouterr().out
    person = Person.objects.get(pk=world.case_a.person_id)
    assert person.is_erased
    assert not DataKey.objects.filter(pk=snapshot["data_key"][0]).exists()  # type: ignore[index]
    assert not BlindIndex.objects.filter(data_key_id=snapshot["data_key"][0]).exists()  # type: ignore[index]
    assert Erasure.objects.filter(reference=world.case_a.reference).exists()
    assert AuditEvent.objects.filter(action="person.erase_reapplied").count() == 1
    call_command("person", "reapply-erasures")
    assert "Re-applied 0 erasure(s)." in capsys.readouterr().out
