"""Facilities where a protected person is or was held or housed (PROCESS.md §4: a camp's name narrows
a prisoner down to a few hundred people, a shelter's to a handful).

A facility is a kind word with a name before or a number or place after it: "Zolochiv Detention
Centre", "Camp 3", "the camp near Lviv", "Saebyeok centre", "Xinhe border detention centre", "칼리나-7
수용소", "새벽보호센터". Generic kind words ("centre", "house", "shelter") count only with a name before
them. Once a facility is named, its name alone is a facility wherever else the text writes it ("Camp
Kalyna-7" … "at Kalyna-7", "camp is Kalyna 7"; "토폴리아 수용소" … "토폴리아에서"). Every finding is
QUASI.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from consent.disclosure.data.vocabulary import (
    FACILITY_DESCRIPTORS_EN,
    FACILITY_WORDS_EN,
    FACILITY_WORDS_KO,
    FACILITY_WORDS_NAME_REQUIRED_EN,
    NOT_FACILITY_NAMES_EN,
)
from consent.disclosure.findings import make
from consent.disclosure.text import Document, Script, Word, alternation, hangul_stems, without_particle
from consent.disclosure.types import Finding, Kind, Severity

QUASI = Severity.QUASI

_FACILITY_EN = re.compile(r"(?<![\w-])(?:" + alternation(FACILITY_WORDS_EN) + r")s?(?![\w-])", re.IGNORECASE)
_FACILITY_NUMBER = re.compile(r"^\s*(?:no\.?|number|nr\.?|#|№)?\s*[0-9]{1,4}\b", re.IGNORECASE)
# A name written after the kind word: "Camp Kalyna-7", "Camp Topolia" (capitalised, the kind word too).
_FACILITY_NAME_AFTER = re.compile(r"^ (?P<name>[A-Z][a-z]{2,}(?:[-\s][0-9]{1,4})?)\b")
_FACILITY_PLACE = re.compile(
    r"^\s+(?:in|near|outside|at|of)\s+(?:the\s+)?(?:(?:western|eastern|northern|southern|central)\s+)?"
    r"(?:[A-Z][\w'\u2019-]+)(?:\s+[A-Z][\w'\u2019-]+){0,2}(?:\s+(?:region|oblast|province|area|district))?"
)
# Capitalised words that open a sentence or a phrase rather than name a facility ("The camp", "In Camp 3").
_NOT_FACILITY_NAME_WORDS = frozenset(
    (
        *("the", "a", "an", "and", "or", "but", "he", "she", "his", "her", "they", "their", "we", "our", "it"),
        *("its", "this", "that", "these", "those", "there", "then", "when", "while", "after", "before", "since"),
        *("as", "at", "by", "for", "from", "in", "into", "of", "on", "to", "with", "without", "about", "i"),
        *("you", "my", "your", "red", "cross", "icrc", "un", "ngo"),
        *NOT_FACILITY_NAMES_EN,
    )
)
_FACILITY_KO = re.compile(r"(?:" + "|".join(sorted(FACILITY_WORDS_KO, key=len, reverse=True)) + ")")
_FACILITY_NUMBER_KO = re.compile(
    r"제\s?[0-9]{1,4}\s?(?:호\s?)?$|[0-9]{1,4}\s?(?:번|호)\s?$|(?<![0-9.:/-])[0-9]{1,3}$"  # 제2, 2번, 2수용소
)
# A Hangul name and a bare number before the kind word: "칼리나 7 수용소", "칼리나-7 수용소".
_NAMED_NUMBER_KO = re.compile(r"(?P<name>[가-힣]{2,})[\s-]?[0-9]{1,4}\s$")
# Korean words before a kind word that say which facility without naming it ("포로 수용소", "이 병원").
_NOT_FACILITY_NAMES_KO = frozenset(
    {"포로", "전쟁포로", "임시", "해당", "같은", "다른", "현지", "군", "민간", "인근", "그", "이", "저", "한", "큰"}
)
_VOCATIVE_ENDINGS = ("아", "야")  # 토폴리아: a foreign name's last syllable, not a particle before a noun


def _name_before_en(document: Document, start: int) -> int:
    """Where the facility's name starts, walking back over capitalised words (and at most one descriptor
    between them and the kind word: "Xinhe border detention centre"); `start` when there is none."""
    text = document.text
    named_start = start
    descriptor: Word | None = None
    for word in reversed(document.words_between(max(0, start - 60), start)):
        if text[word.end : named_start] not in (" ", "-"):
            break
        if word.lower in _NOT_FACILITY_NAME_WORDS:
            break
        if word.is_capitalised or word.script is Script.NUMBER:
            named_start = word.start
            continue
        if descriptor is None and named_start == start and word.lower in FACILITY_DESCRIPTORS_EN:
            descriptor = word
            named_start = word.start
            continue
        break
    if descriptor is not None and named_start == descriptor.start:
        return start  # a descriptor with no name before it: "the border detention centre"
    return named_start


def _english(document: Document) -> Iterator[Finding]:
    text = document.text
    for match in _FACILITY_EN.finditer(text):
        start, end = match.span()
        kind = match.group().lower().rstrip("s")
        named_start = _name_before_en(document, start)
        if kind in FACILITY_WORDS_NAME_REQUIRED_EN:
            if named_start != start:
                yield make(text, named_start, end, Kind.FACILITY, QUASI, "pattern_facility")
            continue
        number = _FACILITY_NUMBER.match(text[end:])
        name_after = _FACILITY_NAME_AFTER.match(text[end:]) if match.group()[:1].isupper() else None
        located = _FACILITY_PLACE.match(text[end:])
        if number is not None:
            end += number.end()
        elif name_after is not None and named_start == start:
            end += name_after.end()
        elif located is not None and kind not in ("clinic", "colony"):
            end += located.end()
        if named_start == start and number is None and name_after is None and located is None:
            continue
        yield make(text, named_start, end, Kind.FACILITY, QUASI, "pattern_facility")


def _hangul_name_word(word: Word) -> bool:
    """A Hangul word that can name a facility: no particle on it (a foreign name's 아 or 야 is its own)."""
    if word.text in _NOT_FACILITY_NAMES_KO:
        return False
    return word.text == without_particle(word.text) or (len(word.text) >= 3 and word.text.endswith(_VOCATIVE_ENDINGS))


def _korean(document: Document) -> Iterator[Finding]:
    text = document.text
    for match in _FACILITY_KO.finditer(text):
        start, end = match.span()
        before = text[max(0, start - 16) : start]
        number = _FACILITY_NUMBER_KO.search(before)
        if number is not None:
            yield make(text, start - (len(before) - number.start()), end, Kind.FACILITY, QUASI, "pattern_facility")
            continue
        named = _NAMED_NUMBER_KO.search(before)
        if named is not None and named.group("name") not in _NOT_FACILITY_NAMES_KO:
            yield make(text, start - (len(before) - named.start()), end, Kind.FACILITY, QUASI, "pattern_facility")
            continue
        words = document.words_between(max(0, start - 30), min(len(text), end + 12))
        inside = [w for w in words if w.start <= start < w.end]
        if inside and inside[0].start < start:
            if text[inside[0].start : start] not in _NOT_FACILITY_NAMES_KO:
                yield make(text, inside[0].start, end, Kind.FACILITY, QUASI, "pattern_facility")  # 르비우수용소
            continue
        previous = [w for w in words if w.end <= start]
        if previous and text[previous[-1].end : start] == " ":
            word = previous[-1]
            if (word.script is Script.HANGUL and _hangul_name_word(word)) or word.is_capitalised:
                yield make(text, word.start, end, Kind.FACILITY, QUASI, "pattern_facility")


_KIND_WORDS = re.compile(
    r"(?:\s|^)(?:" + alternation(FACILITY_WORDS_EN) + r")s?$|(?:" + "|".join(FACILITY_WORDS_KO) + r")$", re.IGNORECASE
)
_LEADING_KIND = re.compile(r"^(?:camp|prison|colony|hospital|jail|clinic)\s+", re.IGNORECASE)
_NUMBER_TAIL = re.compile(r"[\s-]?[0-9]{1,4}$")


def _facility_name(written: str) -> str:
    """The distinctive name in a facility's written form, without its kind word or number: "Camp
    Kalyna-7" → "Kalyna", "Saebyeok Protection Centre" → "Saebyeok", "토폴리아 수용소" → "토폴리아"."""
    name = _LEADING_KIND.sub("", written)
    name = _KIND_WORDS.sub("", name).strip()
    name = _NUMBER_TAIL.sub("", name).strip(" -")
    first = name.split()[0] if name.split() else ""
    if len(first) < 3 and not (first and "\uac00" <= first[0] <= "\ud7a3" and len(first) >= 2):
        return ""
    if first.lower() in _NOT_FACILITY_NAME_WORDS or first in _NOT_FACILITY_NAMES_KO:
        return ""
    return first


def _elsewhere(document: Document, found: list[Finding]) -> Iterator[Finding]:
    """Each named facility's name alone elsewhere in the text (with its number, when it has one)."""
    text = document.text
    names = {_facility_name(text[f.start : f.end]) for f in found} - {""}
    for name in names:
        hangul = "\uac00" <= name[0] <= "\ud7a3"
        number = r"[\s-]?[0-9]{1,4}(?![0-9])" if hangul else r"[\s-][0-9]{1,4}(?![0-9])"
        pattern = re.compile(r"(?<![\w-])" + re.escape(name) + f"(?:{number})?" + ("" if hangul else r"(?![\w])"))
        for match in pattern.finditer(text):
            if any(f.start <= match.start() < f.end for f in found):
                continue
            if hangul and not _hangul_word_is(document, match.start(), name):
                continue
            yield make(text, match.start(), match.end(), Kind.FACILITY, QUASI, "facility_named_elsewhere")


def _hangul_word_is(document: Document, start: int, name: str) -> bool:
    """Whether the Hangul word at `start` is `name`, bare or with a particle ("토폴리아에서")."""
    for word in document.words_between(start, start + len(name) + 8):
        if word.start == start:
            return word.text == name or any(stem == name for stem, _ in hangul_stems(word.text))
    return False


def facility_findings(document: Document) -> Iterator[Finding]:
    found = [*_english(document), *_korean(document)]
    yield from found
    yield from _elsewhere(document, found)
