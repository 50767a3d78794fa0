"""Name candidates: the spans of a text that may be a person's name, and the forms the registry is asked about.

Latin script: within a run of adjacent capitalised words, every stretch of two to four words whose
first or last word is a surname spelling (`matching.surnames`) and whose other words read as Korean
syllables (`matching.romanise.segmentations`): "Sergeant Ri Chol Su's" yields "Ri Chol Su"; also
"RI, Chol Su" (surname, comma, given name). Such a stretch is keyed by `matching.keys.name_keys`.
Other capitalised stretches of two or three words, in Latin or Cyrillic letters, may be an alias
("Ivan Petrov", "Иван Петров"): they are looked up by their compact form (`matching.normal.compact`),
and Cyrillic ones by their transliteration too.

Hangul: a word whose start is a surname (compound ones too), tried whole and with a trailing particle
or title stripped (리철수는, 리철수 하사, 철수씨가), two to five syllables; and the spaced form 김 철수.
The registry decides which of them are names; those that carry a title or a rank beside them may be
reported as possible names when they match no one.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from consent.disclosure.data.vocabulary import (
    AMBIGUOUS_RANKS_EN,
    AMBIGUOUS_RANKS_KO,
    ENGLISH_SURNAME_HOMOGRAPHS,
    HONORIFICS_EN,
    NON_NAME_WORDS_EN,
    RANK_ABBREVIATIONS_EN,
    RANKS_EN,
    RANKS_KO,
    ROLES_EN,
    ROLES_KO,
    TITLES_KO,
)
from consent.disclosure.text import Document, Script, Word, hangul_stems
from matching.keys import name_keys
from matching.normal import compact
from matching.romanise import hangul_candidates as hangul_candidates_for_given
from matching.romanise import mccune_reischauer, north, revised, segmentations
from matching.surnames import COMPOUND_SURNAMES, SURNAME_READINGS, normalise, surname

MAX_GIVEN_SYLLABLES = 3
_HYPHENS = str.maketrans({"\u2010": "-", "\u2011": "-"})
_TITLE_WORDS_KO = frozenset((*TITLES_KO, *RANKS_KO, *ROLES_KO, *AMBIGUOUS_RANKS_KO))

# Common Korean words that start with a surname syllable; not looked up as names.
COMMON_WORDS_KO = frozenset(
    [
        "이번",
        "이후",
        "이전",
        "이상",
        "이하",
        "이미",
        "이제",
        "이런",
        "이들",
        "이름",
        "이야기",
        "이유",
        "이날",
        "이달",
        "이곳",
        "이와",
        "이에",
        "이를",
        "이는",
        "이산",
        "이산가족",
        "이송",
        "이동",
        "이어",
        "이용",
        "이해",
        "이외",
        "이틀",
        "이런저런",
        "이러한",
        "이처럼",
        "이렇게",
        "이것",
        "이분",
        "이사",
        "이탈",
        "이주",
        "이민",
        "이북",
        "정부",
        "정보",
        "정도",
        "정치",
        "정책",
        "정상",
        "정전",
        "정권",
        "정확",
        "정리",
        "정말",
        "정식",
        "정신",
        "정기",
        "정찰",
        "정찰병",
        "정치범",
        "정황",
        "한국",
        "한편",
        "한다",
        "한반도",
        "한국어",
        "한국인",
        "한국군",
        "한때",
        "한번",
        "한두",
        "한가운데",
        "한창",
        "한국전쟁",
        "한명",
        "한달",
        "한쪽",
        "조사",
        "조선",
        "조치",
        "조건",
        "조직",
        "조국",
        "조금",
        "조언",
        "조선인민군",
        "조선중앙통신",
        "조만간",
        "조용히",
        "고향",
        "고문",
        "고령",
        "고려",
        "고위",
        "고통",
        "고립",
        "고민",
        "고백",
        "고국",
        "고생",
        "고발",
        "고지",
        "고향에",
        "신분",
        "신청",
        "신원",
        "신고",
        "신문",
        "신체",
        "신속",
        "신뢰",
        "신념",
        "신변",
        "신상",
        "전쟁",
        "전선",
        "전투",
        "전사",
        "전화",
        "전달",
        "전문",
        "전체",
        "전혀",
        "전해",
        "전했다",
        "전한",
        "전역",
        "전방",
        "전후",
        "전선에서",
        "전쟁포로",
        "전시",
        "전국",
        "장소",
        "장교",
        "장기",
        "장군",
        "장관",
        "장면",
        "장애",
        "장비",
        "강제",
        "강조",
        "강화",
        "강력",
        "강요",
        "강원",
        "강원도",
        "강을",
        "주민",
        "주장",
        "주요",
        "주로",
        "주의",
        "주변",
        "주민들",
        "주소",
        "주말",
        "주일",
        "주재",
        "문제",
        "문서",
        "문의",
        "문화",
        "문자",
        "문장",
        "안전",
        "안에",
        "안내",
        "안보",
        "안부",
        "안타깝",
        "안정",
        "안전하게",
        "오늘",
        "오후",
        "오전",
        "오랜",
        "오래",
        "오직",
        "오히려",
        "오는",
        "서울",
        "서방",
        "서명",
        "서한",
        "서류",
        "서부",
        "서로",
        "서신",
        "서쪽",
        "유엔",
        "유럽",
        "유지",
        "유족",
        "유일",
        "유형",
        "도움",
        "도착",
        "도시",
        "도망",
        "도움을",
        "도중",
        "소속",
        "소식",
        "소련",
        "소재",
        "소통",
        "소개",
        "소대",
        "소수",
        "소년",
        "소리",
        "소송",
        "부대",
        "부모",
        "부상",
        "부분",
        "부인",
        "부터",
        "부족",
        "부친",
        "부대원",
        "남한",
        "남쪽",
        "남은",
        "남자",
        "남편",
        "남측",
        "방송",
        "방문",
        "방법",
        "방향",
        "방식",
        "방어",
        "공개",
        "공식",
        "공유",
        "공간",
        "공격",
        "공화국",
        "공민증",
        "현재",
        "현지",
        "현장",
        "현실",
        "배치",
        "배경",
        "배우자",
        "백서",
        "백만",
        "우리",
        "우크라이나",
        "우려",
        "우선",
        "지난",
        "지역",
        "지원",
        "지금",
        "지적",
        "지시",
        "지휘",
        "지난해",
        "지금까지",
        "하지만",
        "하고",
        "하는",
        "하여",
        "하루",
        "하나",
        "하기",
        "송환",
        "송출",
        "성명",
        "성공",
        "성별",
        "성인",
        "민간",
        "민족",
        "민주",
        "나라",
        "나이",
        "나중",
        "나머지",
        "진술",
        "진행",
        "진지",
        "차례",
        "차량",
        "구출",
        "구금",
        "구역",
        "명단",
        "명의",
        "명령",
        "기자",
        "기록",
        "기간",
        "기관",
        "기억",
        "기준",
        "기회",
        "변호",
        "변경",
        "표현",
        "표시",
        "허가",
        "허락",
        "노동",
        "노력",
        "노출",
        "길이",
        "길을",
        "천명",
        "원칙",
        "원래",
        "원문",
        "원하는",
        "용의",
        "석방",
        "태도",
    ]
)


@dataclass(frozen=True, slots=True)
class NameCandidate:
    """A span that may be a name: `form` is what is keyed and scored ("Ri Chol Su", "RI, Chol Su", "김 철수").

    `is_korean`: a surname and Korean syllables (keyed by `keys`); otherwise an alias candidate (looked
    up by `compacts` only). `has_title`: a title, honorific or rank stands beside it ("Sergeant Ri Chol
    Su", "리철수 하사"), which makes it worth an advisory when it matches no one."""

    start: int
    end: int
    form: str
    is_korean: bool
    keys: frozenset[str]
    compacts: frozenset[str]
    has_title: bool = False
    is_given: bool = False  # a given name alone ("Su-hyon", "Chan Sam"), verified by compact form only
    is_lower_case: bool = False  # typed in lower case ("ryu jinhak"): the text writes names so


@functools.lru_cache(maxsize=1 << 14)
def syllable_count(part: str) -> int:
    """The fewest Korean syllables a run of letters reads as; 0 when it reads as none."""
    ways = segmentations(part)
    return min((len(way) for way in ways), default=0)


@functools.lru_cache(maxsize=1 << 14)
def given_syllables(word: str) -> int:
    """Korean syllables in a romanised given-name word ("Chol-su" 2, "Cheolsu" 2, "Petrov" 0)."""
    total = 0
    for part in word.translate(_HYPHENS).split("-"):
        letters = normalise(part)
        if not letters or len(letters) > 12:
            return 0
        count = syllable_count(letters)
        if not count:
            return 0
        total += count
    return total


def is_surname_word(word: Word) -> bool:
    """A capitalised Latin word that is a surname spelling ("I" is the English pronoun, not 이)."""
    return word.script is Script.LATIN and _is_surname_text(word.text)


@functools.lru_cache(maxsize=1 << 14)
def _is_surname_text(text: str) -> bool:
    return text[:1].isupper() and text != "I" and normalise(text) in SURNAME_READINGS


_ACRONYMS = frozenset({"UN", "US", "UK", "EU", "NK", "SK", "ROK", "DPRK", "KPA", "POW", "NGO", "ID", "AP", "OK"})


def is_given_word(word: Word) -> bool:
    """A capitalised Latin word that reads as one to three Korean syllables and is not a common word."""
    return word.script is Script.LATIN and _is_given_text(word.text)


@functools.lru_cache(maxsize=1 << 14)
def _is_given_text(text: str) -> bool:
    if not text[:1].isupper() or text.lower() in NON_NAME_WORDS_EN or text in _ACRONYMS:
        return False
    return 0 < given_syllables(text) <= MAX_GIVEN_SYLLABLES


def capitalised_runs(document: Document, script: Script = Script.LATIN) -> tuple[tuple[Word, ...], ...]:
    """Maximal runs of capitalised words of one script separated by single spaces (a possessive "'s"
    ends a run: "Ri Chol Su's unit")."""
    return document.runs(script)


_TITLE_WORDS_EN = frozenset(
    (
        *HONORIFICS_EN,
        *(rank.split()[-1] for rank in (*RANKS_EN, *AMBIGUOUS_RANKS_EN, *ROLES_EN)),
        *(a.split()[-1].rstrip(".") for a in RANK_ABBREVIATIONS_EN),
    )
)


def is_title_before(document: Document, word: Word) -> bool:
    """Whether an honorific, rank or role stands right before a romanised name ("Sergeant", "Mr", "Pvt.")."""
    before = document.previous(word)
    if before is None or before.script is not Script.LATIN or before.sentence != word.sentence:
        return False
    gap = document.gap(before, word)
    return gap in (" ", ". ", "\u00a0") and before.lower in _TITLE_WORDS_EN


def latin_candidates(document: Document) -> Iterator[NameCandidate]:
    for run in capitalised_runs(document):
        for i in range(len(run)):
            for j in range(i, min(i + 4, len(run))):
                yield from _stretch_candidates(document, run[i : j + 1])
        yield from _comma_candidates(document, run)
        yield from _given_candidates(document, run)


def _given_candidates(document: Document, run: Sequence[Word]) -> Iterator[NameCandidate]:
    """A given name written alone, as the vault indexes given names whole: a hyphenated word of two
    syllables standing alone ("Su-hyon said"), or a run of exactly two one-syllable words ("Chan Sam")."""
    hyphenated = len(run) == 1 and "-" in run[0].text.translate(_HYPHENS) and is_given_word(run[0])
    spaced = len(run) == 2 and all(is_given_word(w) and given_syllables(w.text) == 1 for w in run)
    if (hyphenated or spaced) and sum(given_syllables(w.text) for w in run) == 2:
        start, end = run[0].start, run[-1].end
        text = document.text[start:end]
        forms = given_lookup_forms(text)
        if forms:
            yield NameCandidate(start, end, text, False, frozenset(), forms, is_given=True)


GIVEN_READINGS = 2  # Hangul readings of a given name alone whose other spellings are looked up too


@functools.lru_cache(maxsize=4096)
def given_lookup_forms(text: str) -> frozenset[str]:
    """The compact forms a given name alone is looked up by: as written, and the usual spellings of its two
    likeliest Hangul readings (the vault indexes given names as recorded: "Pok Hak" for "Bok-hak")."""
    forms = {compact(text)}
    for hangul in hangul_candidates_for_given(text)[:GIVEN_READINGS]:
        full = "김" + hangul  # any surname: only the given part is kept
        for spelling in (north(full), mccune_reischauer(full, diacritics=False), revised(full)):
            forms.add(compact(spelling.split(" ", 1)[1]))
    return frozenset(f for f in forms if f)


def _stretch_candidates(document: Document, words: Sequence[Word]) -> Iterator[NameCandidate]:
    start, end = words[0].start, words[-1].end
    text = document.text[start:end]
    if len(words) >= 2:
        first, last = words[0], words[-1]
        korean = False
        if is_surname_word(first) and all(is_given_word(w) for w in words[1:]):
            korean = sum(given_syllables(w.text) for w in words[1:]) <= MAX_GIVEN_SYLLABLES
        if not korean and is_surname_word(last) and all(is_given_word(w) for w in words[:-1]):
            korean = sum(given_syllables(w.text) for w in words[:-1]) <= MAX_GIVEN_SYLLABLES
        if korean:
            keys = name_keys(text)
            if keys:
                yield NameCandidate(start, end, text, True, keys, frozenset(), is_title_before(document, first))
                return
        if len(words) <= 3 and words[0].lower not in NON_NAME_WORDS_EN and words[-1].lower not in NON_NAME_WORDS_EN:
            yield NameCandidate(start, end, text, False, frozenset(), alias_lookup_forms(text))


def _comma_candidates(document: Document, run: Sequence[Word]) -> Iterator[NameCandidate]:
    """ "RI, Chol Su": a surname, a comma, and a given name in the next run."""
    last = run[-1]
    if not is_surname_word(last):
        return
    after = document.next(last)
    if after is None or document.gap(last, after) not in (", ", ","):
        return
    given: list[Word] = []
    word: Word | None = after
    while word is not None and is_given_word(word) and len(given) < 3:
        if given and document.gap(given[-1], word) != " ":
            break
        given.append(word)
        word = document.next(word)
    if not given or sum(given_syllables(w.text) for w in given) > MAX_GIVEN_SYLLABLES:
        return
    form = f"{last.text}, {' '.join(w.text for w in given)}"
    keys = name_keys(form)
    if keys:
        yield NameCandidate(last.start, given[-1].end, form, True, keys, frozenset(), is_title_before(document, last))


def hangul_surname_length(stem: str) -> int:
    """1 or 2 (a compound surname) when `stem` starts with a surname and has a given name after it; else 0."""
    if len(stem) >= 3 and stem[:2] in COMPOUND_SURNAMES:
        return 2
    if len(stem) >= 2 and surname(stem[:1]) is not None:
        return 1
    return 0


def _title_follows(document: Document, word: Word, suffix: str) -> bool:
    if suffix and any(suffix.startswith(t) for t in TITLES_KO):
        return True
    after = document.next(word)
    if after is None or after.script is not Script.HANGUL or document.gap(word, after) != " ":
        return False
    return any(stem in _TITLE_WORDS_KO for stem, _ in hangul_stems(after.text))


def _title_precedes(document: Document, word: Word) -> bool:
    before = document.previous(word)
    return (
        before is not None
        and before.script is Script.HANGUL
        and document.gap(before, word) == " "
        and before.text in _TITLE_WORDS_KO
    )


def hangul_candidates(document: Document) -> Iterator[NameCandidate]:
    for word in document.words:
        if word.script is not Script.HANGUL:
            continue
        titled = None
        for stem, suffix in hangul_stems(word.text):
            length = hangul_surname_length(stem)
            if not length or len(stem) > 5 or len(stem) - length > MAX_GIVEN_SYLLABLES or stem in COMMON_WORDS_KO:
                continue
            if titled is None:
                titled = _title_precedes(document, word)
            keys = name_keys(stem)
            if keys:
                has_title = titled or _title_follows(document, word, suffix)
                yield NameCandidate(word.start, word.start + len(stem), stem, True, keys, frozenset(), has_title)
        # The spaced form: a surname word, a space, a given name (김 철수는).
        if len(word.text) <= 2 and (surname(word.text) is not None):
            after = document.next(word)
            if after is None or after.script is not Script.HANGUL or document.gap(word, after) != " ":
                continue
            for stem, suffix in hangul_stems(after.text):
                if not 1 <= len(stem) <= MAX_GIVEN_SYLLABLES or stem in _TITLE_WORDS_KO:
                    continue
                form = f"{word.text} {stem}"
                keys = name_keys(form)
                if keys:
                    has_title = _title_precedes(document, word) or _title_follows(document, after, suffix)
                    yield NameCandidate(word.start, after.start + len(stem), form, True, keys, frozenset(), has_title)


def cyrillic_candidates(document: Document) -> Iterator[NameCandidate]:
    for run in capitalised_runs(document, Script.CYRILLIC):
        for i in range(len(run)):
            for j in range(i + 1, min(i + 3, len(run))):
                start, end = run[i].start, run[j].end
                text = document.text[start:end]
                yield NameCandidate(start, end, text, False, frozenset(), alias_lookup_forms(text))


@functools.lru_cache(maxsize=1 << 14)
def alias_lookup_forms(text: str) -> frozenset[str]:
    """The compact forms an alias candidate is looked up by: as written and in the other alphabet."""
    other = to_latin(text) if any("\u0400" <= c <= "\u04ff" for c in text) else to_cyrillic(text)
    return frozenset({compact(text), compact(other)} - {""})


@functools.lru_cache(maxsize=1 << 14)
def is_lower_surname(text: str) -> bool:
    return text.islower() and text not in ENGLISH_SURNAME_HOMOGRAPHS and normalise(text) in SURNAME_READINGS


@functools.lru_cache(maxsize=1 << 14)
def is_lower_given(text: str, *, first: bool) -> bool:
    """A lower-case given-name word; the first one not also an English word ("kim ju song", not "kim
    and", "yun so")."""
    return (
        text.islower()
        and text not in NON_NAME_WORDS_EN
        and not (first and text in ENGLISH_SURNAME_HOMOGRAPHS)
        and 0 < given_syllables(text) <= MAX_GIVEN_SYLLABLES
    )


def lower_case_candidates(document: Document) -> Iterator[NameCandidate]:
    """A full name typed in lower case, as chats and field notes write them ("ryu jinhak", "yun
    son-gyu", "kim ju song"): a surname spelling that is not also an English word, then one to three
    given-name words of two or three syllables in all, the first not an English word. Keyed like a capitalised
    name; only a registered person's name verifies, so a chance look-alike costs a look-up, no finding."""
    words = document.words
    for index, word in enumerate(words):
        if word.script is not Script.LATIN or not is_lower_surname(word.text):
            continue
        given: list[Word] = []
        for following in words[index + 1 : index + 1 + MAX_GIVEN_SYLLABLES]:
            previous = given[-1] if given else word
            if following.script is not Script.LATIN or document.gap(previous, following) != " ":
                break
            if not is_lower_given(following.text, first=not given):
                break
            given.append(following)
            syllables = sum(given_syllables(w.text) for w in given)
            if syllables > MAX_GIVEN_SYLLABLES:
                break
            if syllables >= 2:
                form = " ".join(w.text.capitalize() for w in (word, *given))
                keys = name_keys(form)
                if keys:
                    yield NameCandidate(word.start, following.end, form, True, keys, frozenset(), is_lower_case=True)


def find_candidates(document: Document) -> list[NameCandidate]:
    """Every name candidate of the text, each distinct span and form once."""
    found: dict[tuple[int, int, str, bool], NameCandidate] = {}
    latin = (*latin_candidates(document), *lower_case_candidates(document))
    for candidate in (*latin, *hangul_candidates(document), *cyrillic_candidates(document)):
        found.setdefault((candidate.start, candidate.end, candidate.form, candidate.is_given), candidate)
    return list(found.values())


def lookup_forms(candidates: Iterable[NameCandidate]) -> tuple[set[str], set[str]]:
    """The blocking keys and compact forms of the candidates, each once: one registry call's worth."""
    keys: set[str] = set()
    compacts: set[str] = set()
    for candidate in candidates:
        keys |= candidate.keys
        compacts |= candidate.compacts
    return keys, compacts


# Transliteration between Cyrillic and Latin letters (the common passport-style scheme, BGN/PCGN-like),
# so that a Russian document name matches in either script.
_CYRILLIC = "абвгдеёжзийклмнопрстуфхцчшщъыьэюяіїєґ"
_CYRILLIC_IN_LATIN = (
    "a", "b", "v", "g", "d", "e", "e", "zh", "z", "i", "y", "k", "l", "m", "n", "o", "p", "r", "s", "t", "u", "f",
    "kh", "ts", "ch", "sh", "shch", "-", "y", "-", "e", "yu", "ya", "i", "yi", "ye", "g",
)  # fmt: skip
_TO_LATIN = {c: ("" if latin == "-" else latin) for c, latin in zip(_CYRILLIC, _CYRILLIC_IN_LATIN, strict=True)}
# Latin back to Cyrillic, longest spellings first.
_LATIN_IN_CYRILLIC = (
    ("shch", "щ"), ("zh", "ж"), ("kh", "х"), ("ts", "ц"), ("ch", "ч"), ("sh", "ш"), ("yu", "ю"), ("ya", "я"),  # noqa: RUF001
    ("iy", "ий"), ("yy", "ый"), ("ey", "ей"), ("ay", "ай"), ("oy", "ой"), ("yo", "ё"),
    ("a", "а"), ("b", "б"), ("v", "в"), ("g", "г"), ("d", "д"), ("e", "е"), ("z", "з"), ("i", "и"),  # noqa: RUF001
    ("y", "й"), ("k", "к"), ("l", "л"), ("m", "м"), ("n", "н"), ("o", "о"), ("p", "п"), ("r", "р"),  # noqa: RUF001
    ("s", "с"), ("t", "т"), ("u", "у"), ("f", "ф"), ("w", "в"), ("h", "х"), ("c", "к"), ("x", "кс"),  # noqa: RUF001
)  # fmt: skip
_TO_CYRILLIC = _LATIN_IN_CYRILLIC


def to_latin(text: str) -> str:
    """Cyrillic letters in Latin ones: "Иван Петров" → "ivan petrov" (other characters kept, lower case)."""
    return "".join(_TO_LATIN.get(c, c) for c in text.lower())


@functools.lru_cache(maxsize=1 << 12)
def to_cyrillic(text: str) -> str:
    """Latin letters in Cyrillic ones, greedily: "Ivan Petrov" → "иван петров"; "" when the text has none."""
    lower = text.lower()
    if not any("a" <= c <= "z" for c in lower):
        return ""
    out: list[str] = []
    i = 0
    while i < len(lower):
        for latin, cyrillic in _TO_CYRILLIC:
            if lower.startswith(latin, i):
                out.append(cyrillic)
                i += len(latin)
                break
        else:
            out.append(lower[i])
            i += 1
    return "".join(out)
