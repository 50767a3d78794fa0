"""One test per guard of `protection.rules` and per transition-level rule of PROCESS.md (c), on plain
`CaseFacts` (no database); then the table of `protection.transitions`: reachability, exits, withdrawals
and the pathway configuration."""

from __future__ import annotations

import dataclasses
import datetime as dt
import inspect
import json
from collections import deque
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from protection import rules, transitions
from protection.guards import InterviewFacts, InterviewKind, StatedWish, Unmet, WishThresholds
from protection.rules import (
    AcceptanceFacts,
    CaseFacts,
    Deadlines,
    DeathFacts,
    PathwayFacts,
    ProtectionRequestFacts,
    RiskFacts,
    TransferFacts,
)
from protection.stages import ENTRY_STAGES, Stage
from protection.transitions import (
    GENERIC,
    NEUTRAL,
    SOUTH_KOREA,
    TERMINAL,
    WISH_STAGES,
    Machine,
    Pathway,
    PathwayConfigError,
    PathwayStep,
    pathway_for,
    pathways_from_json,
    pathways_load,
)

TODAY = dt.date(2025, 6, 2)
DECIDER = 99
NEUTRAL_INTERVIEWER = 1
OTHER_INTERVIEWER = 2


def days(n: int) -> dt.timedelta:
    return dt.timedelta(days=n)


def interview(**changes: object) -> InterviewFacts:
    """A private wish-verification interview that qualifies under every safeguard: to go to KR."""
    facts = InterviewFacts(
        kind=InterviewKind.WISH_VERIFICATION,
        held_on=TODAY - days(30),
        interviewer_id=NEUTRAL_INTERVIEWER,
        is_private=True,
        detaining_power_present=False,
        receiving_state_present=False,
        interviewer_is_independent=True,
        interviewer_signed_declaration=True,
        interviewer_is_neutral_body=True,
        korean_spoken=True,
        interpreter_is_independent=True,
        understanding_confirmed=True,
        options_briefing_given=True,
        fit_for_interview=True,
        stated_destination="KR",
        stated_wish=StatedWish.GO,
    )
    return dataclasses.replace(facts, **changes)  # type: ignore[arg-type]


def handover(**changes: object) -> InterviewFacts:
    """A private handover reconfirmation today: still to go to KR."""
    return interview(**{"kind": InterviewKind.HANDOVER_RECONFIRMATION, "held_on": TODAY, **changes})


WISH_PAIR = (
    interview(),
    interview(held_on=TODAY - days(21), interviewer_id=OTHER_INTERVIEWER, interviewer_is_neutral_body=False),
)
GOOD_DEATH = DeathFacts(cause="illness", has_cause_detail=True, has_place=True, buried_on=TODAY, has_grave=True)
REQUEST = ProtectionRequestFacts(
    receiving_state="KR",
    requested_on=TODAY - days(12),
    made_in_person=True,
    has_in_person_exception=False,
    consent_to_share_given=True,
    entered_receiving_state_on=None,
)
ACCEPTANCE = AcceptanceFacts("KR", TODAY - days(8), is_written=True, legal_basis="release_and_application")
TRANSFER = TransferFacts(
    to_state="KR",
    legal_basis="release_and_application",
    scheduled_for=TODAY,
    has_escort=True,
    has_neutral_witness=True,
    protecting_body_notified=True,
    valuables_inventory_ready=True,
    is_done=False,
)
BASE = CaseFacts(
    stage=Stage.TRANSFER_SCHEDULED,
    entry_route="prisoner",
    today=TODAY,
    actor_id=DECIDER,
    note="Reasons written down.",
    interviews=(*WISH_PAIR, handover()),
    wish_established=True,
    home_states=("KP",),
    risk_assessments=(
        RiskFacts("KP", TODAY - days(15), protecting_body_consulted=True, risk_found=True),
        RiskFacts("KR", TODAY - days(15), protecting_body_consulted=True, risk_found=False),
    ),
    protection_request=REQUEST,
    acceptance=ACCEPTANCE,
    transfer=TRANSFER,
    has_nib_record=True,
    camp_arrival_on=TODAY - days(60),
    capture_card_offered_on=TODAY - days(58),
    death=GOOD_DEATH,
    pathway=PathwayFacts(
        screening_started_on=TODAY - days(400),
        exclusions_checked=True,
        programme_completed_on=TODAY - days(300),
        family_register_done=True,
        housing_arranged=True,
        residence_protection_started_on=TODAY - days(6 * 366),
    ),
)


def facts(**changes: object) -> CaseFacts:
    return dataclasses.replace(BASE, **changes)  # type: ignore[arg-type]


def rules_of(problems: list[Unmet]) -> list[str]:
    return [problem.rule for problem in problems]


def text(problems: list[Unmet]) -> str:
    return " ".join(problem.message for problem in problems)


# --- Rule (c) 1: the Art. 122 record ---------------------------------------------------------


def test_the_art_122_record_passes_when_every_field_is_filled_or_marked_not_available() -> None:
    assert rules.guard_art_122_record_complete(facts()) == []


def test_registration_is_refused_without_an_art_122_record() -> None:
    assert rules_of(rules.guard_art_122_record_complete(facts(has_nib_record=False))) == ["art_122"]


def test_registration_is_refused_naming_each_art_122_field_neither_filled_nor_marked() -> None:
    problems = rules.guard_art_122_record_complete(facts(missing_art_122_fields=("serial_number", "rank")))
    assert rules_of(problems) == ["art_122"]
    assert "serial_number" in text(problems) and "rank" in text(problems)


