"""The drawn timeline's geometry: pure, no database."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from protection.timeline import DASH, LEFT, RIGHT, WIDTH, EventEntry, InterviewEntry, StageEntry, draw

DAY = dt.date(2025, 3, 1)


def test_stages_become_bands_that_follow_each_other_up_to_today() -> None:
    stages = [
        StageEntry(DAY, "captured", "Captured"),
        StageEntry(DAY + dt.timedelta(days=10), "registered", "Registered"),
        StageEntry(DAY + dt.timedelta(days=20), "escaped", "Escaped", is_side=True),
    ]
    drawing = draw(stages, [], [], today=DAY + dt.timedelta(days=40))
    first, second, third = drawing.bands
    assert first.x == LEFT and first.x + first.width == second.x
    assert third.x + third.width == WIDTH - RIGHT  # the current stage runs to today
    assert "current" in third.css and "side" in third.css and "current" not in first.css
    assert first.title == f"Captured: 2025-03-01 {DASH} 2025-03-11"
    assert drawing.today_x == WIDTH - RIGHT


def test_a_label_is_drawn_only_where_it_fits_and_the_title_always_carries_it() -> None:
    stages = [StageEntry(DAY, "captured", "Captured"), StageEntry(DAY + dt.timedelta(days=1), "registered", "Reg")]
    drawing = draw(stages, [], [], today=DAY + dt.timedelta(days=400))
    assert [band.show_label for band in drawing.bands] == [False, True]
    assert all(band.title for band in drawing.bands)


def test_interview_marks_say_whether_they_count() -> None:
    interviews = [
        InterviewEntry(DAY, "Wish verification", True),
        InterviewEntry(DAY + dt.timedelta(days=5), "Wish verification", False, "it was not private"),
        InterviewEntry(DAY + dt.timedelta(days=9), "External statement", None),
    ]
    drawing = draw([], interviews, [EventEntry(DAY, "Death", is_waiting=True)], today=DAY + dt.timedelta(days=10))
    assert [mark.shape for mark in drawing.interviews] == ["circle", "ring", "square"]
    assert drawing.interviews[1].title == f"2025-03-06: Wish verification {DASH} it was not private"
    assert drawing.events[0].shape == "diamond" and "waiting" in drawing.events[0].css


def test_marks_on_the_same_day_stack_instead_of_hiding_each_other() -> None:
    events = [EventEntry(DAY, f"Event {n}") for n in range(3)]
    drawing = draw([], [], events, today=DAY + dt.timedelta(days=30))
    assert len({mark.y for mark in drawing.events}) == 3
    assert drawing.lanes[2].height == 3 * 16


def test_ticks_follow_the_calendar_at_every_span() -> None:
    for days, label in ((6, "2025-03-02"), (40, "2025-03-03"), (300, "2025-05"), (3000, "2026")):
        drawing = draw([StageEntry(DAY, "captured", "Captured")], [], [], today=DAY + dt.timedelta(days=days))
        assert 2 <= len(drawing.ticks) <= 9, days
        assert label in [tick.label for tick in drawing.ticks], (days, [tick.label for tick in drawing.ticks])


def test_an_empty_case_draws_nothing_but_today() -> None:
    drawing = draw([], [], [], today=DAY)
    assert drawing.is_empty and drawing.end == DAY + dt.timedelta(days=1)


dates = st.dates(min_value=dt.date(2020, 1, 1), max_value=dt.date(2030, 12, 31))


@given(
    st.lists(dates, max_size=12),
    st.lists(st.tuples(dates, st.sampled_from([True, False, None])), max_size=12),
    st.lists(dates, max_size=12),
)
def test_everything_is_drawn_inside_the_picture(
    stage_days: list[dt.date], interview_days: list[tuple[dt.date, bool | None]], event_days: list[dt.date]
) -> None:
    today = max([dt.date(2030, 12, 31), *stage_days])
    drawing = draw(
        [StageEntry(day, "captured", "Captured") for day in stage_days],
        [InterviewEntry(day, "Interview", counts) for day, counts in interview_days],
        [EventEntry(day, "Event") for day in event_days],
        today=today,
    )
    for band in drawing.bands:
        assert band.x >= LEFT and band.x + band.width <= WIDTH - RIGHT + 3
    for mark in (*drawing.interviews, *drawing.events):
        assert LEFT <= mark.x <= WIDTH - RIGHT and 0 < mark.y < drawing.axis_y
    assert all(LEFT <= tick.x <= WIDTH - RIGHT for tick in drawing.ticks)
