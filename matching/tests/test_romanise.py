"""Romanisation of Hangul names in each system, and the normal forms a scorer compares."""

from __future__ import annotations

import pytest
from hypothesis import given

from matching.names import parse
from matching.romanise import (
    joined,
    mccune_reischauer,
    north,
    popular,
    popular_syllables,
    reading_sets,
    readings,
    revised,
    revised_syllable,
)
from matching.surnames import normalise
from matching.tests.strategies import given_names, single_surnames


def test_kim_cheol_su_in_revised_romanization():
    assert revised("김철수") == "Kim Cheol-su"
    assert revised("김철수", hyphen=False) == "Kim Cheolsu"
    assert revised("김철수", usual_surname=False) == "Gim Cheol-su"


def test_revised_romanization_makes_no_sound_change_between_given_syllables():
    # As a word 신라 is Silla; as a given name it stays syllable by syllable.
    assert revised("김신라") == "Kim Sin-ra"
    assert revised("최선희", usual_surname=False) == "Choe Seon-hui"


def test_kim_cheol_su_in_mccune_reischauer():
    assert mccune_reischauer("김철수") == "Kim Ch'ŏl-su"
    assert mccune_reischauer("김철수", diacritics=False) == "Kim Chol-su"
    assert mccune_reischauer("최선희") == "Ch'oe Sŏn-hŭi"


def test_mccune_reischauer_voices_a_plain_stop_after_a_voiced_sound():
    assert mccune_reischauer("김대중") == "Kim Tae-jung"
    assert mccune_reischauer("김계관") == "Kim Kye-gwan"
    assert mccune_reischauer("박석진") == "Pak Sŏk-chin"


@pytest.mark.parametrize(
    ("hangul", "dprk"),
    [
        ("김철수", "Kim Chol Su"),
        ("최선희", "Choe Son Hui"),
        ("장성택", "Jang Song Thaek"),
        ("이철수", "Ri Chol Su"),
        ("리철수", "Ri Chol Su"),
        ("김정일", "Kim Jong Il"),
        ("김영철", "Kim Yong Chol"),
        ("김계관", "Kim Kye Gwan"),
        ("박봉주", "Pak Pong Ju"),
        ("최룡해", "Choe Ryong Hae"),
    ],
)
def test_north_korean_system_spaces_syllables_and_writes_aspirates_with_h(hangul, dprk):
    assert north(hangul) == dprk


def test_popular_spellings_cover_the_usual_passport_forms():
    assert "Kim Chulsoo" in popular("김철수")
    assert "Lee Younghee" in popular("이영희")
    assert "Park Sungjoon" in popular("박성준")
    assert "Choi Hyunwoo" in popular("최현우")


@pytest.mark.parametrize(
    ("syllable", "spellings"),
    [
        ("철", "chul cheol chol"),
        ("영", "young yeong yong"),
        ("희", "hee hui"),
        ("숙", "suk sook"),
        ("성", "sung seong song"),
        ("현", "hyun hyeon hyon"),
        ("수", "soo su"),
        ("석", "suk seok sok"),
        ("준", "joon jun"),
        ("우", "woo u"),
        ("신", "shin sin"),
    ],
)
def test_a_syllable_has_its_popular_spellings(syllable, spellings):
    assert set(spellings.split()) <= popular_syllables(syllable)


def test_readings_put_surname_and_given_syllables_in_a_normal_form():
    forms = readings("김철수")
    for form in [("kim", ("cheol", "su")), ("kim", ("chol", "su")), ("gim", ("cheol", "su")), ("kim", ("chul", "soo"))]:
        assert form in forms
    assert joined(("kim", ("cheol", "su"))) == "kimcheolsu"


def test_readings_of_ri_and_i_are_the_same_family():
    assert readings("리철수") == readings("이철수")
    assert ("ri", ("chol", "su")) in readings("이철수")


def test_a_northern_first_given_syllable_reads_as_its_southern_form_too():
    surnames, given_syllables = reading_sets("김룡수")
    assert {"ryong", "yong"} <= given_syllables[0]
    assert "kim" in surnames


def test_a_non_hangul_name_is_refused():
    with pytest.raises(ValueError, match="not a Hangul"):
        revised("Kim Cheol-su")
    with pytest.raises(ValueError, match="not a Hangul personal name"):
        north("김")


@given(single_surnames, given_names)
def test_every_system_spelling_of_a_name_is_among_its_readings(family, given_name):
    name = family + given_name
    forms = {joined(form) for form in readings(name)}
    for spelling in (
        revised(name),
        revised(name, usual_surname=False),
        mccune_reischauer(name),
        mccune_reischauer(name, diacritics=False),
        north(name),
        *popular(name),
    ):
        assert normalise(spelling) in forms, spelling


@given(single_surnames, given_names)
def test_a_revised_spelling_parses_back_to_the_syllables_it_came_from(family, given_name):
    parsed = parse(revised(family + given_name))
    assert tuple(normalise(p) for p in parsed.given) == tuple(revised_syllable(c) for c in given_name)