# --- Rule (c) 2: the capture card (the guard part) -------------------------------------------


def test_custody_passes_when_the_capture_card_was_offered_within_seven_days_of_arrival() -> None:
    assert rules.guard_capture_card_offered(facts(capture_card_offered_on=TODAY - days(60) + days(7))) == []


def test_custody_is_refused_without_an_arrival_at_a_camp() -> None:
    assert rules_of(rules.guard_capture_card_offered(facts(camp_arrival_on=None))) == ["camp_arrival"]


def test_custody_is_refused_when_no_capture_card_was_offered() -> None:
    assert rules_of(rules.guard_capture_card_offered(facts(capture_card_offered_on=None))) == ["capture_card"]


def test_custody_is_refused_when_the_capture_card_was_offered_after_seven_days() -> None:
    problems = rules.guard_capture_card_offered(facts(capture_card_offered_on=TODAY - days(60) + days(8)))
    assert rules_of(problems) == ["capture_card"]
    assert "7 days" in text(problems)


def test_the_capture_card_deadline_is_configuration() -> None:
    late = facts(capture_card_offered_on=TODAY - days(50), deadlines=Deadlines(capture_card_days=10))
    assert rules.guard_capture_card_offered(late) == []


# --- Recording the wish ----------------------------------------------------------------------


def test_a_wish_is_recorded_from_a_private_wish_verification_interview() -> None:
    assert rules.guard_private_interview_held(facts(interviews=WISH_PAIR[:1])) == []


def test_a_wish_is_not_recorded_from_an_interview_that_was_not_private() -> None:
    problems = rules.guard_private_interview_held(facts(interviews=(interview(is_private=False),)))
    assert rules_of(problems) == ["private_interview"]


def test_a_wish_is_not_recorded_from_an_interview_with_detaining_power_staff_present() -> None:
    problems = rules.guard_private_interview_held(facts(interviews=(interview(detaining_power_present=True),)))
    assert rules_of(problems) == ["private_interview"]


def test_a_wish_is_not_recorded_from_letters_alone_and_says_so() -> None:
    letters = (interview(kind=InterviewKind.EXTERNAL_STATEMENT), interview(kind=InterviewKind.EXTERNAL_STATEMENT))
    problems = rules.guard_private_interview_held(facts(interviews=letters))
    assert rules_of(problems) == ["private_interview"]
    assert "letters" in text(problems)


def test_a_wish_is_not_recorded_without_any_interview() -> None:
    assert rules_of(rules.guard_private_interview_held(facts(interviews=()))) == ["private_interview"]


def test_verification_starts_when_the_latest_interview_states_a_wish_to_go() -> None:
    assert rules.guard_a_wish_to_go_is_stated(facts()) == []


def test_verification_does_not_start_when_the_latest_interview_states_a_wish_to_return() -> None:
    later = interview(held_on=TODAY - days(10), stated_wish=StatedWish.RETURN, stated_destination="")
    problems = rules.guard_a_wish_to_go_is_stated(facts(interviews=(*WISH_PAIR, later)))
    assert rules_of(problems) == ["wish_stated"]


def test_verification_does_not_start_on_a_wish_to_go_without_a_destination() -> None:
    problems = rules.guard_a_wish_to_go_is_stated(facts(interviews=(interview(stated_destination="  "),)))
    assert rules_of(problems) == ["wish_stated"]


def test_verification_does_not_start_without_a_wish_verification_interview() -> None:
    only_letter = (interview(kind=InterviewKind.EXTERNAL_STATEMENT),)
    assert rules_of(rules.guard_a_wish_to_go_is_stated(facts(interviews=only_letter))) == ["wish_stated"]


# --- Rules (c) 7-9: establishing the wish (the rules themselves: test_guards.py) ----------------


def test_the_wish_is_established_on_two_qualifying_interviews_decided_by_someone_else_with_reasons() -> None:
    assert rules.guard_wish_established(facts()) == []


def test_the_wish_is_not_established_when_the_decider_interviewed_the_person() -> None:
    problems = rules.guard_wish_established(facts(actor_id=NEUTRAL_INTERVIEWER))
    assert rules_of(problems) == ["decision_maker"]


def test_the_wish_is_not_established_without_written_reasons() -> None:
    assert rules_of(rules.guard_wish_established(facts(note=" "))) == ["reasons"]


def test_rule_7_the_wish_is_not_established_on_one_interview_or_interviews_too_close_together() -> None:
    assert "enough_interviews" in rules_of(rules.guard_wish_established(facts(interviews=WISH_PAIR[:1])))
    close = (WISH_PAIR[0], dataclasses.replace(WISH_PAIR[1], held_on=WISH_PAIR[0].held_on + days(6)))
    assert rules_of(rules.guard_wish_established(facts(interviews=close))) == ["days_apart"]


def test_rule_7_the_wish_is_not_established_without_a_neutral_interviewer() -> None:
    pair = tuple(dataclasses.replace(i, interviewer_is_neutral_body=False) for i in WISH_PAIR)
    assert rules_of(rules.guard_wish_established(facts(interviews=pair))) == ["neutral_interviewer"]


def test_rule_7_the_wish_is_not_established_with_detaining_power_staff_present() -> None:
    pair = (WISH_PAIR[0], dataclasses.replace(WISH_PAIR[1], detaining_power_present=True))
    assert "enough_interviews" in rules_of(rules.guard_wish_established(facts(interviews=pair)))


def test_rule_8_an_interview_without_korean_does_not_count_toward_the_wish() -> None:
    pair = (WISH_PAIR[0], dataclasses.replace(WISH_PAIR[1], korean_spoken=False))
    assert "enough_interviews" in rules_of(rules.guard_wish_established(facts(interviews=pair)))


