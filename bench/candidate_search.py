"""Candidate search benchmark (issue 6): one new person looked up among 1,000,000.

Target: interactive candidate search (`registry.candidates.person_candidates`) for one new person
over 1,000,000 persons takes under 50 ms at the 95th percentile.

    .venv/bin/python bench/candidate_search.py [--persons 1000000] [--queries 1000] [--database sqlite|postgres]
    passage bench candidate_search -- --persons 1000000

What one run does
-----------------
1. Builds its own PASSAGE_HOME (var/bench-candidates, or --home DIR): `passage init` in-process
   (key file, audit signing key, migrated database). SQLite in the home by default; with
   --database postgres a fresh database `passage_bench_candidates` on --postgres-url, dropped at
   the end. PASSAGE_VAULT_EXPECTED_POPULATION is set to --persons, so the blind indexes are
   truncated as a registry of that size would configure them (18 bits at 1,000,000).
2. Loads N fictional persons with Korean names (surname frequencies roughly as in Korea, given
   names from the common name syllables of `matching.romanise`): a romanised name in one of six
   spellings (Revised Romanization with and without hyphen, McCune-Reischauer with and without
   breves, the northern system, a popular passport spelling), the Hangul name for 75 %, 0-2
   aliases in another spelling and order, a partial date of birth for 85 %. Each person goes
   through the real vault path: a fresh data key wrapped by the key-encryption key, every
   identifying field sealed by `EncryptedTextField.pre_save` under that key, blind-index rows
   from `registry.search_terms.person_index_terms` hashed by `vault.runtime.blind_value` (as
   `vault.services.blind_indexes_replace` does). Skipped: cases, audit entries, stage changes,
   assignments. Two worker processes encrypt and hash; the main process writes each chunk of
   2,000 persons in one transaction (`bulk_create`; the blind-index rows, 14 per person, with one
   `executemany`), with the blind-index lookup index dropped during the load and rebuilt after it.
   (bench/linkage_data.py makes one written name per linkage record, with planted duplicates; this
   benchmark needs persons with romanised and Hangul fields and aliases, so it has its own generator.)
3. Times `person_candidates(query, persons=Person.objects.all())`, each query in its own
   `vault.runtime.key_scope()` as a request would be: Q queries, about 80 % a new spelling of a
   random existing person (romanised in a spelling the person was not stored in, Western order,
   other spacing, or Hangul with or without the date of birth) and about 20 % names of nobody
   (one given-name syllable that no loaded name can be read as). Warm-up queries (--warmup, 50)
   are excluded. Prints p50/p95/p99/max latency, persons decrypted per query (data keys
   unwrapped), recall and the share of no-match queries that returned nothing.

--keep keeps the home (and the PostgreSQL database) for another run with the same --persons,
--seed and --database, which then skips loading (unless the code that makes the index forms,
matching/ or registry/search_terms.py, changed since: its digest is kept with the data set);
--profile prints cProfile's top functions of the measured queries.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import multiprocessing
import os
import random
import shutil
import statistics
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

BENCH_DIR = Path(__file__).resolve().parent
REPO_ROOT = BENCH_DIR.parent
# `python bench/candidate_search.py` puts bench/ first on sys.path, where bench/vault.py would
# shadow the `vault` app.
sys.path[:] = [entry for entry in sys.path if Path(entry or ".").resolve() != BENCH_DIR]
sys.path.insert(0, str(REPO_ROOT))

TARGET_P95_MS = 50.0
DEFAULT_HOME = REPO_ROOT / "var" / "bench-candidates"
DEFAULT_POSTGRES_URL = "postgres://postgres@127.0.0.1:5432/"
POSTGRES_DATABASE = "passage_bench_candidates"
CHUNK = 2000  # persons per worker task and per write transaction
RESULT_LIMIT = 20  # person_candidates' default `limit`: the results a user is shown

# --------------------------------------------------------------------------------------------
# Fictional registry
# --------------------------------------------------------------------------------------------

# Hangul surname and a rough share in percent (an approximation of Korean frequencies).
SURNAME_WEIGHTS = (
    ("김", 21.0), ("이", 14.7), ("박", 8.4), ("최", 4.7), ("정", 4.3), ("강", 2.3), ("조", 2.1),
    ("윤", 2.1), ("장", 2.0), ("임", 1.7), ("한", 1.5), ("오", 1.5), ("서", 1.5), ("신", 1.4),
    ("권", 1.4), ("황", 1.4), ("안", 1.3), ("송", 1.3), ("전", 1.1), ("홍", 1.1), ("유", 1.1),
    ("고", 0.9), ("문", 0.9), ("양", 0.9), ("손", 0.9), ("배", 0.8), ("백", 0.8), ("허", 0.7),
    ("남", 0.5), ("심", 0.5), ("노", 0.4), ("하", 0.4), ("곽", 0.4), ("성", 0.4), ("차", 0.4),
    ("주", 0.4), ("우", 0.4), ("구", 0.4), ("민", 0.3), ("류", 0.3), ("나", 0.3), ("진", 0.3),
    ("지", 0.3), ("엄", 0.3), ("채", 0.3), ("원", 0.3), ("천", 0.2), ("방", 0.2), ("공", 0.2),
    ("현", 0.2), ("함", 0.2), ("변", 0.2), ("염", 0.2), ("여", 0.2), ("추", 0.1), ("도", 0.1),
    ("석", 0.1), ("선", 0.1), ("설", 0.1), ("마", 0.1), ("길", 0.1), ("연", 0.1), ("위", 0.1),
    ("표", 0.1), ("명", 0.1), ("기", 0.1), ("반", 0.1), ("왕", 0.1), ("금", 0.1), ("옥", 0.1),
    ("남궁", 0.05), ("황보", 0.03), ("제갈", 0.02), ("선우", 0.02),
)  # fmt: skip
SYSTEMS = ("rr", "rr_joined", "mr", "mr_plain", "north", "popular")
PLACES = ("North Hamgyong", "South Hamgyong", "Ryanggang", "Chagang", "North Pyongan", "South Pyongan", "Kangwon")
RANKS = ("Private", "Corporal", "Sergeant", "Staff sergeant", "Junior lieutenant", "Lieutenant", "Captain")
QUERY_KINDS = ("roman", "western", "spacing", "hangul_dob", "hangul")


@dataclass(frozen=True)
class Registry:
    surnames: tuple[str, ...]
    surname_weights: tuple[float, ...]
    syllables: tuple[str, ...]
    syllable_weights: tuple[float, ...]
    nobody_syllables: tuple[str, ...]


@dataclass(frozen=True)
class FictionalPerson:
    family_hangul: str
    given_hangul: str
    system: str  # spelling of the stored romanised name
    family_name: str
    given_name: str
    store_hangul: bool
    aliases: tuple[str, ...]
    date_of_birth: str
    sex: str
    place_of_origin: str
    unit: str
    rank: str


def build_registry() -> Registry:
    from matching.hangul import FINALS, INITIALS, MEDIALS, compose, decompose
    from matching.romanise import COMMON_GIVEN_SYLLABLES, syllable_readings
    from matching.surnames import surname

    surnames = [(hangul, weight) for hangul, weight in SURNAME_WEIGHTS if surname(hangul) is not None]
    syllables = list(dict.fromkeys(COMMON_GIVEN_SYLLABLES))
    used_readings: set[str] = set().union(*(syllable_readings(c) for c in syllables))
    # Syllables that no loaded given-name syllable can be read as, in any spelling: a name with one
    # of them is nobody's.
    name_finals = {FINALS.index(f) for f in ("", "ㄴ", "ㄹ", "ㅁ", "ㅇ")}
    nobody: list[str] = []
    for initial in range(len(INITIALS)):
        for medial in range(len(MEDIALS)):
            for final in sorted(name_finals):
                char = compose(initial, medial, final)
                if decompose(char).initial in (INITIALS.index("ㄲ"), INITIALS.index("ㄸ"), INITIALS.index("ㅃ")):
                    continue
                if char not in syllables and syllable_readings(char).isdisjoint(used_readings):
                    nobody.append(char)
    return Registry(
        surnames=tuple(h for h, _ in surnames),
        surname_weights=tuple(w for _, w in surnames),
        syllables=tuple(syllables),
        syllable_weights=tuple(1.0 / (rank + 8) for rank in range(len(syllables))),
        nobody_syllables=tuple(nobody),
    )


def spell(family: str, given: str, system: str, rng: random.Random) -> tuple[str, str]:
    """The name in one romanisation: ("김", "철수", "mr") → ("Kim", "Ch'ŏl-su")."""
    from matching.names import ParsedName, Script
    from matching.romanise import mccune_reischauer, north, popular, revised

    parsed = ParsedName(family, tuple(given), Script.HANGUL)
    if system == "rr":
        text = revised(parsed)
    elif system == "rr_joined":
        text = revised(parsed, hyphen=False)
    elif system == "mr":
        text = mccune_reischauer(parsed)
    elif system == "mr_plain":
        text = mccune_reischauer(parsed, diacritics=False)
    elif system == "north":
        text = north(parsed)
    else:
        text = rng.choice(sorted(popular(parsed)))
    surname_part, given_part = text.split(" ", 1)
    return surname_part, given_part


def _given(registry: Registry, rng: random.Random) -> str:
    length = 1 if rng.random() < 0.08 else 2
    return "".join(rng.choices(registry.syllables, registry.syllable_weights, k=length))


def _date_of_birth(rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.15:
        return ""
    year = rng.randint(1960, 2006)
    if roll < 0.35:
        return f"{year}"
    month = rng.randint(1, 12)
    if roll < 0.55:
        return f"{year}-{month:02d}"
    return f"{year}-{month:02d}-{rng.randint(1, 28):02d}"


def _alias(family: str, given: str, system: str, rng: random.Random) -> str:
    surname_part, given_part = spell(family, given, system, rng)
    text = f"{given_part} {surname_part}" if rng.random() < 0.5 else f"{surname_part} {given_part}"
    return text.upper() if rng.random() < 0.2 else text


def fictional_person(registry: Registry, seed: int, number: int) -> FictionalPerson:
    """Person `number` of the registry of `seed`: the same on every call, in any process."""
    rng = random.Random(seed * 1_000_003 + number)  # noqa: S311 — fictional data, not secrets
    family = rng.choices(registry.surnames, registry.surname_weights)[0]
    given = _given(registry, rng)
    system = rng.choice(SYSTEMS)
    family_name, given_name = spell(family, given, system, rng)
    others = [s for s in SYSTEMS if s != system]
    count = rng.choices((0, 1, 2), (50, 35, 15))[0]
    aliases = tuple(_alias(family, given, s, rng) for s in rng.sample(others, count))
    return FictionalPerson(
        family_hangul=family,
        given_hangul=given,
        system=system,
        family_name=family_name,
        given_name=given_name,
        store_hangul=rng.random() < 0.75,
        aliases=aliases,
        date_of_birth=_date_of_birth(rng),
        sex="male" if rng.random() < 0.85 else "female",
        place_of_origin=rng.choice(PLACES) if rng.random() < 0.6 else "",
        unit=f"{rng.randint(1, 120)}th Infantry Brigade" if rng.random() < 0.5 else "",
        rank=rng.choice(RANKS) if rng.random() < 0.6 else "",
    )


# --------------------------------------------------------------------------------------------
# Loading
# --------------------------------------------------------------------------------------------

_WORKER: dict[str, Any] = {}


def _worker_init(seed: int, organisation_id: int) -> None:
    _WORKER.update(registry=build_registry(), seed=seed, organisation_id=organisation_id)


def encrypt_chunk(bounds: tuple[int, int]) -> dict[str, list[Any]]:
    """Data keys, sealed person and alias rows and blind-index rows of persons [start, stop).

    Person, data key and id all take the number; the associated data of every sealed value and
    of the wrapped key binds the data key's id, so the ids are fixed before sealing."""
    from registry.models import Alias, Person
    from registry.search_terms import PERSON_TABLE, PersonNames, person_index_terms
    from vault import crypto, runtime
    from vault.fields import EncryptedTextField
    from vault.models import DataKey

    registry: Registry = _WORKER["registry"]
    seed: int = _WORKER["seed"]
    organisation_id: int = _WORKER["organisation_id"]
    provider = runtime.key_provider()
    version = provider.active_version()
    person_fields = [cast(EncryptedTextField, Person._meta.get_field(name)) for name in Person.IDENTIFYING_FIELDS]
    alias_field = Alias._meta.get_field("name")
    out: dict[str, list[Any]] = {"keys": [], "persons": [], "aliases": [], "indexes": []}
    start, stop = bounds
    with runtime.key_scope():
        for number in range(start, stop):
            fictional = fictional_person(registry, seed, number)
            wrapped = provider.wrap(version, crypto.new_key(), crypto.wrap_associated_data(version, number))
            data_key = DataKey(pk=number, kek_version=version, wrapped=wrapped)
            person = Person(
                pk=number,
                organisation_id=organisation_id,
                data_key=data_key,
                family_name=fictional.family_name,
                given_name=fictional.given_name,
                family_name_hangul=fictional.family_hangul if fictional.store_hangul else "",
                given_name_hangul=fictional.given_hangul if fictional.store_hangul else "",
                date_of_birth=fictional.date_of_birth,
                place_of_origin=fictional.place_of_origin,
                unit=fictional.unit,
                rank=fictional.rank,
                sex=fictional.sex,
            )
            sealed = {field.attname: field.pre_save(person, True) for field in person_fields}
            out["keys"].append((number, version, wrapped))
            out["persons"].append((number, fictional.sex, sealed))
            for alias_name in fictional.aliases:
                alias = Alias(person=person, name=alias_name)
                out["aliases"].append((number, alias_field.pre_save(alias, True)))
            names = PersonNames(
                family_name=person.family_name,
                given_name=person.given_name,
                family_name_hangul=person.family_name_hangul,
                given_name_hangul=person.given_name_hangul,
                aliases=fictional.aliases,
                date_of_birth=fictional.date_of_birth,
            )
            rows = {
                (index, runtime.blind_value(PERSON_TABLE, field, index, normalised))
                for field, index, normalised in person_index_terms(names)
                if normalised
            }
            out["indexes"].extend((number, index, value) for index, value in sorted(rows))
    return out


