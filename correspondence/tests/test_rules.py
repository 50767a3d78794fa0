"""The pure rules of correspondence: one test per rule, and properties of the Art. 71 tally and guard."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from correspondence import rules
from correspondence.rules import Kind, MailItem, MailMinimums, MonthTally, Status, Step

MINIMUMS = MailMinimums()
DAY = dt.date(2027, 3, 15)


def letter(on: dt.date, *, kind: str = Kind.LETTER, status: str = Status.SENT, direction: str = "out") -> MailItem:
    return MailItem(
        direction=direction, kind=kind, status=status, sent_on=on if status != Status.APPROVED else None, decided_on=on
    )


# --- Art. 71 (PROCESS.md (c) 5) -------------------------------------------------------------------


def test_a_letter_request_cannot_be_refused_below_two_letters_a_month() -> None:
    [problem] = rules.refusal_unmet(Kind.LETTER, MonthTally(DAY.replace(day=1), letters=1), MINIMUMS)
    assert problem.rule == "art_71_letters" and "minimum of 2 letters" in problem.message
    assert rules.refusal_unmet(Kind.LETTER, MonthTally(DAY.replace(day=1), letters=2), MINIMUMS) == []


def test_a_card_request_cannot_be_refused_below_four_cards_a_month() -> None:
    [problem] = rules.refusal_unmet(Kind.CARD, MonthTally(DAY.replace(day=1), cards=3), MINIMUMS)
    assert problem.rule == "art_71_cards" and "minimum of 4 cards" in problem.message
    assert rules.refusal_unmet(Kind.CARD, MonthTally(DAY.replace(day=1), cards=4), MINIMUMS) == []


def test_the_minimums_are_configuration() -> None:
    assert rules.refusal_unmet(Kind.LETTER, MonthTally(DAY, letters=2), MailMinimums(letters=3))
    assert rules.refusal_unmet(Kind.CARD, MonthTally(DAY, cards=0), MailMinimums(cards=0)) == []


def test_other_kinds_have_no_minimum() -> None:
    for kind in (Kind.TELEGRAM, Kind.MESSAGE, Kind.VIDEO_MESSAGE):
        assert rules.refusal_unmet(kind, MonthTally(DAY), MINIMUMS) == []


def test_capture_cards_never_count_toward_the_minimum() -> None:
    items = [letter(DAY, kind=Kind.CAPTURE_CARD_FAMILY), letter(DAY, kind=Kind.CAPTURE_CARD_AGENCY)]
    assert rules.month_tally(items, DAY) == MonthTally(DAY.replace(day=1))


def test_sent_and_approved_count_requested_refused_and_incoming_do_not() -> None:
    items = [
        letter(DAY, status=Status.SENT),
        letter(DAY, status=Status.APPROVED),
        letter(DAY, status=Status.DELIVERED),
        letter(DAY, status=Status.REQUESTED),
        letter(DAY, status=Status.REFUSED),
        letter(DAY, status=Status.RECEIVED, direction="in"),
        letter(DAY, kind=Kind.CARD),
    ]
    assert rules.month_tally(items, DAY) == MonthTally(DAY.replace(day=1), letters=3, cards=1)


def test_only_the_calendar_month_counts() -> None:
    items = [
        letter(dt.date(2027, 2, 28)),
        letter(dt.date(2027, 3, 1)),
        letter(dt.date(2027, 3, 31)),
        letter(dt.date(2027, 4, 1)),
    ]
    assert rules.month_tally(items, DAY).letters == 2
    assert rules.month_tally(items, dt.date(2027, 2, 1)).letters == 1
    assert rules.month_bounds(dt.date(2028, 2, 10)) == (dt.date(2028, 2, 1), dt.date(2028, 2, 29))
    assert rules.month_bounds(dt.date(2027, 12, 31)) == (dt.date(2027, 12, 1), dt.date(2027, 12, 31))


def test_an_item_counts_in_the_month_it_was_sent_else_approved() -> None:
    approved_in_march_sent_in_april = MailItem(
        "out", Kind.LETTER, Status.SENT, dt.date(2027, 4, 2), dt.date(2027, 3, 30)
    )
    assert rules.month_tally([approved_in_march_sent_in_april], DAY).letters == 0
    assert rules.month_tally([approved_in_march_sent_in_april], dt.date(2027, 4, 5)).letters == 1


items_strategy = st.lists(
    st.builds(
        MailItem,
        direction=st.sampled_from(["in", "out"]),
        kind=st.sampled_from(list(Kind)),
        status=st.sampled_from(list(Status)),
        sent_on=st.none() | st.dates(dt.date(2026, 1, 1), dt.date(2028, 12, 31)),
        decided_on=st.none() | st.dates(dt.date(2026, 1, 1), dt.date(2028, 12, 31)),
    ),
    max_size=30,
)


@given(items_strategy, st.dates(dt.date(2026, 1, 1), dt.date(2028, 12, 31)))
def test_the_tally_counts_exactly_the_outgoing_letters_and_cards_sent_or_approved_that_month(
    items: list[MailItem], day: dt.date
) -> None:
    tally = rules.month_tally(items, day)
    first, last = rules.month_bounds(day)
    assert first.day == 1 and last.month == first.month and (last + dt.timedelta(days=1)).day == 1
    in_month = [
        item
        for item in items
        if rules.counts_toward_minimum(item) and first <= (item.counted_on or dt.date.min) <= last
    ]
    assert tally.letters == sum(1 for item in in_month if item.kind == Kind.LETTER)
    assert tally.cards == sum(1 for item in in_month if item.kind == Kind.CARD)
    # Capture cards and everything else never move the tally.
    extra = [
        MailItem("out", Kind.CAPTURE_CARD_FAMILY, Status.SENT, day, day),
        MailItem("in", Kind.LETTER, "received", day),
    ]
    assert rules.month_tally([*items, *extra], day) == tally


@given(st.integers(0, 10), st.integers(0, 10), st.integers(0, 6), st.integers(0, 6))
def test_a_request_may_be_refused_exactly_when_the_minimum_is_reached(
    letters: int, cards: int, min_letters: int, min_cards: int
) -> None:
    tally, minimums = MonthTally(DAY, letters=letters, cards=cards), MailMinimums(min_letters, min_cards)
    assert (rules.refusal_unmet(Kind.LETTER, tally, minimums) == []) is (letters >= min_letters)
    assert (rules.refusal_unmet(Kind.CARD, tally, minimums) == []) is (cards >= min_cards)


@given(items_strategy, st.dates(dt.date(2026, 1, 1), dt.date(2028, 12, 31)))
def test_approving_more_never_makes_a_refusal_impossible(items: list[MailItem], day: dt.date) -> None:
    before = rules.month_tally(items, day)
    after = rules.month_tally([*items, MailItem("out", Kind.LETTER, Status.APPROVED, None, day)], day)
    assert after.letters == before.letters + 1
    if not rules.refusal_unmet(Kind.LETTER, before, MINIMUMS):
        assert not rules.refusal_unmet(Kind.LETTER, after, MINIMUMS)


# --- Steps, capture cards (Art. 70), censorship (Art. 76) ----------------------------------------


def test_a_mail_request_is_approved_or_refused_then_sent_then_delivered() -> None:
    assert rules.step_unmet(direction="out", kind=Kind.LETTER, status=Status.REQUESTED, step=Step.APPROVE) == []
    assert rules.step_unmet(direction="out", kind=Kind.LETTER, status=Status.REQUESTED, step=Step.REFUSE) == []
    assert rules.step_unmet(direction="out", kind=Kind.LETTER, status=Status.REQUESTED, step=Step.SEND)
    assert rules.step_unmet(direction="out", kind=Kind.LETTER, status=Status.APPROVED, step=Step.SEND) == []
    assert rules.step_unmet(direction="out", kind=Kind.LETTER, status=Status.SENT, step=Step.DELIVER) == []
    assert rules.step_unmet(direction="in", kind=Kind.LETTER, status=Status.RECEIVED, step=Step.DELIVER) == []
    assert rules.step_unmet(direction="out", kind=Kind.LETTER, status=Status.REFUSED, step=Step.APPROVE)
    assert rules.next_status(direction="out", step=Step.REFUSE) == Status.REFUSED


def test_a_capture_card_is_never_refused_and_only_the_family_card_is_declined() -> None:
    refused = rules.step_unmet(
        direction="out", kind=Kind.CAPTURE_CARD_FAMILY, status=Status.REQUESTED, step=Step.REFUSE
    )
    assert [problem.rule for problem in refused] == ["capture_card"]
    assert (
        rules.step_unmet(direction="out", kind=Kind.CAPTURE_CARD_FAMILY, status=Status.APPROVED, step=Step.DECLINE)
        == []
    )
    assert rules.step_unmet(direction="out", kind=Kind.CAPTURE_CARD_AGENCY, status=Status.APPROVED, step=Step.DECLINE)
    assert rules.initial_unmet(direction="out", kind=Kind.LETTER, status="", family_card_declined=True)
    assert rules.initial_unmet(
        direction="out", kind=Kind.CAPTURE_CARD_FAMILY, status=Status.REQUESTED, family_card_declined=False
    )
    assert rules.initial_unmet(
        direction="in", kind=Kind.CAPTURE_CARD_AGENCY, status=Status.RECEIVED, family_card_declined=False
    )


def test_a_capture_card_sent_or_declined_is_its_convention_event() -> None:
    assert rules.capture_card_event(kind=Kind.CAPTURE_CARD_FAMILY, step=Step.SEND) == "capture_card_sent"
    assert rules.capture_card_event(kind=Kind.CAPTURE_CARD_AGENCY, step=Step.SEND) == "capture_card_sent"
    assert rules.capture_card_event(kind=Kind.CAPTURE_CARD_FAMILY, step=Step.DECLINE) == "capture_card_declined"
    assert rules.capture_card_event(kind=Kind.LETTER, step=Step.SEND) is None


def test_mail_is_censored_once_only() -> None:
    assert rules.censorship_unmet(censored_by_state="") == []
    [problem] = rules.censorship_unmet(censored_by_state="UA")
    assert problem.rule == "art_76_once" and "UA" in problem.message


def test_incoming_mail_is_recorded_as_received_and_outgoing_as_requested_approved_or_sent() -> None:
    assert (
        rules.initial_unmet(direction="in", kind=Kind.LETTER, status=Status.RECEIVED, family_card_declined=False) == []
    )
    assert rules.initial_unmet(direction="in", kind=Kind.LETTER, status=Status.SENT, family_card_declined=False)
    for status in (Status.REQUESTED, Status.APPROVED, Status.SENT):
        assert rules.initial_unmet(direction="out", kind=Kind.LETTER, status=status, family_card_declined=False) == []
    assert rules.initial_unmet(direction="out", kind=Kind.LETTER, status=Status.REFUSED, family_card_declined=False)
