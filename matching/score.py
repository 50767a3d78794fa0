"""The name scorer: the probability that two written Korean names, in any script, are one person's.

Both names are parsed; the surnames are compared by variant class (a romanised or northern
spelling stands for a set of southern Hangul surnames, and two surnames are compatible when the
sets meet: Ri, Lee, 이 and 리); the given names are compared syllable by syllable through a lattice
of the Hangul syllables each stretch of the text can spell. One slip of the keyboard is forgiven
where the slipped text spells no syllable (Seo-jjn, Prak), or where no spelling system makes it (letters
swapped, Min-joeng; a consonant doubled, Ha-bbin; a family written as a syllable no family uses, Mung);
a slip that spells another syllable by a dropped or changed letter (Kyung-mi for Kyung-min) is another
name, and so is a surname one letter from another family's spelling (Koo, Ko). A logistic model over a
few features turns the comparison into a calibrated probability.
"""

from __future__ import annotations

import difflib
import functools
import itertools
import math
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass

from matching.hangul import is_syllable, southern
from matching.names import ParsedName, Script, parse
from matching.romanise import revised_syllable, segmentations, syllable_readings, syllables_by_reading
from matching.surnames import SURNAME_READINGS, normalise, surname, surnames_for_reading

DEFAULT_THRESHOLD = 0.5
"""A pair scoring at or above this is called a match; the model is calibrated, so 0.5 is even odds."""

# Logistic weights for (bias, surname compatible, share of given syllables matched, every given syllable
# matched, string similarity of the given names, misspellings forgiven). Fitted by scripts/fit_score.py
# (plain gradient descent on the log loss with a small L2 penalty) on tests/data/korean_name_pairs_dev.csv
# plus the hand-made tuning half, korean_name_pairs_handmade_a.csv.
WEIGHTS = (-7.01, 4.81, 0.21, 5.01, -0.17, 0.08)

_LONGEST_READING = 7  # characters in the longest romanised syllable ("gwaelk", "yeong" + slack)
_WILD = frozenset[str]()  # a stretch of text that spells no known syllable


@dataclass(frozen=True, slots=True)
class Features:
    """What the model sees of one pair."""

    is_surname_compatible: bool
    given_matched_share: float
    is_given_matched: bool
    given_similarity: float
    slips: int = 0  # surname or given syllables matched only as one-letter misspellings

    def vector(self) -> tuple[float, ...]:
        return (
            1.0,
            float(self.is_surname_compatible),
            self.given_matched_share,
            float(self.is_given_matched),
            self.given_similarity,
            float(self.slips),
        )


def _syllables_by_reading() -> Mapping[str, frozenset[str]]:
    return syllables_by_reading()


Edge = tuple[int, frozenset[str], str]
"""An edge of a given-name lattice: the node it leads to, the Hangul syllables it can spell, and its text."""


@functools.lru_cache(maxsize=4096)
def _lattice(parts: tuple[str, ...], is_hangul: bool) -> tuple[tuple[Edge, ...], ...]:
    """The given name as a lattice: node i's outgoing edges, one per stretch of text.

    Hangul has one edge per syllable. Romanised text has an edge for every stretch that reads as a
    syllable, with the syllables it may spell, and a wild edge for every other short stretch; a wild
    edge keeps its text (for forgiving a misspelling) only when it is a whole written part, between
    hyphens or spaces. The first syllable is folded to its southern spelling (령 → 영), as the
    initial-sound law does.
    """
    given = "".join(parts)
    if is_hangul:
        return (*(((i + 1, frozenset({southern(c) if i == 0 else c}), c),) for i, c in enumerate(given)), ())
    boundaries = set(itertools.accumulate(len(part) for part in parts))
    boundaries.add(0)
    index = _syllables_by_reading()
    nodes: list[tuple[Edge, ...]] = []
    for start in range(len(given)):
        edges: list[Edge] = []
        for end in range(start + 1, min(len(given), start + _LONGEST_READING) + 1):
            chars = index.get(given[start:end], _WILD)
            if start == 0:
                chars = frozenset(southern(c) for c in chars)
            is_whole_part = start in boundaries and end in boundaries and len(parts) > 1
            text = given[start:end] if chars or is_whole_part else ""
            edges.append((end, chars, text))
        nodes.append(tuple(edges))
    nodes.append(())
    return tuple(nodes)


def within_one_edit(a: str, b: str) -> bool:
    """Whether `a` and `b` differ by at most one insertion, deletion, substitution or swap of neighbours."""
    if a == b:
        return True
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) > len(b):
        a, b = b, a
    start = 0
    while start < len(a) and a[start] == b[start]:
        start += 1
    if len(a) < len(b):
        return a[start:] == b[start + 1 :]
    if a[start + 1 :] == b[start + 1 :]:
        return True
    swapped = start + 1 < len(a) and a[start] == b[start + 1] and a[start + 1] == b[start]
    return swapped and a[start + 2 :] == b[start + 2 :]


