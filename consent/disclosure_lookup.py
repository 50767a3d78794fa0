"""The registry as the disclosure check sees it: candidates through the vault's blind indexes.

The engine (`consent.disclosure`) asks for the persons whose names, aliases or family members' names
carry some blocking keys or whole-name forms, and for persons born on some dates. The answer comes
from the truncated blind indexes (no plaintext is searched), so it holds coincidences; only the
persons returned are decrypted, and the engine verifies each against the decrypted names. Every
registered person is a candidate, whoever runs the check: what the check reports to that user is
scoped afterwards (`consent.services.disclosure`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable, Sequence

from django.db.models import QuerySet

from consent.disclosure.types import NameRecord, PersonRecord
from protection.models import NibRecord
from registry.models import Alias, Custody, Person
from registry.search_terms import COMPACT, DATE_OF_BIRTH, FAMILY_TABLE, NAME_KEY, PERSON_TABLE
from tracing.models import FamilyMember
from vault.models import BlindIndex
from vault.services import blind_index_values

# SQLite allows 32,766 parameters in one statement; stay well below, whatever the text.
_CHUNK = 2000


def _chunks(values: Sequence[str]) -> Iterable[Sequence[str]]:
    for start in range(0, len(values), _CHUNK):
        yield values[start : start + _CHUNK]


def _data_keys(table: str, field: str, index: str, forms: Collection[str]) -> set[int]:
    values = blind_index_values(table, field, index, forms)
    found: set[int] = set()
    for chunk in _chunks(values):
        found.update(
            BlindIndex.objects.filter(table=table, name=index, value__in=chunk).values_list("data_key_id", flat=True)
        )
    return found


def _live_persons(data_key_ids: Collection[int]) -> QuerySet[Person]:
    """Persons not erased and not merged into another case (their names live on as its aliases)."""
    return Person.objects.filter(
        data_key_id__in=data_key_ids, erased_at__isnull=True, case__merged_into__isnull=True
    ).select_related("data_key")


def _written_names(person: Person, aliases: Sequence[str]) -> tuple[str, ...]:
    names = [
        f"{person.family_name} {person.given_name}".strip(),
        f"{person.family_name_hangul}{person.given_name_hangul}".strip(),
        *(alias.strip() for alias in aliases),
    ]
    return tuple(name for name in names if name and not name.startswith("[unreadable]"))


def _aliases_of(person_ids: Collection[int]) -> dict[int, list[str]]:
    by_person: dict[int, list[str]] = defaultdict(list)
    for alias in Alias.objects.filter(person_id__in=person_ids).select_related("person__data_key").order_by("pk"):
        by_person[alias.person_id].append(alias.name)
    return by_person


def _family_names_of(person_ids: Collection[int]) -> dict[int, list[str]]:
    by_person: dict[int, list[str]] = defaultdict(list)
    members = FamilyMember.objects.filter(person_id__in=person_ids).select_related("person__data_key").order_by("pk")
    for member in members.only("pk", "person_id", "name", "person__data_key"):
        by_person[member.person_id].append(member.name)
    return by_person


class VaultRegistry:
    """`consent.disclosure.types.RegistryLookup` over the live registry."""

    def __init__(self) -> None:
        self.persons_decrypted = 0

    def name_candidates(self, keys: Collection[str], compacts: Collection[str]) -> Sequence[NameRecord]:
        if not keys and not compacts:
            return []
        own = _data_keys(PERSON_TABLE, "name", NAME_KEY, keys) | _data_keys(PERSON_TABLE, "name", COMPACT, compacts)
        family = _data_keys(FAMILY_TABLE, "name", NAME_KEY, keys) | _data_keys(FAMILY_TABLE, "name", COMPACT, compacts)
        persons = list(
            _live_persons(own | family).only(
                "pk",
                "data_key",
                "family_name",
                "given_name",
                "family_name_hangul",
                "given_name_hangul",
            )
        )
        aliases = _aliases_of([person.pk for person in persons if person.data_key_id in own])
        family_names = _family_names_of([person.pk for person in persons if person.data_key_id in family])
        self.persons_decrypted += len(persons)
        return [
            NameRecord(
                person_id=person.pk,
                names=_written_names(person, aliases.get(person.pk, [])) if person.data_key_id in own else (),
                family_member_names=tuple(family_names.get(person.pk, ())),
            )
            for person in persons
        ]

    def date_of_birth_candidates(self, dates: Collection[str]) -> Sequence[tuple[int, str]]:
        if not dates:
            return []
        found = _data_keys(PERSON_TABLE, "date_of_birth", DATE_OF_BIRTH, dates)
        persons = list(_live_persons(found).only("pk", "data_key", "date_of_birth"))
        self.persons_decrypted += len(persons)
        return [(person.pk, person.date_of_birth) for person in persons]

    def details(self, person_ids: Collection[int]) -> Sequence[PersonRecord]:
        if not person_ids:
            return []
        persons = list(
            Person.objects.filter(pk__in=person_ids, erased_at__isnull=True, data_key__isnull=False).select_related(
                "data_key"
            )
        )
        ids = [person.pk for person in persons]
        aliases = _aliases_of(ids)
        family_names = _family_names_of(ids)
        facilities: dict[int, list[str]] = defaultdict(list)
        for custody in Custody.objects.filter(person_id__in=ids).select_related("person__data_key").order_by("pk"):
            facilities[custody.person_id].append(custody.facility)
        serials = {
            record.person_id: record.serial_number
            for record in NibRecord.objects.filter(person_id__in=ids).select_related("person__data_key")
        }
        self.persons_decrypted += len(persons)
        return [
            PersonRecord(
                person_id=person.pk,
                family_name=person.family_name,
                given_name=person.given_name,
                family_name_hangul=person.family_name_hangul,
                given_name_hangul=person.given_name_hangul,
                aliases=tuple(aliases.get(person.pk, ())),
                date_of_birth=person.date_of_birth,
                place_of_origin=person.place_of_origin,
                unit=person.unit,
                rank=person.rank,
                facilities=tuple(name for name in facilities.get(person.pk, ()) if name),
                serial_number=serials.get(person.pk, ""),
                family_member_names=tuple(family_names.get(person.pk, ())),
            )
            for person in persons
        ]