def _blind_index_insert() -> str:
    from django.db import connection
    from django.db.models import Field

    from vault.models import BlindIndex

    meta = BlindIndex._meta
    quote = connection.ops.quote_name
    columns = ", ".join(
        quote(cast("Field[Any, Any]", meta.get_field(name)).column) for name in ("data_key", "table", "name", "value")
    )
    return f"INSERT INTO {quote(meta.db_table)} ({columns}) VALUES (%s, %s, %s, %s)"  # noqa: S608 — no user input


def lookup_index_drop() -> None:
    """Drop the blind-index lookup index during the load: rebuilding it once afterwards is much
    faster than inserting 14 rows per person at random places in it."""
    from django.db import connection

    from vault.models import BlindIndex

    with connection.schema_editor() as editor:
        for index in BlindIndex._meta.indexes:
            editor.remove_index(BlindIndex, index)


def lookup_index_create() -> None:
    from django.db import connection

    from vault.models import BlindIndex

    with connection.schema_editor() as editor:
        for index in BlindIndex._meta.indexes:
            editor.add_index(BlindIndex, index)


def write_chunk(chunk: dict[str, list[Any]], organisation_id: int) -> int:
    from django.db import connection, transaction

    from registry.models import Alias, Person
    from registry.search_terms import PERSON_TABLE
    from vault.models import DataKey

    with transaction.atomic():
        DataKey.objects.bulk_create(
            [DataKey(pk=pk, kek_version=version, wrapped=wrapped) for pk, version, wrapped in chunk["keys"]]
        )
        Person.objects.bulk_create(
            [
                Person(pk=pk, organisation_id=organisation_id, data_key_id=pk, sex=sex, **sealed)
                for pk, sex, sealed in chunk["persons"]
            ]
        )
        Alias.objects.bulk_create([Alias(person_id=pk, name=name) for pk, name in chunk["aliases"]])
        # The blind-index rows are the bulk of the load (about 14 per person): written with one
        # executemany rather than through model instances.
        with connection.cursor() as cursor:
            cursor.executemany(
                _blind_index_insert(), [(pk, PERSON_TABLE, index, value) for pk, index, value in chunk["indexes"]]
            )
    return len(chunk["indexes"])


