"""Family members: recorded and changed by those working on the case, audited; the location is
restricted to those who may read interview content and is never exported by the API."""

from __future__ import annotations

import json

import pytest
from django.core.management import call_command

from accounts.policy import may_read_family_location
from audit.models import AuditEvent
from conftest import World, verified_client
from tracing import serializers as tracing_serializers
from tracing import services
from tracing.models import NEVER_EXPORTED, FamilyMember

LOCATION = "Kwanmo-ri Zeltrovask lane 9"
VALUES = {
    "relation": "mother",
    "name": "Mother Brelvoquin",
    "is_alive": "yes",
    "is_next_of_kin": True,
    "reprisal_risk": "high",
    "contact_allowed": False,
    "notes": "Asked not to be written to directly.",
}


def add(world: World, who: str = "protection", **extra: object) -> FamilyMember:
    return services.family_member_add(actor=world.user(who), case=world.case_a, values={**VALUES, **extra})


@pytest.mark.django_db
def test_a_family_member_is_added_encrypted_and_audited(world: World) -> None:
    member = add(world, location=LOCATION)
    stored = FamilyMember.objects.values_list("name", "location", "notes").get()
    assert all("Brelvoquin" not in value and "Zeltrovask" not in value for value in stored)
    event = AuditEvent.objects.get(action="family_member.add")
    assert event.case_reference == world.case_a.reference and "location" in event.changed_fields
    assert "Brelvoquin" not in event.payload and "Brelvoquin" not in str(member)


@pytest.mark.django_db
def test_an_edit_changes_only_what_was_sent_and_names_it_in_the_audit(world: World) -> None:
    member = add(world, location=LOCATION)
    services.family_member_update(
        actor=world.user("caseworker_a"), case=world.case_a, member=member, values={"is_alive": "unknown"}
    )
    member = FamilyMember.objects.select_related("person__data_key").get()
    assert (member.is_alive, member.location) == ("unknown", LOCATION)
    assert AuditEvent.objects.get(action="family_member.update").changed_fields == ["is_alive"]


@pytest.mark.django_db
def test_only_those_who_may_read_it_may_set_the_location(world: World) -> None:
    assert may_read_family_location(world.user("protection"), world.case_a)
    assert may_read_family_location(world.user("supervisor_a"), world.case_a) is False  # a detaining power
    assert not may_read_family_location(world.user("caseworker_a"), world.case_a)
    with pytest.raises(services.TracingRoleRefused):
        add(world, who="caseworker_a", location=LOCATION)
    assert add(world, who="caseworker_a").location == ""


@pytest.mark.django_db
def test_the_location_is_shown_only_to_those_who_may_read_it(world: World) -> None:
    add(world, location=LOCATION)
    url = f"/cases/{world.case_a.reference}/family/"
    assert LOCATION in verified_client(world.user("protection")).get(url).content.decode()
    for who in ("caseworker_a", "detaining_a", "supervisor_a"):
        html = verified_client(world.user(who)).get(url).content.decode()
        assert "Brelvoquin" in html and LOCATION not in html, who


@pytest.mark.django_db
def test_the_location_is_never_exported_by_the_api(world: World) -> None:
    member = add(world, location=LOCATION)
    api = verified_client(world.user("protection"))
    listed = api.get(f"/api/v1/cases/{world.case_a.reference}/family-members/")
    assert listed.status_code == 200
    assert listed.json()[0]["name"] == "Mother Brelvoquin"
    assert "location" not in listed.json()[0] and "Zeltrovask" not in listed.content.decode()
    patched = api.patch(
        f"/api/v1/cases/{world.case_a.reference}/family-members/{member.pk}/",
        {"location": "Somewhere else", "reprisal_risk": "possible"},
        content_type="application/json",
    )
    assert patched.status_code == 200 and "location" not in patched.json()
    assert FamilyMember.objects.select_related("person__data_key").get().location == LOCATION  # not writable either


def test_no_serializer_of_the_tracing_api_names_a_never_exported_field() -> None:
    from rest_framework import serializers

    for value in vars(tracing_serializers).values():
        if isinstance(value, type) and issubclass(value, serializers.BaseSerializer):
            fields = set(value().fields) if issubclass(value, serializers.Serializer) else set()
            assert not fields & set(NEVER_EXPORTED), value.__name__


@pytest.mark.django_db
def test_the_openapi_schema_of_family_members_has_no_location(tmp_path) -> None:
    schema = tmp_path / "schema.json"
    call_command("spectacular", "--format", "openapi-json", "--file", str(schema))
    components = json.loads(schema.read_text())["components"]["schemas"]
    family = {name: spec for name, spec in components.items() if name.startswith("FamilyMember")}
    assert family
    for name, spec in family.items():
        assert "location" not in spec.get("properties", {}), name


@pytest.mark.django_db
def test_family_api_answers_by_role(world: World) -> None:
    url = f"/api/v1/cases/{world.case_a.reference}/family-members/"
    body = {"relation": "father", "name": "Father Quembolt"}
    assert (
        verified_client(world.user("caseworker_a")).post(url, body, content_type="application/json").status_code == 201
    )
    assert (
        verified_client(world.user("detaining_a")).post(url, body, content_type="application/json").status_code == 403
    )
    assert verified_client(world.user("caseworker_b")).get(url).status_code == 404
    bad = verified_client(world.user("caseworker_a")).post(url, {"relation": "cousin"}, content_type="application/json")
    assert bad.status_code == 400 and {e["field"] for e in bad.json()["errors"]} == {"relation", "name"}


@pytest.mark.django_db
def test_family_pages_add_and_edit(world: World) -> None:
    page = verified_client(world.user("protection"))
    base = f"/cases/{world.case_a.reference}/family/"
    created = page.post(f"{base}new/", {**VALUES, "is_next_of_kin": "on", "location": LOCATION})
    assert created.status_code == 302, created.content.decode()
    member = FamilyMember.objects.get()
    form = page.get(f"{base}{member.pk}/edit/")
    assert form.status_code == 200 and LOCATION in form.content.decode()
    edited = page.post(f"{base}{member.pk}/edit/", {**VALUES, "name": "Mother Brelvoquina", "location": LOCATION})
    assert edited.status_code == 302
    assert FamilyMember.objects.select_related("person__data_key").get().name == "Mother Brelvoquina"
    caseworker = verified_client(world.user("caseworker_a"))
    edit_page = caseworker.get(f"{base}{member.pk}/edit/").content.decode()
    assert 'name="location"' not in edit_page and LOCATION not in edit_page
    assert caseworker.post(f"{base}{member.pk}/edit/", {**VALUES}).status_code == 302
    assert FamilyMember.objects.select_related("person__data_key").get().location == LOCATION  # untouched
    assert verified_client(world.user("detaining_a")).get(f"{base}new/").status_code == 403
    assert verified_client(world.user("caseworker_b")).get(f"{base}new/").status_code == 404
