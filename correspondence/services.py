"""Writes of correspondence: record and update an item, decide a mail request (GC III Art. 71), mark it
sent, delivered or declined (a capture card's Convention event, Art. 70), record its censorship (Art. 76),
add a translation or an attachment, and record a delivery; and the audited reads of an item and of an
attachment's bytes.

Each write locks the case, checks the policy under the lock, runs in one transaction and leaves one
audit entry naming the fields it wrote, never a value. Attachments are checked from their bytes before
anything is written, and sealed under the person's data key (correspondence.uploads says how they reach
us without touching the disk).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Organisation
from accounts.policy import (
    Action,
    Actor,
    may_act_on_case,
    may_read_correspondence,
    may_record,
    may_record_correspondence,
    release_organisations,
)
from audit.models import AuditEvent
from consent.models import Purpose, Release
from consent.services.disclosure import DisclosureCheck, disclosure_check
from consent.services.releases import release_create
from correspondence import attachment_check, rules, selectors
from correspondence.models import Attachment, Correspondence, Delivery, Translation
from passage.errors import ConditionsUnmet, DomainError, NotPermitted, PersonErased
from protection.guards import Unmet
from protection.selectors import unmet_text
from protection.services import event_record
from registry.models import Case
from registry.services import _audit_case
from vault import crypto, runtime
from vault.fields import report_unreadable

RECORD_FIELDS = (
    "direction",
    "kind",
    "status",
    "sender",
    "recipient",
    "written_on",
    "sent_on",
    "received_on",
    "language",
    "content",
    "route",
    "family_card_declined",
)
UPDATE_FIELDS = ("sender", "recipient", "written_on", "language", "content", "route")
# Which form field an unmet rule is about.
RULE_FIELDS = {
    "direction": "direction",
    "status": "status",
    "decline": "family_card_declined",
    "capture_card": "status",
}


class CorrespondenceRoleRefused(DomainError):
    """The actor sees the case but their role may not do this with its correspondence."""

    status = 403
    title = "Not allowed for your role"


class MailMinimumNotMet(ConditionsUnmet):
    """A letter or card request refused below the Art. 71 monthly minimum."""

    title = "Refusal not allowed (GC III Art. 71)"


class AttachmentUnreadable(DomainError):
    """The stored ciphertext did not authenticate (moved or tampered with); an alert was raised."""

    status = 500
    title = "Attachment unreadable"


@dataclass(frozen=True)
class AttachmentUpload:
    """An uploaded file as it arrived: what the uploader called it, what type the browser claimed, the bytes."""

    filename: str
    declared_type: str
    data: bytes


@dataclass(frozen=True)
class DeliveryRecorded:
    delivery: Delivery
    check: DisclosureCheck | None = None  # the disclosure check of a direct delivery


# --- Reading under a lock ---------------------------------------------------------------------


def _locked_case(actor: Actor, case: Case) -> Case:
    """The case row, locked, after the policy let `actor` reach it and record its correspondence."""
    locked = Case.objects.select_for_update(of=("self",)).select_related("person__data_key").get(pk=case.pk)
    if not may_act_on_case(actor, Action.VIEW, locked):
        raise NotPermitted("No case found.")
    if locked.is_erased:
        raise PersonErased(reference=locked.reference)
    if not may_record_correspondence(actor, locked):
        raise CorrespondenceRoleRefused(_("Your role may not record correspondence on this case."))
    return locked


def _locked_item(actor: Actor, case: Case, item: Correspondence) -> tuple[Case, Correspondence]:
    locked = _locked_case(actor, case)
    row = (
        Correspondence.objects.select_for_update(of=("self",))
        .select_related("person__data_key")
        .filter(pk=item.pk, case=locked)
        .first()
    )
    if row is None:
        raise NotPermitted("No correspondence found.")
    row.case = locked
    return locked, row


def _audit(
    case: Case,
    *,
    actor: Actor,
    action: str,
    object_type: str = "correspondence",
    object_id: int,
    changed: Sequence[str] = (),
    kind: str = AuditEvent.Kind.WRITE,
    purpose: str = "",
    channel: str,
) -> None:
    _audit_case(
        case,
        actor=actor,
        kind=kind,
        action=action,
        object_type=object_type,
        object_id=object_id,
        changed_fields=sorted(changed),
        purpose=purpose,
        channel=channel,
    )


def _known(values: Mapping[str, Any], allowed: Sequence[str]) -> dict[str, Any]:
    unknown = set(values) - set(allowed)
    if unknown:
        raise ValidationError({name: _("Unknown field.") for name in sorted(unknown)})
    return {name: value.strip() if isinstance(value, str) else value for name, value in values.items()}


def _choice(value: Any, choices: type[Any], field: str) -> str:
    if value not in choices.values:
        raise ValidationError({field: _("Choose one of: %(values)s.") % {"values": ", ".join(choices.values)}})
    return str(value)


def _not_in_future(**dates: dt.date | None) -> None:
    today = timezone.localdate()
    late = {name: _("This date is in the future.") for name, day in dates.items() if day is not None and day > today}
    if late:
        raise ValidationError(late)


def _field_errors(problems: Sequence[Unmet]) -> ValidationError:
    errors: dict[str, list[str]] = {}
    for problem in problems:
        errors.setdefault(RULE_FIELDS.get(problem.rule, "__all__"), []).append(unmet_text(problem))
    return ValidationError(errors)


def _refuse_unless_possible(row: Correspondence, step: rules.Step) -> None:
    problems = rules.step_unmet(direction=row.direction, kind=row.kind, status=row.status, step=step)
    if problems:
        raise ConditionsUnmet(subject=f"Correspondence #{row.pk}", step=step.value, unmet=problems)


def _actor_or_none(actor: Actor) -> Any:
    return actor if actor.is_authenticated else None


# --- The capture card's Convention event (Art. 70) ----------------------------------------------


def _check_may_record_event(actor: Actor, case: Case, kind: str, step: rules.Step) -> str | None:
    event_kind = rules.capture_card_event(kind=kind, step=step)
    if event_kind is not None and not may_record(actor, case, "event"):
        raise CorrespondenceRoleRefused(
            _("Your role may not record the capture card's event (GC III Art. 70): the detaining power records it.")
        )
    return event_kind


def _record_event(actor: Actor, case: Case, event_kind: str | None, on: dt.date, channel: str) -> None:
    """The `capture_card_sent` / `capture_card_declined` event, in this transaction: the capture-card
    alert (PROCESS.md (c) 2) reads it and resolves."""
    if event_kind is not None:
        event_record(actor=actor, case=case, values={"kind": event_kind, "occurred_on": on}, channel=channel)


# --- Attachments ------------------------------------------------------------------------------


def attachment_checked(upload: AttachmentUpload) -> attachment_check.Checked:
    """What the file is, from its bytes, or a ValidationError on the `attachment` field."""
    try:
        return attachment_check.checked(
            upload.data, declared_type=upload.declared_type, max_bytes=int(settings.PASSAGE_ATTACHMENT_MAX_BYTES)
        )
    except attachment_check.Rejected as rejected:
        raise ValidationError({"attachment": _(rejected.template).format(**rejected.params)}) from None


def _attachment_create(
    actor: Actor, case: Case, row: Correspondence, upload: AttachmentUpload, checked: attachment_check.Checked
) -> Attachment:
    data_key = case.person.data_key
    if data_key is None:
        raise PersonErased(reference=case.reference)
    attachment = Attachment(
        correspondence=row,
        person=case.person,
        filename=attachment_check.safe_filename(upload.filename),
        content_type=checked.content_type,
        size=checked.size,
        recorded_by=_actor_or_none(actor),
    )
    attachment.content = runtime.seal_bytes(data_key, Attachment._meta.db_table, "content", upload.data)
    attachment.full_clean(exclude=["content"])
    attachment.save()
    return attachment


# --- Items ------------------------------------------------------------------------------------


@transaction.atomic
def correspondence_record(
    *,
    actor: Actor,
    case: Case,
    values: Mapping[str, Any],
    attachments: Sequence[AttachmentUpload] = (),
    channel: str = "web",
) -> Correspondence:
    """Record a letter, card, capture card or message, in or out, with its attachments (all or nothing).
    A capture card recorded as sent, or declined, records its Convention event (Art. 70)."""
    cleaned = _known(values, RECORD_FIELDS)
    checked = [attachment_checked(upload) for upload in attachments]  # before anything is written
    locked = _locked_case(actor, case)
    direction = _choice(cleaned.pop("direction", ""), Correspondence.Direction, "direction")
    kind = _choice(cleaned.pop("kind", ""), Correspondence.Kind, "kind")
    declined = bool(cleaned.pop("family_card_declined", False))
    requested_status = str(cleaned.pop("status", "") or "")
    status = Correspondence.Status.DECLINED.value if declined else requested_status
    if not declined:
        _choice(status, Correspondence.Status, "status")
    problems = rules.initial_unmet(direction=direction, kind=kind, status=status, family_card_declined=declined)
    if problems:
        raise _field_errors(problems)
    today = timezone.localdate()
    item = Correspondence(
        case=locked,
        person=locked.person,
        direction=direction,
        kind=kind,
        status=status,
        family_card_declined=declined,
        recorded_by=_actor_or_none(actor),
        **cleaned,
    )
    if status in (Correspondence.Status.APPROVED, Correspondence.Status.DECLINED):
        item.decided_by, item.decided_on = _actor_or_none(actor), today
    step = rules.Step.DECLINE if declined else rules.Step.SEND if status == Correspondence.Status.SENT else None
    event_kind = _check_may_record_event(actor, locked, kind, step) if step is not None else None
    item.full_clean(exclude=["case", "person"])
    _not_in_future(written_on=item.written_on, sent_on=item.sent_on, received_on=item.received_on)
    item.save()
    for upload, check in zip(attachments, checked, strict=True):
        _attachment_create(actor, locked, item, upload, check)
    _record_event(actor, locked, event_kind, item.sent_on or today, channel)
    _audit(
        locked,
        actor=actor,
        action="correspondence.record",
        object_id=item.pk,
        changed=[
            "direction",
            "kind",
            "status",
            *(name for name, value in cleaned.items() if value not in ("", None)),
            *(["family_card_declined"] if declined else []),
            *(["attachments"] if attachments else []),
        ],
        purpose=f"{kind}, {len(attachments)} attachments",
        channel=channel,
    )
    return item


@transaction.atomic
def correspondence_update(
    *, actor: Actor, case: Case, item: Correspondence, values: Mapping[str, Any], channel: str = "web"
) -> Correspondence:
    """Correct who wrote to whom, when, in which language, by which route, and what it says. Kind,
    direction and status change only through their steps."""
    cleaned = _known(values, UPDATE_FIELDS)
    locked, row = _locked_item(actor, case, item)
    changed = [name for name, value in cleaned.items() if getattr(row, name) != value]
    if not changed:
        return row
    for name in changed:
        setattr(row, name, cleaned[name])
    row.full_clean(exclude=["case", "person"])
    _not_in_future(written_on=row.written_on)
    row.updated_at = timezone.now()
    row.save(update_fields=[*changed, "updated_at"])
    _audit(locked, actor=actor, action="correspondence.update", object_id=row.pk, changed=changed, channel=channel)
    return row


@transaction.atomic
def mail_request_approve(*, actor: Actor, case: Case, item: Correspondence, channel: str = "web") -> Correspondence:
    """Approve the person's request to send the item."""
    locked, row = _locked_item(actor, case, item)
    _refuse_unless_possible(row, rules.Step.APPROVE)
    row.status = rules.next_status(direction=row.direction, step=rules.Step.APPROVE)
    row.decided_by, row.decided_on = _actor_or_none(actor), timezone.localdate()
    row.updated_at = timezone.now()
    row.save(update_fields=["status", "decided_by", "decided_on", "updated_at"])
    _audit(
        locked,
        actor=actor,
        action="correspondence.approve",
        object_id=row.pk,
        changed=["status", "decided_by", "decided_on"],
        channel=channel,
    )
    return row