def load(persons: int, seed: int, workers: int) -> dict[str, float]:
    from django.db import connections
    from tqdm import tqdm

    from accounts.models import Organisation

    organisation, _ = Organisation.objects.get_or_create(
        slug="bench-candidates", defaults={"name": "Candidate search benchmark", "kind": Organisation.Kind.NGO}
    )
    lookup_index_drop()
    connections.close_all()  # the workers are forked: they must not share the connection
    bounds = [(start, min(start + CHUNK, persons + 1)) for start in range(1, persons + 1, CHUNK)]
    started = time.monotonic()
    index_rows = 0
    context = multiprocessing.get_context("fork")
    with (
        context.Pool(workers, initializer=_worker_init, initargs=(seed, organisation.pk)) as pool,
        tqdm(total=persons, unit="person", desc="persons", mininterval=5.0, file=sys.stdout) as progress,
    ):
        for chunk in pool.imap(encrypt_chunk, bounds):
            index_rows += write_chunk(chunk, organisation.pk)
            progress.update(len(chunk["persons"]))
    elapsed = time.monotonic() - started
    say("Rebuilding the blind-index lookup index.")
    lookup_index_create()
    return {"seconds": elapsed, "index_seconds": time.monotonic() - started - elapsed, "index_rows": index_rows}


