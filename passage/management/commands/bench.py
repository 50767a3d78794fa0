"""`passage bench NAME [-- ARGS...]`: run the benchmark script bench/NAME.py of a source checkout.

The script runs with the current interpreter in its own process, from the repository root, with the
arguments after NAME passed through (`passage bench vault -- --persons 2000`). Its exit status
becomes this command's.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

import passage


def bench_directory() -> Path:
    """bench/ sits at the repository root, next to the `passage` package."""
    return Path(passage.__file__).resolve().parent.parent / "bench"


def available_benchmarks(directory: Path) -> list[str]:
    if not directory.is_dir():
        return []
    return sorted(path.stem for path in directory.glob("*.py") if not path.name.startswith("_"))


class Command(BaseCommand):
    help = "Run a benchmark from bench/: `passage bench NAME [-- ARGS...]` (e.g. `passage bench vault`)."
    # A benchmark builds its own PASSAGE_HOMEs; it needs nothing from the current one.
    requires_system_checks: list[str] = []
    requires_migrations_checks = False

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("name", nargs="?", default="", help="Benchmark name: bench/NAME.py")
        parser.add_argument(
            "bench_args",
            nargs=argparse.REMAINDER,
            metavar="ARGS",
            help="Arguments for the benchmark script (after `--`, e.g. `-- --persons 2000`)",
        )

    def handle(self, *args: Any, name: str, bench_args: list[str], **options: Any) -> None:
        directory = bench_directory()
        names = available_benchmarks(directory)
        if not names:
            raise CommandError(
                f"no benchmarks found: {directory} does not exist or holds no scripts "
                "(benchmarks run from a source checkout of Passage)"
            )
        if name not in names:
            given = f"no benchmark named {name!r}" if name else "name a benchmark"
            raise CommandError(f"{given}; available: {', '.join(names)}")
        extra = list(bench_args)
        if extra[:1] == ["--"]:
            extra = extra[1:]
        script = directory / f"{name}.py"
        try:
            result = subprocess.run(  # noqa: S603 - our own script, by a name from the list above
                [sys.executable, str(script), *extra], cwd=directory.parent, check=False
            )
        except KeyboardInterrupt:
            raise CommandError(f"bench/{name}.py interrupted", returncode=130) from None
        if result.returncode != 0:
            raise CommandError(f"bench/{name}.py exited with status {result.returncode}", returncode=result.returncode)
