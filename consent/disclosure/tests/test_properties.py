"""Properties of the check over generated texts: offsets lie in the text, redaction removes every
finding's text, a redacted text identifies no one any more, and no input crashes the engine."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from consent.disclosure.engine import analyse
from consent.disclosure.redact import redact
from consent.disclosure.tests.registry import registry
from consent.disclosure.types import Kind

REGISTRY = registry()
FRAGMENTS = [
    "Ri Chol Su", "Chol-su", "Lee Cheol-su", "리철수는", "리 하사는", "Ivan Petrov", "Иван Петров", "Kim Ok-hui",
    "Pak Song-il", "박성일 씨는", "a 26-year-old sniper", "aged 30", "born on 12 April 1999", "1999년 4월 12일생",
    "from Hoeryong", "회령 출신", "near Chongjin", "the 94th Brigade", "Unit 40001", "폭풍군단", "Camp No. 3",
    "the Zolochiv POW camp", "captured near Sudzha on 9 January 2025", "+82 10-2345-6789", "ri@example.org",
    "serial number KPA-7734-1192", "군번 112-48837", "Sergeant Pak", "Pak, 26,", "a private in the 11th Corps",
    "a private interview", "in general", "Seoul", "Kyiv", "the Red Cross", "said", "and", ".", ",", "\n",
    "정부는", "이번", "한국", "he wanted to go home",
]  # fmt: skip
# Fragments joined as clauses: two names run together ("Chol-su Kim Ok-hui") read as one name, which
# redacting half of it would change.
texts = st.lists(st.sampled_from(FRAGMENTS), min_size=1, max_size=14).map(", ".join)
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _kept(text: str, findings) -> str:
    """The text outside every finding and combination part, joined: what redaction keeps."""
    covered = [False] * len(text)
    for f in findings:
        for start, end in f.parts if f.kind is Kind.COMBINATION else ((f.start, f.end),):
            for i in range(start, end):
                covered[i] = True
    return "\x00".join(
        piece
        for piece in "".join("\x00" if c else ch for ch, c in zip(text, covered, strict=True)).split("\x00")
        if piece
    )


@given(st.text(max_size=300))
@SETTINGS
def test_any_unicode_is_analysed_without_error_and_offsets_lie_in_the_text(text):
    result = analyse(text, REGISTRY)
    for f in result.findings:
        assert 0 <= f.start < f.end <= len(text)
        assert all(0 <= s < e <= len(text) for s, e in f.parts)


@given(texts)
@SETTINGS
def test_offsets_always_lie_within_the_text(text):
    for f in analyse(text, REGISTRY, linked_person_ids=[1]).findings:
        assert 0 <= f.start < f.end <= len(text)


@given(texts)
@SETTINGS
def test_redaction_never_leaves_a_findings_text_in_the_output(text):
    result = analyse(text, REGISTRY)
    redacted = redact(text, result.findings)
    kept = _kept(text, result.findings)
    for f in result.findings:
        if f.kind is Kind.COMBINATION:
            continue
        span = text[f.start : f.end]
        if len(span) >= 3:
            assert span not in redacted or span in kept


@given(texts)
@SETTINGS
def test_a_redacted_text_has_no_identifying_finding_left(text):
    result = analyse(text, REGISTRY)
    again = analyse(redact(text, result.findings), REGISTRY)
    assert again.is_clean, [(again.text[f.start : f.end], f.kind.value) for f in again.blocking]
