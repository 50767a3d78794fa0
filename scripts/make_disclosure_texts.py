"""Generate the disclosure check's development set: a fictional registry and labelled outgoing texts.

    .venv/bin/python scripts/make_disclosure_texts.py [--seed 7] [--persons 300] [--texts 400]

Writes tests/data/disclosure/registry_dev.json (a list of PersonRecord objects as JSON) and
tests/data/disclosure/dev.jsonl (one text a line: id, language, text, linked, labels). Everything is
fictional: names are drawn from Korean surname and syllable lists, places from the gazetteer,
units, ranks and facilities from invented lists. Labels follow the labelling guide of DESIGN-7.md:
every span that refers to a registered person (names in any spelling, given name or surname alone,
family members' names, date and year of birth, age, hometown and other North Korean places tied to
the person, unit, rank or role, facility, capture place and date, phone, e-mail, serial number);
nothing else (destinations, event dates, organisations, public officials, generic words).

Deterministic for a given seed. The texts are built from sentence templates, so they are easier than
real prose; tests/data/disclosure/dev_handmade*.jsonl hold texts written by hand against the same
registry (not from these templates), and `--markup FILE --out FILE` converts such hand-written texts
from inline markup ([[name:Ri Chol-su|3]] = a name span of person 3) into the JSON Lines format.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import json
import random
import re
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import cast

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from consent.disclosure.data.gazetteer import PLACES, Place  # noqa: E402
from consent.disclosure.types import PersonRecord  # noqa: E402
from matching.hangul import initial_law_south  # noqa: E402
from matching.romanise import mccune_reischauer, north, popular, revised  # noqa: E402
from matching.score import is_match  # noqa: E402

OUT = ROOT / "tests" / "data" / "disclosure"
TODAY = dt.date(2025, 6, 1)

# Surnames weighted roughly by frequency; northern Hangul where the North keeps the initial ㄹ.
SURNAME_WEIGHTS = {
    "김": 22, "리": 14, "박": 9, "최": 5, "정": 5, "강": 3, "조": 3, "윤": 2, "장": 3, "림": 2, "한": 3,
    "오": 2, "서": 1, "신": 2, "권": 1, "황": 2, "안": 2, "송": 2, "전": 2, "홍": 2, "류": 2, "고": 2,
    "문": 2, "량": 1, "손": 1, "배": 1, "백": 2, "허": 1, "남": 1, "심": 1, "로": 1, "하": 1, "곽": 1,
    "성": 1, "차": 1, "주": 1, "우": 1, "구": 1, "민": 1, "라": 1, "진": 1, "지": 1, "엄": 1, "채": 1,
    "원": 1, "천": 1, "방": 1, "공": 1, "현": 2, "함": 1, "변": 1, "렴": 1, "려": 1, "도": 1, "석": 1,
    "선": 1, "설": 1, "마": 1, "길": 1, "표": 1, "명": 1, "기": 1, "반": 1, "금": 1, "옥": 1, "륙": 1,
    "탁": 1, "남궁": 1, "황보": 1, "선우": 1, "제갈": 1,
}  # fmt: skip
MALE_SYLLABLES = (
    "철수성일광혁명국진용호남준석영훈학범길봉만춘근룡택원웅건강덕찬평주기종충태동상승재윤인식창운익환휘복삼청산"
    "혜군경현민"
)
FEMALE_SYLLABLES = "옥희순향금은정경숙미영혜선화련심월분녀실란애자명춘설림송주연"
FAMOUS = {"김정은", "김정일", "김일성", "김여정", "리설주", "김정숙", "최룡해", "김영남", "리선권", "최선희", "장성택"}

RUSSIAN_FIRST = (
    ("Ivan", "Иван"), ("Sergei", "Сергей"), ("Dmitri", "Дмитрий"), ("Alexei", "Алексей"), ("Nikolai", "Николай"),
    ("Andrei", "Андрей"), ("Pavel", "Павел"), ("Mikhail", "Михаил"), ("Viktor", "Виктор"), ("Oleg", "Олег"),
    ("Yuri", "Юрий"), ("Anton", "Антон"), ("Maxim", "Максим"), ("Roman", "Роман"), ("Artem", "Артём"),
    ("Denis", "Денис"), ("Igor", "Игорь"), ("Kirill", "Кирилл"), ("Bair", "Баир"), ("Aldar", "Алдар"),
)  # fmt: skip
RUSSIAN_LAST = (
    ("Petrov", "Петров"), ("Ivanov", "Иванов"), ("Sokolov", "Соколов"), ("Popov", "Попов"), ("Lebedev", "Лебедев"),
    ("Kozlov", "Козлов"), ("Novikov", "Новиков"), ("Morozov", "Морозов"), ("Volkov", "Волков"), ("Pavlov", "Павлов"),
    ("Stepanov", "Степанов"), ("Orlov", "Орлов"), ("Makarov", "Макаров"), ("Zakharov", "Захаров"),
    ("Borisov", "Борисов"), ("Semenov", "Семёнов"), ("Tsyrenov", "Цыренов"), ("Dorzhiev", "Доржиев"),
    ("Ondar", "Ондар"), ("Mongush", "Монгуш"), ("Badmaev", "Бадмаев"), ("Egorov", "Егоров"),
)  # fmt: skip
RANKS = (
    ("Private", "전사"), ("Private First Class", "상등병"), ("Junior Sergeant", "하사"), ("Sergeant", "중사"),
    ("Senior Sergeant", "상사"), ("Junior Lieutenant", "소위"), ("Lieutenant", "중위"),
    ("Senior Lieutenant", "상위"), ("Captain", "대위"),
)  # fmt: skip
ROLES = (
    ("sniper", "저격수"), ("scout", "정찰병"), ("machine gunner", "기관총수"), ("radio operator", "통신병"),
    ("medic", "위생병"), ("squad leader", "분대장"), ("drone operator", "무인기조종사"), ("rifleman", "보병"),
    ("sapper", "공병"), ("mortarman", "박격포수"),
)  # fmt: skip
CAPTURE_PLACES = (
    ("Sudzha", "수자"), ("Korenevo", "코레네보"), ("Malaya Loknya", "말라야 로크냐"), ("Plekhovo", "플레호보"),
    ("Guevo", "구예보"), ("Sverdlikovo", "스베르들리코보"), ("Lgov", "르고프"), ("Olgovka", "올고브카"),
)  # fmt: skip
FACILITY_TOWNS = (
    ("Zolochiv", "졸로치우"), ("Stryi", "스트리"), ("Kovel", "코벨"), ("Dubno", "두브노"), ("Berdychiv", "베르디치우"),
    ("Khmilnyk", "흐밀니크"), ("Drohobych", "드로호비치"), ("Sambir", "삼비르"),
)  # fmt: skip
DESTINATIONS = ("Seoul", "South Korea", "Incheon", "Geneva", "Kyiv", "the Republic of Korea")
ORGANISATIONS = (
    "the ICRC", "Human Rights Watch", "the Ministry of Unification", "the Korean Central News Agency",
    "the UN High Commissioner for Refugees", "North Star Legal Aid", "the Hanul Refugee Network",
    "the Coordination Headquarters for the Treatment of Prisoners of War", "Amnesty International",
    "the National Intelligence Service",
)  # fmt: skip
OFFICIALS_EN = (
    "Olena Marchenko, a spokesperson for the coordination headquarters",
    "Deputy Minister Taras Hrytsenko",
    "Petro Yatsenko of the ombudsman's office",
    "Ambassador Hwang Jae-seon",
    "Unification Ministry spokesman Ku Byeong-sam",
    "KCNA commentator Jon Hak Nam",
    "Dr Ingrid Solberg of the ICRC",
    "Maria Kowalczyk, who heads the legal aid clinic",
)  # fmt: skip
OFFICIALS_KO = (
    "통일부 구병삼 대변인",
    "황재선 대사",
    "외교부 대변인",
    "국정원 관계자",
    "우크라이나 측 마르첸코 대변인",
)
PHONE_FORMATS = ("+82 10-{a}-{b}", "010-{a}-{b}", "+82-10-{a}-{b}", "+380 67 {c} {d}", "+7 912 {c}-{e}-{f}")
ORG_PHONES = ("+41 22 730 2111", "+44 20 7946 0958", "+82 2 2100 5700")


@dataclass
class Person:
    record: PersonRecord
    hangul: str  # full Hangul name as recorded (northern spelling)
    surname_hangul: str
    given_hangul: str
    rank_en: str
    rank_ko: str
    role_en: str
    role_ko: str
    origin: Place
    capture_place: tuple[str, str]
    capture_date: dt.date
    unit_forms_en: tuple[str, ...]
    unit_forms_ko: tuple[str, ...]
    facility_en: str
    facility_ko: str
    family: list[tuple[str, str, str, str]] = field(default_factory=list)  # relation en, ko, name as recorded, Hangul
    family_places: list[Place] = field(default_factory=list)
    phone: str = ""
    email: str = ""
    russian: tuple[str, str] | None = None


# The registry.


def _given(rng: random.Random, female: bool) -> str:
    pool = FEMALE_SYLLABLES if female else MALE_SYLLABLES
    length = 1 if rng.random() < 0.08 else 2
    return "".join(rng.choice(pool) for _ in range(length))


def _korean_name(rng: random.Random, female: bool = False, surname: str | None = None) -> tuple[str, str]:
    while True:
        family = surname or rng.choices(list(SURNAME_WEIGHTS), weights=list(SURNAME_WEIGHTS.values()))[0]
        given = _given(rng, female)
        if family + given not in FAMOUS and len(set(given)) == len(given):
            return family, given


def _split_roman(text: str, surname_words: int = 1) -> tuple[str, str]:
    words = text.split()
    return " ".join(words[:surname_words]), " ".join(words[surname_words:])


def _recorded_roman(rng: random.Random, hangul: str) -> str:
    """The romanised name as a caseworker recorded it: mostly the DPRK's own spelling or MR."""
    style = rng.random()
    if style < 0.45:
        return north(hangul)
    if style < 0.7:
        return mccune_reischauer(hangul, diacritics=False).replace("Yi ", "Ri ", 1)
    if style < 0.85:
        return revised(hangul)
    return rng.choice(sorted(popular(hangul)))


