"""The generic recognisers, one rule each: dates of birth, ages, ranks, units, places and hometowns,
facilities, capture, phones, e-mail addresses, serial numbers; and the registry-bound values of a
person found in the text."""

from __future__ import annotations

import pytest

from consent.disclosure.engine import analyse
from consent.disclosure.memory_registry import InMemoryRegistry
from consent.disclosure.tests.helpers import finding, report, spans
from consent.disclosure.types import Kind, PersonRecord, Severity


@pytest.mark.parametrize(
    ("text", "date"),
    [
        ("He was born on 1999-04-12 in the north.", "1999-04-12"),
        ("He was born on 12 April 1999.", "12 April 1999"),
        ("He was born on April 12, 1999.", "April 12, 1999"),
        ("Date of birth: 12.04.1999.", "12.04.1999"),
        ("DOB 12/4/1999, male.", "12/4/1999"),
        ("b. 3 Sep 2001, Kyonggi", "3 Sep 2001"),
        ("생년월일: 1999년 4월 12일", "1999년 4월 12일"),
        ("그는 1999. 4. 12.에 태어났다.", "1999. 4. 12."),
        ("그는 1999년 4월 12일생이다.", "1999년 4월 12일"),
        ("He was born in April 1999.", "April 1999"),
    ],
)
def test_a_date_in_a_birth_context_is_a_date_of_birth(text, date):
    result = report(text)
    found = finding(result, date, Kind.DATE_OF_BIRTH)
    assert found.severity is Severity.IDENTIFYING


@pytest.mark.parametrize(
    "text",
    [
        "The press conference was held on 12 April 2025.",
        "On 3 February the ICRC visited the camp.",
        "2025년 3월 12일 기자회견",
    ],
)
def test_an_event_date_is_no_finding(text):
    assert spans(report(text), Kind.DATE_OF_BIRTH, Kind.AGE) == []


def test_a_date_of_birth_is_found_in_any_format_for_a_person_in_the_text():
    result = report("Ri Chol Su gave us a paper dated 12/04/1999.")
    found = finding(result, "12/04/1999", Kind.DATE_OF_BIRTH)
    assert found.person_ids == {1}


def test_a_registry_date_of_birth_identifies_the_person_born_then():
    result = report("A prisoner born on 12 April 1999 was moved.")
    assert finding(result, "12 April 1999", Kind.DATE_OF_BIRTH).person_ids == {1}


@pytest.mark.parametrize(
    ("text", "age"),
    [
        ("a 26-year-old sniper", "26-year-old"),
        ("the prisoner, aged 26, said", "aged 26"),
        ("he is 26 years old", "26 years old"),
        ("Pak, 26, a farmer's son", "26"),
        ("Pak (26) was moved", "26"),
        ("Min-gil is 18 and says", "18"),
        ("a twenty-six-year-old gunner", "twenty-six-year-old"),
        ("그는 26세의 병사다", "26세"),
        ("그는 26살이다", "26살"),
        ("스물여섯 살의 병사", "스물여섯 살"),
        ("in his early twenties", "in his early twenties"),
        ("born in 1999, he", "1999"),
        ("99년생 병사", "99년생"),
        ('Jang Se Yul ("Se-yul"), now 20.', "20"),
        ("Roh Chang-il, mortar gunner, Storm Corps, 30. From Kaesong.", "30"),
        ("real name Pak Kwang Hyok. 21, private, Unit 40001.", "21"),
        ("He would be 25, from Hyesan.", "25"),
        ("I spent my twenty-first birthday in a trench.", "twenty-first birthday"),
        ("Baek K.J., 20 y/o M, transferred", "20 y/o"),
        ("says he's from Rason, born '99 - mother", "99"),
        ('captioned "Happy 22nd, Song-jin!"', "22"),
        ("Of the prisoners, the youngest of them, 20, told the team he had been a soldier.", "20"),
        ("He was a staff sergeant and, at 26, one of the older men.", "26"),
    ],
)
def test_an_age_or_year_of_birth_is_a_quasi_identifier(text, age):
    found = finding(report(text), age, Kind.AGE)
    assert found.severity is Severity.QUASI


@pytest.mark.parametrize(
    "text",
    [
        "26 prisoners were moved",
        "the camp is 26 km away",
        "in their early twenties",
        "The unit, now 20 km away.",
        "See chapter 3, 28. The end.",
    ],
)
def test_numbers_that_are_not_ages_are_no_finding(text):
    assert spans(report(text), Kind.AGE) == []


