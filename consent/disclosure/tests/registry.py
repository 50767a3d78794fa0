"""A small fictional registry for the unit tests (every person here is invented)."""

from __future__ import annotations

from consent.disclosure.memory_registry import InMemoryRegistry
from consent.disclosure.types import PersonRecord

RI = PersonRecord(
    person_id=1,
    family_name="Ri",
    given_name="Chol Su",
    family_name_hangul="리",
    given_name_hangul="철수",
    aliases=("Иван Петров", "Ivan Petrov"),
    date_of_birth="1999-04-12",
    place_of_origin="Hoeryong, North Hamgyong Province",
    unit="94th Brigade, 11th Army Corps",
    rank="Junior Sergeant",
    facilities=("Zolochiv POW camp",),
    serial_number="KPA-7734-1192",
    family_member_names=("김옥희", "Ri Yong Nam"),
)
PAK = PersonRecord(
    person_id=2,
    family_name="Pak",
    given_name="Song-il",
    family_name_hangul="박",
    given_name_hangul="성일",
    date_of_birth="2001-01-03",
    place_of_origin="무산군",
    unit="Unit 40001",
    rank="sniper",
    facilities=("Camp No. 3",),
    serial_number="112-48837",
)
CHOE = PersonRecord(
    person_id=3,
    family_name="Choe",
    given_name="Un Jong",
    family_name_hangul="최",
    given_name_hangul="은정",
    aliases=("Kim Yong Ho",),
    date_of_birth="2003-09",
    place_of_origin="Hyesan",
    rank="하사",
)
PERSONS = (RI, PAK, CHOE)


def registry() -> InMemoryRegistry:
    return InMemoryRegistry(PERSONS)
