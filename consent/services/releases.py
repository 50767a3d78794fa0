"""Writes of releases: prepare a text, check it, redact or dismiss what it finds, submit it, review it,
release it, cancel it; and what a revocation or an erasure does to them.

The rules of each step are `consent.rules`; the facts are read here under a lock on the release. The
audit names the release, its purpose and each case it concerns, never its text.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Sequence
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
    case_access_q,
    may_read_release_text,
    may_review_releases,
    media_cases_q,
    release_organisations,
    releases_q,
)
from audit.models import AuditEvent
from audit.services import audit_record
from consent import rules, selectors
from consent.disclosure.types import Finding, Kind, Severity
from consent.models import (
    SHARING_PURPOSES,
    Consent,
    MediaRequest,
    Purpose,
    Release,
    ReleaseCase,
    ReleaseFinding,
    TakedownRequest,
)
from consent.services.disclosure import (
    analyse_registry,
    audit_named_cases,
    check_text_length,
    with_combination_parts,
)
from passage.errors import ConditionsUnmet, DomainError, EditConflict, NotPermitted
from protection.guards import Unmet
from registry.models import Case, Person
from registry.references import normalise_reference
from registry.services import _audit_case
from vault import runtime
from vault.services import data_key_destroy

RELEASE_FIELDS = ("title", "recipient", "text")


class ReleaseRoleRefused(DomainError):
    status = 403
    title = "Not allowed for your role"


# --- Reading under a lock ---------------------------------------------------------------------


def release_cases(release: Release) -> list[Case]:
    return list(Case.objects.filter(releases=release).order_by("reference")) if release.pk else []


def _locked(actor: Actor, release: Release) -> Release:
    row = (
        Release.objects.select_for_update(of=("self",))
        .select_related("data_key", "media_request", "recipient_organisation")
        .filter(releases_q(actor), pk=release.pk)
        .first()
    )
    if row is None or not may_read_release_text(actor, created_by_id=row.created_by_id, cases=release_cases(row)):
        raise NotPermitted("No release found.")
    return row


def _audit(
    release: Release,
    *,
    actor: Actor | None,
    action: str,
    kind: str = AuditEvent.Kind.WRITE,
    changed: Sequence[str] = (),
    purpose: str | None = None,
    channel: str,
) -> None:
    """One entry per case the release concerns (their holders see it), or one about the release."""
    cases = release_cases(release)
    purpose = release.purpose if purpose is None else purpose
    for case in cases:
        _audit_case(
            case,
            actor=actor,
            kind=kind,
            action=action,
            object_type="release",
            object_id=release.pk,
            changed_fields=changed,
            purpose=purpose,
            channel=channel,
        )
    if not cases:
        audit_record(
            actor=actor,
            kind=kind,
            action=action,
            object_type="release",
            object_id=release.pk,
            organisation_id=release.organisation_id,
            changed_fields=changed,
            purpose=purpose,
            channel=channel,
        )


def cases_from_references(actor: Actor, references: Collection[str], field: str = "cases") -> list[Case]:
    """The cases named by reference that `actor` may name (see, or handle as a media officer)."""
    wanted = {normalise_reference(reference) for reference in references if reference.strip()}
    found = list(Case.objects.filter(media_cases_q(actor), reference__in=wanted, is_erased=False))
    missing = sorted(wanted - {case.reference for case in found})
    if missing:
        raise ValidationError({field: _("No case found: %(references)s.") % {"references": ", ".join(missing)}})
    return sorted(found, key=lambda case: case.reference)


# --- Facts and the rules ----------------------------------------------------------------------


def release_facts(actor: Actor, release: Release, *, today: dt.date | None = None) -> rules.ReleaseFacts:
    cases = release_cases(release)
    concerned = tuple((case.person_id, case.reference) for case in cases)
    consented = selectors.consented_person_ids(
        [person_id for person_id, _reference in concerned],
        release.purpose,
        recipient_organisation=release.recipient_organisation,
        recipient_state=release.recipient_state,
        today=today,
    )
    findings = list(ReleaseFinding.objects.filter(release=release, text_version=release.checked_version))
    blocking = [finding for finding in findings if finding.is_blocking]
    named = {int(p) for finding in blocking if not finding.decision for p in finding.person_ids}
    concerned_ids = {person_id for person_id, _reference in concerned}
    visible_named = dict(
        Case.objects.filter(case_access_q(actor, Action.VIEW), person_id__in=named).values_list(
            "person_id", "reference"
        )
    )
    case_ids = [case.pk for case in cases]
    return rules.ReleaseFacts(
        status=release.status,
        is_checked=release.is_checked,
        purpose=release.purpose,
        concerned=concerned,
        consented=frozenset(consented),
        findings=tuple(
            rules.FindingFacts(
                person_ids=frozenset(int(p) for p in finding.person_ids),
                is_dismissed=bool(finding.decision),
                names_hidden_person=any(int(p) not in visible_named for p in finding.person_ids),
            )
            for finding in blocking
        ),
        media_request_status=release.media_request.status if release.media_request is not None else None,
        is_author=actor.pk == release.created_by_id,
        may_review=may_review_releases(actor, release.organisation_id),
        may_see_every_case=len(case_ids)
        == Case.objects.filter(case_access_q(actor, Action.VIEW), pk__in=case_ids).count(),
        text_version=release.text_version,
        reviewed_version=release.reviewed_version,
        sharing_recipient_missing=release.purpose in SHARING_PURPOSES
        and release.recipient_organisation_id is None
        and not release.recipient_state,
        concerned_missing=tuple(sorted(visible_named[p] for p in named - concerned_ids if p in visible_named)),
    )


def release_consent_rows(release: Release, cases: Sequence[Case]) -> list[dict[str, Any]]:
    """For the page: each person concerned and whether their consent for the purpose holds now."""
    consented = selectors.consented_person_ids(
        [case.person_id for case in cases],
        release.purpose,
        recipient_organisation=release.recipient_organisation,
        recipient_state=release.recipient_state,
    )
    return [{"case": case, "live": case.person_id in consented} for case in cases]


def release_record_view(*, actor: Actor, release: Release, channel: str = "web", purpose: str = "") -> None:
    """Log that `actor` read a release's text (one entry per case it concerns, or one about it)."""
    _audit(release, actor=actor, action="release.view", kind=AuditEvent.Kind.READ, purpose=purpose, channel=channel)


