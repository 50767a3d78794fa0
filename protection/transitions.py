"""The state machine of PROCESS.md (a): which stage may follow which, who may move it, under which
guards, and which Convention events a transition queues. Pure: no Django.

The main path up to `transferred` is fixed; what follows is the receiving state's pathway
(`Pathway`), configuration per state. South Korea's and a generic one ship; more can be loaded from
a JSON file (settings.PASSAGE_PATHWAYS_FILE).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from protection import rules
from protection.guards import gettext_noop
from protection.rules import Guard
from protection.stages import Stage

# Roles, by the value of accounts.models.Role. Supervisors may perform every transition of their
# organisation's cases; the guards still apply to them (a supervisor who interviewed cannot decide).
DETAINING = frozenset({"detaining_liaison", "supervisor"})
NEUTRAL = frozenset({"protection_officer", "supervisor"})
RECEIVING = frozenset({"receiving_liaison", "supervisor"})
RESETTLEMENT = frozenset({"caseworker", "receiving_liaison", "supervisor"})

PRE_TRANSFER: frozenset[str] = frozenset(
    {
        Stage.CAPTURED,
        Stage.REGISTERED,
        Stage.IN_CUSTODY,
        Stage.WISH_RECORDED,
        Stage.WISH_VERIFYING,
        Stage.WISH_ESTABLISHED,
        Stage.RISK_ASSESSED,
        Stage.PROTECTION_REQUESTED,
        Stage.ACCEPTED,
        Stage.TRANSFER_SCHEDULED,
        Stage.HELD_PENDING_PROCEEDINGS,
    }
)
# A wish may be withdrawn from any of these (PROCESS.md (a): "any pre-transfer state -> IN_CUSTODY").
WISH_STAGES: frozenset[str] = frozenset(
    {
        Stage.WISH_RECORDED,
        Stage.WISH_VERIFYING,
        Stage.WISH_ESTABLISHED,
        Stage.RISK_ASSESSED,
        Stage.PROTECTION_REQUESTED,
        Stage.ACCEPTED,
        Stage.TRANSFER_SCHEDULED,
        Stage.HELD_PENDING_PROCEEDINGS,
    }
)
TERMINAL: frozenset[str] = frozenset(
    {
        Stage.SETTLED,
        Stage.REPATRIATED,
        Stage.RELEASED_LOCALLY,
        Stage.THIRD_COUNTRY,
        Stage.PROTECTION_DENIED,
        Stage.ESCAPED,
        Stage.DECEASED,
    }
)


@dataclass(frozen=True)
class Transition:
    sources: frozenset[str]
    target: str
    roles: frozenset[str]
    guards: tuple[Guard, ...]
    label: str  # what doing it is called, for buttons and the API
    events: tuple[str, ...] = ()  # CaseEvent kinds queued when it happens
    is_withdrawal: bool = False
    # A protection decision (recording, verifying, establishing or withdrawing the wish): made only by
    # someone who may read what the person said, never by the detaining power's staff.
    is_protection_decision: bool = False

    @property
    def needs_note(self) -> bool:
        """Its guards ask for written reasons: the note is required."""
        return any(guard in NOTE_GUARDS for guard in self.guards)


NOTE_GUARDS: frozenset[Guard] = frozenset(
    {rules.guard_wish_established, rules.guard_exclusions_checked, rules.guard_note_given}
)

TRANSFER_GUARDS: tuple[Guard, ...] = (
    rules.guard_wish_still_established,
    rules.guard_destination_safe,
    rules.guard_no_pending_proceedings,
    rules.guard_transfer_prepared,
)

MAIN: tuple[Transition, ...] = (
    Transition(
        frozenset({Stage.CAPTURED}),
        Stage.REGISTERED,
        DETAINING,
        (rules.guard_art_122_record_complete,),
        gettext_noop("Finalise the Art. 122 record"),
        events=("nib_forwarded",),
    ),
    Transition(
        frozenset({Stage.REGISTERED}),
        Stage.IN_CUSTODY,
        DETAINING,
        (rules.guard_capture_card_offered,),
        gettext_noop("Confirm custody at a camp"),
    ),
    Transition(
        frozenset({Stage.IN_CUSTODY}),
        Stage.WISH_RECORDED,
        NEUTRAL,
        (rules.guard_private_interview_held,),
        gettext_noop("Record the wish"),
        is_protection_decision=True,
    ),
    Transition(
        frozenset({Stage.WISH_RECORDED}),
        Stage.WISH_VERIFYING,
        NEUTRAL,
        (rules.guard_a_wish_to_go_is_stated,),
        gettext_noop("Start verifying the wish"),
        is_protection_decision=True,
    ),
    Transition(
        frozenset({Stage.WISH_VERIFYING}),
        Stage.WISH_ESTABLISHED,
        NEUTRAL,
        (rules.guard_wish_established,),
        gettext_noop("Decide: the wish is established"),
        is_protection_decision=True,
    ),
    Transition(
        WISH_STAGES,
        Stage.IN_CUSTODY,
        NEUTRAL,
        (),
        gettext_noop("Record that the wish was withdrawn"),
        events=("wish_withdrawn",),
        is_withdrawal=True,
        is_protection_decision=True,
    ),
    Transition(
        frozenset({Stage.WISH_ESTABLISHED}),
        Stage.RISK_ASSESSED,
        DETAINING,
        (rules.guard_risk_assessed_for_home_and_destination,),
        gettext_noop("Confirm the risk assessments"),
    ),
    Transition(
        frozenset({Stage.RISK_ASSESSED}),
        Stage.PROTECTION_REQUESTED,
        RECEIVING,
        (rules.guard_protection_requested,),
        gettext_noop("Register the protection request"),
    ),
    Transition(
        frozenset({Stage.PROTECTION_REQUESTED}),
        Stage.ACCEPTED,
        RECEIVING,
        (rules.guard_written_acceptance,),
        gettext_noop("Record the acceptance"),
    ),
    Transition(
        frozenset({Stage.ACCEPTED}),
        Stage.TRANSFER_SCHEDULED,
        DETAINING,
        TRANSFER_GUARDS,
        gettext_noop("Schedule the transfer"),
    ),
    Transition(
        frozenset({Stage.ACCEPTED, Stage.TRANSFER_SCHEDULED}),
        Stage.HELD_PENDING_PROCEEDINGS,
        DETAINING,
        (rules.guard_proceedings_pending,),
        gettext_noop("Hold for pending proceedings"),
        events=("proceedings_pending_notice",),
    ),
    Transition(
        frozenset({Stage.HELD_PENDING_PROCEEDINGS}),
        Stage.ACCEPTED,
        DETAINING,
        (rules.guard_no_pending_proceedings,),
        gettext_noop("Release the hold: proceedings ended"),
    ),
    Transition(
        frozenset({Stage.TRANSFER_SCHEDULED}),
        Stage.TRANSFERRED,
        DETAINING,
        (*TRANSFER_GUARDS, rules.guard_handover_reconfirmed, rules.guard_neutral_witness),
        gettext_noop("Hand over: transferred"),
        events=("transfer",),
    ),
    Transition(
        frozenset({Stage.TRANSFER_SCHEDULED}),
        Stage.THIRD_COUNTRY,
        DETAINING,
        (
            *TRANSFER_GUARDS,
            rules.guard_handover_reconfirmed,
            rules.guard_neutral_witness,
            rules.guard_neutral_state_basis,
        ),
        gettext_noop("Hand over to a neutral third state"),
        events=("transfer",),
    ),
    Transition(
        frozenset({Stage.IN_CUSTODY, Stage.WISH_RECORDED}),
        Stage.REPATRIATED,
        DETAINING,
        (rules.guard_private_wish_to_return, rules.guard_home_state_safe, rules.guard_no_pending_proceedings),
        gettext_noop("Repatriate"),
        events=("repatriation",),
    ),
    Transition(
        PRE_TRANSFER - {Stage.HELD_PENDING_PROCEEDINGS},
        Stage.RELEASED_LOCALLY,
        DETAINING,
        (rules.guard_note_given, rules.guard_no_pending_proceedings),
        gettext_noop("Release locally"),
        events=("release",),
    ),
    Transition(
        PRE_TRANSFER,
        Stage.ESCAPED,
        DETAINING,
        (rules.guard_note_given,),
        gettext_noop("Record an escape"),
        events=("escape",),
    ),
    Transition(
        frozenset(stage.value for stage in Stage) - TERMINAL,
        Stage.DECEASED,
        DETAINING | RESETTLEMENT,
        (rules.guard_death_recorded,),
        gettext_noop("Record the death"),
        events=("death",),
    ),
)

# Guards a pathway configuration may name.
PATHWAY_GUARDS: dict[str, Guard] = {
    "exclusions_checked": rules.guard_exclusions_checked,
    "programme_completed": rules.guard_programme_completed,
    "residence_protection_over": rules.guard_residence_protection_over,
    "note_given": rules.guard_note_given,
}
ROLE_SETS: dict[str, frozenset[str]] = {"receiving": RECEIVING, "resettlement": RESETTLEMENT}


@dataclass(frozen=True)
class PathwayStep:
    source: str
    target: str
    roles: str  # a key of ROLE_SETS
    guards: tuple[str, ...] = ()  # keys of PATHWAY_GUARDS
    label: str = ""


@dataclass(frozen=True)
class Pathway:
    """A receiving state's stages after the transfer, and the durations its alerts and guards use."""

    code: str
    name: str
    countries: tuple[str, ...]
    steps: tuple[PathwayStep, ...]
    screening_max_days: int = 90
    screening_extension_days: int = 30
    programme_weeks: int = 12
    residence_protection_years: int = 5

    def transitions(self) -> tuple[Transition, ...]:
        return tuple(
            Transition(
                frozenset({step.source}),
                step.target,
                ROLE_SETS[step.roles],
                tuple(PATHWAY_GUARDS[name] for name in step.guards),
                step.label or gettext_noop("Move on"),
            )
            for step in self.steps
        )

    @property
    def stages(self) -> tuple[str, ...]:
        """The pathway's stages in order, without the exits."""
        ordered: list[str] = []
        for step in self.steps:
            for stage in (step.source, step.target):
                if stage not in ordered and stage != Stage.PROTECTION_DENIED:
                    ordered.append(stage)
        return tuple(ordered)


