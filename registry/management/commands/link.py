"""`passage link run`: deduplicate the whole registry in batch (DuckDB), with a progress bar."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from tqdm import tqdm

from registry.linkage import link_run
from vault.runtime import key_scope

STAGE_NAMES = {
    "read": "decrypting persons",
    "load": "loading",
    "prepare": "name keys",
    "block": "blocking",
    "compare": "comparing",
    "estimate": "estimating",
    "predict": "predicting",
    "cluster": "clustering",
    "score": "scoring pairs",
}


class Command(BaseCommand):
    help = "Batch linkage: `passage link run` finds possible duplicates across the whole registry."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("what", choices=["run"], help="`run`: deduplicate the whole registry")
        parser.add_argument("--no-progress", action="store_true", help="Do not draw a progress bar")

    def handle(self, *args: Any, no_progress: bool, **options: Any) -> None:
        bars: dict[str, tqdm[Any]] = {}

        def progress(stage: str, done: int, total: int) -> None:
            if no_progress:
                return
            bar = bars.get(stage)
            if bar is None:
                for other in bars.values():
                    other.close()
                bar = bars[stage] = tqdm(total=total, desc=STAGE_NAMES.get(stage, stage), unit="", leave=False)
            bar.total = total
            bar.n = done
            bar.refresh()

        try:
            with key_scope():
                summary = link_run(progress=progress, channel="cli")
        finally:
            for bar in bars.values():
                bar.close()
        self.stdout.write(
            f"Linked {summary.persons} persons in {summary.seconds} s: "
            f"{summary.engine_pairs} pairs proposed by the engine, {summary.pairs_found} possible duplicates, "
            f"{summary.pairs_new} new (review them on the Duplicates page or GET /api/v1/duplicates/)."
        )
