"""The name scorer: textbook positives and hard negatives, its properties, and F1 on the labelled sets."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from matching.romanise import mccune_reischauer, north, revised
from matching.score import DEFAULT_THRESHOLD, evaluate, score, within_one_edit
from matching.tests.strategies import given_names, single_surnames

DATA = Path(__file__).resolve().parents[2] / "tests" / "data"

SAME_PERSON = [
    ("김철수", "Kim Chol-su"),
    ("김철수", "Kim Ch'ŏl-su"),
    ("김철수", "Kim Cheol-su"),
    ("김철수", "Chul Soo Kim"),
    ("Kim Cheol-su", "Chul Soo Kim"),
    ("Ri Chol Su", "Lee Cheol-su"),
    ("리철수", "이철수"),
    ("Kim Se-yul", "Kim Seyul"),
    ("Kim Se Yul", "Se-yul Kim"),
    ("장성택", "Jang Song Thaek"),
    ("최선희", "Choe Son Hui"),
    ("Cheol-su KIM", "김철수"),
    ("남궁민수", "Namkoong Min-soo"),
    ("Chung Myung-soo", "Cheong Myeong-su"),
]
DIFFERENT_PEOPLE = [
    ("김정은", "김정일"),
    ("Kim Jong Un", "Kim Jong Il"),
    ("이철수", "임철수"),
    ("Lee Cheol-su", "Lim Cheol-su"),
    ("조민수", "최민수"),
    ("Cho Min-su", "Choi Min-su"),
    ("전민수", "정민수"),
    ("Jeon Min-su", "Jeong Min-su"),
    ("김철수", "박영희"),
    # Neither name may be read in the unusual order at the same time ("Jin" as surname on both sides
    # would make U and O given syllables that both spell 어).
    ("U Hyon Jin", "O Hyon Jin"),
    # An unknown last word is never taken as the surname: Mi-kyung is no family.
    ("Jeon Mi-kyung", "Cheon Mi-kyung"),
    ("Gu Bon-cheol", "Go Bon-cheol"),
    # A readable different syllable is another name, not a misspelling.
    ("Lee Kyung-min", "Lee Kyung-mi"),
    ("Kim Eun-hye", "Kim Eun-hae"),
]
SLIPS_OF_THE_KEYBOARD = [
    ("Yoon Seo-jin", "Yoon Seo-jjn"),  # unreadable part, one letter wrong
    ("Seo Min-jun", "Seo Mni-jun"),  # two letters swapped
    ("Park Sung-chul", "Prak Sung-chul"),  # misspelt surname
    ("Kang Min-ho", "Kagn Min-ho"),
    ("허광하", "Heo Gwanngha"),  # a doubled letter inside a joined given name
]
# Slips whose text still spells syllables or a surname: forgiven only when no spelling system makes them.
SLIPS_THAT_SPELL_SOMETHING = [
    ("Kim Min-jeong", "Kim Min-joeng"),  # two neighbouring vowels swapped
    ("Na Ha-bin", "Na Ha-bbin"),  # a consonant typed twice
    ("Han Hyeok-geun", "Han Hyeokkkeun"),
    ("Wang Gyu-sik", "Wang Gyusiik"),  # a vowel no system doubles
    ("엄한인", "Umm Han In"),  # a slipped surname must not flip the name order ("In" is a surname)
    ("Keum Geehoh", "Keeho Keeum"),
    ("Song Eun-suk", "Sonm Eun Suk"),
    ("Myung Yeong-do", "Mung Yeong-do"),  # a syllable no family uses, a letter dropped
]
# Near misses that spelling practice makes or that are other names: not forgiven as slips.
NOT_SLIPS = [
    ("Choo Hayeon", "Choo Haeyeon"),  # y swapped with a vowel: hae-yon is another spelling of 해연
    ("Lee Hyun-sook", "Lee Hyun-seok"),  # Sook is a popular Suk, not a doubled o
    ("Kye Min-ho", "Ki Min-ho"),  # 계 is one letter from Kee (기) only by a changed letter
    ("Ko Min-gil", "Ko Min-il"),  # a dropped initial consonant leaves another syllable
]


@pytest.mark.parametrize(("left", "right"), SAME_PERSON)
def test_one_person_written_two_ways_matches(left, right):
    assert score(left, right) >= DEFAULT_THRESHOLD


@pytest.mark.parametrize(("left", "right"), DIFFERENT_PEOPLE)
def test_hard_negatives_do_not_match(left, right):
    assert score(left, right) < DEFAULT_THRESHOLD


@pytest.mark.parametrize(("left", "right"), SLIPS_OF_THE_KEYBOARD)
def test_one_slip_of_the_keyboard_that_spells_no_syllable_is_forgiven(left, right):
    assert score(left, right) >= DEFAULT_THRESHOLD


@pytest.mark.parametrize(("left", "right"), SLIPS_THAT_SPELL_SOMETHING)
def test_a_slip_no_spelling_system_makes_is_forgiven_even_when_it_spells_a_syllable(left, right):
    assert score(left, right) >= DEFAULT_THRESHOLD


@pytest.mark.parametrize(("left", "right"), NOT_SLIPS)
def test_a_difference_spelling_practice_makes_is_not_forgiven_as_a_slip(left, right):
    assert score(left, right) < DEFAULT_THRESHOLD


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ("jin", "jin", True),
        ("jjn", "jin", True),
        ("mni", "min", True),
        ("sy", "su", True),
        ("chull", "chul", True),
        ("hey", "hye", True),
        ("hye", "hae", True),
        ("kim", "park", False),
        ("abcd", "badc", False),
        ("su", "suuu", False),
    ],
)
def test_within_one_edit_counts_one_insertion_deletion_substitution_or_swap(a, b, expected):
    assert within_one_edit(a, b) is expected
    assert within_one_edit(b, a) is expected


def test_an_empty_name_scores_zero():
    assert score("", "김철수") == 0.0
    assert score("  ", "   ") == 0.0


names = st.builds(lambda family, given_name: family + given_name, single_surnames, given_names)
written = st.one_of(st.text(max_size=20), names, names.map(revised), names.map(north))


@settings(max_examples=150, deadline=None)
@given(written, written)
def test_score_is_a_probability_and_symmetric(left, right):
    value = score(left, right)
    assert 0.0 <= value <= 1.0
    assert abs(value - score(right, left)) < 1e-9


@settings(max_examples=100, deadline=None)
@given(names)
def test_a_name_matches_itself_in_every_system(name):
    for form in (name, revised(name), mccune_reischauer(name), mccune_reischauer(name, diacritics=False), north(name)):
        assert score(name, form) >= DEFAULT_THRESHOLD, form
        assert score(form, form) >= DEFAULT_THRESHOLD, form


def _f1(path: Path) -> float:
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    labels = [row["label"] == "1" for row in rows]
    decisions = [score(row["left"], row["right"]) >= DEFAULT_THRESHOLD for row in rows]
    return evaluate(labels, decisions).f1


def test_f1_on_the_development_set_is_at_least_097():
    assert _f1(DATA / "korean_name_pairs_dev.csv") >= 0.97


def test_f1_on_the_held_out_set_is_at_least_095():
    assert _f1(DATA / "korean_name_pairs_heldout.csv") >= 0.95


def test_f1_on_the_hand_made_tuning_half_is_at_least_097():
    # Written by hand from real spelling practice, not from the package's tables; its other half
    # (korean_name_pairs_handmade_b.csv) is kept for judging and is not tested here.
    assert _f1(DATA / "korean_name_pairs_handmade_a.csv") >= 0.97


def test_f1_on_the_noisy_set_with_keyboard_slips_is_at_least_095():
    assert _f1(DATA / "korean_name_pairs_noisy.csv") >= 0.95


def test_evaluate_counts_precision_recall_and_f1():
    result = evaluate([True, True, False, False], [True, False, True, False])
    assert (result.precision, result.recall, result.f1, result.pairs) == (0.5, 0.5, 0.5, 4)


@pytest.mark.parametrize(
    ("left", "right"),
    [
        ("Bwelk Ttomkkeulh", "BWELK TTOMKKEULH"),
        ("Bwelk Ttom-kkeulh", "Bwelk Ttomkkeulh"),
        ("Kim Chkhol Su", "KIM CHKHOLSU"),  # through Russian: no Korean syllable reading
    ],
)
def test_the_same_letters_match_even_when_they_read_as_no_korean_syllables(left: str, right: str) -> None:
    assert score(left, right) >= DEFAULT_THRESHOLD


def test_unreadable_given_names_with_different_letters_do_not_match() -> None:
    assert score("Bwelk Ttomkkeuls", "Bwelk Ttomkkeulh") < DEFAULT_THRESHOLD


def test_clear_caches_forgets_every_name_fragment() -> None:
    from matching import score as module

    score("Kim Chol Su", "김철수")
    assert module.score.cache_info().currsize > 0
    module.clear_caches()
    cached = (module._lattice, module._given_alignment, module.features, module.score, module._repairs)
    assert all(function.cache_info().currsize == 0 for function in cached)
