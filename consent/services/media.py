"""Writes of media requests: an outlet's request, the persons it asks for, submission, the separate
review, completion and cancellation; and what a revocation does to them (PROCESS.md 4)."""

from __future__ import annotations

from collections.abc import Collection, Sequence

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
    release_organisations,
    releases_q,
)
from audit.models import AuditEvent
from audit.services import audit_record
from consent import rules, selectors
from consent.models import MEDIA_PURPOSES, MediaRequest, MediaRequestPerson
from consent.services.releases import ReleaseRoleRefused, cases_from_references, releases_cancel_for_media_request
from passage.errors import ConditionsUnmet, NotPermitted
from protection.guards import Unmet
from registry.models import Case
from registry.services import _audit_case
from vault import runtime

TEXT_FIELDS = ("outlet", "description", "outlet_contact")


def media_request_cases(media_request: MediaRequest, *, with_withdrawn: bool = False) -> list[Case]:
    persons = MediaRequestPerson.objects.filter(media_request=media_request)
    if not with_withdrawn:
        persons = persons.filter(withdrawn_at__isnull=True)
    return list(Case.objects.filter(pk__in=persons.values("case_id")).order_by("reference"))


def _locked(actor: Actor, media_request: MediaRequest) -> MediaRequest:
    row = (
        MediaRequest.objects.select_for_update(of=("self",))
        .select_related("data_key")
        .filter(releases_q(actor), pk=media_request.pk)
        .first()
    )
    if row is None or not may_read_release_text(
        actor, created_by_id=row.created_by_id, cases=media_request_cases(row, with_withdrawn=True)
    ):
        raise NotPermitted("No media request found.")
    return row


def _audit(
    media_request: MediaRequest,
    *,
    actor: Actor,
    action: str,
    kind: str = AuditEvent.Kind.WRITE,
    changed: Sequence[str] = (),
    channel: str,
) -> None:
    """One entry per case the request names (withdrawn ones included), or one about the request."""
    cases = media_request_cases(media_request, with_withdrawn=True)
    purpose = ",".join(media_request.purposes)
    for case in cases:
        _audit_case(
            case,
            actor=actor,
            kind=kind,
            action=action,
            object_type="mediarequest",
            object_id=media_request.pk,
            changed_fields=changed,
            purpose=purpose,
            channel=channel,
        )
    if not cases:
        audit_record(
            actor=actor,
            kind=kind,
            action=action,
            object_type="mediarequest",
            object_id=media_request.pk,
            organisation_id=media_request.organisation_id,
            changed_fields=changed,
            purpose=purpose,
            channel=channel,
        )


def _clean_purposes(purposes: Collection[str]) -> list[str]:
    chosen = sorted(set(purposes))
    unknown = [purpose for purpose in chosen if purpose not in MEDIA_PURPOSES]
    if unknown or not chosen:
        raise ValidationError(
            {
                "purposes": _("Choose what the outlet asks for among: %(values)s.")
                % {"values": ", ".join(MEDIA_PURPOSES)}
            }
        )
    return chosen


def media_request_facts(actor: Actor, media_request: MediaRequest) -> rules.MediaRequestFacts:
    cases = media_request_cases(media_request)
    persons = tuple((case.person_id, case.reference) for case in cases)
    ids = [case.pk for case in cases]
    return rules.MediaRequestFacts(
        status=media_request.status,
        purposes=tuple(media_request.purposes),
        persons=persons,
        consented=frozenset(selectors.consented_pairs([p for p, _r in persons], media_request.purposes)),
        is_author=actor.pk == media_request.created_by_id,
        may_review=may_review_releases(actor, media_request.organisation_id),
        may_see_every_case=len(ids) == Case.objects.filter(case_access_q(actor, Action.VIEW), pk__in=ids).count(),
    )


def media_request_unmet(actor: Actor, media_request: MediaRequest, step: str) -> list[Unmet]:
    return rules.media_request_unmet(media_request_facts(actor, media_request), step)


