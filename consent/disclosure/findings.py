"""Building findings: the replacement label of each kind, in English or Korean after the span's script."""

from __future__ import annotations

from collections.abc import Iterable

from consent.disclosure.text import has_hangul
from consent.disclosure.types import Finding, Kind, Severity

LABELS: dict[Kind, tuple[str, str]] = {
    Kind.NAME: ("[NAME]", "[이름]"),
    Kind.POSSIBLE_NAME: ("[NAME]", "[이름]"),
    Kind.SURNAME: ("[NAME]", "[이름]"),
    Kind.FAMILY_NAME: ("[FAMILY MEMBER]", "[가족]"),
    Kind.DATE_OF_BIRTH: ("[DATE OF BIRTH]", "[생년월일]"),
    Kind.AGE: ("[AGE]", "[나이]"),
    Kind.PLACE_OF_ORIGIN: ("[PLACE]", "[장소]"),
    Kind.PLACE: ("[PLACE]", "[장소]"),
    Kind.UNIT: ("[UNIT]", "[부대]"),
    Kind.RANK: ("[RANK]", "[계급]"),
    Kind.FACILITY: ("[FACILITY]", "[시설]"),
    Kind.CAPTURE: ("[CAPTURE DETAILS]", "[포획 정보]"),
    Kind.PHONE: ("[PHONE]", "[전화번호]"),
    Kind.EMAIL: ("[E-MAIL]", "[이메일]"),
    Kind.SERIAL_NUMBER: ("[SERIAL NUMBER]", "[군번]"),
    Kind.COMBINATION: ("[REDACTED]", "[삭제]"),
}


def replacement(kind: Kind, span: str) -> str:
    """The label that replaces a span of this kind: the Korean one when the span is written in Hangul."""
    english, korean = LABELS[kind]
    return korean if has_hangul(span) else english


def make(
    text: str,
    start: int,
    end: int,
    kind: Kind,
    severity: Severity,
    rule: str,
    persons: Iterable[int] = (),
    *,
    parts: tuple[tuple[int, int], ...] = (),
    score: float = 1.0,
) -> Finding:
    return Finding(
        start=start,
        end=end,
        kind=kind,
        severity=severity,
        rule=rule,
        replacement=replacement(kind, text[start:end]),
        person_ids=frozenset(persons),
        parts=parts,
        score=score,
    )
