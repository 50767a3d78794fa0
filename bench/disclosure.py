"""Disclosure check benchmark (issue 7): a 5,000-word outgoing text checked against 100,000 persons.

Target: `bench/disclosure.py` checks a 5,000-word text against a registry of 100,000 persons in under
1 s (warm, 95th percentile of `consent.services.disclosure.analyse_registry`: the engine over the
vault's blind indexes, decrypting only the candidates).

    .venv/bin/python bench/disclosure.py [--persons 100000] [--words 5000] [--runs 10] [--database sqlite|postgres]
    passage bench disclosure -- --persons 100000

What one run does
-----------------
1. Builds its own PASSAGE_HOME (var/bench-disclosure, or --home DIR) with the loader of
   bench/candidate_search.py, imported from it: `passage init` in-process, PASSAGE_VAULT_EXPECTED_POPULATION
   set to --persons (15-bit blind indexes at 100,000), N fictional persons through the real vault
   path (a data key each, sealed fields, blind-index rows of `registry.search_terms.person_index_terms`).
   SQLite in the home by default; with --database postgres a fresh database `passage_bench_disclosure`
   on --postgres-url, dropped at the end unless --keep. Then, in this script: a case row for every
   person (plain columns; the service scopes and audits findings by case), and family members for a
   share of persons (--family-share, 0.3; one to three relatives each): `tracing.FamilyMember` rows
   whose name, location and notes are sealed by `EncryptedTextField.pre_save` under the person's data
   key, and the person's blind-index rows under table `tracing_familymember` from
   `registry.search_terms.family_index_terms`, hashed by `vault.runtime.blind_value` (as
   `tracing.services.family_index_refresh` writes them). Two worker processes seal and hash; the
   lookup index is dropped while writing and rebuilt after. ANALYZE (SQLite) or VACUUM (ANALYZE).
2. Writes, seeded, an English text of --words words (an NGO report on prisoners of war: sections,
   dates of events, organisations, places in Ukraine and Russia, unregistered people with Western
   names, Korean names of nobody registered, phone numbers and an e-mail address) that mentions
   --planted registered persons (default words/125: 40 at 5,000), drawn from the loaded registry, about
   2.5 times each: a full name in a romanisation other than the stored one, in Western order, in
   capitals ("KIM Chol-su", "RI, Chol Su"), with the given name split ("Kim Chol Su"), in Hangul (also
   in the North's spelling and spaced), then the given name alone, title and surname ("Sergeant Kim"),
   another full form, the full date of birth in a prose format, a recorded relative's name. Each
   planted person's age, rank, unit and place of origin come from their record. Also a Korean-language
   text of the same length (--no-korean to leave it out) with Hangul mentions and particles.
3. In one process, after one unmeasured check of each text and path (the first, cold, check is
   reported: spaCy and Presidio load, the database connection opens): --runs rounds, each timing
   (a) `analyse_registry(text)` and (b) `disclosure_check(actor=None, text=text)` (adds the scoping,
   the redacted text and an audit entry per named case) on each text. Prints p50/p95/max wall and CPU
   time, data keys unwrapped (distinct persons decrypted), the engine's own stage timings
   (`report.timings_ms`), findings, audit entries; and, from one more untimed check through a counting
   wrapper of `VaultRegistry`: the keys and compact forms asked, candidate records returned, rows
   decrypted (`persons_decrypted`), SQL queries.
4. Correctness, same run: a planted person is found when a non-advisory finding names their id;
   per mention form, a mention is found when such a finding overlaps it. Misses are printed (fictional).
   Also: unregistered Korean names reported as a registered person's.
5. Peer, same run: the route SECURITY_NOTES.md describes as tried, Presidio with a plain deny-list of
   every registered person's written names (`PatternRecognizer(deny_list=...)`, one AnalyzerEngine
   with a blank spaCy pipeline and no other recogniser), the names decrypted from the loaded registry;
   at --peer-sizes (default 10000 and all: the planted persons plus the first others by id). Build
   time, memory, time per text, and its recall of the planted persons on the same texts.

--keep keeps the home (and the PostgreSQL database) for another run with the same --persons, --seed,
--family-share and --database, which then skips loading; --profile prints cProfile's top functions of
the warm checks (a) of the English text.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import logging
import multiprocessing
import os
import random
import re
import shutil
import statistics
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

BENCH_DIR = Path(__file__).resolve().parent
REPO_ROOT = BENCH_DIR.parent
# `python bench/disclosure.py` puts bench/ first on sys.path, where bench/vault.py would shadow the
# `vault` app.
sys.path[:] = [entry for entry in sys.path if Path(entry or ".").resolve() != BENCH_DIR]
sys.path.insert(0, str(REPO_ROOT))

from bench import candidate_search as loader  # noqa: E402
from bench.candidate_search import FictionalPerson, Registry, fictional_person, percentile, say, spell  # noqa: E402

TARGET_MS = 1000.0
DEFAULT_HOME = REPO_ROOT / "var" / "bench-disclosure"
POSTGRES_DATABASE = "passage_bench_disclosure"
LOADER_VERSION = 1  # of the cases and family members written here: a kept registry of another version is reloaded
REPORT_YEAR = 2025  # the texts are dated 2025: ages are counted from it

# --------------------------------------------------------------------------------------------
# Family members (fictional): the same on every call, in the loader and in the texts
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Relative:
    relation: str  # tracing.models.Relation value
    family_hangul: str
    given_hangul: str
    written: str  # the name as recorded: Hangul, or romanised in the person's spelling
    location: str


def relatives(registry: Registry, seed: int, number: int, share: float) -> tuple[Relative, ...]:
    rng = random.Random(seed * 2_000_029 + number * 7 + 3)  # noqa: S311 — fictional data
    if rng.random() >= share:
        return ()
    person = fictional_person(registry, seed, number)
    count = rng.choices((1, 2, 3), (50, 35, 15))[0]
    found: list[Relative] = []
    for relation in rng.sample(("father", "mother", "brother", "sister", "spouse"), count):
        same_surname = relation in ("father", "brother", "sister")
        family = person.family_hangul if same_surname else rng.choices(registry.surnames, registry.surname_weights)[0]
        given = loader._given(registry, rng)
        if rng.random() < 0.5:
            written = family + given
        else:
            surname_part, given_part = spell(family, given, person.system, rng)
            written = f"{surname_part} {given_part}"
        location = rng.choice(loader.PLACES) if rng.random() < 0.5 else ""
        found.append(Relative(relation, family, given, written, location))
    return tuple(found)


# --------------------------------------------------------------------------------------------
# Loading: the persons by bench/candidate_search.py, then cases and family members
# --------------------------------------------------------------------------------------------


def seal_family_chunk(task: tuple[list[tuple[int, int, bytes]], float]) -> dict[str, list[Any]]:
    """Sealed family-member rows and their blind-index rows, for the persons of one chunk that have
    relatives (runs in a worker set up by candidate_search's initializer)."""
    from registry.models import Person
    from registry.search_terms import FAMILY_TABLE, family_index_terms
    from tracing.models import FamilyMember
    from vault import runtime
    from vault.fields import EncryptedTextField
    from vault.models import DataKey

    keys, share = task
    registry: Registry = loader._WORKER["registry"]
    seed: int = loader._WORKER["seed"]
    sealed_fields = [f for f in FamilyMember._meta.concrete_fields if isinstance(f, EncryptedTextField)]
    out: dict[str, list[Any]] = {"members": [], "indexes": []}
    with runtime.key_scope():
        for number, version, wrapped in keys:
            found = relatives(registry, seed, number, share)
            if not found:
                continue
            person = Person(pk=number, data_key=DataKey(pk=number, kek_version=version, wrapped=wrapped))
            for relative in found:
                member = FamilyMember(
                    case_id=number,
                    person=person,
                    relation=relative.relation,
                    name=relative.written,
                    location=relative.location,
                    notes="",
                )
                out["members"].append(
                    (number, relative.relation, {f.attname: f.pre_save(member, True) for f in sealed_fields})
                )
            rows = {
                (index, runtime.blind_value(FAMILY_TABLE, field_name, index, normalised))
                for field_name, index, normalised in family_index_terms([r.written for r in found])
            }
            out["indexes"] += [(number, index, value) for index, value in sorted(rows)]
    return out


def write_family_chunk(chunk: dict[str, list[Any]]) -> tuple[int, int]:
    from django.db import connection, transaction

    from registry.search_terms import FAMILY_TABLE
    from tracing.models import FamilyMember

    with transaction.atomic():
        FamilyMember.objects.bulk_create(
            [
                FamilyMember(case_id=number, person_id=number, relation=relation, **sealed)
                for number, relation, sealed in chunk["members"]
            ]
        )
        with connection.cursor() as cursor:
            cursor.executemany(
                loader._blind_index_insert(),
                [(number, FAMILY_TABLE, index, value) for number, index, value in chunk["indexes"]],
            )
    return len(chunk["members"]), len(chunk["indexes"])


def load_cases(persons: int, seed: int) -> None:
    """One case per person, with a random-looking reference (cases hold no encrypted column)."""
    from django.db import transaction

    from accounts.models import Organisation
    from registry.models import Case
    from registry.references import ALPHABET, is_valid_reference

    organisation = Organisation.objects.get(slug="bench-candidates")  # made by candidate_search's loader
    rng = random.Random(seed * 104_729 + 11)  # noqa: S311 — fictional references
    used: set[str] = set()
    for start in range(1, persons + 1, loader.CHUNK):
        cases = []
        for number in range(start, min(start + loader.CHUNK, persons + 1)):
            reference = ""
            while not reference or reference in used:
                chars = "".join(rng.choice(ALPHABET) for _ in range(8))
                reference = f"PSG-{chars[:4]}-{chars[4:]}"
            assert is_valid_reference(reference)
            used.add(reference)
            entry_route = Case.EntryRoute.PRISONER if rng.random() < 0.8 else Case.EntryRoute.DEFECTOR
            cases.append(
                Case(
                    pk=number,
                    reference=reference,
                    person_id=number,
                    organisation_id=organisation.pk,
                    entry_route=entry_route,
                )
            )
        with transaction.atomic():
            Case.objects.bulk_create(cases)


def load_family(persons: int, seed: int, share: float, workers: int) -> dict[str, float]:
    from django.db import connections
    from tqdm import tqdm

    from accounts.models import Organisation
    from vault.models import DataKey

    keys = [
        (pk, version, bytes(wrapped))
        for pk, version, wrapped in DataKey.objects.order_by("pk").values_list("pk", "kek_version", "wrapped")
    ]
    organisation_id = Organisation.objects.get(slug="bench-candidates").pk
    loader.lookup_index_drop()
    connections.close_all()  # the workers are forked: they must not share the connection
    tasks = [(keys[i : i + loader.CHUNK], share) for i in range(0, len(keys), loader.CHUNK)]
    members = rows = 0
    started = time.monotonic()
    context = multiprocessing.get_context("fork")
    with (
        context.Pool(workers, initializer=loader._worker_init, initargs=(seed, organisation_id)) as pool,
        tqdm(total=persons, unit="person", desc="family", mininterval=5.0, file=sys.stdout) as progress,
    ):
        for task, chunk in zip(tasks, pool.imap(seal_family_chunk, tasks), strict=True):
            written = write_family_chunk(chunk)
            members += written[0]
            rows += written[1]
            progress.update(len(task[0]))
    elapsed = time.monotonic() - started
    say("Rebuilding the blind-index lookup index.")
    loader.lookup_index_create()
    return {
        "seconds": elapsed,
        "index_seconds": time.monotonic() - started - elapsed,
        "members": members,
        "index_rows": rows,
    }


# --------------------------------------------------------------------------------------------
# Texts
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Mention:
    """A planted span: a registered person's (person_id) or an unregistered name (None)."""

    start: int
    end: int
    person_id: int | None
    form: str


@dataclass(frozen=True)
class Span:
    text: str
    person_id: int | None
    form: str


Piece = str | Span


@dataclass
class PlantedText:
    language: str
    text: str
    mentions: list[Mention]
    persons: list[int]  # the planted registered persons

    @property
    def words(self) -> int:
        return len(self.text.split())


@dataclass(frozen=True)
class Planted:
    number: int
    person: FictionalPerson
    family: tuple[Relative, ...]
    system: str  # the spelling this text uses for the person: never the stored one
    surname: str
    given: str
    given_spaced: str  # the given name's syllables as separate capitalised words

    @property
    def hangul(self) -> str:
        return self.person.family_hangul + self.person.given_hangul

    @property
    def north_surname(self) -> str:
        from matching.surnames import surname

        known = surname(self.person.family_hangul)
        return known.north_hangul if known is not None else self.person.family_hangul

    @property
    def age(self) -> str:
        year = self.person.date_of_birth[:4]
        return str(REPORT_YEAR - int(year)) if year else ""

    @property
    def full_date(self) -> tuple[int, int, int] | None:
        parts = self.person.date_of_birth.split("-")
        return (int(parts[0]), int(parts[1]), int(parts[2])) if len(parts) == 3 else None


def choose_planted(registry: Registry, persons: int, seed: int, count: int, share: float) -> list[Planted]:
    rng = random.Random(seed * 65_537 + 101)  # noqa: S311 — fictional data
    chosen: list[Planted] = []
    names: set[str] = set()
    with_family = round(count * share)  # at least this many with recorded relatives, if the sample has them
    for number in rng.sample(range(1, persons + 1), min(persons, count * 8)):
        person = fictional_person(registry, seed, number)
        if person.family_hangul + person.given_hangul in names:
            continue  # distinct names, so that one planted person's mention cannot find another
        family = relatives(registry, seed, number, share)
        if not family and sum(1 for p in chosen if not p.family) >= count - with_family:
            continue
        names.add(person.family_hangul + person.given_hangul)
        system = rng.choice([s for s in loader.SYSTEMS if s != person.system])
        surname_part, given_part = spell(person.family_hangul, person.given_hangul, system, rng)
        syllables = [spell(person.family_hangul, c, system, rng)[1].capitalize() for c in person.given_hangul]
        chosen.append(
            Planted(
                number=number,
                person=person,
                family=family,
                system=system,
                surname=surname_part,
                given=given_part,
                given_spaced=" ".join(syllables),
            )
        )
        if len(chosen) == count:
            break
    return chosen


def nobody_names(registry: Registry, seed: int, count: int) -> list[tuple[str, str]]:
    """Korean names no loaded person has (a given-name syllable no loaded name can be read as):
    (romanised, Hangul)."""
    rng = random.Random(seed * 8_191 + 5)  # noqa: S311
    names = []
    for _ in range(count):
        family = rng.choices(registry.surnames, registry.surname_weights)[0]
        given = rng.choice(registry.syllables) + rng.choice(registry.nobody_syllables)
        surname_part, given_part = spell(family, given, rng.choice(loader.SYSTEMS), rng)
        names.append((f"{surname_part} {given_part}", family + given))
    return names


WESTERN_NAMES = (
    "Maria Kowalczyk", "Oleksandr Bondarenko", "Helen Marsh", "Tomasz Wiśniewski", "Iryna Tkachenko",
    "David Okafor", "Sophie Laurent", "Andriy Kovalenko", "Jonas Berg", "Elena Rossi", "Natalia Hrytsenko",
    "Peter Lindqvist", "Amira Haddad", "Viktor Melnyk", "Sarah Whitfield",
)  # fmt: skip
WESTERN_NAMES_KO = ("마리아 코발치크", "올렉산드르 본다렌코", "헬렌 마시", "이리나 트카첸코", "다비드 오카포르")
UA_CITIES = ("Kyiv", "Lviv", "Vinnytsia", "Zhytomyr", "Chernihiv", "Poltava", "Dnipro", "Odesa")
UA_CITIES_KO = ("키이우", "리비우", "빈니차", "지토미르", "체르니히우", "폴타바", "드니프로", "오데사")
RU_PLACES = ("Kursk", "Sudzha", "Bryansk", "Belgorod", "Lgov", "Rylsk", "Korenevo")
RU_PLACES_KO = ("쿠르스크", "수드자", "브랸스크", "벨고로드", "리고프", "릴스크", "코레네보")
ORGS = (
    "the International Committee of the Red Cross",
    "the Coordination Headquarters for the Treatment of Prisoners of War",
    "the Parliament Commissioner for Human Rights",
    "the UN Human Rights Monitoring Mission in Ukraine",
    "the Ministry of Unification",
    "the Office of the High Commissioner for Refugees",
)
ORGS_KO = ("국제적십자위원회", "포로 처우 조정본부", "우크라이나 의회 인권위원", "유엔 인권감시단", "통일부")
MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip
RANKS_KO = {
    "Private": "전사", "Corporal": "하사", "Sergeant": "중사", "Staff sergeant": "상사",
    "Junior lieutenant": "소위", "Lieutenant": "중위", "Captain": "대위",
}  # fmt: skip
PLACES_KO = {
    "North Hamgyong": "함경북도", "South Hamgyong": "함경남도", "Ryanggang": "량강도", "Chagang": "자강도",
    "North Pyongan": "평안북도", "South Pyongan": "평안남도", "Kangwon": "강원도",
}  # fmt: skip
RELATIONS_EN = {"father": "father", "mother": "mother", "brother": "brother", "sister": "sister", "spouse": "wife"}
RELATIONS_KO = {"father": "아버지", "mother": "어머니", "brother": "형", "sister": "누나", "spouse": "아내"}
PHONES = ("+82 2 2100 5678", "+380 44 256 7890", "010-4321-8765", "+41 22 730 2000")

EN_SECTIONS = (
    "1. Summary",
    "2. Methodology",
    "3. Legal framework",
    "4. Capture and transfer",
    "5. Conditions of detention",
    "6. Individual cases",
    "7. Families",
    "8. Repatriation and the wish not to return",
    "9. Recommendations",
)
EN_FILLER = (
    "Our researchers visited {n} prisoners of war held at facilities in and around {ua_city} between {month_year} "
    "and {month_year2}.",
    "{Org} was given access to most of the places of detention we asked about, but not to all of them.",
    "Interviews lasted between forty minutes and two hours and were held without guards present, with an "
    "interpreter chosen by the interviewee.",
    "Article 13 of the Third Geneva Convention requires that prisoners of war be protected at all times against "
    "insults and public curiosity.",
    "Publishing the faces or names of prisoners exposes their families at home to reprisals, a risk that is well "
    "documented.",
    "The detaining power informed {org} on {date} that {n} soldiers had been registered since the first captures "
    "near {ru_place}.",
    "Several men described a journey of more than two weeks by train and aircraft before they reached the front.",
    "Most of them said they had not been told which country they were going to fight in until they arrived.",
    "Medical care in the hospital wing was described as adequate; two men had undergone surgery for shrapnel wounds.",
    "Food rations were reported to be sufficient, although several men said they had lost weight during the first "
    "month.",
    "Letters to families are possible in principle, but none of the men we met had received a reply.",
    "{official}, who coordinates the legal aid programme, said the clinic would continue to request confidential "
    "access.",
    "The interviews were conducted in Korean and translated into English and Ukrainian by two interpreters.",
    "No interviewee was paid or promised any benefit for taking part, and each could stop at any time.",
    "We did not record names, unit numbers or places of origin in our notes unless the interviewee agreed.",
    "In {month_year}, the Ministry of Foreign Affairs stated that prisoners would be treated in accordance with "
    "international humanitarian law.",
    "A spokesperson for {org} declined to comment on individual cases, citing the confidentiality of its visits.",
    "Repatriation against a prisoner's will would breach the principle of non-refoulement, as {org} has noted.",
    "At least {n} men told us they did not wish to return, and some asked about resettlement in the Republic of Korea.",
    "The question of who decides, and on what information, is at the centre of this report.",
    "Images of captured soldiers circulated on social media within hours of their capture near {ru_place}.",
    "Some videos showed faces and identity documents, in breach of Article 13.",
    "The Coordination Headquarters confirmed on {date} that the videos had been removed from its channels.",
    "Journalists from several countries have asked for interviews; we advise against any interview that could "
    "identify a prisoner.",
    "The detaining power should allow prisoners to correspond with their families through {org}.",
    "Families in the North cannot be contacted directly without putting them at risk.",
    "Soldiers who surrender and soldiers captured in combat differ in the circumstances, not in their rights.",
    '{official} described the conditions in the camp near {ua_city} as "strict but orderly".',
    "Temperatures in the barracks fell below ten degrees in {month_year}, and blankets were distributed only after "
    "a complaint.",
    "Prisoners are allowed one hour of exercise a day and have access to a small library with books in Russian "
    "and Korean.",
    "Religious services are offered weekly; attendance is voluntary.",
    "The camp administration keeps a register, which {org} has been able to compare with its own records.",
    "All parties should refrain from publishing any information that could identify a prisoner of war or his "
    "relatives.",
    "Any decision on repatriation should be preceded by a confidential interview without officials of either army "
    "present.",
    "Observers from the UN Human Rights Monitoring Mission visited the site on {date}.",
    "Their report noted overcrowding in one of the dormitories, which the administration said would be resolved "
    "within a month.",
    "A South Korean volunteer interpreter, {nobody}, helped with three of the interviews.",
    "{nobody}, a pastor from Seoul who visits the camp each month, said the men are anxious about their families.",
    "The men are held separately from Russian prisoners, at their own request.",
    "Telephone calls are not permitted; the administration cited security concerns.",
    "On {date}, a group of {n} prisoners was moved from {ua_city} to a facility further west.",
    "None of the men we met had been visited by a lawyer before our visit.",
    "The ombudsman's office, where {official} leads the team on prisoners, has published a hotline for relatives "
    "abroad.",
    "Several interviewees asked us whether their names had been published, which we could not rule out.",
    "Our data protection policy requires that any text leaving the organisation is checked before it is sent.",
    "This report was reviewed by the organisation's protection officer before publication on {date}.",
    "Figures in this report are rounded to the nearest five to protect individuals in small groups.",
    "The men described their training in the Primorsky region in general terms.",
    "Some said they had been told they would be building roads, not fighting.",
    "{Org} has called for an independent investigation into the deaths of {n} prisoners in transit.",
)
EN_FIRST = (
    "{Rank} {N}, {age}, told our researchers in {ua_city} that {he} had been sent to the front in {month_year}.",
    "Among those we interviewed was {N}, a {rank} of the {unit}, who was captured near {ru_place} on {date}.",
    "{N} ({H}), {age}, comes from {origin}; {he} asked that {his} family not be told where {he} is held.",
    "The detaining power's list gives the name {N} for a prisoner held near {ua_city}.",
    "One of the wounded, {N}, was born on {dob} and had served for {years} years before the deployment.",
    "{N}, {age}, a {rank} from {origin}, said {he} had surrendered after {his} unit was shelled near {ru_place}.",
    "We met {N} ({H}) in the hospital wing in {month_year}.",
    "{N} was captured on {date} near {ru_place}; {his} documents give {his} date of birth as {dob}.",
    "In {month_year} we spoke with {N}, who serves in the {unit}.",
    "{N}, who gave {his} age as {age}, described the journey east in detail.",
)
EN_FOLLOW = {
    "given_alone": (
        "{G} said {he} had not been allowed to write home.",
        "According to {G}, the unit received no training before it was sent to {ru_place}.",
        '"We were told nothing," {G} said.',
        "{G} asked us twice whether {his} name would appear in any report.",
    ),
    "title_surname": (
        "{T} {S} asked to be transferred to a third country.",
        "{T} {S} declined to describe {his} unit.",
        "When we returned in {month_year}, {T} {S} had been moved to another wing.",
    ),
    "other_form": (
        "The camp register lists {him} as {N2}.",
        "A letter signed {N2} reached {org} in {month_year}.",
        "{His} name also appears as {N2} in a video published in {month_year}.",
    ),
    "dob": (
        "{His} date of birth, {dob}, matches the record held by {org}.",
        "The register gives {his} date of birth as {dob}.",
        "({He} was born on {dob}.)",
    ),
    "family": (
        "{His} {relation}, {F}, still lives in {origin_or_north}.",
        "{He} asked us to let {his} {relation}, {F}, know that {he} is alive.",
    ),
}
KO_SECTIONS = (
    "1. 요약",
    "2. 조사 방법",
    "3. 법적 틀",
    "4. 포획과 이송",
    "5. 수용 환경",
    "6. 개별 사례",
    "7. 가족",
    "8. 권고",
)
KO_FILLER = (
    "우리 조사팀은 {month_year} {ua_city} 인근 수용 시설에 있는 전쟁포로 {n}명을 면담했다.",
    "면담은 경비원이 없는 곳에서 면담자가 고른 통역사와 함께 한 시간 남짓 진행되었다.",
    "제3 제네바협약 제13조는 포로를 모욕과 대중의 호기심으로부터 늘 보호하도록 규정한다.",
    "포로의 얼굴이나 이름이 공개되면 북한에 있는 가족이 보복을 당할 위험이 크다.",
    "대부분은 전선에 도착할 때까지 어느 나라에서 싸우게 될지 듣지 못했다고 말했다.",
    "병원 동의 의료 서비스는 대체로 적절하다는 평가를 받았고, 두 명은 파편상 수술을 받았다.",
    "식사는 충분하다고 했지만 처음 한 달 동안 체중이 줄었다는 사람도 있었다.",
    "가족에게 편지를 보내는 것은 원칙적으로 가능하지만 답장을 받은 사람은 없었다.",
    "{org|은} 개별 사례에 대해서는 언급하지 않았다.",
    "본인의 의사에 반하는 송환은 강제송환 금지 원칙에 어긋난다.",
    "적어도 {n}명은 돌아가고 싶지 않다고 말했고, 일부는 한국 정착 절차에 대해 물었다.",
    "포로들의 영상이 사회관계망서비스에 퍼지면서 신원이 노출될 위험이 커졌다.",
    "{date} 포로 처우 조정본부는 해당 영상이 삭제되었다고 밝혔다.",
    "기자들의 인터뷰 요청이 이어지고 있지만, 우리는 신원을 드러낼 수 있는 인터뷰에 반대한다.",
    "북한에 있는 가족에게 직접 연락하는 것은 그들을 위험에 빠뜨릴 수 있다.",
    "{month_year}에는 막사 온도가 10도 아래로 떨어졌고, 항의가 있은 뒤에야 담요가 지급되었다.",
    "포로들은 하루 한 시간 운동할 수 있고, 러시아어와 한국어 책이 있는 작은 도서관을 이용할 수 있다.",
    "종교 행사는 매주 열리며 참석은 자유다.",
    "우리는 모든 당사자에게 포로나 그 가족의 신원을 드러낼 수 있는 정보를 공개하지 말 것을 권고한다.",
    "송환 결정에 앞서 어느 쪽 군 관계자도 없는 자리에서 비공개 면담을 해야 한다.",
    "자원봉사 통역사 {nobody} 씨가 세 차례 면담을 도왔다.",
    "매달 수용소를 찾는 {nobody} 목사는 이들이 가족 걱정을 많이 한다고 전했다.",
    "전화 통화는 보안상의 이유로 허용되지 않는다.",
    "{date} 포로 {n}명이 {ua_city}에서 서쪽의 다른 시설로 옮겨졌다.",
    "면담한 사람 가운데 변호사를 만난 사람은 아무도 없었다.",
    "여러 면담자가 자신의 이름이 공개되었는지 물었지만 우리는 그렇지 않다고 장담할 수 없었다.",
    "이 보고서는 공개에 앞서 기관의 보호 담당관이 검토했다.",
    "일부는 도로 건설에 투입된다는 말을 들었을 뿐 전투에 나간다는 말은 듣지 못했다고 했다.",
    "법률지원센터의 {official} 소장은 비공개 접견을 계속 요청하겠다고 말했다.",
    "{ru_place} 인근에서 붙잡힌 병사들의 사진이 몇 시간 만에 퍼졌다.",
)
KO_FIRST = (
    "{N} {Rank|은} {age}세로, {month_year} 전선에 투입되었다고 말했다.",
    "{origin} 출신인 {N}({age}) {Rank|은} {date} {ru_place} 인근에서 붙잡혔다.",
    "{unit} 소속 {N|은} 가족에게 자신의 소식이 전해지지 않기를 바란다고 말했다.",
    "억류국 명단에는 {N|이라는} 이름이 올라 있다.",
    "부상자 가운데 한 명인 {N|은} {dob}생으로, 입대한 지 {years}년이 되었다고 했다.",
    "우리는 {month_year} 병원 동에서 {N|을} 만났다.",
    "{N|은} {date} {ru_place} 인근에서 붙잡혔으며, 문서상 생년월일은 {dob}이다.",
)
KO_FOLLOW = {
    "given_alone": (
        "{G} 씨는 집에 편지를 쓸 수 없었다고 말했다.",
        "{G|은} 러시아에서 훈련을 거의 받지 못했다고 했다.",
        "“아무것도 듣지 못했습니다.” {G} 씨의 말이다.",
    ),
    "title_surname": (
        "{S} {Rank|은} 제3국으로 보내 달라고 요청했다.",
        "{S} {Rank|은} 부대에 대해 말하기를 꺼렸다.",
    ),
    "other_form": (
        "수용소 명부에는 그가 {N2|으로} 적혀 있다.",
        "{month_year} {org}에 {N2} 명의의 편지가 도착했다.",
    ),
    "dob": (
        "생년월일은 {dob}로 {org} 기록과 일치한다.",
        "명부에 적힌 생년월일은 {dob}이다.",
    ),
    "family": (
        "그의 {relation} {F|은} 아직 {origin_or_north}에 살고 있다.",
        "그는 {relation} {F}에게 자신이 살아 있다고 전해 달라고 부탁했다.",
    ),
}
_SLOT = re.compile(r"\{(\w+)(?:\|(\w+))?\}")
# Particles that change with the final consonant of the word before them: (after a consonant, after a vowel).
_PARTICLES = {
    "은": ("은", "는"),
    "이": ("이", "가"),
    "을": ("을", "를"),
    "과": ("과", "와"),
    "이라는": ("이라는", "라는"),
    "으로": ("으로", "로"),
}


def particle(word: str, name: str) -> str:
    from matching.hangul import decompose, is_syllable

    pair = _PARTICLES.get(name)
    if pair is None:
        return name
    last = word[-1:]
    has_final = is_syllable(last) and decompose(last).final != 0
    if name == "으로" and is_syllable(last) and decompose(last).final == 8:  # ㄹ takes 로
        has_final = False
    return pair[0] if has_final else pair[1]


def fill(template: str, slots: Mapping[str, Piece | Callable[[], Piece]]) -> list[Piece]:
    pieces: list[Piece] = []
    position = 0
    for match in _SLOT.finditer(template):
        pieces.append(template[position : match.start()])
        value = slots[match.group(1)]
        piece = value() if callable(value) else value
        pieces.append(piece)
        if match.group(2):
            pieces.append(particle(piece.text if isinstance(piece, Span) else piece, match.group(2)))
        position = match.end()
    pieces.append(template[position:])
    return [piece for piece in pieces if piece != ""]


def template_slots(template: str) -> set[str]:
    return {match.group(1) for match in _SLOT.finditer(template)}


class Writer:
    """Random values for the generic slots of one language."""

    def __init__(self, rng: random.Random, language: str, nobody: Sequence[tuple[str, str]]) -> None:
        self.rng = rng
        self.language = language
        self.nobody = nobody

    def date(self) -> str:
        year = self.rng.choice((2024, 2025))
        month = self.rng.randint(1, 12)
        day = self.rng.randint(1, 28)
        return f"{year}년 {month}월 {day}일" if self.language == "ko" else f"{day} {MONTHS[month - 1]} {year}"

    def month_year(self) -> str:
        year = self.rng.choice((2024, 2025))
        month = self.rng.randint(1, 12)
        return f"{year}년 {month}월" if self.language == "ko" else f"{MONTHS[month - 1]} {year}"

    def slots(self) -> dict[str, Piece | Callable[[], Piece]]:
        ko = self.language == "ko"
        rng = self.rng

        def official() -> Piece:
            return Span(rng.choice(WESTERN_NAMES_KO if ko else WESTERN_NAMES), None, "western_unregistered")

        def nobody() -> Piece:
            romanised, hangul = rng.choice(self.nobody)
            if ko:
                return Span(hangul, None, "korean_unregistered")
            return Span(romanised, None, "korean_unregistered")

        def org() -> str:
            return rng.choice(ORGS_KO if ko else ORGS)

        return {
            "n": lambda: str(rng.choice((5, 10, 15, 20, 25, 30, 40, 60, 85, 120, 200))),
            "ua_city": lambda: rng.choice(UA_CITIES_KO if ko else UA_CITIES),
            "ru_place": lambda: rng.choice(RU_PLACES_KO if ko else RU_PLACES),
            "date": self.date,
            "month_year": self.month_year,
            "month_year2": self.month_year,
            "org": org,
            "Org": lambda: (lambda text: text[:1].upper() + text[1:])(org()),
            "official": official,
            "nobody": nobody,
            "years": lambda: str(rng.randint(2, 9)),
        }

    def sentence(
        self,
        templates: Sequence[str],
        extra: Mapping[str, Piece | Callable[[], Piece]],
        used: set[str] | None = None,
    ) -> list[Piece]:
        """One of the templates whose slots can be filled, not one of `used` if another is left."""
        slots = {**self.slots(), **extra}
        usable = [t for t in templates if template_slots(t) <= set(slots)]
        fresh = [t for t in usable if used is None or t not in used]
        template = self.rng.choice(fresh or usable)
        if used is not None:
            used.add(template)
        return fill(template, slots)


def date_of_birth_text(date: tuple[int, int, int], language: str, rng: random.Random) -> str:
    year, month, day = date
    if language == "ko":
        return rng.choice((f"{year}년 {month}월 {day}일", f"{year}.{month}.{day}", f"{year}-{month:02d}-{day:02d}"))
    return rng.choice(
        (
            f"{day} {MONTHS[month - 1]} {year}",
            f"{MONTHS[month - 1]} {day}, {year}",
            f"{day:02d}.{month:02d}.{year}",
            f"{year}-{month:02d}-{day:02d}",
            f"{day:02d}/{month:02d}/{year}",
        )
    )


def name_form(planted: Planted, form: str) -> str:
    surname, given = planted.surname, planted.given
    if form == "western":
        return f"{given} {surname}"
    if form == "caps":
        return f"{surname.upper()} {given}"
    if form == "comma_spaced":
        return f"{surname.upper()}, {planted.given_spaced}"
    if form == "spaced":
        return f"{surname} {planted.given_spaced}"
    if form == "hangul":
        return planted.hangul
    if form == "hangul_north":
        return planted.north_surname + planted.person.given_hangul
    if form == "hangul_spaced":
        return f"{planted.person.family_hangul} {planted.person.given_hangul}"
    return f"{surname} {given}"  # roman_other


EN_FIRST_FORMS = {
    "roman_other": 30,
    "western": 15,
    "caps": 15,
    "comma_spaced": 10,
    "spaced": 10,
    "hangul": 10,
    "hangul_north": 5,
}
KO_FIRST_FORMS = {"hangul": 60, "hangul_north": 25, "hangul_spaced": 15}


def person_slots(planted: Planted, language: str, rng: random.Random) -> dict[str, Piece | Callable[[], Piece]]:
    person = planted.person
    ko = language == "ko"
    slots: dict[str, Piece | Callable[[], Piece]] = {}
    female = person.sex == "female"
    if not ko:
        slots.update(
            he="she" if female else "he",
            He="She" if female else "He",
            his="her" if female else "his",
            His="Her" if female else "His",
            him="her" if female else "him",
        )
    if planted.age:
        slots["age"] = planted.age
    if person.rank:
        slots["rank"] = RANKS_KO[person.rank] if ko else person.rank.lower()
        slots["Rank"] = RANKS_KO[person.rank] if ko else person.rank.capitalize()
    if person.unit:
        number = person.unit.split("th ")[0]
        slots["unit"] = f"제{number}보병여단" if ko else person.unit
    if person.place_of_origin:
        slots["origin"] = PLACES_KO[person.place_of_origin] if ko else person.place_of_origin
    slots["origin_or_north"] = slots.get("origin", "북한" if ko else "the North")
    if planted.full_date is not None:
        date = planted.full_date
        slots["dob"] = lambda: Span(date_of_birth_text(date, language, rng), planted.number, "dob")
    slots["H"] = Span(planted.hangul, planted.number, "hangul")
    if len(person.given_hangul) >= 2:
        slots["G"] = Span(person.given_hangul if ko else planted.given, planted.number, "given_alone")
    slots["S"] = Span(person.family_hangul if ko else planted.surname, planted.number, "title_surname")
    slots["T"] = person.rank.capitalize() if person.rank else ("Ms" if female else "Mr")
    return slots


def person_paragraph(planted: Planted, writer: Writer) -> list[Piece]:
    rng = writer.rng
    ko = writer.language == "ko"
    slots = person_slots(planted, writer.language, rng)
    forms = KO_FIRST_FORMS if ko else EN_FIRST_FORMS
    usable_forms = [f for f in forms if not (f in ("spaced", "comma_spaced") and len(planted.person.given_hangul) < 2)]
    first = rng.choices(usable_forms, [forms[f] for f in usable_forms])[0]
    slots["N"] = Span(name_form(planted, first), planted.number, first)
    first_slots = {k: v for k, v in slots.items() if not (k == "H" and first.startswith("hangul"))}
    pieces = writer.sentence(KO_FIRST if ko else EN_FIRST, first_slots)
    if ko and "Rank" not in slots:
        slots["Rank"] = "씨"
    follow_ups = KO_FOLLOW if ko else EN_FOLLOW
    kinds = ["given_alone", "title_surname", "other_form", "dob", "family"]
    weights = [35, 20, 25, 10, 10]
    count = rng.choices((0, 1, 2, 3), (10, 40, 35, 15))[0]
    used: set[str] = set()
    for _ in range(count):
        kind = rng.choices(kinds, weights)[0]
        extra = dict(slots)
        if kind == "other_form":
            other = rng.choice([f for f in forms if f != first and f in usable_forms])
            extra["N2"] = Span(name_form(planted, other), planted.number, other)
        elif kind == "family":
            if not planted.family:
                continue
            relative = rng.choice(planted.family)
            if ko or rng.random() < 0.3:
                written = relative.family_hangul + relative.given_hangul
            else:
                surname_part, given_part = spell(relative.family_hangul, relative.given_hangul, planted.system, rng)
                written = f"{surname_part} {given_part}"
            extra["F"] = Span(written, planted.number, "family")
            extra["relation"] = (RELATIONS_KO if ko else RELATIONS_EN)[relative.relation]
        templates = [
            t for t in follow_ups[kind] if template_slots(t) <= set(extra) | set(writer.slots()) and t not in used
        ]
        if not templates:
            continue
        pieces.append(" ")
        pieces += writer.sentence(templates, extra, used)
    return pieces


def _words(pieces: Iterable[Piece]) -> int:
    return len("".join(p.text if isinstance(p, Span) else p for p in pieces).split())


def write_text(
    language: str, planted: Sequence[Planted], nobody: Sequence[tuple[str, str]], words: int, seed: int
) -> PlantedText:
    rng = random.Random(seed * 1_009 + (2 if language == "ko" else 1))  # noqa: S311
    writer = Writer(rng, language, nobody)
    sections = KO_SECTIONS if language == "ko" else EN_SECTIONS
    fillers = KO_FILLER if language == "ko" else EN_FILLER
    # The person paragraphs go to the middle sections; filler paragraphs go everywhere until the
    # text reaches its length.
    body: list[list[list[Piece]]] = [[] for _ in sections]
    middle = list(range(3, len(sections) - 1))
    for index, person in enumerate(planted):
        body[middle[index % len(middle)]].append(person_paragraph(person, writer))

    def filler_paragraph() -> list[Piece]:
        pieces: list[Piece] = []
        used: set[str] = set()
        for _ in range(rng.randint(3, 6)):
            if pieces:
                pieces.append(" ")
            pieces += writer.sentence(fillers, {}, used)
        return pieces

    total = sum(_words(paragraph) for section in body for paragraph in section)
    while total < words:
        section = rng.randrange(len(sections))
        paragraph = filler_paragraph()
        position = rng.randint(0, len(body[section]))
        body[section].insert(position, paragraph)
        total += _words(paragraph)

    title = (
        "전쟁포로 면담 보고서 — 비공개 초안"
        if language == "ko"
        else "Prisoners of war from the Korean People's Army held in Ukraine: access, conditions and the right "
        "to choose. Draft for publication."
    )
    annex: list[Piece] = (
        ["연락처: ", PHONES[0], ", ", PHONES[2], ". 이메일: press@clinic.example.org"]
        if language == "ko"
        else [
            "Annex: contacts. Press office ",
            PHONES[0],
            "; Kyiv office ",
            PHONES[1],
            "; mobile ",
            PHONES[2],
            "; Geneva ",
            PHONES[3],
            ". E-mail: press@clinic.example.org",
        ]
    )
    pieces: list[Piece] = [title, "\n\n"]
    for heading, paragraphs in zip(sections, body, strict=True):
        pieces += [heading, "\n\n"]
        for paragraph in paragraphs:
            pieces += [*paragraph, "\n\n"]
    pieces += annex
    text_parts: list[str] = []
    mentions: list[Mention] = []
    offset = 0
    for piece in pieces:
        value = piece.text if isinstance(piece, Span) else piece
        if isinstance(piece, Span):
            mentions.append(Mention(offset, offset + len(value), piece.person_id, piece.form))
        text_parts.append(value)
        offset += len(value)
    return PlantedText(language, "".join(text_parts), mentions, [p.number for p in planted])


# --------------------------------------------------------------------------------------------
# Measuring the check
# --------------------------------------------------------------------------------------------


@dataclass
class Check:
    seconds: float
    cpu_seconds: float
    unwraps: int
    report: Any  # consent.disclosure.types.DisclosureReport
    audit_entries: int = 0


class CountingRegistry:
    """`VaultRegistry` with what each call asked and got, for one untimed diagnostic check."""

    def __init__(self) -> None:
        from consent.disclosure_lookup import VaultRegistry

        self.inner = VaultRegistry()
        self.calls: list[tuple[str, int, int, float]] = []  # (call, forms asked, records answered, ms)

    def _call(self, name: str, asked: int, work: Callable[[], Sequence[Any]]) -> Sequence[Any]:
        started = time.perf_counter()
        answer = work()
        self.calls.append((name, asked, len(answer), (time.perf_counter() - started) * 1000))
        return answer

    def name_candidates(self, keys: Collection[str], compacts: Collection[str]) -> Sequence[Any]:
        return self._call(
            "name_candidates", len(keys) + len(compacts), lambda: self.inner.name_candidates(keys, compacts)
        )

    def date_of_birth_candidates(self, dates: Collection[str]) -> Sequence[tuple[int, str]]:
        return cast(
            Sequence[tuple[int, str]],
            self._call("date_of_birth_candidates", len(dates), lambda: self.inner.date_of_birth_candidates(dates)),
        )

    def details(self, person_ids: Collection[int]) -> Sequence[Any]:
        return self._call("details", len(person_ids), lambda: self.inner.details(person_ids))


def audit_count() -> int:
    from audit.models import AuditEvent

    return AuditEvent.objects.count()


def run_check(path: str, text: str) -> Check:
    from consent.services.disclosure import analyse_registry, disclosure_check
    from vault import runtime

    unwraps = runtime.Counters.unwraps
    if path == "analyse_registry":
        cpu_started, started = time.process_time(), time.perf_counter()
        report = analyse_registry(text)
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu_started
        return Check(seconds, cpu, runtime.Counters.unwraps - unwraps, report)
    before = audit_count()
    cpu_started, started = time.process_time(), time.perf_counter()
    check = disclosure_check(actor=None, text=text)
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    return Check(seconds, cpu, runtime.Counters.unwraps - unwraps, check.report, audit_count() - before)


@dataclass
class Recall:
    persons_found: list[int] = field(default_factory=list)
    persons_missed: list[int] = field(default_factory=list)
    by_form: dict[str, tuple[int, int]] = field(default_factory=dict)  # form -> (found, planted)
    missed_mentions: list[Mention] = field(default_factory=list)
    unregistered_flagged: list[Mention] = field(default_factory=list)


def engine_recall(planted: PlantedText, findings: Sequence[Any]) -> Recall:
    from consent.disclosure.types import Severity

    shown = [f for f in findings if f.severity is not Severity.ADVISORY]
    named = {pid for f in shown for pid in f.person_ids}
    recall = Recall(
        persons_found=[p for p in planted.persons if p in named],
        persons_missed=[p for p in planted.persons if p not in named],
    )
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for mention in planted.mentions:
        overlapping = [f for f in shown if f.start < mention.end and mention.start < f.end]
        if mention.person_id is None:
            if any(f.kind.value in ("name", "family_name") for f in overlapping):
                recall.unregistered_flagged.append(mention)
            continue
        counts[mention.form][1] += 1
        if any(mention.person_id in f.person_ids for f in overlapping):
            counts[mention.form][0] += 1
        else:
            recall.missed_mentions.append(mention)
    recall.by_form = {form: (found, total) for form, (found, total) in sorted(counts.items())}
    return recall


def print_recall(label: str, planted: PlantedText, recall: Recall, *, show_misses: bool = True) -> None:
    persons = len(planted.persons)
    mentions = sum(total for _, total in recall.by_form.values())
    found = sum(f for f, _ in recall.by_form.values())
    say(
        f"  {label}: planted persons found {len(recall.persons_found)}/{persons}"
        f" = {len(recall.persons_found) / max(persons, 1):.3f}; planted mentions found {found}/{mentions}"
        f" = {found / max(mentions, 1):.3f}"
    )
    say("    by form: " + ", ".join(f"{form} {f}/{t}" for form, (f, t) in recall.by_form.items()))
    if recall.unregistered_flagged or label.startswith("engine"):
        unregistered = sum(1 for m in planted.mentions if m.person_id is None)
        say(
            f"    unregistered names (Western and Korean) reported as a registered person's name:"
            f" {len(recall.unregistered_flagged)}/{unregistered}"
        )
    if not show_misses:
        return
    if recall.persons_missed:
        say(f"    persons missed: {', '.join(f'#{p}' for p in recall.persons_missed)}")
    for mention in recall.missed_mentions:
        context = planted.text[max(0, mention.start - 40) : mention.end + 30].replace("\n", " ")
        span = planted.text[mention.start : mention.end]
        say(f"    missed #{mention.person_id} {mention.form}: {span!r} in …{context}…")
    for mention in recall.unregistered_flagged:
        say(f"    unregistered flagged ({mention.form}): {planted.text[mention.start : mention.end]!r}")


def diagnose(text: PlantedText) -> dict[str, Any]:
    """One more check through a counting registry (what analyse_registry does, with counters)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from consent.disclosure.engine import analyse
    from vault import runtime

    registry = CountingRegistry()
    with runtime.key_scope(), CaptureQueriesContext(connection) as queries:
        report = analyse(text.text, registry)
    return {
        "calls": registry.calls,
        "persons_decrypted": registry.inner.persons_decrypted,
        "queries": len(queries.captured_queries),
        "persons_checked": report.persons_checked,
    }


def summary(checks: Sequence[Check]) -> dict[str, float]:
    times = sorted(c.seconds * 1000 for c in checks)
    cpu = sorted(c.cpu_seconds * 1000 for c in checks)
    return {
        "p50": percentile(times, 0.5),
        "p95": percentile(times, 0.95),
        "max": times[-1],
        "mean": statistics.fmean(times),
        "cpu_p50": percentile(cpu, 0.5),
        "cpu_p95": percentile(cpu, 0.95),
        "unwraps": statistics.median(c.unwraps for c in checks),
        "checked": statistics.median(c.report.persons_checked for c in checks),
        "findings": statistics.median(len(c.report.findings) for c in checks),
        "blocking": statistics.median(len(c.report.blocking) for c in checks),
        "audit": statistics.median(c.audit_entries for c in checks),
    }


def findings_profile(report: Any) -> str:
    from consent.disclosure.types import Severity

    kinds = Counter(f.kind.value for f in report.findings if f.severity is not Severity.ADVISORY)
    advisory = sum(1 for f in report.findings if f.severity is Severity.ADVISORY)
    return ", ".join(f"{kind} {count}" for kind, count in kinds.most_common()) + f"; advisory {advisory}"


def measure(args: argparse.Namespace, texts: Sequence[PlantedText]) -> dict[str, Any]:
    from django.db import connections

    connections.close_all()  # the cold check opens its own connection, as a fresh process would
    results: dict[str, Any] = {}
    cold = run_check("analyse_registry", texts[0].text)
    say()
    say(
        f"Cold first check (a) of the {texts[0].language} text, in a process that had not yet imported spaCy or "
        f"Presidio nor opened the database: {cold.seconds * 1000:.0f} ms wall, {cold.cpu_seconds * 1000:.0f} ms CPU; "
        f"engine stages {format_timings(cold.report.timings_ms)}"
    )
    results["cold"] = cold
    for text in texts:  # one unmeasured check of every text and path
        for path in ("analyse_registry", "disclosure_check"):
            if not (text is texts[0] and path == "analyse_registry"):
                run_check(path, text.text)
    checks: dict[tuple[str, str], list[Check]] = defaultdict(list)
    profiler: Any = None
    if args.profile:
        import cProfile

        profiler = cProfile.Profile()
    load_before = os.getloadavg()[0]
    started = time.monotonic()
    for _ in range(args.runs):
        for text in texts:
            for path in ("analyse_registry", "disclosure_check"):
                profiling = profiler is not None and text is texts[0] and path == "analyse_registry"
                if profiling:
                    profiler.enable()
                checks[(text.language, path)].append(run_check(path, text.text))
                if profiling:
                    profiler.disable()
    say(
        f"Measured {args.runs} rounds in {time.monotonic() - started:.0f} s; load average {load_before:.2f} before, "
        f"{os.getloadavg()[0]:.2f} after."
    )
    results["checks"] = checks
    results["diagnostics"] = {text.language: diagnose(text) for text in texts}
    results["profiler"] = profiler
    return results


def format_timings(timings: Mapping[str, float]) -> str:
    return ", ".join(f"{name} {value:.0f}" for name, value in timings.items()) + " (ms)"


def report_engine(args: argparse.Namespace, texts: Sequence[PlantedText], results: dict[str, Any]) -> dict[str, Any]:
    checks: dict[tuple[str, str], list[Check]] = results["checks"]
    verdicts: dict[str, Any] = {}
    for text in texts:
        say()
        say(
            f"{text.language} text: {text.words} words, {len(text.text)} characters, "
            f"{len(text.persons)} planted persons, {sum(1 for m in text.mentions if m.person_id is not None)} "
            f"planted mentions, {sum(1 for m in text.mentions if m.person_id is None)} unregistered names"
        )
        say(
            f"  {args.runs} warm runs over {args.persons} persons ({args.database}), ms:"
            "  p50     p95     max    mean  CPU p50  unwraps  checked  findings  blocking  audit"
        )
        for path, label in (("analyse_registry", "(a) analyse_registry"), ("disclosure_check", "(b) disclosure_check")):
            s = summary(checks[(text.language, path)])
            say(
                f"  {label:<36} {s['p50']:7.0f} {s['p95']:7.0f} {s['max']:7.0f} {s['mean']:7.0f} {s['cpu_p50']:8.0f}"
                f" {s['unwraps']:8.0f} {s['checked']:8.0f} {s['findings']:9.0f} {s['blocking']:9.0f} {s['audit']:6.0f}"
            )
            verdicts[f"{text.language}:{path}"] = s
        stages: dict[str, list[float]] = defaultdict(list)
        for check in checks[(text.language, "analyse_registry")]:
            for name, value in check.report.timings_ms.items():
                stages[name].append(value)
        say(
            "  engine's own timings (report.timings_ms), median over the (a) runs: "
            + ", ".join(f"{name} {statistics.median(values):.0f}" for name, values in stages.items())
            + " ms"
        )
        diagnostics = results["diagnostics"][text.language]
        calls = "; ".join(
            f"{name}: {asked} asked → {answered} records in {ms:.0f} ms"
            for name, asked, answered, ms in diagnostics["calls"]
        )
        say(f"  registry calls of one check: {calls}")
        say(
            f"  rows decrypted (VaultRegistry.persons_decrypted) {diagnostics['persons_decrypted']}, persons checked "
            f"{diagnostics['persons_checked']}, SQL queries {diagnostics['queries']}"
        )
        last = checks[(text.language, "analyse_registry")][-1].report
        say(f"  findings by kind (non-advisory): {findings_profile(last)}")
        recall = engine_recall(text, last.findings)
        print_recall("engine recall", text, recall)
        verdicts[f"{text.language}:recall"] = recall
    return verdicts


# --------------------------------------------------------------------------------------------
# The peer: Presidio with a plain deny-list of every registered person's written names
# --------------------------------------------------------------------------------------------


def rss_mib() -> float:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def registered_names(person_ids: Sequence[int]) -> dict[int, tuple[str, ...]]:
    """Every written name of these persons (romanised, Hangul, aliases), decrypted through the vault."""
    from registry.models import Alias, Person
    from registry.search_terms import PersonNames
    from vault import runtime

    names: dict[int, tuple[str, ...]] = {}
    for start in range(0, len(person_ids), loader.CHUNK):
        chunk = person_ids[start : start + loader.CHUNK]
        with runtime.key_scope():
            aliases: dict[int, list[str]] = defaultdict(list)
            for alias in Alias.objects.filter(person_id__in=chunk).select_related("person__data_key").order_by("pk"):
                aliases[alias.person_id].append(alias.name)
            persons = Person.objects.filter(pk__in=chunk, erased_at__isnull=True).select_related("data_key")
            for person in persons.only(
                "pk", "data_key", "family_name", "given_name", "family_name_hangul", "given_name_hangul"
            ):
                written = PersonNames(
                    family_name=person.family_name,
                    given_name=person.given_name,
                    family_name_hangul=person.family_name_hangul,
                    given_name_hangul=person.given_name_hangul,
                    aliases=tuple(aliases.get(person.pk, ())),
                    date_of_birth="",
                ).written_names()
                names[person.pk] = tuple(written)
    return names


class _TimeoutCounter(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.timeouts = 0

    def emit(self, record: logging.LogRecord) -> None:
        if "timed out" in record.getMessage():
            self.timeouts += 1


def peer_analyzer(deny_list: list[str]) -> Any:
    """An AnalyzerEngine with one recogniser, the deny-list, over a blank English spaCy pipeline
    (no model is loaded or downloaded)."""
    import spacy
    from presidio_analyzer import AnalyzerEngine, PatternRecognizer, RecognizerRegistry
    from presidio_analyzer.nlp_engine import SpacyNlpEngine

    class BlankSpacyNlpEngine(SpacyNlpEngine):
        def __init__(self) -> None:
            super().__init__(models=[{"lang_code": "en", "model_name": "blank"}])
            self.nlp = {"en": spacy.blank("en")}  # type: ignore[assignment]

        def load(self) -> None:
            """The pipeline is set in the constructor (spacy.load would download a model)."""

    registry = RecognizerRegistry(supported_languages=["en"])
    registry.add_recognizer(
        PatternRecognizer(supported_entity="REGISTERED_PERSON", name="registered_persons", deny_list=deny_list)
    )
    return AnalyzerEngine(registry=registry, nlp_engine=BlankSpacyNlpEngine(), supported_languages=["en"])


def peer_recall(text: PlantedText, results: Sequence[Any], owners: Mapping[str, set[int]]) -> Recall:
    spans = [(r.start, r.end, owners.get(text.text[r.start : r.end].casefold(), set())) for r in results]
    named = {pid for _, _, persons in spans for pid in persons}
    recall = Recall(
        persons_found=[p for p in text.persons if p in named],
        persons_missed=[p for p in text.persons if p not in named],
    )
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for mention in text.mentions:
        if mention.person_id is None:
            if any(s < mention.end and mention.start < e for s, e, _ in spans):
                recall.unregistered_flagged.append(mention)
            continue
        counts[mention.form][1] += 1
        if any(s < mention.end and mention.start < e and mention.person_id in persons for s, e, persons in spans):
            counts[mention.form][0] += 1
        else:
            recall.missed_mentions.append(mention)
    recall.by_form = {form: (found, total) for form, (found, total) in sorted(counts.items())}
    return recall


def run_peer(args: argparse.Namespace, texts: Sequence[PlantedText]) -> list[dict[str, Any]]:
    from registry.models import Person

    all_ids = list(Person.objects.order_by("pk").values_list("pk", flat=True))
    planted = sorted({p for text in texts for p in text.persons})
    sizes = []
    for size in args.peer_sizes.split(","):
        size = size.strip()
        if size == "none" or not size:
            continue
        sizes.append(len(all_ids) if size == "all" else min(int(size), len(all_ids)))
    sizes = sorted(set(sizes))
    if not sizes:
        return []
    say()
    say(f"Peer: Presidio PatternRecognizer(deny_list=written names), at {', '.join(map(str, sizes))} persons")
    started = time.perf_counter()
    names = registered_names(all_ids if sizes[-1] == len(all_ids) else sorted({*planted, *all_ids[: sizes[-1]]}))
    say(f"  decrypted the written names of {len(names)} persons in {time.perf_counter() - started:.1f} s")
    counter = _TimeoutCounter()
    logging.getLogger("presidio-analyzer").addHandler(counter)
    outcomes: list[dict[str, Any]] = []
    for size in sizes:
        others = [pid for pid in all_ids if pid not in set(planted)][: max(0, size - len(planted))]
        chosen = sorted({*planted, *others})[:size] if size < len(all_ids) else all_ids
        owners: dict[str, set[int]] = defaultdict(set)
        for pid in chosen:
            for name in names.get(pid, ()):
                owners[name.casefold()].add(pid)
        deny_list = sorted({name for pid in chosen for name in names.get(pid, ())})
        rss_before = rss_mib()
        started = time.perf_counter()
        analyzer = peer_analyzer(deny_list)
        build_s = time.perf_counter() - started
        outcome: dict[str, Any] = {
            "persons": len(chosen),
            "names": len(deny_list),
            "build_s": build_s,
            "texts": {},
        }
        for text in texts:
            timings: list[float] = []
            first_s = 0.0
            results: list[Any] = []
            timeouts = counter.timeouts
            for run in range(args.peer_runs + 1):
                started = time.perf_counter()
                results = analyzer.analyze(text.text, language="en", entities=["REGISTERED_PERSON"])
                elapsed = time.perf_counter() - started
                if run == 0:
                    first_s = elapsed  # includes compiling the regular expression on first use
                else:
                    timings.append(elapsed * 1000)
            outcome["texts"][text.language] = {
                "first_s": first_s,
                "times": sorted(timings),
                "results": len(results),
                "timeouts": counter.timeouts - timeouts,
                "recall": peer_recall(text, results, owners),
            }
        outcome["rss_mib"] = rss_mib() - rss_before
        say(
            f"  {len(chosen)} persons: deny-list of {len(deny_list)} distinct written names, built in {build_s:.1f} s, "
            f"memory +{outcome['rss_mib']:.0f} MiB"
        )
        for text in texts:
            row = outcome["texts"][text.language]
            times = row["times"]
            say(
                f"    {text.language} text: first analysis {row['first_s']:.1f} s (compiles the pattern), then "
                f"{len(times)} runs p50 {percentile(times, 0.5):.0f} ms, max {times[-1]:.0f} ms; "
                f"{row['results']} matches; regex timeouts {row['timeouts']}"
            )
            print_recall("peer recall", text, row["recall"], show_misses=False)
        outcomes.append(outcome)
        del analyzer
    logging.getLogger("presidio-analyzer").removeHandler(counter)
    return outcomes


# --------------------------------------------------------------------------------------------
# Driver
# --------------------------------------------------------------------------------------------


def verdict(args: argparse.Namespace, texts: Sequence[PlantedText], verdicts: dict[str, Any], peers: list[Any]) -> None:
    say()
    say("Side by side (warm, ms; recall = planted persons found):")
    say(
        "  check                                              text  p50     p95     max   persons found  mentions found"
    )
    for text in texts:
        recall: Recall = verdicts[f"{text.language}:recall"]
        mentions = sum(t for _, t in recall.by_form.values())
        found = sum(f for f, _ in recall.by_form.values())
        for path in ("analyse_registry", "disclosure_check"):
            s = verdicts[f"{text.language}:{path}"]
            label = f"{'(a)' if path == 'analyse_registry' else '(b)'} {path} over {args.persons} persons"
            say(
                f"  {label:<50} {text.language:<4} {s['p50']:7.0f} {s['p95']:7.0f} {s['max']:7.0f}"
                f"   {len(recall.persons_found):>4}/{len(text.persons):<8} {found:>4}/{mentions}"
            )
        for peer in peers:
            row = peer["texts"][text.language]
            times = row["times"]
            peer_found = sum(f for f, _ in row["recall"].by_form.values())
            label = f"peer: Presidio deny-list, {peer['persons']} persons"
            say(
                f"  {label:<50} {text.language:<4} {percentile(times, 0.5):7.0f} {percentile(times, 0.95):7.0f}"
                f" {times[-1]:7.0f}   {len(row['recall'].persons_found):>4}/{len(text.persons):<8}"
                f" {peer_found:>4}/{mentions}"
            )
    say()
    for text in texts:
        s = verdicts[f"{text.language}:analyse_registry"]
        recall = verdicts[f"{text.language}:recall"]
        result = "PASS" if s["p95"] < TARGET_MS else "MISS"
        label = "VERDICT" if text is texts[0] else "also"
        say(
            f"{label}: {result} - {text.language} text of {text.words} words, (a) analyse_registry p95 "
            f"{s['p95']:.0f} ms "
            f"(target < {TARGET_MS:.0f} ms) over {args.persons} persons ({args.database}); planted persons found "
            f"{len(recall.persons_found)}/{len(text.persons)}."
        )


def dump_texts(directory: Path, texts: Sequence[PlantedText]) -> None:
    """The texts in the labelled format of tests/data/disclosure (planted registered mentions only)."""
    directory.mkdir(parents=True, exist_ok=True)
    kinds = {"dob": "date_of_birth", "family": "family_name"}
    for text in texts:
        labels = [
            {"start": m.start, "end": m.end, "kind": kinds.get(m.form, "name"), "person": m.person_id}
            for m in text.mentions
            if m.person_id is not None
        ]
        row: dict[str, Any] = {"id": f"bench-{text.language}", "language": text.language, "text": text.text}
        row.update(linked=[], labels=labels)
        path = directory / f"bench_disclosure_{text.language}.jsonl"
        path.write_text(json.dumps(row, ensure_ascii=False) + "\n", encoding="utf-8")
        say(f"Wrote {path}")


def print_profile(profiler: Any) -> None:
    import io
    import pstats

    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    stats.sort_stats("tottime").print_stats(30)
    stats.sort_stats("cumulative").print_stats(40)
    say(out.getvalue())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0] if __doc__ else None)
    parser.add_argument("--persons", type=int, default=100_000, help="persons to load (100000)")
    parser.add_argument("--words", type=int, default=5000, help="length of each text in words (5000)")
    parser.add_argument("--planted", type=int, help="registered persons mentioned in a text (default words/125)")
    parser.add_argument("--runs", type=int, default=10, help="measured rounds (10)")
    parser.add_argument("--family-share", type=float, default=0.3, help="share of persons with relatives (0.3)")
    parser.add_argument("--no-korean", action="store_true", help="leave out the Korean-language text")
    parser.add_argument("--peer-sizes", default="10000,all", help="registry sizes for the peer (10000,all; none)")
    parser.add_argument("--peer-runs", type=int, default=3, help="measured analyses of each text by the peer (3)")
    parser.add_argument("--database", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--postgres-url", default=loader.DEFAULT_POSTGRES_URL, help="server for --database postgres")
    parser.add_argument("--seed", type=int, default=7, help="seed of the registry and the texts (7)")
    parser.add_argument("--workers", type=int, default=2, help="processes that encrypt while loading (2)")
    parser.add_argument(
        "--home", type=Path, help=f"PASSAGE_HOME to build (default {DEFAULT_HOME.relative_to(REPO_ROOT)})"
    )
    parser.add_argument("--keep", action="store_true", help="keep the home and database, and reuse them next time")
    parser.add_argument("--profile", action="store_true", help="print cProfile's top functions of the warm checks (a)")
    parser.add_argument("--dump", type=Path, help="write the texts and planted mentions to DIR (JSON Lines)")
    args = parser.parse_args(argv)
    if args.persons < 4 or args.words < 100 or args.runs < 1 or args.workers < 1 or args.peer_runs < 1:
        parser.error("--persons must be at least 4, --words at least 100, --runs, --peer-runs and --workers positive")
    if not 0 <= args.family_share <= 1:
        parser.error("--family-share is a share between 0 and 1")
    planted_count = args.planted if args.planted is not None else max(3, args.words // 125)

    home = (args.home or DEFAULT_HOME).resolve()
    dataset = {
        "persons": args.persons,
        "seed": args.seed,
        "database": args.database,
        "code": loader.index_code_digest(),
        "family_share": args.family_share,
        "loader": LOADER_VERSION,
    }
    marker = home / "bench-dataset.json"
    fresh = not (marker.exists() and json.loads(marker.read_text(encoding="utf-8")) == dataset)
    if fresh and home.exists():
        if any(home.iterdir()) and not marker.exists():
            parser.error(f"{home} is not empty and holds no benchmark registry: choose another --home")
        shutil.rmtree(home)
    home.mkdir(parents=True, exist_ok=True)
    say(
        f"Disclosure check benchmark: {args.persons} persons, {args.words}-word texts, {args.runs} runs, "
        f"{args.database}, in {home}"
    )
    now = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    say(f"Python {sys.version.split()[0]}, {os.cpu_count()} CPUs, seed {args.seed}, {now}")
    digests = {
        name: hashlib.sha256((REPO_ROOT / name).read_bytes()).hexdigest()[:12]
        for name in ("consent/disclosure/engine.py", "consent/disclosure/names.py", "consent/disclosure/persons.py")
    }
    say("Code digests: " + ", ".join(f"{name} {digest}" for name, digest in digests.items()))
    try:
        with (
            loader.postgres_database(args.postgres_url, args.keep, fresh, POSTGRES_DATABASE)
            if args.database == "postgres"
            else loader._no_database() as database_url
        ):
            loader.setup_django(home, database_url, args.persons)
            from django.core.management import call_command

            from vault import runtime

            say(f"Blind indexes: {runtime.index_bits()} bits (PASSAGE_VAULT_EXPECTED_POPULATION={args.persons})")
            if fresh:
                call_command("init", verbosity=0)
                say(f"Loading {args.persons} persons with {args.workers} processes (candidate_search's loader).")
                loaded = loader.load(args.persons, args.seed, args.workers)
                say(
                    f"Loaded {args.persons} persons in {loaded['seconds']:.0f} s, lookup index rebuilt in "
                    f"{loaded['index_seconds']:.0f} s, {loaded['index_rows']:.0f} blind-index rows "
                    f"({loaded['index_rows'] / args.persons:.1f} per person)."
                )
                started = time.monotonic()
                load_cases(args.persons, args.seed)
                say(f"Cases: {args.persons} in {time.monotonic() - started:.0f} s.")
                family = load_family(args.persons, args.seed, args.family_share, args.workers)
                say(
                    f"Family members: {family['members']:.0f} of {args.family_share:.0%} of persons in "
                    f"{family['seconds']:.0f} s, lookup index rebuilt in {family['index_seconds']:.0f} s, "
                    f"{family['index_rows']:.0f} blind-index rows under tracing_familymember."
                )
                started = time.monotonic()
                loader.analyse()
                say(f"ANALYZE: {time.monotonic() - started:.0f} s.")
                marker.write_text(json.dumps(dataset) + "\n", encoding="utf-8")
            else:
                say("Reusing the registry loaded earlier (--keep).")

            registry = loader.build_registry()
            planted = choose_planted(registry, args.persons, args.seed, planted_count, args.family_share)
            nobody = nobody_names(registry, args.seed, 8)
            texts = [write_text("en", planted, nobody, args.words, args.seed)]
            if not args.no_korean:
                texts.append(write_text("ko", planted, nobody, args.words, args.seed))
            with_family = sum(1 for p in planted if p.family)
            say(
                f"Texts written: {', '.join(f'{t.language} {t.words} words' for t in texts)}; {len(planted)} planted "
                f"persons ({with_family} with recorded relatives)."
            )
            if args.dump:
                dump_texts(args.dump, texts)
            results = measure(args, texts)
            verdicts = report_engine(args, texts, results)
            peers = run_peer(args, texts)
            verdict(args, texts, verdicts, peers)
            if results["profiler"] is not None:
                print_profile(results["profiler"])
    finally:
        if args.keep:
            say(f"Kept {home} for reuse (--keep).")
        else:
            shutil.rmtree(home, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