def test_rule_9_external_statements_never_count_toward_the_wish() -> None:
    letters = tuple(interview(kind=InterviewKind.EXTERNAL_STATEMENT, held_on=TODAY - days(i)) for i in (1, 20))
    problems = rules_of(rules.guard_wish_established(facts(interviews=letters)))
    assert "external_statements" in problems and "enough_interviews" in problems


def test_the_wish_thresholds_come_from_the_facts() -> None:
    strict = facts(thresholds=WishThresholds(min_interviews=3))
    assert rules_of(rules.guard_wish_established(strict)) == ["enough_interviews"]


# --- The wish still holds at the transfer ----------------------------------------------------


def test_a_prisoners_transfer_rests_on_an_established_wish_for_that_destination() -> None:
    assert rules.guard_wish_still_established(facts()) == []


def test_a_prisoners_transfer_is_refused_when_the_wish_is_not_established_or_was_withdrawn() -> None:
    assert rules_of(rules.guard_wish_still_established(facts(wish_established=False))) == ["wish"]


def test_a_prisoners_transfer_is_refused_to_another_destination_than_the_established_wish() -> None:
    elsewhere = dataclasses.replace(TRANSFER, to_state="XG")
    problems = rules.guard_wish_still_established(facts(transfer=elsewhere))
    assert rules_of(problems) == ["wish"]
    assert "KR" not in text(problems), "the detaining power's staff must not learn the stated destination"


def test_a_prisoners_transfer_is_refused_when_a_later_interview_no_longer_states_the_wish() -> None:
    for wish, destination in ((StatedWish.STAY, ""), (StatedWish.WITHDRAWN, ""), (StatedWish.GO, "XG")):
        later = interview(held_on=TODAY - days(5), interviewer_id=3, stated_wish=wish, stated_destination=destination)
        problems = rules.guard_wish_still_established(facts(interviews=(*WISH_PAIR, later, handover())))
        assert rules_of(problems) == ["wish"], wish
        assert "XG" not in text(problems)


def test_a_defectors_transfer_rests_on_the_protection_request_in_person_or_its_exception() -> None:
    defector = facts(entry_route="defector", wish_established=False, interviews=())
    assert rules.guard_wish_still_established(defector) == []
    excepted = dataclasses.replace(
        REQUEST,
        made_in_person=False,
        has_in_person_exception=True,
    )
    assert rules.guard_wish_still_established(facts(entry_route="defector", protection_request=excepted)) == []


def test_a_defectors_transfer_is_refused_without_a_request_in_person() -> None:
    assert rules_of(rules.guard_wish_still_established(facts(entry_route="defector", protection_request=None))) == [
        "wish"
    ]
    by_letter = dataclasses.replace(REQUEST, made_in_person=False)
    defector = facts(entry_route="defector", protection_request=by_letter)
    assert rules_of(rules.guard_wish_still_established(defector)) == ["wish"]


# --- Rule (c) 11: non-refoulement ------------------------------------------------------------


def test_risk_is_assessed_when_home_state_and_destination_have_consulted_assessments() -> None:
    assert rules.guard_risk_assessed_for_home_and_destination(facts()) == []


def test_risk_is_not_assessed_without_an_assessment_of_the_home_state() -> None:
    only_destination = (BASE.risk_assessments[1],)
    problems = rules.guard_risk_assessed_for_home_and_destination(facts(risk_assessments=only_destination))
    assert rules_of(problems) == ["risk"]
    assert "KP" in text(problems)


def test_risk_is_not_assessed_without_a_destination() -> None:
    nowhere = facts(transfer=None, acceptance=None, protection_request=None, interviews=())
    problems = rules.guard_risk_assessed_for_home_and_destination(nowhere)
    assert "No destination" in text(problems)


def test_risk_is_not_assessed_when_the_icrc_was_not_consulted() -> None:
    unconsulted = (
        BASE.risk_assessments[0],
        dataclasses.replace(BASE.risk_assessments[1], protecting_body_consulted=False),
    )
    problems = rules.guard_risk_assessed_for_home_and_destination(facts(risk_assessments=unconsulted))
    assert rules_of(problems) == ["risk"]
    assert "consulted" in text(problems)


def test_rule_11_a_transfer_passes_when_the_destination_was_assessed_without_risk() -> None:
    assert rules.guard_destination_safe(facts()) == []


def test_rule_11_no_transfer_without_an_assessment_of_the_destination() -> None:
    problems = rules.guard_destination_safe(facts(risk_assessments=BASE.risk_assessments[:1]))
    assert rules_of(problems) == ["non_refoulement"]
    assert "KR" in text(problems)


def test_rule_11_no_transfer_where_the_latest_assessment_found_a_risk() -> None:
    later_risk = RiskFacts("KR", TODAY - days(1), protecting_body_consulted=True, risk_found=True)
    problems = rules.guard_destination_safe(facts(risk_assessments=(*BASE.risk_assessments, later_risk)))
    assert rules_of(problems) == ["non_refoulement"]
    assert "real risk" in text(problems)


def test_rule_11_a_later_assessment_without_risk_replaces_an_earlier_one_with_risk() -> None:
    earlier_risk = RiskFacts("KR", TODAY - days(40), protecting_body_consulted=True, risk_found=True)
    assert rules.guard_destination_safe(facts(risk_assessments=(earlier_risk, *BASE.risk_assessments))) == []