@transaction.atomic
def media_request_create(
    *,
    actor: Actor,
    organisation: Organisation,
    outlet: str,
    purposes: Collection[str],
    description: str,
    outlet_contact: str = "",
    case_references: Collection[str] = (),
    channel: str = "web",
) -> MediaRequest:
    """Record what an outlet asks for (a draft until submitted for review)."""
    if not any(o.pk == organisation.pk for o in release_organisations(actor)):
        raise ReleaseRoleRefused(_("Your role may not handle media requests in this organisation."))
    cases = cases_from_references(actor, case_references)
    row = MediaRequest(
        organisation=organisation,
        data_key=runtime.data_key_create(),
        outlet=outlet.strip(),
        purposes=_clean_purposes(purposes),
        description=description.strip(),
        outlet_contact=outlet_contact.strip(),
        created_by=actor if actor.is_authenticated else None,  # type: ignore[misc]
    )
    row.full_clean(exclude=["data_key", "created_by"])
    row.save()
    MediaRequestPerson.objects.bulk_create(
        [
            MediaRequestPerson(media_request=row, case=case, added_by=actor if actor.is_authenticated else None)  # type: ignore[misc]
            for case in cases
        ]
    )
    _audit(
        row, actor=actor, action="media_request.create", changed=["outlet", "purposes", "description"], channel=channel
    )
    return row


@transaction.atomic
def media_request_add_person(
    *, actor: Actor, media_request: MediaRequest, reference: str, channel: str = "web"
) -> MediaRequestPerson:
    row = _locked(actor, media_request)
    if row.status != MediaRequest.Status.DRAFT:
        raise ValidationError({"reference": _("Persons are added while the request is a draft.")})
    (case,) = cases_from_references(actor, [reference], field="reference")
    person, created = MediaRequestPerson.objects.get_or_create(
        media_request=row, case=case, defaults={"added_by": actor if actor.is_authenticated else None}
    )
    if not created and person.withdrawn_at is not None:
        raise ValidationError({"reference": _("This person withdrew from the request.")})
    if created:
        _audit_case(
            case,
            actor=actor,
            kind=AuditEvent.Kind.WRITE,
            action="media_request.add_person",
            object_type="mediarequest",
            object_id=row.pk,
            purpose=",".join(row.purposes),
            channel=channel,
        )
    return person


@transaction.atomic
def media_request_remove_person(*, actor: Actor, media_request: MediaRequest, case: Case, channel: str = "web") -> None:
    row = _locked(actor, media_request)
    if row.status != MediaRequest.Status.DRAFT:
        raise ValidationError({"reference": _("Persons are removed while the request is a draft.")})
    deleted, _rows = MediaRequestPerson.objects.filter(media_request=row, case=case).delete()
    if deleted:
        _audit_case(
            case,
            actor=actor,
            kind=AuditEvent.Kind.WRITE,
            action="media_request.remove_person",
            object_type="mediarequest",
            object_id=row.pk,
            channel=channel,
        )


@transaction.atomic
def media_request_submit(*, actor: Actor, media_request: MediaRequest, channel: str = "web") -> MediaRequest:
    row = _locked(actor, media_request)
    problems = media_request_unmet(actor, row, "submit")
    if problems:
        raise ConditionsUnmet(subject=f"Media request #{row.pk}", step="submit", unmet=problems)
    row.status = MediaRequest.Status.IN_REVIEW
    row.submitted_at = row.updated_at = timezone.now()
    row.save(update_fields=["status", "submitted_at", "updated_at"])
    _audit(row, actor=actor, action="media_request.submit", changed=["status"], channel=channel)
    return row


