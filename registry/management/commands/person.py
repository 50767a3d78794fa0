from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from accounts.models import User
from passage.errors import NotPermitted
from registry.models import Case
from registry.services import erasures_reapply, person_erase


class Command(BaseCommand):
    help = "Persons: `passage person erase REFERENCE --reason TEXT --as-user EMAIL`, `passage person reapply-erasures`."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        erase = sub.add_parser("erase", help="Crypto-shred a person: their data can never be read again.")
        erase.add_argument("reference")
        erase.add_argument("--reason", required=True)
        erase.add_argument("--as-user", required=True, help="E-mail of the supervisor responsible for the erasure.")
        sub.add_parser("reapply-erasures", help="After restoring a backup: shred again everyone on the erasure list.")

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        if action == "reapply-erasures":
            references = erasures_reapply(channel="cli")
            self.stdout.write(f"Re-applied {len(references)} erasure(s). {' '.join(references)}".strip())
            return
        reference = options["reference"].strip().upper()
        actor = User.objects.filter(email__iexact=options["as_user"].strip(), is_active=True).first()
        if actor is None:
            raise CommandError(f"--as-user: no active user with e-mail {options['as_user']!r}")
        case = Case.objects.select_related("person").filter(reference=reference).first()
        if case is None:
            raise CommandError(f"reference: no case {reference}")
        try:
            tombstone = person_erase(actor=actor, case=case, reason=options["reason"], channel="cli")
        except NotPermitted:
            raise CommandError(f"--as-user: {actor.email} may not erase persons of this organisation") from None
        except ValidationError as exc:
            raise CommandError(
                "; ".join(f"{field}: {' '.join(msgs)}" for field, msgs in exc.message_dict.items())
            ) from None
        self.stdout.write(f"Erased the person of case {tombstone.reference}; their data key is destroyed.")
