"""Romanisation of Hangul names in each system, and the normal forms a scorer compares."""

from __future__ import annotations

import pytest
from hypothesis import given, settings

from matching.hangul import is_syllable
from matching.names import parse
from matching.romanise import (
    COMMON_GIVEN_SYLLABLES,
    hangul_candidates,
    joined,
    mccune_reischauer,
    north,
    popular,
    popular_syllables,
    reading_sets,
    readings,
    revised,
    revised_syllable,
    syllable_candidates,
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


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Kim Cheol-su", "김철수"),
        ("Kim Ch'ŏl-su", "김철수"),
        ("KIM Chol Su", "김철수"),
        ("Cheolsu Kim", "김철수"),
        ("Kim, Cheolsu", "김철수"),
        ("Kim Chul Soo", "김철수"),
        ("Ri Chol Su", "리철수"),
        ("Lee Younghee", "이영희"),
        ("Choe Son Hui", "최선희"),
        ("Jang Song Thaek", "장성택"),
        ("Namkoong Min-soo", "남궁민수"),
        ("Young-hee", "영희"),
        ("Chol Su", "철수"),
    ],
)
def test_a_romanised_name_maps_back_to_its_hangul_first(text, expected):
    assert hangul_candidates(text)[0] == expected


def test_northern_and_southern_hangul_are_both_candidates_for_a_dprk_surname():
    candidates = hangul_candidates("Ri Chol Su", limit=5)
    assert candidates[:2] == ("리철수", "이철수")


def test_ambiguous_spellings_give_every_reading_in_order_of_commonness():
    candidates = hangul_candidates("Song Min-ho")
    assert {"송민호", "성민호"} <= set(candidates)
    assert candidates.index("송민호") < candidates.index("성민호")  # 송 is the more common family
    assert hangul_candidates("Suk", limit=100)[:2] == ("숙", "석")


def test_candidates_respect_the_limit_and_unreadable_text_gives_none():
    assert len(hangul_candidates("Kim Cheol-su", limit=3)) == 3
    assert hangul_candidates("Kim Cheol-su", limit=0) == ()
    assert hangul_candidates("xq") == ()
    assert hangul_candidates("  ") == ()


def test_one_romanised_syllable_maps_to_the_syllables_it_can_spell():
    assert {"철", "졸", "촐"} <= syllable_candidates("Ch'ŏl")
    assert syllable_candidates("ryong") == frozenset({"룡", "령"})
    assert "희" in syllable_candidates("hee") and "희" in syllable_candidates("HUI")
    assert syllable_candidates("xq") == frozenset()


def test_the_common_syllable_table_holds_hangul_syllables_only():
    assert all(is_syllable(c) for c in COMMON_GIVEN_SYLLABLES)


@settings(max_examples=60, deadline=None)
@given(single_surnames, given_names)
def test_every_romanisation_of_a_name_maps_back_to_it(family, given_name):
    name = family + given_name
    forms = [
        revised(name),
        revised(name, hyphen=False),
        revised(name, usual_surname=False),
        mccune_reischauer(name),
        mccune_reischauer(name, diacritics=False),
        north(name),
        *sorted(popular(name))[:5],
    ]
    for form in forms:
        assert name in hangul_candidates(form, limit=100_000), form
        # The given name alone, its words joined by hyphens: "Ka Gum" alone would read as Gum Ka.
        assert given_name in hangul_candidates("-".join(form.split()[1:]), limit=100_000), form
