"""Redaction: exactly the spans replaced by their labels, the rest kept; overlaps merged; a
combination redacts its parts."""

from __future__ import annotations

from consent.disclosure.findings import make
from consent.disclosure.redact import redact
from consent.disclosure.tests.helpers import report
from consent.disclosure.types import Kind, Severity

Q, ID = Severity.QUASI, Severity.IDENTIFYING


def test_redaction_replaces_exactly_the_spans_and_keeps_the_rest():
    text = "Ri Chol Su, born on 12 April 1999, called +82 10-2345-6789 from Camp No. 2."
    result = report(text)
    assert redact(text, result.findings) == ("[NAME], born on [DATE OF BIRTH], called [PHONE] from [FACILITY].")


def test_korean_spans_get_korean_labels():
    text = "리철수 하사는 1999년 4월 12일생으로 회령 출신이다."
    assert redact(text, report(text).findings) == "[이름] [계급]는 [생년월일]생으로 [장소] 출신이다."


def test_overlapping_spans_are_merged_under_the_strongest_label():
    text = "abcdefghij"
    findings = [
        make(text, 0, 5, Kind.RANK, Q, "test"),
        make(text, 3, 8, Kind.NAME, ID, "test"),
    ]
    assert redact(text, findings) == "[NAME]ij"


def test_adjacent_spans_stay_apart():
    text = "Ri Chol Su Kim"
    findings = [make(text, 0, 10, Kind.NAME, ID, "test"), make(text, 11, 14, Kind.NAME, ID, "test")]
    assert redact(text, findings) == "[NAME] [NAME]"


def test_a_combination_redacts_its_parts_and_keeps_the_words_between():
    text = "Pak, 30, a gunner of the 94th Brigade, spoke."
    result = report(text)
    combination = [f for f in result.findings if f.kind is Kind.COMBINATION]
    assert combination
    assert redact(text, combination) == "[REDACTED], [REDACTED], a [REDACTED] of the [REDACTED], spoke."
    assert redact(text, result.findings) == "[NAME], [AGE], a [RANK] of the [UNIT], spoke."


def test_a_combination_alone_uses_the_labels_of_its_parts_when_given_them_too():
    text = "Pak, 30, a gunner"
    parts = (make(text, 0, 3, Kind.SURNAME, Q, "t"), make(text, 5, 7, Kind.AGE, Q, "t"))
    combination = make(text, 0, 17, Kind.COMBINATION, ID, "combination", parts=((0, 3), (5, 7), (11, 17)))
    assert redact(text, [combination, *parts]) == "[NAME], [AGE], a [REDACTED]"


def test_nothing_to_redact_leaves_the_text():
    assert redact("Nothing here.", []) == "Nothing here."
