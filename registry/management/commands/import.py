from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from accounts.models import Organisation, Role, User
from passage.errors import NotPermitted
from registry.importing import ImportFileError, persons_import


class Command(BaseCommand):
    help = "Import persons from CSV or XLSX: `passage import persons FILE --organisation SLUG`."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kind", choices=["persons"], help="What the file holds.")
        parser.add_argument("file", type=Path)
        parser.add_argument("--organisation", required=True, help="Slug of the organisation that owns the cases.")
        parser.add_argument(
            "--as-user",
            default="",
            help="E-mail of the user the import is recorded for (default: a supervisor).",
        )

    def handle(self, *args: Any, kind: str, file: Path, organisation: str, as_user: str, **options: Any) -> None:
        try:
            org = Organisation.objects.get(slug=organisation)
        except Organisation.DoesNotExist:
            raise CommandError(f"--organisation: no organisation with slug {organisation!r}") from None
        actor = self._actor(org, as_user)
        try:
            data = file.read_bytes()
        except OSError as exc:
            raise CommandError(f"file: cannot read {file}: {exc.strerror}") from None
        bar: tqdm[Any] | None = None

        def on_validated(total: int) -> None:
            nonlocal bar
            bar = tqdm(total=total, desc="importing", unit="person", file=sys.stderr, disable=None)

        def on_progress(step: int) -> None:
            if bar is not None:
                bar.update(step)

        try:
            report = persons_import(
                actor=actor,
                organisation=org,
                data=data,
                filename=file.name,
                channel="cli",
                on_validated=on_validated,
                on_progress=on_progress,
            )
        except ImportFileError as exc:
            raise CommandError(f"{file}: {exc}") from None
        except NotPermitted:
            raise CommandError(f"--as-user: {actor.email} may not import into {org.slug}") from None
        finally:
            if bar is not None:
                bar.close()
        if not report.is_valid:
            for error in report.errors:
                self.stderr.write(f"{file}: {error}")
            raise CommandError(f"{len(report.errors)} problem(s) found; nothing was imported.")
        self.stdout.write(f"Imported {len(report.rows)} persons into {org.slug}.")
        if report.possible_duplicates:
            self.stdout.write(
                f"{report.possible_duplicates} possible duplicate(s) recorded for review "
                "(the web app's Possible duplicates page, or GET /api/v1/duplicates/)."
            )

    def _actor(self, organisation: Organisation, email: str) -> User:
        users = User.objects.filter(is_active=True, memberships__organisation=organisation)
        if email:
            actor = users.filter(email__iexact=email).first()
            if actor is None:
                raise CommandError(f"--as-user: no active member of {organisation.slug} with e-mail {email!r}")
            return actor
        # One filter() call, so that organisation and role apply to the same membership.
        actor = (
            User.objects.filter(
                is_active=True, memberships__organisation=organisation, memberships__role=Role.SUPERVISOR
            )
            .order_by("pk")
            .first()
        )
        if actor is None:
            raise CommandError(f"--as-user: {organisation.slug} has no supervisor; name a user with --as-user")
        return actor
