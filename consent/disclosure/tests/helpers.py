"""Helpers for reading a report in tests: what was found where, by kind."""

from __future__ import annotations

from collections.abc import Collection

from consent.disclosure.engine import analyse
from consent.disclosure.tests.registry import registry
from consent.disclosure.types import DisclosureReport, Finding, Kind, Severity


def report(text: str, *, linked: Collection[int] = ()) -> DisclosureReport:
    return analyse(text, registry(), linked_person_ids=linked)


def spans(result: DisclosureReport, *kinds: Kind, blocking_only: bool = False) -> list[str]:
    """The texts of the findings of these kinds (all kinds but COMBINATION when none given)."""
    return [
        result.text[f.start : f.end]
        for f in result.findings
        if (f.kind in kinds if kinds else f.kind is not Kind.COMBINATION) and (f.is_blocking or not blocking_only)
    ]


def finding(result: DisclosureReport, span: str, kind: Kind | None = None) -> Finding:
    """The one finding whose text is `span` (and of `kind`, if given); AssertionError if there is none."""
    found = [f for f in result.findings if result.text[f.start : f.end] == span and (kind is None or f.kind is kind)]
    assert found, f"no finding {span!r} in {[(result.text[f.start : f.end], f.kind.value) for f in result.findings]}"
    return found[0]


def is_identifying(result: DisclosureReport, span: str, kind: Kind | None = None) -> bool:
    return finding(result, span, kind).severity is Severity.IDENTIFYING