SOUTH_KOREA = Pathway(
    code="kr",
    name="Republic of Korea: NK Refugees Protection and Settlement Support Act",
    countries=("KR",),
    steps=(
        PathwayStep(Stage.TRANSFERRED, Stage.SCREENING, "receiving", (), gettext_noop("Start screening")),
        PathwayStep(
            Stage.SCREENING,
            Stage.PROTECTION_GRANTED,
            "receiving",
            ("exclusions_checked",),
            gettext_noop("Grant protection"),
        ),
        PathwayStep(
            Stage.SCREENING,
            Stage.PROTECTION_DENIED,
            "receiving",
            ("exclusions_checked",),
            gettext_noop("Deny protection"),
        ),
        PathwayStep(Stage.PROTECTION_GRANTED, Stage.HANAWON, "receiving", (), gettext_noop("Enter Hanawon")),
        PathwayStep(
            Stage.HANAWON,
            Stage.RESIDENCE_PROTECTION,
            "receiving",
            ("programme_completed",),
            gettext_noop("Start residence protection"),
        ),
        PathwayStep(
            Stage.RESIDENCE_PROTECTION,
            Stage.SETTLED,
            "resettlement",
            ("residence_protection_over",),
            gettext_noop("Close: settled"),
        ),
    ),
)
GENERIC = Pathway(
    code="generic",
    name="Generic: protection decision, then settlement",
    countries=(),
    steps=(
        PathwayStep(
            Stage.TRANSFERRED,
            Stage.PROTECTION_GRANTED,
            "receiving",
            ("exclusions_checked",),
            gettext_noop("Grant protection"),
        ),
        PathwayStep(
            Stage.TRANSFERRED,
            Stage.PROTECTION_DENIED,
            "receiving",
            ("exclusions_checked",),
            gettext_noop("Deny protection"),
        ),
        PathwayStep(
            Stage.PROTECTION_GRANTED, Stage.SETTLED, "resettlement", ("note_given",), gettext_noop("Close: settled")
        ),
    ),
)
BUILT_IN_PATHWAYS: tuple[Pathway, ...] = (SOUTH_KOREA, GENERIC)