_LETTERS = "abcdefghijklmnopqrstuvwxyz"
_DOUBLED_IN_SPELLING = frozenset("eo")  # popular spellings double these (Hee, Soo); no system doubles others
_GLIDES = frozenset("wy")  # swapped with a vowel they make another spelling (hae-yon, ha-yeon), not a slip
_MIN_TYPO_LENGTH = 2  # a stretch shorter than this is too little text to call a misspelling


@functools.lru_cache(maxsize=65536)
def _is_misspelling(wild: str, chars: frozenset[str], text: str) -> bool:
    """Whether unreadable text is one slip of the keyboard from a spelling of the other side's syllable.

    Only text that spells no syllable at all qualifies (Seo-jjn, Myeong-sy): a stretch that reads as
    another syllable (Kyung-mi against Kyung-min) is another name, not a typo.
    """
    if len(wild) < _MIN_TYPO_LENGTH or not chars:
        return False
    spellings = frozenset[str]().union(*(syllable_readings(c) for c in chars)) if is_syllable(text) else {text}
    return any(within_one_edit(wild, spelling) for spelling in spellings)


@dataclass(frozen=True, slots=True)
class Alignment:
    """The best syllable-by-syllable alignment of two given names."""

    matched: int  # syllable pairs that spell a common syllable
    misspelt: int  # pairs where one side is a one-letter slip from the other
    aligned: int  # syllable pairs in the alignment; 0 when no alignment reaches both ends


@functools.lru_cache(maxsize=65536)
def _given_alignment(left: tuple[str, ...], left_hangul: bool, right: tuple[str, ...], right_hangul: bool) -> Alignment:
    """The best syllable-by-syllable alignment of two given names.

    Both lattices are walked together; a step pairs one edge from each, and matches when the two can
    spell a common syllable, or counts as misspelt when one is unreadable and a slip from the other.
    The best walk has the most matched and misspelt pairs, then the most matched, then the fewest steps.
    """
    a, b = _lattice(left, left_hangul), _lattice(right, right_hangul)
    end = (len(a) - 1, len(b) - 1)
    # best[(i, j)] = (matched + misspelt, matched, -steps) of the best walk reaching nodes i and j.
    best: dict[tuple[int, int], tuple[int, int, int]] = {(0, 0): (0, 0, 0)}
    for i in range(len(a)):
        for j in range(len(b)):
            here = best.get((i, j))
            if here is None:
                continue
            for (ni, chars_a, text_a), (nj, chars_b, text_b) in itertools.product(a[i], b[j]):
                if chars_a and not chars_a.isdisjoint(chars_b):
                    hit, exact = 1, 1
                elif (not chars_a and _is_misspelling(text_a, chars_b, text_b)) or (
                    not chars_b and _is_misspelling(text_b, chars_a, text_a)
                ):
                    hit, exact = 1, 0
                else:
                    hit = exact = 0
                candidate = (here[0] + hit, here[1] + exact, here[2] - 1)
                if candidate > best.get((ni, nj), (-1, -1, -1_000)):
                    best[(ni, nj)] = candidate
    reached = best.get(end)
    if reached is None or end == (0, 0):
        return Alignment(0, 0, 0)
    return Alignment(reached[1], reached[0] - reached[1], -reached[2])


def _surname_classes(parsed: ParsedName) -> tuple[frozenset[str], bool]:
    """The southern Hangul surnames this surname may stand for (Ri → 이; 림 → 임; Son → 손, 선), and
    whether they were found only by reading it as a misspelling (Prak → 박, Chio → 최)."""
    if parsed.script is Script.HANGUL:
        row = surname(parsed.surname)
        return frozenset({row.hangul if row is not None else southern(parsed.surname)}), False
    found = surnames_for_reading(parsed.surname)
    if found:
        return found, False
    reading = normalise(parsed.surname)
    as_syllable = _syllables_by_reading().get(reading, frozenset[str]())
    if any(surname(c) is not None for c in as_syllable):
        return as_syllable, False
    # A syllable no family name uses (Mung, Pek) may be a slip, but not by a changed letter (Kye is not Kee).
    near = _surnames_one_slip_from(reading, is_changed_letter_allowed=not as_syllable)
    if near:
        return near | as_syllable, True
    return as_syllable or frozenset({reading}), False


