"""`passage link run`: deduplicate the whole registry in one batch on DuckDB (`matching.batch`).

Every live person is decrypted once, in this process, and becomes one record: the romanised name
(always present), the Hangul name, date of birth, sex and place of origin. The engine blocks on the
Korean name keys of either name (so "Ri Chol Su" and "Lee Cheol-su" meet) and on surname + date of
birth, compares every field, fits its model on the registry itself and proposes pairs. (One record per
person, not per written name: several rows of one person would teach the model that matches always
agree exactly.) Each pair of different persons is
then scored by the same scorer as interactive detection (`registry.candidates`), and those that reach
its threshold are recorded as possible duplicates for review; a pair already decided is left alone.
Nothing decrypted leaves the process or reaches a log; the run's progress is kept in `LinkRun`.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from audit.models import AuditEvent
from audit.services import audit_record
from matching.batch import BlockingRule, DateOfBirth, ExactMatch, KoreanName, Settings, dedupe
from matching.score import DEFAULT_THRESHOLD
from registry.candidates import NameQuery, PersonCandidate, best_name_score, combined_score, date_of_birth_agreement
from registry.duplicates import duplicate_pairs_record, live_persons
from registry.models import DuplicateCandidate, LinkRun, Person

BATCH_SETTINGS = Settings(
    comparisons=(
        KoreanName("name"),
        KoreanName("name_hangul"),
        DateOfBirth("date_of_birth"),
        ExactMatch("sex"),
        ExactMatch("place_of_origin"),
    ),
    blocking_rules=(
        BlockingRule(("name__keys",)),
        BlockingRule(("name_hangul__keys",)),
        BlockingRule(("date_of_birth", "name__surnames")),
    ),
    # The engine proposes, the scorer decides: a low bar here keeps pairs the model is unsure of (a small
    # registry gives EM little to learn from) for the scorer to judge.
    threshold=0.1,
    is_clustered=False,
    may_spill=False,  # decrypted names stay in memory: a run out of memory fails rather than spill them
)
READ_CHUNK = 2000
PROGRESS_EVERY = 500

Progress = Callable[[str, int, int], None]


@dataclass(frozen=True)
class LinkSummary:
    run_id: int
    persons: int
    engine_pairs: int
    pairs_found: int
    pairs_new: int
    seconds: float


def _persons_to_link() -> Iterator[Person]:
    persons = live_persons().select_related("data_key").prefetch_related("aliases").order_by("pk")
    yield from persons.iterator(chunk_size=READ_CHUNK)


def _record(person: Person) -> dict[str, Any]:
    return {
        "id": person.pk,
        "name": f"{person.family_name} {person.given_name}".strip(),
        "name_hangul": f"{person.family_name_hangul}{person.given_name_hangul}".strip() or None,
        "date_of_birth": person.date_of_birth or None,
        "sex": person.sex if person.sex != Person.Sex.UNKNOWN else None,
        "place_of_origin": person.place_of_origin.strip().casefold() or None,
    }


def _update(run: LinkRun, **fields: Any) -> None:
    LinkRun.objects.filter(pk=run.pk).update(**fields)


def link_run(*, progress: Progress | None = None, channel: str = "cli") -> LinkSummary:
    """Run batch deduplication over the whole registry and record new possible duplicates."""
    started = time.perf_counter()
    report = progress or (lambda stage, done, total: None)
    run = LinkRun.objects.create(step="read")
    try:
        total = live_persons().count()
        _update(run, total=total)
        records: list[dict[str, Any]] = []
        people: dict[int, Person] = {}
        for count, person in enumerate(_persons_to_link(), start=1):
            people[person.pk] = person
            records.append(_record(person))
            if count % PROGRESS_EVERY == 0:
                _update(run, done=count)
                report("read", count, total)
        report("read", len(people), len(people))

        def engine_progress(stage: str, done: int, total: int) -> None:
            report(stage, done, total)
            _update(run, step=stage, done=done, total=total)

        result = dedupe(records, BATCH_SETTINGS, engine_progress) if len(records) > 1 else None
        person_pairs: set[tuple[int, int]] = set()
        if result is not None:
            rows_l = result.pairs.column("id_l").to_pylist()
            rows_r = result.pairs.column("id_r").to_pylist()
            person_pairs = {(min(a, b), max(a, b)) for a, b in zip(rows_l, rows_r, strict=True)}
        _update(run, step="score", done=0, total=len(person_pairs))
        found, new = _record_pairs(person_pairs, people, report, run, channel)
        LinkRun.objects.filter(pk=run.pk).update(
            status=LinkRun.Status.DONE,
            step="",
            done=len(person_pairs),
            total=len(person_pairs),
            persons=len(people),
            pairs_found=found,
            pairs_new=new,
            finished_at=timezone.now(),
        )
    except BaseException:
        _update(run, status=LinkRun.Status.FAILED, finished_at=timezone.now())
        raise
    audit_record(
        actor=None,
        kind=AuditEvent.Kind.WRITE,
        action="link.run",
        object_type="link_run",
        object_id=run.pk,
        purpose=f"{len(people)} persons, {found} possible duplicates, {new} new",
        channel=channel,
    )
    return LinkSummary(run.pk, len(people), len(person_pairs), found, new, round(time.perf_counter() - started, 2))


def _record_pairs(
    pairs: set[tuple[int, int]], people: dict[int, Person], report: Progress, run: LinkRun, channel: str
) -> tuple[int, int]:
    """Score each engine pair with the interactive scorer; record those reaching its threshold."""
    found = new = 0
    names: dict[int, list[str]] = {}

    def written(person: Person) -> list[str]:
        if person.pk not in names:
            names[person.pk] = NameQuery.of_person(person, (a.name for a in person.aliases.all())).written_names()
        return names[person.pk]

    for done, (a, b) in enumerate(sorted(pairs), start=1):
        left, right = people[a], people[b]
        name_score = best_name_score(written(left), written(right))
        agrees = date_of_birth_agreement(left.date_of_birth, right.date_of_birth)
        score = combined_score(name_score, agrees)
        if score >= DEFAULT_THRESHOLD:
            found += 1
            with transaction.atomic():
                new += len(
                    duplicate_pairs_record(
                        left,
                        [PersonCandidate(right, score, name_score, agrees)],
                        source=DuplicateCandidate.Source.LINK_RUN,
                        channel=channel,
                    )
                )
        if done % PROGRESS_EVERY == 0:
            report("score", done, len(pairs))
            _update(run, done=done)
    report("score", len(pairs), len(pairs))
    return found, new
