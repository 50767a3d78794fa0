"""Romanisation of Hangul personal names: Revised Romanization, McCune-Reischauer, North Korea's
system and popular spellings, the normal forms a scorer compares, and the way back from romanised
text to candidate Hangul (`hangul_candidates`, `syllable_candidates`).

Names are romanised syllable by syllable, as the Revised Romanization's rule for personal names
requires (RR 2000, section 3, article 4: no sound change in given names). McCune-Reischauer and
the DPRK system are given their one sound change that matters most in names, the voicing of
ㄱ ㄷ ㅂ (and ㅈ in MR) after a vowel or ㄴ ㄹ ㅁ ㅇ inside the given name (Kim Kye-gwan); their
other assimilations (ㄴㄹ → ll, nasalisation) are not applied, which is a first cut.
"""

from __future__ import annotations

import functools
import itertools
import math
from collections.abc import Iterable, Mapping
from types import MappingProxyType

from matching.hangul import (
    FINAL_COUNT,
    FINALS,
    IEUNG,
    INITIAL_COUNT,
    INITIALS,
    MEDIAL_COUNT,
    MEDIALS,
    SYLLABLE_BASE,
    SYLLABLE_COUNT,
    decompose,
    initial_law_north,
    initial_law_south,
    is_syllable,
)
from matching.names import ParsedName, parse_hangul, parse_latin
from matching.surnames import SURNAME_READINGS, SURNAMES, normalise, surname, surname_readings

NormalForm = tuple[str, tuple[str, ...]]
"""A name's reading as a scorer compares it: the normalised surname and the normalised given-name
syllables, in that order whatever order the name was written in (("kim", ("cheol", "su"))).
Lower-case ASCII only; `joined` gives the single string ("kimcheolsu")."""


def _table(spellings: str, count: int) -> tuple[str, ...]:
    """A row of spellings in jamo order, "-" standing for none; checked against the jamo count."""
    row = tuple("" if s == "-" else s for s in spellings.split())
    assert len(row) == count, spellings
    return row


# Initials in the order ㄱ ㄲ ㄴ ㄷ ㄸ ㄹ ㅁ ㅂ ㅃ ㅅ ㅆ ㅇ ㅈ ㅉ ㅊ ㅋ ㅌ ㅍ ㅎ.
_RR_INITIAL = _table("g kk n d tt r m b pp s ss - j jj ch k t p h", INITIAL_COUNT)
_MR_INITIAL = _table("k kk n t tt r m p pp s ss - ch tch ch' k' t' p' h", INITIAL_COUNT)
_NK_INITIAL = _table("k kk n t tt r m p pp s ss - j jj ch kh th ph h", INITIAL_COUNT)
# After a voiced sound: MR voices ㄱ ㄷ ㅂ ㅈ; the DPRK system ㄱ ㄷ ㅂ (its ㅈ is always j, and its ch is ㅊ).
_MR_VOICED = {"k": "g", "t": "d", "p": "b", "ch": "j"}
_NK_VOICED = {"k": "g", "t": "d", "p": "b"}

# Medials in the order ㅏ ㅐ ㅑ ㅒ ㅓ ㅔ ㅕ ㅖ ㅗ ㅘ ㅙ ㅚ ㅛ ㅜ ㅝ ㅞ ㅟ ㅠ ㅡ ㅢ ㅣ.
_RR_MEDIAL = _table("a ae ya yae eo e yeo ye o wa wae oe yo u wo we wi yu eu ui i", MEDIAL_COUNT)
_MR_MEDIAL = _table("a ae ya yae ŏ e yŏ ye o wa wae oe yo u wŏ we wi yu ŭ ŭi i", MEDIAL_COUNT)
_NK_MEDIAL = _table("a ae ya yae o e yo ye o wa wae oe yo u wo we wi yu u ui i", MEDIAL_COUNT)

