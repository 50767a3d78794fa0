"""The guards of every lifecycle transition: pure functions of a `CaseFacts` snapshot, no Django.

Each guard returns the conditions it finds unmet (empty when it passes), with its source in its
docstring. The words never repeat what a person said (their wish, their destination): the detaining
power's staff see these refusals and must not learn interview content from them. The lifecycle
service builds the snapshot under a lock on the case, runs every guard of the transition and refuses
with all the unmet conditions at once. The wish rules themselves live in `protection.guards`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from protection.guards import (
    InterviewFacts,
    InterviewKind,
    StatedWish,
    Unmet,
    WishThresholds,
    gettext_noop,
    qualifying,
    unmet,
    wish_established_unmet,
)

# The Art. 122 fields, beyond those on the person (names, rank, date and place of birth).
ART_122_PERSON_FIELDS = ("family_name", "given_name", "rank", "date_of_birth", "place_of_origin")
ART_122_RECORD_FIELDS = (
    "serial_number",
    "power_depended_on",
    "father_first_name",
    "mother_maiden_name",
    "person_to_inform",
    "correspondence_address",
)


@dataclass(frozen=True)
class Deadlines:
    """Configuration with the defaults of PROCESS.md (c)."""

    capture_card_days: int = 7  # rule 2, GC III Art. 70
    health_report_days: int = 7  # rule 4, Art. 122
    notification_forward_days: int = 1  # Art. 122 "immediately"
    late_application_days: int = 365  # rule 15, NK Refugees Act Art. 9
    residence_protection_warning_days: int = 90


@dataclass(frozen=True)
class RiskFacts:
    destination: str
    assessed_on: dt.date
    protecting_body_consulted: bool
    risk_found: bool


@dataclass(frozen=True)
class ProtectionRequestFacts:
    receiving_state: str
    requested_on: dt.date
    made_in_person: bool
    has_in_person_exception: bool
    consent_to_share_given: bool
    entered_receiving_state_on: dt.date | None


@dataclass(frozen=True)
class AcceptanceFacts:
    receiving_state: str
    decided_on: dt.date
    is_written: bool
    legal_basis: str
    consent_to_share_given: bool = True  # a live consent to share with that state, at the current stage


@dataclass(frozen=True)
class TransferFacts:
    to_state: str
    legal_basis: str
    scheduled_for: dt.date
    has_escort: bool
    has_neutral_witness: bool
    protecting_body_notified: bool
    valuables_inventory_ready: bool
    is_done: bool


@dataclass(frozen=True)
class DeathFacts:
    cause: str
    has_cause_detail: bool
    has_place: bool
    buried_on: dt.date | None
    has_grave: bool


@dataclass(frozen=True)
class PathwayFacts:
    """Where the case is on its receiving state's pathway (protection.pathways)."""

    screening_started_on: dt.date | None = None
    screening_max_days: int = 90
    screening_extension_days: int = 30
    screening_extensions_approved: int = 0
    screening_extension_days_approved: int | None = None  # the approved extensions' days, when known
    exclusions_checked: bool = False
    programme_completed_on: dt.date | None = None
    family_register_done: bool = False
    housing_arranged: bool = False
    residence_protection_started_on: dt.date | None = None
    residence_protection_years: int = 5
    residence_protection_extension_days: int = 0

    @property
    def screening_limit_days(self) -> int:
        """90 days, plus one approved extension of at most 30 days (Enforcement Decree, 2018): an
        extension of fewer days extends by those days; several never by more than the one allowed."""
        if not self.screening_extensions_approved:
            return self.screening_max_days
        approved = self.screening_extension_days_approved
        extension = self.screening_extension_days if approved is None else min(approved, self.screening_extension_days)
        return self.screening_max_days + extension

    @property
    def residence_protection_ends_on(self) -> dt.date | None:
        start = self.residence_protection_started_on
        if start is None:
            return None
        try:
            end = start.replace(year=start.year + self.residence_protection_years)
        except ValueError:  # 29 February
            end = start.replace(year=start.year + self.residence_protection_years, day=28)
        return end + dt.timedelta(days=self.residence_protection_extension_days)