@transaction.atomic
def mail_request_refuse(
    *, actor: Actor, case: Case, item: Correspondence, reason: str, channel: str = "web"
) -> Correspondence:
    """Refuse the person's request to send the item, with the reason. A letter (a card) cannot be refused
    while the person has sent or been approved fewer than the monthly minimum (GC III Art. 71)."""
    reason = reason.strip()
    if len(reason) < 5:
        raise ValidationError({"reason": _("Give the reason for refusing the request.")})
    locked, row = _locked_item(actor, case, item)
    _refuse_unless_possible(row, rules.Step.REFUSE)
    today = timezone.localdate()
    minimum = rules.refusal_unmet(row.kind, selectors.month_tally(locked, today), selectors.mail_minimums())
    if minimum:
        raise MailMinimumNotMet(subject=f"Correspondence #{row.pk}", step=rules.Step.REFUSE.value, unmet=minimum)
    row.status = rules.next_status(direction=row.direction, step=rules.Step.REFUSE)
    row.refusal_reason = reason
    row.decided_by, row.decided_on = _actor_or_none(actor), today
    row.updated_at = timezone.now()
    row.full_clean(exclude=["case", "person"])
    row.save(update_fields=["status", "refusal_reason", "decided_by", "decided_on", "updated_at"])
    _audit(
        locked,
        actor=actor,
        action="correspondence.refuse",
        object_id=row.pk,
        changed=["status", "refusal_reason", "decided_by", "decided_on"],
        channel=channel,
    )
    return row


