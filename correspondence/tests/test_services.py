"""The correspondence services: recording, the mail-request decision with the Art. 71 guard (at 1 and 2
letters, 3 and 4 cards, capture cards excluded, month boundaries in frozen time), capture cards and the
alert they close (Art. 70), censorship once only (Art. 76), translations, the policy under the lock and
one audit entry per write naming fields, never values."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone

from audit.models import AuditEvent
from conftest import World
from correspondence import selectors, services
from correspondence.models import Correspondence
from correspondence.tests.helpers import LETTER_TEXT, record
from passage.errors import ConditionsUnmet, NotPermitted
from protection.alerts import alerts_run
from protection.models import Alert, CaseEvent
from registry.services import custody_add

START = dt.date(2027, 3, 4)


def at(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(12, 0), tzinfo=dt.UTC)


@pytest.fixture
def traveller() -> Iterator[time_machine.Traveller]:
    with time_machine.travel(at(START), tick=False) as frozen:
        yield frozen


def requests(world: World, kind: str, count: int) -> list[Correspondence]:
    return [record(world, kind=kind) for _ in range(count)]


def approve(world: World, item: Correspondence, who: str = "detaining_a") -> Correspondence:
    return services.mail_request_approve(actor=world.user(who), case=world.case_a, item=item)


def refuse(world: World, item: Correspondence, who: str = "detaining_a") -> Correspondence:
    return services.mail_request_refuse(
        actor=world.user(who), case=world.case_a, item=item, reason="Mail is suspended this week."
    )


# --- Recording --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_an_item_is_recorded_encrypted_and_audited_by_field_names_only(world: World) -> None:
    item = record(world)
    assert (item.status, item.direction, item.person_id) == ("requested", "out", world.case_a.person_id)
    stored = Correspondence.objects.select_related("person__data_key").get(pk=item.pk)
    assert stored.content == LETTER_TEXT
    entry = AuditEvent.objects.get(action="correspondence.record")
    assert entry.case_reference == world.case_a.reference
    assert {"content", "recipient", "sender", "kind"} <= set(entry.changed_fields)
    assert "mother" not in entry.payload and LETTER_TEXT not in entry.payload


@pytest.mark.django_db
def test_incoming_mail_is_received_on_a_date(world: World, traveller) -> None:
    item = record(world, direction="in", status="received", received_on=START, sender="A defector group")
    assert item.status == "received"
    with pytest.raises(ValidationError) as refused:
        record(world, direction="in", status="received")
    assert "Incoming mail is received" in str(refused.value)
    with pytest.raises(ValidationError) as refused:
        record(world, direction="in", status="requested")
    assert "status" in refused.value.message_dict


@pytest.mark.django_db
def test_unknown_fields_and_choices_are_refused_naming_the_field(world: World) -> None:
    with pytest.raises(ValidationError) as refused:
        record(world, secret="x")
    assert "secret" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        record(world, kind="pigeon")
    assert "kind" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        record(world, status="sent", sent_on=timezone.localdate() + dt.timedelta(days=3))
    assert "sent_on" in refused.value.message_dict
    assert not Correspondence.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["supervisor_a", "media_a", "receiving"])
def test_those_who_may_not_record_are_refused_under_the_lock(world: World, who: str) -> None:
    with pytest.raises((services.CorrespondenceRoleRefused, NotPermitted)):
        record(world, who=who)


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["caseworker_b", "caseworker_a_other_team"])
def test_those_who_do_not_see_the_case_are_told_it_does_not_exist(world: World, who: str) -> None:
    with pytest.raises(NotPermitted):
        record(world, who=who)


@pytest.mark.django_db
def test_correcting_an_item_audits_the_fields_changed(world: World) -> None:
    item = record(world)
    services.correspondence_update(
        actor=world.user("caseworker_a"), case=world.case_a, item=item, values={"content": "Corrected text."}
    )
    assert Correspondence.objects.select_related("person__data_key").get(pk=item.pk).content == "Corrected text."
    assert AuditEvent.objects.get(action="correspondence.update").changed_fields == ["content"]
    with pytest.raises(ValidationError):
        services.correspondence_update(
            actor=world.user("caseworker_a"), case=world.case_a, item=item, values={"status": "sent"}
        )


# --- The mail request and Art. 71 -------------------------------------------------------------


@pytest.mark.django_db
def test_a_letter_request_cannot_be_refused_at_one_letter_and_can_at_two(world: World, traveller) -> None:
    first, second, third = requests(world, "letter", 3)
    approve(world, first)
    with pytest.raises(services.MailMinimumNotMet) as refused:
        refuse(world, third)
    assert "minimum of 2 letters" in str(refused.value) and refused.value.status == 409
    assert Correspondence.objects.get(pk=third.pk).status == "requested"
    approve(world, second)
    refused_item = refuse(world, third)
    assert refused_item.status == "refused" and refused_item.decided_by == world.user("detaining_a")
    assert Correspondence.objects.select_related("person__data_key").get(pk=third.pk).refusal_reason == (
        "Mail is suspended this week."
    )


@pytest.mark.django_db
def test_a_card_request_cannot_be_refused_at_three_cards_and_can_at_four(world: World, traveller) -> None:
    cards = requests(world, "card", 5)
    for card in cards[:3]:
        approve(world, card)
    with pytest.raises(services.MailMinimumNotMet) as refused:
        refuse(world, cards[4])
    assert "minimum of 4 cards" in str(refused.value)
    approve(world, cards[3])
    assert refuse(world, cards[4]).status == "refused"


@pytest.mark.django_db
def test_letters_do_not_count_for_cards_nor_capture_cards_for_either(world: World, traveller) -> None:
    for letter in requests(world, "letter", 3):
        approve(world, letter)
    for kind in ("capture_card_family", "capture_card_agency"):
        for _ in range(4):
            record(world, who="detaining_a", kind=kind, status="sent", sent_on=START)
    card = record(world, kind="card")
    with pytest.raises(services.MailMinimumNotMet):
        refuse(world, card)
    assert selectors.month_tally(world.case_a, START).cards == 0
    assert selectors.month_tally(world.case_a, START).letters == 3


@pytest.mark.django_db
def test_the_tally_starts_again_each_calendar_month(world: World, traveller) -> None:
    traveller.move_to(at(dt.date(2027, 3, 31)))
    first, second = requests(world, "letter", 2)
    approve(world, first)
    services.correspondence_mark_sent(
        actor=world.user("detaining_a"), case=world.case_a, item=first, sent_on=dt.date(2027, 3, 31)
    )
    approve(world, second)
    assert selectors.month_tally(world.case_a, dt.date(2027, 3, 31)).letters == 2
    late = record(world)
    assert refuse(world, late).status == "refused"  # two letters in March
    traveller.move_to(at(dt.date(2027, 4, 1)))
    april = record(world)
    assert selectors.month_tally(world.case_a, dt.date(2027, 4, 1)).letters == 0
    with pytest.raises(services.MailMinimumNotMet):
        refuse(world, april)


@pytest.mark.django_db
def test_telegrams_and_messages_have_no_minimum(world: World) -> None:
    assert refuse(world, record(world, kind="telegram")).status == "refused"


@pytest.mark.django_db
def test_a_refusal_needs_its_reason_and_a_request_is_decided_once(world: World) -> None:
    item = record(world)
    with pytest.raises(ValidationError) as refused:
        services.mail_request_refuse(actor=world.user("detaining_a"), case=world.case_a, item=item, reason=" ")
    assert "reason" in refused.value.message_dict
    approve(world, item)
    with pytest.raises(ConditionsUnmet):
        approve(world, item)
    entry = AuditEvent.objects.get(action="correspondence.approve")
    assert entry.changed_fields == ["decided_by", "decided_on", "status"]


@pytest.mark.django_db
def test_a_supervisor_reads_but_does_not_decide(world: World) -> None:
    item = record(world)
    with pytest.raises(services.CorrespondenceRoleRefused):
        approve(world, item, who="supervisor_a")


# --- Capture cards (Art. 70) ------------------------------------------------------------------


@pytest.mark.django_db
def test_a_capture_card_sent_records_its_event_and_the_alert_closes(world: World, traveller) -> None:
    custody_add(actor=world.user("detaining_a"), case=world.case_a, facility="Camp", kind="camp", from_date=START)
    traveller.move_to(at(START + dt.timedelta(days=8)))
    assert [due.due_on for due in selectors.capture_cards_due(world.case_a, today=START + dt.timedelta(days=8))] == [
        START + dt.timedelta(days=7)
    ]
    alerts_run()
    assert Alert.objects.filter(case=world.case_a, kind="capture_card", resolved_at__isnull=True).count() == 1

    card = record(world, who="detaining_a", kind="capture_card_family", status="approved")
    assert not CaseEvent.objects.filter(kind="capture_card_sent").exists()
    services.correspondence_mark_sent(
        actor=world.user("detaining_a"), case=world.case_a, item=card, sent_on=START + dt.timedelta(days=8)
    )
    event = CaseEvent.objects.get(case=world.case_a, kind="capture_card_sent")
    assert event.occurred_on == START + dt.timedelta(days=8)
    alerts_run()
    assert not Alert.objects.filter(case=world.case_a, kind="capture_card", resolved_at__isnull=True).exists()
    assert selectors.capture_cards_due(world.case_a, today=START + dt.timedelta(days=8)) == []


@pytest.mark.django_db
def test_a_capture_card_recorded_as_sent_records_the_event_at_once(world: World, traveller) -> None:
    record(world, who="caseworker_a", kind="capture_card_agency", status="sent", sent_on=START)
    assert CaseEvent.objects.filter(kind="capture_card_sent", occurred_on=START).count() == 1


@pytest.mark.django_db
def test_declining_the_card_to_the_family_is_an_event_too(world: World, traveller) -> None:
    custody_add(actor=world.user("detaining_a"), case=world.case_a, facility="Camp", kind="camp", from_date=START)
    declined = record(world, who="detaining_a", kind="capture_card_family", family_card_declined=True)
    assert (declined.status, declined.family_card_declined) == ("declined", True)
    assert CaseEvent.objects.filter(kind="capture_card_declined").count() == 1
    assert selectors.capture_cards_due(world.case_a, today=START + dt.timedelta(days=30)) == []
    card = record(world, who="detaining_a", kind="capture_card_family", status="approved")
    services.capture_card_decline(actor=world.user("detaining_a"), case=world.case_a, item=card, declined_on=START)
    assert CaseEvent.objects.filter(kind="capture_card_declined").count() == 2
    with pytest.raises(ValidationError):
        record(world, who="detaining_a", kind="letter", family_card_declined=True)
    agency = record(world, who="detaining_a", kind="capture_card_agency", status="approved")
    with pytest.raises(ConditionsUnmet):
        services.capture_card_decline(
            actor=world.user("detaining_a"), case=world.case_a, item=agency, declined_on=START
        )


@pytest.mark.django_db
def test_a_capture_card_is_never_a_request_nor_refused(world: World) -> None:
    with pytest.raises(ValidationError):
        record(world, kind="capture_card_family", status="requested")
    with pytest.raises(ValidationError):
        record(world, kind="capture_card_agency", direction="in", status="received", received_on=timezone.localdate())


@pytest.mark.django_db
def test_whoever_may_not_record_the_event_may_not_send_the_card(world: World) -> None:
    card = record(world, who="protection", kind="capture_card_family", status="approved")
    with pytest.raises(services.CorrespondenceRoleRefused):
        services.correspondence_mark_sent(
            actor=world.user("protection"), case=world.case_a, item=card, sent_on=timezone.localdate()
        )
    assert Correspondence.objects.get(pk=card.pk).status == "approved"
    assert not CaseEvent.objects.filter(kind="capture_card_sent").exists()


# --- Sending, delivering, censorship (Art. 76), translations ------------------------------------


@pytest.mark.django_db
def test_a_letter_goes_out_then_arrives(world: World) -> None:
    item = approve(world, record(world, written_on=dt.date(2025, 1, 2)))
    with pytest.raises(ValidationError):
        services.correspondence_mark_sent(
            actor=world.user("detaining_a"), case=world.case_a, item=item, sent_on=dt.date(2025, 1, 1)
        )
    services.correspondence_mark_sent(
        actor=world.user("detaining_a"), case=world.case_a, item=item, sent_on=dt.date(2025, 1, 3)
    )
    delivered = services.correspondence_mark_delivered(
        actor=world.user("detaining_a"), case=world.case_a, item=item, delivered_on=dt.date(2025, 1, 9)
    )
    assert (delivered.status, delivered.delivered_on) == ("delivered", dt.date(2025, 1, 9))


@pytest.mark.django_db
def test_mail_is_censored_once_only(world: World) -> None:
    item = record(world)
    censored = services.correspondence_censor(
        actor=world.user("detaining_a"), case=world.case_a, item=item, state="ua", censored_on=dt.date(2025, 2, 1)
    )
    assert (censored.censored_by_state, censored.censored_on) == ("UA", dt.date(2025, 2, 1))
    with pytest.raises(ConditionsUnmet) as refused:
        services.correspondence_censor(
            actor=world.user("detaining_a"), case=world.case_a, item=item, state="KR", censored_on=dt.date(2025, 2, 2)
        )
    assert "once only" in str(refused.value)
    assert Correspondence.objects.get(pk=item.pk).censored_by_state == "UA"
    with pytest.raises(ValidationError):
        services.correspondence_censor(
            actor=world.user("detaining_a"),
            case=world.case_a,
            item=record(world),
            state="Ukraine",
            censored_on=dt.date(2025, 2, 2),
        )


@pytest.mark.django_db
def test_a_translation_is_added_encrypted(world: World) -> None:
    item = record(world)
    translation = services.translation_add(
        actor=world.user("protection"),
        case=world.case_a,
        item=item,
        language="en",
        text="Dear mother, I am well.",
        translator="Interpreter of the committee",
    )
    assert translation.person_id == world.case_a.person_id
    assert next(iter(selectors.item_translations(item))).text == "Dear mother, I am well."
    entry = AuditEvent.objects.get(action="correspondence.translation_add")
    assert entry.changed_fields == ["language", "text", "translator"]
    with pytest.raises(ValidationError):
        services.translation_add(actor=world.user("protection"), case=world.case_a, item=item, language="en", text="")
