"""The Fellegi-Sunter model of the batch engine in numpy: EM over comparison patterns, and clustering.

Pairs are summarised as patterns, one agreement level per comparison, with a count each, so the
EM runs on a few hundred rows however many pairs there are. u (the level frequencies among
non-matches) comes from random pairs, its rare top levels from counted value frequencies
(`with_counted_levels`), and stays fixed; EM estimates m (among matches) and the share
of matches among candidates. Because candidates are chosen by blocking on fields that are themselves
compared, the pattern decides whether a pair is a candidate: among candidates, a non-match's pattern
has probability u divided by the share of non-matching pairs that blocking keeps, which the model
carries as the candidate rate (Fellegi & Sunter 1969; Winkler 1988 for EM on pattern counts).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from matching.batch_comparisons import MISSING

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

_FLOOR = 1e-9  # no level is ever impossible: keeps the logarithms finite


@dataclass(frozen=True, slots=True)
class Parameters:
    """Fitted model: per comparison, m and u for each level (index = level); among candidate pairs, the
    share of matches; and the candidate rate, the share of random non-matching pairs that blocking keeps."""

    m: tuple[FloatArray, ...]
    u: tuple[FloatArray, ...]
    match_share: float
    candidate_rate: float
    iterations: int

    def match_weights(self, patterns: IntArray) -> FloatArray:
        """log2 Bayes factor of each pattern (rows of levels), MISSING levels adding nothing."""
        weights = np.zeros(len(patterns))
        for k, (m, u) in enumerate(zip(self.m, self.u, strict=True)):
            levels = patterns[:, k]
            present = levels != MISSING
            safe = np.where(present, levels, 0)
            weights += np.where(present, np.log2(m[safe]) - np.log2(u[safe]), 0.0)
        return weights

    def probabilities(self, patterns: IntArray) -> FloatArray:
        """Posterior probability of a match for each pattern of a candidate pair.

        Among candidates, a non-match's pattern has probability u / candidate_rate (the u of random
        pairs, renormalised to the patterns blocking keeps); a match's is m (blocking keeps nearly all).
        """
        prior = np.log2(self.match_share) - np.log2(1.0 - self.match_share) + np.log2(self.candidate_rate)
        odds: FloatArray = np.exp2(-(prior + self.match_weights(patterns)))
        return 1.0 / (1.0 + odds)


def level_frequencies(patterns: IntArray, counts: IntArray, level_counts: tuple[int, ...]) -> tuple[FloatArray, ...]:
    """Per comparison, the share of pairs at each level among pairs where it is not MISSING (u from random pairs).

    Each level gets half a pair more than it has, so a level unseen among random pairs is rare, not impossible.
    """
    shares = []
    for k, level_count in enumerate(level_counts):
        levels = patterns[:, k]
        present = levels != MISSING
        tally = np.bincount(levels[present], weights=counts[present], minlength=level_count)[:level_count] + 0.5
        shares.append(tally / tally.sum())
    return tuple(shares)


def with_counted_levels(sampled: FloatArray, at_or_above: Sequence[tuple[int, float]]) -> FloatArray:
    """u for one comparison: the levels with counted frequencies take them, the rest share what is left
    in the proportions random pairs gave them.

    `at_or_above` holds (level, share of pairs at that level or above), top level first.
    """
    u = sampled.copy()
    above = 0.0
    for level, share in at_or_above:
        u[level] = max(share - above, _FLOOR)
        above = max(share, above)
    lowest = min(level for level, _ in at_or_above) if at_or_above else len(u)
    rest = u[:lowest].sum()
    if rest > 0:
        u[:lowest] *= max(1.0 - above, _FLOOR) / rest
    shares: FloatArray = u / u.sum()
    return shares


def _initial_m(level_count: int) -> FloatArray:
    """Matches mostly agree: the top level starts at 0.9, the rest share what is left, more at closer levels."""
    if level_count == 1:
        return np.ones(1)
    lower = np.arange(1, level_count, dtype=np.float64)
    return np.append(0.1 * lower / lower.sum(), 0.9)


def estimate(
    patterns: IntArray,
    counts: IntArray,
    u: tuple[FloatArray, ...],
    possible_pairs: float,
    *,
    max_iterations: int = 100,
    tolerance: float = 1e-6,
) -> Parameters:
    """EM for m and the share of matches over candidate patterns (rows of levels) with their pair counts.

    `possible_pairs` is how many pairs there are in all (n(n-1)/2 when deduplicating), from which the
    candidate rate follows: the candidates that are not matches, over all pairs.
    """
    m = tuple(_initial_m(len(levels)) for levels in u)
    share = 0.1
    weights = counts.astype(np.float64)
    total = weights.sum()
    iterations = 0
    for iterations in range(1, max_iterations + 1):
        rate = _candidate_rate(total, share, possible_pairs)
        posterior = Parameters(m, u, share, rate, iterations).probabilities(patterns)
        matched = posterior * weights
        new_m = []
        for k, level_count in enumerate(len(levels) for levels in u):
            levels = patterns[:, k]
            present = levels != MISSING
            tally = np.bincount(levels[present], weights=matched[present], minlength=level_count)[:level_count]
            new_m.append(np.maximum(tally / max(tally.sum(), _FLOOR), _FLOOR))
        new_share = float(np.clip(matched.sum() / total, _FLOOR, 1 - _FLOOR)) if total else share
        change = max(abs(new_share - share), *(float(np.abs(a - b).max()) for a, b in zip(new_m, m, strict=True)))
        m, share = tuple(new_m), new_share
        if change < tolerance:
            break
    return Parameters(m, u, share, _candidate_rate(total, share, possible_pairs), iterations)


def _candidate_rate(candidates: float, share: float, possible_pairs: float) -> float:
    return float(np.clip((1.0 - share) * candidates / max(possible_pairs, 1.0), _FLOOR, 1.0))


def connected_components(node_count: int, left: IntArray, right: IntArray) -> IntArray:
    """The component of each node 0..node_count-1 under the edges (left[i], right[i]): its smallest node."""
    parent = np.arange(node_count, dtype=np.int64)
    if len(left) == 0:
        return parent
    while True:
        low = np.minimum(parent[left], parent[right])
        np.minimum.at(parent, parent[left], low)
        np.minimum.at(parent, parent[right], low)
        while True:  # point every node at its root
            grandparent = parent[parent]
            if np.array_equal(grandparent, parent):
                break
            parent = grandparent
        if np.array_equal(parent[left], parent[right]):
            return parent
