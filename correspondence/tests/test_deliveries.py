"""Deliveries, both routes. To the family or the person through a neutral agency: recorded with the
version sent after the disclosure check, whose findings come back as a warning. To the press or an
authority: through a release, which the delivery follows (status, date, the text as released).

The disclosure engine is another helper's work in progress; these tests fix what it finds
(`fake_engine`: the person's name and hometown), except the last, which runs the real one."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from audit.models import AuditEvent
from conftest import World
from consent.models import Release
from consent.services import consent_record
from consent.services import releases as release_services
from correspondence import selectors, services
from correspondence.models import Correspondence, Delivery
from correspondence.tests.helpers import record

pytestmark = pytest.mark.usefixtures("fake_engine")
TEXT = "Mother, this is Ri Chol Su. I am safe. Greetings to everyone in Hamhung."


def letter(world: World) -> Correspondence:
    return record(world, content=TEXT, status="sent", sent_on=dt.date(2025, 3, 1))


def deliver(world: World, item: Correspondence, who: str = "caseworker_a", **values):
    arguments = {"delivery_channel": "family_via_agency", "version": "original", "recipient": "His mother", **values}
    return services.delivery_record(actor=world.user(who), case=world.case_a, item=item, **arguments)


@pytest.mark.django_db
def test_to_the_family_the_original_is_recorded_with_the_checks_findings(world: World) -> None:
    item = letter(world)
    recorded = deliver(world, item, sent_on=dt.date(2025, 3, 2))
    assert recorded.check is not None and not recorded.check.is_clean
    assert [shown.text for shown in recorded.check.findings] == ["Ri Chol Su", "Hamhung"]
    delivery = selectors.delivery_get(item, recorded.delivery.pk)
    assert (delivery.current_status, delivery.current_sent_on, delivery.current_text) == (
        "sent",
        dt.date(2025, 3, 2),
        TEXT,
    )
    entry = AuditEvent.objects.get(action="correspondence.delivery_record")
    assert "text_sent" in entry.changed_fields and "Hamhung" not in entry.payload
    assert "2 findings, 2 blocking" in entry.purpose
    assert AuditEvent.objects.filter(action="disclosure.check").count() == 1


@pytest.mark.django_db
def test_to_the_family_the_redacted_version_is_what_is_sent(world: World) -> None:
    item = letter(world)
    delivery = deliver(world, item, version="redacted").delivery
    assert delivery.status == "pending" and delivery.sent_on is None
    sent = selectors.delivery_get(item, delivery.pk).current_text
    assert "Ri Chol Su" not in sent and "Hamhung" not in sent and "I am safe." in sent
    assert "[NAME]" in sent


@pytest.mark.django_db
def test_a_translation_is_sent_as_recorded(world: World) -> None:
    item = letter(world)
    translation = services.translation_add(
        actor=world.user("caseworker_a"), case=world.case_a, item=item, language="ko", text="어머니, 저는 안전합니다."
    )
    delivery = deliver(world, item, version="translation", translation=translation).delivery
    assert selectors.delivery_get(item, delivery.pk).current_text == "어머니, 저는 안전합니다."
    with pytest.raises(ValidationError) as refused:
        deliver(world, item, version="translation")
    assert "translation" in refused.value.message_dict


@pytest.mark.django_db
def test_the_family_receives_what_the_person_wrote_and_the_person_what_was_written_to_them(world: World) -> None:
    incoming = record(world, direction="in", status="received", received_on=dt.date(2025, 1, 5), content=TEXT)
    with pytest.raises(ValidationError) as refused:
        deliver(world, incoming)
    assert "channel" in refused.value.message_dict
    delivery = deliver(world, incoming, delivery_channel="person_via_agency", recipient="The person").delivery
    assert delivery.channel == "person_via_agency"
    with pytest.raises(ValidationError) as refused:
        deliver(world, record(world, content=""))
    assert "version" in refused.value.message_dict


@pytest.mark.django_db
def test_a_pending_direct_delivery_is_marked_sent_or_cancelled_once(world: World) -> None:
    item = letter(world)
    delivery = deliver(world, item).delivery
    services.delivery_mark(
        actor=world.user("caseworker_a"),
        case=world.case_a,
        item=item,
        delivery=delivery,
        status="sent",
        sent_on=dt.date(2025, 3, 4),
    )
    assert Delivery.objects.get(pk=delivery.pk).sent_on == dt.date(2025, 3, 4)
    with pytest.raises(ValidationError):
        services.delivery_mark(
            actor=world.user("caseworker_a"), case=world.case_a, item=item, delivery=delivery, status="cancelled"
        )


@pytest.mark.django_db
def test_to_the_press_a_release_is_prepared_and_the_delivery_follows_it_to_the_redacted_text(world: World) -> None:
    item = letter(world)
    recorded = deliver(world, item, delivery_channel="press", recipient="Daily Example, foreign desk")
    assert recorded.check is None
    release = Release.objects.select_related("data_key").get()
    assert (release.kind, release.purpose, release.status) == ("letter_forwarded", "publication_of_letter", "draft")
    assert release.text == TEXT and release.organisation == world.org_a
    assert list(release_services.release_cases(release)) == [world.case_a]
    delivery = selectors.delivery_get(item, recorded.delivery.pk)
    assert (delivery.release_id, delivery.current_status, delivery.current_text) == (release.pk, "pending", "")

    # The release's own steps: redaction (his name too), consent, review, release (the lead's consent app).
    release = release_services.release_redact(actor=world.user("caseworker_a"), release=release)
    consent_record(
        actor=world.user("protection"),
        case=world.case_a,
        purpose="publication_of_letter",
        scope="The letter to his mother, without his name.",
        taken_by="Committee officer",
        given_on=timezone.localdate(),
    )
    release = release_services.release_submit(actor=world.user("caseworker_a"), release=release)
    release = release_services.release_review(actor=world.user("supervisor_a"), release=release, approve=True)
    release_services.release_mark_released(actor=world.user("caseworker_a"), release=release)

    delivery = selectors.delivery_get(item, delivery.pk)
    assert delivery.current_status == "sent" and delivery.current_sent_on == timezone.localdate()
    assert delivery.current_version == "redacted"
    assert "Ri Chol Su" not in delivery.current_text and "I am safe." in delivery.current_text
    assert delivery.current_text == Release.objects.select_related("data_key").get().text


@pytest.mark.django_db
def test_a_cancelled_release_cancels_its_delivery(world: World) -> None:
    item = letter(world)
    delivery = deliver(world, item, delivery_channel="press", recipient="An outlet").delivery
    release_services.release_cancel(actor=world.user("caseworker_a"), release=delivery.release)
    assert selectors.delivery_get(item, delivery.pk).current_status == "cancelled"


@pytest.mark.django_db
def test_to_an_authority_the_release_shares_with_the_state_or_organisation_named(world: World) -> None:
    item = letter(world)
    deliver(world, item, delivery_channel="authority", recipient="Ministry of Unification", recipient_state="kr")
    by_state = Release.objects.get()
    assert (by_state.purpose, by_state.recipient_state) == ("sharing_with_state", "KR")
    deliver(
        world,
        item,
        delivery_channel="authority",
        recipient="Delta liaison",
        recipient_organisation=world.receiving_state,
    )
    by_organisation = Release.objects.exclude(pk=by_state.pk).get()
    assert (by_organisation.purpose, by_organisation.recipient_organisation) == (
        "sharing_with_organisation",
        world.receiving_state,
    )
    with pytest.raises(ValidationError) as refused:
        deliver(world, item, delivery_channel="authority", recipient="Someone")
    assert "recipient_organisation" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        deliver(world, item, delivery_channel="press", recipient="An outlet", version="redacted")
    assert "version" in refused.value.message_dict
    assert Release.objects.count() == 2


@pytest.mark.django_db
def test_a_protection_officer_prepares_the_release_in_their_own_organisation(world: World) -> None:
    item = letter(world)
    deliver(world, item, who="protection", delivery_channel="press", recipient="An outlet")
    assert Release.objects.get().organisation == world.protection_body


@pytest.mark.django_db
def test_the_detaining_power_may_not_send_mail_to_the_press(world: World) -> None:
    item = letter(world)
    with pytest.raises(services.CorrespondenceRoleRefused):
        deliver(world, item, who="detaining_a", delivery_channel="press", recipient="An outlet")
    assert not Release.objects.exists() and not Delivery.objects.exists()
    assert deliver(world, item, who="detaining_a").delivery.channel == "family_via_agency"


@pytest.mark.django_db
def test_the_real_engine_finds_the_writers_name_in_a_letter_home(world: World, monkeypatch) -> None:
    pytest.importorskip("consent.disclosure.engine")
    monkeypatch.undo()  # the real engine, not the stand-in
    item = record(
        world, content="Dear mother, this is Ri Chol Su. I am well.", status="sent", sent_on=dt.date(2025, 3, 1)
    )
    recorded = deliver(world, item)
    assert recorded.check is not None and not recorded.check.is_clean
    assert any(shown.text.startswith("Ri Chol Su") for shown in recorded.check.blocking)