@transaction.atomic
def correspondence_mark_sent(
    *, actor: Actor, case: Case, item: Correspondence, sent_on: dt.date, channel: str = "web"
) -> Correspondence:
    """The item went out. A capture card sent records `capture_card_sent` (GC III Art. 70)."""
    locked, row = _locked_item(actor, case, item)
    _refuse_unless_possible(row, rules.Step.SEND)
    event_kind = _check_may_record_event(actor, locked, row.kind, rules.Step.SEND)
    _not_in_future(sent_on=sent_on)
    row.status = rules.next_status(direction=row.direction, step=rules.Step.SEND)
    row.sent_on = sent_on
    row.updated_at = timezone.now()
    row.full_clean(exclude=["case", "person"])
    row.save(update_fields=["status", "sent_on", "updated_at"])
    _record_event(actor, locked, event_kind, sent_on, channel)
    _audit(
        locked,
        actor=actor,
        action="correspondence.sent",
        object_id=row.pk,
        changed=["status", "sent_on"],
        channel=channel,
    )
    return row


@transaction.atomic
def correspondence_mark_delivered(
    *, actor: Actor, case: Case, item: Correspondence, delivered_on: dt.date, channel: str = "web"
) -> Correspondence:
    """Outgoing: it reached its recipient. Incoming: it was handed to the person."""
    locked, row = _locked_item(actor, case, item)
    _refuse_unless_possible(row, rules.Step.DELIVER)
    _not_in_future(delivered_on=delivered_on)
    since = row.received_on if row.direction == Correspondence.Direction.INCOMING else row.sent_on
    if since is not None and delivered_on < since:
        raise ValidationError({"delivered_on": _("It cannot be delivered before it was sent or received.")})
    row.status = rules.next_status(direction=row.direction, step=rules.Step.DELIVER)
    row.delivered_on = delivered_on
    row.updated_at = timezone.now()
    row.save(update_fields=["status", "delivered_on", "updated_at"])
    _audit(
        locked,
        actor=actor,
        action="correspondence.delivered",
        object_id=row.pk,
        changed=["status", "delivered_on"],
        channel=channel,
    )
    return row


