"""Fit the scorer's logistic weights on labelled pairs and print them for matching/score.py.

    .venv/bin/python scripts/fit_score.py                                   # the development set
    .venv/bin/python scripts/fit_score.py tests/data/korean_name_pairs_handmade_a.csv   # and more sets

The weights in matching/score.py are fitted on the development set plus the hand-made tuning half
(korean_name_pairs_handmade_a.csv), the only set with real misspellings in it; the hand-made judging
half (_handmade_b.csv), the held-out and the noisy sets are never fitted on.

Plain batch gradient descent on the mean log loss with a small L2 penalty (not on the bias), over
the features of each pair as the parser reads it; no NumPy or scikit-learn needed.
"""

from __future__ import annotations

import csv
import math
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from matching.names import parse  # noqa: E402
from matching.score import features  # noqa: E402

DEV = ROOT / "tests" / "data" / "korean_name_pairs_dev.csv"


def main() -> None:
    rows: list[tuple[tuple[float, ...], int]] = []
    for path in [DEV, *(Path(arg) for arg in sys.argv[1:])]:
        if "handmade_b" in path.name:
            raise SystemExit(f"{path.name} is the unseen judging half: it is never fitted on")
        with path.open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                first, second = sorted((row["left"], row["right"]))
                rows.append((features(parse(first), parse(second)).vector(), int(row["label"])))
    weights = [0.0] * len(rows[0][0])
    rate, penalty = 0.5, 1e-3
    for _ in range(4000):
        gradient = [0.0] * len(weights)
        for x, y in rows:
            z = sum(w * v for w, v in zip(weights, x, strict=True))
            p = 1.0 / (1.0 + math.exp(-z))
            for k, v in enumerate(x):
                gradient[k] += (p - y) * v / len(rows)
        for k in range(len(weights)):
            weights[k] -= rate * (gradient[k] + (penalty * weights[k] if k else 0.0))
    print("WEIGHTS = (" + ", ".join(f"{w:.2f}" for w in weights) + ")")


if __name__ == "__main__":
    main()