def release_unmet(actor: Actor, release: Release, step: str) -> list[Unmet]:
    return rules.release_unmet(release_facts(actor, release), step)


def _refuse_unless_met(actor: Actor, release: Release, step: str) -> None:
    problems = release_unmet(actor, release, step)
    if problems:
        raise ConditionsUnmet(subject=f"Release #{release.pk}", step=step, unmet=problems)


# --- The disclosure check of a release --------------------------------------------------------


def _store_findings(release: Release, findings: Sequence[Finding]) -> None:
    ReleaseFinding.objects.filter(release=release).delete()
    ReleaseFinding.objects.bulk_create(
        [
            ReleaseFinding(
                release=release,
                text_version=release.text_version,
                start=finding.start,
                end=finding.end,
                kind=finding.kind.value,
                severity=finding.severity.value,
                rule=finding.rule[:40],
                replacement=finding.replacement[:40],
                person_ids=sorted(finding.person_ids),
                parts=[list(part) for part in finding.parts],
            )
            for finding in findings
        ]
    )
    release.checked_version = release.text_version
    release.checked_at = timezone.now()


def _run_check(actor: Actor, release: Release, *, channel: str) -> list[Finding]:
    linked = [case.person_id for case in release_cases(release)]
    report = analyse_registry(str(release.text), linked_person_ids=linked)
    _store_findings(release, report.findings)
    audit_named_cases(actor, report.findings, action="release.named", purpose=f"release #{release.pk}", channel=channel)
    return list(report.findings)


def is_covered(finding: ReleaseFinding, consented: set[int]) -> bool:
    """About persons concerned who all consented to the purpose: left to the review, not redacted."""
    person_ids = {int(p) for p in finding.person_ids}
    return bool(person_ids) and person_ids <= consented


def finding_of(row: ReleaseFinding) -> Finding:
    """The engine's view of a stored finding (to redact it)."""
    return Finding(
        start=row.start,
        end=row.end,
        kind=Kind(row.kind),
        severity=Severity(row.severity),
        rule=row.rule,
        replacement=row.replacement,
        person_ids=frozenset(int(p) for p in row.person_ids),
        parts=tuple((int(a), int(b)) for a, b in row.parts),
    )


