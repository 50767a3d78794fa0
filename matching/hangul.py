"""Hangul syllables by Unicode arithmetic, and the initial-sound law (두음법칙) both ways.

A precomposed syllable is U+AC00 + (initial * 21 + medial) * 28 + final (The Unicode Standard,
section 3.12, "Conjoining Jamo Behavior"). South Korea's orthography (한글 맞춤법, articles 10-12)
changes a word-initial ㄹ and ㄴ; North Korea's does not, so 리/이, 림/임, 로/노 are one name.
"""

from __future__ import annotations

from typing import NamedTuple

SYLLABLE_BASE = 0xAC00
INITIAL_COUNT = 19
MEDIAL_COUNT = 21
FINAL_COUNT = 28
SYLLABLE_COUNT = INITIAL_COUNT * MEDIAL_COUNT * FINAL_COUNT  # 11,172

INITIALS = "ㄱㄲㄴㄷㄸㄹㅁㅂㅃㅅㅆㅇㅈㅉㅊㅋㅌㅍㅎ"
MEDIALS = "ㅏㅐㅑㅒㅓㅔㅕㅖㅗㅘㅙㅚㅛㅜㅝㅞㅟㅠㅡㅢㅣ"
FINALS = ("", *"ㄱㄲㄳㄴㄵㄶㄷㄹㄺㄻㄼㄽㄾㄿㅀㅁㅂㅄㅅㅆㅇㅈㅊㅋㅌㅍㅎ")

# Initial indexes.
RIEUL = INITIALS.index("ㄹ")
NIEUN = INITIALS.index("ㄴ")
IEUNG = INITIALS.index("ㅇ")
# Medials ㅣ ㅑ ㅕ ㅛ ㅠ ㅖ (and ㅒ): before them the South drops an initial ㄹ or ㄴ.
IOTATED_MEDIALS = frozenset(MEDIALS.index(m) for m in "ㅣㅑㅕㅛㅠㅖㅒ")


class Syllable(NamedTuple):
    """Jamo indexes of one precomposed syllable: into INITIALS, MEDIALS and FINALS."""

    initial: int
    medial: int
    final: int = 0


def is_syllable(char: str) -> bool:
    """Whether `char` is one precomposed Hangul syllable (가 to 힣)."""
    return len(char) == 1 and 0 <= ord(char) - SYLLABLE_BASE < SYLLABLE_COUNT


def is_hangul(text: str) -> bool:
    """Whether `text` is non-empty and made of Hangul syllables, with spaces or hyphens between."""
    letters = [c for c in text if c not in " -"]
    return bool(letters) and all(is_syllable(c) for c in letters)


def decompose(char: str) -> Syllable:
    """The jamo indexes of a precomposed syllable; ValueError for anything else."""
    if not is_syllable(char):
        raise ValueError(f"not a Hangul syllable: {char!r}")
    offset = ord(char) - SYLLABLE_BASE
    return Syllable(offset // (MEDIAL_COUNT * FINAL_COUNT), offset // FINAL_COUNT % MEDIAL_COUNT, offset % FINAL_COUNT)


def compose(initial: int, medial: int, final: int = 0) -> str:
    """The precomposed syllable with these jamo indexes; ValueError when one is out of range."""
    if not (0 <= initial < INITIAL_COUNT and 0 <= medial < MEDIAL_COUNT and 0 <= final < FINAL_COUNT):
        raise ValueError(f"jamo indexes out of range: {initial}, {medial}, {final}")
    return chr(SYLLABLE_BASE + (initial * MEDIAL_COUNT + medial) * FINAL_COUNT + final)


def initial_law_south(syllable: str) -> str:
    """The southern spelling of a word-initial syllable: 리→이, 로→노, 녀→여; others unchanged."""
    if not is_syllable(syllable):
        return syllable
    initial, medial, final = decompose(syllable)
    if initial == RIEUL:
        return compose(IEUNG if medial in IOTATED_MEDIALS else NIEUN, medial, final)
    if initial == NIEUN and medial in IOTATED_MEDIALS:
        return compose(IEUNG, medial, final)
    return syllable


def initial_law_north(syllable: str) -> frozenset[str]:
    """Every spelling whose southern form is `syllable`, itself included: 이 → 이, 리, 니; 노 → 노, 로.

    North Korea writes these originals; which one a given name had depends on its Hanja, so all are
    candidates and a surname table or a scorer narrows them.
    """
    if not is_syllable(syllable):
        return frozenset({syllable})
    initial, medial, final = decompose(syllable)
    if initial == IEUNG and medial in IOTATED_MEDIALS:
        return frozenset({syllable, compose(RIEUL, medial, final), compose(NIEUN, medial, final)})
    if initial == NIEUN and medial not in IOTATED_MEDIALS:
        return frozenset({syllable, compose(RIEUL, medial, final)})
    return frozenset({syllable})


def southern(word: str) -> str:
    """`word` with the initial-sound law applied to its first syllable (리철수 → 이철수)."""
    return initial_law_south(word[:1]) + word[1:] if word else word
