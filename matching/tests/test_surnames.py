"""The surname variant table and its lookups both ways."""

from __future__ import annotations

import pytest

from matching.hangul import initial_law_south
from matching.surnames import (
    COMPOUND_SURNAMES,
    SURNAME_READINGS,
    SURNAMES,
    normalise,
    surname,
    surname_readings,
    surnames_for_reading,
)


def test_the_table_holds_the_sixty_most_common_surnames_and_the_compounds():
    assert len(SURNAMES) >= 60
    assert {"남궁", "황보", "선우", "제갈"} <= COMPOUND_SURNAMES


@pytest.mark.parametrize("hangul", sorted(SURNAMES))
def test_every_surname_reads_back_to_itself(hangul):
    readings = surname_readings(hangul)
    assert readings
    for reading in readings:
        assert hangul in surnames_for_reading(reading)


@pytest.mark.parametrize(
    ("hangul", "spellings"),
    [
        ("이", "lee yi rhee i ri rie ree li"),
        ("박", "park pak bak bahk"),
        ("최", "choi choe chwe"),
        ("정", "jeong chung jung chong jong"),
        ("김", "kim gim"),
        ("임", "im lim lym leem yim rim"),
        ("노", "no noh roh ro rho"),
        ("유", "ryu yu yoo you lyu"),
        ("양", "yang ryang"),
        ("조", "jo cho joe"),
        ("전", "jeon jun chon jon chun"),
        ("장", "jang chang"),
        ("윤", "yun yoon youn"),
        ("서", "seo suh so"),
        ("현", "hyun hyon hyeon"),
        ("표", "pyo phyo"),
        ("변", "byun byeon pyon"),
        ("백", "baek paek baik paik"),
        ("남궁", "namgung namkung"),
        ("황보", "hwangbo"),
        ("선우", "seonu sunwoo sonu"),
    ],
)
def test_a_surname_has_its_published_spellings(hangul, spellings):
    assert set(spellings.split()) <= surname_readings(hangul)


def test_a_reading_is_looked_up_without_case_diacritics_or_apostrophes():
    assert surnames_for_reading("CH'OE") == {"최"}
    assert surnames_for_reading("Sŏ") == surnames_for_reading("so")
    assert "서" in surnames_for_reading("Sŏ")
    assert surnames_for_reading("Nam-gung") == {"남궁"}
    assert surnames_for_reading("Smith") == frozenset()


def test_one_spelling_can_stand_for_several_families():
    assert {"손", "선"} <= surnames_for_reading("Son")
    assert {"전", "천"} <= surnames_for_reading("Chon")


def test_northern_hangul_finds_the_same_row_by_the_initial_sound_law():
    for row in SURNAMES.values():
        assert initial_law_south(row.north_hangul[0]) + row.north_hangul[1:] == row.hangul
        assert surname(row.north_hangul) is row
    assert surname("리") is SURNAMES["이"]
    assert surname_readings("림") == surname_readings("임")
    assert surname_readings("없") == frozenset()


def test_readings_are_lower_case_ascii_letters():
    assert all(r.isascii() and r.isalpha() and r.islower() for r in SURNAME_READINGS)
    assert normalise("Ch'ŏl-su Kim") == "cholsukim"


@pytest.mark.parametrize(
    ("spelling", "hangul"),
    [("Namkoong", "남궁"), ("Cheong", "정"), ("Yee", "이"), ("Joh", "조"), ("Kahng", "강"), ("Chey", "최")],
)
def test_passport_spellings_missing_from_the_first_table_are_known(spelling, hangul):
    assert hangul in surnames_for_reading(spelling)