@pytest.mark.parametrize(
    ("text", "rank"),
    [
        ("a junior sergeant of the KPA", "junior sergeant"),
        ("the sniper said", "sniper"),
        ("Private Kim asked", "Private"),
        ("a private in the 11th Corps", "private"),
        ("a 26-year-old private from Hoeryong", "private"),
        ("Major Pak refused", "Major"),
        ("promoted to captain in 2023", "captain"),
        ("Sgt. Ri said", "Sgt."),
        ("리철수 하사는", "하사"),
        ("저격수로 복무했다", "저격수"),
        ("박 상사는 웃었다", "상사"),
        ("Bed 4: RI K.C. (Sgt, 11 Corps).", "Sgt"),
        ("2. Ko Myong-chol — PFC, 11th Corps, 23.", "PFC"),
        ("I, U Chol Hyon, private of the 11th Corps, ask", "private"),
        ('Subject: Ri Kwang-chol (on screen: "Sergeant R.").', "Sergeant"),
        ("which one? Chol-ung, the SSgt, HC2", "SSgt"),
        ("Rank/unit: Master Sgt., 120th Arty Regt", "Master Sgt"),
        ("the recon one. jr sgt. says he is from Rason", "jr sgt"),
    ],
)
def test_a_rank_or_role_is_found(text, rank):
    assert finding(report(text), rank, Kind.RANK).severity is Severity.QUASI


@pytest.mark.parametrize(
    "text",
    [
        "a private interview with each prisoner",
        "a major offensive is expected",
        "in general, conditions are good",
        "the general public",
        "the captain of the fishing boat",
        "Ukrainian paratroopers took them prisoner",
        "Lieutenant General Pak Jong Chon",
        "소위 말하는 정상회담",
        "그는 전사했다",
        "the Ukrainian officer, Col. Andriy Melnyk, said",
    ],
)
def test_words_that_are_ranks_only_in_a_rank_position_are_no_rank_elsewhere(text):
    assert spans(report(text), Kind.RANK) == []


@pytest.mark.parametrize(
    "unit",
    [
        "Unit 40001",
        "11th Army Corps",
        "Storm Corps",
        "94th Brigade",
        "3rd Battalion",
        "40001부대",
        "폭풍군단",
        "제11군단",
        "11 Corps",
        "6th Inf. Div.",
        "94th Bde",
        "94 Bde",
        "120th Arty Regt",
        "25th Engineer Bn",
        "8th recon",
        "포병연대",
        "정찰대대",
        "제94독립려단",
    ],
)
def test_a_unit_is_found(unit):
    assert finding(report(f"He served with {unit} until the autumn."), unit, Kind.UNIT).severity is Severity.QUASI


def test_a_persons_unit_identifies_them():
    result = report("Ri Chol Su's comrades of the 94th Brigade were also captured.")
    found = finding(result, "94th Brigade", Kind.UNIT)
    assert found.severity is Severity.IDENTIFYING and found.person_ids == {1}


@pytest.mark.parametrize(
    ("text", "place"),
    [
        ("His sister still lives in Chongjin.", "Chongjin"),
        ("He served near Hamhŭng for a year.", "Hamhŭng"),
        ("The family moved to Hyesan.", "Hyesan"),
        ("가족은 청진에 산다.", "청진"),
        ("He was stationed in South Pyongan Province.", "South Pyongan Province"),
    ],
)
def test_a_north_korean_place_is_a_quasi_identifier(text, place):
    assert finding(report(text), place, Kind.PLACE).severity is Severity.QUASI


@pytest.mark.parametrize(
    ("text", "place"),
    [
        ("He comes from Hoeryong.", "Hoeryong"),
        ("a native of Musan County", "Musan County"),
        ("He grew up in Hyesan.", "Hyesan"),
        ("born in the border town of Onsong", "Onsong"),
        ("a Hoeryong native", "Hoeryong"),
        ("회령 출신이다", "회령"),
        ("고향은 청진이다", "청진"),
        ("무산에서 태어났다", "무산"),
        ("from Sangdong-ri, a village", "Sangdong-ri"),
    ],
)
def test_a_place_in_an_origin_context_is_a_hometown(text, place):
    found = finding(report(text), place, Kind.PLACE_OF_ORIGIN)
    assert found.severity is Severity.IDENTIFYING


