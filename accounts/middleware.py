"""The gate in front of every page: log in, then pass (or enrol) a second factor."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from accounts.second_factor import session_passed_second_factor, user_has_second_factor

# Paths a person may reach before logging in.
PUBLIC_PREFIXES = (
    "/accounts/login/",
    "/accounts/password/reset/",
    "/accounts/2fa/authenticate/",
    "/i18n/",
    "/healthz",
)
# Paths a logged-in person without a second factor may reach, to enrol one.
ENROLMENT_PREFIXES = (
    "/accounts/2fa/",
    "/accounts/logout/",
    "/accounts/reauthenticate/",
    "/i18n/",
)


def _problem(status: int, title: str, detail: str) -> JsonResponse:
    return JsonResponse(
        {"type": "about:blank", "title": title, "status": status, "detail": detail},
        status=status,
        content_type="application/problem+json",
    )


class SecondFactorGateMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.static_prefix = "/" + settings.STATIC_URL.lstrip("/")

    def __call__(self, request: HttpRequest) -> HttpResponse:
        path = request.path_info
        if path.startswith(self.static_prefix):
            return self.get_response(request)
        is_api = path.startswith("/api/")
        if is_api and request.headers.get("Authorization", "").startswith("Token "):
            # Programs authenticate with a token issued by an administrator; DRF checks it.
            return self.get_response(request)
        user = request.user
        if not user.is_authenticated:
            if path.startswith(PUBLIC_PREFIXES):
                return self.get_response(request)
            if is_api:
                return _problem(401, _("Authentication required"), _("Log in or send an API token."))
            login_url = reverse(settings.LOGIN_URL)
            return HttpResponseRedirect(f"{login_url}?{urlencode({'next': request.get_full_path()})}")
        if session_passed_second_factor(request, user):
            return self.get_response(request)
        if path.startswith(ENROLMENT_PREFIXES):
            return self.get_response(request)
        if is_api:
            return _problem(403, _("Second factor required"), _("Verify a second factor before using the API."))
        if user_has_second_factor(user):
            # Has a factor but this session never verified it: log in again.
            return HttpResponseRedirect(reverse("account_logout"))
        return HttpResponseRedirect(reverse("mfa_activate_totp"))