class PathwayConfigError(ValueError):
    pass


def pathways_from_json(text: str) -> tuple[Pathway, ...]:
    """Read pathways from JSON: a list of objects with the fields of `Pathway`; steps as objects."""
    try:
        items = json.loads(text)
        if not isinstance(items, list):
            raise TypeError("the file must hold a list of pathways")
        pathways = []
        for item in items:
            steps = tuple(
                PathwayStep(
                    source=step["source"],
                    target=step["target"],
                    roles=step["roles"],
                    guards=tuple(step.get("guards", ())),
                    label=step.get("label", ""),
                )
                for step in item.pop("steps")
            )
            pathways.append(Pathway(steps=steps, countries=tuple(item.pop("countries", ())), **item))
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise PathwayConfigError(f"pathway configuration is not valid: {exc}") from exc
    for pathway in pathways:
        pathway_check(pathway)
    return tuple(pathways)


def pathway_check(pathway: Pathway) -> None:
    valid = {stage.value for stage in Stage}
    for step in pathway.steps:
        for stage in (step.source, step.target):
            if stage not in valid:
                raise PathwayConfigError(f"pathway {pathway.code}: unknown stage {stage!r}")
        if step.roles not in ROLE_SETS:
            raise PathwayConfigError(f"pathway {pathway.code}: unknown role set {step.roles!r}")
        for name in step.guards:
            if name not in PATHWAY_GUARDS:
                raise PathwayConfigError(f"pathway {pathway.code}: unknown guard {name!r}")
    if not any(step.source == Stage.TRANSFERRED for step in pathway.steps):
        raise PathwayConfigError(f"pathway {pathway.code}: no step starts from 'transferred'")


