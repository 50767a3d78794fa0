"""Whether a session has passed a second factor, and the rule that every user must have one."""

from __future__ import annotations

from typing import Any

from allauth.account.authentication import get_authentication_records
from allauth.account.internal.flows.login import record_authentication
from allauth.mfa.models import Authenticator
from allauth.mfa.signals import authenticator_added
from django.http import HttpRequest

from accounts.models import User

SECOND_FACTOR_TYPES = (Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN)


def user_has_second_factor(user: User) -> bool:
    return bool(Authenticator.objects.filter(user=user, type__in=SECOND_FACTOR_TYPES).exists())


def session_passed_second_factor(request: HttpRequest, user: User) -> bool:
    """True when this session's log-in included a verified TOTP, WebAuthn or recovery code."""
    records = get_authentication_records(request, user)
    return any(record.get("method") == "mfa" for record in records)


def _record_enrolment_as_verification(sender: Any, request: HttpRequest, user: User, **kwargs: Any) -> None:
    # Enrolling TOTP or a security key proves possession of the factor (the user just
    # entered a valid code or assertion), so the session counts as second-factor verified.
    if request is not None and getattr(request, "session", None) is not None:
        request.session.cycle_key()
        record_authentication(request, user, "mfa", enrolled=True)


def connect_enrolment_receiver() -> None:
    authenticator_added.connect(_record_enrolment_as_verification, dispatch_uid="passage_enrolment_is_verification")
