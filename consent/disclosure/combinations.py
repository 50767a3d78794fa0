"""Combinations of quasi-identifiers (PROCESS.md (c) 17): three or more distinct kinds within one window
block a release ("Ri, 26, a sniper from Hoeryong": surname, age, rank, place).

A window is a stretch of at most `WINDOW_WORDS` words lying within three consecutive sentences (a
sentence and its neighbours). A lone surname and an unregistered Korean name count as one kind, "a
name", and a hometown counts as a place; the member findings stay in the report beside the
COMBINATION, whose `parts` are their spans.
"""

from __future__ import annotations

from collections.abc import Sequence

from consent.disclosure.findings import make
from consent.disclosure.text import Document
from consent.disclosure.types import Finding, Kind, Severity

WINDOW_WORDS = 60
WINDOW_SENTENCES = 3
MIN_KINDS = 3
COMBINABLE = frozenset(
    {Kind.SURNAME, Kind.POSSIBLE_NAME, Kind.AGE, Kind.RANK, Kind.PLACE, Kind.UNIT, Kind.FACILITY, Kind.CAPTURE}
)
_KIND_CLASS = {Kind.POSSIBLE_NAME: Kind.SURNAME, Kind.PLACE_OF_ORIGIN: Kind.PLACE}


def _is_member(finding: Finding) -> bool:
    """Quasi-identifiers, unregistered names and hometowns (a place, whatever else it identifies)."""
    if finding.kind in (Kind.POSSIBLE_NAME, Kind.PLACE_OF_ORIGIN):
        return True
    return finding.kind in COMBINABLE and finding.severity is Severity.QUASI


def find_combinations(document: Document, findings: Sequence[Finding]) -> list[Finding]:
    """The COMBINATION findings of a text: one per cluster of overlapping windows."""
    members = sorted((f for f in findings if _is_member(f)), key=lambda f: (f.start, f.end))
    if len(members) < MIN_KINDS:
        return []
    positions = [(document.sentence_of(f.start), document.word_index_at(f.start)) for f in members]
    windows: list[set[int]] = []
    for i, (sentence, word) in enumerate(positions):
        window = {
            j
            for j in range(i, len(members))
            if positions[j][0] - sentence < WINDOW_SENTENCES and positions[j][1] - word <= WINDOW_WORDS
        }
        kinds = {_KIND_CLASS.get(members[j].kind, members[j].kind) for j in window}
        if len(kinds) >= MIN_KINDS:
            windows.append(window)
    clusters: list[set[int]] = []
    for window in windows:
        if clusters and clusters[-1] & window:
            clusters[-1] |= window
        else:
            clusters.append(set(window))
    combinations: list[Finding] = []
    for cluster in clusters:
        parts = sorted({(members[j].start, members[j].end) for j in cluster})
        persons = frozenset().union(*(members[j].person_ids for j in cluster))
        combinations.append(
            make(
                document.text,
                parts[0][0],
                max(end for _, end in parts),
                Kind.COMBINATION,
                Severity.IDENTIFYING,
                "combination",
                persons,
                parts=tuple(parts),
            )
        )
    return combinations
