"""The disclosure check: `analyse` finds what in an outgoing text could identify a protected person.

Steps, for one text:
1. the text is split into words and sentences (`text`); dates, name candidates and North Korean
   places are found (`dates`, `names`, `places`); the generic recognisers run (`recognisers`), and
   Presidio's phone recogniser over the stretches holding digits (`phones`);
2. the registry is asked once per question, batched and deduplicated: which persons have a name,
   alias or family member's name with one of the candidates' keys or compact forms; who was born on
   one of the dates written as birth dates; and then every value of the persons found, and of the
   linked ones (`linked_person_ids`);
3. every candidate is verified in plaintext (`persons.verify`), and the values of the persons found
   are looked for exhaustively (`persons.person_findings`);
4. overlapping findings are resolved, unregistered Korean names become advisory POSSIBLE_NAMEs,
   generic quasi-identifiers in sentences about no individual become advisories (`individuals`), and
   three or more kinds of quasi-identifier in one window make a COMBINATION (`combinations`).

Presidio does what it is good at here, and only that: phone numbers through phonenumbers. The
other recognisers run beside it in plain Python rather than as Presidio recognisers, for two
reasons: they need context across findings (a date is a birth date after "born"; a surname counts
beside an age; a place is a hometown after "native of"; the registry-bound ones need the candidates
of the whole text before a single batched registry call, which Presidio's recogniser-by-recogniser
loop cannot give), and the analyzer's per-result context enhancement walks every token of the text,
which alone would exceed the time budget on long texts.

Nothing here logs, prints or raises with a span of the text in its message.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Collection, Iterable, Sequence
from typing import TypeVar

from consent.disclosure.combinations import find_combinations
from consent.disclosure.dates import DateMention, find_dates, iso_dates
from consent.disclosure.facilities import facility_findings
from consent.disclosure.findings import make
from consent.disclosure.individuals import downgrade_generic
from consent.disclosure.names import NameCandidate, find_candidates, lookup_forms
from consent.disclosure.persons import Profile, TextIndex, person_findings, verify
from consent.disclosure.phones import find_phones
from consent.disclosure.places import PlaceMention, find_places
from consent.disclosure.recognisers import (
    age_findings,
    capture_findings,
    contact,
    contact_findings,
    date_findings,
    place_findings,
    rank_findings,
    surname_findings,
    unit_findings,
)
from consent.disclosure.text import Document, Script, Spans, tokenise
from consent.disclosure.types import DisclosureReport, Finding, Kind, RegistryLookup, Severity

T = TypeVar("T")


class DisclosureCheckError(RuntimeError):
    """The check failed; the message names the failure's type only, never text of the document."""


_GROUP = {
    Kind.NAME: "name",
    Kind.FAMILY_NAME: "name",
    Kind.SURNAME: "name",
    Kind.POSSIBLE_NAME: "name",
    Kind.PLACE: "place",
    Kind.PLACE_OF_ORIGIN: "place",
    Kind.DATE_OF_BIRTH: "date",
    Kind.AGE: "date",
}
_PRIORITY = {
    Kind.NAME: 4,
    Kind.FAMILY_NAME: 3,
    Kind.SURNAME: 2,
    Kind.POSSIBLE_NAME: 1,
    Kind.PLACE_OF_ORIGIN: 2,
    Kind.PLACE: 1,
    Kind.DATE_OF_BIRTH: 2,
    Kind.AGE: 1,
}
_SEVERITY = {Severity.ADVISORY: 0, Severity.QUASI: 1, Severity.IDENTIFYING: 2}
_BLOCKS_POSSIBLE_NAME = frozenset(
    {Kind.NAME, Kind.FAMILY_NAME, Kind.SURNAME, Kind.PLACE, Kind.PLACE_OF_ORIGIN, Kind.UNIT, Kind.RANK, Kind.FACILITY}
)
_LONGEST_SPAN = 400  # characters: no finding but a combination is longer


def _rank(finding: Finding) -> tuple[int, int, int]:
    return (_SEVERITY[finding.severity], _PRIORITY.get(finding.kind, 0), finding.end - finding.start)