@dataclass(frozen=True)
class CaseFacts:
    """Everything the guards read about one case, at one moment, for one actor."""

    stage: str
    entry_route: str  # "prisoner" or "defector"
    today: dt.date
    actor_id: int
    note: str = ""
    # Interviews and statements recorded since the last withdrawal of a wish (a withdrawal
    # requires verification anew), oldest first.
    interviews: tuple[InterviewFacts, ...] = ()
    wish_established: bool = False  # the case reached wish_established since the last withdrawal
    home_states: tuple[str, ...] = ()
    risk_assessments: tuple[RiskFacts, ...] = ()
    protection_request: ProtectionRequestFacts | None = None
    acceptance: AcceptanceFacts | None = None
    transfer: TransferFacts | None = None
    pending_proceedings: int = 0
    missing_art_122_fields: tuple[str, ...] = ()
    has_nib_record: bool = False
    camp_arrival_on: dt.date | None = None
    capture_card_offered_on: dt.date | None = None
    death: DeathFacts | None = None
    pathway: PathwayFacts = field(default_factory=PathwayFacts)
    thresholds: WishThresholds = field(default_factory=WishThresholds)
    deadlines: Deadlines = field(default_factory=Deadlines)

    @property
    def is_prisoner(self) -> bool:
        return self.entry_route == "prisoner"

    @property
    def wish_destination(self) -> str:
        """The destination the qualifying wish-verification interviews agree on ('' if none or no agreement)."""
        wishes = {(i.stated_wish, i.stated_destination.upper()) for i in qualifying(self.interviews)}
        if len(wishes) == 1:
            wish, destination = next(iter(wishes))
            return destination if wish is StatedWish.GO else ""
        return ""

    @property
    def destination(self) -> str:
        """Where the case is heading: the transfer, else the acceptance, the request, or the wish."""
        for candidate in (
            self.transfer.to_state if self.transfer else "",
            self.acceptance.receiving_state if self.acceptance else "",
            self.protection_request.receiving_state if self.protection_request else "",
            self.wish_destination,
        ):
            if candidate:
                return candidate.upper()
        return ""

    def assessment_for(self, state: str) -> RiskFacts | None:
        """The latest risk assessment for `state`."""
        matching = [a for a in self.risk_assessments if a.destination.upper() == state.upper()]
        return max(matching, key=lambda a: a.assessed_on) if matching else None


Guard = Callable[[CaseFacts], list[Unmet]]


# --- Registration and custody --------------------------------------------------------------


def guard_art_122_record_complete(facts: CaseFacts) -> list[Unmet]:
    """Every Art. 122 field is filled or marked "not available" before the NIB record is final
    (PROCESS.md (c) 1; GC III Art. 122, "in so far as available")."""
    if not facts.has_nib_record:
        return [unmet("art_122", gettext_noop("Record the Art. 122 data (each field filled or marked not available)."))]
    if facts.missing_art_122_fields:
        return [
            unmet(
                "art_122",
                gettext_noop("Art. 122 fields neither filled nor marked not available: {fields}."),
                fields=", ".join(facts.missing_art_122_fields),
            )
        ]
    return []


def guard_capture_card_offered(facts: CaseFacts) -> list[Unmet]:
    """The capture card was offered no later than 7 days after arrival at a camp, transit camps
    included (PROCESS.md (c) 2; GC III Art. 70)."""
    if facts.camp_arrival_on is None:
        return [unmet("camp_arrival", gettext_noop("Record the arrival at a camp (a custody record)."))]
    if facts.capture_card_offered_on is None:
        return [unmet("capture_card", gettext_noop("Offer the capture card and record it."))]
    latest = facts.camp_arrival_on + dt.timedelta(days=facts.deadlines.capture_card_days)
    if facts.capture_card_offered_on > latest:
        return [
            unmet(
                "capture_card",
                gettext_noop("The capture card was offered more than {days} days after arrival at the camp."),
                days=facts.deadlines.capture_card_days,
            )
        ]
    return []


# --- The wish -----------------------------------------------------------------------------


def guard_private_interview_held(facts: CaseFacts) -> list[Unmet]:
    """A wish is recorded only from a private interview with no detaining-power staff present; an
    external statement alone is not enough (PROCESS.md (a); (c) 9; GC III Art. 126)."""
    private = [
        i
        for i in facts.interviews
        if i.kind is InterviewKind.WISH_VERIFICATION and i.is_private and not i.detaining_power_present
    ]
    if private:
        return []
    if any(i.kind is InterviewKind.EXTERNAL_STATEMENT for i in facts.interviews):
        return [
            unmet(
                "private_interview",
                gettext_noop("Only letters or statements are on file; hold a private wish-verification interview."),
            )
        ]
    return [unmet("private_interview", gettext_noop("Hold and record a private wish-verification interview."))]


