"""`passage disclosure check FILE... [--json] [--case REF] [--as-user EMAIL] [--redacted OUT]`.

Exits 1 when a text holds anything that could identify a protected person (a finding that blocks a
release), 0 when clean, 2 when a file cannot be read. Without --as-user the command sees every case
(it runs where the key file is); with it, references are shown only for cases that user may see.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from accounts.models import User
from consent.labels import kind_label
from consent.services.disclosure import DisclosureCheck, disclosure_check
from registry.models import Case
from registry.references import normalise_reference


def _position(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return line, column


class Command(BaseCommand):
    help = "The disclosure check: `passage disclosure check FILE... [--json] [--case REF] [--redacted OUT]`."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        check = sub.add_parser("check", help="Find what in a text could identify a protected person.")
        check.add_argument("files", nargs="+", type=Path, metavar="FILE", help="UTF-8 text file(s)")
        check.add_argument("--json", action="store_true", help="print the findings as JSON")
        check.add_argument(
            "--case", action="append", default=[], metavar="REF", help="a case the text is about (repeatable)"
        )
        check.add_argument("--as-user", metavar="EMAIL", help="show references only for cases this user may see")
        check.add_argument("--redacted", type=Path, metavar="OUT", help="write the redacted text here (one file)")

    def handle(self, *args: Any, **options: Any) -> None:
        files: list[Path] = options["files"]
        if options["redacted"] and len(files) != 1:
            raise CommandError("--redacted takes one input file.", returncode=2)
        actor = self._actor(options["as_user"])
        cases = self._cases(options["case"])
        texts = {path: self._read(path) for path in files}
        results: list[tuple[Path, str, DisclosureCheck]] = []
        for path, text in tqdm(texts.items(), desc="checking", unit="file", file=sys.stderr, disable=len(files) < 2):
            try:
                results.append((path, text, disclosure_check(actor=actor, text=text, cases=cases, channel="cli")))
            except ValidationError as error:
                raise CommandError(f"{path}: {' '.join(error.messages)}", returncode=2) from None
        if options["redacted"]:
            options["redacted"].write_text(results[0][2].redacted_text, encoding="utf-8")
        if options["json"]:
            self.stdout.write(
                json.dumps(
                    [self._as_json(path, text, check) for path, text, check in results], ensure_ascii=False, indent=2
                )
            )
        else:
            for path, text, check in results:
                self._print(path, text, check)
        if any(not check.is_clean for _path, _text, check in results):
            sys.exit(1)

    def _actor(self, email: str | None) -> User | None:
        if not email:
            return None
        user = User.objects.filter(email=email.lower()).first()
        if user is None:
            raise CommandError(f"No user {email}.", returncode=2)
        return user

    def _cases(self, references: list[str]) -> list[Case]:
        wanted = {normalise_reference(reference) for reference in references}
        found = list(Case.objects.filter(reference__in=wanted, is_erased=False))
        missing = sorted(wanted - {case.reference for case in found})
        if missing:
            raise CommandError(f"No case {', '.join(missing)}.", returncode=2)
        return found

    def _read(self, path: Path) -> str:
        try:
            return path.read_text(encoding="utf-8")
        except FileNotFoundError:
            raise CommandError(f"{path}: no such file.", returncode=2) from None
        except UnicodeDecodeError:
            raise CommandError(f"{path}: not UTF-8 text.", returncode=2) from None
        except OSError as error:
            raise CommandError(f"{path}: {error.strerror}.", returncode=2) from None

    def _as_json(self, path: Path, text: str, check: DisclosureCheck) -> dict[str, Any]:
        return {
            "file": str(path),
            "is_clean": check.is_clean,
            "counts": check.counts(),
            "findings": [
                {
                    "start": shown.finding.start,
                    "end": shown.finding.end,
                    "line": _position(text, shown.finding.start)[0],
                    "column": _position(text, shown.finding.start)[1],
                    "text": shown.text,
                    "kind": shown.finding.kind.value,
                    "severity": shown.finding.severity.value,
                    "rule": shown.finding.rule,
                    "replacement": shown.finding.replacement,
                    "references": list(shown.references),
                    "hidden_persons": shown.hidden_persons,
                    "parts": [list(part) for part in shown.finding.parts],
                }
                for shown in check.findings
            ],
        }

    def _print(self, path: Path, text: str, check: DisclosureCheck) -> None:
        counts = check.counts()
        verdict = "clean" if check.is_clean else f"{counts['blocking']} finding(s) block a release"
        self.stdout.write(f"{path}: {verdict} ({counts['findings']} finding(s) in all)")
        for shown in check.findings:
            line, column = _position(text, shown.finding.start)
            who = ", ".join(shown.references)
            if shown.hidden_persons:
                who = (who + ", " if who else "") + f"{shown.hidden_persons} protected person(s) not visible"
            span = " · ".join(text[a:b] for a, b in shown.finding.parts) if shown.finding.parts else shown.text
            self.stdout.write(
                f"  {line}:{column}  {shown.finding.severity.value:<11} {kind_label(shown.finding.kind.value)}: "
                f"{span!r} -> {shown.finding.replacement}" + (f"  [{who}]" if who else "")
            )