@pytest.mark.parametrize(
    "text",
    [
        "He wants to go to Seoul.",
        "The press conference was held in Kyiv.",
        "Pyongyang denied the report.",
        "The Kim Chaek University of Technology",
        "이번 구성은 좋다.",
    ],
)
def test_places_that_are_not_about_a_person_are_no_finding(text):
    assert spans(report(text), Kind.PLACE, Kind.PLACE_OF_ORIGIN) == []


def test_a_persons_place_of_origin_identifies_them_anywhere():
    result = report("Ri Chol Su was interviewed. Hoeryong, his town, is on the border.")
    assert finding(result, "Hoeryong", Kind.PLACE_OF_ORIGIN).person_ids == {1}


@pytest.mark.parametrize(
    ("text", "facility"),
    [
        ("He is held at the Zolochiv detention centre.", "Zolochiv detention centre"),
        ("He was moved to Camp No. 2 last week.", "Camp No. 2"),
        ("He is in a POW camp in the Lviv region.", "POW camp in the Lviv region"),
        ("He was treated at Kyiv Regional Hospital.", "Kyiv Regional Hospital"),
        ("그는 제2포로수용소에 있다.", "제2포로수용소"),
        ("르비우 수용소에 수감되어 있다.", "르비우 수용소"),
        ("Met her at the Saebyeok centre.", "Saebyeok centre"),
        ("To: night duty, Hanul House", "Hanul House"),
        ("held at the Xinhe border detention centre before", "Xinhe border detention centre"),
        ("Handover, Camp Kalyna-7, night.", "Camp Kalyna-7"),
        ("현재 토폴리아 수용소에서 치료를 받고 있다.", "토폴리아 수용소"),
        ("홍치 구류소 4개월", "홍치 구류소"),
        ("현재 새벽보호센터 - 딸", "새벽보호센터"),
        ("하늘정착관에서 지내며", "하늘정착관"),
        ("이곳 칼리나 7 수용소에서는", "칼리나 7 수용소"),
        ("지금은 칼리나-7 수용소에 있습니다.", "칼리나-7 수용소"),
        ("2수용소로 돌아오는 거 맞지?", "2수용소"),
        ("쉼터(해바라기 쉼터) 생활에는 적응 중", "해바라기 쉼터"),
        ("서부중계소로 옮겼다", "서부중계소"),
    ],
)
def test_a_facility_is_found(text, facility):
    assert finding(report(text), facility, Kind.FACILITY)


@pytest.mark.parametrize(
    ("text", "alone"),
    [
        ("Shift handover, Camp Kalyna-7. The interview took place at Kalyna-7 on 3 July.", "Kalyna-7"),
        ("He is in Camp Kalyna-7. Fixer: camp is Kalyna 7", "Kalyna 7"),
        ("유 하사는 토폴리아 수용소에 있다. 토폴리아에서 만났다.", "토폴리아"),
    ],
)
def test_a_named_facilitys_name_alone_elsewhere_in_the_text_is_a_facility(text, alone):
    assert finding(report(text), alone, Kind.FACILITY).severity is Severity.QUASI


@pytest.mark.parametrize(
    "text",
    [
        "He was taken to hospital. The camp has a library.",
        "the White House, the city centre, a centre in Kyiv",
        "포로 수용소에 있다. 이 병원에서",
    ],
)
def test_a_generic_facility_word_is_no_finding(text):
    assert spans(report(text), Kind.FACILITY) == []


@pytest.mark.parametrize(
    ("text", "capture"),
    [
        ("He was captured near Sudzha on 9 January 2025.", "Sudzha on 9 January 2025"),
        ("He was taken prisoner in the Kursk region.", "Kursk region"),
        ("He surrendered near Korenevo in early January.", "Korenevo in early January"),
        ("He was captured by Ukrainian paratroopers near Plekhovo.", "Plekhovo"),
        ("On 9 January, paratroopers took two men prisoner.", "9 January"),
        ("2025년 1월 쿠르스크 지역에서 포로로 잡혔다.", "2025년 1월 쿠르스크 지역에서"),
    ],
)
def test_capture_place_and_date_are_found(text, capture):
    assert finding(report(text), capture, Kind.CAPTURE).severity is Severity.QUASI


