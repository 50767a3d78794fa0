"""Writes of the protection lifecycle. `case_transition` is the only code that changes a case's stage:
it locks the case, checks the actor's role and every guard, changes the stage, queues the events the
Convention requires and leaves the audit entry, in one transaction. The record services add the
interviews, assessments and decisions the guards read; each checks the policy and is audited."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone

from accounts.models import Organisation
from accounts.policy import Action, Actor, may_act_on_case, may_perform, may_read_interview_content, may_record
from audit.models import AuditEvent
from passage.errors import DomainError, NotPermitted, PersonErased
from protection import selectors
from protection.guards import Unmet, gettext_noop, unmet
from protection.models import (
    Acceptance,
    CaseEvent,
    DeathRecord,
    Extension,
    Interview,
    NibRecord,
    PathwayProgress,
    Proceedings,
    ProtectionRequest,
    RiskAssessment,
    StageChange,
    Transfer,
)
from protection.stages import Stage
from registry.models import Case
from registry.services import _audit_case

RecordT = TypeVar("RecordT", bound=models.Model)


class TransitionRefused(DomainError):
    """The guards found unmet conditions; `unmet` lists every one of them."""

    status = 409
    title = "Transition refused"

    def __init__(self, *, case: Case, to: str, unmet: Sequence[Unmet]) -> None:
        super().__init__(f"Case {case.reference} cannot move from {case.stage} to {to}: " + " ".join(map(str, unmet)))
        self.reference = case.reference
        self.from_stage = case.stage
        self.to = to
        self.unmet = list(unmet)


class RoleRefused(DomainError):
    """The actor sees the case but their role may not make this change."""

    status = 403
    title = "Not allowed for your role"


def _locked_case(actor: Actor, case: Case, action: Action = Action.VIEW) -> Case:
    """The case row, locked for this transaction, after the policy let `actor` reach it."""
    locked = Case.objects.select_for_update().select_related("person").get(pk=case.pk)
    if not may_act_on_case(actor, action, locked):
        raise NotPermitted("No case found.")
    if locked.is_erased:
        raise PersonErased(reference=locked.reference)
    return locked


def _record_check(actor: Actor, case: Case, record: str) -> Case:
    locked = _locked_case(actor, case)
    if not may_record(actor, locked, record):
        raise RoleRefused("Your role may not record this on the case.")
    return locked


def _save(record: RecordT, *, actor: Actor, case: Case, action: str, fields: Sequence[str], channel: str) -> RecordT:
    record.full_clean()
    record.save()
    _audit_case(
        case,
        actor=actor,
        kind=AuditEvent.Kind.WRITE,
        action=action,
        object_type=type(record)._meta.model_name or "",
        object_id=record.pk,
        changed_fields=sorted(fields),
        channel=channel,
    )
    return record


def _common(actor: Actor, case: Case) -> dict[str, Any]:
    return {"case": case, "person": case.person, "recorded_by": actor if actor.is_authenticated else None}


def _event_add(case: Case, *, kind: str, actor: Actor, occurred_on: dt.date, details: str = "") -> CaseEvent:
    forwarded = kind in CaseEvent.FORWARDED_KINDS
    event = CaseEvent(
        **_common(actor, case),
        kind=kind,
        occurred_on=occurred_on,
        details=details,
        forwarding=CaseEvent.Forwarding.QUEUED if forwarded else CaseEvent.Forwarding.NOT_NEEDED,
        route_through_central_agency=forwarded and case.person.protection_concern,
    )
    event.full_clean()
    event.save()
    return event


# --- The lifecycle --------------------------------------------------------------------------


@transaction.atomic
def case_transition(
    *, actor: Actor, case: Case, to: str, note: str = "", channel: str = "web", at: dt.datetime | None = None
) -> Case:
    """Move `case` to stage `to`, or refuse with every unmet condition (TransitionRefused).

    `at` backdates the change when loading history (the demo, a migration from an older register); it
    is never offered in the web app or the API, and the audit entry keeps the real time."""
    locked = _locked_case(actor, case)
    if to not in Stage.values:
        raise ValidationError({"to": f"Unknown stage. Use one of: {', '.join(Stage.values)}."})
    note = note.strip()
    transition = selectors.case_machine(locked).find(locked.stage, to)
    if transition is None:
        refusal = unmet(
            "no_such_transition",
            gettext_noop("A case cannot move from {source} to {target}."),
            source=locked.stage,
            target=to,
        )
        raise TransitionRefused(case=locked, to=to, unmet=[refusal])
    if not may_perform(actor, locked, transition.roles):
        raise RoleRefused("Your role may not make this change.")
    if transition.is_protection_decision and not may_read_interview_content(actor, locked):
        raise RoleRefused("Only the protection body, outside the detaining power, decides about the wish.")
    moment = at or timezone.now()
    today = timezone.localdate(moment)
    facts = selectors.case_facts(locked, actor_id=int(actor.pk or 0), note=note, today=today)
    found = [problem for guard in transition.guards for problem in guard(facts)]
    if found:
        raise TransitionRefused(case=locked, to=to, unmet=found)

    from_stage = locked.stage
    StageChange.objects.create(
        case=locked,
        person=locked.person,
        from_stage=from_stage,
        to_stage=to,
        actor=actor if actor.is_authenticated else None,  # type: ignore[misc]
        note=note,
        is_withdrawal=transition.is_withdrawal,
        occurred_at=moment,
    )
    for kind in transition.events:
        _event_add(locked, kind=kind, actor=actor, occurred_on=today)
    if transition.is_withdrawal:  # the transfer rested on the withdrawn wish
        Transfer.objects.filter(case=locked, status=Transfer.Status.SCHEDULED).update(status=Transfer.Status.CANCELLED)
    if to in (Stage.TRANSFERRED, Stage.THIRD_COUNTRY):
        _transfer_complete(locked, today=today)
    if to == Stage.DECEASED:
        death = DeathRecord.objects.get(case=locked)
        if death.cause in DeathRecord.ENQUIRY_CAUSES:  # rule (c) 13; GC III Art. 121
            _event_add(locked, kind=CaseEvent.Kind.DEATH_ENQUIRY_OPENED, actor=actor, occurred_on=today)
    locked.stage = to
    locked.version += 1
    locked.updated_at = timezone.now()
    locked.save(update_fields=["stage", "version", "updated_at"])
    _audit_case(
        locked,
        actor=actor,
        kind=AuditEvent.Kind.WRITE,
        action="case.transition",
        changed_fields=["stage"] + (["note"] if note else []),
        purpose=f"{from_stage} -> {to}",
        channel=channel,
    )
    return locked


def _transfer_complete(case: Case, *, today: dt.date) -> None:
    transfer = Transfer.objects.filter(case=case, status=Transfer.Status.SCHEDULED).order_by("-scheduled_for").first()
    if transfer is None:
        return
    handover = (
        Interview.objects.filter(case=case, kind=Interview.Kind.HANDOVER_RECONFIRMATION, held_on=today)
        .order_by("-pk")
        .first()
    )
    transfer.status = Transfer.Status.DONE
    transfer.done_on = today
    transfer.handover_reconfirmation = handover
    transfer.save(update_fields=["status", "done_on", "handover_reconfirmation"])


# --- Records the guards read ------------------------------------------------------------------

INTERVIEW_FIELDS = (
    "kind",
    "held_on",
    "place",
    "interviewer",
    "interviewer_organisation",
    "independence_declared",
    "interpreter",
    "interpreter_is_independent",
    "language",
    "korean_spoken",
    "present",
    "is_private",
    "detaining_power_present",
    "receiving_state_present",
    "options_briefing_given",
    "understanding_confirmed",
    "fit_for_interview",
    "fitness_note",
    "stated_wish",
    "stated_destination",
    "reasons",
    "source",
)


def _known(values: Mapping[str, Any], allowed: Sequence[str]) -> dict[str, Any]:
    unknown = set(values) - set(allowed)
    if unknown:
        raise ValidationError({name: "Unknown field." for name in sorted(unknown)})
    return {name: value.strip() if isinstance(value, str) else value for name, value in values.items()}


@transaction.atomic
def interview_record(*, actor: Actor, case: Case, values: Mapping[str, Any], channel: str = "web") -> Interview:
    """Record an interview or an external statement. The interviewer is the actor unless another is
    named; an external statement has none and never counts (PROCESS.md (c) 9)."""
    cleaned = _known(values, INTERVIEW_FIELDS)
    kind = cleaned.get("kind", "")
    if kind not in Interview.Kind.values:
        raise ValidationError({"kind": f"Unknown interview type. Use one of: {', '.join(Interview.Kind.values)}."})
    locked = _record_check(actor, case, f"interview.{kind}")
    if kind == Interview.Kind.EXTERNAL_STATEMENT:
        cleaned["interviewer"] = None
        cleaned["interviewer_organisation"] = None
    else:
        if cleaned.get("interviewer") is None:  # not named, or named as empty: the person recording it
            cleaned["interviewer"] = actor
        if cleaned.get("interviewer_organisation") is None:
            cleaned["interviewer_organisation"] = _organisation_on_case(cleaned["interviewer"], locked)
    if "stated_destination" in cleaned:
        cleaned["stated_destination"] = str(cleaned["stated_destination"]).upper()
    interview = Interview(**_common(actor, locked), **cleaned)
    interview.full_clean()  # parses the date before it is compared
    if interview.held_on > timezone.localdate():
        raise ValidationError({"held_on": "An interview cannot be recorded before it was held."})
    return _save(interview, actor=actor, case=locked, action="interview.record", fields=list(cleaned), channel=channel)


def _organisation_on_case(user: Any, case: Case) -> Organisation | None:
    """The organisation an interviewer works for on this case (the one through which they reach it)."""
    from accounts.policy import case_memberships

    memberships = case_memberships(user, case)
    return memberships[0].organisation if memberships else None


NIB_FIELDS = (*NibRecord.EXTRA_FIELDS, "not_available")
ART_122_MARKABLE = (
    "family_name",
    "given_name",
    "rank",
    "date_of_birth",
    "place_of_origin",
    *NibRecord.EXTRA_FIELDS,
)


@transaction.atomic
def nib_record_save(*, actor: Actor, case: Case, values: Mapping[str, Any], channel: str = "web") -> NibRecord:
    """Create or update the Art. 122 record of the case."""
    cleaned = _known(values, NIB_FIELDS)
    locked = _record_check(actor, case, "nib_record")
    unknown_marks = set(cleaned.get("not_available", [])) - set(ART_122_MARKABLE)
    if unknown_marks:
        raise ValidationError({"not_available": f"Not an Art. 122 field: {', '.join(sorted(unknown_marks))}."})
    if "power_depended_on" in cleaned:
        cleaned["power_depended_on"] = [str(code).strip().upper() for code in cleaned["power_depended_on"] if code]
    record = NibRecord.objects.filter(case=locked).first() or NibRecord(**_common(actor, locked))
    created = record.pk is None
    for name, value in cleaned.items():
        setattr(record, name, value)
    record = _save(record, actor=actor, case=locked, action="nib_record.save", fields=list(cleaned), channel=channel)
    if created:
        _event_add(locked, kind=CaseEvent.Kind.NIB_RECORD_CREATED, actor=actor, occurred_on=timezone.localdate())
    return record


def _simple_record(
    model: type[RecordT], record: str, fields: Sequence[str]
) -> Any:  # a service per record kind, all alike
    @transaction.atomic
    def create(*, actor: Actor, case: Case, values: Mapping[str, Any], channel: str = "web") -> RecordT:
        cleaned = _known(values, fields)
        locked = _record_check(actor, case, record)
        for name in ("destination", "receiving_state", "to_state"):
            if isinstance(cleaned.get(name), str):
                cleaned[name] = cleaned[name].upper()
        row = model(**_common(actor, locked), **cleaned)
        return _save(row, actor=actor, case=locked, action=f"{record}.record", fields=list(cleaned), channel=channel)

    create.__name__ = f"{record}_record"
    create.__doc__ = f"Record a {model._meta.verbose_name} on the case (policy: {record})."
    return create


risk_assessment_record = _simple_record(
    RiskAssessment,
    "risk_assessment",
    ("destination", "assessed_on", "protecting_body_consulted", "risk_found", "reasons"),
)
protection_request_record = _simple_record(
    ProtectionRequest,
    "protection_request",
    (
        "receiving_state",
        "requested_on",
        "made_in_person",
        "in_person_exception",
        "entered_receiving_state_on",
    ),
)
acceptance_record = _simple_record(
    Acceptance, "acceptance", ("receiving_state", "decided_on", "is_written", "document_reference", "legal_basis")
)
proceedings_record = _simple_record(
    Proceedings, "proceedings", ("opened_on", "closed_on", "description", "other_party_notified_on")
)
extension_record = _simple_record(Extension, "extension", ("kind", "days", "approved_on", "approved_by_body"))

TRANSFER_FIELDS = (
    "from_place",
    "to_state",
    "legal_basis",
    "scheduled_for",
    "escort",
    "neutral_witness",
    "protecting_body_notified",
    "valuables_inventory_ready",
)


@transaction.atomic
def transfer_schedule(*, actor: Actor, case: Case, values: Mapping[str, Any], channel: str = "web") -> Transfer:
    """Plan the transfer (or replace the plan): a scheduled transfer cancels the one before it."""
    cleaned = _known(values, TRANSFER_FIELDS)
    locked = _record_check(actor, case, "transfer")
    if isinstance(cleaned.get("to_state"), str):
        cleaned["to_state"] = cleaned["to_state"].upper()
    Transfer.objects.filter(case=locked, status=Transfer.Status.SCHEDULED).update(status=Transfer.Status.CANCELLED)
    acceptance = Acceptance.objects.filter(case=locked).order_by("-decided_on", "-pk").first()
    transfer = Transfer(**_common(actor, locked), acceptance=acceptance, **cleaned)
    return _save(transfer, actor=actor, case=locked, action="transfer.schedule", fields=list(cleaned), channel=channel)


@transaction.atomic
def proceedings_close(
    *, actor: Actor, case: Case, proceedings: Proceedings, closed_on: dt.date, channel: str = "web"
) -> Proceedings:
    locked = _record_check(actor, case, "proceedings")
    if proceedings.case_id != locked.pk:
        raise NotPermitted("No proceedings found.")
    proceedings.closed_on = closed_on
    return _save(
        proceedings, actor=actor, case=locked, action="proceedings.close", fields=["closed_on"], channel=channel
    )


DEATH_FIELDS = (
    "died_on",
    "cause",
    "cause_detail",
    "place",
    "buried_on",
    "grave",
    "medical_examination_done",
)


@transaction.atomic
def death_record_save(*, actor: Actor, case: Case, values: Mapping[str, Any], channel: str = "web") -> DeathRecord:
    cleaned = _known(values, DEATH_FIELDS)
    locked = _record_check(actor, case, "death_record")
    record = DeathRecord.objects.filter(case=locked).first() or DeathRecord(**_common(actor, locked))
    for name, value in cleaned.items():
        setattr(record, name, value)
    return _save(record, actor=actor, case=locked, action="death_record.save", fields=list(cleaned), channel=channel)


PATHWAY_FIELDS = ("exclusions_checked", "programme_completed_on", "family_register_done", "housing_arranged")


@transaction.atomic
def pathway_progress_save(
    *, actor: Actor, case: Case, values: Mapping[str, Any], channel: str = "web"
) -> PathwayProgress:
    cleaned = _known(values, PATHWAY_FIELDS)
    locked = _record_check(actor, case, "pathway_progress")
    record = PathwayProgress.objects.filter(case=locked).first() or PathwayProgress(**_common(actor, locked))
    for name, value in cleaned.items():
        setattr(record, name, value)
    return _save(
        record, actor=actor, case=locked, action="pathway_progress.save", fields=list(cleaned), channel=channel
    )


EVENT_FIELDS = ("kind", "occurred_on", "details", "is_seriously_ill", "witnesses_present", "witnesses_requested")
# Events that only a transition records (so the stage and the notifications agree).
TRANSITION_EVENTS = frozenset(
    {
        CaseEvent.Kind.NIB_FORWARDED,
        CaseEvent.Kind.TRANSFER,
        CaseEvent.Kind.REPATRIATION,
        CaseEvent.Kind.RELEASE,
        CaseEvent.Kind.ESCAPE,
        CaseEvent.Kind.DEATH,
        CaseEvent.Kind.DEATH_ENQUIRY_OPENED,
        CaseEvent.Kind.WISH_WITHDRAWN,
        CaseEvent.Kind.PROCEEDINGS_PENDING_NOTICE,
        CaseEvent.Kind.NIB_RECORD_CREATED,
    }
)


@transaction.atomic
def event_record(*, actor: Actor, case: Case, values: Mapping[str, Any], channel: str = "web") -> CaseEvent:
    """Record a Convention event (capture card, hospital admission, weekly health, visit, ...); those
    the Convention requires to be passed on are queued for forwarding (rule (c) 3)."""
    cleaned = _known(values, EVENT_FIELDS)
    locked = _record_check(actor, case, "event")
    kind = cleaned.get("kind", "")
    if kind not in CaseEvent.Kind.values:
        raise ValidationError({"kind": f"Unknown event. Use one of: {', '.join(CaseEvent.Kind.values)}."})
    if kind in TRANSITION_EVENTS:
        raise ValidationError({"kind": "This event is recorded by the stage change it belongs to."})
    forwarded = kind in CaseEvent.FORWARDED_KINDS
    event = CaseEvent(
        **_common(actor, locked),
        **cleaned,
        forwarding=CaseEvent.Forwarding.QUEUED if forwarded else CaseEvent.Forwarding.NOT_NEEDED,
        route_through_central_agency=forwarded and locked.person.protection_concern,
    )
    event.full_clean()  # parses the date before it is compared
    if event.occurred_on > timezone.localdate():
        raise ValidationError({"occurred_on": "An event cannot be recorded before it happened."})
    return _save(event, actor=actor, case=locked, action="event.record", fields=list(cleaned), channel=channel)


@transaction.atomic
def event_mark_forwarded(*, actor: Actor, case: Case, event: CaseEvent, channel: str = "web") -> CaseEvent:
    """The NIB passed the notification on (Art. 122: "immediately by the most rapid means")."""
    locked = _record_check(actor, case, "event.forward")
    if event.case_id != locked.pk:
        raise NotPermitted("No event found.")
    if event.forwarding != CaseEvent.Forwarding.QUEUED:
        raise ValidationError({"forwarding": "This event is not waiting to be forwarded."})
    event.forwarding = CaseEvent.Forwarding.FORWARDED
    event.forwarded_at = timezone.now()
    event.save(update_fields=["forwarding", "forwarded_at"])
    _audit_case(
        locked,
        actor=actor,
        kind=AuditEvent.Kind.WRITE,
        action="event.forward",
        object_type="caseevent",
        object_id=event.pk,
        changed_fields=["forwarding"],
        channel=channel,
    )
    return event