def guard_a_wish_to_go_is_stated(facts: CaseFacts) -> list[Unmet]:
    """Verification starts from a stated wish to go to a destination; a wish to return takes the
    repatriation route instead (PROCESS.md (a))."""
    stated = [i for i in facts.interviews if i.kind is InterviewKind.WISH_VERIFICATION]
    if stated and stated[-1].wants_to_go:
        return []
    return [
        unmet("wish_stated", gettext_noop("The latest wish-verification interview records no wish to go somewhere."))
    ]


def guard_wish_established(facts: CaseFacts) -> list[Unmet]:
    """Safeguards 1-11 of PROCESS.md section 2, rules (c) 7-9: see protection.guards."""
    return wish_established_unmet(
        facts.interviews, decision_maker_id=facts.actor_id, decision_reasons=facts.note, thresholds=facts.thresholds
    )


def guard_wish_still_established(facts: CaseFacts) -> list[Unmet]:
    """A prisoner's transfer rests on an established wish for that destination, not withdrawn since
    (DESIGN.md; ROK reservation to Art. 118(1), "openly and freely expressed will"). A defector's own
    protection request in person is the expressed wish (NK Refugees Act Art. 3)."""
    if not facts.is_prisoner:
        request = facts.protection_request
        if request is None or not (request.made_in_person or request.has_in_person_exception):
            return [
                unmet("wish", gettext_noop("A defector's protection request in person (or its exception) is needed."))
            ]
        return []
    if not facts.wish_established:
        return [unmet("wish", gettext_noop("The person's wish is not established (or was withdrawn since)."))]
    wanted = facts.wish_destination
    if not wanted:
        # The qualifying interviews agreed when the wish was established; a later one that states
        # another wish (to stay, to return, withdrawn, elsewhere) means it is no longer clearly held.
        return [
            unmet(
                "wish",
                gettext_noop(
                    "The interviews on file no longer establish the wish: the protection body must verify it again."
                ),
            )
        ]
    if facts.destination and wanted and facts.destination != wanted:
        return [
            unmet(
                "wish",
                gettext_noop("The destination is not the one of the established wish: ask the protection body."),
            )
        ]
    return []


# --- Non-refoulement ----------------------------------------------------------------------


def guard_risk_assessed_for_home_and_destination(facts: CaseFacts) -> list[Unmet]:
    """A non-refoulement assessment is recorded for the home state and for the destination, with the
    ICRC or Protecting Power consulted (PROCESS.md (a); 2020 ICRC Commentary on Art. 118)."""
    problems = []
    states = [*facts.home_states]
    if not states:
        problems.append(unmet("risk", gettext_noop("Record the Power the person depends on (Art. 122).")))
    if facts.destination:
        states.append(facts.destination)
    else:
        problems.append(unmet("risk", gettext_noop("No destination is known yet: the wish states none.")))
    for state in dict.fromkeys(s.upper() for s in states):
        assessment = facts.assessment_for(state)
        if assessment is None:
            problems.append(unmet("risk", gettext_noop("No risk assessment for {state}."), state=state))
        elif not assessment.protecting_body_consulted:
            problems.append(
                unmet("risk", gettext_noop("The ICRC or Protecting Power was not consulted on {state}."), state=state)
            )
    return problems


def _destination_is_safe(facts: CaseFacts, destination: str) -> list[Unmet]:
    if not destination:
        return [unmet("non_refoulement", gettext_noop("No destination is recorded."))]
    assessment = facts.assessment_for(destination)
    if assessment is None:
        return [unmet("non_refoulement", gettext_noop("No non-refoulement assessment for {state}."), state=destination)]
    if assessment.risk_found:
        return [
            unmet(
                "non_refoulement",
                gettext_noop("The latest assessment found a real risk in {state}: no one may be sent there."),
                state=destination,
            )
        ]
    return []


def guard_destination_safe(facts: CaseFacts) -> list[Unmet]:
    """No transfer without a non-refoulement assessment for the destination that found no real risk
    (PROCESS.md (c) 11; 2020 ICRC Commentary on Art. 118; ROK MOFA)."""
    return _destination_is_safe(facts, facts.destination)


def guard_home_state_safe(facts: CaseFacts) -> list[Unmet]:
    """No repatriation without a non-refoulement assessment of the home state that found no real risk
    (PROCESS.md (c) 11; 2020 ICRC Commentary on Art. 118)."""
    if not facts.home_states:
        return [unmet("non_refoulement", gettext_noop("Record the Power the person depends on (Art. 122)."))]
    return [problem for state in facts.home_states for problem in _destination_is_safe(facts, state)]


