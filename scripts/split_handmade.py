"""Split the hand-made Korean name pairs into a tuning half (a) and an unseen half (b).

Rows are taken in blocks of eight consecutive lines, alternating a, b, a, ...: related spellings of one
name sit next to each other in the hand-made file, so blocks keep most of them on the same side.
"""

from __future__ import annotations

import csv
from pathlib import Path

DATA = Path(__file__).resolve().parent.parent / "tests" / "data"
SOURCE = DATA / "korean_name_pairs_handmade.csv"
BLOCK_ROWS = 8


def main() -> None:
    with SOURCE.open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader)
        rows = list(reader)
    halves: dict[str, list[list[str]]] = {"a": [], "b": []}
    for index, row in enumerate(rows):
        halves["a" if (index // BLOCK_ROWS) % 2 == 0 else "b"].append(row)
    for name, half in halves.items():
        target = DATA / f"korean_name_pairs_handmade_{name}.csv"
        with target.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle, lineterminator="\n")
            writer.writerow(header)
            writer.writerows(half)
        positives = sum(row[2] == "1" for row in half)
        print(f"{target.name}: {len(half)} pairs, {positives} positive")


if __name__ == "__main__":
    main()