def _unit(rng: random.Random) -> tuple[str, tuple[str, ...], tuple[str, ...]]:
    style = rng.random()
    if style < 0.35:
        number = rng.randint(10000, 99999)
        return f"Unit {number}", (f"Unit {number}", f"military unit {number}"), (f"{number}부대", f"{number} 군부대")
    brigade = rng.choice((3, 7, 11, 25, 38, 60, 63, 94, 105, 120))
    if style < 0.7:
        return (
            f"{_ordinal(brigade)} Brigade, 11th Army Corps",
            (
                f"{_ordinal(brigade)} Brigade",
                f"{_ordinal(brigade)} Brigade of the 11th Army Corps",
                "11th Army Corps",
                "Storm Corps",
            ),
            (f"제{brigade}여단", "폭풍군단", "제11군단"),
        )
    battalion = rng.randint(1, 4)
    return (
        f"{_ordinal(battalion)} Battalion, {_ordinal(brigade)} Light Infantry Brigade",
        (f"{_ordinal(battalion)} Battalion", f"{_ordinal(brigade)} Light Infantry Brigade"),
        (f"{battalion}대대", f"제{brigade}경보병여단"),
    )


def _ordinal(n: int) -> str:
    return f"{n}{'th' if 10 <= n % 100 <= 20 else {1: 'st', 2: 'nd', 3: 'rd'}.get(n % 10, 'th')}"