def _group(finding: Finding) -> str:
    return _GROUP.get(finding.kind, finding.kind.value)


def _with_persons(finding: Finding, persons: frozenset[int]) -> Finding:
    if persons <= finding.person_ids:
        return finding
    return Finding(
        start=finding.start,
        end=finding.end,
        kind=finding.kind,
        severity=finding.severity,
        rule=finding.rule,
        replacement=finding.replacement,
        person_ids=finding.person_ids | persons,
        parts=finding.parts,
        score=finding.score,
    )


def resolve(findings: Iterable[Finding], dates: Sequence[DateMention]) -> list[Finding]:
    """One finding per span and kind group; a finding inside a stronger one of its group is folded into it;
    a phone number that is a date, or that overlaps a serial number, is dropped; a possible name that
    overlaps a name, a place or a unit is dropped."""
    best: dict[tuple[int, int, str], Finding] = {}
    for finding in findings:
        key = (finding.start, finding.end, _group(finding))
        previous = best.get(key)
        if previous is None:
            best[key] = finding
        else:
            winner, loser = (finding, previous) if _rank(finding) > _rank(previous) else (previous, finding)
            best[key] = _with_persons(winner, loser.person_ids)
    by_group: dict[str, list[Finding]] = {}
    for finding in best.values():
        by_group.setdefault(_group(finding), []).append(finding)
    kept: list[Finding] = []
    for items in by_group.values():
        items.sort(key=lambda f: (f.start, -f.end))
        survivors: list[Finding] = []
        for finding in items:
            container = None
            for j in range(len(survivors) - 1, -1, -1):
                outer = survivors[j]
                if outer.start < finding.start - _LONGEST_SPAN:
                    break
                if outer.start <= finding.start and finding.end <= outer.end and _rank(finding) <= _rank(outer):
                    container = j
                    break
            if container is None:
                survivors.append(finding)
            else:
                survivors[container] = _with_persons(survivors[container], finding.person_ids)
        kept += survivors
    blockers = Spans(
        (f.start, f.end) for f in kept if f.kind in _BLOCKS_POSSIBLE_NAME and f.severity is not Severity.ADVISORY
    )
    not_phones = Spans(
        [*((d.start, d.end) for d in dates), *((f.start, f.end) for f in kept if f.kind is Kind.SERIAL_NUMBER)]
    )
    result: list[Finding] = []
    for finding in kept:
        if finding.kind is Kind.POSSIBLE_NAME and blockers.overlaps(finding.start, finding.end):
            continue
        if finding.kind is Kind.PHONE and not_phones.overlaps(finding.start, finding.end):
            continue
        result.append(finding)
    return sorted(result, key=lambda f: (f.start, f.end, f.kind.value))


def _overlaps(a: Finding, b: Finding) -> bool:
    return a.start < b.end and b.start < a.end


def _possible_names(document: Document, candidates: Sequence[NameCandidate]) -> list[Finding]:
    """Korean-shaped names that matched no one: the longest at each place, advisory."""
    chosen: list[NameCandidate] = []
    for candidate in sorted(candidates, key=lambda c: (-(c.end - c.start), c.start)):
        if not candidate.is_korean:
            continue
        hangul = document.text[candidate.start : candidate.start + 1] >= "\uac00"
        if hangul and not candidate.has_title:
            continue
        if any(candidate.start < c.end and c.start < candidate.end for c in chosen):
            continue
        chosen.append(candidate)
    return [
        make(document.text, c.start, c.end, Kind.POSSIBLE_NAME, Severity.ADVISORY, "korean_name_shape") for c in chosen
    ]


def _timed(timings: dict[str, float], name: str, work: Callable[[], T]) -> T:
    started = time.perf_counter()
    try:
        return work()
    finally:
        timings[name] = timings.get(name, 0.0) + (time.perf_counter() - started) * 1000


def _engine(work: Callable[[], T]) -> T:
    """Run the engine's own work, turning any failure into a DisclosureCheckError with no text in it."""
    try:
        return work()
    except Exception as exc:
        raise DisclosureCheckError(f"disclosure check failed ({type(exc).__name__})") from None


