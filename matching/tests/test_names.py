"""Splitting written names into surname and given name."""

from __future__ import annotations

import pytest
from hypothesis import assume, given

from matching.names import ParsedName, Script, parse, script_of
from matching.romanise import north, revised
from matching.surnames import COMPOUND_SURNAMES, SURNAME_READINGS, normalise
from matching.tests.strategies import compound_surnames, given_names, single_surnames


@pytest.mark.parametrize(
    ("text", "surname", "given"),
    [
        ("김철수", "김", ("철", "수")),
        ("남궁민수", "남궁", ("민", "수")),
        ("황보영희", "황보", ("영", "희")),
        ("남궁민", "남궁", ("민",)),
        ("선우진", "선", ("우", "진")),
        ("선우 진", "선우", ("진",)),
        ("김 철수", "김", ("철", "수")),
        ("철수 김", "김", ("철", "수")),
        ("김수한무", "김", ("수", "한", "무")),
        ("리철수", "리", ("철", "수")),
    ],
)
def test_a_hangul_name_splits_after_its_surname(text, surname, given):
    assert parse(text) == ParsedName(surname, given, Script.HANGUL)


@pytest.mark.parametrize(
    ("text", "surname", "given"),
    [
        ("Kim Chol-su", "Kim", ("Chol", "su")),
        ("Chol-su Kim", "Kim", ("Chol", "su")),
        ("KIM Cheol Su", "KIM", ("Cheol", "Su")),
        ("Cheol-su KIM", "KIM", ("Cheol", "su")),
        ("Kim Cheolsu", "Kim", ("Cheolsu",)),
        ("Kim, Cheol-su", "Kim", ("Cheol", "su")),
        ("Ri Chol Su", "Ri", ("Chol", "Su")),
        ("Kim Ch'ŏl-su", "Kim", ("Ch'ŏl", "su")),
        ("Se-yul Namgung", "Namgung", ("Se", "yul")),
        ("  Choe   Son  Hui ", "Choe", ("Son", "Hui")),
    ],
)
def test_a_romanised_name_splits_and_order_swaps_are_detected(text, surname, given):
    assert parse(text) == ParsedName(surname, given, Script.LATIN)


def test_hyphenated_spaced_and_joined_given_names_join_to_the_same_text():
    forms = {normalise(parse(text).given_text) for text in ("Kim Se-yul", "Kim Se Yul", "Kim Seyul", "Se-yul Kim")}
    assert forms == {"seyul"}


def test_script_is_recognised():
    assert script_of("김철수") is Script.HANGUL
    assert script_of("Kim Cheol-su") is Script.LATIN
    assert script_of("Kim 철수") is Script.MIXED
    assert parse("Kim 철수").script is Script.MIXED


@pytest.mark.parametrize("text", ["", "   "])
def test_an_empty_name_is_refused(text):
    with pytest.raises(ValueError, match="empty"):
        parse(text)


@given(single_surnames, given_names)
def test_a_generated_hangul_name_splits_into_its_parts(family, given_name):
    assume((family + given_name)[:2] not in COMPOUND_SURNAMES)
    assert parse(family + given_name) == ParsedName(family, tuple(given_name), Script.HANGUL)


@given(compound_surnames, given_names)
def test_a_four_syllable_name_with_a_compound_surname_keeps_it_whole(family, given_name):
    assert parse(family + given_name) == ParsedName(family, tuple(given_name), Script.HANGUL)


@given(single_surnames, given_names)
def test_a_swapped_romanised_name_parses_like_the_korean_order(family, given_name):
    korean_order = revised(family + given_name)
    surname_text, given_text = korean_order.split(" ")
    assume(normalise(given_text) not in SURNAME_READINGS)
    assert parse(f"{given_text} {surname_text}") == parse(korean_order)
    assert parse(north(family + given_name)).surname == north(family + given_name).split(" ")[0]
