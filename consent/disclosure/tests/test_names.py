"""Names of registered persons in every script, system, order and spacing; aliases; family members;
given names and surnames alone; unregistered Korean names as advisories."""

from __future__ import annotations

import pytest

from consent.disclosure.memory_registry import InMemoryRegistry
from consent.disclosure.tests.helpers import finding, report, spans
from consent.disclosure.tests.registry import RI
from consent.disclosure.types import Kind, PersonRecord, Severity


@pytest.mark.parametrize(
    "written",
    [
        "Ri Chol Su",  # the DPRK's system
        "Ri Ch'ŏl-su",  # McCune-Reischauer
        "Ri Chol-su",  # McCune-Reischauer without breves
        "Lee Cheol-su",  # Revised Romanization, usual surname
        "Yi Cheolsu",  # joined given name
        "Rhee Chul-soo",  # popular spellings
        "Chol-su Ri",  # Western order
        "Cheol-su LEE",  # Western order, surname in capitals
        "RI Chol Su",  # surname in capitals first
    ],
)
def test_a_romanised_name_is_found_in_any_system_and_order(written):
    result = report(f"The prisoner {written} was interviewed on Monday.")
    found = finding(result, written, Kind.NAME)
    assert found.severity is Severity.IDENTIFYING
    assert found.person_ids == {RI.person_id}
    assert found.replacement == "[NAME]"


def test_surname_comma_given_name_is_one_name():
    result = report("Listed as RI, Chol Su on the register.")
    assert finding(result, "RI, Chol Su", Kind.NAME).person_ids == {1}


def test_a_possessive_stays_outside_the_name():
    result = report("Sergeant Ri Chol Su's unit was overrun.")
    assert "Ri Chol Su" in spans(result, Kind.NAME)


def test_a_rank_before_a_name_is_not_part_of_it():
    result = report("Junior Sergeant Ri Chol Su spoke first.")
    assert "Ri Chol Su" in spans(result, Kind.NAME)
    assert "Junior Sergeant" in spans(result, Kind.RANK)


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("리철수는 포로로 잡혔다.", "리철수"),  # northern spelling, topic particle
        ("이철수가 말했다.", "이철수"),  # southern spelling, subject particle
        ("리 철수는 웃었다.", "리 철수"),  # spaced
        ("리철수 하사에게 편지를 보냈다.", "리철수"),  # rank after the name
        ("리철수 씨의 가족", "리철수"),  # honorific
        ("리철수입니다.", "리철수"),  # copula
    ],
)
def test_a_hangul_name_is_found_with_its_particle_outside(text, name):
    result = report(text)
    found = finding(result, name, Kind.NAME)
    assert found.person_ids == {1}
    assert found.replacement == "[이름]"


@pytest.mark.parametrize("alias", ["Иван Петров", "Ivan Petrov", "Petrov Ivan"])
def test_an_alias_is_found_in_cyrillic_or_latin(alias):
    result = report(f"His Russian card was made out to {alias}.")
    assert finding(result, alias, Kind.NAME).person_ids == {1}


def test_a_cyrillic_alias_is_found_from_its_transliteration():
    only_cyrillic = PersonRecord(person_id=9, family_name="Kim", given_name="Tong Il", aliases=("Сергей Борисов",))
    result = InMemoryRegistry([only_cyrillic])
    from consent.disclosure.engine import analyse

    found = analyse("The card said Sergei Borisov.", result)
    assert "Sergei Borisov" in spans(found, Kind.NAME)


@pytest.mark.parametrize("written", ["Kim Ok-hui", "김옥희", "Ri Yong Nam", "Lee Young-nam"])
def test_a_family_members_name_is_found(written):
    result = report(f"His relative {written} lives in the North.")
    found = finding(result, written, Kind.FAMILY_NAME)
    assert found.severity is Severity.IDENTIFYING
    assert found.person_ids == {1}
    assert found.replacement in ("[FAMILY MEMBER]", "[가족]")