@transaction.atomic
def capture_card_decline(
    *, actor: Actor, case: Case, item: Correspondence, declined_on: dt.date, channel: str = "web"
) -> Correspondence:
    """The person chose not to send the capture card to the family: writing home is a right, not a
    duty. Records `capture_card_declined` (GC III Art. 70)."""
    locked, row = _locked_item(actor, case, item)
    _refuse_unless_possible(row, rules.Step.DECLINE)
    event_kind = _check_may_record_event(actor, locked, row.kind, rules.Step.DECLINE)
    _not_in_future(declined_on=declined_on)
    row.status = rules.next_status(direction=row.direction, step=rules.Step.DECLINE)
    row.family_card_declined = True
    row.decided_by, row.decided_on = _actor_or_none(actor), declined_on
    row.updated_at = timezone.now()
    row.full_clean(exclude=["case", "person"])
    row.save(update_fields=["status", "family_card_declined", "decided_by", "decided_on", "updated_at"])
    _record_event(actor, locked, event_kind, declined_on, channel)
    _audit(
        locked,
        actor=actor,
        action="correspondence.declined",
        object_id=row.pk,
        changed=["status", "family_card_declined", "decided_by", "decided_on"],
        channel=channel,
    )
    return row


@transaction.atomic
def correspondence_censor(
    *, actor: Actor, case: Case, item: Correspondence, state: str, censored_on: dt.date, channel: str = "web"
) -> Correspondence:
    """Record that a state censored the item. Mail is censored once only (GC III Art. 76)."""
    state = state.strip().upper()
    locked, row = _locked_item(actor, case, item)
    problems = rules.censorship_unmet(censored_by_state=row.censored_by_state)
    if problems:
        raise ConditionsUnmet(subject=f"Correspondence #{row.pk}", step="censor", unmet=problems)
    _not_in_future(censored_on=censored_on)
    row.censored_by_state, row.censored_on = state, censored_on
    row.updated_at = timezone.now()
    row.full_clean(exclude=["case", "person"])
    row.save(update_fields=["censored_by_state", "censored_on", "updated_at"])
    _audit(
        locked,
        actor=actor,
        action="correspondence.censored",
        object_id=row.pk,
        changed=["censored_by_state", "censored_on"],
        channel=channel,
    )
    return row


