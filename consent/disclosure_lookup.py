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
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TypeVar, cast

from django.db.models import Model, QuerySet, TextField
from django.db.models.functions import Cast

from consent.disclosure.types import NameRecord, PersonRecord
from protection.models import NibRecord
from registry.models import Alias, Custody, Person
from registry.search_terms import COMPACT, DATE_OF_BIRTH, FAMILY_TABLE, NAME_KEY, PERSON_TABLE
from tracing.models import FamilyMember
from vault.fields import EncryptedTextField
from vault.models import BlindIndex, DataKey
from vault.services import blind_index_values

# SQLite allows 32,766 parameters in one statement; stay well below, whatever the text.
_CHUNK = 2000
T = TypeVar("T")


def _chunks(values: Sequence[T]) -> Iterable[Sequence[T]]:
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
    return Person.objects.filter(data_key_id__in=data_key_ids, erased_at__isnull=True, case__merged_into__isnull=True)


_NAME_FIELDS = ("family_name", "given_name", "family_name_hangul", "given_name_hangul")


@dataclass(frozen=True)
class _PersonRow:
    pk: int
    data_key: DataKey | None
    values: dict[str, str]


def _sealed(fields: Sequence[str]) -> list[str]:
    return [f"sealed_{name}" for name in fields]


def _as_text(fields: Sequence[str]) -> dict[str, Cast]:
    """The sealed columns as plain text: read so, a row skips the encrypted field's converter (it wraps
    each value to decrypt it on access), which cost more than the decryption here."""
    return {f"sealed_{name}": Cast(name, output_field=TextField()) for name in fields}


def _every_key(data_key_id: int) -> bool:
    return True


def _person_rows(
    persons: QuerySet[Person], fields: Sequence[str], *, decrypt: Callable[[int], bool] = _every_key
) -> list[_PersonRow]:
    """The persons' sealed `fields`, decrypted under each one's data key (when `decrypt` picks its id).
    Read as values with the data keys in one more query: building a Person and a DataKey instance per
    candidate cost more than decrypting it."""
    rows = list(persons.order_by("pk").annotate(**_as_text(fields)).values_list("pk", "data_key_id", *_sealed(fields)))
    keys = DataKey.objects.in_bulk([row[1] for row in rows if row[1] is not None])
    sealed = [cast(EncryptedTextField, Person._meta.get_field(name)) for name in fields]
    found = []
    for pk, data_key_id, *stored in rows:
        data_key = keys.get(data_key_id)
        values: dict[str, str] = {}
        if data_key_id is not None and decrypt(data_key_id):
            for field, value in zip(sealed, stored, strict=True):
                values[field.name] = "" if value is None else field.decrypt_stored(pk, data_key, value)
        found.append(_PersonRow(pk, data_key, values))
    return found


def _written_names(row: _PersonRow, aliases: Sequence[str]) -> tuple[str, ...]:
    values = row.values
    names = [
        f"{values['family_name']} {values['given_name']}".strip(),
        f"{values['family_name_hangul']}{values['given_name_hangul']}".strip(),
        *(alias.strip() for alias in aliases),
    ]
    return tuple(name for name in names if name and not name.startswith("[unreadable]"))


def _owned_values(model: type[Model], field_name: str, keys: Mapping[int, DataKey | None]) -> dict[int, list[str]]:
    """A sealed column of the rows these persons own (aliases, family members, custodies), decrypted
    under each person's data key, by person, in row order. Read as values: building a model instance
    per row cost more than decrypting it."""
    field = cast(EncryptedTextField, model._meta.get_field(field_name))
    assert field.key_owner == "person", f"{model.__name__}.{field_name} is not keyed by its person"
    by_person: dict[int, list[str]] = defaultdict(list)
    for chunk in _chunks(list(keys)):
        rows = model._default_manager.filter(person_id__in=chunk).order_by("pk").annotate(**_as_text([field_name]))
        for pk, person_id, stored in rows.values_list("pk", "person_id", *_sealed([field_name])):
            if stored is not None:
                by_person[person_id].append(field.decrypt_stored(pk, keys[person_id], stored))
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
        # A person found only through a relative's name needs no names of their own decrypted.
        rows = _person_rows(_live_persons(own | family), _NAME_FIELDS, decrypt=lambda data_key_id: data_key_id in own)
        by_key = {row.pk: row for row in rows}
        owners = {row.pk for row in rows if row.data_key is not None and row.data_key.pk in own}
        relatives = {row.pk for row in rows if row.data_key is not None and row.data_key.pk in family}
        aliases = _owned_values(Alias, "name", {pk: by_key[pk].data_key for pk in owners})
        family_names = _owned_values(FamilyMember, "name", {pk: by_key[pk].data_key for pk in relatives})
        self.persons_decrypted += len(rows)
        return [
            NameRecord(
                person_id=row.pk,
                names=_written_names(row, aliases.get(row.pk, [])) if row.pk in owners else (),
                family_member_names=tuple(family_names.get(row.pk, ())),
            )
            for row in rows
        ]

    def date_of_birth_candidates(self, dates: Collection[str]) -> Sequence[tuple[int, str]]:
        if not dates:
            return []
        found = _data_keys(PERSON_TABLE, "date_of_birth", DATE_OF_BIRTH, dates)
        rows = _person_rows(_live_persons(found), ("date_of_birth",))
        self.persons_decrypted += len(rows)
        return [(row.pk, row.values["date_of_birth"]) for row in rows]

    def details(self, person_ids: Collection[int]) -> Sequence[PersonRecord]:
        if not person_ids:
            return []
        persons = Person.objects.filter(pk__in=person_ids, erased_at__isnull=True, data_key__isnull=False)
        fields = (*_NAME_FIELDS, "date_of_birth", "place_of_origin", "unit", "rank")
        rows = _person_rows(persons, fields)
        keys = {row.pk: row.data_key for row in rows}
        aliases = _owned_values(Alias, "name", keys)
        family_names = _owned_values(FamilyMember, "name", keys)
        facilities = _owned_values(Custody, "facility", keys)
        serials = {pid: values[0] for pid, values in _owned_values(NibRecord, "serial_number", keys).items()}
        self.persons_decrypted += len(rows)
        return [
            PersonRecord(
                person_id=row.pk,
                **{name: row.values[name] for name in fields},
                aliases=tuple(aliases.get(row.pk, ())),
                facilities=tuple(name for name in facilities.get(row.pk, ()) if name),
                serial_number=serials.get(row.pk, ""),
                family_member_names=tuple(family_names.get(row.pk, ())),
            )
            for row in rows
        ]
