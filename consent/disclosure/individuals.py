"""Sentences about groups: generic quasi-identifiers there ("11,000 troops, many of them from the Storm
Corps"; "defectors, most of them from North Hamgyong") describe no one, and are only advisories.

A sentence is about a group when it speaks of people in the plural (troops, soldiers, defectors,
many of them, 이들, 병사들 ...) or of a crowd by number ("11,000", "several hundred"), and about
nobody in particular: no personal pronoun in the singular (he, his, she, I, 그는 ...), no singular
person noun or rank after an article ("the prisoner", "a sniper"), no name or lone surname, nothing
of a registered person. Everything else stays as found: a finding is downgraded only on positive
evidence that the sentence is generic. Findings tied to a registered person are never downgraded.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from consent.disclosure.findings import make
from consent.disclosure.names import NameCandidate
from consent.disclosure.text import Document
from consent.disclosure.types import Finding, Kind, Severity

_GROUP_EN = re.compile(
    r"\b(?:troops|soldiers|servicemen|prisoners|defectors|recruits|conscripts|fighters|men|women|north koreans|"
    r"koreans|units|captives|detainees|officials|analysts|experts|reporters|journalists|lawmakers|"
    r"(?:many|most|some|several|all|none|few|each) of them|they|their|them|thousands|hundreds|dozens|"
    r"[0-9]{1,3}(?:,[0-9]{3})+)\b",
    re.IGNORECASE,
)
_GROUP_KO = re.compile(
    r"이들|그들|병사들|포로들|군인들|탈북민들|장병|[0-9]+\s?명|[0-9,]+\s?천|수천|수백|수만|상당수|대부분"
)
_SINGULAR_EN = frozenset(["he", "his", "him", "himself", "she", "her", "hers", "herself", "i", "me", "my", "myself"])
_SINGULAR_KO = frozenset(
    ["그는", "그의", "그가", "그를", "그에게", "그도", "그와", "그녀", "그녀는", "그녀의", "본인", "본인은"]
) | frozenset(["본인의", "저는", "제가", "저의"])
_SINGULAR_WORD = re.compile(
    r"(?<![\w-])(?:"
    + "|".join(_SINGULAR_EN)
    + r")(?![\w-])|(?<![가-힣])(?:"
    + "|".join(_SINGULAR_KO)
    + r")(?![가-힣])",
    re.IGNORECASE,
)
_SINGULAR_NOUN = re.compile(
    r"\b(?:the|a|an|this|that|our|my|one|each|every|any)\s+(?:[\w'-]+\s+){0,2}?(?:prisoner|soldier|man|woman|"
    r"interviewee|detainee|defector|client|son|brother|nephew|conscript|serviceman|fighter|captive|boy|writer|"
    r"sender|applicant|sniper|scout|gunner|rifleman|medic|private|sergeant|corporal|lieutenant|captain|major|"
    r"sapper|mortarman|operator|driver|leader|commander)\b",
    re.IGNORECASE,
)
# A few people counted ("two wounded men", "both prisoners") are particular people, not a crowd.
_FEW_EN = re.compile(
    r"\b(?:two|three|four|both|[2-4])\s+(?:[\w'-]+\s+){0,2}?(?:men|soldiers|prisoners|brothers|captives|detainees)\b",
    re.IGNORECASE,
)
_SINGULAR_NOUN_KO = re.compile(
    r"(?:이|해당|한|그)\s?(?:병사|포로|남성|군인|청년|탈북민)(?![들])|씨(?:는|가|의|도|와|에게|를)?(?=\s|$)"
)
# Kinds that say something only when they are about someone.
DOWNGRADED_KINDS = frozenset(
    {Kind.AGE, Kind.RANK, Kind.PLACE, Kind.PLACE_OF_ORIGIN, Kind.UNIT, Kind.FACILITY, Kind.CAPTURE}
)


def group_sentences(document: Document, candidates: Iterable[NameCandidate], findings: Iterable[Finding]) -> set[int]:
    """The sentences that speak of a group and of no individual."""
    groups: set[int] = set()
    for pattern in (_GROUP_EN, _GROUP_KO):
        for match in pattern.finditer(document.text):
            groups.add(document.sentence_of(match.start()))
    if not groups:
        return groups
    individual: set[int] = set()
    starts = document.sentence_starts
    for sentence in groups:
        start = starts[sentence]
        end = starts[sentence + 1] if sentence + 1 < len(starts) else len(document.text)
        if any(
            p.search(document.text, start, end) for p in (_SINGULAR_WORD, _SINGULAR_NOUN, _FEW_EN, _SINGULAR_NOUN_KO)
        ):
            individual.add(sentence)
    for candidate in candidates:
        hangul = document.text[candidate.start : candidate.start + 1] >= "\uac00"
        if candidate.is_given or (candidate.is_korean and (not hangul or candidate.has_title)):
            individual.add(document.sentence_of(candidate.start))
    for finding in findings:
        if finding.person_ids or finding.kind in (Kind.NAME, Kind.FAMILY_NAME, Kind.SURNAME, Kind.POSSIBLE_NAME):
            individual.add(document.sentence_of(finding.start))
    return groups - individual


def downgrade_generic(
    document: Document, findings: Sequence[Finding], candidates: Sequence[NameCandidate]
) -> list[Finding]:
    """Generic quasi-identifiers and hometowns in sentences about a group, as advisories."""
    generic = group_sentences(document, candidates, findings)
    if not generic:
        return list(findings)
    result: list[Finding] = []
    for finding in findings:
        if (
            finding.kind in DOWNGRADED_KINDS
            and not finding.person_ids
            and finding.severity is not Severity.ADVISORY
            and document.sentence_of(finding.start) in generic
        ):
            finding = make(
                document.text,
                finding.start,
                finding.end,
                finding.kind,
                Severity.ADVISORY,
                finding.rule + "_generic",
                parts=finding.parts,
            )
        result.append(finding)
    return result
