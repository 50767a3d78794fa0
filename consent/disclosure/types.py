"""What the disclosure check reports, and what it asks of the registry (no Django)."""

from __future__ import annotations

import enum
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from typing import Protocol


class Kind(enum.StrEnum):
    """What a finding is. PROCESS.md section 4 lists what is never disclosed."""

    NAME = "name"  # a registered person's name or alias, in any script and spelling
    FAMILY_NAME = "family_name"  # the name of a registered person's family member
    POSSIBLE_NAME = "possible_name"  # a Korean personal name that matches no one registered
    SURNAME = "surname"  # a surname on its own ("Mr Ri", "Ri, 26, ...")
    DATE_OF_BIRTH = "date_of_birth"
    AGE = "age"  # an age or a year of birth
    PLACE_OF_ORIGIN = "place_of_origin"  # a hometown or place of birth
    PLACE = "place"  # another place tied to the person (North Korean towns, where they served)
    UNIT = "unit"  # a military unit or formation
    RANK = "rank"  # a rank or a military role (sergeant, sniper)
    FACILITY = "facility"  # a camp, detention centre or hospital where someone is held
    CAPTURE = "capture"  # where or when someone was captured
    PHONE = "phone"
    EMAIL = "email"
    SERIAL_NUMBER = "serial_number"
    COMBINATION = "combination"  # three or more quasi-identifiers together (PROCESS.md (c) 17)


class Severity(enum.StrEnum):
    IDENTIFYING = "identifying"  # blocks a release until resolved
    QUASI = "quasi"  # does not block alone; three kinds together make a COMBINATION, which does
    ADVISORY = "advisory"  # shown to the reviewer, never blocks (a name that matches no one registered)


@dataclass(frozen=True)
class Finding:
    """One span of the text that could identify someone, and what to put in its place.

    `person_ids` are the registered persons it may identify (empty when it matched no one in
    particular); `rule` names what found it, as a short code (`registry_name`, `pattern_phone`, ...);
    for a COMBINATION, `parts` are the spans of the quasi-identifiers it combines."""

    start: int
    end: int
    kind: Kind
    severity: Severity
    rule: str
    replacement: str
    person_ids: frozenset[int] = frozenset()
    parts: tuple[tuple[int, int], ...] = ()
    score: float = 1.0

    @property
    def is_blocking(self) -> bool:
        return self.severity is Severity.IDENTIFYING


@dataclass(frozen=True)
class DisclosureReport:
    text: str
    findings: tuple[Finding, ...]
    persons_checked: int = 0  # registered persons decrypted to verify candidates (for the benchmark)
    timings_ms: dict[str, float] = field(default_factory=dict, compare=False)

    @property
    def blocking(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.is_blocking)

    @property
    def is_clean(self) -> bool:
        return not self.blocking


@dataclass(frozen=True)
class NameRecord:
    """A registered person's written names, decrypted: what a name candidate is verified against.

    `names` are full names as written (romanised "Family Given", Hangul, each alias);
    `family_member_names` the names of the family members recorded for the person."""

    person_id: int
    names: tuple[str, ...]
    family_member_names: tuple[str, ...] = ()


@dataclass(frozen=True)
class PersonRecord:
    """Everything of one person that the text could disclose, decrypted; read only for the few
    persons the text is about (linked to the release, or named in it)."""

    person_id: int
    family_name: str = ""
    given_name: str = ""
    family_name_hangul: str = ""
    given_name_hangul: str = ""
    aliases: tuple[str, ...] = ()
    date_of_birth: str = ""  # YYYY, YYYY-MM or YYYY-MM-DD
    place_of_origin: str = ""
    unit: str = ""
    rank: str = ""
    facilities: tuple[str, ...] = ()  # custody facilities, every one on record
    serial_number: str = ""
    family_member_names: tuple[str, ...] = ()


class RegistryLookup(Protocol):
    """What the check asks of the registry. Answers may include coincidences (blind indexes are
    truncated on purpose); the engine verifies every candidate against the decrypted values."""

    def name_candidates(self, keys: Collection[str], compacts: Collection[str]) -> Sequence[NameRecord]:
        """Persons one of whose names, aliases or family members' names has one of these blocking
        keys (`matching.keys.name_keys`) or whole-name forms (`matching.normal.compact`)."""
        ...

    def date_of_birth_candidates(self, dates: Collection[str]) -> Sequence[tuple[int, str]]:
        """(person id, date of birth) of persons born on one of these full dates (YYYY-MM-DD)."""
        ...

    def details(self, person_ids: Collection[int]) -> Sequence[PersonRecord]:
        """Every disclosable value of these persons (unknown or erased persons are left out)."""
        ...