def test_a_given_name_alone_is_found_after_a_full_mention():
    result = report("Ri Chol Su was captured in January. Chol-su said he wanted to go to Seoul. Later Cheol Su slept.")
    assert {"Chol-su", "Cheol Su"} <= set(spans(result, Kind.NAME))


def test_a_given_name_alone_is_found_for_a_linked_person():
    result = report("Dear mother, I am well. Your son, Chol-su", linked=[1])
    found = finding(result, "Chol-su", Kind.NAME)
    assert found.person_ids == {1}


def test_a_hangul_given_name_alone_is_found_for_a_linked_person():
    result = report("어머니, 저 철수입니다. 잘 지내고 있어요.", linked=[1])
    assert "철수" in spans(result, Kind.NAME)


def test_a_given_name_alone_is_looked_up_as_the_vault_indexes_it():
    result = report("Chol-su said he wanted to go to Seoul. Song-il said nothing. Myong-guk left.")
    assert finding(result, "Chol-su", Kind.NAME).person_ids == {1}
    assert finding(result, "Song-il", Kind.NAME).person_ids == {2}
    assert "Myong-guk" not in spans(result, Kind.NAME)


def test_a_given_name_inside_someone_elses_name_is_not_the_persons():
    result = report("Ri Chol Su was captured. Kim Chol Su, a journalist, reported it.")
    assert "Chol Su" not in spans(result, Kind.NAME)


def test_a_surname_alone_is_found_once_the_person_is_in_the_text():
    result = report("Ri Chol Su was captured. Ri said the food was good. Mr Ri, 26, smiled.")
    surnames = [f for f in result.findings if f.kind is Kind.SURNAME]
    assert len(surnames) == 2
    assert all(f.person_ids == {1} and f.severity is Severity.IDENTIFYING for f in surnames)


def test_a_hangul_surname_alone_is_found_with_a_title():
    result = report("리철수 하사는 포로가 되었다. 리 하사는 웃었다. 리씨는 말이 없었다.")
    assert spans(result, Kind.SURNAME).count("리") == 2


def test_an_english_word_spelled_like_a_surname_is_not_one():
    record = PersonRecord(person_id=5, family_name="Son", given_name="Il Nam", family_name_hangul="손")
    from consent.disclosure.engine import analyse

    result = analyse("Son Il Nam was captured. So the son of a farmer went home.", InMemoryRegistry([record]))
    assert spans(result, Kind.SURNAME) == []


def test_an_unregistered_korean_name_is_only_an_advisory():
    result = report("Vice Minister Kang Thae Ryong spoke in Geneva.")
    found = finding(result, "Kang Thae Ryong", Kind.POSSIBLE_NAME)
    assert found.severity is Severity.ADVISORY
    assert result.is_clean


def test_a_hard_negative_one_syllable_away_is_not_the_person():
    result = report("Ri Chol Ho, a diplomat, gave a speech.")
    assert "Ri Chol Ho" not in spans(result, Kind.NAME)


def test_hangul_words_that_start_like_names_are_not_names():
    result = report("이번 조사에서 정부는 한국 정부의 입장을 전했다.")
    assert spans(result, Kind.NAME, Kind.POSSIBLE_NAME) == []


def test_an_alias_of_a_korean_shape_is_found_through_its_keys():
    result = report("He also used the name Kim Yong-ho.")
    assert finding(result, "Kim Yong-ho", Kind.NAME).person_ids == {3}


def test_a_foreign_alias_written_in_hangul_is_found_for_a_person_in_the_text():
    result = report("리철수는 러시아 서류에 이반 페트로프라는 이름으로 적혀 있었다.")
    assert finding(result, "이반 페트로프", Kind.NAME).person_ids == {1}


def test_a_given_name_in_another_romanisation_is_found_through_its_hangul_readings():
    result = report("Cheol-su said he was cold.")
    assert finding(result, "Cheol-su", Kind.NAME).person_ids == {1}
