"""The drawn timeline of a case: stages over time, interviews and Convention events turned into the
coordinates of an SVG drawing. Pure: no Django; the page passes translated labels in and draws.

Three lanes share one time axis: the stages as bands, the interviews as marks (filled when they count
toward the wish, hollow when they do not, square when they are of another kind) and the events as
diamonds (outlined when still waiting to be forwarded). Marks that would overlap stack in rows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

WIDTH = 1000.0  # viewBox units
LEFT = 96.0  # room for the lane names
RIGHT = 20.0
TOP = 8.0
BAND_HEIGHT = 30.0
ROW_HEIGHT = 16.0
LANE_GAP = 12.0
MARK_RADIUS = 6.0
AXIS_HEIGHT = 28.0
CHAR_WIDTH = 6.6  # rough width of one character of a 12-unit label
MIN_BAND_WIDTH = 3.0
MAX_ROWS = 4
DASH = "\N{EN DASH}"


@dataclass(frozen=True)
class StageEntry:
    """The case entered `stage` on `on`."""

    on: dt.date
    stage: str
    label: str
    is_side: bool = False  # a side or terminal state, not the main path
    is_withdrawal: bool = False  # entered because the person withdrew their wish


@dataclass(frozen=True)
class InterviewEntry:
    on: dt.date
    label: str  # e.g. "Wish verification"
    counts: bool | None  # counts toward the wish; None when the kind never counts or is not about the wish
    note: str = ""  # why it does not count, or any other words for its title


@dataclass(frozen=True)
class EventEntry:
    on: dt.date
    label: str
    is_waiting: bool = False  # queued, not yet forwarded


@dataclass(frozen=True)
class Band:
    x: float
    width: float
    y: float
    height: float
    stage: str
    label: str
    title: str
    css: str
    show_label: bool
    label_x: float
    label_y: float


@dataclass(frozen=True)
class Mark:
    x: float
    y: float
    shape: str  # "circle", "ring", "square" or "diamond"
    css: str
    title: str

    @property
    def points(self) -> str:
        """The polygon of a diamond (or square), for `<polygon points=...>`."""
        r = MARK_RADIUS
        if self.shape == "diamond":
            corners = ((self.x, self.y - r), (self.x + r, self.y), (self.x, self.y + r), (self.x - r, self.y))
        else:
            s = r * 0.85
            corners = (
                (self.x - s, self.y - s),
                (self.x + s, self.y - s),
                (self.x + s, self.y + s),
                (self.x - s, self.y + s),
            )
        return " ".join(f"{px:.1f},{py:.1f}" for px, py in corners)


@dataclass(frozen=True)
class Tick:
    x: float
    label: str


@dataclass(frozen=True)
class Lane:
    name: str
    y: float  # middle of the lane, for its name
    top: float
    height: float


@dataclass(frozen=True)
class Drawing:
    width: float
    height: float
    start: dt.date
    end: dt.date
    bands: tuple[Band, ...]
    interviews: tuple[Mark, ...]
    events: tuple[Mark, ...]
    ticks: tuple[Tick, ...]
    lanes: tuple[Lane, ...]
    today_x: float
    axis_y: float
    axis_x0: float = LEFT
    axis_x1: float = WIDTH - RIGHT
    mark_radius: float = MARK_RADIUS

    @property
    def is_empty(self) -> bool:
        return not (self.bands or self.interviews or self.events)


class _Scale:
    def __init__(self, start: dt.date, end: dt.date) -> None:
        self.start = start
        self.days = max((end - start).days, 1)

    def x(self, day: dt.date) -> float:
        return LEFT + (WIDTH - LEFT - RIGHT) * (day - self.start).days / self.days


def _ticks(scale: _Scale, start: dt.date, end: dt.date) -> list[Tick]:
    """Calendar-aligned ticks, at most about eight of them."""
    span = max((end - start).days, 1)
    dates: list[dt.date] = []
    if span <= 60:
        step = next(s for s in (1, 2, 7, 14) if span / s <= 8) if span > 8 else 1
        # Weekly ticks fall on Mondays.
        day = start + dt.timedelta(days=(7 - start.weekday()) % 7) if step in (7, 14) else start
        while day <= end:
            dates.append(day)
            day += dt.timedelta(days=step)
        return [Tick(scale.x(d), d.isoformat()) for d in dates]
    months = span / 30.44
    if months <= 24:
        every = next(m for m in (1, 2, 3, 6, 12) if months / m <= 8)
        year, month = start.year, start.month
        while True:
            month += 1
            if month > 12:
                year, month = year + 1, 1
            day = dt.date(year, month, 1)
            if day > end:
                break
            if (month - 1) % every == 0:
                dates.append(day)
        return [Tick(scale.x(d), f"{d.year}-{d.month:02d}") for d in dates]
    years = span / 365.25
    every = next(y for y in (1, 2, 5, 10, 20, 50) if years / y <= 8)
    for year in range(start.year + 1, end.year + 1):
        if year % every == 0:
            dates.append(dt.date(year, 1, 1))
    return [Tick(scale.x(d), str(d.year)) for d in dates]


def _stack(xs: Sequence[float]) -> tuple[list[int], int]:
    """A row for each mark (in the order given, sorted by x) so that no two marks in a row touch."""
    last: list[float] = []
    rows = []
    for x in xs:
        for row, previous in enumerate(last):
            if x - previous >= 2 * MARK_RADIUS + 2:
                last[row] = x
                rows.append(row)
                break
        else:
            if len(last) < MAX_ROWS:
                last.append(x)
                rows.append(len(last) - 1)
            else:  # crowded: overlap in the last row rather than grow without end
                last[-1] = x
                rows.append(MAX_ROWS - 1)
    return rows, max(len(last), 1)


def draw(
    stages: Sequence[StageEntry],
    interviews: Sequence[InterviewEntry],
    events: Sequence[EventEntry],
    *,
    today: dt.date,
    lane_names: tuple[str, str, str] = ("Stages", "Interviews", "Events"),
) -> Drawing:
    """Lay the case's history out on one time axis from its first entry to today."""
    days = [s.on for s in stages] + [i.on for i in interviews] + [e.on for e in events]
    start = min(days, default=today)
    end = max([*days, today])
    if end <= start:
        end = start + dt.timedelta(days=1)
    scale = _Scale(start, end)

    y = TOP
    stage_lane = Lane(lane_names[0], y + BAND_HEIGHT / 2, y, BAND_HEIGHT)
    ordered = sorted(enumerate(stages), key=lambda item: (item[1].on, item[0]))
    bands: list[Band] = []
    for position, (_index, entry) in enumerate(ordered):
        following = ordered[position + 1][1].on if position + 1 < len(ordered) else end
        x0, x1 = scale.x(entry.on), scale.x(following)
        width = max(x1 - x0, MIN_BAND_WIDTH)
        is_current = position == len(ordered) - 1
        css = " ".join(
            name
            for name, present in (
                ("tl-band", True),
                ("side", entry.is_side),
                ("withdrawal", entry.is_withdrawal),
                ("current", is_current),
                ("odd", position % 2 == 1),
            )
            if present
        )
        until = "" if is_current else f" {DASH} {following.isoformat()}"
        bands.append(
            Band(
                x=round(x0, 1),
                width=round(width, 1),
                y=y,
                height=BAND_HEIGHT,
                stage=entry.stage,
                label=entry.label,
                title=f"{entry.label}: {entry.on.isoformat()}{until}",
                css=css,
                show_label=len(entry.label) * CHAR_WIDTH + 8 <= width,
                label_x=round(x0 + 4, 1),
                label_y=y + BAND_HEIGHT / 2 + 4,
            )
        )
    y += BAND_HEIGHT + LANE_GAP

    def lane_marks(entries: Sequence[InterviewEntry | EventEntry], top: float) -> tuple[list[Mark], float]:
        ordered_entries = sorted(entries, key=lambda e: e.on)
        xs = [scale.x(e.on) for e in ordered_entries]
        rows, count = _stack(xs)
        marks = []
        for entry, x, row in zip(ordered_entries, xs, rows, strict=True):
            cy = top + ROW_HEIGHT / 2 + row * ROW_HEIGHT
            if isinstance(entry, InterviewEntry):
                if entry.counts is None:
                    shape, css = "square", "tl-mark other"
                elif entry.counts:
                    shape, css = "circle", "tl-mark counts"
                else:
                    shape, css = "ring", "tl-mark not-counting"
                title = f"{entry.on.isoformat()}: {entry.label}" + (f" {DASH} {entry.note}" if entry.note else "")
            else:
                shape, css = "diamond", "tl-event waiting" if entry.is_waiting else "tl-event"
                title = f"{entry.on.isoformat()}: {entry.label}"
            marks.append(Mark(round(x, 1), cy, shape, css, title))
        return marks, count * ROW_HEIGHT

    interview_marks, interview_height = lane_marks(interviews, y)
    interview_lane = Lane(lane_names[1], y + interview_height / 2, y, interview_height)
    y += interview_height + LANE_GAP
    event_marks, event_height = lane_marks(events, y)
    event_lane = Lane(lane_names[2], y + event_height / 2, y, event_height)
    y += event_height + LANE_GAP / 2
    return Drawing(
        width=WIDTH,
        height=y + AXIS_HEIGHT,
        start=start,
        end=end,
        bands=tuple(bands),
        interviews=tuple(interview_marks),
        events=tuple(event_marks),
        ticks=tuple(_ticks(scale, start, end)),
        lanes=(stage_lane, interview_lane, event_lane),
        today_x=round(scale.x(today), 1),
        axis_y=y,
    )
