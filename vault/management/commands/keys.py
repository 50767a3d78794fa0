from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import Count
from tqdm import tqdm

from vault import runtime
from vault.keys import VaultKeyError
from vault.models import DataKey
from vault.services import (
    data_keys_rewrap,
    data_keys_to_rewrap,
    key_file_verify,
    key_rotation_start,
    key_version_retire,
)


class Command(BaseCommand):
    help = (
        "Master keys: `passage keys status`, `passage keys rotate [--resume] [--retire-old]`, `passage keys retire N`."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("status", help="Key versions in the key file and how many data keys use each.")
        rotate = sub.add_parser("rotate", help="New key version; rewrap every data key under it (not the data).")
        rotate.add_argument(
            "--resume", action="store_true", help="Finish an interrupted rotation without a new version."
        )
        rotate.add_argument("--retire-old", action="store_true", help="Afterwards destroy the versions no longer used.")
        rotate.add_argument("--batch-size", type=int, default=500)
        retire = sub.add_parser("retire", help="Destroy an old key version once no data key uses it.")
        retire.add_argument("version", type=int)

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        try:
            if action == "status":
                self._status()
            elif action == "rotate":
                self._rotate(options["resume"], options["retire_old"], options["batch_size"])
            else:
                key_version_retire(options["version"])
                self.stdout.write(f"Key version {options['version']} destroyed.")
        except VaultKeyError as exc:
            raise CommandError(str(exc)) from None

    def _status(self) -> None:
        ring = runtime.key_ring()
        in_use = dict(
            DataKey.objects.values_list("kek_version").annotate(n=Count("pk")).values_list("kek_version", "n")
        )
        self.stdout.write(f"Key file: {ring.path}")
        for version in sorted(set(ring.versions) | set(in_use)):
            entry = ring.versions.get(version)
            state = (
                "active"
                if version == ring.active_version
                else "missing from key file"
                if entry is None
                else "retired"
                if entry.retired_at
                else "usable"
            )
            self.stdout.write(f"  version {version}: {state}, {in_use.get(version, 0)} data key(s)")
        stale = sum(n for version, n in in_use.items() if version != ring.active_version)
        if stale:
            self.stdout.write(f"{stale} data key(s) are not on the active version: run `passage keys rotate --resume`.")
        key_file_verify()
        self.stdout.write(f"Blind-index truncation: {runtime.index_bits()} bits.")

    def _rotate(self, resume: bool, retire_old: bool, batch_size: int) -> None:
        key_file_verify()
        ring = runtime.key_ring()
        if resume:
            target = ring.active_version
        else:
            target = key_rotation_start()
            self.stdout.write(f"Key version {target} created and active.")
        total = data_keys_to_rewrap(target)
        with tqdm(total=total, desc="rewrapping data keys", unit="key", file=sys.stderr, disable=None) as bar:

            def advance(step: int) -> None:
                bar.update(step)

            done = data_keys_rewrap(target_version=target, batch_size=batch_size, on_progress=advance)
        self.stdout.write(f"Rewrapped {done} data key(s) under version {target}.")
        if retire_old:
            for version in runtime.key_ring().usable_versions:
                if version != target:
                    key_version_retire(version)
                    self.stdout.write(f"Key version {version} destroyed.")