def test_rule_11_no_transfer_without_a_destination() -> None:
    nowhere = facts(transfer=None, acceptance=None, protection_request=None, interviews=())
    assert rules_of(rules.guard_destination_safe(nowhere)) == ["non_refoulement"]


def test_rule_11_a_repatriation_passes_when_the_home_state_was_assessed_without_risk() -> None:
    safe_home = RiskFacts("KP", TODAY - days(2), protecting_body_consulted=True, risk_found=False)
    assert rules.guard_home_state_safe(facts(risk_assessments=(*BASE.risk_assessments, safe_home))) == []


def test_rule_11_no_repatriation_where_the_home_state_assessment_found_a_risk() -> None:
    problems = rules.guard_home_state_safe(facts())
    assert rules_of(problems) == ["non_refoulement"]
    assert "KP" in text(problems)


def test_rule_11_no_repatriation_without_knowing_the_power_depended_on() -> None:
    problems = rules.guard_home_state_safe(facts(home_states=()))
    assert rules_of(problems) == ["non_refoulement"]
    assert "Art. 122" in text(problems)


def test_rule_11_every_claimed_home_state_must_be_safe_for_a_repatriation() -> None:
    safe = tuple(RiskFacts(state, TODAY, True, False) for state in ("KP", "RU"))
    assert rules.guard_home_state_safe(facts(home_states=("KP", "RU"), risk_assessments=safe)) == []
    problems = rules.guard_home_state_safe(facts(home_states=("KP", "RU"), risk_assessments=safe[:1]))
    assert "RU" in text(problems)


# --- The wish to return ----------------------------------------------------------------------


def returning(**changes: object) -> InterviewFacts:
    return interview(stated_wish=StatedWish.RETURN, stated_destination="", **changes)


def test_a_private_neutral_interview_confirms_the_wish_to_return() -> None:
    assert rules.guard_private_wish_to_return(facts(interviews=(returning(),))) == []


def test_no_repatriation_on_a_wish_to_return_heard_only_by_a_non_neutral_interviewer() -> None:
    problems = rules.guard_private_wish_to_return(facts(interviews=(returning(interviewer_is_neutral_body=False),)))
    assert rules_of(problems) == ["return_wish"]


def test_no_repatriation_on_a_wish_to_return_from_an_interview_that_does_not_qualify() -> None:
    problems = rules.guard_private_wish_to_return(facts(interviews=(returning(is_private=False),)))
    assert rules_of(problems) == ["return_wish"]


def test_no_repatriation_when_the_latest_interview_no_longer_records_a_wish_to_return() -> None:
    later = interview(held_on=TODAY - days(3), interviewer_is_neutral_body=False)
    problems = rules.guard_private_wish_to_return(facts(interviews=(returning(), later)))
    assert rules_of(problems) == ["return_wish"]
    assert "KR" not in text(problems)


def test_a_later_weaker_interview_saying_return_does_not_outweigh_a_qualifying_wish_to_go() -> None:
    wish_to_go = interview(held_on=TODAY - days(5))
    weaker_return = returning(held_on=TODAY - days(2), is_private=False)
    problems = rules.guard_private_wish_to_return(facts(interviews=(returning(), wish_to_go, weaker_return)))
    assert rules_of(problems) == ["return_wish"]


def test_no_repatriation_on_a_letter_asking_to_go_home() -> None:
    letter = returning(kind=InterviewKind.EXTERNAL_STATEMENT)
    assert rules_of(rules.guard_private_wish_to_return(facts(interviews=(letter,)))) == ["return_wish"]


# --- The receiving state ---------------------------------------------------------------------


def test_a_protection_request_in_person_with_consent_to_share_passes() -> None:
    assert rules.guard_protection_requested(facts()) == []


def test_a_protection_request_is_refused_when_none_is_recorded() -> None:
    assert rules_of(rules.guard_protection_requested(facts(protection_request=None))) == ["protection_request"]


def test_a_protection_request_not_in_person_passes_only_with_the_exception_recorded() -> None:
    by_letter = dataclasses.replace(REQUEST, made_in_person=False)
    assert rules_of(rules.guard_protection_requested(facts(protection_request=by_letter))) == ["in_person"]
    excepted = dataclasses.replace(by_letter, has_in_person_exception=True)
    assert rules.guard_protection_requested(facts(protection_request=excepted)) == []


def test_a_protection_request_is_refused_without_consent_to_share_data_with_the_receiving_state() -> None:
    unconsented = dataclasses.replace(REQUEST, consent_to_share_given=False)
    assert rules_of(rules.guard_protection_requested(facts(protection_request=unconsented))) == ["consent_to_share"]


def test_a_written_acceptance_with_a_legal_basis_from_the_requested_state_passes() -> None:
    assert rules.guard_written_acceptance(facts()) == []


def test_an_acceptance_is_refused_when_none_is_recorded() -> None:
    assert rules_of(rules.guard_written_acceptance(facts(acceptance=None))) == ["acceptance"]


def test_an_acceptance_is_refused_when_it_is_not_in_writing() -> None:
    oral = dataclasses.replace(ACCEPTANCE, is_written=False)
    assert rules_of(rules.guard_written_acceptance(facts(acceptance=oral))) == ["acceptance"]


def test_an_acceptance_is_refused_without_a_legal_basis() -> None:
    baseless = dataclasses.replace(ACCEPTANCE, legal_basis="")
    assert rules_of(rules.guard_written_acceptance(facts(acceptance=baseless))) == ["legal_basis"]