# --- Translations and attachments -------------------------------------------------------------


@transaction.atomic
def translation_add(
    *,
    actor: Actor,
    case: Case,
    item: Correspondence,
    language: str,
    text: str,
    translator: str = "",
    channel: str = "web",
) -> Translation:
    locked, row = _locked_item(actor, case, item)
    if not text.strip():
        raise ValidationError({"text": _("Give the translation.")})
    translation = Translation(
        correspondence=row,
        person=locked.person,
        language=language.strip(),
        text=text.strip(),
        translator=translator.strip(),
        recorded_by=_actor_or_none(actor),
    )
    translation.full_clean(exclude=["correspondence", "person"])
    translation.save()
    _audit(
        locked,
        actor=actor,
        action="correspondence.translation_add",
        object_type="translation",
        object_id=translation.pk,
        changed=["language", "text", *(["translator"] if translator.strip() else [])],
        purpose=f"correspondence #{row.pk}",
        channel=channel,
    )
    return translation


@transaction.atomic
def attachment_add(
    *, actor: Actor, case: Case, item: Correspondence, upload: AttachmentUpload, channel: str = "web"
) -> Attachment:
    """Check the file from its bytes (nothing is stored if it fails), then store it sealed."""
    checked = attachment_checked(upload)
    locked, row = _locked_item(actor, case, item)
    attachment = _attachment_create(actor, locked, row, upload, checked)
    _audit(
        locked,
        actor=actor,
        action="correspondence.attachment_add",
        object_type="attachment",
        object_id=attachment.pk,
        changed=["filename", "content_type", "size", "content"],
        purpose=f"correspondence #{row.pk}: {checked.content_type}",
        channel=channel,
    )
    return attachment


def attachment_open(*, actor: Actor, case: Case, attachment: Attachment, channel: str = "web") -> bytes:
    """The attachment's bytes, for those who may read the person's correspondence; an audited read. A
    ciphertext that does not authenticate raises an alert and a security audit entry."""
    if not may_read_correspondence(actor, case):
        raise CorrespondenceRoleRefused(_("Your role may not read this person's correspondence."))
    data_key = attachment.person.data_key
    if data_key is None:
        raise PersonErased(reference=case.reference)
    table = Attachment._meta.db_table
    try:
        data = runtime.unseal_bytes(data_key, table, "content", bytes(attachment.content))
    except crypto.DecryptionFailed:
        report_unreadable(table=table, field="content", row_id=attachment.pk, data_key_id=data_key.pk)
        raise AttachmentUnreadable(_("This attachment cannot be read: it failed its integrity check.")) from None
    _audit(
        case,
        actor=actor,
        kind=AuditEvent.Kind.READ,
        action="correspondence.attachment_download",
        object_type="attachment",
        object_id=attachment.pk,
        purpose=f"correspondence #{attachment.correspondence_id}",
        channel=channel,
    )
    return data


