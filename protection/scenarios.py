"""Walk a case along the lifecycle the way its people would: record what each guard needs, then ask
the lifecycle service for the next stage. The demo data and the tests use it; every step goes
through the same services as the web app and the API, guards included.

`start` is the day the walk begins; each step happens a few days later than the one before (the
wish-verification interviews 8 days apart), back-dated through `case_transition(at=...)` so the
history reads as it would have happened.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from accounts.models import Organisation, Team, User
from accounts.policy import may_record_consent
from consent.models import Purpose
from consent.selectors import sharing_purpose_for
from consent.services import consent_record
from protection import services
from protection.models import Interview, LegalBasis, StageChange
from protection.stages import ENTRY_STAGES, Stage
from registry.models import Case, Custody
from registry.services import case_assign_team, custody_add

DESTINATION = "KR"
HOME = "KP"


@dataclass(frozen=True)
class Cast:
    """Who does what: the detaining power's liaison, the neutral interviewer, the decision maker (not
    an interviewer), the receiving state's liaison, a resettlement caseworker, and the owning
    organisation's supervisor who shares the case with the receiving state's team."""

    detaining: User
    interviewer: User
    decider: User
    receiving: User
    caseworker: User
    supervisor: User
    receiving_team: Team | None = None
    resettlement_team: Team | None = None


def consent_to_share(
    case: Case, cast: Cast, day: dt.date, *, organisation: Organisation | None = None, state: str = ""
) -> None:
    """The person's consent to share their data with `organisation` (or with the state `state`), taken
    (again) at the case's current stage by whoever works with them: sharing and acceptance need it live."""
    purpose = Purpose.SHARING_WITH_STATE
    if organisation is not None:
        needed = sharing_purpose_for(case, organisation)
        if needed is None:
            return
        purpose = Purpose(needed)
        state = organisation.country_code if purpose == Purpose.SHARING_WITH_STATE else ""
    recorder = next((user for user in (cast.interviewer, cast.caseworker) if may_record_consent(user, case)), None)
    if recorder is None:
        raise ValueError(f"nobody of the cast may record consents on {case.reference}")
    consent_record(
        actor=recorder,
        case=case,
        purpose=purpose,
        recipient_organisation=organisation,
        recipient_state=state,
        scope="Identity, custody, interviews' outcome and risk assessment, for the protection request.",
        taken_by="Protection officer of the neutral body",
        given_on=min(day, timezone.localdate()),  # never in the future, when a walk runs ahead of today
        language="Korean",
        interpreter="Independent interpreter",
        channel="demo",
    )


def share_with_receiving_state(case: Case, cast: Cast, day: dt.date) -> None:
    """Consent (again, at the current stage) to share with the destination and its mission's team,
    then share the case with that team (a no-op when it already has it)."""
    consent_to_share(case, cast, day, state=DESTINATION)
    team = cast.receiving_team
    if team is not None:
        if team.organisation.country_code.upper() != DESTINATION:
            consent_to_share(case, cast, day, organisation=team.organisation)
        case_assign_team(actor=cast.supervisor, case=case, team=team, channel="demo")


def moment_of(day: dt.date) -> dt.datetime:
    """When a scenario's step of `day` happened: noon, or now for a step of today before noon (a
    record is never dated in the future, and a step taken now sorts after it)."""
    return min(timezone.make_aware(dt.datetime.combine(day, dt.time(12, 0))), timezone.now())


def wish_interview(
    case: Case, cast: Cast, held_on: dt.date, *, wish: str = Interview.Wish.GO, destination: str = DESTINATION
) -> Interview:
    """A private wish-verification interview that qualifies under every safeguard."""
    return services.interview_record(
        actor=cast.interviewer,
        case=case,
        values={
            "kind": Interview.Kind.WISH_VERIFICATION,
            "held_on": held_on,
            "place": "Interview room 2",
            "independence_declared": True,
            "interpreter": "Independent interpreter (northern dialect)",
            "interpreter_is_independent": True,
            "language": "Korean (northern)",
            "korean_spoken": True,
            "present": "Interviewer, interpreter",
            "is_private": True,
            "options_briefing_given": True,
            "understanding_confirmed": True,
            "fit_for_interview": True,
            "fitness_note": "Fit for interview.",
            "stated_wish": wish,
            "stated_destination": destination if wish == Interview.Wish.GO else "",
            "reasons": "Stated in the person's own words.",
        },
        channel="demo",
    )


