"""Reads of the protection lifecycle: the facts the guards see, the transitions open to an actor, the
records of a case and its timeline."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache
from typing import Any

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy

from accounts.models import Organisation
from accounts.policy import Actor, case_roles, may_read_interview_content
from consent.selectors import has_state_sharing_consent
from protection import rules
from protection.guards import InterviewFacts, InterviewKind, StatedWish, Unmet, WishThresholds
from protection.models import (
    Acceptance,
    CaseEvent,
    DeathRecord,
    Extension,
    Interview,
    NibRecord,
    PathwayProgress,
    ProtectionRequest,
    RiskAssessment,
    StageChange,
    Transfer,
)
from protection.stages import Stage
from protection.transitions import Machine, Pathway, Transition, pathway_for, pathways_load
from registry.models import Case, Custody, Person

INDEPENDENT_KINDS = (Organisation.Kind.PROTECTION_BODY, Organisation.Kind.NGO)


@cache
def pathways() -> tuple[Pathway, ...]:
    return pathways_load(settings.PASSAGE_PATHWAYS_FILE or None)


def wish_thresholds() -> WishThresholds:
    return WishThresholds(
        min_interviews=settings.PASSAGE_WISH_MIN_INTERVIEWS,
        min_neutral_interviews=settings.PASSAGE_WISH_MIN_NEUTRAL_INTERVIEWS,
        min_days_between_first_and_last=settings.PASSAGE_WISH_MIN_DAYS_APART,
    )


def deadlines() -> rules.Deadlines:
    return rules.Deadlines(
        capture_card_days=settings.PASSAGE_CAPTURE_CARD_DAYS,
        health_report_days=settings.PASSAGE_HEALTH_REPORT_DAYS,
        notification_forward_days=settings.PASSAGE_NOTIFICATION_FORWARD_DAYS,
        late_application_days=settings.PASSAGE_LATE_APPLICATION_DAYS,
        residence_protection_warning_days=settings.PASSAGE_RESIDENCE_PROTECTION_WARNING_DAYS,
    )


def receiving_state_of(case: Case) -> str:
    acceptance = Acceptance.objects.filter(case=case).order_by("-decided_on", "-pk").first()
    if acceptance is not None:
        return acceptance.receiving_state
    request = ProtectionRequest.objects.filter(case=case).order_by("-requested_on", "-pk").first()
    return request.receiving_state if request is not None else ""


def case_pathway(case: Case) -> Pathway:
    return pathway_for(receiving_state_of(case), pathways())


def case_machine(case: Case) -> Machine:
    return Machine.for_pathway(case_pathway(case))


def last_withdrawal(case: Case) -> StageChange | None:
    return StageChange.objects.filter(case=case, is_withdrawal=True).order_by("-occurred_at", "-pk").first()


def interviews_since_withdrawal(case: Case) -> QuerySet[Interview]:
    """A withdrawn wish must be verified anew: only what was said afterwards counts."""
    interviews = Interview.objects.filter(case=case).select_related("interviewer_organisation")
    withdrawal = last_withdrawal(case)
    if withdrawal is not None:
        interviews = interviews.filter(
            recorded_at__gt=withdrawal.occurred_at, held_on__gte=timezone.localdate(withdrawal.occurred_at)
        )
    return interviews.order_by("held_on", "pk")


def interview_facts(interview: Interview) -> InterviewFacts:
    organisation = interview.interviewer_organisation
    kind = organisation.kind if organisation is not None else ""
    return InterviewFacts(
        kind=InterviewKind(interview.kind),
        held_on=interview.held_on,
        interviewer_id=interview.interviewer_id or 0,
        is_private=interview.is_private,
        detaining_power_present=interview.detaining_power_present,
        receiving_state_present=interview.receiving_state_present,
        interviewer_is_independent=kind in INDEPENDENT_KINDS,
        interviewer_signed_declaration=interview.independence_declared,
        interviewer_is_neutral_body=kind == Organisation.Kind.PROTECTION_BODY,
        korean_spoken=interview.korean_spoken,
        interpreter_is_independent=interview.interpreter_is_independent or not interview.interpreter,
        understanding_confirmed=interview.understanding_confirmed,
        options_briefing_given=interview.options_briefing_given,
        fit_for_interview=interview.fit_for_interview,
        stated_destination=interview.stated_destination,
        stated_wish=StatedWish(interview.stated_wish),
        recorded_by_id=interview.recorded_by_id or 0,
    )


def _missing_art_122_fields(case: Case, nib: NibRecord | None) -> tuple[str, ...]:
    if nib is None:
        return ()
    marked = set(nib.not_available)
    missing = [
        name for name in rules.ART_122_PERSON_FIELDS if name not in marked and not str(getattr(case.person, name))
    ]
    for name in rules.ART_122_RECORD_FIELDS:
        value = getattr(nib, name)
        if name not in marked and not (value if isinstance(value, list) else str(value)):
            missing.append(name)
    return tuple(missing)


def _pathway_facts(case: Case, pathway: Pathway, changes: list[StageChange]) -> rules.PathwayFacts:
    def entered(stage: str) -> dt.date | None:
        dates = [timezone.localdate(c.occurred_at) for c in changes if c.to_stage == stage]
        return dates[-1] if dates else None

    extensions = list(Extension.objects.filter(case=case))
    progress = PathwayProgress.objects.filter(case=case).first()
    return rules.PathwayFacts(
        screening_started_on=entered(Stage.SCREENING),
        screening_max_days=pathway.screening_max_days,
        screening_extension_days=pathway.screening_extension_days,
        screening_extensions_approved=sum(1 for e in extensions if e.kind == Extension.Kind.SCREENING),
        screening_extension_days_approved=sum(e.days for e in extensions if e.kind == Extension.Kind.SCREENING),
        exclusions_checked=progress.exclusions_checked if progress else False,
        programme_completed_on=progress.programme_completed_on if progress else None,
        family_register_done=progress.family_register_done if progress else False,
        housing_arranged=progress.housing_arranged if progress else False,
        residence_protection_started_on=entered(Stage.RESIDENCE_PROTECTION),
        residence_protection_years=pathway.residence_protection_years,
        residence_protection_extension_days=sum(
            e.days for e in extensions if e.kind == Extension.Kind.RESIDENCE_PROTECTION
        ),
    )


def case_facts(case: Case, *, actor_id: int = 0, note: str = "", today: dt.date | None = None) -> rules.CaseFacts:
    """The snapshot the guards read. The lifecycle service calls it with the case row locked."""
    today = today or timezone.localdate()
    changes = list(StageChange.objects.filter(case=case).order_by("occurred_at", "pk"))
    withdrawal_at = max((c.occurred_at for c in changes if c.is_withdrawal), default=None)
    since = [c for c in changes if withdrawal_at is None or c.occurred_at > withdrawal_at]
    nib = NibRecord.objects.filter(case=case).first()
    # A withdrawn wish is verified anew, and the request, acceptance and transfer that rested on it
    # no longer count: only those recorded since.
    since_withdrawal = {"recorded_at__gt": withdrawal_at} if withdrawal_at is not None else {}
    request = ProtectionRequest.objects.filter(case=case, **since_withdrawal).order_by("-requested_on", "-pk").first()
    acceptance = Acceptance.objects.filter(case=case, **since_withdrawal).order_by("-decided_on", "-pk").first()
    transfer = (
        Transfer.objects.filter(case=case, **since_withdrawal)
        .exclude(status=Transfer.Status.CANCELLED)
        .order_by("-scheduled_for", "-pk")
    ).first()
    death = DeathRecord.objects.filter(case=case).first()
    arrivals = Custody.objects.filter(case=case, kind__in=[Custody.Kind.CAMP, Custody.Kind.TRANSIT])
    first_arrival = arrivals.order_by("from_date").values_list("from_date", flat=True).first()
    card = (
        CaseEvent.objects.filter(
            case=case,
            kind__in=[
                CaseEvent.Kind.CAPTURE_CARD_OFFERED,
                CaseEvent.Kind.CAPTURE_CARD_SENT,
                CaseEvent.Kind.CAPTURE_CARD_DECLINED,
            ],
        )
        .order_by("occurred_on")
        .values_list("occurred_on", flat=True)
        .first()
    )
    # The pathway of the receiving state on file (the same rows case_pathway would read again).
    current = acceptance or request
    pathway = pathway_for(current.receiving_state if current is not None else "", pathways())
    home_states = tuple(str(code).upper() for code in (nib.power_depended_on if nib else []) if str(code).strip())
    return rules.CaseFacts(
        stage=case.stage,
        entry_route=case.entry_route,
        today=today,
        actor_id=actor_id,
        note=note,
        interviews=tuple(interview_facts(i) for i in interviews_since_withdrawal(case)),
        wish_established=any(c.to_stage == Stage.WISH_ESTABLISHED for c in since),
        home_states=home_states,
        risk_assessments=tuple(
            rules.RiskFacts(a.destination.upper(), a.assessed_on, a.protecting_body_consulted, a.risk_found)
            for a in RiskAssessment.objects.filter(case=case)
        ),
        protection_request=(
            rules.ProtectionRequestFacts(
                receiving_state=request.receiving_state.upper(),
                requested_on=request.requested_on,
                made_in_person=request.made_in_person,
                has_in_person_exception=bool(str(request.in_person_exception).strip()),
                consent_to_share_given=has_state_sharing_consent(case, request.receiving_state, today=today),
                entered_receiving_state_on=request.entered_receiving_state_on,
            )
            if request
            else None
        ),
        acceptance=(
            rules.AcceptanceFacts(
                acceptance.receiving_state.upper(),
                acceptance.decided_on,
                acceptance.is_written,
                acceptance.legal_basis,
                consent_to_share_given=has_state_sharing_consent(case, acceptance.receiving_state, today=today),
            )
            if acceptance
            else None
        ),
        transfer=(
            rules.TransferFacts(
                to_state=transfer.to_state.upper(),
                legal_basis=transfer.legal_basis,
                scheduled_for=transfer.scheduled_for,
                has_escort=bool(str(transfer.escort).strip()),
                has_neutral_witness=bool(str(transfer.neutral_witness).strip()),
                protecting_body_notified=transfer.protecting_body_notified,
                valuables_inventory_ready=transfer.valuables_inventory_ready,
                is_done=transfer.status == Transfer.Status.DONE,
            )
            if transfer
            else None
        ),
        pending_proceedings=case.proceedings.filter(closed_on__isnull=True).count(),
        missing_art_122_fields=_missing_art_122_fields(case, nib),
        has_nib_record=nib is not None,
        camp_arrival_on=first_arrival,
        capture_card_offered_on=card,
        death=(
            rules.DeathFacts(
                cause=death.cause,
                has_cause_detail=bool(str(death.cause_detail).strip()),
                has_place=bool(str(death.place).strip()),
                buried_on=death.buried_on,
                has_grave=bool(str(death.grave).strip()),
            )
            if death
            else None
        ),
        pathway=_pathway_facts(case, pathway, changes),
        thresholds=wish_thresholds(),
        deadlines=deadlines(),
    )


def _field_label(name: str) -> str:
    for model in (NibRecord, Person, DeathRecord):
        try:
            return str(getattr(model._meta.get_field(name), "verbose_name", name))
        except FieldDoesNotExist:
            continue
    return name


DEATH_PARTS = {
    "cause": gettext_lazy("cause"),
    "place": gettext_lazy("place"),
    "burial date": gettext_lazy("burial date"),
    "grave": gettext_lazy("grave"),
}


def unmet_text(problem: Unmet) -> str:
    """An unmet condition in the active language: the template translated, stage codes and field names
    in the message shown by their (translated) labels."""
    params = dict(problem.params)
    for key in ("source", "target"):
        if params.get(key) in Stage.values:
            params[key] = Stage(str(params[key])).label
    if isinstance(params.get("fields"), str):
        names = [name.strip() for name in str(params["fields"]).split(",") if name.strip()]
        params["fields"] = ", ".join(str(DEATH_PARTS.get(name) or _field_label(name)) for name in names)
    return gettext(problem.template).format(**params)


@dataclass(frozen=True)
class TransitionOption:
    """A transition from the case's current stage, as one actor sees it."""

    transition: Transition
    is_role_allowed: bool
    unmet: tuple[Unmet, ...]

    @property
    def target(self) -> str:
        return self.transition.target

    @property
    def is_allowed(self) -> bool:
        return self.is_role_allowed and not self.unmet

    def as_json(self) -> dict[str, Any]:
        reasons = [{"rule": u.rule, "message": unmet_text(u)} for u in self.unmet]
        if not self.is_role_allowed:
            reasons.insert(0, {"rule": "role", "message": gettext("Your role may not make this change.")})
        return {
            "to": self.transition.target,
            "label": gettext(self.transition.label),
            "allowed": self.is_allowed,
            "needs_note": self.transition.needs_note,
            "roles": sorted(self.transition.roles),
            "unmet": reasons,
        }


