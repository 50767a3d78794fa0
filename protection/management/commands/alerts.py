from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from protection.alerts import alerts_run
from protection.models import Alert


def _day(text: str) -> dt.date:
    try:
        return dt.datetime.strptime(text, "%Y-%m-%d").date()  # noqa: DTZ007 (a calendar day, no time)
    except ValueError:
        raise CommandError(f"--date: {text!r} is not a date; give it as YYYY-MM-DD, e.g. 2026-03-01") from None


class Command(BaseCommand):
    help = "Alerts for the deadline rules of the lifecycle: `passage alerts run [--date YYYY-MM-DD]`."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        run = sub.add_parser("run", help="Open the alerts now due for every case and resolve those no longer due.")
        run.add_argument("--date", default="", help="check as of this day (YYYY-MM-DD); default: today")

    def handle(self, *args: Any, action: str, date: str = "", **options: Any) -> None:
        today = _day(date) if date else None
        summary = alerts_run(today=today, progress=True, channel="cli")
        self.stdout.write(
            f"Checked {summary.cases} cases as of {summary.today.isoformat()}: "
            f"{summary.opened} alerts opened, {summary.resolved} resolved, {summary.open} open."
        )
        labels = dict(Alert.Kind.choices)
        for kind, count in summary.open_by_kind.items():
            self.stdout.write(f"  {count:>6}  {kind}: {labels[kind]}")
