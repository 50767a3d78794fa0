"""Blocking keys for Korean names: two spellings of one person's name share a key, in any script.

A key is the surname's class and a coarse phonetic skeleton of the given name: "김:JOLSO" for
김철수, Kim Cheol-su, Kim Ch'ŏl-su, Kim Chol Su and Chul Soo Kim. Keys are plain, deterministic
strings that depend on nothing but the name, so the app can store them through HMAC blind indexes.

Surname class: the southern Hangul surname of the variant table (`matching.surnames`): Lee, Yi,
Rhee, Ri, 리 and 이 are all "이"; 림 and Lim are "임". A spelling that stands for two surnames (Song:
송 or 성) yields a key for each. A romanised spelling missing from the table is looked up by its
skeleton among the table's spellings; failing that, and for Hangul surnames outside the table, the
class is "?" and the skeleton of the Revised Romanization.

Given-name skeleton: the name is spelled in plain letters (Hangul syllable by syllable through the
Revised Romanization, first syllable in its southern form; hyphens and spaces kept as syllable
breaks, so no digraph spans them) and reduced to coarse sound classes on which the romanisation
systems agree:

- consonants: k/g/kh/kk → K, t/d/th/tt → T, p/b/ph/pp → P, ch/j/ch'/tch → J, s/ss/sh → S, l/r → L,
  h, m, n kept; a final ng (before a consonant or at the end) → G, so 정/전 stay apart; ng before a
  vowel, which RR writes both for ㅇ + vowel and for ㄴ + ㄱ (은경 Eungyeong, popular Eunkyung), → NK;
- vowels: ŏ/eo/o/u/ŭ/eu/oo/ou → O, ae/e/ai/oe/we → E, i/ee/ui/ŭi/eui → I, a → A; y is kept (현
  Hyeon/Hyun/Hyon → HYON), w is dropped (우 U/Woo, 원 Won/Weon), an h that ends a syllable is dropped;
- an h after K, T, P or S is dropped (석현 Seokhyeon, NK th/kh/ph), and a T before J (MR tch for ㅉ,
  갓차 gat-cha and Gatcha);
- repeated classes collapse (Soo, Su; ss, s), and an O before I is dropped (수인 Suin/Sooin, 서일
  Seoil/Soil);
- the initial-sound law at the start: L or N before I or Y is dropped, L before another vowel is N
  (령/영, 로/노), as the South writes them.

A joined romanised given name that reads two ways yields both skeletons (Naeun: 나은 or 내운; Seeun:
세은 or 시은; Hohyun: 호윤 with the popular "oh" or 호현), and a romanised name whose other end is
also a surname spelling (Min Ho Kim) is keyed in both orders. A name has one key in most cases (1.2
on average on the labelled pair sets); the most there is 5 (Son In Geum: 손 or 선 by two readings
of Geum, and 금 in the other order). The skeleton drops vowel detail that separates some distinct
names (영 and 용 are both YOG; 순 and 선 both SON), which the pair scorer then tells apart; it keeps
what separates the hard negatives (김정은/김정일, 이/임, 조/최, 전/정).
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterator

from matching.hangul import southern
from matching.names import ParsedName, Script, parse, parse_hangul, parse_latin
from matching.romanise import revised_syllable
from matching.surnames import SURNAME_READINGS, surname, surnames_for_reading

UNKNOWN_SURNAME = "?"
"""Prefix of the class of a surname outside the variant table: "?" and its skeleton."""

_SOUNDS = r"tch|ch|ng(?=-?[aeiouy])|ng|kh|th|ph|sh|rh|eui|ui|eo|eu|ae|ai|oe|ee|oo|ou|[a-z]"
_SOUND = re.compile(_SOUNDS)
# The other reading of a joined spelling: a vowel before eu, an a before i, an e before u end their
# syllable (Naeun is 나은 as well as 내운, Jail 자일 as well as 재일, Seun 세은 as well as 슨).
_SOUND_SPLIT = re.compile(r"[aeo](?=eu)|a(?=i)|(?<=[b-df-hj-np-tvxz])e(?=u)|" + _SOUNDS)
_CLASS_OF_SOUND = {
    "tch": "J", "ch": "J", "j": "J", "z": "J",
    "ng": "G", "kh": "K", "k": "K", "g": "K", "c": "K", "q": "K",
    "th": "T", "t": "T", "d": "T", "ph": "P", "p": "P", "b": "P", "f": "P", "v": "P",
    "sh": "S", "s": "S", "x": "S", "rh": "L", "r": "L", "l": "L",
    "h": "H", "m": "M", "n": "N", "y": "Y",
    "eui": "I", "ui": "I", "ee": "I", "i": "I",
    "eo": "O", "eu": "O", "oo": "O", "ou": "O", "o": "O", "u": "O",
    "ae": "E", "ai": "E", "oe": "E", "e": "E", "a": "A",
}  # fmt: skip
_VOWEL_CLASSES = frozenset("AEIO")
_ASPIRATED = frozenset("KTPS")  # an h after them is aspiration, joined (kh) or not (석-현)
# A w starts a syllable (Taewoo is Tae-oo) and is not heard apart from it; an h ending a syllable is silent.
_SILENT = re.compile(r"h(?![aeiouy])")
# The other reading: an h after o may be the popular "oh" of 오 (Hohyun is 호윤 as often as 호현).
_SILENT_SPLIT = re.compile(r"(?<=o)h|h(?![aeiouy])")


_BREAK = re.compile(r"[ -]")
_NOT_LETTER_OR_BREAK = re.compile(r"[^a-z-]")
_W_AFTER_VOWEL = re.compile(r"(?<=[aeiouy])w")
_BREAKS = re.compile(r"-+")
_HANGUL_SYLLABLE = re.compile("[\uac00-\ud7a3]")
_ALL_HANGUL = re.compile("[\uac00-\ud7a3]+(?:[ -][\uac00-\ud7a3]+)*")
_LETTER = re.compile("[A-Za-z]")
_NOT_LETTER = re.compile("[^a-z]")


def letters(text: str) -> str:
    """Lower-case ASCII letters, with "-" where the writer separated syllables: "Ch'ŏl-su" → "chol-su".

    Spaces and hyphens become "-"; breves and apostrophes are dropped; a w after a vowel starts a
    syllable (Taewoo is tae-oo), after a consonant it is dropped (Hwan is han).
    """
    if not text.isascii():
        text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    kept = _NOT_LETTER_OR_BREAK.sub("", _BREAK.sub("-", text.lower()))
    syllables = _W_AFTER_VOWEL.sub("-", kept).replace("w", "")
    return _BREAKS.sub("-", syllables).strip("-")


def _classes(plain: str, sounds: re.Pattern[str]) -> str:
    classes: list[str] = []
    for match in sounds.finditer(plain):
        sound = match.group()
        following = plain[match.end() : match.end() + 2].lstrip("-")[:1]
        code = "NK" if sound == "ng" and following and following in "aeiouy" else _CLASS_OF_SOUND[sound]
        for cls in code:
            if (cls == "I" and classes and classes[-1] == "O") or (cls == "J" and classes and classes[-1] == "T"):
                classes.pop()
            if cls == "H" and classes and classes[-1] in _ASPIRATED:
                continue
            if not classes or classes[-1] != cls:
                classes.append(cls)
    return "".join(classes)


@functools.lru_cache(maxsize=1 << 18)
def skeletons(spelled: str, *, is_syllabified: bool = False) -> frozenset[str]:
    """The coarse sound classes of letters from `letters`: "cheol-su", "chulsoo", "chol-su" → {"JOLSO"}.

    A joined spelling that reads two ways yields both (naeun: NEON as 내운, NAON as 나은), unless
    every syllable is known to be separated (`is_syllabified`, as for Hangul). The initial-sound law
    is not applied here.
    """
    primary = _classes(_SILENT.sub("", spelled), _SOUND)
    if is_syllabified:
        return frozenset({primary})
    return frozenset({primary, _classes(_SILENT_SPLIT.sub("", spelled), _SOUND_SPLIT)})


def _southern_skeleton(code: str) -> str:
    """The initial-sound law on a skeleton's start, as the South writes it: LIM → IM, LO → NO, NYO → YO."""
    if len(code) >= 2 and code[0] in "LN" and code[1] in "IY":
        return code[1:]
    if len(code) >= 2 and code[0] == "L" and code[1] in _VOWEL_CLASSES:
        return "N" + code[1:]
    return code


