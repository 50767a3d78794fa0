"""Writes of family tracing: family members of a registered person, tracing requests, the search for
candidates and their review. Each write checks the policy, runs in one transaction and leaves its
audit entry there; audit entries name fields and counts, never a value."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Organisation
from accounts.policy import (
    Action,
    Actor,
    may_act_on_case,
    may_read_family_location,
    may_record_family_member,
    may_review_tracing_match,
    may_trace,
    may_trace_for_case,
    tracing_organisations,
)
from audit.models import AuditEvent
from audit.services import audit_record
from passage.errors import DomainError, NotPermitted, PersonErased
from registry.candidates import NameQuery, person_candidates
from registry.models import Case, Person
from registry.search_terms import FAMILY_TABLE, family_index_terms
from registry.services import _audit_case
from tracing import selectors
from tracing.models import FamilyMember, TracingMatch, TracingRequest
from vault import runtime
from vault.services import blind_indexes_replace

FAMILY_FIELDS = (
    "relation",
    "name",
    "location",
    "is_alive",
    "is_next_of_kin",
    "reprisal_risk",
    "contact_allowed",
    "notes",
)
REQUEST_FIELDS = (
    *TracingRequest.SOUGHT_FIELDS,
    "enquirer_name",
    "enquirer_contact",
    "relation",
)
CANDIDATE_LIMIT = 20


class TracingRoleRefused(DomainError):
    """The actor sees the case or the request but their role may not do this."""

    status = 403
    title = "Not allowed for your role"


def _known(values: Mapping[str, Any], allowed: tuple[str, ...]) -> dict[str, Any]:
    unknown = set(values) - set(allowed)
    if unknown:
        raise ValidationError({name: "Unknown field." for name in sorted(unknown)})
    return {name: value.strip() if isinstance(value, str) else value for name, value in values.items()}


# --- Family members ---------------------------------------------------------------------------


def family_index_refresh(person: Person) -> int:
    """Recompute the blind-index rows of the person's family members' names (the disclosure check
    finds a relative named in an outgoing text through them)."""
    data_key = person.data_key if person.data_key_id is not None else None
    if data_key is None:
        return 0
    names = [member.name for member in FamilyMember.objects.filter(person=person).select_related("person__data_key")]
    return blind_indexes_replace(data_key=data_key, table=FAMILY_TABLE, terms=family_index_terms(names))


def _family_case(actor: Actor, case: Case, values: Mapping[str, Any]) -> Case:
    locked = Case.objects.select_for_update().select_related("person").get(pk=case.pk)
    if not may_act_on_case(actor, Action.VIEW, locked):
        raise NotPermitted("No case found.")
    if locked.is_erased:
        raise PersonErased(reference=locked.reference)
    if not may_record_family_member(actor, locked):
        raise TracingRoleRefused("Your role may not record family members on this case.")
    if "location" in values and not may_read_family_location(actor, locked):
        raise TracingRoleRefused("Your role may not record where a relative lives.")
    return locked


@transaction.atomic
def family_member_add(*, actor: Actor, case: Case, values: Mapping[str, Any], channel: str = "web") -> FamilyMember:
    cleaned = _known(values, FAMILY_FIELDS)
    locked = _family_case(actor, case, cleaned)
    member = FamilyMember(
        case=locked,
        person=locked.person,
        recorded_by=actor if actor.is_authenticated else None,  # type: ignore[misc]
        **cleaned,
    )
    member.full_clean()
    member.save()
    family_index_refresh(locked.person)
    _audit_case(
        locked,
        actor=actor,
        kind=AuditEvent.Kind.WRITE,
        action="family_member.add",
        object_type="familymember",
        object_id=member.pk,
        changed_fields=sorted(name for name, value in cleaned.items() if value not in ("", None)),
        channel=channel,
    )
    return member


@transaction.atomic
def family_member_update(
    *, actor: Actor, case: Case, member: FamilyMember, values: Mapping[str, Any], channel: str = "web"
) -> FamilyMember:
    cleaned = _known(values, FAMILY_FIELDS)
    locked = _family_case(actor, case, cleaned)
    row = (
        FamilyMember.objects.select_for_update(of=("self",))
        .select_related("person__data_key")
        .filter(pk=member.pk, case=locked)
        .first()
    )
    if row is None:
        raise NotPermitted("No family member found.")
    changed = [name for name, value in cleaned.items() if getattr(row, name) != value]
    if not changed:
        return row
    for name in changed:
        setattr(row, name, cleaned[name])
    row.full_clean()
    row.updated_at = timezone.now()
    row.save(update_fields=[*changed, "updated_at"])
    if "name" in changed:
        family_index_refresh(locked.person)
    _audit_case(
        locked,
        actor=actor,
        kind=AuditEvent.Kind.WRITE,
        action="family_member.update",
        object_type="familymember",
        object_id=row.pk,
        changed_fields=sorted(changed),
        channel=channel,
    )
    return row


# --- Tracing requests -------------------------------------------------------------------------


def _audit_request(
    tracing_request: TracingRequest,
    *,
    actor: Actor,
    kind: str,
    action: str,
    object_type: str = "tracingrequest",
    object_id: int | None = None,
    case_reference: str = "",
    changed_fields: list[str] | tuple[str, ...] = (),
    purpose: str = "",
    channel: str = "",
) -> None:
    audit_record(
        actor=actor,
        kind=kind,
        action=action,
        object_type=object_type,
        object_id=tracing_request.pk if object_id is None else object_id,
        case_reference=case_reference or (tracing_request.case.reference if tracing_request.case is not None else ""),
        organisation_id=tracing_request.organisation_id,
        changed_fields=changed_fields,
        purpose=purpose,
        channel=channel,
    )


@transaction.atomic
def tracing_request_create(
    *,
    actor: Actor,
    organisation: Organisation,
    direction: str,
    values: Mapping[str, Any],
    case: Case | None = None,
    channel: str = "web",
) -> TracingRequest:
    """Open a request: an outside enquirer seeks a person, or a registered person (`case`) seeks a relative."""
    if not any(o.pk == organisation.pk for o in tracing_organisations(actor)):
        raise TracingRoleRefused("Your role may not trace families in this organisation.")
    cleaned = _known(values, REQUEST_FIELDS)
    if direction not in TracingRequest.Direction.values:
        raise ValidationError({"direction": _("Unknown direction.")})
    if direction == TracingRequest.Direction.PERSON_SEEKS_FAMILY:
        if case is None:
            raise ValidationError({"case": _("Name the case of the person who seeks a relative.")})
        case = Case.objects.select_related("person__data_key").get(pk=case.pk)
        if not may_act_on_case(actor, Action.VIEW, case):
            raise NotPermitted("No case found.")
        if case.is_erased:
            raise PersonErased(reference=case.reference)
        if not may_trace_for_case(actor, case):
            raise TracingRoleRefused("Your role may not trace on behalf of this person.")
        data_key = case.person.data_key
    else:
        if case is not None:
            raise ValidationError({"case": _("Only a registered person seeking a relative has a case here.")})
        data_key = runtime.data_key_create()
    if not (cleaned.get("sought_family_name") or cleaned.get("sought_family_name_hangul")) or not (
        cleaned.get("sought_given_name") or cleaned.get("sought_given_name_hangul")
    ):
        raise ValidationError(
            {"sought_given_name": _("Give the family name and the given name sought, in either script.")}
        )
    now = timezone.now()
    tracing_request = TracingRequest(
        organisation=organisation,
        data_key=data_key,
        direction=direction,
        case=case,
        created_by=actor if actor.is_authenticated else None,  # type: ignore[misc]
        created_at=now,
        updated_at=now,
        **cleaned,
    )
    tracing_request.full_clean()
    tracing_request.save()
    _audit_request(
        tracing_request,
        actor=actor,
        kind=AuditEvent.Kind.WRITE,
        action="tracing_request.create",
        changed_fields=sorted(name for name, value in cleaned.items() if value),
        purpose=direction,
        channel=channel,
    )
    return tracing_request


def _locked_request(actor: Actor, tracing_request: TracingRequest) -> TracingRequest:
    locked = (
        selectors.tracing_requests_visible_to(actor)
        .select_for_update(of=("self",))
        .select_related("data_key", "organisation", "case")
        .filter(pk=tracing_request.pk)
        .first()
    )
    if locked is None:
        raise NotPermitted("No tracing request found.")
    if not may_review_tracing_match(actor, locked.organisation):
        raise TracingRoleRefused("Your role may not trace families in this organisation.")
    return locked


def _name_query(tracing_request: TracingRequest) -> NameQuery:
    return NameQuery(
        family_name=tracing_request.sought_family_name,
        given_name=tracing_request.sought_given_name,
        family_name_hangul=tracing_request.sought_family_name_hangul,
        given_name_hangul=tracing_request.sought_given_name_hangul,
        date_of_birth=tracing_request.sought_date_of_birth,
    )


@transaction.atomic
def tracing_search(*, actor: Actor, tracing_request: TracingRequest, channel: str = "web") -> list[TracingMatch]:
    """Look for the person sought among those who consented to be traced and are within reach; store
    each candidate as a proposed match (earlier proposals no longer found are dropped, rejected ones
    are not proposed again). Returns the proposed matches, best first."""
    if not may_trace(actor):
        raise TracingRoleRefused("Your role may not trace families.")
    locked = _locked_request(actor, tracing_request)
    if locked.is_finished:
        raise ValidationError({"status": _("This request is finished; a search would change nothing.")})
    existing = {match.person_id: match for match in TracingMatch.objects.select_for_update().filter(request=locked)}
    reviewed = [person_id for person_id, match in existing.items() if match.status != TracingMatch.Status.PROPOSED]
    candidates = person_candidates(
        _name_query(locked),
        persons=selectors.tracing_candidate_persons(actor=actor, tracing_request=locked),
        exclude_person_ids=reviewed,
        limit=CANDIDATE_LIMIT,
    )
    found_ids = {candidate.person.pk for candidate in candidates}
    stale = [
        match.pk
        for person_id, match in existing.items()
        if match.status == TracingMatch.Status.PROPOSED and person_id not in found_ids
    ]
    TracingMatch.objects.filter(pk__in=stale).delete()
    proposed: list[TracingMatch] = []
    for candidate in candidates:
        match = existing.get(candidate.person.pk) or TracingMatch(request=locked, person=candidate.person)
        match.score = round(min(1.0, max(0.0, candidate.score)), 4)
        match.name_score = round(min(1.0, max(0.0, candidate.name_score)), 4)
        match.date_of_birth_agrees = candidate.date_of_birth_agrees
        match.save()
        proposed.append(match)
    locked.status = TracingRequest.Status.CANDIDATES_FOUND if proposed else TracingRequest.Status.OPEN
    locked.updated_at = timezone.now()
    locked.save(update_fields=["status", "updated_at"])
    _audit_request(
        locked,
        actor=actor,
        kind=AuditEvent.Kind.WRITE,
        action="tracing_request.search",
        changed_fields=["matches", "status"],
        purpose=f"{len(proposed)} candidates",
        channel=channel,
    )
    return proposed


def _reviewable(
    actor: Actor, tracing_request: TracingRequest, match: TracingMatch
) -> tuple[TracingRequest, TracingMatch]:
    locked = _locked_request(actor, tracing_request)
    row = (
        selectors.tracing_matches_shown(actor=actor, tracing_request=locked)
        .select_for_update(of=("self",))
        .filter(pk=match.pk)
        .first()
    )
    if row is None:
        raise NotPermitted("No match found.")
    if locked.is_finished:
        raise ValidationError({"status": _("This request is finished; its matches can no longer change.")})
    if row.status != TracingMatch.Status.PROPOSED:
        raise ValidationError({"status": _("This match was already reviewed.")})
    return locked, row


def _review(
    *, actor: Actor, tracing_request: TracingRequest, match: TracingMatch, to: str, note: str, channel: str
) -> TracingMatch:
    locked, row = _reviewable(actor, tracing_request, match)
    row.status = to
    row.reviewed_by = actor if actor.is_authenticated else None  # type: ignore[assignment]
    row.reviewed_at = timezone.now()
    row.review_note = note.strip()
    row.request = locked
    row.full_clean(exclude=["person", "request"])
    row.save(update_fields=["status", "reviewed_by", "reviewed_at", "review_note"])
    if to == TracingMatch.Status.CONFIRMED:
        locked.status = TracingRequest.Status.CONFIRMED
    elif not TracingMatch.objects.filter(request=locked, status=TracingMatch.Status.PROPOSED).exists():
        locked.status = TracingRequest.Status.OPEN
    locked.updated_at = timezone.now()
    locked.save(update_fields=["status", "updated_at"])
    _audit_request(
        locked,
        actor=actor,
        kind=AuditEvent.Kind.WRITE,
        action=f"tracing_match.{'confirm' if to == TracingMatch.Status.CONFIRMED else 'reject'}",
        object_type="tracingmatch",
        object_id=row.pk,
        case_reference=row.person.case.reference,
        changed_fields=["status", *(["review_note"] if note.strip() else [])],
        purpose=f"tracing request {locked.pk}",
        channel=channel,
    )
    return row


@transaction.atomic
def tracing_match_confirm(
    *, actor: Actor, tracing_request: TracingRequest, match: TracingMatch, note: str = "", channel: str = "web"
) -> TracingMatch:
    """The reviewer compared the fields and found the candidate to be the person sought."""
    return _review(
        actor=actor,
        tracing_request=tracing_request,
        match=match,
        to=TracingMatch.Status.CONFIRMED,
        note=note,
        channel=channel,
    )


@transaction.atomic
def tracing_match_reject(
    *, actor: Actor, tracing_request: TracingRequest, match: TracingMatch, note: str = "", channel: str = "web"
) -> TracingMatch:
    """The candidate is not the person sought; a later search will not propose them again."""
    return _review(
        actor=actor,
        tracing_request=tracing_request,
        match=match,
        to=TracingMatch.Status.REJECTED,
        note=note,
        channel=channel,
    )


CLOSING = (TracingRequest.Status.CLOSED_NO_MATCH, TracingRequest.Status.WITHDRAWN)


@transaction.atomic
def tracing_request_close(
    *, actor: Actor, tracing_request: TracingRequest, status: str, channel: str = "web"
) -> TracingRequest:
    """Close a request without a confirmed match: nobody found, or the enquirer withdrew it."""
    locked = _locked_request(actor, tracing_request)
    if status not in CLOSING:
        raise ValidationError({"status": _("Close as “no match” or “withdrawn”.")})
    if locked.is_finished:
        raise ValidationError({"status": _("This request is already finished.")})
    locked.status = status
    locked.updated_at = timezone.now()
    locked.save(update_fields=["status", "updated_at"])
    _audit_request(
        locked,
        actor=actor,
        kind=AuditEvent.Kind.WRITE,
        action="tracing_request.close",
        changed_fields=["status"],
        purpose=status,
        channel=channel,
    )
    return locked


def tracing_request_record_view(*, actor: Actor, tracing_request: TracingRequest, purpose: str, channel: str) -> None:
    """Log that `actor` read a request's protected fields (and, on review, its candidates')."""
    _audit_request(
        tracing_request,
        actor=actor,
        kind=AuditEvent.Kind.READ,
        action="tracing_request.view",
        purpose=purpose,
        channel=channel,
    )
