"""Session authentication for the API that also requires a verified second factor."""

from __future__ import annotations

from typing import Any

from drf_spectacular.authentication import SessionScheme
from rest_framework.authentication import SessionAuthentication
from rest_framework.request import Request

from accounts.second_factor import session_passed_second_factor


class SecondFactorSessionAuthentication(SessionAuthentication):
    def authenticate(self, request: Request) -> tuple[Any, None] | None:
        result = super().authenticate(request)
        if result is None:
            return None
        user, _auth = result
        if not session_passed_second_factor(request._request, user):
            return None
        return result


class SecondFactorSessionScheme(SessionScheme):  # type: ignore[no-untyped-call]
    """Describes the session cookie (after a second factor) in the OpenAPI schema."""

    target_class = "accounts.api_auth.SecondFactorSessionAuthentication"
    name = "secondFactorSession"
    priority = 1