def guard_private_wish_to_return(facts: CaseFacts) -> list[Unmet]:
    """A private interview by a neutral body confirms the wish to return (PROCESS.md (a); ICRC
    practice, Iran-Iraq 2002: "to make sure they were returning home of their free will")."""
    confirming = [
        i for i in qualifying(facts.interviews) if i.interviewer_is_neutral_body and i.stated_wish is StatedWish.RETURN
    ]
    if not confirming:
        return [
            unmet(
                "return_wish",
                gettext_noop("A qualifying private interview by a neutral body must confirm the wish to return."),
            )
        ]
    # Nothing said since the last confirmation may point elsewhere, whatever that interview's quality:
    # a doubt about returning is a reason not to send anyone back.
    later = facts.interviews[facts.interviews.index(confirming[-1]) + 1 :]
    if any(i.kind is InterviewKind.WISH_VERIFICATION and i.stated_wish is not StatedWish.RETURN for i in later):
        return [
            unmet(
                "return_wish",
                gettext_noop("The interviews on file do not support a repatriation: ask the protection body."),
            )
        ]
    return []


# --- The receiving state ------------------------------------------------------------------


def guard_protection_requested(facts: CaseFacts) -> list[Unmet]:
    """The application is made in person at the mission, or the exception is recorded (NK Refugees
    Act Art. 7), and the person consented to share their data with the receiving state (DESIGN.md): a
    live consent for that state, confirmed at the case's current stage (PROCESS.md 4)."""
    request = facts.protection_request
    if request is None:
        return [unmet("protection_request", gettext_noop("Record the protection request."))]
    problems = []
    if not (request.made_in_person or request.has_in_person_exception):
        problems.append(
            unmet("in_person", gettext_noop("The application was not made in person and no exception is recorded."))
        )
    if not request.consent_to_share_given:
        problems.append(
            unmet(
                "consent_to_share",
                gettext_noop("The person's consent to share data with the receiving state is missing."),
            )
        )
    return problems


def guard_written_acceptance(facts: CaseFacts) -> list[Unmet]:
    """The receiving state's written acceptance, with its legal basis (PROCESS.md (a); section 3,
    'open legal point': Transfer.legal_basis), and the person's live consent to share their data with
    that state (DESIGN.md: acceptance needs it; a consent must be confirmed after every change of stage)."""
    acceptance = facts.acceptance
    if acceptance is None:
        return [unmet("acceptance", gettext_noop("Record the receiving state's acceptance."))]
    problems = []
    if not acceptance.is_written:
        problems.append(unmet("acceptance", gettext_noop("The acceptance is not in writing.")))
    if not acceptance.legal_basis:
        problems.append(unmet("legal_basis", gettext_noop("The acceptance names no legal basis.")))
    if not acceptance.consent_to_share_given:
        problems.append(
            unmet(
                "consent_to_share",
                gettext_noop("The person's consent to share data with the receiving state is missing."),
            )
        )
    request = facts.protection_request
    if request is not None and request.receiving_state.upper() != acceptance.receiving_state.upper():
        problems.append(unmet("acceptance", gettext_noop("The acceptance is from another state than the request.")))
    return problems


# --- Transfer -----------------------------------------------------------------------------


def guard_no_pending_proceedings(facts: CaseFacts) -> list[Unmet]:
    """No transfer while Art. 119(5) proceedings are pending (PROCESS.md (c) 12; GC III Art. 119)."""
    if facts.pending_proceedings:
        return [
            unmet(
                "proceedings",
                gettext_noop("{count} indictable proceedings are pending (Art. 119(5)): the transfer is blocked."),
                count=facts.pending_proceedings,
            )
        ]
    return []


def guard_proceedings_pending(facts: CaseFacts) -> list[Unmet]:
    """A case is held only while proceedings are pending (GC III Art. 119(5))."""
    if not facts.pending_proceedings:
        return [unmet("proceedings", gettext_noop("No pending proceedings are recorded."))]
    return []


def guard_transfer_prepared(facts: CaseFacts) -> list[Unmet]:
    """A transfer is scheduled with its legal basis; the Protecting Power or ICRC is notified; the
    valuables inventory is ready (PROCESS.md (a); GC III Arts. 118-119, 122)."""
    transfer = facts.transfer
    if transfer is None:
        return [unmet("transfer", gettext_noop("Schedule the transfer (date, destination, legal basis)."))]
    problems = []
    if not transfer.protecting_body_notified:
        problems.append(unmet("notified", gettext_noop("Notify the Protecting Power or the ICRC of the transfer.")))
    if not transfer.valuables_inventory_ready:
        problems.append(unmet("valuables", gettext_noop("Prepare the valuables inventory.")))
    if not transfer.legal_basis:
        problems.append(unmet("legal_basis", gettext_noop("The transfer names no legal basis.")))
    return problems