def correspondence_record_view(
    *, actor: Actor, case: Case, item: Correspondence | None = None, purpose: str, channel: str = "web"
) -> None:
    """Log that `actor` read the correspondence of `case` (one item, or the list)."""
    _audit(
        case,
        actor=actor,
        kind=AuditEvent.Kind.READ,
        action="correspondence.view",
        object_id=item.pk if item is not None else case.pk,
        object_type="correspondence" if item is not None else "case",
        purpose=purpose,
        channel=channel,
    )


# --- Deliveries -------------------------------------------------------------------------------


def delivery_text(item: Correspondence, *, version: str, translation: Translation | None) -> str:
    """The text of the version chosen: a translation's, or the original (also the base of a redaction)."""
    if version == Delivery.Version.TRANSLATION or (version == Delivery.Version.REDACTED and translation is not None):
        if translation is None:
            raise ValidationError({"translation": _("Choose the translation that is sent.")})
        return str(translation.text)
    return str(item.content)


def _delivery_inputs(
    row: Correspondence, *, delivery_channel: str, version: str, translation: Translation | None
) -> str:
    _choice(delivery_channel, Delivery.Channel, "channel")
    _choice(version, Delivery.Version, "version")
    if translation is not None and translation.correspondence_id != row.pk:
        raise ValidationError({"translation": _("That translation belongs to another item.")})
    if version == Delivery.Version.ORIGINAL and translation is not None:
        raise ValidationError({"translation": _("The original is sent: choose no translation.")})
    if delivery_channel == Delivery.Channel.FAMILY and row.direction != Correspondence.Direction.OUTGOING:
        raise ValidationError({"channel": _("Only what the person wrote goes to the family.")})
    if delivery_channel == Delivery.Channel.PERSON and row.direction != Correspondence.Direction.INCOMING:
        raise ValidationError({"channel": _("Only mail written to the person is delivered to them.")})
    text = delivery_text(row, version=version, translation=translation)
    if not text.strip():
        raise ValidationError({"version": _("There is no text to send: record the content or a translation first.")})
    return text


def delivery_check(
    *,
    actor: Actor,
    case: Case,
    item: Correspondence,
    delivery_channel: str,
    version: str,
    translation: Translation | None = None,
    channel: str = "web",
) -> DisclosureCheck:
    """The disclosure check of what a direct delivery would send, to show before it is recorded (audited
    as every check is; nothing is written)."""
    if not may_record_correspondence(actor, case):
        raise CorrespondenceRoleRefused(_("Your role may not record correspondence on this case."))
    text = _delivery_inputs(item, delivery_channel=delivery_channel, version=version, translation=translation)
    return disclosure_check(actor=actor, text=text, cases=[case], channel=channel)


def _release_organisation(actor: Actor, case: Case) -> Organisation:
    """Who prepares the release: the organisation holding the case if the actor prepares releases there,
    else the actor's own."""
    organisations = release_organisations(actor)
    if not organisations:
        raise CorrespondenceRoleRefused(
            _("Your role may not prepare releases: a caseworker or a protection officer forwards mail to the press.")
        )
    return next((o for o in organisations if o.pk == case.organisation_id), organisations[0])


def _release_purpose(delivery_channel: str, recipient_organisation: Organisation | None, recipient_state: str) -> str:
    if delivery_channel == Delivery.Channel.PRESS:
        return Purpose.PUBLICATION_OF_LETTER.value
    if recipient_state:
        return Purpose.SHARING_WITH_STATE.value
    if recipient_organisation is not None:
        return Purpose.SHARING_WITH_ORGANISATION.value
    raise ValidationError(
        {"recipient_organisation": _("Name the receiving organisation or the state (its two-letter code).")}
    )