def test_an_acceptance_is_refused_from_another_state_than_the_request() -> None:
    other = dataclasses.replace(ACCEPTANCE, receiving_state="XG")
    problems = rules.guard_written_acceptance(facts(acceptance=other))
    assert rules_of(problems) == ["acceptance"]
    assert "another state" in text(problems)


# --- Rule (c) 12: proceedings ------------------------------------------------------------------


def test_rule_12_a_transfer_passes_with_no_pending_proceedings() -> None:
    assert rules.guard_no_pending_proceedings(facts()) == []


def test_rule_12_a_transfer_is_blocked_while_proceedings_are_pending() -> None:
    problems = rules.guard_no_pending_proceedings(facts(pending_proceedings=2))
    assert rules_of(problems) == ["proceedings"]
    assert "2 indictable proceedings" in text(problems)


def test_a_case_is_held_only_while_proceedings_are_pending() -> None:
    assert rules.guard_proceedings_pending(facts(pending_proceedings=1)) == []
    assert rules_of(rules.guard_proceedings_pending(facts())) == ["proceedings"]


# --- Transfer and rule (c) 10: handover ----------------------------------------------------------


def test_a_prepared_transfer_passes() -> None:
    assert rules.guard_transfer_prepared(facts()) == []


def test_a_transfer_is_refused_when_none_is_scheduled() -> None:
    assert rules_of(rules.guard_transfer_prepared(facts(transfer=None))) == ["transfer"]


def test_a_transfer_is_refused_until_the_protecting_power_is_notified_and_valuables_are_listed() -> None:
    unprepared = dataclasses.replace(
        TRANSFER,
        protecting_body_notified=False,
        valuables_inventory_ready=False,
        legal_basis="",
    )
    assert rules_of(rules.guard_transfer_prepared(facts(transfer=unprepared))) == [
        "notified",
        "valuables",
        "legal_basis",
    ]


def test_rule_10_the_transfer_passes_on_a_private_same_day_handover_reconfirmation() -> None:
    assert rules.guard_handover_reconfirmed(facts()) == []


def test_rule_10_no_transfer_on_a_handover_reconfirmation_of_another_day() -> None:
    yesterday = handover(held_on=TODAY - days(1))
    problems = rules.guard_handover_reconfirmed(facts(interviews=(*WISH_PAIR, yesterday)))
    assert rules_of(problems) == ["handover"]
    assert "today" in text(problems)


def test_rule_10_no_transfer_on_a_handover_reconfirmation_that_was_not_private() -> None:
    for change in ({"is_private": False}, {"detaining_power_present": True}, {"receiving_state_present": True}):
        problems = rules.guard_handover_reconfirmed(facts(interviews=(*WISH_PAIR, handover(**change))))
        assert rules_of(problems) == ["handover"], change
        assert "not private" in text(problems)


def test_rule_10_no_transfer_when_the_person_no_longer_wishes_to_go_at_handover() -> None:
    withdrawn = handover(stated_wish=StatedWish.WITHDRAWN, stated_destination="")
    problems = rules.guard_handover_reconfirmed(facts(interviews=(*WISH_PAIR, withdrawn)))
    assert rules_of(problems) == ["handover"]
    assert "withdr" not in text(problems).lower() and "KR" not in text(problems)


def test_rule_10_no_transfer_when_the_handover_names_another_destination() -> None:
    elsewhere = handover(stated_destination="XG")
    assert rules_of(rules.guard_handover_reconfirmed(facts(interviews=(*WISH_PAIR, elsewhere)))) == ["handover"]


def test_rule_10_the_latest_handover_reconfirmation_of_the_day_counts() -> None:
    changed_mind = (*WISH_PAIR, handover(), handover(stated_wish=StatedWish.STAY, stated_destination=""))
    assert rules_of(rules.guard_handover_reconfirmed(facts(interviews=changed_mind))) == ["handover"]


def test_a_handover_is_witnessed_by_a_neutral_body() -> None:
    assert rules.guard_neutral_witness(facts()) == []
    unwitnessed = dataclasses.replace(TRANSFER, has_neutral_witness=False)
    assert rules_of(rules.guard_neutral_witness(facts(transfer=unwitnessed))) == ["witness"]
    assert rules_of(rules.guard_neutral_witness(facts(transfer=None))) == ["witness"]


def test_a_third_country_transfer_needs_the_neutral_state_legal_basis() -> None:
    neutral = dataclasses.replace(TRANSFER, legal_basis="neutral_state_transfer")
    assert rules.guard_neutral_state_basis(facts(transfer=neutral)) == []
    assert rules_of(rules.guard_neutral_state_basis(facts())) == ["legal_basis"]
    assert rules_of(rules.guard_neutral_state_basis(facts(transfer=None))) == ["legal_basis"]


# --- The receiving state's pathway ---------------------------------------------------------------


def test_a_protection_decision_passes_when_the_exclusions_were_checked_and_reasons_given() -> None:
    assert rules.guard_exclusions_checked(facts()) == []


def test_a_protection_decision_is_refused_until_the_art_9_exclusions_are_checked_and_reasons_given() -> None:
    unchecked = facts(pathway=dataclasses.replace(BASE.pathway, exclusions_checked=False), note="")
    assert rules_of(rules.guard_exclusions_checked(unchecked)) == ["exclusions", "reasons"]


def test_residence_protection_starts_when_programme_register_and_housing_are_done() -> None:
    assert rules.guard_programme_completed(facts()) == []


def test_residence_protection_is_refused_naming_each_unfinished_step() -> None:
    pathway = dataclasses.replace(
        BASE.pathway, programme_completed_on=None, family_register_done=False, housing_arranged=False
    )
    assert rules_of(rules.guard_programme_completed(facts(pathway=pathway))) == [
        "programme",
        "family_register",
        "housing",
    ]


