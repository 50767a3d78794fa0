"""Ciphertexts cannot be moved: between persons, between fields, or read with a wrong key.

A value that fails to authenticate shows as "[unreadable]", raises an alert in the log and
writes a security audit event; it never crashes the page and is never overwritten by a save.
"""

from __future__ import annotations

import logging

import pytest
from django.db import connection

from audit.models import AuditEvent
from conftest import World, verified_client
from registry.models import Alias, Person
from vault import runtime
from vault.fields import Unreadable


def raw(table: str, column: str, row_id: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table} WHERE id = %s", [row_id])
        return str(cursor.fetchone()[0])


def write_raw(table: str, column: str, row_id: int, value: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET {column} = %s WHERE id = %s", [value, row_id])


@pytest.mark.django_db
def test_a_ciphertext_copied_to_another_person_does_not_decrypt(world: World, caplog) -> None:
    a, b = world.case_a.person, world.case_b.person
    write_raw("registry_person", "family_name", b.pk, raw("registry_person", "family_name", a.pk))
    with caplog.at_level(logging.ERROR, logger="passage.security"):
        value = Person.objects.get(pk=b.pk).family_name
    assert isinstance(value, Unreadable)
    assert str(value) == "[unreadable]"
    assert "did not authenticate" in caplog.text
    assert "Ri" not in caplog.text
    event = AuditEvent.objects.get(action="vault.decrypt_failed")
    assert (event.kind, event.object_type, event.object_id, event.changed_fields) == (
        "security",
        "registry_person",
        str(b.pk),
        ["family_name"],
    )


@pytest.mark.django_db
def test_a_ciphertext_moved_to_another_field_of_the_same_person_does_not_decrypt(world: World) -> None:
    person = world.case_a.person
    write_raw("registry_person", "place_of_origin", person.pk, raw("registry_person", "unit", person.pk))
    reloaded = Person.objects.get(pk=person.pk)
    assert isinstance(reloaded.place_of_origin, Unreadable)
    assert reloaded.unit == "Unit 40001"


@pytest.mark.django_db
def test_an_alias_moved_to_another_person_does_not_decrypt(world: World) -> None:
    alias = Alias.objects.get(person=world.case_a.person)
    Alias.objects.filter(pk=alias.pk).update(person=world.case_b.person)
    assert isinstance(Alias.objects.get(pk=alias.pk).name, Unreadable)


@pytest.mark.django_db
def test_a_wrapped_data_key_swapped_between_persons_does_not_unwrap(world: World) -> None:
    from vault.models import DataKey

    a_key = DataKey.objects.get(pk=world.case_a.person.data_key_id)
    DataKey.objects.filter(pk=world.case_b.person.data_key_id).update(wrapped=bytes(a_key.wrapped))
    value = Person.objects.select_related("data_key").get(pk=world.case_b.person.pk).family_name
    assert isinstance(value, Unreadable)
    assert AuditEvent.objects.filter(action="vault.decrypt_failed").count() == 1


@pytest.mark.django_db
def test_the_page_shows_unreadable_instead_of_crashing_and_a_save_keeps_the_original(world: World) -> None:
    person = world.case_a.person
    stolen = raw("registry_person", "family_name", world.case_b.person.pk)
    write_raw("registry_person", "unit", person.pk, stolen)
    client = verified_client(world.user("caseworker_a"))
    response = client.get(f"/cases/{world.case_a.reference}/")
    assert response.status_code == 200
    assert "[unreadable]" in response.content.decode()
    reloaded = Person.objects.get(pk=person.pk)
    reloaded.rank = "Lieutenant"
    reloaded.save()
    assert raw("registry_person", "unit", person.pk) == stolen


@pytest.mark.django_db
def test_a_list_page_unwraps_each_data_key_once(world: World) -> None:
    from registry.services import case_create

    for index in range(5):
        case_create(
            actor=world.user("caseworker_a"),
            organisation=world.org_a,
            person={"family_name": "Han", "given_name": f"Il {index}"},
        )
    client = verified_client(world.user("caseworker_a"))
    before = runtime.Counters.unwraps
    assert client.get("/cases/").status_code == 200
    assert runtime.Counters.unwraps - before == 6  # six persons on the page, six keys
    before = runtime.Counters.unwraps
    assert client.get(f"/cases/{world.case_a.reference}/").status_code == 200
    assert runtime.Counters.unwraps - before == 1  # names, aliases and custody share one key