@functools.lru_cache(maxsize=4096)
def _surnames_one_slip_from(reading: str, *, is_changed_letter_allowed: bool = True) -> frozenset[str]:
    """Surnames with a spelling one slip from an unknown spelling of at least two letters (Kagn → 강, Umm →
    엄); without `is_changed_letter_allowed`, only a letter dropped, added or swapped counts as a slip."""
    if len(reading) < 2:
        return frozenset()
    found: set[str] = set()
    for spelling, hangul in SURNAME_READINGS.items():
        if len(spelling) < 2 or not within_one_edit(reading, spelling):
            continue
        if is_changed_letter_allowed or len(spelling) != len(reading) or sorted(spelling) == sorted(reading):
            found |= hangul
    return frozenset(found)


def _given_key(parsed: ParsedName) -> tuple[tuple[str, ...], bool]:
    """The given name's written parts, normalised, and whether they are Hangul."""
    if parsed.script is Script.HANGUL:
        return (parsed.given_text,), True
    parts = tuple(part for part in (normalise(p) for p in parsed.given) if part)
    return parts, False


def _plain_given(parsed: ParsedName) -> str:
    """The given name as plain letters for string similarity: Hangul in the Revised Romanization."""
    if parsed.script is Script.HANGUL:
        return "".join(revised_syllable(c) for c in parsed.given_text if is_syllable(c))
    return normalise(parsed.given_text)


def _parses(text: str) -> Iterator[ParsedName]:
    """The readings of a name's order: the parser's; for a romanised name whose last word is a surname
    spelling, that word as the surname ("Min Ji-ho" may be Ji-ho Min or Min-ji Ho); and the first or last
    word as the surname when it is one slip from a surname spelling ("Umm Han In" is 엄한인, not In Umm-han)."""
    parsed = parse(text)
    yield parsed
    words = text.split()
    if parsed.script is Script.HANGUL or len(words) < 2 or "," in text:
        return
    if surnames_for_reading(words[-1]):
        given = tuple(part for word in words[:-1] for part in word.split("-") if part)
        yield ParsedName(words[-1], given, parsed.script)
    if parsed.surname != words[0] and _surnames_one_slip_from(normalise(words[0])):
        given = tuple(part for word in words[1:] for part in word.split("-") if part)
        yield ParsedName(words[0], given, parsed.script)
    if parsed.surname != words[-1] and _surnames_one_slip_from(normalise(words[-1])):
        given = tuple(part for word in words[:-1] for part in word.split("-") if part)
        yield ParsedName(words[-1], given, parsed.script)


@functools.lru_cache(maxsize=4096)
def _repairs(parts: tuple[str, ...]) -> tuple[tuple[str, ...], ...]:
    """Readable versions of a romanised given name with one unreadable part, each one slip away from it:
    a letter dropped, added or changed, or two neighbours swapped ("gwanngha" → "gwangha"; "wonynu" →
    "wonyun"; "chrenam" → "chunam", ...)."""
    broken = [i for i, part in enumerate(parts) if not segmentations(part)]
    if len(broken) != 1:
        return ()
    i = broken[0]
    part = parts[i]
    variants = {part[:k] + part[k + 1 :] for k in range(len(part))}
    variants |= {part[:k] + part[k + 1] + part[k] + part[k + 2 :] for k in range(len(part) - 1)}
    variants |= {part[:k] + c + part[k + 1 :] for k in range(len(part)) for c in _LETTERS}
    variants |= {part[:k] + c + part[k:] for k in range(len(part) + 1) for c in _LETTERS}
    return tuple((*parts[:i], v, *parts[i + 1 :]) for v in sorted(variants) if v and segmentations(v))


@functools.lru_cache(maxsize=4096)
def _keyboard_repairs(parts: tuple[str, ...]) -> tuple[tuple[str, ...], ...]:
    """Versions of a romanised given name with one slip undone that no spelling system makes, even where the
    slipped text reads as syllables: two neighbouring letters swapped back unless one is w or y ("joeng" →
    "jeong"; but "haeyon"/"hayeon" are two spellings of 해연), or a doubled letter typed once unless it is e
    or o, which popular spellings double ("habbin" → "habin", "gyusiik" → "gyusik"; but Sook is 숙, not 석)."""
    found: set[tuple[str, ...]] = set()
    for i, part in enumerate(parts):
        variants = {
            part[:k] + part[k + 1] + part[k] + part[k + 2 :]
            for k in range(len(part) - 1)
            if part[k] != part[k + 1] and not {part[k], part[k + 1]} & _GLIDES
        }
        variants |= {
            part[:k] + part[k + 1 :]
            for k in range(len(part) - 1)
            if part[k] == part[k + 1] and part[k] not in _DOUBLED_IN_SPELLING
        }
        found |= {(*parts[:i], v, *parts[i + 1 :]) for v in variants if segmentations(v)}
    return tuple(sorted(found))