@pytest.mark.parametrize(
    "phone", ["+82 10-2345-6789", "010-2345-6789", "+380 67 123 4567", "+7 912 345-67-89", "010 4471 2093"]
)
def test_a_phone_number_is_identifying(phone):
    found = finding(report(f"His sister can be reached on {phone} in the evening."), phone, Kind.PHONE)
    assert found.severity is Severity.IDENTIFYING


def test_a_date_is_not_a_phone_number():
    assert spans(report("He was born on 1999-04-12 and moved on 2024.11.03."), Kind.PHONE) == []


@pytest.mark.parametrize("address", ["kong.family@post.example.com", "ri.family [at] example [dot] org"])
def test_an_email_address_is_identifying(address):
    result = report(f"The family writes from {address} every month.")
    assert finding(result, address, Kind.EMAIL).severity is Severity.IDENTIFYING


def test_an_organisations_published_contact_is_only_advisory():
    result = report("For media enquiries, contact the press office at press@ngo.example.org or +41 22 730 2111.")
    assert result.is_clean
    assert {f.rule for f in result.findings} == {"organisation_contact"}


@pytest.mark.parametrize(
    ("text", "serial"),
    [
        ("His serial number is KPA-7734-1192.", "KPA-7734-1192"),
        ("military number: 112-48837", "112-48837"),
        ("그의 군번은 112-48837이다.", "112-48837"),
        ("Passport no. 7203311", "7203311"),
    ],
)
def test_a_serial_number_in_context_is_identifying(text, serial):
    assert finding(report(text), serial, Kind.SERIAL_NUMBER).severity is Severity.IDENTIFYING


def test_a_persons_serial_number_is_found_without_context_and_with_other_separators():
    result = report("Ri Chol Su carried a tag reading KPA 7734 1192.")
    assert finding(result, "KPA 7734 1192", Kind.SERIAL_NUMBER).person_ids == {1}


def test_a_persons_facility_and_rank_are_tied_to_them():
    result = report("Ri Chol Su, a junior sergeant, is held at the Zolochiv POW camp.")
    assert finding(result, "Zolochiv POW camp", Kind.FACILITY).person_ids == {1}
    assert finding(result, "junior sergeant", Kind.RANK).person_ids == {1}


def test_a_lone_surname_beside_an_age_or_a_rank_is_a_quasi_identifier():
    result = report("Pak, 30, spoke first. Sergeant Ho spoke next. Mr Kang spoke last.")
    assert spans(result, Kind.SURNAME) == ["Pak", "Ho"]


@pytest.mark.parametrize(
    ("text", "span"),
    [
        ("About 11,000 troops were sent, many of them from the Storm Corps.", "Storm Corps"),
        ("Most of the defectors come from North Hamgyong.", "North Hamgyong"),
        ("이들 대부분은 폭풍군단 소속이다.", "폭풍군단"),
    ],
)
def test_quasi_identifiers_in_a_sentence_about_a_group_are_advisories(text, span):
    result = report(text)
    assert finding(result, span).severity is Severity.ADVISORY
    assert result.is_clean


def test_a_sentence_about_a_group_and_an_individual_keeps_its_findings():
    result = report("Many soldiers came from the Storm Corps, he said, and he was one of them.")
    assert finding(result, "Storm Corps", Kind.UNIT).severity is Severity.QUASI


@pytest.mark.parametrize("text", ["Captain Olena Shevchuk briefed the press.", "Col. Andriy Melnyk answered."])
def test_the_rank_of_a_named_foreign_officer_is_no_finding(text):
    assert spans(report(text), Kind.RANK) == []


def test_who_captured_someone_is_not_where():
    assert spans(report("우크라이나군에 붙잡힌 병사가 말했다."), Kind.CAPTURE) == []


def _one_person(**fields: object) -> InMemoryRegistry:
    return InMemoryRegistry([PersonRecord(person_id=1, **fields)])  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("text", "word"),
    [
        ("Kim Yong-su wrote. Here they still call me Namsaraev because of the papers.", "Namsaraev"),
        ("Kim Yong-su (Sunny) asked. Aiko: Sunny, are you ok?", "Sunny"),
    ],
)
def test_a_word_of_a_foreign_alias_or_a_nickname_alone_names_the_person(text, word):
    registry = _one_person(family_name="Kim", given_name="Yong-su", aliases=("Aleksei Namsaraev", "Sunny"))
    found = [f for f in analyse(text, registry).findings if text[f.start : f.end] == word and f.kind is Kind.NAME]
    assert found and all(f.person_ids == {1} for f in found), found


