"""Writes of consents: recording one and revoking it. Each checks the policy under the case lock and
leaves its audit entry in the same transaction; the audit names the purpose, never the content."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.policy import Action, Actor, may_act_on_case, may_record_consent
from audit.models import AuditEvent
from consent.models import Consent, Purpose
from passage.errors import DomainError, NotPermitted, PersonErased
from registry.models import Case
from registry.services import _audit_case

TEXT_FIELDS = ("recipient", "scope", "information_version", "language", "interpreter", "taken_by", "witness", "notes")


class ConsentRoleRefused(DomainError):
    """The actor sees the case but may not record or revoke its consents."""

    status = 403
    title = "Not allowed for your role"


def _locked_case(actor: Actor, case: Case) -> Case:
    locked = Case.objects.select_for_update().select_related("person").get(pk=case.pk)
    if not may_act_on_case(actor, Action.VIEW, locked):
        raise NotPermitted("No case found.")
    if locked.is_erased:
        raise PersonErased(reference=locked.reference)
    if not may_record_consent(actor, locked):
        raise ConsentRoleRefused("Your role may not record or revoke consents on this case.")
    return locked


@transaction.atomic
def consent_record(
    *,
    actor: Actor,
    case: Case,
    purpose: str,
    scope: str,
    taken_by: str,
    given_on: dt.date,
    recipient: str = "",
    information_version: str = "",
    language: str = "",
    interpreter: str = "",
    witness: str = "",
    expires_on: dt.date | None = None,
    notes: str = "",
    channel: str = "web",
) -> Consent:
    """Record a consent the person gave for one purpose, at the case's current stage."""
    locked = _locked_case(actor, case)
    if purpose not in Purpose.values:
        raise ValidationError(
            {"purpose": _("Unknown purpose. Use one of: %(values)s.") % {"values": ", ".join(Purpose.values)}}
        )
    texts = {
        "recipient": recipient,
        "scope": scope,
        "information_version": information_version,
        "language": language,
        "interpreter": interpreter,
        "taken_by": taken_by,
        "witness": witness,
        "notes": notes,
    }
    consent = Consent(
        case=locked,
        person=locked.person,
        recorded_by=actor if actor.is_authenticated else None,  # type: ignore[misc]
        purpose=purpose,
        given_on=given_on,
        expires_on=expires_on,
        lifecycle_stage_at_consent=locked.stage,
        **{name: value.strip() for name, value in texts.items()},
    )
    consent.full_clean()
    if consent.given_on > timezone.localdate():
        raise ValidationError({"given_on": _("A consent cannot be recorded before it was given.")})
    consent.save()
    _audit_case(
        locked,
        actor=actor,
        kind=AuditEvent.Kind.WRITE,
        action="consent.record",
        object_type="consent",
        object_id=consent.pk,
        changed_fields=sorted(
            [
                "purpose",
                "given_on",
                *(["expires_on"] if expires_on else []),
                *(n for n, v in texts.items() if v.strip()),
            ]
        ),
        purpose=purpose,
        channel=channel,
    )
    return consent


@transaction.atomic
def consent_revoke(
    *, actor: Actor, case: Case, consent: Consent, revocation_channel: str, channel: str = "web"
) -> Consent:
    """The person withdrew the consent: it stops holding at once, for every future use."""
    locked = _locked_case(actor, case)
    row = Consent.objects.select_for_update().filter(pk=consent.pk, case=locked).first()
    if row is None:
        raise NotPermitted("No consent found.")
    if row.revoked_at is not None:
        raise ValidationError({"consent": _("This consent was already revoked.")})
    if revocation_channel not in Consent.RevocationChannel.values:
        raise ValidationError({"revocation_channel": _("Say how the person revoked the consent.")})
    row.revoked_at = timezone.now()
    row.revoked_by = actor if actor.is_authenticated else None  # type: ignore[assignment]
    row.revocation_channel = revocation_channel
    row.save(update_fields=["revoked_at", "revoked_by", "revocation_channel"])
    _audit_case(
        locked,
        actor=actor,
        kind=AuditEvent.Kind.WRITE,
        action="consent.revoke",
        object_type="consent",
        object_id=row.pk,
        changed_fields=["revoked_at", "revocation_channel"],
        purpose=row.purpose,
        channel=channel,
    )
    return row
