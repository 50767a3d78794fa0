"""Dates as written in English and Korean prose, with every reading of each, and whether the context
makes it a date of birth ("born on 12 April 1999", "생년월일: 1999년 4월 12일", "99년생")."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass

from consent.disclosure.text import Document

_MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4, "may": 5,
    "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8, "september": 9, "sept": 9, "sep": 9,
    "october": 10, "oct": 10, "november": 11, "nov": 11, "december": 12, "dec": 12,
}  # fmt: skip
_MONTH = "(?P<month_name>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_DAY = r"(?P<day>[0-3]?[0-9])(?:st|nd|rd|th)?"
_YEAR4 = r"(?P<year>(?:19|20)[0-9]{2})"
_B = r"(?<![0-9A-Za-z])"
_E = r"(?![0-9A-Za-z])"

_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("ymd", re.compile(_B + _YEAR4 + r"\s?[-./]\s?(?P<m>[01]?[0-9])\s?[-./]\s?(?P<d>[0-3]?[0-9])\.?" + _E)),
    (
        "ko_ymd",
        re.compile(r"(?<![0-9])(?P<year>(?:19|20)?[0-9]{2})\s?년\s?(?P<m>[01]?[0-9])\s?월\s?(?P<d>[0-3]?[0-9])\s?일"),
    ),
    ("ko_ym", re.compile(r"(?<![0-9])(?P<year>(?:19|20)[0-9]{2})\s?년\s?(?P<m>[01]?[0-9])\s?월")),
    ("ko_md", re.compile(r"(?<![0-9])(?P<m>[01]?[0-9])\s?월\s?(?P<d>[0-3]?[0-9])\s?일")),
    # 12 April 1999, 12th of April; April 12, 1999, April 1999, April 12 (one pattern each way, so the
    # text is scanned twice, not five times).
    ("dmy", re.compile(_B + _DAY + r"\s+(?:of\s+)?" + _MONTH + r"(?:,?\s+" + _YEAR4 + r")?" + _E, re.IGNORECASE)),
    (
        "mdy",
        re.compile(_B + _MONTH + r"(?:\s+" + _DAY + r")?(?:,?\s+(?:of\s+)?" + _YEAR4 + r")?" + _E, re.IGNORECASE),
    ),
    (
        "numeric",
        re.compile(
            r"(?<![0-9./-])(?P<a>[0-3]?[0-9])(?P<sep>[./-])(?P<b>[01]?[0-9])(?P=sep)"
            r"(?P<year>(?:19|20)?[0-9]{2})(?![0-9]|[./-][0-9])"
        ),
    ),
    ("ko_birth_year", re.compile(r"(?<![0-9])(?P<year>(?:19|20)?[0-9]{2})\s?년\s?생")),
    ("ko_year", re.compile(r"(?<![0-9])(?P<year>(?:19|20)[0-9]{2})\s?년")),
    ("year", re.compile(_B + _YEAR4 + _E)),
)

_BIRTH_BEFORE = re.compile(
    r"(?:\bborn\b|\bbirth|\bdob\b|\bd\.o\.b\b|\bb\.\s*$|\bbirthday|\bbirthdate|\bnée\b|\bgeb\.|"
    r"생년월일|출생|생일|태어난?\s*(?:날|해)?)[^.;\n]{0,24}$",
    re.IGNORECASE,
)
_BIRTH_AFTER = re.compile(r"^\s?(?:생\b|생[)이의으,.\s]|년생|\s?에\s?(?:태어|출생)|\s?(?:출생|태생))")


@dataclass(frozen=True, slots=True)
class DateMention:
    """One written date: its span, every (year, month, day) it can be read as (None where not written),
    and whether it is stated as a birth date."""

    start: int
    end: int
    readings: tuple[tuple[int | None, int | None, int | None], ...]
    is_birth: bool
    pattern: str

    @property
    def has_day(self) -> bool:
        return any(day is not None for _, _, day in self.readings)

    @property
    def has_month(self) -> bool:
        return any(month is not None for _, month, _ in self.readings)

    @property
    def has_year(self) -> bool:
        return any(year is not None for year, _, _ in self.readings)

    def full_dates(self) -> tuple[str, ...]:
        """The complete readings as YYYY-MM-DD."""
        return tuple(
            f"{y:04d}-{m:02d}-{d:02d}" for y, m, d in self.readings if y is not None and m is not None and d is not None
        )

    def agrees_with(self, date_of_birth: str) -> bool:
        """Whether this mention states `date_of_birth` (YYYY, YYYY-MM or YYYY-MM-DD) as fully as it is written.

        A mention with a day and month but no year agrees with a full date of birth on that day."""
        parts = [int(p) for p in date_of_birth.split("-") if p.isdigit()]
        if not parts:
            return False
        year, month, day = [*parts, 0, 0][:3]
        for y, m, d in self.readings:
            if y is not None and y != year:
                continue
            if m is not None and m != month:
                continue
            if d is not None and d != day:
                continue
            if y is None and (m is None or d is None):
                continue  # a month and day alone, or a day alone, is too little
            return True
        return False


def _year(text: str) -> int:
    value = int(text)
    if value < 100:
        value += 1900 if value > 30 else 2000
    return value


def _valid(year: int | None, month: int | None, day: int | None) -> bool:
    if month is not None and not 1 <= month <= 12:
        return False
    if day is not None and not 1 <= day <= 31:
        return False
    if year is not None and month is not None and day is not None:
        try:
            dt.date(year, month, day)
        except ValueError:
            return False
    return year is None or 1900 <= year <= 2100


def _readings(kind: str, match: re.Match[str]) -> list[tuple[int | None, int | None, int | None]]:
    groups = match.groupdict()
    year = _year(groups["year"]) if groups.get("year") else None
    month = _MONTHS[groups["month_name"].lower()] if groups.get("month_name") else None
    if kind in ("ymd", "ko_ymd", "ko_ym", "ko_md"):
        month = int(groups["m"])
    day = int(groups["d"]) if groups.get("d") else int(groups["day"]) if groups.get("day") else None
    if kind == "numeric":
        a, b = int(groups["a"]), int(groups["b"])
        return [(year, b, a), (year, a, b)]
    return [(year, month, day)]


def _is_birth(document: Document, start: int, end: int) -> bool:
    before = document.before(start, 48)
    return bool(_BIRTH_BEFORE.search(before) or _BIRTH_AFTER.match(document.text[end : end + 8]))


def find_dates(document: Document) -> list[DateMention]:
    """Every date in the text, the longest reading first where patterns overlap."""
    text = document.text
    if not any(c.isdigit() for c in text):
        return []
    taken: list[tuple[int, int]] = []
    found: list[DateMention] = []
    is_korean = "년" in text or "월" in text
    for kind, pattern in _PATTERNS:
        if kind.startswith("ko_") and not is_korean:
            continue
        for match in (m for start, end in document.digit_windows for m in pattern.finditer(text, start, end)):
            start, end = match.span()
            if any(start < e and s < end for s, e in taken):
                continue
            if kind == "mdy" and not (match.group("day") or match.group("year")):
                continue  # a month name alone ("May", "in March") is no date
            readings = [r for r in _readings(kind, match) if _valid(*r)]
            if not readings:
                continue
            if kind in ("year", "ko_year") and not _is_birth(document, start, end):
                continue  # a bare year is only kept as a year of birth
            is_birth = kind == "ko_birth_year" or _is_birth(document, start, end)
            taken.append((start, end))
            found.append(DateMention(start, end, tuple(dict.fromkeys(readings)), is_birth, kind))
    return sorted(found, key=lambda m: m.start)


def iso_dates(mentions: Iterable[DateMention]) -> set[str]:
    """Full dates (YYYY-MM-DD) stated as birth dates: what the registry is asked about."""
    return {date for mention in mentions if mention.is_birth for date in mention.full_dates()}