def test_a_case_settles_once_five_years_of_residence_protection_have_passed() -> None:
    assert rules.guard_residence_protection_over(facts()) == []


def test_a_case_does_not_settle_before_residence_protection_ends_and_says_when_it_does() -> None:
    pathway = dataclasses.replace(BASE.pathway, residence_protection_started_on=dt.date(2022, 1, 10))
    problems = rules.guard_residence_protection_over(facts(pathway=pathway))
    assert rules_of(problems) == ["residence_protection"]
    assert "2027-01-10" in text(problems)


def test_rule_16_an_extension_moves_the_end_of_residence_protection() -> None:
    pathway = dataclasses.replace(
        BASE.pathway, residence_protection_started_on=dt.date(2020, 5, 1), residence_protection_extension_days=60
    )
    assert pathway.residence_protection_ends_on == dt.date(2025, 6, 30)
    assert rules_of(rules.guard_residence_protection_over(facts(pathway=pathway))) == ["residence_protection"]


def test_a_case_does_not_settle_without_a_start_of_residence_protection() -> None:
    pathway = dataclasses.replace(BASE.pathway, residence_protection_started_on=None)
    assert rules_of(rules.guard_residence_protection_over(facts(pathway=pathway))) == ["residence_protection"]


def test_residence_protection_started_on_29_february_ends_on_28_february() -> None:
    pathway = PathwayFacts(residence_protection_started_on=dt.date(2024, 2, 29))
    assert pathway.residence_protection_ends_on == dt.date(2029, 2, 28)


def test_rule_14_screening_may_last_90_days_plus_one_approved_extension_of_30() -> None:
    assert PathwayFacts().screening_limit_days == 90
    assert PathwayFacts(screening_extensions_approved=1).screening_limit_days == 120
    assert PathwayFacts(screening_extensions_approved=3).screening_limit_days == 120


# --- Rule (c) 13: death ------------------------------------------------------------------------


def test_rule_13_a_death_is_recorded_with_cause_place_burial_and_grave() -> None:
    assert rules.guard_death_recorded(facts()) == []


def test_rule_13_a_death_is_refused_without_the_certificates_data() -> None:
    assert rules_of(rules.guard_death_recorded(facts(death=None))) == ["death"]


def test_rule_13_a_death_is_refused_naming_each_missing_item() -> None:
    empty = DeathFacts(cause="", has_cause_detail=False, has_place=False, buried_on=None, has_grave=False)
    problems = rules.guard_death_recorded(facts(death=empty))
    assert rules_of(problems) == ["death"]
    for item in ("cause", "place", "burial date", "grave"):
        assert item in text(problems)


def test_rule_13_the_causes_that_open_an_enquiry_are_sentry_another_prisoner_and_unknown() -> None:
    from protection.models import DeathCause, DeathRecord

    assert set(DeathRecord.ENQUIRY_CAUSES) == {DeathCause.SENTRY, DeathCause.ANOTHER_PRISONER, DeathCause.UNKNOWN}


def test_exits_that_end_protection_need_a_written_note() -> None:
    assert rules.guard_note_given(facts()) == []
    assert rules_of(rules.guard_note_given(facts(note="   "))) == ["reasons"]


# --- The transitions carry the rules ---------------------------------------------------------------

KR_MACHINE = Machine.for_pathway(SOUTH_KOREA)
GENERIC_MACHINE = Machine.for_pathway(GENERIC)


def guards_of(source: str, target: str, machine: Machine = KR_MACHINE) -> tuple[rules.Guard, ...]:
    transition = machine.find(source, target)
    assert transition is not None, f"no transition {source} -> {target}"
    return transition.guards


def test_rule_1_registration_checks_the_art_122_record() -> None:
    assert rules.guard_art_122_record_complete in guards_of(Stage.CAPTURED, Stage.REGISTERED)


def test_rule_2_custody_checks_the_capture_card() -> None:
    assert rules.guard_capture_card_offered in guards_of(Stage.REGISTERED, Stage.IN_CUSTODY)


def test_rules_7_to_9_establishing_the_wish_checks_every_safeguard() -> None:
    assert guards_of(Stage.WISH_VERIFYING, Stage.WISH_ESTABLISHED) == (rules.guard_wish_established,)
    assert rules.guard_private_interview_held in guards_of(Stage.IN_CUSTODY, Stage.WISH_RECORDED)


def test_rule_10_handing_over_checks_a_same_day_reconfirmation_and_a_withdrawal_returns_to_custody() -> None:
    for target in (Stage.TRANSFERRED, Stage.THIRD_COUNTRY):
        assert rules.guard_handover_reconfirmed in guards_of(Stage.TRANSFER_SCHEDULED, target)
    withdrawal = KR_MACHINE.find(Stage.TRANSFER_SCHEDULED, Stage.IN_CUSTODY)
    assert withdrawal is not None and withdrawal.is_withdrawal


def test_rule_11_transfer_and_repatriation_check_non_refoulement() -> None:
    for target in (Stage.TRANSFER_SCHEDULED,):
        assert rules.guard_destination_safe in guards_of(Stage.ACCEPTED, target)
    for target in (Stage.TRANSFERRED, Stage.THIRD_COUNTRY):
        assert rules.guard_destination_safe in guards_of(Stage.TRANSFER_SCHEDULED, target)
    for source in (Stage.IN_CUSTODY, Stage.WISH_RECORDED):
        assert rules.guard_home_state_safe in guards_of(source, Stage.REPATRIATED)
        assert rules.guard_private_wish_to_return in guards_of(source, Stage.REPATRIATED)


