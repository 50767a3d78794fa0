from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from accounts.models import Organisation
from passage import demo


class Command(BaseCommand):
    help = "Load demo data of fictional people (once), print the demo logins, then serve."
    requires_system_checks: list[str] = []  # `init` runs first and creates the key files the checks want

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--no-serve", action="store_true", help="Load and print, but do not start the server.")
        parser.add_argument("--persons", type=int, default=demo.DEFAULT_PERSON_COUNT)
        parser.add_argument("--seed", type=int, default=None, help="Seed for repeatable demo data.")
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)

    def handle(
        self, *args: Any, no_serve: bool, persons: int, seed: int | None, host: str, port: int, **options: Any
    ) -> None:
        call_command("init", verbosity=0)
        call_command("check")
        logins_path = settings.PASSAGE_HOME / "demo-logins.json"
        if Organisation.objects.exists():
            if not logins_path.exists():
                self.stderr.write("The database already holds data and no demo-logins.json; not loading demo data.")
                logins: list[dict[str, str]] = []
            else:
                self.stdout.write("Demo data already loaded.")
                logins = json.loads(logins_path.read_text(encoding="utf-8"))
        else:
            self.stdout.write(f"Loading demo data: {persons} fictional persons…")
            logins = demo.load(person_count=persons, seed=seed, progress=True)
            logins_path.write_text(json.dumps(logins, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
            logins_path.chmod(0o600)
        if logins:
            self.stdout.write(demo.format_logins(logins))
            self.stdout.write(f"These logins are also in {logins_path}.")
        if not no_serve:
            call_command("serve", host=host, port=port)