def analyse(text: str, registry: RegistryLookup, *, linked_person_ids: Collection[int] = ()) -> DisclosureReport:
    """Every finding in `text` that could identify a registered person, or anyone (quasi-identifiers)."""
    timings: dict[str, float] = {}
    started = time.perf_counter()

    def recognise() -> tuple[Document, list[DateMention], list[NameCandidate], list[PlaceMention], list[Finding]]:
        document = tokenise(text)
        dates = find_dates(document)
        candidates = find_candidates(document)
        places = find_places(document)
        hangul_names = [(c.start, c.end) for c in candidates if c.is_korean and _is_hangul_span(document, c)]
        generic = [
            *date_findings(document, dates, candidates),
            *age_findings(document),
            *rank_findings(document, hangul_names),
            *unit_findings(document),
            *place_findings(document, places),
            *facility_findings(document),
            *capture_findings(document, dates),
            *contact_findings(document),
            *surname_findings(document, candidates),
        ]
        return document, dates, candidates, places, generic

    document, dates, candidates, places, generic = _timed(timings, "recognisers", lambda: _engine(recognise))
    phones = _timed(timings, "presidio", lambda: _engine(lambda: find_phones(text)))
    generic += [contact(document, s, e, Kind.PHONE, "presidio_phone") for s, e in phones]

    keys, compacts = lookup_forms(candidates)
    birth_dates = iso_dates(dates)
    records = (
        _timed(timings, "registry", lambda: list(registry.name_candidates(sorted(keys), sorted(compacts))))
        if keys or compacts
        else []
    )
    born = (
        _timed(timings, "registry", lambda: list(registry.date_of_birth_candidates(sorted(birth_dates))))
        if birth_dates
        else []
    )
    index = _timed(timings, "verify", lambda: _engine(lambda: TextIndex.of(document, candidates)))
    matches = _timed(timings, "verify", lambda: _engine(lambda: verify(index, records)))
    born_persons = {pid for pid, dob in born if dob in birth_dates}
    named = {pid for m in matches.values() for pid in m.persons | m.family_of}
    wanted = sorted(named | born_persons | set(linked_person_ids))
    details = _timed(timings, "registry", lambda: list(registry.details(wanted))) if wanted else []

    def find() -> list[Finding]:
        findings = list(generic)
        for match in matches.values():
            if match.persons:
                persons = match.persons | match.family_of  # a name may also be another person's relative
                findings.append(
                    make(text, match.start, match.end, Kind.NAME, Severity.IDENTIFYING, "registry_name", persons)
                )
            else:
                findings.append(
                    make(
                        text,
                        match.start,
                        match.end,
                        Kind.FAMILY_NAME,
                        Severity.IDENTIFYING,
                        "registry_family_name",
                        match.family_of,
                    )
                )
        for mention in dates:
            if mention.is_birth:
                persons = {pid for pid, dob in born if dob in mention.full_dates()}
                if persons:
                    findings.append(
                        make(
                            text,
                            mention.start,
                            mention.end,
                            Kind.DATE_OF_BIRTH,
                            Severity.IDENTIFYING,
                            "registry_date_of_birth",
                            persons,
                        )
                    )
        profiles = [Profile.of(person) for person in details]
        findings += person_findings(index, profiles, dates, places, generic)
        findings += _possible_names(document, candidates)
        resolved = downgrade_generic(document, resolve(findings, dates), candidates)
        return resolved + find_combinations(document, resolved)

    findings = _timed(timings, "verify", lambda: _engine(find))
    checked = {r.person_id for r in records} | {pid for pid, _ in born} | {p.person_id for p in details}
    timings["total"] = (time.perf_counter() - started) * 1000
    return DisclosureReport(
        text=text,
        findings=tuple(sorted(findings, key=lambda f: (f.start, f.end, f.kind.value))),
        persons_checked=len(checked),
        timings_ms=timings,
    )


def _is_hangul_span(document: Document, candidate: NameCandidate) -> bool:
    words = document.words_between(candidate.start, candidate.end + 8)
    return bool(words) and words[0].script is Script.HANGUL