# Finals as pronounced at the end of a syllable, the same in RR, MR and the DPRK system, in the order
# (none) ㄱ ㄲ ㄳ ㄴ ㄵ ㄶ ㄷ ㄹ ㄺ ㄻ ㄼ ㄽ ㄾ ㄿ ㅀ ㅁ ㅂ ㅄ ㅅ ㅆ ㅇ ㅈ ㅊ ㅋ ㅌ ㅍ ㅎ.
_FINAL = _table("- k k k n n n t l k m l l l p l m p p t t ng t t k t p t", FINAL_COUNT)
_VOICED_FINALS = frozenset({"", "n", "l", "m", "ng"})
_SH_MEDIALS = frozenset(MEDIALS.index(m) for m in "ㅣㅟ")  # MR writes 시 as shi

_POPULAR_INITIAL: dict[str, tuple[str, ...]] = {
    "ㄱ": ("g", "k"), "ㄲ": ("kk", "gg", "k"), "ㄷ": ("d", "t"), "ㄸ": ("tt", "dd", "t"), "ㄹ": ("r", "l"),
    "ㅂ": ("b", "p"), "ㅃ": ("pp", "bb", "p"), "ㅆ": ("ss", "s"), "ㅈ": ("j", "ch"), "ㅉ": ("jj", "tch", "j"),
}  # fmt: skip
_POPULAR_MEDIAL: dict[str, tuple[str, ...]] = {
    "ㅐ": ("ae", "ai"), "ㅓ": ("eo", "u", "o"), "ㅕ": ("yeo", "yu", "yo"), "ㅚ": ("oe", "oi", "we"),
    "ㅜ": ("u", "oo"), "ㅝ": ("wo", "weo"), "ㅟ": ("wi", "wee"), "ㅠ": ("yu", "yoo"), "ㅡ": ("eu", "u"),
    "ㅢ": ("ui", "ee", "i", "eui"), "ㅣ": ("i", "ee"), "ㅗ": ("o", "oh"),
}  # fmt: skip
_OPEN_ONLY = frozenset({"ee", "oh", "wee"})  # spellings used only in a syllable without a final


def _syllable(
    char: str, initials: tuple[str, ...], medials: tuple[str, ...], voicing: Mapping[str, str] | None = None
) -> str:
    initial, medial, final = decompose(char)
    onset = initials[initial]
    if voicing is not None:
        onset = voicing.get(onset, onset)
    return onset + medials[medial] + _FINAL[final]


def revised_syllable(char: str) -> str:
    """One syllable in the Revised Romanization, as if word-initial (철 → cheol, 리 → ri)."""
    return _syllable(char, _RR_INITIAL, _RR_MEDIAL)


def mccune_reischauer_syllable(char: str, *, voiced: bool = False) -> str:
    """One syllable in McCune-Reischauer with breves and apostrophes (철 → ch'ŏl; 시 → shi)."""
    initial, medial, _ = decompose(char)
    text = _syllable(char, _MR_INITIAL, _MR_MEDIAL, _MR_VOICED if voiced else None)
    if INITIALS[initial] == "ㅅ" and medial in _SH_MEDIALS:
        text = "sh" + text[1:]
    return text


def north_syllable(char: str, *, voiced: bool = False) -> str:
    """One syllable in the DPRK's system (택 → thaek, 희 → hui)."""
    return _syllable(char, _NK_INITIAL, _NK_MEDIAL, _NK_VOICED if voiced else None)


def popular_syllables(char: str) -> frozenset[str]:
    """Common spellings of one syllable seen in passports and the press (철 → cheol, chul, chol)."""
    initial, medial, final = decompose(char)
    onsets = _POPULAR_INITIAL.get(INITIALS[initial], (_RR_INITIAL[initial],))
    if INITIALS[initial] == "ㅅ" and MEDIALS[medial] == "ㅣ":
        onsets = ("s", "sh")
    nuclei = _POPULAR_MEDIAL.get(MEDIALS[medial], (_RR_MEDIAL[medial],))
    if initial == IEUNG and MEDIALS[medial] == "ㅜ":
        nuclei = ("u", "woo", "wu")  # 우 is woo or u, never a bare oo
    coda = _FINAL[final]
    spellings = {o + n + coda for o in onsets for n in nuclei if not (coda and n in _OPEN_ONLY)}
    if initial == IEUNG and MEDIALS[medial] == "ㅕ" and coda == "ng":
        spellings.add("young")
    return frozenset(spellings)


def _voicing(given: str) -> list[bool]:
    """Whether each given-name syllable's initial is voiced: not the first, and after a voiced sound."""
    flags = [False]
    for previous in given[:-1]:
        flags.append(_FINAL[decompose(previous).final] in _VOICED_FINALS)
    return flags


