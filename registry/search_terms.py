"""Normalised forms of names for the blind indexes, and the same forms for a search query.

The forms here are script-neutral (case folding, accents, spaces and hyphens). Korean-aware
readings (romanisation systems, the initial-sound law, surname variants) plug in through the
`PASSAGE_NAME_FORMS` setting: a list of dotted paths to functions `str -> Iterable[str]` whose
forms are added to both sides, so the matching package extends search without touching this file.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.conf import settings
from django.utils.module_loading import import_string

from matching.keys import name_keys, name_keys_parts
from matching.normal import compact, tokens
from matching.score import is_match
from registry.partial_dates import PartialDateError, parse_partial_date

PERSON_TABLE = "registry_person"
TOKEN = "name_token"  # noqa: S105 — an index name, not a secret; one word of any name, in any script
COMPACT = "name_compact"  # a whole name (or its given part) without spaces or hyphens
SURNAME_YEAR = "surname_birth_year"  # surname + year of birth
NAME_KEY = "name_key"  # a Korean-aware blocking key (matching.keys): shared by every spelling of a name
DATE_OF_BIRTH = "dob"  # a full date of birth, YYYY-MM-DD (the disclosure check looks dates up)
FAMILY_TABLE = "tracing_familymember"  # family members' names, under the person's data key
_YEAR = re.compile(r"^(19|20)\d\d$")


@functools.cache
def _extra_form_functions(paths: tuple[str, ...]) -> tuple[Callable[[str], Iterable[str]], ...]:
    return tuple(import_string(path) for path in paths)


def extra_forms(text: str) -> set[str]:
    """Forms contributed by configured providers (the matching package's Korean readings)."""
    forms: set[str] = set()
    for function in _extra_form_functions(tuple(getattr(settings, "PASSAGE_NAME_FORMS", ()))):
        forms.update(compact(form) for form in function(text))
    return {form for form in forms if form}


@dataclass(frozen=True)
class PersonNames:
    family_name: str
    given_name: str
    family_name_hangul: str
    given_name_hangul: str
    aliases: tuple[str, ...]
    date_of_birth: str

    def written_names(self) -> list[str]:
        """Every full name of the person as written: romanised, Hangul, each alias."""
        names = [
            f"{self.family_name} {self.given_name}".strip(),
            f"{self.family_name_hangul}{self.given_name_hangul}".strip(),
            *(alias.strip() for alias in self.aliases),
        ]
        return [name for name in names if name]


def name_key_forms(names: PersonNames) -> set[str]:
    """The Korean-aware blocking keys of every written form of the person's name."""
    keys: set[str] = set()
    for family, given in (
        (names.family_name, names.given_name),
        (names.family_name_hangul, names.given_name_hangul),
    ):
        if family.strip() or given.strip():
            keys.update(name_keys_parts(family, given))
    for alias in names.aliases:
        keys.update(name_keys(alias))
    return {key for key in keys if key}


def person_index_terms(names: PersonNames) -> set[tuple[str, str, str]]:
    """(field, index, normalised form) for every blind index row of one person."""
    terms: set[tuple[str, str, str]] = set()
    full_names = [
        (names.family_name, names.given_name),
        (names.family_name_hangul, names.given_name_hangul),
    ]
    for family, given in full_names:
        for part in (family, given):
            for token in tokens(part):
                terms.add(("name", TOKEN, token))
        for form in (compact(family + given), compact(given + family), compact(given)):
            terms.add(("name", COMPACT, form))
        for form in extra_forms(f"{family} {given}"):
            terms.add(("name", COMPACT, form))
    for alias in names.aliases:
        words = tokens(alias)
        for token in words:
            terms.add(("name", TOKEN, token))
        terms.add(("name", COMPACT, "".join(words)))
        if len(words) > 1:
            terms.add(("name", COMPACT, "".join(words[1:])))
            terms.add(("name", COMPACT, "".join(words[1:] + words[:1])))
        for form in extra_forms(alias):
            terms.add(("name", COMPACT, form))
    for key in name_key_forms(names):
        terms.add(("name", NAME_KEY, key))
    full_date = _full_date(names.date_of_birth)
    if full_date:
        terms.add(("date_of_birth", DATE_OF_BIRTH, full_date))
    year = _birth_year(names.date_of_birth)
    if year:
        for surname in {compact(names.family_name), compact(names.family_name_hangul)} - {""}:
            terms.add(("name", SURNAME_YEAR, f"{surname}|{year}"))
    return {term for term in terms if term[2]}


def family_index_terms(family_member_names: Iterable[str]) -> set[tuple[str, str, str]]:
    """(field, index, normalised form) of the blind-index rows of a person's family members' names:
    their Korean-aware keys and whole-name forms, as for the person's own names."""
    terms: set[tuple[str, str, str]] = set()
    for name in family_member_names:
        words = tokens(name)
        if not words:
            continue
        terms.add(("name", COMPACT, "".join(words)))
        if len(words) > 1:
            terms.add(("name", COMPACT, "".join(words[1:] + words[:1])))
        for form in extra_forms(name):
            terms.add(("name", COMPACT, form))
        for key in name_keys(name):
            terms.add(("name", NAME_KEY, key))
    return {term for term in terms if term[2]}


def _full_date(date_of_birth: str) -> str:
    try:
        date = parse_partial_date(date_of_birth) if date_of_birth else None
    except PartialDateError:
        return ""
    return str(date) if date is not None and date.precision == "day" else ""


def _birth_year(date_of_birth: str) -> str:
    try:
        return str(parse_partial_date(date_of_birth).year) if date_of_birth else ""
    except PartialDateError:
        return ""


@dataclass(frozen=True)
class QueryForms:
    tokens: tuple[str, ...]
    compact: str
    extra: frozenset[str]
    surname_year: str
    keys: frozenset[str] = frozenset()
    """Korean-aware blocking keys of the query as a whole name (Ri Chol Su finds 이철수)."""
    text: str = ""


def query_forms(query: str) -> QueryForms:
    words = tokens(query)
    years = [word for word in words if _YEAR.match(word)]
    names = [word for word in words if not _YEAR.match(word)]
    surname_year = f"{names[0]}|{years[0]}" if len(names) == 1 and len(years) == 1 else ""
    text = " ".join(word for word in query.split() if not _YEAR.match(word.strip(".,")))
    return QueryForms(
        tokens=tuple(names),
        compact="".join(names),
        extra=frozenset(extra_forms(" ".join(names))) if names else frozenset(),
        surname_year=surname_year,
        keys=name_keys(text)
        if len(names) > 1 or (names and len(names[0]) > 1 and not names[0].isascii())
        else frozenset(),
        text=text,
    )


def names_match(query: QueryForms, names: PersonNames) -> bool:
    """The check after decryption that removes blind-index coincidences."""
    if query.surname_year:
        surname, year = query.surname_year.split("|")
        if _birth_year(names.date_of_birth) == year and surname in {
            compact(names.family_name),
            compact(names.family_name_hangul),
        }:
            return True
    terms = person_index_terms(names)
    words = {form for _field, index, form in terms if index == TOKEN}
    compacts = {form for _field, index, form in terms if index == COMPACT}
    if query.tokens and all(token in words for token in query.tokens):
        return True
    if query.compact and (query.compact in compacts or bool(query.extra & compacts)):
        return True
    return bool(query.keys) and _is_same_name(query.text, names)


def _is_same_name(text: str, names: PersonNames) -> bool:
    """The Korean-aware check: the scorer calls the query and one of the person's names a match."""
    return any(is_match(text, name) for name in names.written_names())
