"""System check: the key file must be present, private and well-formed before anything starts."""

from __future__ import annotations

from typing import Any

from django.core.checks import CheckMessage, Error, register

from vault import runtime
from vault.keys import VaultKeyError


@register("vault")
def key_file_check(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    try:
        runtime.reset()
        runtime.key_ring()
        runtime.check_identity_cipher_allowed()
    except VaultKeyError as exc:
        return [Error(str(exc), id="vault.E001")]
    return []
