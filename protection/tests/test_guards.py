"""The rules for establishing a wish: one test per rule, and properties over random interview sets."""

from __future__ import annotations

import dataclasses
import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from protection.guards import (
    InterviewFacts,
    InterviewKind,
    StatedWish,
    WishThresholds,
    interview_problems,
    qualifying,
    wish_established_unmet,
)

DAY = dt.date(2025, 3, 1)
DECIDER = 99


def interview(**changes: object) -> InterviewFacts:
    facts = InterviewFacts(
        kind=InterviewKind.WISH_VERIFICATION,
        held_on=DAY,
        interviewer_id=1,
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
        stated_destination="Republic of Korea",
        stated_wish=StatedWish.GO,
    )
    return dataclasses.replace(facts, **changes)  # type: ignore[arg-type]


def good_pair() -> list[InterviewFacts]:
    return [
        interview(),
        interview(held_on=DAY + dt.timedelta(days=8), interviewer_id=2, interviewer_is_neutral_body=False),
    ]


def unmet_rules(interviews: list[InterviewFacts], reasons: str = "Consistent, private, informed.") -> set[str]:
    return {u.rule for u in wish_established_unmet(interviews, decision_maker_id=DECIDER, decision_reasons=reasons)}


def test_two_private_neutral_interviews_eight_days_apart_establish_the_wish() -> None:
    assert unmet_rules(good_pair()) == set()


def test_letters_and_press_statements_alone_never_establish_a_wish() -> None:
    letters = [interview(kind=InterviewKind.EXTERNAL_STATEMENT, held_on=DAY + dt.timedelta(days=i)) for i in range(5)]
    assert {"external_statements", "enough_interviews"} <= unmet_rules(letters)


def test_one_interview_is_not_enough() -> None:
    assert "enough_interviews" in unmet_rules(good_pair()[:1])


def test_an_interview_with_detaining_power_staff_present_does_not_count() -> None:
    pair = good_pair()
    pair[1] = dataclasses.replace(pair[1], detaining_power_present=True)
    assert "detaining-power staff were present" in interview_problems(pair[1])
    assert "enough_interviews" in unmet_rules(pair)


def test_an_interview_without_korean_does_not_count() -> None:
    assert "neither the interviewer nor an interpreter spoke Korean" in interview_problems(
        interview(korean_spoken=False)
    )


def test_a_non_private_interview_or_one_without_briefing_or_fitness_does_not_count() -> None:
    for change in (
        {"is_private": False},
        {"options_briefing_given": False},
        {"fit_for_interview": False},
        {"interviewer_signed_declaration": False},
        {"interpreter_is_independent": False},
        {"understanding_confirmed": False},
        {"receiving_state_present": True},
    ):
        assert interview_problems(interview(**change)), change


def test_at_least_one_interview_must_be_by_a_neutral_body() -> None:
    pair = [dataclasses.replace(i, interviewer_is_neutral_body=False) for i in good_pair()]
    assert unmet_rules(pair) == {"neutral_interviewer"}


def test_interviews_closer_than_seven_days_are_not_enough() -> None:
    pair = good_pair()
    pair[1] = dataclasses.replace(pair[1], held_on=DAY + dt.timedelta(days=6))
    assert unmet_rules(pair) == {"days_apart"}


def test_the_thresholds_are_configuration() -> None:
    pair = good_pair()
    loose = WishThresholds(min_days_between_first_and_last=3)
    pair[1] = dataclasses.replace(pair[1], held_on=DAY + dt.timedelta(days=4))
    assert wish_established_unmet(pair, decision_maker_id=DECIDER, decision_reasons="r", thresholds=loose) == []


def test_different_destinations_call_for_another_interview() -> None:
    pair = good_pair()
    pair[1] = dataclasses.replace(pair[1], stated_destination="a third country")
    unmet = wish_established_unmet(pair, decision_maker_id=DECIDER, decision_reasons="r")
    assert [u.rule for u in unmet] == ["consistent"]
    assert "another interview" in str(unmet[0])


def test_the_decision_maker_may_not_have_interviewed() -> None:
    assert unmet_rules(good_pair()) == set()  # the decider (99) interviewed no one
    assert "decision_maker" in {
        u.rule for u in wish_established_unmet(good_pair(), decision_maker_id=1, decision_reasons="r")
    }


def test_the_reasons_must_be_recorded() -> None:
    assert unmet_rules(good_pair(), reasons="  ") == {"reasons"}


interviews_strategy = st.lists(
    st.builds(
        interview,
        kind=st.sampled_from(list(InterviewKind)),
        held_on=st.dates(min_value=DAY, max_value=DAY + dt.timedelta(days=60)),
        interviewer_id=st.integers(min_value=1, max_value=5),
        is_private=st.booleans(),
        detaining_power_present=st.booleans(),
        interviewer_is_neutral_body=st.booleans(),
        korean_spoken=st.booleans(),
        options_briefing_given=st.booleans(),
        stated_destination=st.sampled_from(["Republic of Korea", "a third country"]),
    ),
    max_size=6,
)


@given(interviews_strategy)
def test_an_established_wish_always_rests_on_private_neutral_interviews_days_apart(
    interviews: list[InterviewFacts],
) -> None:
    if wish_established_unmet(interviews, decision_maker_id=DECIDER, decision_reasons="r"):
        return
    good = qualifying(interviews)
    assert len(good) >= 2
    assert any(i.interviewer_is_neutral_body for i in good)
    assert (max(i.held_on for i in good) - min(i.held_on for i in good)).days >= 7
    assert all(not i.detaining_power_present and i.is_private and i.korean_spoken for i in good)


@given(interviews_strategy, st.integers(min_value=0, max_value=5))
def test_adding_external_statements_never_turns_a_refusal_into_an_establishment(
    interviews: list[InterviewFacts], letters: int
) -> None:
    before = wish_established_unmet(interviews, decision_maker_id=DECIDER, decision_reasons="r")
    extra = [
        interview(kind=InterviewKind.EXTERNAL_STATEMENT, held_on=DAY + dt.timedelta(days=30 + i))
        for i in range(letters)
    ]
    after = wish_established_unmet(interviews + extra, decision_maker_id=DECIDER, decision_reasons="r")
    if before:
        assert after


def test_a_decision_maker_who_recorded_an_interview_for_its_interviewer_may_not_decide() -> None:
    typed_in = [good_pair()[0], dataclasses.replace(good_pair()[1], recorded_by_id=DECIDER)]
    assert unmet_rules(typed_in) == {"decision_maker"}
