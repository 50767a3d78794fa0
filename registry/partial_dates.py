"""Partial dates (YYYY, YYYY-MM or YYYY-MM-DD), as people often know only part of a birth date."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

_PATTERN = re.compile(r"^(?P<year>\d{4})(?:-(?P<month>\d{2})(?:-(?P<day>\d{2}))?)?$")
EARLIEST_YEAR = 1900


class PartialDateError(ValueError):
    """The text is not a valid partial date; `code` says why, the message says it in English."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True, order=True)
class PartialDate:
    year: int
    month: int | None = None
    day: int | None = None

    def __str__(self) -> str:
        text = f"{self.year:04d}"
        if self.month is not None:
            text += f"-{self.month:02d}"
            if self.day is not None:
                text += f"-{self.day:02d}"
        return text

    @property
    def precision(self) -> str:
        return "day" if self.day is not None else "month" if self.month is not None else "year"


def parse_partial_date(text: str, *, today: dt.date | None = None) -> PartialDate:
    """Parse YYYY, YYYY-MM or YYYY-MM-DD; reject impossible and future dates."""
    value = text.strip()
    match = _PATTERN.match(value)
    if match is None:
        raise PartialDateError("format", "use YYYY, YYYY-MM or YYYY-MM-DD")
    year = int(match["year"])
    month = int(match["month"]) if match["month"] else None
    day = int(match["day"]) if match["day"] else None
    today = today or dt.date.today()  # noqa: DTZ011 — a calendar date, not an instant
    if year < EARLIEST_YEAR:
        raise PartialDateError("too_early", f"year must be {EARLIEST_YEAR} or later")
    if month is not None and not 1 <= month <= 12:
        raise PartialDateError("month", "month must be between 01 and 12")
    if day is not None:
        try:
            exact = dt.date(year, month or 1, day)
        except ValueError as exc:
            raise PartialDateError("day", "no such day in that month") from exc
        if exact > today:
            raise PartialDateError("future", "date is in the future")
    elif (year, month or 1) > (today.year, today.month) or year > today.year:
        raise PartialDateError("future", "date is in the future")
    return PartialDate(year, month, day)