def _hangul_name(name: str | ParsedName) -> ParsedName:
    parsed = parse_hangul(name) if isinstance(name, str) else name
    if not parsed.given or not all(is_syllable(c) for c in parsed.surname + parsed.given_text):
        raise ValueError(f"not a Hangul personal name: {name!r}")
    return parsed


def _given_text(parts: Iterable[str], separator: str) -> str:
    return separator.join(parts).capitalize()


def revised(name: str | ParsedName, *, hyphen: bool = True, usual_surname: bool = True) -> str:
    """The name in the Revised Romanization: 김철수 → "Kim Cheol-su" (or "Gim Cheol-su" with the
    system's own surname spelling, `usual_surname=False`; "Kim Cheolsu" with `hyphen=False`)."""
    parsed = _hangul_name(name)
    row = surname(parsed.surname)
    if row is not None:
        family = row.usual if usual_surname else row.revised
    else:
        family = "".join(revised_syllable(c) for c in parsed.surname).capitalize()
    given = _given_text((revised_syllable(c) for c in parsed.given_text), "-" if hyphen else "")
    return f"{family} {given}"


def mccune_reischauer(name: str | ParsedName, *, diacritics: bool = True) -> str:
    """The name in McCune-Reischauer: 김철수 → "Kim Ch'ŏl-su", or "Kim Chol-su" without diacritics."""
    parsed = _hangul_name(name)
    row = surname(parsed.surname)
    if row is not None:
        family = row.mccune_reischauer
    else:
        family = "".join(mccune_reischauer_syllable(c) for c in parsed.surname).capitalize()
    text = parsed.given_text
    given = _given_text(
        (mccune_reischauer_syllable(c, voiced=v) for c, v in zip(text, _voicing(text), strict=True)), "-"
    )
    result = f"{family} {given}"
    if not diacritics:
        result = "".join(
            c for c in result.replace("ŏ", "o").replace("ŭ", "u").replace("Ŏ", "O").replace("Ŭ", "U") if c != "'"
        )
    return result


def north(name: str | ParsedName) -> str:
    """The name in North Korea's system, syllables spaced: 장성택 → "Jang Song Thaek", 이철수 → "Ri Chol Su"."""
    parsed = _hangul_name(name)
    row = surname(parsed.surname)
    family = row.north if row is not None else "".join(north_syllable(c) for c in parsed.surname).capitalize()
    text = parsed.given_text
    given = " ".join(north_syllable(c, voiced=v).capitalize() for c, v in zip(text, _voicing(text), strict=True))
    return f"{family} {given}"


def popular(name: str | ParsedName) -> frozenset[str]:
    """Common spellings of the whole name, surname first, given syllables joined: "Kim Chulsoo", "Lee Younghee"."""
    parsed = _hangul_name(name)
    row = surname(parsed.surname)
    families = row.popular if row is not None else (revised(parsed).split()[0],)
    givens = itertools.product(*(sorted(popular_syllables(c)) for c in parsed.given_text))
    return frozenset(f"{family} {''.join(g).capitalize()}" for family in families for g in givens)


def syllable_readings(char: str) -> frozenset[str]:
    """Every normalised spelling of one given-name syllable in every system, voiced or not."""
    forms = {revised_syllable(char), north_syllable(char), north_syllable(char, voiced=True)}
    forms |= {mccune_reischauer_syllable(char), mccune_reischauer_syllable(char, voiced=True)}
    forms |= popular_syllables(char)
    return frozenset(normalise(f) for f in forms)


def reading_sets(name: str | ParsedName) -> tuple[frozenset[str], tuple[frozenset[str], ...]]:
    """The normalised spellings of the surname and of each given-name syllable, before expansion.

    The first given syllable also reads as its northern and southern Hangul spellings (령 and 영),
    since the initial-sound law applies to a given name's first syllable too.
    """
    parsed = _hangul_name(name)
    families = set(surname_readings(parsed.surname))
    for system in (revised_syllable, north_syllable, mccune_reischauer_syllable):
        families.add(normalise("".join(system(c) for c in parsed.surname)))
    text = parsed.given_text
    first = {initial_law_south(text[0]), *initial_law_north(initial_law_south(text[0]))}
    given = [frozenset[str]().union(*(syllable_readings(c) for c in first))]
    given += [syllable_readings(c) for c in text[1:]]
    return frozenset(families), tuple(given)


