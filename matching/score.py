"""The name scorer: the probability that two written Korean names, in any script, are one person's.

Both names are parsed; the surnames are compared by variant class (a romanised or northern
spelling stands for a set of southern Hangul surnames, and two surnames are compatible when the
sets meet: Ri, Lee, 이 and 리); the given names are compared syllable by syllable through a lattice
of the Hangul syllables each stretch of the text can spell. A logistic model over a few features
turns the comparison into a calibrated probability.
"""

from __future__ import annotations

import difflib
import functools
import itertools
import math
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from matching.hangul import SYLLABLE_BASE, SYLLABLE_COUNT, is_syllable, southern
from matching.names import ParsedName, Script, parse
from matching.romanise import revised_syllable, syllable_readings
from matching.surnames import normalise, surname, surnames_for_reading

DEFAULT_THRESHOLD = 0.5
"""A pair scoring at or above this is called a match; the model is calibrated, so 0.5 is even odds."""

# Logistic weights for (bias, surname compatible, share of given syllables matched, every given syllable
# matched, string similarity of the given names). Fitted by scripts/fit_score.py: plain gradient descent on
# the log loss over tests/data/korean_name_pairs_dev.csv with a small L2 penalty.
WEIGHTS = (-6.73, 4.34, -0.65, 4.78, 1.05)

_LONGEST_READING = 7  # characters in the longest romanised syllable ("gwaelk", "yeong" + slack)
_WILD = frozenset[str]()  # a stretch of text that spells no known syllable


@dataclass(frozen=True, slots=True)
class Features:
    """What the model sees of one pair."""

    is_surname_compatible: bool
    given_matched_share: float
    is_given_matched: bool
    given_similarity: float

    def vector(self) -> tuple[float, ...]:
        return (
            1.0,
            float(self.is_surname_compatible),
            self.given_matched_share,
            float(self.is_given_matched),
            self.given_similarity,
        )


@functools.cache
def _syllables_by_reading() -> dict[str, frozenset[str]]:
    """Every normalised syllable reading → the Hangul syllables it can spell (cheol → 철; son → 손, 선)."""
    index: dict[str, set[str]] = {}
    for offset in range(SYLLABLE_COUNT):
        char = chr(SYLLABLE_BASE + offset)
        for reading in syllable_readings(char):
            index.setdefault(reading, set()).add(char)
    return {reading: frozenset(chars) for reading, chars in index.items()}


Edge = tuple[int, frozenset[str]]
"""An edge of a given-name lattice: the node it leads to and the Hangul syllables it can spell."""


@functools.lru_cache(maxsize=4096)
def _lattice(given: str, is_hangul: bool) -> tuple[tuple[Edge, ...], ...]:
    """The given name as a lattice: node i's outgoing edges, one per stretch of text.

    Hangul has one edge per syllable. Romanised text has an edge for every stretch that reads as a
    syllable, with the syllables it may spell, and a wild edge for every other short stretch. The first
    syllable is folded to its southern spelling (령 → 영), as the initial-sound law does.
    """
    if is_hangul:
        return (*(((i + 1, frozenset({southern(c) if i == 0 else c})),) for i, c in enumerate(given)), ())
    index = _syllables_by_reading()
    nodes: list[tuple[Edge, ...]] = []
    for start in range(len(given)):
        edges: list[Edge] = []
        for end in range(start + 1, min(len(given), start + _LONGEST_READING) + 1):
            chars = index.get(given[start:end], _WILD)
            if start == 0:
                chars = frozenset(southern(c) for c in chars)
            edges.append((end, chars))
        nodes.append(tuple(edges))
    nodes.append(())
    return tuple(nodes)


def _given_alignment(left: str, left_hangul: bool, right: str, right_hangul: bool) -> tuple[int, int]:
    """The best syllable-by-syllable alignment of two given names: (syllables matched, syllables aligned).

    Both lattices are walked together; a step pairs one edge from each, and matches when the two can
    spell a common syllable. (0, 0) when no alignment reaches both ends.
    """
    a, b = _lattice(left, left_hangul), _lattice(right, right_hangul)
    end = (len(a) - 1, len(b) - 1)
    # best[(i, j)] = (matched, -steps) of the best walk reaching nodes i and j.
    best: dict[tuple[int, int], tuple[int, int]] = {(0, 0): (0, 0)}
    for i in range(len(a)):
        for j in range(len(b)):
            here = best.get((i, j))
            if here is None:
                continue
            for (ni, chars_a), (nj, chars_b) in itertools.product(a[i], b[j]):
                hit = 1 if chars_a and not chars_a.isdisjoint(chars_b) else 0
                candidate = (here[0] + hit, here[1] - 1)
                if candidate > best.get((ni, nj), (-1, -1_000)):
                    best[(ni, nj)] = candidate
    reached = best.get(end)
    if reached is None or end == (0, 0):
        return (0, 0)
    return reached[0], -reached[1]


def _surname_classes(parsed: ParsedName) -> frozenset[str]:
    """The southern Hangul surnames this surname may stand for (Ri → 이; 림 → 임; Son → 손, 선)."""
    if parsed.script is Script.HANGUL:
        row = surname(parsed.surname)
        return frozenset({row.hangul if row is not None else southern(parsed.surname)})
    found = surnames_for_reading(parsed.surname)
    if found:
        return found
    return _syllables_by_reading().get(normalise(parsed.surname), frozenset({normalise(parsed.surname)}))


def _given_key(parsed: ParsedName) -> tuple[str, bool]:
    if parsed.script is Script.HANGUL:
        return parsed.given_text, True
    return normalise(parsed.given_text), False


def _plain_given(parsed: ParsedName) -> str:
    """The given name as plain letters for string similarity: Hangul in the Revised Romanization."""
    if parsed.script is Script.HANGUL:
        return "".join(revised_syllable(c) for c in parsed.given_text if is_syllable(c))
    return normalise(parsed.given_text)


def _parses(text: str) -> Iterator[ParsedName]:
    """The readings of a name's order: the parser's, and for romanised names the surname taken last."""
    parsed = parse(text)
    yield parsed
    words = text.split()
    if parsed.script is not Script.HANGUL and len(words) >= 2 and "," not in text:
        given = tuple(part for word in words[:-1] for part in word.split("-") if part)
        yield ParsedName(words[-1], given, parsed.script)


def features(left: ParsedName, right: ParsedName) -> Features:
    """The model's features for two parsed names."""
    compatible = not _surname_classes(left).isdisjoint(_surname_classes(right))
    matched, aligned = _given_alignment(*_given_key(left), *_given_key(right))
    share = matched / aligned if aligned else 0.0
    similarity = difflib.SequenceMatcher(None, _plain_given(left), _plain_given(right)).ratio()
    return Features(compatible, share, aligned > 0 and matched == aligned, similarity)


def probability(found: Features) -> float:
    """The logistic model's probability of a match for these features."""
    z = sum(w * x for w, x in zip(WEIGHTS, found.vector(), strict=True))
    return 1.0 / (1.0 + math.exp(-z))


def score(left: str, right: str) -> float:
    """The probability, in [0, 1], that two written names are the same person's: 0.0 if either is empty.

    Symmetric: the pair is put in a fixed order first, so score(a, b) == score(b, a) exactly.
    """
    first, second = sorted((" ".join(left.split()), " ".join(right.split())))
    if not normalise(first) and not any(is_syllable(c) for c in first):
        return 0.0
    if not normalise(second) and not any(is_syllable(c) for c in second):
        return 0.0
    return max(probability(features(a, b)) for a in _parses(first) for b in _parses(second))


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
