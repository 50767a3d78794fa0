"""Properties of the lifecycle, against the real services and database: random sequences of records
and transition attempts, by random actors of the test world, never transfer or repatriate a person
without the safeguards of PROCESS.md, and a refused transition changes nothing.

Each example opens a new case, walks it (guards and all) to a random stage along the main path,
then plays the random actions on back-dated days, so interviews can be days apart. The checks read
the database directly, not through `case_facts`, so they do not share the guards' code.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import itertools
from typing import TypeAlias

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from hypothesis import HealthCheck, event, given, settings, target
from hypothesis import strategies as st

from accounts.models import Organisation, User
from audit.models import AuditEvent
from conftest import World
from consent.models import Purpose
from consent.services import consent_record
from passage.errors import NotPermitted
from protection import selectors, services
from protection.models import (
    Interview,
    LegalBasis,
    Proceedings,
    ProtectionRequest,
    RiskAssessment,
    StageChange,
    Transfer,
)
from protection.scenarios import Cast, days_needed, walk_to
from protection.services import RoleRefused, TransitionRefused
from protection.stages import ENTRY_STAGES, MAIN_PATH, Stage
from protection.transitions import WISH_STAGES, Transition
from registry.models import Case, CaseAssignment
from registry.services import case_create

HOME = "KP"
PROPERTY_SETTINGS = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
)
REFUSED = (TransitionRefused, RoleRefused, NotPermitted, ValidationError)
_serial = itertools.count(1)


# --- Actions ------------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Advance:
    days: int


@dataclasses.dataclass(frozen=True)
class WishInterview:
    days_back: int
    by_neutral_body: bool
    is_private: bool
    detaining_power_present: bool
    wish: str
    destination: str


@dataclasses.dataclass(frozen=True)
class Statement:
    wish: str
    destination: str


@dataclasses.dataclass(frozen=True)
class Risk:
    state: str
    risk_found: bool
    consulted: bool


@dataclasses.dataclass(frozen=True)
class Request:
    state: str
    in_person: bool
    consent: bool


@dataclasses.dataclass(frozen=True)
class Accept:
    state: str
    is_written: bool
    consent: bool  # the consent to share, confirmed again at the current stage


@dataclasses.dataclass(frozen=True)
class ScheduleTransfer:
    state: str
    neutral_state_basis: bool
    is_prepared: bool
    days_ahead: int


@dataclasses.dataclass(frozen=True)
class Handover:
    same_day: bool
    is_private: bool
    wish: str
    destination: str


@dataclasses.dataclass(frozen=True)
class HandoverAttempt:
    """At the handover point: the reconfirmation, then the attempt to hand over."""

    handover: Handover
    to_third_country: bool
    actor: str


@dataclasses.dataclass(frozen=True)
class ReturnAttempt:
    """An interview about going home, an assessment of the home state, then the attempt to repatriate."""

    interview: WishInterview
    home: Risk
    actor: str


@dataclasses.dataclass(frozen=True)
class OpenProceedings:
    pass


@dataclasses.dataclass(frozen=True)
class CloseProceedings:
    pass


@dataclasses.dataclass(frozen=True)
class Attempt:
    pick: int  # which transition open from the current stage (forward ones first), unless `stage`
    stage: str | None  # any stage at all, most of them not open
    actor: str  # "right" for a user whose role fits, else a key of the world's users
    with_note: bool


Action: TypeAlias = (
    Advance
    | WishInterview
    | Statement
    | Risk
    | Request
    | Accept
    | ScheduleTransfer
    | Handover
    | HandoverAttempt
    | ReturnAttempt
    | OpenProceedings
    | CloseProceedings
    | Attempt
)

mostly = st.sampled_from([True, True, True, False])
rarely = st.sampled_from([False, False, False, True])
wishes = st.sampled_from([Interview.Wish.GO, Interview.Wish.GO, Interview.Wish.RETURN, Interview.Wish.WITHDRAWN])
states = st.sampled_from(["KR", "KR", "XG"])  # South Korea's pathway and the generic one
actors = st.sampled_from(
    ["right", "right", "right", "right", "detaining_a", "protection", "supervisor_a", "receiving", "detaining_b"]
)
attempts = st.builds(
    Attempt,
    pick=st.sampled_from([0, 0, 0, 0, 0, 1, 2]),
    stage=st.sampled_from([None, None, None, None, None, *Stage.values]),
    actor=actors,
    with_note=mostly,
)
mostly_right = st.sampled_from(["right", "right", "right", "right", "right", "right", "protection", "receiving"])
handovers = st.builds(
    Handover,
    mostly,
    mostly,
    st.sampled_from([Interview.Wish.GO, Interview.Wish.GO, Interview.Wish.GO, Interview.Wish.WITHDRAWN]),
    states,
)
handover_attempts = st.builds(HandoverAttempt, handovers, rarely, mostly_right)
return_attempts = st.builds(
    ReturnAttempt,
    st.builds(
        WishInterview,
        st.sampled_from([0, 1]),
        mostly,
        mostly,
        rarely,
        st.sampled_from([Interview.Wish.RETURN, Interview.Wish.RETURN, Interview.Wish.RETURN, Interview.Wish.GO]),
        states,
    ),
    st.builds(Risk, st.just(HOME), rarely, mostly),
    mostly_right,
)
records = (
    st.builds(WishInterview, st.sampled_from([0, 0, 1]), mostly, mostly, rarely, wishes, states),
    handovers,
    st.builds(Risk, st.sampled_from([HOME, "KR", "XG"]), rarely, mostly),
    st.builds(Request, states, mostly, mostly),
    st.builds(Accept, states, mostly, mostly),
    st.builds(ScheduleTransfer, states, rarely, mostly, st.sampled_from([0, 0, 2])),
    st.builds(Statement, wishes, states),
    st.just(OpenProceedings()),
    st.just(CloseProceedings()),
    st.builds(Advance, st.sampled_from([0, 0, 1, 3, 8])),
)
# Each run mixes records and attempts; the attempt its test is about comes more often, so that runs get
# there often enough (about a third of them) for the property to mean something.
actions_near_the_transfer = st.one_of(*[handover_attempts] * 4, attempts, attempts, return_attempts, *records)
actions_in_custody = st.one_of(*[return_attempts] * 3, attempts, attempts, handover_attempts, *records)


# Where a run starts: walked there along the main path, guards and all.
NEAR_THE_TRANSFER = [
    (Case.EntryRoute.PRISONER, Stage.TRANSFER_SCHEDULED),
    (Case.EntryRoute.PRISONER, Stage.TRANSFER_SCHEDULED),
    (Case.EntryRoute.PRISONER, Stage.ACCEPTED),
    (Case.EntryRoute.PRISONER, Stage.RISK_ASSESSED),
    (Case.EntryRoute.PRISONER, Stage.WISH_ESTABLISHED),
    (Case.EntryRoute.DEFECTOR, Stage.PROTECTION_REQUESTED),
    (Case.EntryRoute.DEFECTOR, Stage.ACCEPTED),
    (Case.EntryRoute.DEFECTOR, Stage.TRANSFER_SCHEDULED),
]
IN_OR_NEAR_CUSTODY = [
    (Case.EntryRoute.PRISONER, Stage.IN_CUSTODY),
    (Case.EntryRoute.PRISONER, Stage.IN_CUSTODY),
    (Case.EntryRoute.PRISONER, Stage.CAPTURED),
    (Case.EntryRoute.PRISONER, Stage.WISH_RECORDED),
    (Case.EntryRoute.PRISONER, Stage.WISH_VERIFYING),
]


# --- Playing them -------------------------------------------------------------------------------------


def _is_backward_or_aside(transition: Transition, source: str) -> bool:
    """Sorts moves along the main path first, so that random runs get far."""
    if transition.target not in MAIN_PATH or source not in MAIN_PATH:
        return True
    return MAIN_PATH.index(Stage(transition.target)) < MAIN_PATH.index(Stage(source))


RIGHT_ACTOR: dict[str, str] = {
    Stage.WISH_RECORDED: "protection",
    Stage.WISH_VERIFYING: "protection",
    Stage.WISH_ESTABLISHED: "supervisor_a",  # the decider did not interview
    Stage.PROTECTION_REQUESTED: "receiving",
    Stage.ACCEPTED: "receiving",
    Stage.SCREENING: "receiving",
    Stage.PROTECTION_GRANTED: "receiving",
    Stage.PROTECTION_DENIED: "receiving",
    Stage.HANAWON: "receiving",
    Stage.RESIDENCE_PROTECTION: "receiving",
    Stage.SETTLED: "caseworker_a",
}


class Run:
    """One random history of one new case."""

    def __init__(self, world: World, entry_route: str, start_stage: str) -> None:
        self.world = world
        self.today = timezone.localdate()
        case = case_create(
            actor=world.user("supervisor_a"),
            organisation=world.org_a,
            person={"family_name": "Example", "given_name": f"Person {next(_serial)}", "rank": "Private"},
            entry_route=entry_route,
            teams=[world.team_a],
            channel="test",
        )
        CaseAssignment.objects.create(case=case, team=world.team_protection)
        CaseAssignment.objects.create(case=case, team=world.team_receiving)
        self.cast = Cast(
            detaining=world.user("detaining_a"),
            interviewer=world.user("protection"),
            decider=world.user("protection_2"),
            receiving=world.user("receiving"),
            caseworker=world.user("caseworker_a"),
            supervisor=world.user("supervisor_a"),
            receiving_team=world.team_receiving,
        )
        start = self.today - dt.timedelta(days=300)
        entry = ENTRY_STAGES[entry_route]
        if start_stage != entry:
            case = walk_to(case, start_stage, self.cast, start=start)
        self.case = case
        self.day = start + dt.timedelta(days=days_needed(start_stage, origin=entry) if start_stage != entry else 0)
        self.tick = itertools.count(1)
        # The last withdrawal: its stage change and its day.
        self.withdrawal: tuple[int, dt.date] = (0, dt.date.min)
        self.checked: list[str] = []

    def user(self, key: str) -> User:
        return self.world.user(key)

    def play(self, action: Action) -> None:
        # A record the actor may not make, or one the model refuses, has nothing to check.
        with contextlib.suppress(*REFUSED):
            self._play(action)

    def _play(self, action: Action) -> None:
        case, day = self.case, self.day
        if isinstance(action, Advance):
            self.day = min(self.today, day + dt.timedelta(days=action.days))
        elif isinstance(action, WishInterview):
            self.interview(
                Interview.Kind.WISH_VERIFICATION,
                held_on=day - dt.timedelta(days=action.days_back),
                actor=self.user("protection" if action.by_neutral_body else "supervisor_a"),
                is_private=action.is_private,
                detaining_power_present=action.detaining_power_present,
                wish=action.wish,
                destination=action.destination,
            )
        elif isinstance(action, Statement):
            self.interview(
                Interview.Kind.EXTERNAL_STATEMENT,
                held_on=day,
                actor=self.user("protection"),
                is_private=False,
                detaining_power_present=False,
                wish=action.wish,
                destination=action.destination,
            )
        elif isinstance(action, Handover):
            self.interview(
                Interview.Kind.HANDOVER_RECONFIRMATION,
                held_on=day if action.same_day else day - dt.timedelta(days=1),
                actor=self.user("protection"),
                is_private=action.is_private,
                detaining_power_present=False,
                wish=action.wish,
                destination=action.destination,
            )
        elif isinstance(action, HandoverAttempt):
            self._play(action.handover)
            target = Stage.THIRD_COUNTRY if action.to_third_country else Stage.TRANSFERRED
            self.attempt(Attempt(pick=0, stage=target, actor=action.actor, with_note=True))
        elif isinstance(action, ReturnAttempt):
            self.play(action.interview)
            self.play(action.home)
            self.attempt(Attempt(pick=0, stage=Stage.REPATRIATED, actor=action.actor, with_note=True))
        elif isinstance(action, Risk):
            services.risk_assessment_record(
                actor=self.user("detaining_a"),
                case=case,
                values={
                    "destination": action.state,
                    "assessed_on": day,
                    "protecting_body_consulted": action.consulted,
                    "risk_found": action.risk_found,
                    "reasons": "Assessed.",
                },
                channel="test",
            )
        elif isinstance(action, Request):
            if action.consent:
                self.consent_to_share(action.state)
            services.protection_request_record(
                actor=self.user("receiving"),
                case=case,
                values={
                    "receiving_state": action.state,
                    "requested_on": day,
                    "made_in_person": action.in_person,
                },
                channel="test",
            )
        elif isinstance(action, Accept):
            if action.consent:
                self.consent_to_share(action.state)
            services.acceptance_record(
                actor=self.user("receiving"),
                case=case,
                values={
                    "receiving_state": action.state,
                    "decided_on": day,
                    "is_written": action.is_written,
                    "legal_basis": LegalBasis.RELEASE_AND_APPLICATION,
                },
                channel="test",
            )
        elif isinstance(action, ScheduleTransfer):
            services.transfer_schedule(
                actor=self.user("detaining_a"),
                case=case,
                values={
                    "from_place": "Camp",
                    "to_state": action.state,
                    "legal_basis": (
                        LegalBasis.NEUTRAL_STATE_TRANSFER
                        if action.neutral_state_basis
                        else LegalBasis.RELEASE_AND_APPLICATION
                    ),
                    "scheduled_for": day + dt.timedelta(days=action.days_ahead),
                    "neutral_witness": "Delegate",
                    "protecting_body_notified": action.is_prepared,
                    "valuables_inventory_ready": action.is_prepared,
                },
                channel="test",
            )
        elif isinstance(action, OpenProceedings):
            services.proceedings_record(
                actor=self.user("detaining_a"),
                case=case,
                values={"opened_on": day, "description": "Alleged offence.", "other_party_notified_on": day},
                channel="test",
            )
        elif isinstance(action, CloseProceedings):
            pending = Proceedings.objects.filter(case=case, closed_on__isnull=True).order_by("pk").first()
            if pending is not None:
                services.proceedings_close(
                    actor=self.user("detaining_a"), case=case, proceedings=pending, closed_on=day, channel="test"
                )
        else:
            self.attempt(action)

    def consent_to_share(self, state: str) -> None:
        consent_record(
            actor=self.user("protection"),
            case=self.case,
            purpose=Purpose.SHARING_WITH_STATE,
            recipient_state=state,
            scope="The protection request's data.",
            taken_by="Committee officer",
            given_on=min(self.day, self.today),
            channel="test",
        )

    def interview(
        self,
        kind: str,
        *,
        held_on: dt.date,
        actor: User,
        is_private: bool,
        detaining_power_present: bool,
        wish: str,
        destination: str,
    ) -> None:
        services.interview_record(
            actor=actor,
            case=self.case,
            values={
                "kind": kind,
                "held_on": held_on,
                "independence_declared": True,
                "interpreter_is_independent": True,
                "korean_spoken": True,
                "is_private": is_private,
                "detaining_power_present": detaining_power_present,
                "options_briefing_given": True,
                "understanding_confirmed": True,
                "fit_for_interview": True,
                "stated_wish": wish,
                "stated_destination": destination if wish == Interview.Wish.GO else "",
            },
            channel="test",
        )

    # --- Transitions ----------------------------------------------------------------------------

    def attempt(self, action: Attempt) -> None:
        source = self.case.stage
        if action.stage is not None:
            target = action.stage
        else:
            options = sorted(
                selectors.case_machine(self.case).from_stage(source), key=lambda t: _is_backward_or_aside(t, source)
            )
            if not options:
                return
            target = options[action.pick % len(options)].target
        if action.actor != "right":
            actor = self.user(action.actor)
        elif target == Stage.IN_CUSTODY and source in WISH_STAGES:
            actor = self.user("protection")  # a withdrawal
        else:
            actor = self.user(RIGHT_ACTOR.get(target, "detaining_a"))
        before = self.snapshot()
        moment = timezone.make_aware(dt.datetime.combine(self.day, dt.time(8, 0))) + dt.timedelta(
            seconds=next(self.tick)
        )
        try:
            self.case = services.case_transition(
                actor=actor,
                case=self.case,
                to=target,
                note="Reasons written down." if action.with_note else "",
                channel="test",
                at=moment,
            )
        except REFUSED:
            assert self.snapshot() == before, f"a refused move {source} -> {target} changed the case"
            return
        change = StageChange.objects.filter(case=self.case).latest("pk")
        assert (change.from_stage, change.to_stage) == (source, target)
        if change.is_withdrawal:
            self.withdrawal = (change.pk, self.day)
        if target in (Stage.TRANSFERRED, Stage.THIRD_COUNTRY):
            self.check_transfer()
        if target == Stage.REPATRIATED:
            self.check_repatriation()

    def snapshot(self) -> tuple[object, ...]:
        row = Case.objects.values_list("stage", "version").get(pk=self.case.pk)
        return (
            row,
            StageChange.objects.filter(case=self.case).count(),
            AuditEvent.objects.filter(case_reference=self.case.reference, action="case.transition").count(),
        )

    # --- The properties ---------------------------------------------------------------------------

    def good_wish_interviews(self) -> list[Interview]:
        """Private, qualifying wish-verification interviews by the neutral body since the last withdrawal.

        Interviews are known by their day: one held on the day of the withdrawal counts as after it
        (as the lifecycle reads history loaded back-dated, like this test's)."""
        found = Interview.objects.filter(
            case=self.case,
            kind=Interview.Kind.WISH_VERIFICATION,
            held_on__gte=self.withdrawal[1],
            interviewer_organisation__kind=Organisation.Kind.PROTECTION_BODY,
        ).order_by("pk")
        return [
            i
            for i in found
            if i.is_private
            and not i.detaining_power_present
            and not i.receiving_state_present
            and i.independence_declared
            and i.korean_spoken
            and i.understanding_confirmed
            and i.options_briefing_given
            and i.fit_for_interview
        ]

    def latest_assessment(self, state: str) -> RiskAssessment | None:
        return RiskAssessment.objects.filter(case=self.case, destination=state).order_by("assessed_on", "pk").last()

    def check_transfer(self) -> None:
        transfer = Transfer.objects.get(case=self.case, status=Transfer.Status.DONE)
        destination, day = transfer.to_state, self.day
        if self.case.entry_route == Case.EntryRoute.PRISONER:
            change_pk = self.withdrawal[0]
            assert StageChange.objects.filter(
                case=self.case, to_stage=Stage.WISH_ESTABLISHED, pk__gt=change_pk
            ).exists(), "transferred without a wish established since the last withdrawal"
            stated = {(i.stated_wish, i.stated_destination) for i in self.good_wish_interviews()}
            assert stated == {(Interview.Wish.GO, destination)}, f"transferred to {destination}; the wish: {stated}"
        else:
            request = ProtectionRequest.objects.filter(case=self.case).order_by("-requested_on", "-pk").first()
            assert request is not None and (request.made_in_person or request.in_person_exception)
        assessment = self.latest_assessment(destination)
        assert assessment is not None and not assessment.risk_found, (
            f"transferred to {destination} without risk cleared"
        )
        handover = (
            Interview.objects.filter(case=self.case, kind=Interview.Kind.HANDOVER_RECONFIRMATION, held_on=day)
            .order_by("pk")
            .last()
        )
        assert handover is not None, "transferred without a handover reconfirmation that day"
        assert handover.is_private and not handover.detaining_power_present and not handover.receiving_state_present
        assert (handover.stated_wish, handover.stated_destination) == (Interview.Wish.GO, destination)
        self.checked.append("transfer")

    def check_repatriation(self) -> None:
        returning = [i for i in self.good_wish_interviews() if i.stated_wish == Interview.Wish.RETURN]
        assert returning, "repatriated without a private neutral interview stating the wish to return"
        assessment = self.latest_assessment(HOME)
        assert assessment is not None and not assessment.risk_found, "repatriated without the home state cleared"
        self.checked.append("repatriation")


# --- The tests -----------------------------------------------------------------------------------------


def play_out(world: World, start: tuple[str, str], played: list[Action]) -> None:
    run = Run(world, *start)
    for action in played:
        run.play(action)  # checks every transfer and repatriation it makes, and every refusal
    event(f"ends at {run.case.stage}")
    for checked in run.checked:
        event(f"checked a {checked}")
    target(float(len(run.checked)), label="transfers and repatriations checked")


@pytest.mark.django_db
@PROPERTY_SETTINGS
@given(start=st.sampled_from(NEAR_THE_TRANSFER), played=st.lists(actions_near_the_transfer, min_size=3, max_size=16))
def test_no_one_is_transferred_without_an_established_wish_a_safe_destination_and_a_handover_reconfirmation(
    world: World, start: tuple[str, str], played: list[Action]
) -> None:
    play_out(world, start, played)


@pytest.mark.django_db
@settings(PROPERTY_SETTINGS, max_examples=30)
@given(start=st.sampled_from(IN_OR_NEAR_CUSTODY), played=st.lists(actions_in_custody, min_size=3, max_size=16))
def test_no_one_is_repatriated_without_a_private_neutral_interview_and_a_safe_home_state(
    world: World, start: tuple[str, str], played: list[Action]
) -> None:
    play_out(world, start, played)


@pytest.mark.django_db
@settings(PROPERTY_SETTINGS, max_examples=25)
@given(
    start=st.sampled_from(NEAR_THE_TRANSFER + IN_OR_NEAR_CUSTODY),
    tried=st.lists(
        st.builds(
            Attempt,
            pick=st.integers(0, 6),
            stage=st.none() | st.sampled_from(Stage.values),
            actor=actors | st.sampled_from(["caseworker_a", "media_a", "auditor_a", "caseworker_b"]),
            with_note=st.booleans(),
        ),
        min_size=1,
        max_size=8,
    ),
)
def test_a_refused_transition_leaves_the_case_unchanged(
    world: World, start: tuple[str, str], tried: list[Attempt]
) -> None:
    run = Run(world, *start)
    for attempt in tried:
        run.attempt(attempt)  # asserts on every refusal that stage, version, history and audit are as before


@pytest.mark.django_db
def test_the_runs_reach_the_transfer_and_the_repatriation(world: World) -> None:
    """The properties above mean something only if runs get there: two fixed runs do."""
    run = Run(world, Case.EntryRoute.PRISONER, Stage.TRANSFER_SCHEDULED)
    there: list[Action] = [
        Advance(7),
        Handover(True, True, Interview.Wish.GO, "KR"),
        Attempt(pick=0, stage=None, actor="right", with_note=True),
    ]
    for action in there:
        run.play(action)
    back = Run(world, Case.EntryRoute.PRISONER, Stage.IN_CUSTODY)
    home: list[Action] = [
        Advance(3),
        WishInterview(0, True, True, False, Interview.Wish.RETURN, ""),
        Risk(HOME, risk_found=False, consulted=True),
        Attempt(pick=0, stage=Stage.REPATRIATED, actor="right", with_note=True),
    ]
    for action in home:
        back.play(action)
    assert run.checked == ["transfer"] and back.checked == ["repatriation"]
    assert run.case.stage == Stage.TRANSFERRED and back.case.stage == Stage.REPATRIATED