def readings(name: str | ParsedName) -> frozenset[NormalForm]:
    """Every normal form of a Hangul name: ("kim", ("cheol", "su")), ("gim", ("chol", "su")), ...

    Name order is settled by `names.parse` before forms are compared, so a normal form has none.
    """
    families, given = reading_sets(name)
    return frozenset((family, syllables) for family in families for syllables in itertools.product(*given))


def joined(form: NormalForm) -> str:
    """A normal form as one string: ("kim", ("cheol", "su")) → "kimcheolsu"."""
    return form[0] + "".join(form[1])


# Reverse romanisation: romanised text back to candidate Hangul.

# Given-name syllables roughly from most to least common. Hand-compiled for this package from general
# familiarity with South and North Korean given names (press, passport and NGO lists); it is not
# counted from a corpus and its order is approximate. It only ranks candidates: a syllable missing
# here is still a candidate, after those listed.
COMMON_GIVEN_SYLLABLES = (
    "영정민수현진숙경희성철준지은미호상혜동재순선연주우광태석용일"
    "명환기훈혁남자옥향화윤서아하나중근규국범길덕복승식창택봉인애란춘금"
    "원유한세도빈소송열학찬효예림보강신진산문청무충평월심련룡령란례"
    "설실진혜옥분녀득삼만구홍필표웅완익양운권관섭종형갑을병녕휘채"
)
_COMMON_RANK = {syllable: rank for rank, syllable in enumerate(dict.fromkeys(COMMON_GIVEN_SYLLABLES))}
# Finals a given-name syllable usually has; others (ㄲ ㅆ ㅋ ㅌ ㅍ ㅎ, clusters, ...) are rare in names.
_NAME_FINALS = frozenset(FINALS.index(f) for f in ("", "ㄱ", "ㄴ", "ㄹ", "ㅁ", "ㅂ", "ㅇ"))
_RARE_NAME_INITIALS = frozenset("ㄲㄸㅃㅆㅉㅋㅌㅍ")
_RARE_NAME_MEDIALS = frozenset("ㅒㅖㅙㅞㅢ")
_SEPARATORS = str.maketrans(dict.fromkeys("-\u2010\u2011\u2013\u2014_./,", " "))  # hyphens and dashes


@functools.cache
def _syllables_by_reading() -> Mapping[str, frozenset[str]]:
    """Every normalised syllable reading → the Hangul syllables it can spell (cheol → 철; son → 손, 선)."""
    index: dict[str, set[str]] = {}
    for offset in range(SYLLABLE_COUNT):
        char = chr(SYLLABLE_BASE + offset)
        for reading in syllable_readings(char):
            index.setdefault(reading, set()).add(char)
    return MappingProxyType({reading: frozenset(chars) for reading, chars in index.items()})


def syllables_by_reading() -> Mapping[str, frozenset[str]]:
    """The index behind `syllable_candidates`: every normalised reading → the syllables it can spell."""
    return _syllables_by_reading()


def syllable_candidates(reading: str) -> frozenset[str]:
    """The Hangul syllables one romanised syllable can spell, in any system: "chol" → 철, 촐, 졸, ...;
    "Ch'ŏl" → the same; "ryong" → 룡, 령. Empty when it spells none ("xq")."""
    return _syllables_by_reading().get(normalise(reading), frozenset())


def _syllable_cost(char: str, reading: str) -> float:
    """How unlikely a syllable is in a given name: listed syllables by rank, then plain ones, then the
    rest; a little more when the reading is not the syllable's Revised Romanization (kim → 김 before 긤)."""
    rank = _COMMON_RANK.get(char)
    initial, medial, final = decompose(char)
    if rank is not None:
        cost = math.log(rank + 2)
    elif final not in _NAME_FINALS:
        cost = 11.0
    elif INITIALS[initial] in _RARE_NAME_INITIALS or MEDIALS[medial] in _RARE_NAME_MEDIALS:
        cost = 9.0
    else:
        cost = 7.0
    return cost if revised_syllable(char) == reading else cost + 0.5


