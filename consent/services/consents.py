"""Writes of consents: recording one and revoking it. Each checks the policy under the case lock and
leaves its audit entry in the same transaction; the audit names the purpose, never the content.

Revocation is one action, effective at once (PROCESS.md 4, (c) 18): when no other live consent of the
person covers the purpose any more, it cancels the pending releases and media requests that relied on
it, opens a takedown follow-up for each text already released, and, for a sharing consent, withdraws
the recipient organisation's access to the case."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Organisation
from accounts.policy import Action, Actor, may_act_on_case, may_record_consent
from audit.models import AuditEvent
from consent import selectors
from consent.models import SHARING_PURPOSES, Consent, Purpose
from passage.errors import DomainError, NotPermitted, PersonErased
from registry.models import Case, CaseAssignment
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
    recipient_organisation: Organisation | None = None,
    recipient_state: str = "",
    channel: str = "web",
) -> Consent:
    """Record a consent the person gave for one purpose, at the case's current stage. A consent to share
    names its recipient: an organisation of Passage, or (for a state) its country code."""
    locked = _locked_case(actor, case)
    if purpose not in Purpose.values:
        raise ValidationError(
            {"purpose": _("Unknown purpose. Use one of: %(values)s.") % {"values": ", ".join(Purpose.values)}}
        )
    recipient_state = recipient_state.strip().upper()
    _check_recipient(purpose, recipient_organisation, recipient_state)
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
        recipient_organisation=recipient_organisation,
        recipient_state=recipient_state,
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
                *(["recipient_organisation"] if recipient_organisation else []),
                *(["recipient_state"] if recipient_state else []),
                *(n for n, v in texts.items() if v.strip()),
            ]
        ),
        purpose=purpose,
        channel=channel,
    )
    return consent


def _check_recipient(purpose: str, organisation: Organisation | None, state: str) -> None:
    errors: dict[str, str] = {}
    if purpose == Purpose.SHARING_WITH_STATE:
        if organisation is not None and organisation.kind != Organisation.Kind.RECEIVING_STATE:
            errors["recipient_organisation"] = _("For sharing with a state, choose a receiving-state authority.")
        if not state and organisation is not None:
            state = organisation.country_code.upper()
        if len(state) != 2 or not state.isalpha():
            errors["recipient_state"] = _("Give the state's two-letter ISO 3166 code, e.g. KR.")
    elif purpose == Purpose.SHARING_WITH_ORGANISATION:
        if organisation is None:
            errors["recipient_organisation"] = _("Choose the organisation the data may be shared with.")
        if state:
            errors["recipient_state"] = _("A consent to share with an organisation names no state.")
    elif organisation is not None or state:
        field = "recipient_organisation" if organisation is not None else "recipient_state"
        errors[field] = _("Only a consent to share names a recipient organisation or state.")
    if errors:
        raise ValidationError(errors)


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
    if not _still_covered(locked, row):
        _revocation_follow_ups(actor=actor, case=locked, consent=row, channel=channel)
    return row


def _still_covered(case: Case, revoked: Consent) -> bool:
    """Another live consent of the person still covers the revoked one's purpose (and recipient)."""
    if revoked.purpose not in SHARING_PURPOSES:
        return selectors.has_live_consent(case.person, revoked.purpose)
    return bool(
        selectors.consented_person_ids(
            [case.person_id],
            revoked.purpose,
            recipient_organisation=revoked.recipient_organisation,
            recipient_state=revoked.recipient_state,
        )
    )


def _revocation_follow_ups(*, actor: Actor, case: Case, consent: Consent, channel: str) -> None:
    """Stop every future use at once: pending releases and media requests, shares; open takedowns."""
    from consent.services.media import media_requests_withdraw_person
    from consent.services.releases import releases_after_revocation

    releases_after_revocation(actor=actor, case=case, consent=consent, channel=channel)
    media_requests_withdraw_person(actor=actor, case=case, purpose=consent.purpose, channel=channel)
    if consent.purpose in SHARING_PURPOSES:
        _withdraw_shares(actor=actor, case=case, consent=consent, channel=channel)


def _withdraw_shares(*, actor: Actor, case: Case, consent: Consent, channel: str) -> None:
    """The recipient organisation(s) the consent named lose their teams' access to the case."""
    organisations = selectors.organisations_named_by(consent).exclude(pk=case.organisation_id)
    for assignment in CaseAssignment.objects.filter(case=case, team__organisation__in=organisations).select_related(
        "team"
    ):
        if selectors.sharing_purpose_for(case, assignment.team.organisation) is None:
            continue
        assignment.delete()
        _audit_case(
            case,
            actor=actor,
            kind=AuditEvent.Kind.WRITE,
            action="case.unshare",
            object_type="team",
            object_id=assignment.team_id,
            changed_fields=["assignments"],
            purpose="consent revoked",
            channel=channel,
        )