@functools.lru_cache(maxsize=65536)
def features(left: ParsedName, right: ParsedName) -> Features:
    """The model's features for two parsed names."""
    left_classes, left_slip = _surname_classes(left)
    right_classes, right_slip = _surname_classes(right)
    compatible = not left_classes.isdisjoint(right_classes)
    (left_parts, left_hangul), (right_parts, right_hangul) = _given_key(left), _given_key(right)
    alignment = _given_alignment(left_parts, left_hangul, right_parts, right_hangul)
    misspelt = alignment.misspelt
    if alignment.matched < alignment.aligned or not alignment.aligned:
        # A given name no syllable reading covers may be one slip from the other name.
        candidates: list[tuple[tuple[str, ...], tuple[str, ...]]] = []
        if not left_hangul:
            candidates += [(r, right_parts) for r in _repairs(left_parts)]
        if not right_hangul:
            candidates += [(left_parts, r) for r in _repairs(right_parts)]
        if not left_hangul:
            candidates += [(r, right_parts) for r in _keyboard_repairs(left_parts)]
        if not right_hangul:
            candidates += [(left_parts, r) for r in _keyboard_repairs(right_parts)]
        for new_left, new_right in candidates:
            repaired = _given_alignment(new_left, left_hangul, new_right, right_hangul)
            if repaired.aligned and repaired.matched == repaired.aligned:
                alignment, misspelt = repaired, 1
                break
    hits = alignment.matched + alignment.misspelt
    share = hits / alignment.aligned if alignment.aligned else 0.0
    is_matched = alignment.aligned > 0 and hits == alignment.aligned
    if not is_matched and not left_hangul and not right_hangul and "".join(left_parts) == "".join(right_parts):
        # The same letters are the same written given name, whether or not they read as Korean syllables
        # (a rare syllable, a transliteration through Russian): spacing and hyphens aside, they agree.
        share, is_matched = 1.0, True
    similarity = difflib.SequenceMatcher(None, _plain_given(left), _plain_given(right)).ratio()
    slips = misspelt + (compatible and (left_slip or right_slip))
    return Features(compatible, share, is_matched, similarity, slips)


def probability(found: Features) -> float:
    """The logistic model's probability of a match for these features."""
    z = sum(w * x for w, x in zip(WEIGHTS, found.vector(), strict=True))
    return 1.0 / (1.0 + math.exp(-z))


@functools.lru_cache(maxsize=65536)
def score(left: str, right: str) -> float:
    """The probability, in [0, 1], that two written names are the same person's: 0.0 if either is empty.

    Symmetric: the pair is put in a fixed order first, so score(a, b) == score(b, a) exactly.
    """
    first, second = sorted((" ".join(left.split()), " ".join(right.split())))
    if not normalise(first) and not any(is_syllable(c) for c in first):
        return 0.0
    if not normalise(second) and not any(is_syllable(c) for c in second):
        return 0.0
    # Reading both names in the unusual order at once would let "U Hyon Jin" match "O Hyon Jin".
    left_parses, right_parses = list(_parses(first)), list(_parses(second))
    pairs = [(a, b) for i, a in enumerate(left_parses) for j, b in enumerate(right_parses) if not (i and j)]
    return max(probability(features(a, b)) for a, b in pairs)


def clear_caches() -> None:
    """Forget every name fragment the scorer's caches hold (called when a person's data is erased)."""
    for cached in (
        _lattice,
        _is_misspelling,
        _given_alignment,
        _surnames_one_slip_from,
        _repairs,
        _keyboard_repairs,
        features,
        score,
    ):
        cached.cache_clear()


@dataclass(frozen=True, slots=True)
class Evaluation:
    """Precision, recall and F1 of match decisions against labels."""

    precision: float
    recall: float
    f1: float
    pairs: int


def evaluate(labels: Iterable[bool], decisions: Iterable[bool]) -> Evaluation:
    """Precision, recall and F1 of `decisions` against `labels`, pair by pair (0.0 where undefined)."""
    true_positive = false_positive = false_negative = pairs = 0
    for label, decision in zip(labels, decisions, strict=True):
        pairs += 1
        true_positive += label and decision
        false_positive += decision and not label
        false_negative += label and not decision
    precision = true_positive / (true_positive + false_positive) if true_positive + false_positive else 0.0
    recall = true_positive / (true_positive + false_negative) if true_positive + false_negative else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return Evaluation(precision, recall, f1, pairs)


def is_match(left: str, right: str, threshold: float = DEFAULT_THRESHOLD) -> bool:
    """Whether two written names score at or above `threshold`."""
    return score(left, right) >= threshold
