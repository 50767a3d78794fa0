"""Consent services and selectors: recording, the three ways a consent stops holding (revocation,
expiry, a change of stage), who may record, and what the audit keeps."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from accounts.policy import may_record_consent
from audit.models import AuditEvent
from conftest import World
from consent import selectors, services
from consent.models import Consent, Purpose
from passage.errors import NotPermitted
from protection.scenarios import walk_to
from protection.stages import Stage
from protection.tests.test_lifecycle_walk import cast_of
from registry.models import Case

TODAY = timezone.localdate


def record(world: World, case: Case | None = None, *, who: str = "protection", **values: object) -> Consent:
    fields: dict[str, object] = {
        "purpose": Purpose.TRACING,
        "scope": "Names and place of origin, for the tracing service only.",
        "taken_by": "Officer of the committee",
        "given_on": TODAY(),
        "language": "Korean (northern)",
        "interpreter": "Committee interpreter",
    }
    fields.update(values)
    return services.consent_record(actor=world.user(who), case=case or world.case_a, **fields)  # type: ignore[arg-type]


@pytest.mark.django_db
def test_a_recorded_consent_is_live_for_its_own_purpose_only(world: World) -> None:
    consent = record(world)
    person = world.case_a.person
    assert consent.is_live and consent.state == "live"
    assert consent.lifecycle_stage_at_consent == world.case_a.stage
    assert selectors.has_live_consent(person, Purpose.TRACING)
    assert not selectors.has_live_consent(person, Purpose.IMAGE)
    assert list(selectors.persons_with_live_consent(Purpose.TRACING)) == [person]
    assert list(selectors.persons_with_live_consent(Purpose.RESEARCH)) == []


@pytest.mark.django_db
def test_a_consent_lapses_when_the_case_changes_stage(world: World) -> None:
    record(world)
    case = walk_to(world.case_a, Stage.REGISTERED, cast_of(world), start=TODAY() - dt.timedelta(days=3))
    consent = Consent.objects.select_related("case").get(case=case)
    assert consent.state == "lapsed" and not consent.is_live
    assert not selectors.has_live_consent(case.person, Purpose.TRACING)
    assert not selectors.persons_with_live_consent(Purpose.TRACING).exists()
    record(world, case)  # confirmed again at the new stage
    assert selectors.has_live_consent(case.person, Purpose.TRACING)


@pytest.mark.django_db
def test_a_consent_holds_through_its_expiry_date_and_not_after(world: World) -> None:
    today = TODAY()
    record(world, given_on=today - dt.timedelta(days=10), expires_on=today)
    person = world.case_a.person
    assert selectors.has_live_consent(person, Purpose.TRACING, today=today)
    assert not selectors.has_live_consent(person, Purpose.TRACING, today=today + dt.timedelta(days=1))
    assert not selectors.persons_with_live_consent(Purpose.TRACING, today=today + dt.timedelta(days=1)).exists()
    assert Consent.objects.get().is_expired(today + dt.timedelta(days=1))


@pytest.mark.django_db
def test_revocation_takes_effect_at_once_and_is_audited(world: World) -> None:
    consent = record(world)
    revoked = services.consent_revoke(
        actor=world.user("caseworker_a"), case=world.case_a, consent=consent, revocation_channel="in_person"
    )
    assert revoked.revoked_at is not None and revoked.revocation_channel == "in_person"
    assert revoked.revoked_by == world.user("caseworker_a")
    assert not selectors.has_live_consent(world.case_a.person, Purpose.TRACING)
    event = AuditEvent.objects.get(action="consent.revoke")
    assert (event.case_reference, event.purpose, event.object_id) == (
        world.case_a.reference,
        "tracing",
        str(consent.pk),
    )
    with pytest.raises(ValidationError):
        services.consent_revoke(
            actor=world.user("caseworker_a"), case=world.case_a, consent=consent, revocation_channel="letter"
        )


@pytest.mark.django_db
def test_the_audit_names_the_purpose_and_fields_never_the_content(world: World) -> None:
    record(world, recipient="Zorblinsky tracing desk", notes="Qwelmorax note")
    event = AuditEvent.objects.get(action="consent.record")
    assert event.purpose == "tracing" and "recipient" in event.changed_fields and "notes" in event.changed_fields
    assert "Zorblinsky" not in event.payload and "Qwelmorax" not in event.payload
    assert "Zorblinsky" not in str(Consent.objects.get())


@pytest.mark.django_db
def test_protected_text_is_stored_encrypted(world: World) -> None:
    record(world, recipient="Zorblinsky tracing desk")
    stored = Consent.objects.values_list("recipient", "scope", "taken_by").get()
    assert all("Zorblinsky" not in value and "tracing service" not in value for value in stored)
    assert Consent.objects.select_related("person__data_key").get().recipient == "Zorblinsky tracing desk"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("who", "allowed"),
    [
        ("caseworker_a", True),
        ("protection", True),
        ("supervisor_a", False),
        ("detaining_a", False),
        ("media_a", False),
        ("caseworker_a_other_team", False),
        ("caseworker_b", False),
        ("receiving", False),
    ],
)
def test_only_caseworkers_and_protection_officers_working_on_the_case_may_record(
    world: World, who: str, allowed: bool
) -> None:
    assert may_record_consent(world.user(who), world.case_a) is allowed
    if allowed:
        assert record(world, who=who).pk
    else:
        with pytest.raises((services.ConsentRoleRefused, NotPermitted)):
            record(world, who=who)
    assert Consent.objects.count() == (1 if allowed else 0)


@pytest.mark.django_db
def test_a_case_the_actor_cannot_see_is_not_found(world: World) -> None:
    with pytest.raises(NotPermitted):
        record(world, who="caseworker_b")
    with pytest.raises(services.ConsentRoleRefused):
        record(world, who="supervisor_a")  # sees the case, may not record


@pytest.mark.django_db
def test_bad_input_names_the_field(world: World) -> None:
    with pytest.raises(ValidationError) as refused:
        record(world, given_on=TODAY(), expires_on=TODAY() - dt.timedelta(days=1))
    assert "expires_on" in refused.value.message_dict or "__all__" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        record(world, purpose="selling")
    assert "purpose" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        record(world, given_on=TODAY() + dt.timedelta(days=2))
    assert "given_on" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        record(world, scope="")
    assert "scope" in refused.value.message_dict
    assert not Consent.objects.exists()


@pytest.mark.django_db
def test_persons_with_live_consent_is_one_query(world: World, django_assert_num_queries) -> None:
    record(world)
    record(world, world.case_b, who="caseworker_b")
    with django_assert_num_queries(1):
        persons = list(selectors.persons_with_live_consent(Purpose.TRACING))
    assert {p.pk for p in persons} == {world.case_a.person_id, world.case_b.person_id}