def _part_skeletons(part: str) -> frozenset[str]:
    """A name part's skeletons: Hangul syllable by syllable in the Revised Romanization, first one southern."""
    if _HANGUL_SYLLABLE.search(part):
        hangul = southern("".join(_HANGUL_SYLLABLE.findall(part)))
        return skeletons(letters("-".join(revised_syllable(c) for c in hangul)), is_syllabified=True)
    return skeletons(letters(part))


@functools.lru_cache(maxsize=1 << 18)
def given_skeletons(given: str) -> frozenset[str]:
    """The skeletons of a given name in any script: 철수, Cheol-su, Ch'ŏl Su, Chulsoo → {"JOLSO"}."""
    return frozenset(_southern_skeleton(code) for code in _part_skeletons(given) if code)


@functools.cache
def _surnames_by_skeleton() -> dict[str, frozenset[str]]:
    index: dict[str, set[str]] = {}
    for reading, hangul in SURNAME_READINGS.items():
        for code in skeletons(letters(reading)):
            index.setdefault(_southern_skeleton(code), set()).update(hangul)
    return {code: frozenset(hangul) for code, hangul in index.items()}


@functools.lru_cache(maxsize=4096)
def surname_classes(family: str) -> frozenset[str]:
    """The classes a written surname stands for: Lee, Ri, 리 → {이}; Song → {송, 성}; empty if blank."""
    family = family.strip()
    if _HANGUL_SYLLABLE.search(family):
        hangul = "".join(_HANGUL_SYLLABLE.findall(family))
        row = surname(hangul)
        if row is not None:
            return frozenset({row.hangul})
        return frozenset(UNKNOWN_SURNAME + _southern_skeleton(code) for code in _part_skeletons(hangul))
    if not letters(family):
        return frozenset()
    known = _surnames_for_word(family)
    if known:
        return known
    classes: set[str] = set()
    for code in skeletons(letters(family)):
        southern_code = _southern_skeleton(code)
        classes |= _surnames_by_skeleton().get(southern_code, {UNKNOWN_SURNAME + southern_code})
    return frozenset(classes)