def analyse() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("ANALYZE")
        else:
            cursor.execute("VACUUM (ANALYZE)")


# --------------------------------------------------------------------------------------------
# Queries
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Query:
    kind: str
    person_id: int | None  # None: nobody's name
    name_query: Any  # registry.candidates.NameQuery


def spelling_query(fictional: FictionalPerson, rng: random.Random, kind: str) -> Any:
    """A new spelling of the person's name, of the given kind."""
    from registry.candidates import NameQuery

    family, given = fictional.family_hangul, fictional.given_hangul
    fresh = [s for s in SYSTEMS if s != fictional.system] or list(SYSTEMS)
    with_date = fictional.date_of_birth if rng.random() < 0.5 else ""
    if kind == "roman":
        surname_part, given_part = spell(family, given, rng.choice(fresh), rng)
        return NameQuery(family_name=surname_part, given_name=given_part, date_of_birth=with_date)
    if kind == "western":
        surname_part, given_part = spell(family, given, rng.choice(fresh), rng)
        return NameQuery(aliases=(f"{given_part} {surname_part}",), date_of_birth=with_date)
    if kind == "spacing":
        syllables = [spell(family, c, "rr", rng)[1].capitalize() for c in given]
        joined = " ".join(syllables) if fictional.system != "north" else "".join(syllables).capitalize()
        surname_part = spell(family, given, rng.choice(fresh), rng)[0]
        return NameQuery(aliases=(f"{surname_part.upper()} {joined.upper()}",), date_of_birth=with_date)
    if kind == "hangul_dob":
        return NameQuery(family_name_hangul=family, given_name_hangul=given, date_of_birth=fictional.date_of_birth)
    return NameQuery(family_name_hangul=family, given_name_hangul=given)


