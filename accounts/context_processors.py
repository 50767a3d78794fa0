from __future__ import annotations

from django.http import HttpRequest

from accounts.models import Role
from accounts.policy import actor_memberships


def membership(request: HttpRequest) -> dict[str, object]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"current_memberships": [], "is_auditor": False}
    memberships = actor_memberships(user)
    return {"current_memberships": memberships, "is_auditor": any(m.role == Role.AUDITOR for m in memberships)}