def _serial(rng: random.Random) -> str:
    style = rng.random()
    if style < 0.4:
        return f"KPA-{rng.randint(1000, 9999)}-{rng.randint(1000, 9999)}"
    if style < 0.75:
        return f"{rng.randint(100, 999)}-{rng.randint(10000, 99999)}"
    return f"{rng.randint(1000000, 9999999)}"


def _email(rng: random.Random) -> str:
    mailbox = rng.choice(("family", "home", "k", "mail", "contact"))
    number = rng.randint(10, 999)
    domain = rng.choice(("example.org", "mail.example.net", "post.example.com"))
    return f"{mailbox}{number}@{domain}"


def _phone(rng: random.Random) -> str:
    digits = {k: str(rng.randint(1000, 9999)) for k in "ab"}
    digits |= {"c": str(rng.randint(100, 999)), "d": str(rng.randint(1000, 9999))}
    digits |= {"e": f"{rng.randint(10, 99)}", "f": f"{rng.randint(10, 99)}"}
    return rng.choice(PHONE_FORMATS).format(**digits)


def make_persons(rng: random.Random, count: int) -> list[Person]:
    places = [p for p in PLACES if p.kind in ("city", "county") and not p.is_common_word and not p.is_shared_south]
    persons: list[Person] = []
    seen: set[str] = set()
    while len(persons) < count:
        family, given = _korean_name(rng)
        hangul = family + given
        if hangul in seen:
            continue
        seen.add(hangul)
        pid = len(persons) + 1
        roman = _recorded_roman(rng, hangul)
        surname_words = 1
        family_roman, given_roman = _split_roman(roman, surname_words)
        born = dt.date(rng.randint(1990, 2006), rng.randint(1, 12), rng.randint(1, 28))
        precision = rng.random()
        dob = born.isoformat() if precision < 0.85 else born.isoformat()[:7] if precision < 0.95 else str(born.year)
        origin = rng.choice(places)
        origin_text = rng.choice(
            (
                origin.dprk,
                f"{origin.dprk}, {_province_name(origin)}",
                origin.hangul + ("시" if origin.kind == "city" else "군"),
            )
        )
        unit, unit_en, unit_ko = _unit(rng)
        rank_en, rank_ko = rng.choice(RANKS)
        role_en, role_ko = rng.choice(ROLES)
        recorded_rank = rng.choice((rank_en, rank_ko, role_en))
        town_en, town_ko = rng.choice(FACILITY_TOWNS)
        number = rng.randint(1, 9)
        facility_en, facility_ko = rng.choice(
            (
                (f"{town_en} POW camp", f"{town_ko} 포로수용소"),
                (f"Camp No. {number}", f"제{number}포로수용소"),
                (f"{town_en} detention centre", f"{town_ko} 구치소"),
                (f"{town_en} Regional Military Hospital", f"{town_ko} 군병원"),
            )
        )
        aliases: list[str] = []
        russian = None
        if rng.random() < 0.3:
            first, last = rng.choice(RUSSIAN_FIRST), rng.choice(RUSSIAN_LAST)
            russian = (f"{first[0]} {last[0]}", f"{first[1]} {last[1]}")
            kept = rng.random()
            if kept < 0.7:
                aliases += [russian[1], russian[0]]
            elif kept < 0.85:
                aliases.append(russian[1])
            else:
                aliases.append(russian[0])
        if rng.random() < 0.08:
            alias_family, alias_given = _korean_name(rng)
            aliases.append(north(alias_family + alias_given))
        family_members: list[tuple[str, str, str, str]] = []
        relations = rng.sample(
            [("mother", "어머니", True), ("father", "아버지", False), ("sister", "누나", True),
             ("brother", "형", False), ("wife", "아내", True), ("younger sister", "여동생", True)],
            k=rng.choice((0, 1, 1, 2, 2, 3)),
        )  # fmt: skip
        for relation_en, relation_ko, female in relations:
            member_family = family if relation_en in ("father", "sister", "brother", "younger sister") else None
            mf, mg = _korean_name(rng, female=female, surname=member_family)
            written = mf + mg if rng.random() < 0.5 else north(mf + mg)
            family_members.append((relation_en, relation_ko, written, mf + mg))
        record = PersonRecord(
            person_id=pid,
            family_name=family_roman,
            given_name=given_roman,
            family_name_hangul=family,
            given_name_hangul=given,
            aliases=tuple(aliases),
            date_of_birth=dob,
            place_of_origin=origin_text,
            unit=unit,
            rank=recorded_rank,
            facilities=(facility_en,) if rng.random() < 0.6 else (facility_en, facility_ko),
            serial_number=_serial(rng) if rng.random() < 0.7 else "",
            family_member_names=tuple(m[2] for m in family_members),
        )
        persons.append(
            Person(
                record=record,
                hangul=hangul,
                surname_hangul=family,
                given_hangul=given,
                rank_en=rank_en,
                rank_ko=rank_ko,
                role_en=role_en,
                role_ko=role_ko,
                origin=origin,
                capture_place=rng.choice(CAPTURE_PLACES),
                capture_date=dt.date(rng.choice((2024, 2025)), rng.randint(1, 12), rng.randint(1, 28)),
                unit_forms_en=unit_en,
                unit_forms_ko=unit_ko,
                facility_en=facility_en,
                facility_ko=facility_ko,
                family=family_members,
                family_places=[rng.choice(places)],
                phone=_phone(rng),
                email=_email(rng),
                russian=russian,
            )
        )
    return persons