def transitions_open(*, actor: Actor, case: Case) -> list[TransitionOption]:
    """Every transition out of the current stage, whether this actor may make it, and what it still needs.

    The note is not known yet here, so it is taken as given: transitions whose guards need written
    reasons say so (`needs_note`), and the lifecycle service checks the note when the change is asked for."""
    roles = case_roles(actor, case)
    reads_interviews = may_read_interview_content(actor, case)
    facts = case_facts(case, actor_id=int(actor.pk or 0), note="(reasons to be given)")
    options = []
    for transition in case_machine(case).from_stage(case.stage):
        found = tuple(problem for guard in transition.guards for problem in guard(facts))
        allowed = bool(roles & transition.roles) and (reads_interviews or not transition.is_protection_decision)
        options.append(TransitionOption(transition, allowed, found))
    return options


def case_stage_changes(case: Case) -> QuerySet[StageChange]:
    return StageChange.objects.filter(case=case).select_related("actor").order_by("occurred_at", "pk")


def case_interviews(case: Case) -> QuerySet[Interview]:
    return Interview.objects.filter(case=case).select_related("interviewer", "interviewer_organisation")


def case_events(case: Case) -> QuerySet[CaseEvent]:
    return CaseEvent.objects.filter(case=case).order_by("occurred_on", "pk")


def notification_queue(*, organisation_ids: list[int]) -> QuerySet[CaseEvent]:
    """Events waiting to be forwarded to the NIB or the Central Agency, oldest first."""
    return (
        CaseEvent.objects.filter(forwarding=CaseEvent.Forwarding.QUEUED, case__organisation_id__in=organisation_ids)
        .select_related("case")
        .order_by("occurred_on", "pk")
    )