@transaction.atomic
def delivery_record(
    *,
    actor: Actor,
    case: Case,
    item: Correspondence,
    delivery_channel: str,
    version: str,
    recipient: str,
    translation: Translation | None = None,
    recipient_organisation: Organisation | None = None,
    recipient_state: str = "",
    sent_on: dt.date | None = None,
    channel: str = "web",
) -> DeliveryRecorded:
    """Record where the item goes and what is sent.

    To the family or to the person through a neutral agency: the version chosen (the original, a
    translation, or the redacted version the check proposes) is checked for what could identify
    someone, and recorded with the check's findings returned as a warning. To the press or to an
    authority: a release is prepared with that text (its check, redaction, consents and review are the
    release's); the delivery follows it."""
    recipient = recipient.strip()
    recipient_state = recipient_state.strip().upper()
    if not recipient:
        raise ValidationError({"recipient": _("Say who receives it.")})
    locked, row = _locked_item(actor, case, item)
    text = _delivery_inputs(row, delivery_channel=delivery_channel, version=version, translation=translation)
    delivery = Delivery(
        correspondence=row,
        person=locked.person,
        channel=delivery_channel,
        recipient=recipient,
        recipient_organisation=recipient_organisation,
        version=version,
        translation=translation,
        recorded_by=_actor_or_none(actor),
    )
    check: DisclosureCheck | None = None
    changed = ["channel", "recipient", "version"]
    if delivery_channel in Delivery.THROUGH_RELEASE:
        if version == Delivery.Version.REDACTED:
            raise ValidationError(
                {"version": _("Send the original or a translation: the release's check proposes what to redact.")}
            )
        if sent_on is not None:
            raise ValidationError({"sent_on": _("It is sent when the release is released.")})
        purpose = _release_purpose(delivery_channel, recipient_organisation, recipient_state)
        delivery.release = release_create(
            actor=actor,
            organisation=_release_organisation(actor, locked),
            kind=Release.Kind.LETTER_FORWARDED,
            purpose=purpose,
            title=_("Letter forwarded: correspondence #%(number)s of %(reference)s")
            % {"number": row.pk, "reference": locked.reference},
            recipient=recipient,
            text=text,
            case_references=[locked.reference],
            recipient_organisation=recipient_organisation,
            recipient_state=recipient_state,
            channel=channel,
        )
        changed.append("release")
    else:
        _not_in_future(sent_on=sent_on)
        check = disclosure_check(actor=actor, text=text, cases=[locked], channel=channel)
        delivery.text_sent = check.redacted_text if version == Delivery.Version.REDACTED else text
        delivery.status = Delivery.Status.SENT if sent_on is not None else Delivery.Status.PENDING
        delivery.sent_on = sent_on
        changed += ["text_sent", "status", *(["sent_on"] if sent_on else [])]
    if recipient_organisation is not None:
        changed.append("recipient_organisation")
    if translation is not None:
        changed.append("translation")
    delivery.full_clean(exclude=["correspondence", "person", "release"])
    delivery.save()
    _audit(
        locked,
        actor=actor,
        action="correspondence.delivery_record",
        object_type="delivery",
        object_id=delivery.pk,
        changed=changed,
        purpose=f"correspondence #{row.pk}: {delivery_channel}, {version}"
        + (f", {len(check.findings)} findings, {len(check.blocking)} blocking" if check is not None else ""),
        channel=channel,
    )
    return DeliveryRecorded(delivery=delivery, check=check)


@transaction.atomic
def delivery_mark(
    *,
    actor: Actor,
    case: Case,
    item: Correspondence,
    delivery: Delivery,
    status: str,
    sent_on: dt.date | None = None,
    channel: str = "web",
) -> Delivery:
    """A direct delivery went out (on a date) or was called off. One through a release follows it."""
    locked, row = _locked_item(actor, case, item)
    found = Delivery.objects.select_for_update().filter(pk=delivery.pk, correspondence=row).first()
    if found is None:
        raise NotPermitted("No delivery found.")
    if found.release_id is not None:
        raise ValidationError({"status": _("This delivery follows its release: change the release.")})
    if found.status != Delivery.Status.PENDING:
        raise ValidationError({"status": _("Only a pending delivery can change.")})
    if status == Delivery.Status.SENT:
        if sent_on is None:
            raise ValidationError({"sent_on": _("Give the date it was sent.")})
        _not_in_future(sent_on=sent_on)
        found.sent_on = sent_on
    elif status != Delivery.Status.CANCELLED:
        raise ValidationError({"status": _("Mark it sent or cancelled.")})
    found.status = status
    found.save(update_fields=["status", "sent_on"])
    _audit(
        locked,
        actor=actor,
        action="correspondence.delivery_mark",
        object_type="delivery",
        object_id=found.pk,
        changed=["status", *(["sent_on"] if status == Delivery.Status.SENT else [])],
        purpose=f"correspondence #{row.pk}",
        channel=channel,
    )
    return found