@transaction.atomic
def media_request_review(
    *, actor: Actor, media_request: MediaRequest, approve: bool, reasons: str, channel: str = "web"
) -> MediaRequest:
    """The separate review: approval needs every consent live and a supervisor who did not write it."""
    row = _locked(actor, media_request)
    reasons = reasons.strip()
    if approve:
        problems = media_request_unmet(actor, row, "approve")
        if problems:
            raise ConditionsUnmet(subject=f"Media request #{row.pk}", step="approve", unmet=problems)
    else:
        if row.status != MediaRequest.Status.IN_REVIEW:
            raise ValidationError({"status": _("It is not awaiting review.")})
        if not may_review_releases(actor, row.organisation_id) or actor.pk == row.created_by_id:
            raise ReleaseRoleRefused(_("Only a supervisor who did not write it may review it."))
    if len(reasons) < 5:
        raise ValidationError({"reasons": _("Record the reasons of the review.")})
    row.status = MediaRequest.Status.APPROVED if approve else MediaRequest.Status.REFUSED
    row.reviewed_by = actor  # type: ignore[assignment]
    row.reviewed_at = row.updated_at = timezone.now()
    row.review_reasons = reasons
    row.save(update_fields=["status", "reviewed_by", "reviewed_at", "review_reasons", "updated_at"])
    _audit(
        row,
        actor=actor,
        action="media_request.approve" if approve else "media_request.refuse",
        changed=["status"],
        channel=channel,
    )
    return row


@transaction.atomic
def media_request_close(
    *, actor: Actor, media_request: MediaRequest, outcome: str, channel: str = "web"
) -> MediaRequest:
    """Complete an approved request, or cancel an open one (its pending releases are cancelled)."""
    row = _locked(actor, media_request)
    if outcome == MediaRequest.Status.COMPLETED:
        if row.status != MediaRequest.Status.APPROVED:
            raise ValidationError({"status": _("Only an approved request is completed.")})
        row.status = MediaRequest.Status.COMPLETED
    elif outcome in MediaRequest.CancelReason.values:
        if not row.is_open:
            raise ValidationError({"status": _("The request is already closed.")})
        row.status = MediaRequest.Status.CANCELLED
        row.cancel_reason = outcome
        releases_cancel_for_media_request(actor=actor, media_request=row, channel=channel)
    else:
        raise ValidationError({"outcome": _("Unknown outcome.")})
    row.updated_at = timezone.now()
    row.save(update_fields=["status", "cancel_reason", "updated_at"])
    _audit(row, actor=actor, action="media_request.close", changed=["status"], channel=channel)
    return row


def media_requests_withdraw_person(*, actor: Actor, case: Case, purpose: str, channel: str) -> None:
    """A revocation withdraws the person from the open requests that need that purpose; an approved or
    submitted request loses its approval (cancelled: the outlet must be told), a draft just loses them."""
    now = timezone.now()
    persons = MediaRequestPerson.objects.select_for_update().filter(
        case=case, withdrawn_at__isnull=True, media_request__status__in=MediaRequest.OPEN
    )
    for person in persons.select_related("media_request"):
        request = person.media_request
        if purpose not in request.purposes:
            continue
        person.withdrawn_at = now
        person.save(update_fields=["withdrawn_at"])
        if request.status != MediaRequest.Status.DRAFT:
            request.status = MediaRequest.Status.CANCELLED
            request.cancel_reason = MediaRequest.CancelReason.CONSENT_REVOKED
            request.updated_at = now
            request.save(update_fields=["status", "cancel_reason", "updated_at"])
            releases_cancel_for_media_request(actor=actor, media_request=request, channel=channel)
        _audit_case(
            case,
            actor=actor,
            kind=AuditEvent.Kind.WRITE,
            action="media_request.withdraw_person",
            object_type="mediarequest",
            object_id=request.pk,
            purpose=purpose,
            channel=channel,
        )


def media_request_record_view(*, actor: Actor, media_request: MediaRequest, channel: str = "web") -> None:
    """Log that `actor` read what a media request asks of the persons it names (one entry per case)."""
    _audit(media_request, actor=actor, action="media_request.view", kind=AuditEvent.Kind.READ, channel=channel)