def test_rule_12_every_way_out_of_custody_but_escape_and_death_checks_pending_proceedings() -> None:
    for source, target in (
        (Stage.ACCEPTED, Stage.TRANSFER_SCHEDULED),
        (Stage.TRANSFER_SCHEDULED, Stage.TRANSFERRED),
        (Stage.TRANSFER_SCHEDULED, Stage.THIRD_COUNTRY),
        (Stage.IN_CUSTODY, Stage.REPATRIATED),
        (Stage.IN_CUSTODY, Stage.RELEASED_LOCALLY),
        (Stage.HELD_PENDING_PROCEEDINGS, Stage.ACCEPTED),
    ):
        assert rules.guard_no_pending_proceedings in guards_of(source, target), (source, target)
    assert KR_MACHINE.find(Stage.HELD_PENDING_PROCEEDINGS, Stage.RELEASED_LOCALLY) is None
    assert guards_of(Stage.ACCEPTED, Stage.HELD_PENDING_PROCEEDINGS) == (rules.guard_proceedings_pending,)


def test_rule_13_death_checks_the_death_record_from_every_stage_that_is_not_final() -> None:
    for stage in Stage:
        transition = KR_MACHINE.find(stage, Stage.DECEASED)
        if stage in TERMINAL:
            assert transition is None, stage
        else:
            assert transition is not None and transition.guards == (rules.guard_death_recorded,), stage


def test_every_guard_of_the_rules_module_is_used_by_a_transition() -> None:
    used: set[object] = {
        guard for machine in (KR_MACHINE, GENERIC_MACHINE) for t in machine.transitions for guard in t.guards
    }
    defined: set[object] = {
        function
        for name, function in inspect.getmembers(rules, inspect.isfunction)
        if name.startswith("guard_") and function.__module__ == rules.__name__
    }
    assert defined - used == set()


def test_transitions_whose_guards_ask_for_reasons_need_a_note() -> None:
    assert KR_MACHINE.find(Stage.WISH_VERIFYING, Stage.WISH_ESTABLISHED).needs_note  # type: ignore[union-attr]
    assert KR_MACHINE.find(Stage.IN_CUSTODY, Stage.ESCAPED).needs_note  # type: ignore[union-attr]
    assert not KR_MACHINE.find(Stage.CAPTURED, Stage.REGISTERED).needs_note  # type: ignore[union-attr]


@settings(max_examples=60, deadline=None)
@given(
    st.builds(
        facts,
        stage=st.sampled_from(list(Stage)),
        entry_route=st.sampled_from(["prisoner", "defector"]),
        note=st.sampled_from(["", "Reasons."]),
        interviews=st.lists(
            st.builds(
                interview,
                kind=st.sampled_from(list(InterviewKind)),
                held_on=st.dates(TODAY - days(60), TODAY),
                is_private=st.booleans(),
                interviewer_is_neutral_body=st.booleans(),
                stated_wish=st.sampled_from(list(StatedWish)),
                stated_destination=st.sampled_from(["", "KR", "XG"]),
            ),
            max_size=4,
        ).map(tuple),
        wish_established=st.booleans(),
        home_states=st.sampled_from([(), ("KP",), ("KP", "RU")]),
        risk_assessments=st.lists(
            st.builds(
                RiskFacts, st.sampled_from(["KP", "KR", "XG", "RU"]), st.just(TODAY), st.booleans(), st.booleans()
            ),
            max_size=4,
        ).map(tuple),
        protection_request=st.none() | st.just(REQUEST),
        acceptance=st.none() | st.just(ACCEPTANCE),
        transfer=st.none() | st.just(TRANSFER),
        pending_proceedings=st.integers(0, 2),
        death=st.none() | st.just(GOOD_DEATH),
    )
)
def test_every_guard_returns_unmet_conditions_whose_messages_can_be_shown(case: CaseFacts) -> None:
    for machine in (KR_MACHINE, GENERIC_MACHINE):
        for transition in machine.transitions:
            for guard in transition.guards:
                for problem in guard(case):
                    assert problem.rule and problem.message and "{" not in problem.message


# --- The table -----------------------------------------------------------------------------------


def reachable(machines: tuple[Machine, ...], starts: list[str]) -> set[str]:
    seen = set(starts)
    queue = deque(starts)
    while queue:
        stage = queue.popleft()
        for machine in machines:
            for transition in machine.from_stage(stage):
                if transition.target not in seen:
                    seen.add(transition.target)
                    queue.append(transition.target)
    return seen


def test_every_stage_is_reachable_from_capture_or_the_defectors_protection_request() -> None:
    starts = [str(stage) for stage in ENTRY_STAGES.values()]
    assert reachable((KR_MACHINE, GENERIC_MACHINE), starts) == set(Stage.values)


def test_every_stage_is_reachable_from_capture_alone() -> None:
    assert reachable((KR_MACHINE, GENERIC_MACHINE), [Stage.CAPTURED]) == set(Stage.values)


def test_the_south_korean_stages_are_reachable_only_through_its_pathway() -> None:
    korean = {Stage.SCREENING, Stage.HANAWON, Stage.RESIDENCE_PROTECTION}
    assert korean <= reachable((KR_MACHINE,), [Stage.CAPTURED])
    assert not korean & reachable((GENERIC_MACHINE,), [Stage.CAPTURED])


def test_a_final_stage_has_no_way_out() -> None:
    for machine in (KR_MACHINE, GENERIC_MACHINE):
        for stage in TERMINAL:
            assert machine.from_stage(stage) == [], stage