def make_queries(registry: Registry, persons: int, seed: int, count: int, salt: int) -> list[Query]:
    rng = random.Random(seed * 7919 + salt)  # noqa: S311 — fictional data
    queries: list[Query] = []
    for _ in range(count):
        kind = rng.choice(QUERY_KINDS)
        if rng.random() < 0.2:
            family = rng.choices(registry.surnames, registry.surname_weights)[0]
            given = list(_given(registry, rng))
            if len(given) == 1:
                given.append(rng.choice(registry.nobody_syllables))
            else:
                given[rng.randrange(len(given))] = rng.choice(registry.nobody_syllables)
            nobody = FictionalPerson(
                family, "".join(given), rng.choice(SYSTEMS), "", "", True, (), _date_of_birth(rng), "", "", "", ""
            )
            queries.append(Query(kind, None, spelling_query(nobody, rng, kind)))
        else:
            number = rng.randint(1, persons)
            queries.append(Query(kind, number, spelling_query(fictional_person(registry, seed, number), rng, kind)))
    return queries


@dataclass
class Outcome:
    seconds: float
    cpu_seconds: float  # of this process: less sensitive to other work on the machine
    decrypted: int
    found_ids: list[int]


def run_query(query: Query) -> Outcome:
    from registry.candidates import person_candidates
    from registry.models import Person
    from vault import runtime

    unwraps = runtime.Counters.unwraps
    with runtime.key_scope():
        cpu_started, started = time.process_time(), time.perf_counter()
        found = person_candidates(query.name_query, persons=Person.objects.all())
        seconds, cpu_seconds = time.perf_counter() - started, time.process_time() - cpu_started
    return Outcome(seconds, cpu_seconds, runtime.Counters.unwraps - unwraps, [c.person.pk for c in found])


