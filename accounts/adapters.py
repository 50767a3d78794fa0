"""allauth adapters: accounts are created by administrators, never by sign-up; second-factor
secrets are encrypted at rest."""

from __future__ import annotations

from allauth.account.adapter import DefaultAccountAdapter
from allauth.mfa.adapter import DefaultMFAAdapter
from django.http import HttpRequest

from vault.runtime import credential_seal, credential_unseal


class PassageAccountAdapter(DefaultAccountAdapter):  # type: ignore[misc]
    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return False


class PassageMFAAdapter(DefaultMFAAdapter):  # type: ignore[misc]
    """TOTP secrets and recovery-code seeds are encrypted at rest with a key from the key file."""

    def encrypt(self, text: str) -> str:
        return credential_seal(text)

    def decrypt(self, encrypted_text: str) -> str:
        return credential_unseal(encrypted_text)