# --- Steps ------------------------------------------------------------------------------------


def _clean_purpose(purpose: str) -> str:
    if purpose not in Purpose.values:
        raise ValidationError(
            {"purpose": _("Unknown purpose. Use one of: %(values)s.") % {"values": ", ".join(Purpose.values)}}
        )
    return purpose


@transaction.atomic
def release_create(
    *,
    actor: Actor,
    organisation: Organisation,
    kind: str,
    purpose: str,
    title: str,
    recipient: str,
    text: str,
    case_references: Collection[str] = (),
    media_request: MediaRequest | None = None,
    recipient_organisation: Organisation | None = None,
    recipient_state: str = "",
    channel: str = "web",
) -> Release:
    """A draft release, checked at once."""
    if not any(o.pk == organisation.pk for o in release_organisations(actor)):
        raise ReleaseRoleRefused(_("Your role may not prepare releases in this organisation."))
    if kind not in Release.Kind.values:
        raise ValidationError(
            {"kind": _("Unknown kind. Use one of: %(values)s.") % {"values": ", ".join(Release.Kind.values)}}
        )
    check_text_length(text)
    cases = cases_from_references(actor, case_references)
    if media_request is not None:
        if media_request.organisation_id != organisation.pk:
            raise ValidationError({"media_request": _("That media request belongs to another organisation.")})
        asked = set(media_request.persons.filter(withdrawn_at__isnull=True).values_list("case_id", flat=True))
        if any(case.pk not in asked for case in cases):
            raise ValidationError({"cases": _("Material of a media request concerns only the persons it asked for.")})
    release = Release(
        organisation=organisation,
        data_key=runtime.data_key_create(),
        kind=kind,
        purpose=_clean_purpose(purpose),
        title=title.strip(),
        recipient=recipient.strip(),
        recipient_organisation=recipient_organisation,
        recipient_state=recipient_state.strip().upper(),
        media_request=media_request,
        text=text,
        original_text=text,
        created_by=actor if actor.is_authenticated else None,  # type: ignore[misc]
    )
    release.full_clean(exclude=["data_key", "created_by"])
    release.save()
    ReleaseCase.objects.bulk_create([ReleaseCase(release=release, case=case) for case in cases])
    _run_check(actor, release, channel=channel)
    release.save(update_fields=["checked_version", "checked_at"])
    _audit(
        release,
        actor=actor,
        action="release.create",
        changed=["title", "recipient", "text", "purpose"],
        channel=channel,
    )
    return release


@transaction.atomic
def release_update(
    *, actor: Actor, release: Release, values: dict[str, Any], expected_version: int, channel: str = "web"
) -> Release:
    """Change a draft's title, recipient or text; a changed text is checked again (dismissals reset)."""
    row = _locked(actor, release)
    if not row.is_editable:
        raise ValidationError({"status": _("Only a draft can be changed.")})
    if row.text_version != expected_version:
        raise EditConflict(expected_version=expected_version, current_version=row.text_version)
    unknown = set(values) - set(RELEASE_FIELDS)
    if unknown:
        raise ValidationError({name: _("Unknown field.") for name in sorted(unknown)})
    changed = [name for name, value in values.items() if str(getattr(row, name)) != value]
    if not changed:
        return row
    if "text" in changed:
        check_text_length(values["text"])
    for name in changed:
        setattr(row, name, values[name].strip() if name != "text" else values[name])
    row.full_clean(exclude=["data_key", "created_by"])
    if "text" in changed:
        row.text_version += 1
        _run_check(actor, row, channel=channel)
    row.updated_at = timezone.now()
    row.save()
    _audit(row, actor=actor, action="release.update", changed=sorted(changed), channel=channel)
    return row