def test_a_hangul_surname_with_a_rank_names_a_person_recorded_only_in_latin_letters():
    text = "Pak Chong-bok was interviewed. 박 전사는 제3국으로 보내 달라고 요청했다."
    result = analyse(text, _one_person(family_name="Pak", given_name="Chong-bok"))
    assert any(text[f.start : f.end] == "박" and f.person_ids == {1} for f in result.findings)


def test_a_given_name_after_the_pronoun_na_is_not_hidden_as_part_of_a_name():
    text = "엄마, 나 성민이야. 잘 지내고 있어.\n\n박 성민"
    result = analyse(text, _one_person(family_name_hangul="박", given_name_hangul="성민"))
    assert any(text[f.start : f.end] == "성민" and f.start < 10 and f.person_ids == {1} for f in result.findings)


def test_a_rare_surname_alone_names_the_person():
    text = "Kye Sung-il gave his serial number. Kye is held at Camp Topolia."
    result = analyse(text, _one_person(family_name="Kye", given_name="Sung-il", family_name_hangul="계"))
    assert [f.person_ids for f in result.findings if text[f.start : f.end] == "Kye" and f.start > 10] == [{1}]


@pytest.mark.parametrize(
    ("facility", "short"),
    [
        ("Holding Centre No. 4", "HC-4"),
        ("Holding Centre No. 2", "HC2"),
        ("Birch Hill Camp", "BHC"),
        ("Western Transit Point", "Western Transit"),
    ],
)
def test_a_persons_facility_is_found_by_the_initials_staff_write(facility, short):
    text = f"Tak Song-jin, 94 Bde. Moved to {short} at 15:00."
    result = analyse(text, _one_person(family_name="Tak", given_name="Song-jin", facilities=(facility,)))
    assert any(text[f.start : f.end].startswith(short) and f.person_ids == {1} for f in result.findings)


def test_a_persons_unit_is_found_without_its_number_when_its_branch_says_which():
    text = "In the letter, Ju Song-ryong says he served with an artillery regiment."
    result = analyse(text, _one_person(family_name="Ju", given_name="Song-ryong", unit="120th Artillery Regiment"))
    assert finding(result, "artillery regiment", Kind.UNIT).person_ids == {1}


@pytest.mark.parametrize(
    ("text", "nickname"), [("Pak Chol-min laughs. Kom said no.", "Kom"), ("박철민. 곰돌이 꼬마야", "꼬마")]
)
def test_a_nickname_alone_names_the_person(text, nickname):
    result = analyse(
        text,
        _one_person(
            family_name="Pak",
            given_name="Chol-min",
            family_name_hangul="박",
            given_name_hangul="철민",
            aliases=("Kom", "꼬마"),
        ),
    )
    assert any(text[f.start : f.end] == nickname and f.person_ids == {1} for f in result.findings)


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("lena: ryu jinhak moved to ward 2", "ryu jinhak"),
        ("which one? ryu jin hak, the tall one", "ryu jin hak"),
    ],
)
def test_a_full_name_typed_in_lower_case_names_the_person(text, name):
    registry = _one_person(family_name="Ryu", given_name="Jin-hak", family_name_hangul="류", given_name_hangul="진학")
    assert finding(analyse(text, registry), name, Kind.NAME).person_ids == {1}


def test_in_a_text_that_types_names_in_lower_case_a_given_name_and_a_surname_name_the_person_too():
    text = "ryu jin-hak is at the camp.\nana: is jinhak ok? ryu said he was tired"
    result = analyse(text, _one_person(family_name="Ryu", given_name="Jin-hak"))
    assert {text[f.start : f.end] for f in result.findings if f.person_ids == {1}} >= {"jinhak", "ryu"}


@pytest.mark.parametrize(
    "text",
    [
        "we ate ham and eggs, so do i",
        "the moon rose over the sun",
        "kim and the others",
        "Kim Ju-song walked in the park.",  # a lower-case surname counts only where names are typed so
    ],
)
def test_lower_case_english_words_are_no_name(text):
    registry = _one_person(family_name="Pak", given_name="Ju-song")
    names = [text[f.start : f.end] for f in analyse(text, registry).findings if f.kind in (Kind.NAME, Kind.SURNAME)]
    assert [name for name in names if name.islower()] == []