@functools.lru_cache(maxsize=1 << 18)
def name_keys_parts(family: str, given: str) -> frozenset[str]:
    """Blocking keys for a name kept in two fields: ("Kim", "Cheol-su") → {"김:JOLSO"}.

    Empty when either part has no letters: a surname alone blocks too coarsely to be a key.
    """
    return frozenset(f"{cls}:{code}" for cls in surname_classes(family) for code in given_skeletons(given))


def _surnames_for_word(word: str) -> frozenset[str]:
    """`surnames_for_reading`, with a fast path for plain ASCII words (most romanised names)."""
    if word.isascii():
        return SURNAME_READINGS.get(_NOT_LETTER.sub("", word.lower()), frozenset())
    return surnames_for_reading(word)


def _parse(text: str) -> ParsedName:
    """`names.parse` for whitespace-normalised text, skipping its script detection when the script is plain."""
    if text.isascii() and _LETTER.search(text):
        return parse_latin(text)
    if _ALL_HANGUL.fullmatch(text):
        return parse_hangul(text)
    return parse(text)


def _readings_of_order(text: str) -> Iterator[ParsedName]:
    """The parser's split, and for a romanised name the other end's word as surname when it is a known spelling."""
    parsed = _parse(text)
    yield parsed
    words = text.split()
    if parsed.script is Script.HANGUL or len(words) < 2 or "," in text:
        return
    for index in (0, len(words) - 1):
        word, rest = words[index], tuple(words[:index] + words[index + 1 :])
        if _surnames_for_word(word) and "-".join(rest) != "-".join(parsed.given):
            yield ParsedName(word, rest, parsed.script)


@functools.lru_cache(maxsize=65536)
def name_keys(text: str) -> frozenset[str]:
    """Blocking keys for one written name in any script and order: 김철수, Kim Ch'ŏl-su, Chul Soo Kim, Ri Chol Su.

    Empty for a blank name or one with no given name.
    """
    text = " ".join(text.split())
    if not text:
        return frozenset()
    keys: set[str] = set()
    for parsed in _readings_of_order(text):
        keys |= name_keys_parts(parsed.surname, "-".join(parsed.given))
    return frozenset(keys)