@transaction.atomic
def release_check(*, actor: Actor, release: Release, channel: str = "web") -> Release:
    """Check the text again (the registry may have changed). A release awaiting review whose findings
    changed goes back to its author."""
    row = _locked(actor, release)
    if not row.is_pending:
        raise ValidationError({"status": _("Only a pending release is checked again.")})
    before = set(
        ReleaseFinding.objects.filter(release=row, text_version=row.checked_version).values_list("start", "end", "kind")
    )
    decisions = {
        (f.start, f.end, f.kind): (f.decision, str(f.decision_reason), f.decided_by_id, f.decided_at)
        for f in ReleaseFinding.objects.filter(release=row, text_version=row.checked_version).exclude(decision="")
    }
    findings = _run_check(actor, row, channel=channel)
    after = {(f.start, f.end, f.kind.value) for f in findings}
    # The same text: a dismissal made of the same span stands.
    for stored in ReleaseFinding.objects.filter(release=row, text_version=row.text_version):
        kept = decisions.get((stored.start, stored.end, stored.kind))
        if kept:
            stored.decision, stored.decision_reason, stored.decided_by_id, stored.decided_at = kept
            stored.save(update_fields=["decision", "decision_reason", "decided_by", "decided_at"])
    if before != after and row.status != Release.Status.DRAFT:
        row.status = Release.Status.DRAFT
    row.updated_at = timezone.now()
    row.save(update_fields=["checked_version", "checked_at", "status", "updated_at"])
    _audit(row, actor=actor, action="release.check", channel=channel)
    return row


@transaction.atomic
def release_redact(
    *, actor: Actor, release: Release, finding_ids: Collection[int] | None = None, channel: str = "web"
) -> Release:
    """Replace the chosen findings (by default every open finding that blocks and that no consent covers)
    by their labels, and check the redacted text again."""
    row = _locked(actor, release)
    if not row.is_editable:
        raise ValidationError({"status": _("Only a draft can be redacted.")})
    if not row.is_checked:
        raise ValidationError({"text": _("Run the disclosure check before redacting.")})
    current = ReleaseFinding.objects.filter(release=row, text_version=row.text_version)
    if finding_ids is None:
        consented = {
            entry["case"].person_id for entry in release_consent_rows(row, release_cases(row)) if entry["live"]
        }
        chosen = [f for f in current if f.is_blocking and not f.decision and not is_covered(f, consented)]
    else:
        chosen = list(current.filter(pk__in=list(finding_ids)))
    if finding_ids is not None and len(chosen) != len(set(finding_ids)):
        raise ValidationError({"findings": _("Choose findings of the text as it now stands.")})
    if not chosen:
        raise ValidationError({"findings": _("There is nothing to redact.")})
    from consent.disclosure.redact import redact

    row.text = redact(str(row.text), with_combination_parts(map(finding_of, chosen), map(finding_of, current)))
    row.text_version += 1
    _run_check(actor, row, channel=channel)
    row.updated_at = timezone.now()
    row.save()
    _audit(row, actor=actor, action="release.redact", changed=["text"], channel=channel)
    return row


@transaction.atomic
def release_finding_dismiss(
    *, actor: Actor, release: Release, finding: ReleaseFinding, reason: str, channel: str = "web"
) -> ReleaseFinding:
    """Mark a finding as identifying no one, with the reason (the review sees it). A finding that names
    a registered person may be dismissed only by someone who may see that person."""
    row = _locked(actor, release)
    if not row.is_editable:
        raise ValidationError({"status": _("Findings are decided while the release is a draft.")})
    stored = (
        ReleaseFinding.objects.select_for_update()
        .filter(pk=finding.pk, release=row, text_version=row.text_version)
        .first()
    )
    if stored is None:
        raise NotPermitted("No finding found.")
    reason = reason.strip()
    if len(reason) < 5:
        raise ValidationError({"reason": _("Say why this identifies no one.")})
    person_ids = {int(p) for p in stored.person_ids}
    if person_ids and Case.objects.filter(case_access_q(actor, Action.VIEW), person_id__in=person_ids).count() < len(
        person_ids
    ):
        raise ReleaseRoleRefused(_("This finding names a person you may not see: redact it."))
    stored.decision = ReleaseFinding.Decision.DISMISSED
    stored.decision_reason = reason
    stored.decided_by = actor if actor.is_authenticated else None  # type: ignore[assignment]
    stored.decided_at = timezone.now()
    stored.save(update_fields=["decision", "decision_reason", "decided_by", "decided_at"])
    _audit(row, actor=actor, action="release.finding_dismiss", changed=[stored.kind], channel=channel)
    return stored


