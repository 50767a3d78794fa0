from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from registry.services import erasures_reapply
from vault.keys import VaultKeyError
from vault.services import key_file_verify


class Command(BaseCommand):
    help = "Serve the web app and API with waitress (a production WSGI server)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--threads", type=int, default=8)

    def handle(self, *args: Any, host: str, port: int, threads: int, **options: Any) -> None:
        from waitress import serve

        from passage.wsgi import application

        try:
            key_file_verify()
        except VaultKeyError as exc:
            raise CommandError(str(exc)) from None
        reapplied = erasures_reapply(channel="cli")
        if reapplied:
            self.stdout.write(f"Re-applied {len(reapplied)} erasure(s) from the erasure list: {', '.join(reapplied)}")
        from django.conf import settings

        from audit.scheduler import start_checkpoint_thread
        from protection.scheduler import start_alerts_thread

        start_checkpoint_thread(int(settings.PASSAGE_AUDIT_CHECKPOINT_INTERVAL_S))
        start_alerts_thread(int(settings.PASSAGE_ALERTS_INTERVAL_S))
        self.stdout.write(f"Passage is serving on http://{host}:{port}/ (Ctrl-C to stop)")
        self.stdout.flush()
        serve(application, host=host, port=port, threads=threads, ident="passage")
