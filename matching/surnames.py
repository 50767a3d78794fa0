"""The Korean surname variant table: each family name's Hangul and its romanised spellings.

Keys are the southern Hangul spelling; northern Hangul (리, 림, 로, 량, ...) folds into them
through the initial-sound law, and clans that differ only in Hanja (柳/劉/兪 as 유/류) are one
entry. Spellings come from these public sources:

- Wikipedia, "List of Korean surnames" and "Korean name" (family-name table with Hangul, Hanja,
  Revised Romanization, McCune-Reischauer and common spellings), and the surname articles
  "Lee (Korean surname)", "Park (Korean surname)", "Choi (Korean surname)", "Jeong (Korean
  surname)" and others.
- South Korea's Ministry of Culture, Sports and Tourism, 2014 notice on the romanisation of
  surnames, e.g. 노 no/noh/roh/ro/rho, 임 im/lim/lym/leem/yim/rim, 윤 yun/yoon/youn.
- North Korean surname lists with the DPRK's own spellings (Ri, Pak, Choe, Jong, Jo, Rim, Jon, O,
  Ro, Ryang, Hyon, Phyo, Pyon, Paek).
- The Revised Romanization of Korean (Ministry of Culture and Tourism notice 2000-8) and
  McCune & Reischauer, "The Romanization of the Korean Language" (1939), for the system columns;
  MR here writes 시 as shi, as the 1939 rules do (신 Shin, 심 Shim).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType


@dataclass(frozen=True, slots=True)
class Surname:
    """One family name: southern Hangul, northern Hangul, the system spellings and popular ones.

    `popular` is ordered by frequency of use in South Korean passports; its first entry is the
    usual spelling (Kim, Lee, Park).
    """

    hangul: str
    north_hangul: str
    revised: str
    mccune_reischauer: str
    north: str
    popular: tuple[str, ...]

    @property
    def usual(self) -> str:
        return self.popular[0]


def _row(hangul: str, revised: str, mr: str, north: str, popular: str, north_hangul: str = "") -> Surname:
    return Surname(hangul, north_hangul or hangul, revised, mr, north, tuple(popular.split()))


_ROWS = (
    _row("김", "Gim", "Kim", "Kim", "Kim Gim Ghim"),
    _row("이", "I", "Yi", "Ri", "Lee Yi Rhee I Ri Rie Ree Li Leigh Rhie Yie Yee Reeh", "리"),
    _row("박", "Bak", "Pak", "Pak", "Park Pak Bak Bahk Pac"),
    _row("최", "Choe", "Ch'oe", "Choe", "Choi Choe Chwe Choy Chey"),
    _row("정", "Jeong", "Chŏng", "Jong", "Jung Chung Jeong Chong Jong Joung Cheong Jeung"),
    _row("강", "Gang", "Kang", "Kang", "Kang Gang Khang Kahng"),
    _row("조", "Jo", "Cho", "Jo", "Cho Jo Joe Jho Chough Joh"),
    _row("윤", "Yun", "Yun", "Yun", "Yoon Yun Youn"),
    _row("장", "Jang", "Chang", "Jang", "Jang Chang Jhang"),
    _row("임", "Im", "Im", "Rim", "Lim Im Lym Leem Yim Rim", "림"),
    _row("한", "Han", "Han", "Han", "Han Hahn"),
    _row("오", "O", "O", "O", "Oh O"),
    _row("서", "Seo", "Sŏ", "So", "Seo Suh So Sur Seoh"),
    _row("신", "Sin", "Shin", "Sin", "Shin Sin Shinn Sheen"),
    _row("권", "Gwon", "Kwŏn", "Kwon", "Kwon Gwon Kweon Kwun"),
    _row("황", "Hwang", "Hwang", "Hwang", "Hwang Whang"),
    _row("안", "An", "An", "An", "Ahn An Ann"),
    _row("송", "Song", "Song", "Song", "Song Soung"),
    _row("전", "Jeon", "Chŏn", "Jon", "Jeon Jun Chun Chon Jon"),
    _row("홍", "Hong", "Hong", "Hong", "Hong"),
    _row("유", "Yu", "Yu", "Ryu", "Yoo Yu You Ryu Ryoo Lyu Rhyu Yuh", "류"),
    _row("고", "Go", "Ko", "Ko", "Ko Go Koh Goh"),
    _row("문", "Mun", "Mun", "Mun", "Moon Mun Mhun"),
    _row("양", "Yang", "Yang", "Ryang", "Yang Ryang Lyang", "량"),
    _row("손", "Son", "Son", "Son", "Son Sohn Shon"),
    _row("배", "Bae", "Pae", "Pae", "Bae Pae Bai Bay"),
    _row("백", "Baek", "Paek", "Paek", "Baek Paek Baik Paik Back"),
    _row("허", "Heo", "Hŏ", "Ho", "Heo Huh Hur Her Ho"),
    _row("남", "Nam", "Nam", "Nam", "Nam"),
    _row("심", "Sim", "Shim", "Sim", "Shim Sim Seem"),
    _row("노", "No", "No", "Ro", "Noh No Roh Ro Rho Nho", "로"),
    _row("하", "Ha", "Ha", "Ha", "Ha Hah"),
    _row("곽", "Gwak", "Kwak", "Kwak", "Kwak Gwak Kwack"),
    _row("성", "Seong", "Sŏng", "Song", "Sung Seong Song Soung"),
    _row("차", "Cha", "Ch'a", "Cha", "Cha Char"),
    _row("주", "Ju", "Chu", "Ju", "Joo Ju Chu Choo Jou"),
    _row("우", "U", "U", "U", "Woo U Wu Ou"),
    _row("구", "Gu", "Ku", "Ku", "Koo Ku Gu Goo"),
    _row("민", "Min", "Min", "Min", "Min"),
    _row("나", "Na", "Na", "Ra", "Na Ra Rha Nah La", "라"),
    _row("진", "Jin", "Chin", "Jin", "Jin Chin"),
    _row("지", "Ji", "Chi", "Ji", "Ji Chi Jee"),
    _row("엄", "Eom", "Ŏm", "Om", "Um Eom Uhm Om"),
    _row("채", "Chae", "Ch'ae", "Chae", "Chae Chai Che"),
    _row("원", "Won", "Wŏn", "Won", "Won Weon"),
    _row("천", "Cheon", "Ch'ŏn", "Chon", "Chun Cheon Chon"),
    _row("방", "Bang", "Pang", "Pang", "Bang Pang"),
    _row("공", "Gong", "Kong", "Kong", "Kong Gong"),
    _row("현", "Hyeon", "Hyŏn", "Hyon", "Hyun Hyeon Hyon Hyoun"),
    _row("함", "Ham", "Ham", "Ham", "Ham Hahm"),
    _row("변", "Byeon", "Pyŏn", "Pyon", "Byun Byeon Pyun Pyon Byon"),
    _row("염", "Yeom", "Yŏm", "Ryom", "Yeom Yum Youm Yom Ryom", "렴"),
    _row("여", "Yeo", "Yŏ", "Ryo", "Yeo Yoh Yuh Yo Ryo", "려"),
    _row("추", "Chu", "Ch'u", "Chu", "Choo Chu"),
    _row("도", "Do", "To", "To", "Do Doh Toh To"),
    _row("소", "So", "So", "So", "So Soh"),
    _row("석", "Seok", "Sŏk", "Sok", "Seok Suk Sok"),
    _row("선", "Seon", "Sŏn", "Son", "Sun Seon Son"),
    _row("설", "Seol", "Sŏl", "Sol", "Sul Seol Sol Seul"),
    _row("마", "Ma", "Ma", "Ma", "Ma"),
    _row("길", "Gil", "Kil", "Kil", "Kil Gil"),
    _row("연", "Yeon", "Yŏn", "Ryon", "Yeon Yun Youn Yon Ryon", "련"),
    _row("위", "Wi", "Wi", "Wi", "Wi Wee We"),
    _row("표", "Pyo", "P'yo", "Phyo", "Pyo Pyoh Phyo"),
    _row("명", "Myeong", "Myŏng", "Myong", "Myung Myeong Myong"),
    _row("기", "Gi", "Ki", "Ki", "Ki Gi Kee"),
    _row("반", "Ban", "Pan", "Pan", "Ban Pan Bahn"),
    _row("왕", "Wang", "Wang", "Wang", "Wang"),
    _row("금", "Geum", "Kŭm", "Kum", "Keum Kum Geum Gum"),
    _row("옥", "Ok", "Ok", "Ok", "Ok Ock"),
    _row("육", "Yuk", "Yuk", "Ryuk", "Yook Yuk Ryuk Yuck", "륙"),
    _row("인", "In", "In", "In", "In"),
    _row("맹", "Maeng", "Maeng", "Maeng", "Maeng"),
    _row("계", "Gye", "Kye", "Kye", "Kye Gye Kay"),
    _row("피", "Pi", "P'i", "Phi", "Pi Phi Pee"),
    _row("형", "Hyeong", "Hyŏng", "Hyong", "Hyung Hyeong Hyong"),
    _row("견", "Gyeon", "Kyŏn", "Kyon", "Kyun Gyeon Kyon Kyeon"),
    _row("팽", "Paeng", "P'aeng", "Phaeng", "Paeng Phaeng Paing"),
    _row("평", "Pyeong", "P'yŏng", "Phyong", "Pyung Pyeong Phyong Pyong"),
    _row("제", "Je", "Che", "Je", "Je Jae Che"),
    _row("모", "Mo", "Mo", "Mo", "Mo Moh"),
    _row("탁", "Tak", "T'ak", "Thak", "Tak Tahk Thak"),
    _row("국", "Guk", "Kuk", "Kuk", "Kook Kuk Guk"),
    _row("어", "Eo", "Ŏ", "O", "Eo Uh O"),
    _row("은", "Eun", "Ŭn", "Un", "Eun Un"),
    _row("편", "Pyeon", "P'yŏn", "Phyon", "Pyun Pyeon Pyon"),
    _row("용", "Yong", "Yong", "Ryong", "Yong Ryong", "룡"),
    _row("경", "Gyeong", "Kyŏng", "Kyong", "Kyung Kyeong Gyeong Kyong"),
    _row("봉", "Bong", "Pong", "Pong", "Bong Pong"),
    _row("사", "Sa", "Sa", "Sa", "Sa"),
    _row("부", "Bu", "Pu", "Pu", "Boo Bu Pu"),
    _row("태", "Tae", "T'ae", "Thae", "Tae Thae"),
    # Compound surnames.
    _row("남궁", "Namgung", "Namgung", "Namgung", "Namgoong Namkoong Namkung Namgung"),
    _row("황보", "Hwangbo", "Hwangbo", "Hwangbo", "Hwangbo Whangbo"),
    _row("제갈", "Jegal", "Chegal", "Jegal", "Jegal Chegal Jekal"),
    _row("선우", "Seonu", "Sŏnu", "Sonu", "Sunwoo Seonwoo Sonu Sunwu Seonu"),
    _row("독고", "Dokgo", "Tokko", "Tokko", "Dokko Dokgo Tokko Tokgo"),
    _row("사공", "Sagong", "Sagong", "Sagong", "Sakong Sagong"),
    _row("서문", "Seomun", "Sŏmun", "Somun", "Seomun Suhmoon Somun"),
    _row("동방", "Dongbang", "Tongbang", "Tongbang", "Dongbang Tongbang"),
)

SURNAMES: Mapping[str, Surname] = MappingProxyType({row.hangul: row for row in _ROWS})
COMPOUND_SURNAMES: frozenset[str] = frozenset(h for h in SURNAMES if len(h) == 2)
_BY_HANGUL: Mapping[str, Surname] = MappingProxyType(
    {**{row.north_hangul: row for row in _ROWS}, **SURNAMES},
)


def normalise(text: str) -> str:
    """Lower-case ASCII letters only: breves, apostrophes, hyphens and spaces dropped (Ch'ŏl-su → cholsu)."""
    stripped = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return "".join(c for c in stripped.lower() if "a" <= c <= "z")


def surname(hangul: str) -> Surname | None:
    """The table's row for a surname written in southern or northern Hangul (이 or 리), if known."""
    return _BY_HANGUL.get(hangul.strip())


def surname_readings(hangul: str) -> frozenset[str]:
    """Every normalised romanised spelling of a surname (이 → lee, yi, rhee, i, ri, ...); empty if unknown."""
    row = surname(hangul)
    if row is None:
        return frozenset()
    spellings = (row.revised, row.mccune_reischauer, row.north, *row.popular)
    return frozenset(normalise(s) for s in spellings)


def _reading_index() -> Mapping[str, frozenset[str]]:
    index: dict[str, set[str]] = {}
    for row in _ROWS:
        for reading in surname_readings(row.hangul):
            index.setdefault(reading, set()).add(row.hangul)
    return MappingProxyType({reading: frozenset(hangul) for reading, hangul in index.items()})


SURNAME_READINGS: Mapping[str, frozenset[str]] = _reading_index()


def surnames_for_reading(roman: str) -> frozenset[str]:
    """The southern Hangul surnames a romanised spelling can stand for (Ri → 이; Son → 손, 선)."""
    return SURNAME_READINGS.get(normalise(roman), frozenset())
