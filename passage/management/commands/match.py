"""`passage match pairs FILE.csv [--output OUT.csv] [--threshold T]`: score name pairs from a CSV.

Reads `left,right` columns (any others are kept), appends `score` (0-1) and `match` (0/1), and writes
the CSV to OUT.csv or standard output. With a `label` column it also reports precision, recall and F1.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any, TextIO

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from matching.score import DEFAULT_THRESHOLD, evaluate, score

REQUIRED_COLUMNS = ("left", "right")


def _threshold(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise CommandError(f"--threshold must be a number between 0 and 1, not {text!r}") from None
    if not 0.0 <= value <= 1.0:
        raise CommandError(f"--threshold must be between 0 and 1, not {value}")
    return value


def _label(text: str, line: int) -> bool:
    if text.strip() not in ("0", "1"):
        raise CommandError(f"line {line}: column 'label' must be 0 or 1, not {text!r}")
    return text.strip() == "1"


class Command(BaseCommand):
    help = "Score Korean name pairs: `passage match pairs FILE.csv [--output OUT.csv] [--threshold T]`."
    requires_system_checks: list[str] = []
    requires_migrations_checks = False

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("what", choices=["pairs"], help="What to match: `pairs` of names from a CSV")
        parser.add_argument("file", help="CSV with `left` and `right` columns (and optionally `label`)")
        parser.add_argument("--output", default="", help="Where to write the scored CSV (default: standard output)")
        parser.add_argument(
            "--threshold",
            default=str(DEFAULT_THRESHOLD),
            help=f"Score at or above which a pair is a match (default {DEFAULT_THRESHOLD})",
        )

    def handle(self, *args: Any, file: str, output: str, threshold: str, **options: Any) -> None:
        cutoff = _threshold(threshold)
        path = Path(file)
        try:
            with path.open(encoding="utf-8-sig", newline="") as handle:
                reader = csv.DictReader(handle)
                columns = list(reader.fieldnames or [])
                missing = [c for c in REQUIRED_COLUMNS if c not in columns]
                if missing:
                    # The header is not echoed: in a file without one, the first line is a pair of names.
                    raise CommandError(
                        f"{file}: missing column {', '.join(map(repr, missing))} "
                        "(the first line must be the header: left,right[,label])"
                    )
                rows = list(reader)
        except OSError as exc:
            raise CommandError(f"cannot read {file}: {exc.strerror or exc}") from None
        except UnicodeDecodeError:
            raise CommandError(f"{file} is not a UTF-8 CSV file") from None
        except csv.Error as exc:
            raise CommandError(f"{file} is not a UTF-8 CSV file: {exc}") from None

        has_labels = "label" in columns
        labels: list[bool] = []
        decisions: list[bool] = []
        for line, row in enumerate(tqdm(rows, desc="match", unit="pair", disable=len(rows) < 1000), start=2):
            left, right = row.get("left"), row.get("right")
            if left is None or right is None:
                raise CommandError(f"line {line}: missing value in column 'left' or 'right'")
            value = score(left, right)
            decision = value >= cutoff
            row["score"] = f"{value:.4f}"
            row["match"] = str(int(decision))
            if has_labels:
                labels.append(_label(row.get("label") or "", line))
                decisions.append(decision)

        fields = [*columns, *(c for c in ("score", "match") if c not in columns)]
        if output:
            try:
                with Path(output).open("w", encoding="utf-8", newline="") as target:
                    self._write(target, fields, rows)
            except OSError as exc:
                raise CommandError(f"cannot write {output}: {exc.strerror or exc}") from None
        else:
            self._write(self.stdout, fields, rows)

        if has_labels:
            result = evaluate(labels, decisions)
            self.stderr.write(
                f"{result.pairs} pairs at threshold {cutoff}: precision {result.precision:.4f}, "
                f"recall {result.recall:.4f}, F1 {result.f1:.4f}"
            )

    @staticmethod
    def _write(target: TextIO | Any, fields: list[str], rows: list[dict[str, str]]) -> None:
        writer = csv.DictWriter(target, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
