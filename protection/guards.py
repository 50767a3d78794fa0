"""Guards of the protection lifecycle: pure functions, no Django, one per rule.

Each rule takes plain facts and returns the conditions it finds unmet, in plain words, so a
refused transition can list every one of them. This module holds the rules for establishing a
person's wish (PROCESS.md section 2, safeguards 1-11, and rules (c) 7-9); the lifecycle service
evaluates them under a lock on the case.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Callable, Sequence
from dataclasses import dataclass


def gettext_noop(message: str) -> str:
    """Marks a message for translation without importing Django; pages translate it when shown."""
    return message


class StatedWish(enum.StrEnum):
    GO = "go"  # to go to the stated destination
    RETURN = "return"  # to return home
    STAY = "stay"  # to stay in the detaining state
    UNDECIDED = "undecided"
    WITHDRAWN = "withdrawn"  # withdraws a wish stated before


class InterviewKind(enum.StrEnum):
    REGISTRATION = "registration"
    WISH_VERIFICATION = "wish_verification"
    HANDOVER_RECONFIRMATION = "handover_reconfirmation"
    SCREENING = "screening"
    MEDIA = "media"
    EXTERNAL_STATEMENT = "external_statement"  # letters, press statements: recorded, never counted


@dataclass(frozen=True)
class InterviewFacts:
    """What the rules need to know about one interview (or external statement)."""

    kind: InterviewKind
    held_on: dt.date
    interviewer_id: int
    is_private: bool
    detaining_power_present: bool
    receiving_state_present: bool
    interviewer_is_independent: bool
    interviewer_signed_declaration: bool
    interviewer_is_neutral_body: bool
    korean_spoken: bool  # the interviewer or an independent interpreter speaks the person's Korean
    interpreter_is_independent: bool  # True when no interpreter was needed
    understanding_confirmed: bool
    options_briefing_given: bool
    fit_for_interview: bool
    stated_destination: str
    stated_wish: StatedWish
    recorded_by_id: int = 0  # who typed it in, when not the interviewer (0: the interviewer)

    @property
    def wants_to_go(self) -> bool:
        """The stated wish is to go to `stated_destination`, not to stay, return or hesitate."""
        return self.stated_wish is StatedWish.GO and bool(self.stated_destination.strip())


@dataclass(frozen=True)
class WishThresholds:
    """Configuration with the defaults of PROCESS.md rule (c) 7."""

    min_interviews: int = 2
    min_neutral_interviews: int = 1
    min_days_between_first_and_last: int = 7


@dataclass(frozen=True)
class Unmet:
    """One unmet condition: a rule's name and a message template (English, translated when shown)."""

    rule: str
    template: str
    params: tuple[tuple[str, object], ...] = ()

    @property
    def message(self) -> str:
        return self.template.format(**dict(self.params))

    def __str__(self) -> str:
        return self.message


def unmet(rule: str, template: str, **params: object) -> Unmet:
    return Unmet(rule, template, tuple(sorted(params.items())))


def interview_problems(interview: InterviewFacts) -> list[str]:
    """Why one wish-verification interview does not qualify (empty when it does), in plain words
    marked for translation (pages show them through gettext)."""
    problems = []
    if interview.kind is not InterviewKind.WISH_VERIFICATION:
        problems.append(gettext_noop("it is not a wish-verification interview"))
    if not interview.is_private:
        problems.append(gettext_noop("it was not private"))
    if interview.detaining_power_present:
        problems.append(gettext_noop("detaining-power staff were present"))
    if interview.receiving_state_present:
        problems.append(gettext_noop("receiving-state staff were present"))
    if not (interview.interviewer_is_independent and interview.interviewer_signed_declaration):
        problems.append(
            gettext_noop("the interviewer was not independent or signed no conflict-of-interest declaration")
        )
    if not interview.korean_spoken:
        problems.append(gettext_noop("neither the interviewer nor an interpreter spoke Korean"))
    if not interview.interpreter_is_independent:
        problems.append(gettext_noop("the interpreter was not independent"))
    if not interview.understanding_confirmed:
        problems.append(gettext_noop("the person did not confirm they understood"))
    if not interview.options_briefing_given:
        problems.append(gettext_noop("no options briefing came first"))
    if not interview.fit_for_interview:
        problems.append(gettext_noop("no clinician found the person fit for interview"))
    return problems


def qualifying(interviews: Sequence[InterviewFacts]) -> list[InterviewFacts]:
    return [interview for interview in interviews if not interview_problems(interview)]


