from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from vault.runtime import key_scope


class DataKeyScopeMiddleware:
    """Unwrap each data key at most once per request, and forget them all when it ends."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with key_scope():
            response = self.get_response(request)
            # Rendering of lazy responses happens here, inside the scope.
            if hasattr(response, "render") and not getattr(response, "is_rendered", True):
                response.render()
            return response