def _province_name(place: Place) -> str:
    for candidate in PLACES:
        if candidate.hangul == place.province and candidate.kind == "province":
            return candidate.dprk + " Province"
    return "Pyongyang"


# Building labelled texts.


@dataclass
class Text:
    parts: list[tuple[str, str | None, int | None]] = field(default_factory=list)

    def add(self, text: str, kind: str | None = None, person: int | None = None) -> None:
        self.parts.append((text, kind, person))

    def render(self) -> tuple[str, list[dict[str, object]]]:
        out = ""
        labels: list[dict[str, object]] = []
        for text, kind, person in self.parts:
            if kind is not None:
                labels.append({"start": len(out), "end": len(out) + len(text), "kind": kind, "person": person})
            out += text
        return out, labels


Segment = tuple[str, str | None, int | None]


class Skip(Exception):
    """The person has no such value: the template is not used for them."""


_SLOT = re.compile(r"\{([a-z_]+)(?:\|([^}]*))?\}")


def _has_final(text: str) -> bool:
    """Whether the last sound of `text` has a final consonant (for 은/는, 이/가, 을/를, 과/와)."""
    last = text.rstrip()[-1:]
    if "\uac00" <= last <= "\ud7a3":
        return (ord(last) - 0xAC00) % 28 != 0
    if last.isdigit():
        return last in "013678"
    return last.lower() not in "aeiouy" if last.isalpha() else False


_PARTICLES = {
    "는": ("은", "는"), "가": ("이", "가"), "를": ("을", "를"), "와": ("과", "와"), "로": ("으로", "로"),
    "이라고": ("이라고", "라고"), "이다": ("이다", "다"), "인": ("인", "인"),
}  # fmt: skip


def _particle(written: str, particle: str) -> str:
    with_final, without = _PARTICLES[particle]
    if (
        particle == "로"
        and written[-1:]
        and "\uac00" <= written[-1] <= "\ud7a3"
        and (ord(written[-1]) - 0xAC00) % 28 == 8
    ):
        return "로"  # a final ㄹ takes 로
    return with_final if _has_final(written) else without


def fill(template: str, slots: dict[str, Callable[[], Sequence[Segment]]]) -> list[Segment]:
    """A template's text with its slots filled: "{name} said" → [("Ri Chol Su", "name", 3), (" said", None, None)].

    "{name|는}" adds the Korean particle that fits the filled text (은 or 는)."""
    segments: list[Segment] = []
    position = 0
    for match in _SLOT.finditer(template):
        if match.start() > position:
            segments.append((template[position : match.start()], None, None))
        filled = list(slots[match.group(1)]())
        segments.extend(filled)
        particle = match.group(2)
        if particle:
            written = "".join(s[0] for s in filled)
            segments.append((_particle(written, particle), None, None))
        position = match.end()
    if position < len(template):
        segments.append((template[position:], None, None))
    return segments