def percentile(ordered: Sequence[float], share: float) -> float:
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


def measure(args: argparse.Namespace) -> None:
    registry = build_registry()
    warmup = make_queries(registry, args.persons, args.seed, args.warmup, salt=1)
    queries = make_queries(registry, args.persons, args.seed, args.queries, salt=2)
    say(f"Warm-up: {len(warmup)} queries (not counted).")
    for query in warmup:
        run_query(query)
    say(f"Measuring {len(queries)} queries, one after another, each in its own key scope.")
    outcomes: list[Outcome] = []
    profiler: Any = None
    if args.profile:
        import cProfile

        profiler = cProfile.Profile()
        profiler.enable()
    load_before = os.getloadavg()[0]
    started = time.monotonic()
    for query in queries:
        outcomes.append(run_query(query))
    if profiler is not None:
        profiler.disable()
    say(
        f"Measured in {time.monotonic() - started:.0f} s; load average {load_before:.2f} before, "
        f"{os.getloadavg()[0]:.2f} after (other work on the machine inflates wall-clock latency)."
    )
    report(queries, outcomes, args)
    if profiler is not None:
        import io
        import pstats

        out = io.StringIO()
        stats = pstats.Stats(profiler, stream=out)
        stats.sort_stats("tottime").print_stats(25)
        stats.sort_stats("cumulative").print_stats(30)
        say(out.getvalue())


