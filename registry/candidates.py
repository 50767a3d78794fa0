"""Candidate persons for a name: who in the registry might this be?

The lookup never reads plaintext: the query's Korean-aware blocking keys (`matching.keys`) and whole-name
forms go through the vault's blind indexes, which return a small set of persons; only those are
decrypted and scored by `matching.score`. Duplicate detection and tracing both start here.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import QuerySet

from matching.normal import compact
from matching.score import DEFAULT_THRESHOLD
from matching.score import score as name_probability
from registry.models import Alias, Person
from registry.partial_dates import PartialDate, PartialDateError, parse_partial_date
from registry.search_terms import (
    COMPACT,
    NAME_KEY,
    PERSON_TABLE,
    PersonNames,
    name_key_forms,
    person_index_terms,
)
from vault import crypto, runtime
from vault.fields import report_unreadable
from vault.models import BlindIndex, DataKey
from vault.services import blind_index_values

# How a date of birth moves the name probability: agreement makes a match likelier, a clear
# disagreement (different years) much less likely; a missing date changes nothing.
DATE_AGREES_FACTOR = 1.15
DATE_DIFFERS_FACTOR = 0.35


@dataclass(frozen=True)
class NameQuery:
    """The names (and date of birth) to look for; any part may be empty."""

    family_name: str = ""
    given_name: str = ""
    family_name_hangul: str = ""
    given_name_hangul: str = ""
    aliases: tuple[str, ...] = ()
    date_of_birth: str = ""

    @classmethod
    def of_person(cls, person: Person, aliases: Iterable[str] = ()) -> NameQuery:
        return cls(
            family_name=person.family_name,
            given_name=person.given_name,
            family_name_hangul=person.family_name_hangul,
            given_name_hangul=person.given_name_hangul,
            aliases=tuple(aliases),
            date_of_birth=person.date_of_birth,
        )

    def written_names(self) -> list[str]:
        """Every full name the query holds, as written: romanised, Hangul, each alias."""
        return self.person_names().written_names()

    def person_names(self) -> PersonNames:
        return PersonNames(
            family_name=self.family_name,
            given_name=self.given_name,
            family_name_hangul=self.family_name_hangul,
            given_name_hangul=self.given_name_hangul,
            aliases=self.aliases,
            date_of_birth=self.date_of_birth,
        )


@dataclass(frozen=True)
class PersonCandidate:
    person: Person
    score: float
    """0-1: the name probability, moved by date-of-birth agreement."""
    name_score: float
    """0-1: the best name probability over every pair of written names."""
    date_of_birth_agrees: bool | None
    """None when either side has no date of birth."""


def _date(text: str) -> PartialDate | None:
    try:
        return parse_partial_date(text) if text else None
    except PartialDateError:
        return None


def date_of_birth_agreement(left: str, right: str) -> bool | None:
    """Whether two partial dates of birth agree on every part both give (1990 agrees with 1990-05)."""
    a, b = _date(left), _date(right)
    if a is None or b is None:
        return None
    return all(
        x == y for x, y in ((a.year, b.year), (a.month, b.month), (a.day, b.day)) if x is not None and y is not None
    )


def combined_score(name_score: float, date_agrees: bool | None) -> float:
    if date_agrees is None:
        return name_score
    factor = DATE_AGREES_FACTOR if date_agrees else DATE_DIFFERS_FACTOR
    return min(1.0, name_score * factor)


def best_name_score(left: Iterable[str], right: Iterable[str]) -> float:
    """The best name probability over every pair of written names (the scorer caches each pair)."""
    right_names = list(right)
    return max((name_probability(a, b) for a in left for b in right_names), default=0.0)


def query_forms(query: NameQuery) -> tuple[set[str], set[str]]:
    """The normalised forms a search looks up: (Korean-aware blocking keys, whole-name compact forms)."""
    return name_key_forms(query.person_names()), {compact(name) for name in query.written_names()} - {""}


def query_index_values(query: NameQuery) -> tuple[list[str], list[str]]:
    """The blind-index values to look up: (Korean-aware blocking keys, whole-name compact forms)."""
    keys, compacts = query_forms(query)
    return (
        blind_index_values(PERSON_TABLE, "name", NAME_KEY, keys),
        blind_index_values(PERSON_TABLE, "name", COMPACT, compacts),
    )


def shares_a_looked_up_form(names: PersonNames, keys: Collection[str], compacts: Collection[str]) -> bool:
    """Whether a decrypted hit really has one of the forms looked up, rather than only a truncated
    blind-index value in common with one (a coincidence the truncation causes on purpose)."""
    if not name_key_forms(names).isdisjoint(keys):  # the usual case, and cheaper than every index term
        return True
    return any(
        (index == NAME_KEY and form in keys) or (index == COMPACT and form in compacts)
        for _field, index, form in person_index_terms(names)
    )


def candidate_data_key_ids(query: NameQuery) -> QuerySet[BlindIndex, Any]:
    keys, compacts = query_index_values(query)
    by_key = BlindIndex.objects.filter(table=PERSON_TABLE, name=NAME_KEY, value__in=keys)
    by_compact = BlindIndex.objects.filter(table=PERSON_TABLE, name=COMPACT, value__in=compacts)
    return (by_key | by_compact).values("data_key_id")


# The columns a search reads, in the order of `_SearchRow`; only these are fetched and decrypted for a hit.
_NAME_FIELDS = ("family_name", "given_name", "family_name_hangul", "given_name_hangul", "date_of_birth")


@dataclass(frozen=True)
class _SearchRow:
    pk: int
    data_key: DataKey
    sealed: tuple[str, ...]


def _open(row: _SearchRow, table: str, field: str, stored: str | None) -> str:
    """A hit's value decrypted as `EncryptedTextField.decrypt` would (an unreadable value is reported
    and scores as no name)."""
    if stored is None:
        return ""
    try:
        return runtime.unseal_text(row.data_key, table, field, stored)
    except crypto.DecryptionFailed:
        report_unreadable(table=table, field=field, row_id=row.pk, data_key_id=row.data_key.pk)
        return ""


def person_candidates(
    query: NameQuery,
    *,
    persons: QuerySet[Person],
    exclude_person_ids: Collection[int] = (),
    limit: int = 20,
    threshold: float = DEFAULT_THRESHOLD,
) -> list[PersonCandidate]:
    """Persons within `persons` whose names may be the query's, best first, scoring at least `threshold`.

    At most `PASSAGE_SEARCH_CANDIDATE_LIMIT` blind-index hits are decrypted. Only the name columns and
    aliases of a hit are read; a hit is scored only when its names really have one of the forms looked
    up (the indexes are truncated on purpose, so many hits are coincidences: 45 % at 1,000,000 persons);
    the persons that score are then loaded whole."""
    written = query.written_names()
    if not written:
        return []
    rows = [
        _SearchRow(pk, DataKey(pk=key_id, kek_version=kek_version, wrapped=wrapped), tuple(sealed))
        for pk, key_id, kek_version, wrapped, *sealed in persons.filter(
            erased_at__isnull=True, data_key__in=candidate_data_key_ids(query)
        )
        .exclude(pk__in=list(exclude_person_ids))
        .order_by("pk")
        .values_list("pk", "data_key_id", "data_key__kek_version", "data_key__wrapped", *_NAME_FIELDS)[
            : int(settings.PASSAGE_SEARCH_CANDIDATE_LIMIT)
        ]
    ]
    if not rows:
        return []
    by_pk = {row.pk: row for row in rows}
    aliases: dict[int, list[str]] = {}
    alias_table = Alias._meta.db_table
    for person_id, sealed_alias in (
        Alias.objects.filter(person_id__in=list(by_pk)).order_by("pk").values_list("person_id", "name")
    ):
        aliases.setdefault(person_id, []).append(_open(by_pk[person_id], alias_table, "name", sealed_alias))
    table = Person._meta.db_table
    keys, compacts = query_forms(query)
    # Within one search many hits are namesakes written alike: each distinct name is checked once (the
    # scorer caches each pair's score itself).
    is_candidate: dict[tuple[str, ...], bool] = {}
    dates: dict[str, bool | None] = {}
    date_factor = max(DATE_AGREES_FACTOR, DATE_DIFFERS_FACTOR)
    scored: list[tuple[int, float, float, bool | None]] = []
    for row in rows:
        family, given, family_hangul, given_hangul = (
            _open(row, table, field, stored) for field, stored in zip(_NAME_FIELDS[:4], row.sealed[:4], strict=True)
        )
        their_aliases = tuple(aliases.get(row.pk, ()))
        names_key = (family, given, family_hangul, given_hangul, *their_aliases)
        shares = is_candidate.get(names_key)
        if shares is None:
            names = PersonNames(family, given, family_hangul, given_hangul, their_aliases, date_of_birth="")
            shares = is_candidate[names_key] = shares_a_looked_up_form(names, keys, compacts)
        if not shares:
            continue  # found only through a blind-index coincidence: not a candidate, and not scored
        theirs = NameQuery(
            family_name=family,
            given_name=given,
            family_name_hangul=family_hangul,
            given_name_hangul=given_hangul,
            aliases=their_aliases,
        ).written_names()
        name_score = best_name_score(written, theirs)
        agrees: bool | None = None
        if query.date_of_birth:
            if max(name_score, min(1.0, name_score * date_factor)) < threshold:
                continue  # below the threshold whatever the date of birth says: not decrypted
            date_of_birth = _open(row, table, _NAME_FIELDS[4], row.sealed[4])
            if date_of_birth not in dates:
                dates[date_of_birth] = date_of_birth_agreement(query.date_of_birth, date_of_birth)
            agrees = dates[date_of_birth]
        total = combined_score(name_score, agrees)
        if total >= threshold:
            scored.append((row.pk, total, name_score, agrees))
    scored.sort(key=lambda found: (-found[1], found[0]))
    scored = scored[:limit]
    loaded = {
        person.pk: person
        for person in persons.filter(pk__in=[pk for pk, *_ in scored])
        .select_related("data_key")
        .prefetch_related("aliases")
    }
    return [
        PersonCandidate(loaded[pk], total, name_score, agrees)
        for pk, total, name_score, agrees in scored
        if pk in loaded
    ]
