"""Template helpers of the lifecycle pages."""

from __future__ import annotations

from collections.abc import Iterable

from django import template

from accounts.models import Membership
from accounts.policy import RECORD_ROLES

register = template.Library()


@register.filter
def forwards_notifications(memberships: Iterable[Membership]) -> bool:
    """Whether one of these memberships forwards Convention notifications (the policy's "event.forward")."""
    return any(membership.role in RECORD_ROLES["event.forward"] for membership in memberships)
