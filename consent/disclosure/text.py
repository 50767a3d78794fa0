"""Words and sentences of an outgoing text, with their offsets: what every recogniser reads.

A word is a run of Latin letters (breves, accents and inner apostrophes or hyphens included:
"Ch'ŏl-su"; a possessive "'s" left out), of Hangul syllables, of Cyrillic letters, or of digits.
Sentences end at . ! ? followed by a space (not after an abbreviation such as "Mr." or "Sgt."), and
at every line break.
"""

from __future__ import annotations

import bisect
import enum
import functools
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import cached_property

from consent.disclosure.data.vocabulary import PARTICLES_KO, TITLES_KO

_L = "A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u1e00-\u1eff"
_M = "\u0300-\u036f"
_APOSTROPHES = "'\u2019\u02bc\u2018`"
_HYPHENS = "\\-\u2010\u2011"
_WORD = re.compile(
    f"(?P<latin>[{_L}][{_L}{_M}]*(?:[{_APOSTROPHES}{_HYPHENS}][{_L}][{_L}{_M}]*)*)"
    "|(?P<hangul>[\uac00-\ud7a3]+)"
    "|(?P<cyrillic>[\u0400-\u04ff]+(?:[-'][\u0400-\u04ff]+)*)"
    "|(?P<number>[0-9]+)"
)
_POSSESSIVE_ENDINGS = tuple(f"{a}s" for a in _APOSTROPHES)
_DIGITS = re.compile("[0-9]+")
DIGIT_MARGIN = 60
_WINDOW_JOIN = 300  # windows closer than this are searched as one: fewer, longer searches are faster

_SENTENCE_END = re.compile("[.!?\u3002\u2026]+[\"'\u201d\u2019)\\]]*(?=\\s)|\\n")
_ABBREVIATIONS = frozenset(
    [
        "mr",
        "mrs",
        "ms",
        "dr",
        "st",
        "jr",
        "sr",
        "sgt",
        "lt",
        "col",
        "capt",
        "maj",
        "gen",
        "cpl",
        "pvt",
        "pte",
        "no",
        "nos",
        "vs",
        "etc",
        "e.g",
        "i.e",
        "approx",
        "fig",
        "cf",
        "ca",
        "dept",
        "govt",
        "inc",
        "ltd",
        "co",
        "corp",
        "univ",
        "prof",
        "rev",
        "hon",
        "est",
    ]
)


class Script(enum.StrEnum):
    LATIN = "latin"
    HANGUL = "hangul"
    CYRILLIC = "cyrillic"
    NUMBER = "number"


@dataclass(frozen=True, slots=True)
class Word:
    start: int
    end: int
    text: str
    script: Script
    index: int
    sentence: int

    @property
    def is_capitalised(self) -> bool:
        return self.script in (Script.LATIN, Script.CYRILLIC) and self.text[:1].isupper()

    @property
    def is_capitals(self) -> bool:
        return self.script is Script.LATIN and len(self.text) > 1 and self.text.isupper()

    @property
    def lower(self) -> str:
        return self.text.lower()