class Mentions:
    """Ways to write one person's values, each labelled, in English and Korean."""

    def __init__(self, rng: random.Random, person: Person) -> None:
        self.rng = rng
        self.p = person
        self.pid = person.record.person_id
        self.style = rng.choice(("north", "mr", "mr_plain", "rr", "rr_joined", "popular", "western", "caps", "comma"))

    def _roman(self, style: str) -> str:
        h = self.p.hangul
        if style == "north":
            return north(h)
        if style == "mr":
            return mccune_reischauer(h).replace("Yi ", "Ri ", 1)
        if style == "mr_plain":
            return mccune_reischauer(h, diacritics=False).replace("Yi ", "Ri ", 1)
        if style == "rr":
            return revised(h)
        if style == "rr_joined":
            return revised(h, hyphen=False)
        if style == "popular":
            return self.rng.choice(sorted(popular(h)))
        if style == "western":
            family, given = revised(h).split(" ", 1) if self.rng.random() < 0.5 else north(h).split(" ", 1)
            given = given.replace(" ", "-") if " " in given else given
            return f"{given} {family.upper() if self.rng.random() < 0.4 else family}"
        if style == "caps":
            family, given = (
                north(h).split(" ", 1)
                if self.rng.random() < 0.5
                else mccune_reischauer(h, diacritics=False).split(" ", 1)
            )
            family = "RI" if family in ("Yi", "Ri") else family.upper()
            return f"{family} {given}"
        family, given = north(h).split(" ", 1)
        return f"{family.upper()}, {given}"

    def name(self) -> list[Segment]:
        text = self._roman(self.style)
        if self.rng.random() < 0.15:
            return [(text, "name", self.pid), (" (", None, None), (self._hangul(), "name", self.pid), (")", None, None)]
        return [(text, "name", self.pid)]

    def other_name(self) -> list[Segment]:
        return [(self._roman(self.rng.choice(("north", "rr", "mr_plain", "popular"))), "name", self.pid)]

    def given(self) -> list[Segment]:
        text = self._roman(self.rng.choice(("north", "rr", "mr_plain", "rr_joined")))
        parts = text.split(" ", 1)
        given = parts[1] if len(parts) > 1 else parts[0]
        return [(given, "name", self.pid)]

    def surname(self) -> list[Segment]:
        family = north(self.p.hangul).split(" ")[0]
        return [(family, "name", self.pid)]

    def _hangul(self) -> str:
        h = self.p.hangul
        roll = self.rng.random()
        if roll < 0.2:
            return initial_law_south(h[0]) + h[1:]
        if roll < 0.35:
            return f"{self.p.surname_hangul} {self.p.given_hangul}"
        return h

    def kname(self) -> list[Segment]:
        return [(self._hangul(), "name", self.pid)]

    def kgiven(self) -> list[Segment]:
        return [(self.p.given_hangul, "name", self.pid)]

    def ksurname(self) -> list[Segment]:
        return [(self.p.surname_hangul, "name", self.pid)]

    def age_value(self) -> int:
        year = int(self.p.record.date_of_birth[:4])
        return TODAY.year - year - (1 if self.rng.random() < 0.4 else 0)

    def age(self) -> list[Segment]:
        age = self.age_value()
        return [(f"{age}-year-old", "age", self.pid)]

    def age_number(self) -> list[Segment]:
        return [(str(self.age_value()), "age", self.pid)]

    def aged(self) -> list[Segment]:
        return [(self.rng.choice((f"aged {self.age_value()}", f"{self.age_value()} years old")), "age", self.pid)]

    def kage(self) -> list[Segment]:
        age = self.age_value()
        return [(self.rng.choice((f"{age}세", f"{age}살", f"만 {age}세")), "age", self.pid)]

    def dob(self) -> list[Segment]:
        dob = self.p.record.date_of_birth
        parts = [int(x) for x in dob.split("-")]
        if len(parts) == 1:
            return [(str(parts[0]), "date_of_birth", self.pid)]
        month_names = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
                       "October", "November", "December")  # fmt: skip
        if len(parts) == 2:
            return [(f"{month_names[parts[1] - 1]} {parts[0]}", "date_of_birth", self.pid)]
        y, m, d = parts
        formats = (
            f"{d} {month_names[m - 1]} {y}",
            f"{month_names[m - 1]} {d}, {y}",
            f"{y}-{m:02d}-{d:02d}",
            f"{d:02d}.{m:02d}.{y}",
            f"{d}/{m}/{y}",
            f"{d} {month_names[m - 1][:3]} {y}",
        )
        return [(self.rng.choice(formats), "date_of_birth", self.pid)]

    def kdob(self) -> list[Segment]:
        dob = self.p.record.date_of_birth
        parts = [int(x) for x in dob.split("-")]
        if len(parts) == 1:
            return [(f"{parts[0]}년", "date_of_birth", self.pid)]
        if len(parts) == 2:
            return [(f"{parts[0]}년 {parts[1]}월", "date_of_birth", self.pid)]
        y, m, d = parts
        return [
            (
                self.rng.choice((f"{y}년 {m}월 {d}일", f"{y}. {m}. {d}.", f"{y}.{m:02d}.{d:02d}")),
                "date_of_birth",
                self.pid,
            )
        ]

    def birth_year(self) -> list[Segment]:
        return [(self.p.record.date_of_birth[:4], "age", self.pid)]

    def kbirth_year(self) -> list[Segment]:
        year = self.p.record.date_of_birth[:4]
        return [(self.rng.choice((f"{year}년생", f"{year[2:]}년생")), "age", self.pid)]

    def origin(self) -> list[Segment]:
        place = self.p.origin
        spelling = self.rng.choice((place.dprk, place.dprk, place.mccune_reischauer, place.revised))
        roll = self.rng.random()
        if roll < 0.25:
            return [
                (spelling, "place_of_origin", self.pid),
                (", ", None, None),
                (_province_name(place), "place_of_origin", self.pid),
            ]
        if roll < 0.4 and place.kind == "county":
            return [(f"{spelling} County", "place_of_origin", self.pid)]
        return [(spelling, "place_of_origin", self.pid)]

    def korigin(self) -> list[Segment]:
        place = self.p.origin
        suffix = "시" if place.kind == "city" else "군"
        if self.rng.random() < 0.3 and place.province:
            province = place.province
            return [
                (province, "place_of_origin", self.pid),
                (" ", None, None),
                (place.hangul + suffix, "place_of_origin", self.pid),
            ]
        return [(place.hangul + (suffix if self.rng.random() < 0.5 else ""), "place_of_origin", self.pid)]

    def family_place(self) -> list[Segment]:
        place = self.p.family_places[0]
        return [(self.rng.choice((place.dprk, place.mccune_reischauer)), "place", self.pid)]

    def kfamily_place(self) -> list[Segment]:
        return [(self.p.family_places[0].hangul, "place", self.pid)]

    def unit(self) -> list[Segment]:
        return [(self.rng.choice(self.p.unit_forms_en), "unit", self.pid)]

    def kunit(self) -> list[Segment]:
        return [(self.rng.choice(self.p.unit_forms_ko), "unit", self.pid)]

    def rank(self) -> list[Segment]:
        return [(self.p.rank_en, "rank", self.pid)]

    def rank_lower(self) -> list[Segment]:
        return [(self.p.rank_en.lower(), "rank", self.pid)]

    def role(self) -> list[Segment]:
        return [(self.p.role_en, "rank", self.pid)]

    def krank(self) -> list[Segment]:
        return [(self.p.rank_ko, "rank", self.pid)]

    def krole(self) -> list[Segment]:
        return [(self.p.role_ko, "rank", self.pid)]

    def facility(self) -> list[Segment]:
        return [(self.p.facility_en, "facility", self.pid)]

    def kfacility(self) -> list[Segment]:
        return [(self.p.facility_ko, "facility", self.pid)]

    def capture(self) -> list[Segment]:
        place = self.p.capture_place[0]
        date = self.p.capture_date
        when = self.rng.choice((f"{date.day} {date:%B} {date.year}", f"{date:%B} {date.day}", f"{date:%B} {date.year}"))
        if self.rng.random() < 0.5:
            return [
                (f"near {place}", "capture", self.pid),
                (" on " if when[0].isdigit() or when.split()[1].isdigit() else " in ", None, None),
                (when, "capture", self.pid),
            ]
        return [(f"near {place}", "capture", self.pid)]

    def kcapture(self) -> list[Segment]:
        place = self.p.capture_place[1]
        date = self.p.capture_date
        return [
            (f"{date.year}년 {date.month}월", "capture", self.pid),
            (" ", None, None),
            (f"{place} 인근에서", "capture", self.pid),
        ]

    def family(self) -> list[Segment]:
        if not self.p.family:
            raise Skip
        relation, _, recorded, hangul = self.rng.choice(self.p.family)
        roll = self.rng.random()
        written = north(hangul) if roll < 0.5 else revised(hangul) if roll < 0.75 else recorded
        return [(f"his {relation}, ", None, None), (written, "family_name", self.pid)]

    def kfamily(self) -> list[Segment]:
        if not self.p.family:
            raise Skip
        _, relation, _, hangul = self.rng.choice(self.p.family)
        return [(f"{relation} ", None, None), (hangul, "family_name", self.pid)]

    def serial(self) -> list[Segment]:
        if not self.p.record.serial_number:
            raise Skip
        return [(self.p.record.serial_number, "serial_number", self.pid)]

    def phone(self) -> list[Segment]:
        return [(self.p.phone, "phone", self.pid)]

    def email(self) -> list[Segment]:
        return [(self.p.email, "email", self.pid)]

    def alias(self) -> list[Segment]:
        if self.p.russian is None:
            raise Skip
        return [(self.rng.choice(self.p.russian), "name", self.pid)]


