"""A checked text cut into runs, each marked with the strongest finding that covers it, for the pages
that highlight what the disclosure check found (no Django)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

_RANK = {"identifying": 3, "quasi": 2, "advisory": 1}


class Span(Protocol):
    @property
    def start(self) -> int: ...
    @property
    def end(self) -> int: ...


@dataclass(frozen=True)
class Run:
    text: str
    finding: int | None  # index into the findings given, None for text nothing covers
    severity: str = ""


def runs(text: str, findings: Sequence[Span], severities: Sequence[str]) -> list[Run]:
    """Cut `text` at every finding's edges; each run names the finding of highest severity (then the
    shortest) that covers it. Combinations are left to the caller: pass their parts instead."""
    strongest: list[int | None] = [None] * len(text)
    for index, finding in enumerate(findings):
        rank = _RANK.get(severities[index], 0)
        for position in range(max(0, finding.start), min(len(text), finding.end)):
            current = strongest[position]
            if current is None:
                strongest[position] = index
                continue
            current_rank = _RANK.get(severities[current], 0)
            width = findings[current].end - findings[current].start
            if rank > current_rank or (rank == current_rank and finding.end - finding.start < width):
                strongest[position] = index
    result: list[Run] = []
    start = 0
    for position in range(1, len(text) + 1):
        if position == len(text) or strongest[position] != strongest[start]:
            owner = strongest[start]
            result.append(Run(text[start:position], owner, severities[owner] if owner is not None else ""))
            start = position
    return result
