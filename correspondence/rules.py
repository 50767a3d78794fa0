"""The rules of prisoners' correspondence: pure functions (no Django), one per rule, each naming its
source, returning the conditions it finds unmet so that a refused step can list every one of them.

- GC III Art. 71 / PROCESS.md (c) 5: a mail request cannot be refused while the prisoner has sent or
  been approved fewer than the monthly minimum (2 letters, 4 cards; capture cards excluded).
- GC III Art. 70: a capture card sent or declined is the Convention event that closes the capture-card
  alert (PROCESS.md (c) 2, computed by `protection.alerts`, not here).
- GC III Art. 76: mail is censored once only.

The services evaluate these under a lock on the case and refuse with `passage.errors.ConditionsUnmet`.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterable
from dataclasses import dataclass

from protection.guards import Unmet, gettext_noop, unmet


class Direction(enum.StrEnum):
    INCOMING = "in"  # written to the person
    OUTGOING = "out"  # written by the person


class Kind(enum.StrEnum):
    CAPTURE_CARD_FAMILY = "capture_card_family"
    CAPTURE_CARD_AGENCY = "capture_card_agency"
    LETTER = "letter"
    CARD = "card"
    TELEGRAM = "telegram"
    MESSAGE = "message"
    VIDEO_MESSAGE = "video_message"


class Status(enum.StrEnum):
    REQUESTED = "requested"  # a mail request: the person asks to send it
    APPROVED = "approved"
    SENT = "sent"
    DELIVERED = "delivered"  # reached its recipient (outgoing) or was handed to the person (incoming)
    RECEIVED = "received"  # incoming mail that arrived for the person
    REFUSED = "refused"
    DECLINED = "declined"  # a capture card to the family the person chose not to send (Art. 70)


class Step(enum.StrEnum):
    APPROVE = "approve"
    REFUSE = "refuse"
    SEND = "send"
    DELIVER = "deliver"
    DECLINE = "decline"


CAPTURE_CARDS = frozenset({Kind.CAPTURE_CARD_FAMILY, Kind.CAPTURE_CARD_AGENCY})
# What counts toward the monthly minimum: sent, or approved to be sent (Art. 71).
COUNTED_STATUSES = frozenset({Status.APPROVED, Status.SENT, Status.DELIVERED})
# The status each step leads to, from the statuses it may start from, by direction.
STEPS: dict[tuple[Direction, Step], tuple[frozenset[Status], Status]] = {
    (Direction.OUTGOING, Step.APPROVE): (frozenset({Status.REQUESTED}), Status.APPROVED),
    (Direction.OUTGOING, Step.REFUSE): (frozenset({Status.REQUESTED}), Status.REFUSED),
    (Direction.OUTGOING, Step.SEND): (frozenset({Status.APPROVED}), Status.SENT),
    (Direction.OUTGOING, Step.DELIVER): (frozenset({Status.SENT}), Status.DELIVERED),
    (Direction.OUTGOING, Step.DECLINE): (frozenset({Status.APPROVED}), Status.DECLINED),
    (Direction.INCOMING, Step.DELIVER): (frozenset({Status.RECEIVED}), Status.DELIVERED),
}
# The statuses an item may be recorded with directly (later steps are actions on it).
INITIAL_STATUSES: dict[Direction, frozenset[Status]] = {
    Direction.OUTGOING: frozenset({Status.REQUESTED, Status.APPROVED, Status.SENT}),
    Direction.INCOMING: frozenset({Status.RECEIVED}),
}


@dataclass(frozen=True)
class MailMinimums:
    """Configuration (settings.PASSAGE_MAIL_MINIMUM_*) with the defaults of GC III Art. 71."""

    letters: int = 2
    cards: int = 4


@dataclass(frozen=True)
class MailItem:
    """What the Art. 71 tally reads of one item: no protected value."""

    direction: str
    kind: str
    status: str
    sent_on: dt.date | None = None
    decided_on: dt.date | None = None  # when it was approved

    @property
    def counted_on(self) -> dt.date | None:
        """The day it counts for: when it was sent, else when it was approved."""
        return self.sent_on or self.decided_on


@dataclass(frozen=True)
class MonthTally:
    """Letters and cards the person sent or was approved in one calendar month, capture cards excluded."""

    first_day: dt.date
    letters: int = 0
    cards: int = 0


def month_bounds(day: dt.date) -> tuple[dt.date, dt.date]:
    """The first and the last day of `day`'s calendar month."""
    first = day.replace(day=1)
    following = (first + dt.timedelta(days=32)).replace(day=1)
    return first, following - dt.timedelta(days=1)


def counts_toward_minimum(item: MailItem) -> bool:
    """An outgoing letter or card that was sent or approved; capture cards never count (Art. 71)."""
    return (
        item.direction == Direction.OUTGOING
        and item.kind in (Kind.LETTER, Kind.CARD)
        and item.status in COUNTED_STATUSES
        and item.counted_on is not None
    )