def pathways_load(path: str | None) -> tuple[Pathway, ...]:
    """The built-in pathways, with those of the file (if any) replacing or adding by code."""
    by_code = {pathway.code: pathway for pathway in BUILT_IN_PATHWAYS}
    if path:
        for pathway in pathways_from_json(Path(path).read_text(encoding="utf-8")):
            by_code[pathway.code] = pathway
    return tuple(by_code.values())


def pathway_for(state: str, pathways: Iterable[Pathway]) -> Pathway:
    """The pathway of the receiving state `state` (a country code), else the generic one."""
    pathways = tuple(pathways)
    for pathway in pathways:
        if state.upper() in pathway.countries:
            return pathway
    return next((p for p in pathways if p.code == "generic"), GENERIC)


@dataclass(frozen=True)
class Machine:
    """All transitions for one case: the main path plus its receiving state's pathway."""

    pathway: Pathway
    transitions: tuple[Transition, ...] = field(default=())

    @classmethod
    def for_pathway(cls, pathway: Pathway) -> Machine:
        return cls(pathway=pathway, transitions=MAIN + pathway.transitions())

    def from_stage(self, stage: str) -> list[Transition]:
        return [t for t in self.transitions if stage in t.sources]

    def find(self, stage: str, target: str) -> Transition | None:
        return next((t for t in self.from_stage(stage) if t.target == target), None)
