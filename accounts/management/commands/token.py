from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from accounts.models import User
from accounts.services import api_token_create, api_token_revoke


class Command(BaseCommand):
    help = "Create or revoke API tokens: `passage token create --user EMAIL`."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="Print a new token for the user (replaces any old one).")
        create.add_argument("--user", required=True, help="E-mail of the user")
        revoke = sub.add_parser("revoke", help="Revoke the user's token.")
        revoke.add_argument("--user", required=True, help="E-mail of the user")

    def handle(self, *args: Any, action: str, user: str, **options: Any) -> None:
        try:
            account = User.objects.get(email__iexact=user.strip(), is_active=True)
        except User.DoesNotExist:
            raise CommandError(f"user: no active user with e-mail {user!r}") from None
        if action == "create":
            self.stdout.write(api_token_create(user=account))
        elif api_token_revoke(user=account):
            self.stdout.write("Token revoked.")
        else:
            raise CommandError("user: this user has no token")