def report(queries: list[Query], outcomes: list[Outcome], args: argparse.Namespace) -> None:
    times = sorted(outcome.seconds * 1000 for outcome in outcomes)
    p95 = percentile(times, 0.95)
    existing = [(q, o) for q, o in zip(queries, outcomes, strict=True) if q.person_id is not None]
    nobody = [(q, o) for q, o in zip(queries, outcomes, strict=True) if q.person_id is None]
    recalled = sum(q.person_id in o.found_ids for q, o in existing)
    empty = sum(not o.found_ids for _, o in nobody)
    say()
    say(f"Latency of person_candidates over {args.persons} persons ({args.database}), ms:")
    say(
        f"  p50 {percentile(times, 0.50):.1f}   p95 {p95:.1f}   p99 {percentile(times, 0.99):.1f}"
        f"   max {times[-1]:.1f}   mean {statistics.fmean(times):.1f}   (n = {len(times)})"
    )
    cpu = sorted(outcome.cpu_seconds * 1000 for outcome in outcomes)
    say(
        f"  CPU time of this process per query: p50 {percentile(cpu, 0.50):.1f}   p95 {percentile(cpu, 0.95):.1f}"
        f"   p99 {percentile(cpu, 0.99):.1f}   max {cpu[-1]:.1f}"
    )
    decrypted = [o.decrypted for o in outcomes]
    say(
        f"Persons decrypted per query (blind-index hits): mean {statistics.fmean(decrypted):.1f}, "
        f"median {statistics.median(decrypted):.0f}, max {max(decrypted)}"
    )
    if existing:
        say(f"Recall: {recalled}/{len(existing)} = {recalled / len(existing):.3f} of queries of an existing person")
        crowded = sum(q.person_id not in o.found_ids and len(o.found_ids) >= RESULT_LIMIT for q, o in existing)
        say(
            f"  of the {len(existing) - recalled} misses, {crowded} returned a full list of {RESULT_LIMIT} "
            "(the person was crowded out by namesakes scoring at least as high)"
        )
    if nobody:
        say(f"No-match queries that returned nothing: {empty}/{len(nobody)} = {empty / len(nobody):.3f}")
    say("By kind of query:  n   p50 ms  p95 ms  decrypted  recall/empty")
    for kind in QUERY_KINDS:
        for label, rows in (("existing", existing), ("nobody", nobody)):
            selected = [(q, o) for q, o in rows if q.kind == kind]
            if not selected:
                continue
            kind_times = sorted(o.seconds * 1000 for _, o in selected)
            if label == "existing":
                share = sum(q.person_id in o.found_ids for q, o in selected) / len(selected)
            else:
                share = sum(not o.found_ids for _, o in selected) / len(selected)
            say(
                f"  {kind:<11} {label:<9} {len(selected):>4} {percentile(kind_times, 0.5):>7.1f}"
                f" {percentile(kind_times, 0.95):>7.1f} {statistics.fmean(o.decrypted for _, o in selected):>10.1f}"
                f" {share:>8.3f}"
            )
    verdict = "PASS" if p95 < TARGET_P95_MS else "FAIL"
    say()
    say(f"VERDICT: {verdict} - p95 {p95:.1f} ms (target < {TARGET_P95_MS:.0f} ms) at {args.persons} persons.")


# --------------------------------------------------------------------------------------------
# Driver
# --------------------------------------------------------------------------------------------


def say(text: str = "") -> None:
    print(text, flush=True)


@contextmanager
def postgres_database(server_url: str, keep: bool, fresh: bool, database: str = POSTGRES_DATABASE) -> Iterator[str]:
    """A database of its own on the server, made anew when `fresh`, dropped at the end unless `keep`."""
    import psycopg
    from psycopg import sql

    admin_url = server_url.rstrip("/") + "/postgres"
    name = sql.Identifier(database)
    if fresh:
        with psycopg.connect(admin_url, autocommit=True) as connection:
            connection.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(name))
            connection.execute(sql.SQL("CREATE DATABASE {}").format(name))
    try:
        yield f"{server_url.rstrip('/')}/{database}"
    finally:
        if not keep:
            from django.db import connections

            connections.close_all()
            with psycopg.connect(admin_url, autocommit=True) as connection:
                connection.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(name))


def setup_django(home: Path, database_url: str, persons: int) -> None:
    for key in [key for key in os.environ if key.startswith("PASSAGE_")] + ["DATABASE_URL"]:
        os.environ.pop(key, None)
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "passage.settings",
            "PASSAGE_HOME": str(home),
            "PASSAGE_DEBUG": "false",
            "PASSAGE_LOG_LEVEL": "WARNING",
            "PASSAGE_VAULT_EXPECTED_POPULATION": str(max(persons, 4)),
        }
    )
    if database_url:
        os.environ["DATABASE_URL"] = database_url
    import django

    django.setup()