@dataclass(frozen=True)
class Document:
    """A text split into words and sentences; offsets are into `text`."""

    text: str
    words: tuple[Word, ...]
    sentence_starts: tuple[int, ...]  # offset where each sentence starts; the first is 0

    @cached_property
    def digit_windows(self) -> tuple[tuple[int, int], ...]:
        """Stretches of the text around its digits (merged, `DIGIT_MARGIN` characters either side): where
        every pattern that needs a digit (dates, ages, phone and serial numbers) can match."""
        windows: list[tuple[int, int]] = []
        for match in _DIGITS.finditer(self.text):
            start, end = max(0, match.start() - DIGIT_MARGIN), min(len(self.text), match.end() + DIGIT_MARGIN)
            if windows and start <= windows[-1][1] + _WINDOW_JOIN:
                windows[-1] = (windows[-1][0], end)
            else:
                windows.append((start, end))
        return tuple(windows)

    @cached_property
    def latin_runs(self) -> tuple[tuple[Word, ...], ...]:
        """Maximal runs of capitalised Latin words separated by single spaces (a possessive "'s" ends a
        run: "Ri Chol Su's unit"): where romanised names are looked for."""
        return tuple(self._runs(Script.LATIN))

    def _runs(self, script: Script) -> Iterator[tuple[Word, ...]]:
        run: list[Word] = []
        for word in self.words:
            if word.script is script and word.text[:1].isupper():
                if run and self.gap(run[-1], word) not in (" ", "\u00a0"):
                    yield tuple(run)
                    run = []
                run.append(word)
            elif run:
                yield tuple(run)
                run = []
        if run:
            yield tuple(run)

    def runs(self, script: Script) -> tuple[tuple[Word, ...], ...]:
        return self.latin_runs if script is Script.LATIN else tuple(self._runs(script))

    @cached_property
    def _word_starts(self) -> list[int]:
        return [w.start for w in self.words]

    @cached_property
    def _word_ends(self) -> list[int]:
        return [w.end for w in self.words]

    def sentence_of(self, offset: int) -> int:
        return bisect.bisect_right(self.sentence_starts, offset) - 1

    def word_index_at(self, offset: int) -> int:
        """The index of the first word ending after `offset` (the word at or after it)."""
        return bisect.bisect_right(self._word_ends, offset)

    def words_between(self, start: int, end: int) -> Sequence[Word]:
        """The words lying entirely within [start, end)."""
        first = bisect.bisect_left(self._word_starts, start)
        last = bisect.bisect_right(self._word_ends, end)
        return self.words[first:last]

    def previous(self, word: Word, count: int = 1) -> Word | None:
        index = word.index - count
        return self.words[index] if index >= 0 else None

    def next(self, word: Word, count: int = 1) -> Word | None:
        index = word.index + count
        return self.words[index] if index < len(self.words) else None

    def gap(self, left: Word, right: Word) -> str:
        """The text between two words."""
        return self.text[left.end : right.start]

    def before(self, offset: int, chars: int) -> str:
        """Up to `chars` characters before `offset`, within its sentence, lower-cased."""
        floor = self.sentence_starts[self.sentence_of(offset)]
        return self.text[max(floor, offset - chars) : offset].lower()

    def after(self, offset: int, chars: int) -> str:
        """Up to `chars` characters after `offset`, within its sentence, lower-cased."""
        sentence = self.sentence_of(max(offset - 1, 0))
        ceiling = self.sentence_starts[sentence + 1] if sentence + 1 < len(self.sentence_starts) else len(self.text)
        return self.text[offset : min(ceiling, offset + chars)].lower()

    def is_sentence_start(self, word: Word) -> bool:
        previous = self.previous(word)
        if previous is None or previous.sentence != word.sentence:
            return True
        gap = self.gap(previous, word)
        return any(c in gap for c in ':"\u201c(\u2014') and not previous.is_capitalised


class Spans:
    """Sorted spans, for asking whether a span overlaps one of them or lies strictly inside one."""

    def __init__(self, spans: Iterable[tuple[int, int]]) -> None:
        self._spans = sorted(set(spans))
        self._starts = [s for s, _ in self._spans]

    def overlaps(self, start: int, end: int) -> bool:
        """Whether any span overlaps [start, end) (spans are assumed shorter than `_LONGEST`)."""
        index = bisect.bisect_left(self._starts, end)
        for s, e in reversed(self._spans[max(0, index - 64) : index]):
            if e > start:
                return True
            if s < start - _LONGEST:
                break
        return False

    def strictly_contains(self, start: int, end: int, *, from_before: bool = False) -> bool:
        """Whether a span contains [start, end) and is longer; with `from_before`, one that starts earlier."""
        index = bisect.bisect_right(self._starts, start)
        for s, e in reversed(self._spans[max(0, index - 8) : index]):
            if s <= start and end <= e and (s, e) != (start, end) and (s < start or not from_before):
                return True
        return False