def handover_interview(
    case: Case, cast: Cast, held_on: dt.date, *, wish: str = Interview.Wish.GO, destination: str = DESTINATION
) -> Interview:
    return services.interview_record(
        actor=cast.interviewer,
        case=case,
        values={
            "kind": Interview.Kind.HANDOVER_RECONFIRMATION,
            "held_on": held_on,
            "place": "Handover point",
            "independence_declared": True,
            "interpreter_is_independent": True,
            "korean_spoken": True,
            "language": "Korean (northern)",
            "present": "Interviewer",
            "is_private": True,
            "options_briefing_given": True,
            "understanding_confirmed": True,
            "fit_for_interview": True,
            "stated_wish": wish,
            "stated_destination": destination if wish == Interview.Wish.GO else "",
        },
        channel="demo",
    )


def _step(case: Case, cast: Cast, target: str, day: dt.date) -> Case:
    """Record what the transition into `target` needs, then make it."""
    actor = cast.detaining
    note = ""
    if target == Stage.REGISTERED:
        blank = [name for name in ("rank", "date_of_birth", "place_of_origin") if not str(getattr(case.person, name))]
        services.nib_record_save(
            actor=actor,
            case=case,
            values={
                "serial_number": f"SN-{case.pk:06d}",
                "power_depended_on": [HOME],
                "father_first_name": "not stated",
                "person_to_inform": "",
                "correspondence_address": "",
                "mother_maiden_name": "",
                "not_available": ["mother_maiden_name", "person_to_inform", "correspondence_address", *blank],
            },
            channel="demo",
        )
    elif target == Stage.IN_CUSTODY:
        custody_add(
            actor=actor, case=case, facility="Camp 1", kind=Custody.Kind.CAMP, from_date=day - dt.timedelta(days=2)
        )
        for kind in ("capture_card_offered", "capture_card_sent"):
            services.event_record(actor=actor, case=case, values={"kind": kind, "occurred_on": day}, channel="demo")
    elif target == Stage.WISH_RECORDED:
        actor = cast.interviewer
        wish_interview(case, cast, day)
    elif target == Stage.WISH_VERIFYING:
        actor = cast.interviewer
    elif target == Stage.WISH_ESTABLISHED:
        actor = cast.decider
        wish_interview(case, cast, day - dt.timedelta(days=1))
        note = "Two private interviews, eight days apart, agree; the person was briefed on every option."
    elif target == Stage.RISK_ASSESSED:
        for state, risk in ((HOME, True), (DESTINATION, False)):
            services.risk_assessment_record(
                actor=actor,
                case=case,
                values={
                    "destination": state,
                    "assessed_on": day,
                    "protecting_body_consulted": True,
                    "risk_found": risk,
                    "reasons": "Assessment on file.",
                },
                channel="demo",
            )
    elif target == Stage.PROTECTION_REQUESTED:
        share_with_receiving_state(case, cast, day)
        actor = cast.receiving
        services.protection_request_record(
            actor=actor,
            case=case,
            values={"receiving_state": DESTINATION, "requested_on": day, "made_in_person": True},
            channel="demo",
        )
    elif target == Stage.ACCEPTED:
        actor = cast.receiving
        share_with_receiving_state(case, cast, day)  # the consent confirmed again at the new stage
        if not case.protection_requests.exists():  # a defector's case starts with the request
            services.protection_request_record(
                actor=actor,
                case=case,
                values={"receiving_state": DESTINATION, "requested_on": day, "made_in_person": True},
                channel="demo",
            )
        services.acceptance_record(
            actor=actor,
            case=case,
            values={
                "receiving_state": DESTINATION,
                "decided_on": day,
                "is_written": True,
                "document_reference": f"ACC-{case.pk}",
                "legal_basis": LegalBasis.RELEASE_AND_APPLICATION,
            },
            channel="demo",
        )
    elif target == Stage.TRANSFER_SCHEDULED:
        if not case.risk_assessments.filter(destination=DESTINATION).exists():  # a defector's case
            services.risk_assessment_record(
                actor=actor,
                case=case,
                values={
                    "destination": DESTINATION,
                    "assessed_on": day,
                    "protecting_body_consulted": True,
                    "risk_found": False,
                    "reasons": "Assessment on file.",
                },
                channel="demo",
            )
        services.transfer_schedule(
            actor=actor,
            case=case,
            values={
                "from_place": "Camp 1",
                "to_state": DESTINATION,
                "legal_basis": LegalBasis.RELEASE_AND_APPLICATION,
                "scheduled_for": day + dt.timedelta(days=7),
                "escort": "Two escorts",
                "neutral_witness": "ICRC delegate",
                "protecting_body_notified": True,
                "valuables_inventory_ready": True,
            },
            channel="demo",
        )
    elif target == Stage.TRANSFERRED:
        handover_interview(case, cast, day)
    elif target == Stage.SCREENING:
        actor = cast.receiving
    elif target == Stage.PROTECTION_GRANTED:
        actor = cast.receiving
        services.pathway_progress_save(actor=actor, case=case, values={"exclusions_checked": True}, channel="demo")
        note = "No Art. 9 exclusion applies."
    elif target == Stage.HANAWON:
        actor = cast.receiving
    elif target == Stage.RESIDENCE_PROTECTION:
        actor = cast.receiving
        services.pathway_progress_save(
            actor=actor,
            case=case,
            values={"programme_completed_on": day, "family_register_done": True, "housing_arranged": True},
            channel="demo",
        )
    elif target == Stage.SETTLED:
        if cast.resettlement_team is not None:
            consent_to_share(case, cast, day, organisation=cast.resettlement_team.organisation)
            case_assign_team(actor=cast.supervisor, case=case, team=cast.resettlement_team, channel="demo")
        actor = cast.caseworker
        note = "Residence protection ended."
    return services.case_transition(actor=actor, case=case, to=target, note=note, channel="demo", at=moment_of(day))


