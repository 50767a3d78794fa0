"""Splitting a written Korean name, in Hangul or romanised, into surname and given name.

Korean order is surname first; a romanised name is taken as swapped ("Chol-su Kim") when its last
word is a known surname spelling and its first is not, or when the surname is the one word in
capitals ("Cheol-su KIM").
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from matching.hangul import is_hangul, is_syllable
from matching.surnames import COMPOUND_SURNAMES, SURNAME_READINGS, normalise, surname

# Compound surnames whose first syllable is itself a common surname and whose second often starts
# a given name (선 + 우진, 황 + 보라): a three-syllable name starting with them is split 1 + 2.
_SPLIT_WHEN_THREE = frozenset({"선우", "황보", "서문"})


class Script(enum.StrEnum):
    HANGUL = "hangul"
    LATIN = "latin"
    MIXED = "mixed"


@dataclass(frozen=True, slots=True)
class ParsedName:
    """A name split into surname and given-name parts, as written.

    For Hangul the parts are syllables (철, 수); for romanised text they are what the writer
    separated by spaces or hyphens (Cheol, su), so a joined given name stays one part (Cheolsu).
    """

    surname: str
    given: tuple[str, ...]
    script: Script

    @property
    def given_text(self) -> str:
        return "".join(self.given)


def script_of(text: str) -> Script:
    """Which script a name is written in: Hangul, Latin letters, or a mixture."""
    has_hangul = any(is_syllable(c) for c in text)
    has_latin = bool(normalise(text))  # any Latin letter, diacritics stripped
    if has_hangul and has_latin:
        return Script.MIXED
    return Script.HANGUL if has_hangul else Script.LATIN


def _hangul_surname_length(name: str) -> int:
    prefix = name[:2]
    if prefix in COMPOUND_SURNAMES and (len(name) >= 4 or (len(name) == 3 and prefix not in _SPLIT_WHEN_THREE)):
        return 2
    return 1


def parse_hangul(text: str) -> ParsedName:
    """Split a Hangul name: 김철수 → 김 + 철수, 남궁민수 → 남궁 + 민수, 김 철수 → 김 + 철수.

    Without a space, a compound surname is taken when the name has four syllables, or three and the
    split is not ambiguous; otherwise the surname is one syllable (a four-syllable name stays 1 + 3).
    """
    if not is_hangul(text):
        raise ValueError(f"not a Hangul name: {text!r}")
    words = text.replace("-", "").split()
    if len(words) >= 2:
        family, rest = words[0], words[1:]
        if surname(words[-1]) is not None and surname(words[0]) is None:
            family, rest = words[-1], words[:-1]
        return ParsedName(family, tuple("".join(rest)), Script.HANGUL)
    name = words[0]
    length = _hangul_surname_length(name) if len(name) > 1 else 1
    return ParsedName(name[:length], tuple(name[length:]), Script.HANGUL)


def _is_surname_spelling(word: str) -> bool:
    return normalise(word) in SURNAME_READINGS


def _is_capitals(word: str) -> bool:
    letters = normalise(word)
    return len(letters) > 1 and word.isupper()


def parse_latin(text: str) -> ParsedName:
    """Split a romanised name: "Kim Chol-su", "Chol-su Kim", "KIM Cheol Su", "Kim, Cheolsu", "Ri Chol Su"."""
    if "," in text:
        before, _, after = text.partition(",")
        words = [before.strip(), *after.split()]
        index = 0
    else:
        words = text.split()
        if not words:
            raise ValueError("empty name")
        capitals = [i for i, w in enumerate(words) if _is_capitals(w)]
        if len(capitals) == 1 and len(words) > 1:
            index = capitals[0]
        elif len(words) > 1 and _is_surname_spelling(words[-1]) and not _is_surname_spelling(words[0]):
            index = len(words) - 1
        else:
            index = 0
    family = words[index]
    rest = words[:index] + words[index + 1 :]
    given = tuple(part for word in rest for part in word.split("-") if part)
    return ParsedName(family, given, Script.LATIN)


def parse(text: str) -> ParsedName:
    """Split a name in any script into surname and given name; ValueError if it is empty.

    A name mixing scripts is split by the romanised rules, its script recorded as MIXED.
    """
    text = " ".join(text.split())
    if not text:
        raise ValueError("empty name")
    script = script_of(text)
    if script is Script.HANGUL:
        return parse_hangul(text)
    parsed = parse_latin(text)
    return ParsedName(parsed.surname, parsed.given, script)
