"""`RegistryLookup` over plain records, for the evaluation and the unit tests.

It is keyed exactly as the vault's blind indexes are (`registry.search_terms`, which imports Django
and so cannot be used here; `tests/test_memory_registry.py` checks the two agree) and answers as
`consent.disclosure_lookup.VaultRegistry` does:
- own names (`person_index_terms`): `name_key` = `matching.keys.name_keys_parts` of the romanised and
  of the Hangul name and `name_keys` of each alias; `name_compact` = `compact` of surname + given name,
  given name + surname and the given name alone (both scripts), and of each alias whole, without its
  first word and with its first word moved last;
- family members' names (`family_index_terms`): `name_keys` of each, and `compact` of each whole and
  with its first word moved last;
- full dates of birth (YYYY-MM-DD) only.
A person found through their own names comes with their names; one found through a family member's
name with the family members' names (both when both match). So recall measured with it is the recall
of the vault path, minus the coincidences of truncated indexes that the engine verifies away.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence

from consent.disclosure.persons import name_record
from consent.disclosure.types import NameRecord, PersonRecord
from matching.keys import name_keys, name_keys_parts
from matching.normal import compact, tokens


def person_keys(person: PersonRecord) -> set[str]:
    """The blocking keys under which the vault finds this person by their own names."""
    keys: set[str] = set()
    for family, given in (
        (person.family_name, person.given_name),
        (person.family_name_hangul, person.given_name_hangul),
    ):
        if family.strip() or given.strip():
            keys |= name_keys_parts(family, given)
    for alias in person.aliases:
        keys |= name_keys(alias)
    return {key for key in keys if key}


def person_compacts(person: PersonRecord) -> set[str]:
    """The compact whole-name forms under which the vault finds this person by their own names."""
    forms: set[str] = set()
    for family, given in (
        (person.family_name, person.given_name),
        (person.family_name_hangul, person.given_name_hangul),
    ):
        forms |= {compact(family + given), compact(given + family), compact(given)}
    for alias in person.aliases:
        words = tokens(alias)
        forms.add("".join(words))
        if len(words) > 1:
            forms |= {"".join(words[1:]), "".join(words[1:] + words[:1])}
    return {form for form in forms if form}


def family_keys(person: PersonRecord) -> set[str]:
    """The blocking keys of the person's family members' names."""
    return {key for name in person.family_member_names for key in name_keys(name) if key}


def family_compacts(person: PersonRecord) -> set[str]:
    """The compact forms of the person's family members' names: whole, and first word moved last."""
    forms: set[str] = set()
    for name in person.family_member_names:
        words = tokens(name)
        if words:
            forms.add("".join(words))
            if len(words) > 1:
                forms.add("".join(words[1:] + words[:1]))
    return {form for form in forms if form}


def _index(records: Sequence[PersonRecord], forms: Callable[[PersonRecord], set[str]]) -> dict[str, set[int]]:
    index: dict[str, set[int]] = {}
    for record in records:
        for form in forms(record):
            index.setdefault(form, set()).add(record.person_id)
    return index


class InMemoryRegistry:
    """The registry as exact dictionaries: name keys, compact forms and full dates of birth → persons."""

    def __init__(self, records: Sequence[PersonRecord]) -> None:
        self._persons = {record.person_id: record for record in records}
        self._own_keys = _index(records, person_keys)
        self._own_compacts = _index(records, person_compacts)
        self._family_keys = _index(records, family_keys)
        self._family_compacts = _index(records, family_compacts)
        self._by_date: dict[str, set[int]] = {}
        for record in records:
            if len(record.date_of_birth) == len("YYYY-MM-DD"):
                self._by_date.setdefault(record.date_of_birth, set()).add(record.person_id)
        self.calls: list[str] = []  # the questions asked, in order, for tests that count them

    @staticmethod
    def _found(keys: Collection[str], compacts: Collection[str], *indexes: dict[str, set[int]]) -> set[int]:
        by_key, by_compact = indexes
        found: set[int] = set()
        for key in keys:
            found |= by_key.get(key, set())
        for form in compacts:
            found |= by_compact.get(form, set())
        return found

    def name_candidates(self, keys: Collection[str], compacts: Collection[str]) -> Sequence[NameRecord]:
        self.calls.append("name_candidates")
        own = self._found(keys, compacts, self._own_keys, self._own_compacts)
        family = self._found(keys, compacts, self._family_keys, self._family_compacts)
        records = []
        for pid in sorted(own | family):
            full = name_record(self._persons[pid])
            records.append(
                NameRecord(
                    person_id=pid,
                    names=full.names if pid in own else (),
                    family_member_names=full.family_member_names if pid in family else (),
                )
            )
        return records

    def date_of_birth_candidates(self, dates: Collection[str]) -> Sequence[tuple[int, str]]:
        self.calls.append("date_of_birth_candidates")
        found: set[int] = set()
        for date in dates:
            found |= self._by_date.get(date, set())
        return [(pid, self._persons[pid].date_of_birth) for pid in sorted(found)]

    def details(self, person_ids: Collection[int]) -> Sequence[PersonRecord]:
        self.calls.append("details")
        return [self._persons[pid] for pid in sorted(set(person_ids)) if pid in self._persons]