@transaction.atomic
def release_submit(*, actor: Actor, release: Release, channel: str = "web") -> Release:
    row = _locked(actor, release)
    _refuse_unless_met(actor, row, "submit")
    row.status = Release.Status.IN_REVIEW
    row.submitted_at = row.updated_at = timezone.now()
    row.save(update_fields=["status", "submitted_at", "updated_at"])
    _audit(row, actor=actor, action="release.submit", changed=["status"], channel=channel)
    return row


@transaction.atomic
def release_review(*, actor: Actor, release: Release, approve: bool, note: str = "", channel: str = "web") -> Release:
    """The separate review (GC III Art. 13): approve the text as it stands, or refuse it with reasons."""
    row = _locked(actor, release)
    note = note.strip()
    if approve:
        _refuse_unless_met(actor, row, "approve")
    else:
        if row.status != Release.Status.IN_REVIEW:
            raise ValidationError({"status": _("It is not awaiting review.")})
        if not may_review_releases(actor, row.organisation_id) or actor.pk == row.created_by_id:
            raise ReleaseRoleRefused(_("Only a supervisor who did not write it may review it."))
        if len(note) < 5:
            raise ValidationError({"note": _("Give the reasons for refusing it.")})
    row.status = Release.Status.APPROVED if approve else Release.Status.REFUSED
    row.reviewed_by = actor  # type: ignore[assignment]
    row.reviewed_at = row.updated_at = timezone.now()
    row.reviewed_version = row.text_version if approve else 0
    row.review_note = note
    row.save(update_fields=["status", "reviewed_by", "reviewed_at", "reviewed_version", "review_note", "updated_at"])
    _audit(
        row, actor=actor, action="release.approve" if approve else "release.refuse", changed=["status"], channel=channel
    )
    return row


@transaction.atomic
def release_mark_released(*, actor: Actor, release: Release, channel: str = "web") -> Release:
    """Record that the approved text went out. The consents must still hold: an expired one blocks."""
    row = _locked(actor, release)
    if not any(o.pk == row.organisation_id for o in release_organisations(actor)) and not may_review_releases(
        actor, row.organisation_id
    ):
        raise ReleaseRoleRefused(_("Your role may not release texts of this organisation."))
    _refuse_unless_met(actor, row, "release")
    row.status = Release.Status.RELEASED
    row.released_by = actor  # type: ignore[assignment]
    row.released_at = row.updated_at = timezone.now()
    row.save(update_fields=["status", "released_by", "released_at", "updated_at"])
    _audit(row, actor=actor, action="release.released", changed=["status"], channel=channel)
    return row


def _cancel(row: Release, *, actor: Actor | None, reason: str, channel: str) -> None:
    row.status = Release.Status.CANCELLED
    row.cancel_reason = reason
    row.updated_at = timezone.now()
    row.save(update_fields=["status", "cancel_reason", "updated_at"])
    _audit(row, actor=actor, action="release.cancel", changed=["status"], channel=channel)


@transaction.atomic
def release_cancel(*, actor: Actor, release: Release, channel: str = "web") -> Release:
    row = _locked(actor, release)
    if not row.is_pending:
        raise ValidationError({"status": _("Only a pending release can be cancelled.")})
    _cancel(row, actor=actor, reason=Release.CancelReason.WITHDRAWN, channel=channel)
    return row


# --- Consequences of a revocation and of an erasure -------------------------------------------


def _uses_consent(release: Release, consent: Consent) -> bool:
    if release.purpose != consent.purpose:
        return False
    if consent.purpose not in SHARING_PURPOSES:
        return True
    named = selectors.organisations_named_by(consent)
    return (
        release.recipient_organisation_id is not None and named.filter(pk=release.recipient_organisation_id).exists()
    ) or (bool(release.recipient_state) and release.recipient_state.upper() == consent.recipient_state.upper())


def releases_after_revocation(*, actor: Actor, case: Case, consent: Consent, channel: str) -> None:
    """Revocation cancels the pending releases that relied on the consent and opens a takedown
    follow-up for each one already released (PROCESS.md 4; (c) 18)."""
    today = timezone.localdate()
    for row in Release.objects.select_for_update().filter(release_cases__case=case, purpose=consent.purpose):
        if not _uses_consent(row, consent):
            continue
        if row.is_pending:
            _cancel(row, actor=actor, reason=Release.CancelReason.CONSENT_REVOKED, channel=channel)
        elif row.status == Release.Status.RELEASED:
            takedown, created = TakedownRequest.objects.get_or_create(
                release=row,
                consent=consent,
                defaults={"case": case, "due_on": today + dt.timedelta(days=int(settings.PASSAGE_TAKEDOWN_DAYS))},
            )
            if created:
                _audit_case(
                    case,
                    actor=actor,
                    kind=AuditEvent.Kind.WRITE,
                    action="takedown.open",
                    object_type="takedownrequest",
                    object_id=takedown.pk,
                    purpose=consent.purpose,
                    channel=channel,
                )