def test_every_stage_that_is_not_final_has_a_way_out() -> None:
    for stage in set(Stage.values) - TERMINAL:
        assert KR_MACHINE.from_stage(stage), stage


def test_a_wish_can_be_withdrawn_from_every_wish_stage_back_to_custody_by_the_neutral_side() -> None:
    for stage in WISH_STAGES:
        withdrawal = KR_MACHINE.find(stage, Stage.IN_CUSTODY)
        assert withdrawal is not None, stage
        assert withdrawal.is_withdrawal and withdrawal.guards == () and withdrawal.roles == NEUTRAL
    assert KR_MACHINE.find(Stage.TRANSFERRED, Stage.IN_CUSTODY) is None


def test_each_stage_has_at_most_one_transition_to_each_target() -> None:
    for machine in (KR_MACHINE, GENERIC_MACHINE):
        for stage in Stage:
            targets = [t.target for t in machine.from_stage(stage)]
            assert len(targets) == len(set(targets)), stage


# --- Pathway configuration ---------------------------------------------------------------------------

VALID = [
    {
        "code": "xg",
        "name": "Example state",
        "countries": ["XG", "XH"],
        "steps": [
            {"source": "transferred", "target": "protection_granted", "roles": "receiving", "guards": ["note_given"]},
            {"source": "protection_granted", "target": "settled", "roles": "resettlement"},
        ],
        "residence_protection_years": 3,
    }
]


def changed(change: Callable[[dict[str, Any]], object]) -> str:
    broken = json.loads(json.dumps(VALID))
    change(broken[0])
    return json.dumps(broken)


def test_a_valid_pathway_file_is_read() -> None:
    [pathway] = pathways_from_json(json.dumps(VALID))
    assert pathway.code == "xg" and pathway.countries == ("XG", "XH") and pathway.residence_protection_years == 3
    assert pathway.stages == (Stage.TRANSFERRED, Stage.PROTECTION_GRANTED, Stage.SETTLED)
    assert [t.guards for t in pathway.transitions()] == [(rules.guard_note_given,), ()]


def test_a_pathway_file_with_an_unknown_stage_is_rejected_naming_it() -> None:
    text = changed(lambda item: item["steps"][1].update(target="paradise"))
    with pytest.raises(PathwayConfigError, match=r"pathway xg: unknown stage 'paradise'"):
        pathways_from_json(text)


def test_a_pathway_file_with_an_unknown_guard_is_rejected_naming_it() -> None:
    text = changed(lambda item: item["steps"][0].update(guards=["trust_me"]))
    with pytest.raises(PathwayConfigError, match=r"pathway xg: unknown guard 'trust_me'"):
        pathways_from_json(text)


def test_a_pathway_file_with_an_unknown_role_set_is_rejected_naming_it() -> None:
    text = changed(lambda item: item["steps"][0].update(roles="everyone"))
    with pytest.raises(PathwayConfigError, match=r"pathway xg: unknown role set 'everyone'"):
        pathways_from_json(text)


def test_a_pathway_that_does_not_start_from_the_transfer_is_rejected() -> None:
    text = changed(lambda item: item["steps"].pop(0))
    with pytest.raises(PathwayConfigError, match="no step starts from 'transferred'"):
        pathways_from_json(text)


@pytest.mark.parametrize(
    "text",
    ["not json", "{}", "[{}]", '[{"code": "x", "name": "x", "steps": [{"source": "transferred"}]}]', "[1]"],
)
def test_a_malformed_pathway_file_is_rejected_with_a_clear_message(text: str) -> None:
    with pytest.raises(PathwayConfigError, match="pathway configuration is not valid"):
        pathways_from_json(text)


def test_a_pathway_file_replaces_or_adds_pathways_by_code(tmp_path: Path) -> None:
    assert pathways_load(None) == transitions.BUILT_IN_PATHWAYS
    replacement = json.loads(json.dumps(VALID))
    replacement[0]["code"] = "generic"
    path = tmp_path / "pathways.json"
    path.write_text(json.dumps([*VALID, *replacement]), encoding="utf-8")
    loaded = {pathway.code: pathway for pathway in pathways_load(str(path))}
    assert set(loaded) == {"kr", "generic", "xg"}
    assert loaded["generic"].countries == ("XG", "XH")
    assert loaded["kr"] is SOUTH_KOREA


def test_pathway_for_picks_south_korea_for_kr_and_the_generic_pathway_otherwise() -> None:
    built_in = transitions.BUILT_IN_PATHWAYS
    assert pathway_for("KR", built_in) is SOUTH_KOREA
    assert pathway_for("kr", built_in) is SOUTH_KOREA
    for state in ("XG", "DE", ""):
        assert pathway_for(state, built_in) is GENERIC


def test_pathway_for_picks_a_configured_state_and_falls_back_to_the_built_in_generic_one() -> None:
    [configured] = pathways_from_json(json.dumps(VALID))
    assert pathway_for("XH", (*transitions.BUILT_IN_PATHWAYS, configured)) is configured
    assert pathway_for("XZ", (configured,)) is GENERIC


def test_a_pathway_built_in_code_is_checked_like_a_file() -> None:
    broken = Pathway(
        code="broken", name="Broken", countries=(), steps=(PathwayStep(Stage.TRANSFERRED, "nowhere", "receiving"),)
    )
    with pytest.raises(PathwayConfigError, match="unknown stage 'nowhere'"):
        transitions.pathway_check(broken)
    for pathway in transitions.BUILT_IN_PATHWAYS:
        transitions.pathway_check(pathway)