def tokenise(text: str) -> Document:
    """Split `text` into words and sentences."""
    starts = [0]
    for match in _SENTENCE_END.finditer(text):
        if match.group() != "\n":
            before = text[max(0, match.start() - 6) : match.start()]
            last = re.split(r"[\s(]", before)[-1].lower()
            if last in _ABBREVIATIONS or (len(last) == 1 and last.isalpha()):
                continue
        starts.append(match.end())
    sentence_starts = tuple(sorted(set(starts)))
    words: list[Word] = []
    sentence = 0
    next_start = sentence_starts[1] if len(sentence_starts) > 1 else len(text) + 1
    scripts = {"latin": Script.LATIN, "hangul": Script.HANGUL, "cyrillic": Script.CYRILLIC, "number": Script.NUMBER}
    for match in _WORD.finditer(text):
        kind = match.lastgroup or "latin"
        start, end = match.span()
        value = match.group()
        if kind == "latin" and value.endswith(_POSSESSIVE_ENDINGS) and len(value) > 2:
            end -= 2
            value = value[:-2]
        while start >= next_start:
            sentence += 1
            next_start = sentence_starts[sentence + 1] if sentence + 1 < len(sentence_starts) else len(text) + 1
        words.append(Word(start, end, value, scripts[kind], len(words), sentence))
    return Document(text, tuple(words), sentence_starts)


_HANGUL_SYLLABLE = re.compile("[\uac00-\ud7a3]")


def has_hangul(text: str) -> bool:
    return _HANGUL_SYLLABLE.search(text) is not None


def hangul_stems(word: str) -> tuple[tuple[str, str], ...]:
    """A Hangul word and the stems left by stripping a particle, a title, or a title then a particle:
    리철수는 → (리철수는, ""), (리철수, 는), ...; 철수씨가 → (철수, 씨가). The suffix comes second."""
    return _hangul_stems(word)


@functools.lru_cache(maxsize=1 << 15)
def _hangul_stems(word: str) -> tuple[tuple[str, str], ...]:
    return tuple(_stems(word))


_LONGEST = 400  # characters: no span but a combination's is longer
_MAX_PARTICLES = 3  # particles stack: 석용 + 이 (a name's suffix) + 한테 + 도


def _particle_stems(word: str, depth: int) -> Iterator[tuple[str, str]]:
    """Stems of `word` with one to `depth` particles stripped from its end, and what was stripped."""
    if depth == 0:
        return
    for particle in PARTICLES_KO:
        if word.endswith(particle) and len(word) > len(particle):
            base = word[: -len(particle)]
            yield base, particle
            for stem, suffix in _particle_stems(base, depth - 1):
                yield stem, suffix + particle


def _stems(word: str) -> Iterator[tuple[str, str]]:
    found: dict[str, str] = {word: ""}
    for base, particle in _particle_stems(word, _MAX_PARTICLES):
        found.setdefault(base, particle)
    for base, particle in list(found.items()):
        for title in TITLES_KO:
            if base.endswith(title) and len(base) > len(title):
                found.setdefault(base[: -len(title)], title + particle)
    yield word, ""
    yield from sorted(((stem, suffix) for stem, suffix in found.items() if stem != word), key=lambda s: -len(s[0]))


def alternation(words: Iterable[str]) -> str:
    """A regular-expression alternation of `words`, longest first, a space matching spaces or a hyphen."""
    return "|".join(re.escape(w).replace("\\ ", "[\\s-]+") for w in sorted(set(words), key=len, reverse=True))


def without_particle(word: str) -> str:
    """A Hangul word without a particle ("르비우" stays; "지역에" loses 에); a title stays on."""
    for stem, suffix in hangul_stems(word):
        if suffix and not any(suffix.startswith(t) for t in TITLES_KO):
            return stem
    return word
