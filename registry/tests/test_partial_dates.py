from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from registry.partial_dates import PartialDate, PartialDateError, parse_partial_date
from registry.references import ALPHABET, is_valid_reference, new_reference

TODAY = dt.date(2026, 11, 22)


@given(st.dates(min_value=dt.date(1900, 1, 1), max_value=TODAY))
def test_every_real_past_date_parses_at_each_precision(day: dt.date) -> None:
    assert parse_partial_date(day.isoformat(), today=TODAY) == PartialDate(day.year, day.month, day.day)
    assert parse_partial_date(f"{day:%Y-%m}", today=TODAY) == PartialDate(day.year, day.month)
    assert parse_partial_date(f"{day:%Y}", today=TODAY) == PartialDate(day.year)


@given(st.dates(min_value=dt.date(1900, 1, 1), max_value=TODAY))
def test_a_parsed_date_prints_back_as_written(day: dt.date) -> None:
    assert str(parse_partial_date(day.isoformat(), today=TODAY)) == day.isoformat()


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("1999-13", "month"),
        ("1999-02-30", "day"),
        ("2999", "future"),
        ("2026-12", "future"),
        ("1850", "too_early"),
        ("99", "format"),
        ("1999/01/01", "format"),
        ("", "format"),
        ("1999-1-1", "format"),
    ],
)
def test_impossible_dates_are_refused_with_a_reason(text: str, code: str) -> None:
    with pytest.raises(PartialDateError) as caught:
        parse_partial_date(text, today=TODAY)
    assert caught.value.code == code


def test_references_are_well_formed_and_avoid_ambiguous_letters() -> None:
    references = {new_reference() for _ in range(2000)}
    assert len(references) == 2000
    for reference in references:
        assert is_valid_reference(reference)
        assert not set(reference[4:].replace("-", "")) - set(ALPHABET)
        assert not set("ILOU") & set(reference[4:])