# Sentence templates. Slots name a person's values; {dest}, {org}, {official}, {event_date} are unlabelled.

EN_INTRO = (
    "{name}, a {age} {role} from {origin}, was captured {capture}.",
    "{rank} {name} of the {unit} told interviewers that he had never expected to be taken prisoner.",
    "{name} ({age_number}), a {rank_lower} in the {unit}, has asked to be transferred to {dest}.",
    "The prisoner, {name}, was born on {dob} in {origin}.",
    "According to {org}, {name} was taken prisoner {capture} after his unit was overrun.",
    "{name}, who says he grew up in {origin}, served as a {role} before his capture.",
    "We write on behalf of {name}, currently held at the {facility}.",
    "{name}, {age_number}, a {role} from {origin}, described the first days of his deployment.",
    "Among the prisoners interviewed was {name}, a {age} {rank_lower} from {origin}.",
    "{name} was identified by his documents, which gave his date of birth as {dob}.",
    "{surname}, {age_number}, a {role} from {origin}, asked that his name not be published.",
    "A {age} {role} of the {unit} told the delegation that his group surrendered {capture}.",
    "The {rank_lower} from {origin}, {age_number}, spoke only through the interpreter.",
)  # fmt: skip
EN_BODY = (
    "{given} said he wanted to go to {dest} and start again.",
    "{given} told us that the food at the {facility} had improved since March.",
    "He said {family} still lives in {family_place} and has not been told where he is.",
    "{surname} said the officers had told the men they were going to a training exercise.",
    "His military documents list serial number {serial} and the {unit}.",
    "The family can be reached through {family} at {phone}.",
    "Relatives have written to {email} asking for news.",
    "A Russian military identity card found on him bore the name {alias}.",
    "He served with the {unit} for three years before the deployment.",
    "He was treated at the {facility} for shrapnel wounds.",
    "{given} is a {role}, he said, and had been trained for two months before crossing the border.",
    "His mother, he said, was born in {origin} and never left the province.",
    "Asked about his rank of {rank_lower}, {given} laughed and said it meant little at the front.",
    "He was born in {birth_year}, the year the famine began.",
    "{surname}, who asked not to be photographed, spoke through an interpreter.",
    "The documents carried by {other_name} showed a different unit.",
    "{given}'s letter was forwarded to {org} on {event_date}.",
    "He said he was {aged} and had been conscripted at seventeen.",
)  # fmt: skip
EN_NEUTRAL = (
    "The interview took place in the presence of an independent interpreter.",
    "{official} said the exchange of prisoners would be discussed at the next round of talks.",
    "The press conference was held in Kyiv on {event_date}.",
    "In general, the prisoners are held in conditions that meet the Third Geneva Convention.",
    "The interview was conducted in private, without guards present.",
    "Officials expect a major offensive in the region before the winter.",
    "{org} visited the camp on {event_date} and spoke to the detaining authorities.",
    "Pyongyang has not acknowledged that its troops are fighting in Russia.",
    "An estimated 11,000 North Korean soldiers were sent to the Kursk region in late 2024.",
    "Several of the men have asked to be sent to {dest} rather than returned home.",
    "The Third Geneva Convention protects prisoners against insults and public curiosity.",
    "A private interview with each prisoner was arranged through {org}.",
    "The ministry said more than two hundred soldiers had been killed in the fighting.",
    "Journalists were not allowed to photograph the faces of the prisoners.",
    "{official} told reporters that the issue was a matter for the Red Cross.",
    "The general public has shown great interest in the fate of the prisoners.",
    "Reporters from Seoul and Tokyo attended the briefing on {event_date}.",
    "For media enquiries, contact the press office at press@example.org or {org_phone}.",
    "The men said they had been told that Ukrainian soldiers would kill them if captured.",
    "North Korean state media have made no mention of the soldiers.",
)  # fmt: skip
EN_OPENINGS = {
    "press_release": ("PRESS RELEASE\n", "For immediate release\n", "Statement\n"),
    "letter": ("Dear Sir or Madam,\n", "To the Protecting Power,\n", "Forwarded letter\n"),
    "ngo_note": ("Case note\n", "NGO briefing note\n", "Internal note\n"),
    "report": ("Commentary on the monthly report\n", "Report commentary\n", "Annex: observations\n"),
    "media": ("Interview summary\n", "Media interview, summary\n", "Notes for the editor\n"),
}
EN_CLOSINGS = (
    "",
    "\nEnds.",
    "\nYours faithfully,\nThe legal aid team",
    "\n###",
    "\nEditor's note: faces must be blurred.",
)