def month_tally(items: Iterable[MailItem], day: dt.date) -> MonthTally:
    """The tally of `day`'s calendar month (GC III Art. 71)."""
    first, last = month_bounds(day)
    letters = cards = 0
    for item in items:
        if not counts_toward_minimum(item) or not first <= item.counted_on <= last:  # type: ignore[operator]
            continue
        if item.kind == Kind.LETTER:
            letters += 1
        else:
            cards += 1
    return MonthTally(first_day=first, letters=letters, cards=cards)


def refusal_unmet(kind: str, tally: MonthTally, minimums: MailMinimums) -> list[Unmet]:
    """A request to send a letter (or a card) cannot be refused while the person has sent or been
    approved fewer than the minimum of letters (cards) this month, capture cards excluded
    (GC III Art. 71; PROCESS.md (c) 5). Other kinds have no minimum."""
    if kind == Kind.LETTER and tally.letters < minimums.letters:
        return [
            unmet(
                "art_71_letters",
                gettext_noop(
                    "The person has sent or been approved {count} letters this month; a letter request cannot "
                    "be refused below the minimum of {minimum} letters a month (GC III Art. 71)."
                ),
                count=tally.letters,
                minimum=minimums.letters,
            )
        ]
    if kind == Kind.CARD and tally.cards < minimums.cards:
        return [
            unmet(
                "art_71_cards",
                gettext_noop(
                    "The person has sent or been approved {count} cards this month; a card request cannot "
                    "be refused below the minimum of {minimum} cards a month (GC III Art. 71)."
                ),
                count=tally.cards,
                minimum=minimums.cards,
            )
        ]
    return []


def step_unmet(*, direction: str, kind: str, status: str, step: Step) -> list[Unmet]:
    """Whether `step` may be taken from the item's status; capture cards are never mail requests and
    never refused ("may not be delayed", Art. 70); only the card to the family may be declined."""
    problems: list[Unmet] = []
    allowed = STEPS.get((Direction(direction), step))
    if allowed is None or status not in allowed[0]:
        problems.append(unmet("status", gettext_noop("This step is not possible in the item's present status.")))
    if step is Step.DECLINE and kind != Kind.CAPTURE_CARD_FAMILY:
        problems.append(
            unmet(
                "decline", gettext_noop("Only a capture card to the family can be declined: writing home is a right.")
            )
        )
    if step is Step.REFUSE and kind in CAPTURE_CARDS:
        problems.append(unmet("capture_card", gettext_noop("A capture card may not be refused or delayed (Art. 70).")))
    return problems


def next_status(*, direction: str, step: Step) -> Status:
    return STEPS[(Direction(direction), step)][1]


def initial_unmet(*, direction: str, kind: str, status: str, family_card_declined: bool) -> list[Unmet]:
    """What an item may be recorded as: capture cards go out (and are never requested); incoming mail
    arrives as received; a declined card is a capture card to the family (Art. 70)."""
    problems: list[Unmet] = []
    if kind in CAPTURE_CARDS and direction != Direction.OUTGOING:
        problems.append(unmet("direction", gettext_noop("A capture card is written by the person: it goes out.")))
    if family_card_declined:
        if kind != Kind.CAPTURE_CARD_FAMILY:
            problems.append(
                unmet(
                    "decline",
                    gettext_noop("Only a capture card to the family can be declined: writing home is a right."),
                )
            )
        return problems
    if direction in INITIAL_STATUSES and status not in INITIAL_STATUSES[Direction(direction)]:
        problems.append(unmet("status", gettext_noop("This item cannot be recorded with the status chosen.")))
    if kind in CAPTURE_CARDS and status == Status.REQUESTED:
        problems.append(
            unmet("capture_card", gettext_noop("A capture card is not a mail request: record it as ready or as sent."))
        )
    return problems


def capture_card_event(*, kind: str, step: Step) -> str | None:
    """The Convention event that a step on a capture card records (GC III Art. 70; PROCESS.md section 1
    events CAPTURE_CARD_SENT / CAPTURE_CARD_DECLINED), which the capture-card alert reads."""
    if kind not in CAPTURE_CARDS:
        return None
    if step is Step.SEND:
        return "capture_card_sent"
    if step is Step.DECLINE:
        return "capture_card_declined"
    return None


def censorship_unmet(*, censored_by_state: str) -> list[Unmet]:
    """Mail is censored once only (GC III Art. 76)."""
    if censored_by_state:
        return [
            unmet(
                "art_76_once",
                gettext_noop(
                    "This item was already censored (by {state}): mail is censored once only (GC III Art. 76)."
                ),
                state=censored_by_state,
            )
        ]
    return []