def rule_external_statements_never_count(interviews: Sequence[InterviewFacts], **_: object) -> list[Unmet]:
    """Letters and media statements are evidence but never establish a wish (PROCESS.md (c) 9;
    the 2025 letter was written outside controlled conditions)."""
    if interviews and all(i.kind is InterviewKind.EXTERNAL_STATEMENT for i in interviews):
        return [
            unmet(
                "external_statements",
                gettext_noop("Only letters or statements are on file; they never establish a wish."),
            )
        ]
    return []


def rule_enough_private_interviews(
    interviews: Sequence[InterviewFacts], *, thresholds: WishThresholds, **_: object
) -> list[Unmet]:
    """At least N private, qualifying wish-verification interviews (PROCESS.md (c) 7-8; ICRC practice
    of private interviews, GC III Art. 126 "without witnesses")."""
    count = len(qualifying(interviews))
    if count < thresholds.min_interviews:
        return [
            unmet(
                "enough_interviews",
                gettext_noop("{needed} qualifying private wish-verification interviews are needed; {count} on file."),
                needed=thresholds.min_interviews,
                count=count,
            )
        ]
    return []


def rule_neutral_interviewer(
    interviews: Sequence[InterviewFacts], *, thresholds: WishThresholds, **_: object
) -> list[Unmet]:
    """At least one qualifying interview by the ICRC or another accepted neutral body (safeguard 1)."""
    neutral = sum(1 for i in qualifying(interviews) if i.interviewer_is_neutral_body)
    if neutral < thresholds.min_neutral_interviews:
        return [
            unmet("neutral_interviewer", gettext_noop("At least one qualifying interview must be by a neutral body."))
        ]
    return []


def rule_time_between_interviews(
    interviews: Sequence[InterviewFacts], *, thresholds: WishThresholds, **_: object
) -> list[Unmet]:
    """The first and last qualifying interviews are at least N days apart (safeguard 3; rule (c) 7)."""
    dates = sorted(i.held_on for i in qualifying(interviews))
    if len(dates) >= 2 and (dates[-1] - dates[0]).days >= thresholds.min_days_between_first_and_last:
        return []
    return [
        unmet(
            "days_apart",
            gettext_noop("The first and last qualifying interviews must be at least {days} days apart."),
            days=thresholds.min_days_between_first_and_last,
        )
    ]


def rule_consistent_wish(interviews: Sequence[InterviewFacts], **_: object) -> list[Unmet]:
    """Destination and wish are the same in every qualifying interview; a mismatch calls for another
    interview, not a rejection (safeguard 8)."""
    wishes = {(i.wants_to_go, i.stated_destination.strip().casefold()) for i in qualifying(interviews)}
    if len(wishes) > 1:
        return [
            unmet(
                "consistent",
                gettext_noop("The interviews do not agree on the wish or destination: hold another interview."),
            )
        ]
    if wishes and not next(iter(wishes))[0]:
        return [unmet("consistent", gettext_noop("The interviews record no wish to go to a destination."))]
    return []


def rule_decision_maker_not_interviewer(
    interviews: Sequence[InterviewFacts], *, decision_maker_id: int, **_: object
) -> list[Unmet]:
    """The person who decides neither interviewed nor recorded an interview for someone else
    (safeguard 11: the decision maker is not one of the interviewers)."""
    if any(
        decision_maker_id in (i.interviewer_id, i.recorded_by_id)
        for i in interviews
        if i.kind is not InterviewKind.EXTERNAL_STATEMENT
    ):
        return [
            unmet(
                "decision_maker",
                gettext_noop(
                    "The decision maker interviewed the person or recorded an interview; someone else must decide."
                ),
            )
        ]
    return []


def rule_reasons_recorded(interviews: Sequence[InterviewFacts], *, decision_reasons: str, **_: object) -> list[Unmet]:
    """The decision's reasons are written down (safeguard 11)."""
    if not decision_reasons.strip():
        return [unmet("reasons", gettext_noop("Write down the reasons for the decision."))]
    return []


WISH_ESTABLISHED_RULES: tuple[Callable[..., list[Unmet]], ...] = (
    rule_external_statements_never_count,
    rule_enough_private_interviews,
    rule_neutral_interviewer,
    rule_time_between_interviews,
    rule_consistent_wish,
    rule_decision_maker_not_interviewer,
    rule_reasons_recorded,
)


def wish_established_unmet(
    interviews: Sequence[InterviewFacts],
    *,
    decision_maker_id: int,
    decision_reasons: str,
    thresholds: WishThresholds = WishThresholds(),
) -> list[Unmet]:
    """Every unmet condition for WISH_VERIFYING -> WISH_ESTABLISHED; empty means the wish is established."""
    unmet: list[Unmet] = []
    for rule in WISH_ESTABLISHED_RULES:
        unmet += rule(
            interviews, thresholds=thresholds, decision_maker_id=decision_maker_id, decision_reasons=decision_reasons
        )
    return unmet
