"""Blocking keys: spellings of one name share a key, hard negatives do not, few keys, recall on the labelled sets."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from hypothesis import given, settings

from matching.keys import UNKNOWN_SURNAME, given_skeletons, letters, name_keys, name_keys_parts, surname_classes
from matching.romanise import mccune_reischauer, north, popular, revised
from matching.tests.strategies import given_names, single_surnames

DATA = Path(__file__).resolve().parents[2] / "tests" / "data"

SAME_PERSON = [
    ("김철수", "Kim Chol-su"),
    ("김철수", "Kim Ch'ŏl-su"),
    ("김철수", "Kim Cheol-su"),
    ("김철수", "김 철수"),
    ("김철수", "Chul Soo Kim"),
    ("김철수", "Cheol-su KIM"),
    ("김철수", "Kim, Cheolsu"),
    ("Kim Cheol-su", "Chulsoo Kim"),
    ("Ri Chol Su", "Lee Cheol-su"),
    ("리철수", "이철수"),
    ("Rhee Cheolsu", "Yi Ch'ŏl-su"),
    ("림영수", "Lim Young-soo"),
    ("Rim Yong Su", "임영수"),
    ("류경", "Yoo Kyung"),
    ("Ryu Kyong", "유경"),
    ("로명희", "Noh Myung-hee"),
    ("Pak Se Yul", "Park Se-yul"),
    ("Bak Seyul", "박세율"),
    ("Choe Son Hui", "최선희"),
    ("Choi Sun-hee", "최선희"),
    ("Jang Song Thaek", "장성택"),
    ("Chang Sŏng-t'aek", "장성택"),
    ("Jeong Eun-gyeong", "Chung Eunkyung"),
    ("Jong Un Gyong", "정은경"),
    ("Jung Eun Kyung", "정은경"),
    ("김정은", "Kim Jong Un"),
    ("김정은", "Kim Jeongeun"),
    ("Kim Kye-gwan", "김계관"),
    ("Kim Gye Gwan", "김계관"),
    ("Sunwoo Yunu", "선우윤우"),
    ("Namgoong Min-su", "남궁민수"),
    ("Na-eun Cha", "차나은"),
    ("Cha Naeun", "차나은"),
    ("Tae-woo Ahn", "안태우"),
    ("An Thae U", "안태우"),
    ("Hyeon Seok-hun", "Hyun Sukhoon"),
    ("Min Ho Kim", "김민호"),
    ("Yonghwan Jin", "진용환"),
    ("Jin Yong Hwan", "진용환"),
]

DIFFERENT_PERSONS = [
    ("김정은", "김정일"),
    ("Kim Jong Un", "Kim Jong Il"),
    ("이철수", "임철수"),
    ("Lee Cheol-su", "Lim Cheol-su"),
    ("조민수", "최민수"),
    ("Cho Min-su", "Choi Min-su"),
    ("전민수", "정민수"),
    ("Jeon Min-su", "Jeong Min-su"),
    ("김철수", "박철수"),
    ("김철수", "김영수"),
    ("김정", "김전"),
]


@pytest.mark.parametrize(("left", "right"), SAME_PERSON)
def test_spellings_of_one_name_share_a_key(left: str, right: str) -> None:
    assert name_keys(left) & name_keys(right)


@pytest.mark.parametrize(("left", "right"), DIFFERENT_PERSONS)
def test_hard_negatives_share_no_key(left: str, right: str) -> None:
    assert not name_keys(left) & name_keys(right)


def test_a_key_is_the_surname_class_and_the_given_name_skeleton() -> None:
    assert name_keys("Ri Chol Su") == frozenset({"이:JOLSO"})


def test_an_ambiguous_surname_yields_a_key_for_each_family() -> None:
    assert name_keys("Song Min-ho") == frozenset({"송:MINHO", "성:MINHO"})


def test_a_surname_outside_the_table_is_keyed_by_its_sound() -> None:
    assert surname_classes("Xiao") == surname_classes("Xiaoh")
    assert next(iter(surname_classes("Xiao"))).startswith(UNKNOWN_SURNAME)


def test_an_unlisted_spelling_of_a_listed_surname_finds_its_family() -> None:
    assert surname_classes("Cheong") == frozenset({"정"})


def test_separated_and_joined_given_names_agree() -> None:
    assert given_skeletons("Se-yul") == given_skeletons("Se Yul") == given_skeletons("Seyul") == given_skeletons("세율")


def test_letters_keep_syllable_breaks_and_drop_marks() -> None:
    assert letters("Ch'ŏl-su") == "chol-su"
    assert letters("Tae Woo") == "tae-oo"
    assert letters("Hwan") == "han"


@pytest.mark.parametrize("blank", ["", "   ", "-", "Kim", "김"])
def test_a_name_without_a_given_name_has_no_keys(blank: str) -> None:
    assert name_keys(blank) == frozenset()


def test_keys_of_separate_fields_match_keys_of_the_written_name() -> None:
    assert name_keys_parts("Kim", "Chol-su") == name_keys("Kim Chol-su")
    assert name_keys_parts("김", "철수") & name_keys("Chul Soo Kim")


@settings(max_examples=300, deadline=None)
@given(single_surnames, given_names)
def test_every_system_spelling_shares_a_key_with_the_hangul(family: str, given_name: str) -> None:
    hangul = family + given_name
    keys = name_keys(hangul)
    spellings = [
        revised(hangul),
        revised(hangul, hyphen=False, usual_surname=False),
        mccune_reischauer(hangul),
        mccune_reischauer(hangul, diacritics=False),
        north(hangul),
    ]
    for spelling in spellings:
        assert keys & name_keys(spelling), spelling


@settings(max_examples=200, deadline=None)
@given(single_surnames, given_names)
def test_a_name_has_between_one_and_four_keys_and_the_same_ones_each_time(family: str, given_name: str) -> None:
    for spelling in [family + given_name, *sorted(popular(family + given_name))[:10]]:
        keys = name_keys(spelling)
        assert 1 <= len(keys) <= 4, spelling
        name_keys.cache_clear()
        assert name_keys(spelling) == keys


def _pairs(name: str) -> list[tuple[str, str, bool]]:
    with (DATA / name).open(encoding="utf-8") as f:
        return [(row["left"], row["right"], row["label"] == "1") for row in csv.DictReader(f)]


@pytest.mark.parametrize("name", ["korean_name_pairs_dev.csv", "korean_name_pairs_heldout.csv"])
def test_labelled_pairs_block_with_high_recall_and_few_false_candidates(name: str) -> None:
    pairs = _pairs(name)
    shared = [(bool(name_keys(left) & name_keys(right)), label) for left, right, label in pairs]
    positives = [is_shared for is_shared, label in shared if label]
    negatives = [is_shared for is_shared, label in shared if not label]
    assert sum(positives) / len(positives) >= 0.99
    assert sum(negatives) / len(negatives) <= 0.02
