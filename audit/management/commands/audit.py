from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from audit import chain, signing
from audit.grants import grant_app_role
from audit.services import checkpoint_write, columns_match_payloads, entries_in_chain_order, export_write
from audit.verify import verify_entries


class Command(BaseCommand):
    help = (
        "The audit log: `passage audit checkpoint`, `passage audit export FILE`, "
        "`passage audit verify [--export FILE] [--checkpoint FILE] [--public-key FILE]`."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("checkpoint", help="Sign the Merkle root of the log and write it to a checkpoint file.")
        export = sub.add_parser("export", help="Write the whole log, with its hashes, to a file.")
        export.add_argument("file", type=Path)
        verify = sub.add_parser("verify", help="Check the chains and a signed checkpoint; no database with --export.")
        verify.add_argument("--export", type=Path, help="verify this export instead of the live database")
        verify.add_argument("--checkpoint", type=Path, help="default: the latest checkpoint written here")
        verify.add_argument("--public-key", type=Path, help="default: the public half of this installation's key")
        grant = sub.add_parser(
            "grant-app-role", help="PostgreSQL: give the application's role every privilege but changing the log."
        )
        grant.add_argument("role")

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        try:
            if action == "checkpoint":
                path, checkpoint = checkpoint_write()
                self.stdout.write(f"Checkpoint of {checkpoint.size} entries written to {path}.")
            elif action == "grant-app-role":
                from django.db import connection

                grant_app_role(connection, options["role"])
                self.stdout.write(f"Role {options['role']} may add audit entries but never change or remove them.")
            elif action == "export":
                count = export_write(options["file"])
                self.stdout.write(f"Exported {count} entries to {options['file']}.")
            else:
                self._verify(options["export"], options["checkpoint"], options["public_key"])
        except (chain.CheckpointError, signing.SigningKeyError, OSError, ValueError) as exc:
            raise CommandError(str(exc)) from None

    def _verify(self, export: Path | None, checkpoint: Path | None, public_key: Path | None) -> None:
        from django.conf import settings

        if checkpoint is None:
            latest = Path(settings.PASSAGE_AUDIT_CHECKPOINT_DIR) / "latest.txt"
            checkpoint = latest if latest.exists() else None
        key = signing.load_public_key(public_key or signing.public_key_path()) if checkpoint else None
        if export is not None:
            with export.open(encoding="utf-8") as handle:
                entries = list(chain.iter_export(handle))
        else:
            with transaction.atomic():
                entries = list(entries_in_chain_order())
                mismatch = columns_match_payloads()
            if mismatch is not None:
                raise CommandError(f"FAILED at {mismatch}")
        verdict = verify_entries(
            entries,
            checkpoint_text=checkpoint.read_text(encoding="utf-8") if checkpoint else None,
            public_key=key,
            key_name=signing.key_name(),
        )
        if not verdict.ok:
            raise CommandError(verdict.message)
        self.stdout.write(verdict.message)