def index_code_digest() -> str:
    """A digest of the code that decides the blind-index forms: a registry loaded under other code
    (a changed blocking key, say) no longer matches its queries and is loaded again."""
    digest = hashlib.sha256()
    files = [f"matching/{name}.py" for name in ("hangul", "keys", "names", "romanise", "surnames")]
    for path in sorted(REPO_ROOT / name for name in [*files, "registry/search_terms.py", "vault/crypto.py"]):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0] if __doc__ else None)
    parser.add_argument("--persons", type=int, default=1_000_000, help="persons to load (1000000)")
    parser.add_argument("--queries", type=int, default=1000, help="measured queries (1000)")
    parser.add_argument("--warmup", type=int, default=50, help="unmeasured queries first (50)")
    parser.add_argument("--database", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--postgres-url", default=DEFAULT_POSTGRES_URL, help="server for --database postgres")
    parser.add_argument("--seed", type=int, default=6, help="seed of the fictional registry and queries (6)")
    parser.add_argument("--workers", type=int, default=2, help="processes that encrypt while loading (2)")
    parser.add_argument(
        "--home", type=Path, help=f"PASSAGE_HOME to build (default {DEFAULT_HOME.relative_to(REPO_ROOT)})"
    )
    parser.add_argument("--keep", action="store_true", help="keep the home and database, and reuse them next time")
    parser.add_argument("--profile", action="store_true", help="print cProfile's top functions of the queries")
    args = parser.parse_args(argv)
    if args.persons < 1 or args.queries < 1 or args.warmup < 0 or args.workers < 1:
        parser.error("--persons, --queries and --workers must be positive")

    home = (args.home or DEFAULT_HOME).resolve()
    dataset = {"persons": args.persons, "seed": args.seed, "database": args.database, "code": index_code_digest()}
    marker = home / "bench-dataset.json"
    fresh = not (marker.exists() and json.loads(marker.read_text(encoding="utf-8")) == dataset)
    if fresh and home.exists():
        if any(home.iterdir()) and not marker.exists():
            parser.error(f"{home} is not empty and holds no benchmark registry: choose another --home")
        shutil.rmtree(home)
    home.mkdir(parents=True, exist_ok=True)
    say(f"Candidate search benchmark: {args.persons} persons, {args.queries} queries, {args.database}, in {home}")
    now = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    say(f"Python {sys.version.split()[0]}, {os.cpu_count()} CPUs, seed {args.seed}, {now}")
    scorer = hashlib.sha256((REPO_ROOT / "matching" / "score.py").read_bytes()).hexdigest()[:12]
    say(f"Index-form code digest {dataset['code']}, matching/score.py digest {scorer} (the scorer is most of the time)")
    try:
        with (
            postgres_database(args.postgres_url, args.keep, fresh)
            if args.database == "postgres"
            else _no_database() as database_url
        ):
            setup_django(home, database_url, args.persons)
            from django.conf import settings
            from django.core.management import call_command

            from vault import runtime

            say(
                f"Blind indexes: {runtime.index_bits()} bits (PASSAGE_VAULT_EXPECTED_POPULATION={args.persons}); "
                f"PASSAGE_SEARCH_CANDIDATE_LIMIT={settings.PASSAGE_SEARCH_CANDIDATE_LIMIT}"
            )
            if fresh:
                call_command("init", verbosity=0)
                say(f"Loading {args.persons} persons with {args.workers} encrypting processes.")
                loaded = load(args.persons, args.seed, args.workers)
                say(
                    f"Loaded {args.persons} persons in {loaded['seconds']:.0f} s, lookup index rebuilt in "
                    f"{loaded['index_seconds']:.0f} s "
                    f"({args.persons / loaded['seconds']:.0f} persons/s), {loaded['index_rows']:.0f} blind-index rows "
                    f"({loaded['index_rows'] / args.persons:.1f} per person)."
                )
                started = time.monotonic()
                analyse()
                say(f"ANALYZE: {time.monotonic() - started:.0f} s.")
                marker.write_text(json.dumps(dataset) + "\n", encoding="utf-8")
            else:
                say("Reusing the registry loaded earlier (--keep).")
            measure(args)
    finally:
        if args.keep:
            say(f"Kept {home} for reuse (--keep).")
        else:
            shutil.rmtree(home, ignore_errors=True)
    return 0


@contextmanager
def _no_database() -> Iterator[str]:
    yield ""


if __name__ == "__main__":
    sys.exit(main())
