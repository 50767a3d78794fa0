from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from audit import signing
from vault import runtime
from vault.keys import VaultKeyError, create_key_file
from vault.services import key_checks_ensure, key_file_verify


class Command(BaseCommand):
    help = "Prepare PASSAGE_HOME: generated secrets, the master key file and an up-to-date database."
    requires_system_checks: list[str] = []  # it creates what the checks look for

    def handle(self, *args: Any, **options: Any) -> None:
        home = settings.PASSAGE_HOME
        home.mkdir(parents=True, exist_ok=True)
        home.chmod(0o700)
        key_file = runtime.key_file_path()
        call_command("migrate", interactive=False, verbosity=0)
        try:
            if not key_file.exists():
                from vault.models import DataKey, KeyCheck

                if DataKey.objects.exists() or KeyCheck.objects.exists():
                    raise VaultKeyError(
                        f"key file {key_file} not found, but this database was set up with a key file. Restore "
                        "the key file from its backup; a new key file could not read any of its data."
                    )
                create_key_file(key_file)
                self.stdout.write(f"Created the master key file {key_file} (mode 0600). Back it up separately.")
            runtime.reset()
            key_checks_ensure()
            key_file_verify()
        except VaultKeyError as exc:
            raise CommandError(str(exc)) from None
        if not signing.private_key_path().exists():
            signing.create_signing_key()
            self.stdout.write(
                f"Created the audit signing key {signing.private_key_path()} (mode 0600); give auditors "
                f"{signing.public_key_path()}."
            )
        call_command("collectstatic", interactive=False, verbosity=0)
        engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
        self.stdout.write(f"PASSAGE_HOME {home} is ready (database: {engine}).")