def releases_cancel_for_media_request(*, actor: Actor, media_request: MediaRequest, channel: str) -> None:
    for row in Release.objects.select_for_update().filter(media_request=media_request, status__in=Release.PENDING):
        _cancel(row, actor=actor, reason=Release.CancelReason.MEDIA_REQUEST_CLOSED, channel=channel)


def releases_shred_for_person(person: Person) -> int:
    """Erasing a person erases every release and media request that concerns them or whose check found
    them: their data keys are destroyed (the texts become unreadable), pending ones are cancelled."""
    from consent.models import MediaRequestPerson

    releases = set(Release.objects.filter(release_cases__case__person=person).values_list("pk", flat=True))
    for finding in ReleaseFinding.objects.filter(person_ids__isnull=False).values("release_id", "person_ids"):
        if person.pk in {int(p) for p in finding["person_ids"] or []}:
            releases.add(finding["release_id"])
    keys = set(Release.objects.filter(pk__in=releases, data_key__isnull=False).values_list("data_key_id", flat=True))
    Release.objects.filter(pk__in=releases, status__in=Release.PENDING).update(
        status=Release.Status.CANCELLED, cancel_reason=Release.CancelReason.PERSON_ERASED, updated_at=timezone.now()
    )
    Release.objects.filter(pk__in=releases).update(
        data_key=None, text="", original_text="", title="", recipient="", review_note=""
    )
    ReleaseFinding.objects.filter(release_id__in=releases).update(decision_reason="")
    requests = set(MediaRequestPerson.objects.filter(case__person=person).values_list("media_request_id", flat=True))
    keys |= set(
        MediaRequest.objects.filter(pk__in=requests, data_key__isnull=False).values_list("data_key_id", flat=True)
    )
    MediaRequest.objects.filter(pk__in=requests, status__in=MediaRequest.OPEN).update(
        status=MediaRequest.Status.CANCELLED,
        cancel_reason=MediaRequest.CancelReason.WITHDRAWN,
        updated_at=timezone.now(),
    )
    MediaRequest.objects.filter(pk__in=requests).update(
        data_key=None, description="", outlet_contact="", review_reasons=""
    )
    for key in keys:
        data_key_destroy(key)
    return len(releases) + len(requests)


@transaction.atomic
def takedown_update(
    *, actor: Actor, takedown: TakedownRequest, status: str, notes: str = "", channel: str = "web"
) -> TakedownRequest:
    """Record where a takedown follow-up stands (sent to the recipient, done, refused)."""
    row = (
        TakedownRequest.objects.select_for_update(of=("self",))
        .select_related("case__person__data_key", "release")
        .get(pk=takedown.pk)
    )
    if not Case.objects.filter(case_access_q(actor, Action.VIEW), pk=row.case_id).exists():
        raise NotPermitted("No follow-up found.")
    if not any(o.pk == row.release.organisation_id for o in release_organisations(actor)) and not may_review_releases(
        actor, row.release.organisation_id
    ):
        raise ReleaseRoleRefused(_("Your role may not work on this follow-up."))
    if status not in TakedownRequest.Status.values:
        raise ValidationError({"status": _("Unknown status.")})
    row.status = status
    if notes.strip():
        row.notes = notes.strip()
    row.updated_by = actor  # type: ignore[assignment]
    row.updated_at = timezone.now()
    row.full_clean(exclude=["release", "case", "consent", "updated_by"])
    row.save(update_fields=["status", "notes", "updated_by", "updated_at"])
    _audit_case(
        row.case,
        actor=actor,
        kind=AuditEvent.Kind.WRITE,
        action="takedown.update",
        object_type="takedownrequest",
        object_id=row.pk,
        changed_fields=["status", *(["notes"] if notes.strip() else [])],
        channel=channel,
    )
    return row