# Days from one stage to the next along the main path and South Korea's pathway.
GAPS: dict[str, int] = {
    Stage.REGISTERED: 1,
    Stage.IN_CUSTODY: 3,
    Stage.WISH_RECORDED: 10,
    Stage.WISH_VERIFYING: 0,
    Stage.WISH_ESTABLISHED: 9,
    Stage.RISK_ASSESSED: 5,
    Stage.PROTECTION_REQUESTED: 5,
    Stage.ACCEPTED: 10,
    Stage.TRANSFER_SCHEDULED: 5,
    Stage.TRANSFERRED: 7,
    Stage.SCREENING: 1,
    Stage.PROTECTION_GRANTED: 80,
    Stage.HANAWON: 7,
    Stage.RESIDENCE_PROTECTION: 85,
    Stage.SETTLED: 5 * 366,
}
PATH: tuple[str, ...] = (Stage.CAPTURED, *GAPS)


def _stages_between(origin: str, target: str) -> tuple[str, ...]:
    if origin not in PATH or target not in PATH or PATH.index(target) <= PATH.index(origin):
        raise ValueError(f"no walk from {origin} to {target}")
    return PATH[PATH.index(origin) + 1 : PATH.index(target) + 1]


def days_needed(target: str, *, origin: str = Stage.CAPTURED) -> int:
    """How many days a walk from `origin` to `target` spans."""
    return sum(GAPS[stage] for stage in _stages_between(origin, target))


def walk_to(case: Case, target: str, cast: Cast, *, start: dt.date | None = None) -> Case:
    """Take `case` from its stage along the main path (and South Korea's pathway) to `target`.

    Starts `start` (by default as many days ago as the walk needs, so it ends today)."""
    stages = _stages_between(case.stage, target)
    day = start or timezone.localdate() - dt.timedelta(days=sum(GAPS[stage] for stage in stages))
    if (
        case.stage in ENTRY_STAGES.values()
        and not StageChange.objects.filter(case=case).exclude(from_stage="").exists()
    ):
        # Loading history: the case was opened (a prisoner's at capture, a defector's at the
        # protection request) on the day the walk starts, not today.
        StageChange.objects.filter(case=case, from_stage="").update(occurred_at=moment_of(day))
    for stage in stages:
        day += dt.timedelta(days=GAPS[stage])
        case = _step(case, cast, stage, day)
    return case