KO_INTRO = (
    "{kname|는} {kbirth_year}으로 {korigin} 출신이다.",
    "{kunit} 소속 {kname} {krank|는} {kcapture} 포로로 잡혔다.",
    "{kname} 씨는 {kage}의 {krole|로}, 고향은 {korigin|이라고} 말했다.",
    "생년월일이 {kdob}인 {kname|는} 현재 {kfacility}에 수용되어 있다.",
    "{korigin}에서 태어난 {kname|는} {kunit}에서 {krole|로} 복무했다.",
    "포로 {kname}({kage})는 한국행을 희망한다고 밝혔다.",
)  # fmt: skip
KO_BODY = (
    "{kgiven} 씨는 {dest_ko}에 가서 새 삶을 시작하고 싶다고 말했다.",
    "그는 {kfamily} 씨가 아직 {kfamily_place}에 살고 있다고 전했다.",
    "{ksurname} 씨는 통역을 통해 이야기했다.",
    "그의 군번은 {serial|이다}.",
    "가족과는 {phone} 번호로 연락이 가능하다.",
    "그는 {kfacility}에서 치료를 받았다.",
    "{kgiven|는} 부대가 훈련을 간다고만 들었다고 했다.",
    "그는 {kdob}에 태어났다고 진술했다.",
)  # fmt: skip
KO_NEUTRAL = (
    "면담은 독립 통역인이 배석한 가운데 비공개로 진행되었다.",
    "{official_ko}은 포로 교환 문제를 다음 회담에서 논의할 것이라고 말했다.",
    "기자회견은 {event_date_ko} 키이우에서 열렸다.",
    "이번 발표에 대해 북한 당국은 아무런 반응을 보이지 않았다.",
    "정부는 포로들의 의사를 존중하겠다는 입장이다.",
    "한국 정부는 귀순 의사를 밝힌 포로를 받아들이겠다고 밝혔다.",
    "조선중앙통신은 이 문제에 대해 보도하지 않았다.",
    "포로들의 얼굴은 공개되지 않았다.",
    "이산가족 문제와 마찬가지로 가족의 안전이 가장 큰 걱정이다.",
    "제네바 제3협약은 포로를 모욕과 대중의 호기심으로부터 보호한다.",
)  # fmt: skip
KO_OPENINGS = ("보도자료\n", "면담 요약\n", "사례 메모\n", "전달 서신\n", "")


def _event_date(rng: random.Random) -> str:
    date = dt.date(2025, rng.randint(1, 5), rng.randint(1, 28))
    return rng.choice((f"{date.day} {date:%B} {date.year}", f"{date:%B} {date.day}", f"{date.day} {date:%B}"))


def _event_date_ko(rng: random.Random) -> str:
    return f"2025년 {rng.randint(1, 5)}월 {rng.randint(1, 28)}일"


def _plain(text: str) -> Callable[[], list[Segment]]:
    return lambda: [(text, None, None)]


def _slots(rng: random.Random, mentions: Mentions) -> dict[str, Callable[[], Sequence[Segment]]]:
    slots: dict[str, Callable[[], Sequence[Segment]]] = {
        name: getattr(mentions, name)
        for name in (
            "name", "other_name", "given", "surname", "kname", "kgiven", "ksurname", "age", "age_number", "aged",
            "kage", "dob", "kdob", "birth_year", "kbirth_year", "origin", "korigin", "family_place",
            "kfamily_place", "unit", "kunit", "rank", "rank_lower", "role", "krank", "krole", "facility",
            "kfacility", "capture", "kcapture", "family", "kfamily", "serial", "phone", "email", "alias",
        )
    }  # fmt: skip
    slots |= {
        "dest": _plain(rng.choice(DESTINATIONS)),
        "dest_ko": _plain(rng.choice(("서울", "한국", "대한민국"))),
        "org": _plain(rng.choice(ORGANISATIONS)),
        "official": _plain(rng.choice(OFFICIALS_EN)),
        "official_ko": _plain(rng.choice(OFFICIALS_KO)),
        "event_date": _plain(_event_date(rng)),
        "event_date_ko": _plain(_event_date_ko(rng)),
        "org_phone": _plain(rng.choice(ORG_PHONES)),
    }
    return slots


