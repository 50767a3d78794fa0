"""Combinations of quasi-identifiers (PROCESS.md (c) 17): three distinct kinds in one window block a
release; two do not; nor do three kinds spread far apart."""

from __future__ import annotations

from consent.disclosure.tests.helpers import report
from consent.disclosure.types import Finding, Kind, Severity


def _combinations(text: str) -> list[Finding]:
    return [f for f in report(text).findings if f.kind is Kind.COMBINATION]


def test_surname_age_rank_and_place_make_a_combination():
    text = "Ri, 26, a sniper from a village near Chongjin, was interviewed."
    result = report(text)
    combination = next(f for f in result.findings if f.kind is Kind.COMBINATION)
    assert combination.severity is Severity.IDENTIFYING
    assert not result.is_clean
    parts = {text[s:e] for s, e in combination.parts}
    assert {"Ri", "26", "sniper", "Chongjin"} <= parts
    # The member findings stay in the report beside the combination.
    quasi = {text[f.start : f.end] for f in result.findings if f.severity is Severity.QUASI}
    assert {"26", "sniper"} <= quasi


def test_three_kinds_without_any_name_make_a_combination():
    assert _combinations("A 26-year-old sniper of the 94th Brigade spoke to us.")


def test_two_kinds_make_no_combination():
    result = report("A 26-year-old sniper spoke to us.")
    assert not [f for f in result.findings if f.kind is Kind.COMBINATION]
    assert result.is_clean


def test_the_same_kind_three_times_makes_no_combination():
    assert not _combinations("A sniper, a scout and a medic spoke to us.")


def test_three_kinds_far_apart_make_no_combination():
    filler = "The weather was cold and the talks went on for many hours without any result. " * 8
    assert not _combinations(
        f"A sniper spoke first. {filler} A man aged 26 spoke later. {filler} Chongjin was mentioned."
    )


def test_a_sentence_and_its_neighbours_are_one_window():
    assert _combinations("A sniper spoke first. He is 26 years old. He served near Chongjin.")