def guard_handover_reconfirmed(facts: CaseFacts) -> list[Unmet]:
    """A private handover reconfirmation on the day of the transfer, at the handover point, still
    wishing to go to the destination (PROCESS.md (c) 10; ICRC, Gulf 1991: a wish can change until the
    moment of handover)."""
    handovers = [i for i in facts.interviews if i.kind is InterviewKind.HANDOVER_RECONFIRMATION]
    same_day = [i for i in handovers if i.held_on == facts.today]
    if not same_day:
        return [
            unmet("handover", gettext_noop("Take the private handover reconfirmation today, at the handover point."))
        ]
    latest = same_day[-1]
    problems = []
    if not latest.is_private or latest.detaining_power_present or latest.receiving_state_present:
        problems.append(unmet("handover", gettext_noop("The handover reconfirmation was not private.")))
    if not latest.wants_to_go or latest.stated_destination.upper() != facts.destination:
        problems.append(
            unmet(
                "handover",
                gettext_noop("The handover reconfirmation does not support this transfer: ask the protection body."),
            )
        )
    return problems


def guard_neutral_witness(facts: CaseFacts) -> list[Unmet]:
    """The handover is witnessed by the ICRC or another neutral body (PROCESS.md (a))."""
    if facts.transfer is None or not facts.transfer.has_neutral_witness:
        return [unmet("witness", gettext_noop("Name the neutral witness of the handover."))]
    return []


def guard_neutral_state_basis(facts: CaseFacts) -> list[Unmet]:
    """A third-country transfer is to a neutral state by agreement (GC III Arts. 109-111, 117)."""
    if facts.transfer is None or facts.transfer.legal_basis != "neutral_state_transfer":
        return [unmet("legal_basis", gettext_noop("A third-country transfer needs the neutral-state legal basis."))]
    return []


# --- The receiving state's pathway ----------------------------------------------------------


def guard_exclusions_checked(facts: CaseFacts) -> list[Unmet]:
    """The Art. 9 exclusions were checked and the decision's reasons are recorded (NK Refugees Act
    Art. 9; PROCESS.md (a))."""
    problems = []
    if not facts.pathway.exclusions_checked:
        problems.append(unmet("exclusions", gettext_noop("Check the Art. 9 exclusions and record it.")))
    if not facts.note.strip():
        problems.append(unmet("reasons", gettext_noop("Write down the reasons for the decision.")))
    return problems


def guard_programme_completed(facts: CaseFacts) -> list[Unmet]:
    """The settlement programme is completed, the family register created and housing arranged
    (PROCESS.md section 3, Hanawon)."""
    problems = []
    if facts.pathway.programme_completed_on is None:
        problems.append(unmet("programme", gettext_noop("Record the completion of the settlement programme.")))
    if not facts.pathway.family_register_done:
        problems.append(unmet("family_register", gettext_noop("Create the family register.")))
    if not facts.pathway.housing_arranged:
        problems.append(unmet("housing", gettext_noop("Arrange housing.")))
    return problems


def guard_residence_protection_over(facts: CaseFacts) -> list[Unmet]:
    """Settled when the residence-protection period (5 years, plus extensions) has passed
    (PROCESS.md (c) 16; NK Refugees Act; MOU)."""
    ends = facts.pathway.residence_protection_ends_on
    if ends is None:
        return [unmet("residence_protection", gettext_noop("Residence protection has no start date."))]
    if facts.today < ends:
        return [
            unmet(
                "residence_protection",
                gettext_noop("Residence protection runs until {date}."),
                date=ends.isoformat(),
            )
        ]
    return []


# --- Exits ----------------------------------------------------------------------------------


def guard_death_recorded(facts: CaseFacts) -> list[Unmet]:
    """A death needs its cause, place, burial and grave data (PROCESS.md (c) 13; GC III Arts. 120-121)."""
    death = facts.death
    if death is None:
        return [unmet("death", gettext_noop("Record the death certificate's data (Art. 120)."))]
    missing = [
        label
        for label, present in (
            ("cause", bool(death.cause)),
            ("place", death.has_place),
            ("burial date", death.buried_on is not None),
            ("grave", death.has_grave),
        )
        if not present
    ]
    if missing:
        return [unmet("death", gettext_noop("The death record lacks: {fields}."), fields=", ".join(missing))]
    return []


def guard_note_given(facts: CaseFacts) -> list[Unmet]:
    """Exits that end the case's protection are explained in writing (DESIGN.md: reasons recorded)."""
    if not facts.note.strip():
        return [unmet("reasons", gettext_noop("Write down what happened and why."))]
    return []
