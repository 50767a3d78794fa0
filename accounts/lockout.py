"""How django-axes finds the account an attempt was for (allauth logs in by e-mail)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest


def login_name(request: HttpRequest, credentials: dict[str, Any] | None) -> str | None:
    value = (credentials or {}).get("email") or (credentials or {}).get("username")
    if not value and request is not None and request.method == "POST":
        value = request.POST.get("login")
    return str(value).strip().lower() if value else None
