"""Syllable arithmetic and the initial-sound law."""

from __future__ import annotations

import pytest
from hypothesis import given

from matching.hangul import (
    SYLLABLE_BASE,
    SYLLABLE_COUNT,
    Syllable,
    compose,
    decompose,
    initial_law_north,
    initial_law_south,
    is_hangul,
    is_syllable,
    southern,
)
from matching.tests.strategies import syllables


@given(syllables)
def test_composing_a_decomposed_syllable_gives_it_back(syllable):
    assert compose(*decompose(syllable)) == syllable


def test_every_one_of_the_11172_syllables_round_trips():
    chars = [chr(SYLLABLE_BASE + offset) for offset in range(SYLLABLE_COUNT)]
    assert all(compose(*decompose(c)) == c for c in chars)
    assert len({decompose(c) for c in chars}) == SYLLABLE_COUNT


def test_a_syllable_decomposes_into_its_jamo_indexes():
    assert decompose("가") == Syllable(0, 0, 0)
    assert decompose("힣") == Syllable(18, 20, 27)
    assert decompose("철") == Syllable(14, 4, 8)  # ㅊ ㅓ ㄹ


@pytest.mark.parametrize("text", ["a", "ㄱ", "", "가나", "\u0301"])
def test_decomposing_anything_but_one_syllable_is_refused(text):
    with pytest.raises(ValueError, match="not a Hangul syllable"):
        decompose(text)


def test_composing_out_of_range_indexes_is_refused():
    with pytest.raises(ValueError, match="out of range"):
        compose(19, 0)


def test_hangul_text_is_recognised_with_spaces_and_hyphens():
    assert is_hangul("김철수")
    assert is_hangul("남궁 민-수")
    assert not is_hangul("Kim 철수")
    assert not is_hangul(" ")
    assert is_syllable("김")
    assert not is_syllable("ㄱ")


@pytest.mark.parametrize(
    ("north", "south"),
    [
        ("리", "이"),
        ("림", "임"),
        ("류", "유"),
        ("량", "양"),
        ("렴", "염"),
        ("례", "예"),
        ("로", "노"),
        ("라", "나"),
        ("뢰", "뇌"),
        ("녀", "여"),
        ("뇨", "요"),
        ("니", "이"),
        ("김", "김"),
        ("노", "노"),
        ("이", "이"),
    ],
)
def test_the_south_drops_or_changes_an_initial_rieul_and_nieun(north, south):
    assert initial_law_south(north) == south


def test_northern_originals_of_a_southern_syllable_include_rieul_forms():
    assert initial_law_north("이") == {"이", "리", "니"}
    assert initial_law_north("노") == {"노", "로"}
    assert initial_law_north("임") == {"임", "림", "님"}
    assert initial_law_north("김") == {"김"}


@given(syllables)
def test_every_syllable_is_among_the_northern_originals_of_its_southern_form(syllable):
    south = initial_law_south(syllable)
    assert initial_law_south(south) == south
    assert syllable in initial_law_north(south)
    assert {initial_law_south(s) for s in initial_law_north(south)} == {south}


def test_the_law_applies_to_the_first_syllable_of_a_word_only():
    assert southern("리철수") == "이철수"
    assert southern("김리수") == "김리수"
    assert southern("") == ""
    assert initial_law_south("x") == "x"
    assert initial_law_north("x") == {"x"}