def _fill_one(
    rng: random.Random, templates: Sequence[str], slots: dict[str, Callable[[], Sequence[Segment]]]
) -> list[Segment]:
    """One template filled, trying others when the person lacks a value the first one needs."""
    for template in rng.sample(list(templates), k=len(templates)):
        try:
            return fill(template, slots)
        except Skip:
            continue
    raise Skip


def make_text(rng: random.Random, index: int, persons: Sequence[Person]) -> dict[str, object]:
    language = "ko" if rng.random() < 0.3 else "en"
    kind = rng.choice(list(EN_OPENINGS))
    is_negative = rng.random() < 0.12
    cast = [] if is_negative else rng.sample(list(persons), k=1 if rng.random() < 0.8 else 2)
    linked = [p.record.person_id for p in cast if rng.random() < 0.25]
    text = Text()
    neutral: Sequence[str]
    intro: Sequence[str]
    body: Sequence[str]
    if language == "en":
        text.add(rng.choice(EN_OPENINGS[kind]))
        neutral, intro, body = EN_NEUTRAL, EN_INTRO, EN_BODY
    else:
        text.add(rng.choice(KO_OPENINGS))
        neutral, intro, body = KO_NEUTRAL, KO_INTRO, KO_BODY
    dummy = Mentions(rng, persons[0])
    sentences: list[list[Segment]] = []
    for _ in range(rng.randint(1, 2)):
        sentences.append(fill(rng.choice(neutral), _slots(rng, dummy)))
    for person in cast:
        mentions = Mentions(rng, person)
        slots = _slots(rng, mentions)
        sentences.append(_fill_one(rng, intro, slots))
        for _ in range(rng.randint(1, 4)):
            sentences.append(_fill_one(rng, body, slots))
    for _ in range(rng.randint(0, 2)):
        sentences.insert(rng.randint(1, len(sentences)), fill(rng.choice(neutral), _slots(rng, dummy)))
    for i, sentence in enumerate(sentences):
        if sentence and sentence[0][1] is None and sentence[0][0][:1].islower():
            sentence[0] = (sentence[0][0][:1].upper() + sentence[0][0][1:], None, None)
        for segment in sentence:
            text.add(*segment)
        text.add("\n\n" if rng.random() < 0.3 else " " if i + 1 < len(sentences) else "")
    if language == "en":
        text.add(rng.choice(EN_CLOSINGS))
    body_text, labels = text.render()
    return {
        "id": f"dev-{index:04d}",
        "language": language,
        "text": body_text,
        "linked": linked,
        "labels": labels,
    }


def _check_officials(persons: Sequence[Person]) -> None:
    """No fictional official's name may be a registered person's name (they are hard negatives)."""
    official_names = ["Hwang Jae-seon", "Ku Byeong-sam", "Jon Hak Nam", "황재선", "구병삼"]
    for person in persons:
        for official in official_names:
            for name in (person.hangul, f"{person.record.family_name} {person.record.given_name}"):
                if is_match(official, name):
                    raise SystemExit(f"official name collides with person {person.record.person_id}; change the seed")


# Inline markup for hand-written texts.

_MARKUP = re.compile(r"\[\[([a-z_]+):(.+?)(?:\|([0-9]+))?\]\]")


def from_markup(markup: str) -> tuple[str, list[dict[str, object]]]:
    """Text and labels from inline markup: "[[name:Ri Chol-su|3]] said" → ("Ri Chol-su said", [label])."""
    out = ""
    labels: list[dict[str, object]] = []
    position = 0
    for match in _MARKUP.finditer(markup):
        out += markup[position : match.start()]
        span = match.group(2)
        person = int(match.group(3)) if match.group(3) else None
        labels.append({"start": len(out), "end": len(out) + len(span), "kind": match.group(1), "person": person})
        out += span
        position = match.end()
    out += markup[position:]
    return out, labels


def convert_markup(source: Path, target: Path) -> None:
    """Each record of `source` (JSON Lines with a "markup" field) written to `target` as text and labels."""
    lines = []
    for line in source.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        record = json.loads(line)
        text, labels = from_markup(record.pop("markup"))
        lines.append(json.dumps({**record, "text": text, "labels": labels}, ensure_ascii=False))
    target.write_text("\n".join(lines) + "\n", encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--persons", type=int, default=300)
    parser.add_argument("--texts", type=int, default=400)
    parser.add_argument("--markup", type=Path, help="convert hand-written texts in inline markup instead")
    parser.add_argument("--out", type=Path, help="with --markup: the JSON Lines file to write")
    args = parser.parse_args()
    if args.markup:
        convert_markup(args.markup, args.out or OUT / "dev_handmade.jsonl")
        return
    rng = random.Random(args.seed)  # noqa: S311 - reproducible fictional test data, not secrets
    persons = make_persons(rng, args.persons)
    _check_officials(persons)
    OUT.mkdir(parents=True, exist_ok=True)
    records = [dataclasses.asdict(p.record) for p in persons]
    (OUT / "registry_dev.json").write_text(json.dumps(records, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    texts = [make_text(rng, i, persons) for i in range(1, args.texts + 1)]
    (OUT / "dev.jsonl").write_text("\n".join(json.dumps(t, ensure_ascii=False) for t in texts) + "\n", encoding="utf-8")
    labels = sum(len(cast(list[object], t["labels"])) for t in texts)
    print(f"{len(persons)} persons, {len(texts)} texts, {labels} labels")


if __name__ == "__main__":
    main()