def segmentations(part: str) -> list[tuple[str, ...]]:
    """Every way to cut a run of normalised letters into syllable readings: "cheolsu" → ("cheol", "su"),
    ("cheo", "l"...) only where each piece is a reading; empty when there is none ("cheolhyyeon")."""
    index = _syllables_by_reading()
    ways: list[list[tuple[str, ...]]] = [[] for _ in range(len(part) + 1)]
    ways[0] = [()]
    for end in range(1, len(part) + 1):
        for start in range(max(0, end - 7), end):
            if ways[start] and part[start:end] in index:
                ways[end].extend((*way, part[start:end]) for way in ways[start])
    return ways[len(part)]


_SYLLABLE_PENALTY = 1.5  # cost of each extra syllable: "hui" is more likely 희 than 후이


def _given_candidates(parts: list[str], limit: int) -> list[tuple[float, str]]:
    """The best `limit` Hangul spellings of a given name written in these parts, with their costs."""
    per_part = [segmentations(part) for part in parts]
    if not parts or not all(per_part):
        return []
    best: dict[str, float] = {}
    for cut in itertools.product(*per_part):
        readings_in_order = [reading for piece in cut for reading in piece]
        # Beam search is exact here: costs add up syllable by syllable.
        beam: list[tuple[float, str]] = [(_SYLLABLE_PENALTY * len(readings_in_order), "")]
        for position, reading in enumerate(readings_in_order):
            options = set(_syllables_by_reading()[reading])
            if position == 0:
                options |= {initial_law_south(c) for c in options}
            ranked = sorted((_syllable_cost(c, reading), c) for c in options)[:limit]
            beam = sorted((cost + c_cost, text + c) for cost, text in beam for c_cost, c in ranked)[:limit]
        for cost, text in beam:
            if cost < best.get(text, math.inf):
                best[text] = cost
    return sorted((cost, text) for text, cost in best.items())[:limit]


def _surname_candidates(word: str) -> list[str]:
    """The Hangul surnames a romanised surname can stand for, most common family first; northern
    Hangul (리, 림) next to its southern twin, first when the spelling is the DPRK's own."""
    reading = normalise(word)
    found: list[str] = []
    for row in SURNAMES.values():
        if reading in surname_readings(row.hangul):
            twins = [row.hangul, row.north_hangul] if row.north_hangul != row.hangul else [row.hangul]
            if reading == normalise(row.north) and reading != normalise(row.revised):
                twins.reverse()
            found.extend(twins)
    return found


def hangul_candidates(text: str, *, limit: int = 50) -> tuple[str, ...]:
    """Candidate Hangul spellings of a romanised name or given name, most plausible first.

    Any system and any separator: "Kim Cheol-su", "Kim Ch'ŏl-su", "KIM Chol Su", "Cheolsu Kim" → 김철수
    first; "Ri Chol Su" → 리철수, 이철수, ...; a given name alone ("Young-hee", "Yonghui") → 영희, ...
    A name is taken as surname and given name when the parser finds a known surname spelling and
    something after it; otherwise the whole text is a given name. Candidates are ranked by how common
    their surname is and how common their given syllables are in names (COMMON_GIVEN_SYLLABLES).
    Empty when the text cannot be read as Korean syllables.
    """
    if limit < 1:
        return ()
    cleaned = " ".join(text.translate(_SEPARATORS).split())
    if not cleaned:
        return ()
    parsed = parse_latin(text.strip()) if not any(is_syllable(c) for c in text) else None
    surnames: list[str] = []
    if parsed is not None and parsed.given and normalise(parsed.surname) in SURNAME_READINGS:
        surnames = _surname_candidates(parsed.surname)
        given_words = " ".join(parsed.given).translate(_SEPARATORS).split()
    else:
        given_words = cleaned.split()
    parts = [normalise(word) for word in given_words]
    given = _given_candidates([p for p in parts if p], limit)
    if not surnames:
        return tuple(name for _, name in given)
    ranked = sorted(
        (cost + math.log(rank + 2), family + name) for rank, family in enumerate(surnames) for cost, name in given
    )
    return tuple(dict.fromkeys(name for _, name in ranked))[:limit]
