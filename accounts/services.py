"""Account writes: API tokens."""

from __future__ import annotations

from django.db import transaction
from knox.models import AuthToken

from accounts.models import User
from audit.models import AuditEvent
from audit.services import audit_record


@transaction.atomic
def api_token_create(*, user: User, actor_label: str = "cli") -> str:
    """Issue a new API token for `user`, replacing any previous one. Only its hash is stored (knox);
    the token itself is returned once, here, and expires after PASSAGE_API_TOKEN_TTL_DAYS."""
    AuthToken.objects.filter(user=user).delete()
    _instance, token = AuthToken.objects.create(user=user)
    audit_record(
        actor=user,
        kind=AuditEvent.Kind.SECURITY,
        action="token.create",
        object_type="user",
        object_id=user.pk,
        purpose=f"issued by {actor_label}",
        channel="cli",
    )
    return str(token)


@transaction.atomic
def api_token_revoke(*, user: User, actor_label: str = "cli") -> bool:
    deleted, _ = AuthToken.objects.filter(user=user).delete()
    if deleted:
        audit_record(
            actor=user,
            kind=AuditEvent.Kind.SECURITY,
            action="token.revoke",
            object_type="user",
            object_id=user.pk,
            purpose=f"revoked by {actor_label}",
            channel="cli",
        )
    return bool(deleted)
