"""Redaction: each finding's span replaced by its label, through presidio-anonymizer's replace operator.

Overlapping spans are merged first and the merged stretch takes the label of its strongest finding
(identifying before quasi, then the longest); a COMBINATION redacts its parts, each with the label of
the finding at that span, or the combination's own label when none was passed.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from typing import TYPE_CHECKING

from consent.disclosure.types import Finding, Kind, Severity

if TYPE_CHECKING:
    from presidio_anonymizer import AnonymizerEngine


@functools.cache
def _anonymizer() -> AnonymizerEngine:
    """presidio-anonymizer, imported on first use (it pulls in spaCy, about a second: never at start-up)."""
    from presidio_anonymizer import AnonymizerEngine

    return AnonymizerEngine()  # type: ignore[no-untyped-call]


_SEVERITY = {Severity.ADVISORY: 0, Severity.QUASI: 1, Severity.IDENTIFYING: 2}


def _spans(text: str, findings: Iterable[Finding]) -> list[tuple[int, int, str, tuple[int, int]]]:
    """(start, end, label, strength) of every span to replace, combinations unfolded into their parts."""
    findings = list(findings)
    labels = {(f.start, f.end): f for f in findings if f.kind is not Kind.COMBINATION}
    spans: list[tuple[int, int, str, tuple[int, int]]] = []
    for finding in findings:
        if finding.kind is Kind.COMBINATION:
            for start, end in finding.parts:
                part = labels.get((start, end))
                label = part.replacement if part is not None else finding.replacement
                spans.append((start, end, label, (_SEVERITY[finding.severity], end - start)))
        else:
            spans.append(
                (
                    finding.start,
                    finding.end,
                    finding.replacement,
                    (_SEVERITY[finding.severity], finding.end - finding.start),
                )
            )
    return [(max(0, s), min(len(text), e), label, strength) for s, e, label, strength in spans if s < e]


def merged(text: str, findings: Iterable[Finding]) -> list[tuple[int, int, str]]:
    """The non-overlapping stretches to replace and their labels, in text order."""
    groups: list[tuple[int, int, str, tuple[int, int]]] = []
    for start, end, label, strength in sorted(_spans(text, findings)):
        if groups and start < groups[-1][1]:
            first, last, kept, kept_strength = groups[-1]
            if strength > kept_strength:
                kept, kept_strength = label, strength
            groups[-1] = (first, max(last, end), kept, kept_strength)
        else:
            groups.append((start, end, label, strength))
    return [(start, end, label) for start, end, label, _ in groups]


def redact(text: str, findings: Iterable[Finding]) -> str:
    """`text` with every finding replaced by its label ("[NAME]", "[이름]", ...)."""
    stretches = merged(text, findings)
    if not stretches:
        return text
    from presidio_anonymizer.entities import OperatorConfig, RecognizerResult

    results = [
        RecognizerResult(entity_type=f"SPAN_{i}", start=s, end=e, score=1.0) for i, (s, e, _) in enumerate(stretches)
    ]
    operators = {
        f"SPAN_{i}": OperatorConfig("replace", {"new_value": label}) for i, (_, _, label) in enumerate(stretches)
    }
    result = _anonymizer().anonymize(
        text=text, analyzer_results=results, operators=operators, merge_entities_with_spaces=False
    )
    return str(result.text)
