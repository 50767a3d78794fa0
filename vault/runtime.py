"""The vault at run time: the loaded key ring, the key provider, and the per-request cache of
unwrapped data keys."""

from __future__ import annotations

import base64
import contextvars
import functools
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.db import transaction
from django.utils.module_loading import import_string

from vault import crypto
from vault.keys import KeyProvider, KeyRing, VaultKeyError, load_key_file
from vault.models import DataKey

logger = logging.getLogger("passage.vault")

IDENTITY_PREFIX = b"\x00"  # benchmark-only "cipher": the same code path, no encryption


class KeyDestroyed(Exception):
    """The person's data key was destroyed (crypto-shredded): their data can never be read again."""


class Counters:
    """How often data keys were unwrapped (tests check that a page unwraps each key once)."""

    unwraps = 0


_cached_ring: tuple[Path, KeyRing] | None = None
_scope: contextvars.ContextVar[dict[int, AESGCM] | None] = contextvars.ContextVar("vault_key_scope", default=None)


def key_file_path() -> Path:
    return Path(settings.PASSAGE_KEY_FILE)


def key_ring() -> KeyRing:
    global _cached_ring
    path = key_file_path()
    if _cached_ring is None or _cached_ring[0] != path:
        _cached_ring = (path, load_key_file(path))
    return _cached_ring[1]


_cached_provider: tuple[KeyRing, str, KeyProvider] | None = None


def key_provider() -> KeyProvider:
    global _cached_provider
    ring, path = key_ring(), str(settings.PASSAGE_KEY_PROVIDER)
    if _cached_provider is None or _cached_provider[0] is not ring or _cached_provider[1] != path:
        provider: KeyProvider = import_string(path)(ring)
        _cached_provider = (ring, path, provider)
    return _cached_provider[2]


def reset() -> None:
    """Forget the loaded key file and derived keys (after rotation, or between tests)."""
    global _cached_ring, _cached_provider
    _cached_ring = None
    _cached_provider = None
    index_key.cache_clear()


@contextmanager
def key_scope() -> Iterator[None]:
    """Within this block each data key is unwrapped at most once (one block per request or command)."""
    token = _scope.set({})
    try:
        yield
    finally:
        cache = _scope.get()
        if cache is not None:
            cache.clear()
        _scope.reset(token)


def forget_data_key(data_key_id: int) -> None:
    cache = _scope.get()
    if cache is not None:
        cache.pop(data_key_id, None)


def _identity_cipher() -> bool:
    return bool(settings.PASSAGE_VAULT_CIPHER == "identity")


def data_key_cipher(data_key: DataKey) -> AESGCM:
    cache = _scope.get()
    if cache is not None and data_key.pk in cache:
        return cache[data_key.pk]
    Counters.unwraps += 1
    raw = key_provider().unwrap(
        data_key.kek_version,
        bytes(data_key.wrapped),
        crypto.wrap_associated_data(data_key.kek_version, data_key.pk),
    )
    cipher = crypto.aead(raw)
    if cache is not None:
        cache[data_key.pk] = cipher
    return cipher


@transaction.atomic
def data_key_create() -> DataKey:
    """A new random data key, wrapped under the active key version."""
    provider = key_provider()
    version = provider.active_version()
    data_key = DataKey.objects.create(kek_version=version, wrapped=b"")
    raw = crypto.new_key()
    data_key.wrapped = provider.wrap(version, raw, crypto.wrap_associated_data(version, data_key.pk))
    data_key.save(update_fields=["wrapped"])
    cache = _scope.get()
    if cache is not None:
        cache[data_key.pk] = crypto.aead(raw)
    return data_key


def seal_text(data_key: DataKey, table: str, field: str, plaintext: str) -> str:
    data = plaintext.encode("utf-8")
    if _identity_cipher():
        sealed = IDENTITY_PREFIX + data
    else:
        sealed = crypto.seal(data_key_cipher(data_key), data, crypto.field_associated_data(table, field, data_key.pk))
    return base64.b64encode(sealed).decode("ascii")


def unseal_text(data_key: DataKey, table: str, field: str, stored: str) -> str:
    try:
        sealed = base64.b64decode(stored, validate=True)
    except (ValueError, TypeError):
        raise crypto.DecryptionFailed("stored value is not base64") from None
    if _identity_cipher():
        if sealed[:1] != IDENTITY_PREFIX:
            raise crypto.DecryptionFailed("not an identity-cipher value")
        return sealed[1:].decode("utf-8")
    data = crypto.unseal(data_key_cipher(data_key), sealed, crypto.field_associated_data(table, field, data_key.pk))
    return data.decode("utf-8")


def seal_bytes(data_key: DataKey, table: str, field: str, plaintext: bytes) -> bytes:
    """Binary content (an attachment) sealed as `seal_text` seals text, with the same associated data
    (table, field, data key), returned raw for a binary column."""
    if _identity_cipher():
        return IDENTITY_PREFIX + plaintext
    return crypto.seal(data_key_cipher(data_key), plaintext, crypto.field_associated_data(table, field, data_key.pk))


def unseal_bytes(data_key: DataKey, table: str, field: str, sealed: bytes) -> bytes:
    sealed = bytes(sealed)
    if _identity_cipher():
        if sealed[:1] != IDENTITY_PREFIX:
            raise crypto.DecryptionFailed("not an identity-cipher value")
        return sealed[1:]
    return crypto.unseal(data_key_cipher(data_key), sealed, crypto.field_associated_data(table, field, data_key.pk))


@functools.lru_cache(maxsize=256)
def index_key(table: str, field: str, index: str) -> bytes:
    return crypto.derive_index_key(key_ring().index_root, table, field, index)


def index_bits() -> int:
    bits = int(settings.PASSAGE_VAULT_INDEX_BITS)
    if bits <= 0:
        bits = crypto.index_bits_for_population(int(settings.PASSAGE_VAULT_EXPECTED_POPULATION))
    return bits


def blind_value(table: str, field: str, index: str, normalised: str) -> str:
    return crypto.blind_index_value(index_key(table, field, index), normalised, index_bits())


@functools.lru_cache(maxsize=1)
def _credential_cipher(root: bytes) -> AESGCM:
    key = crypto.derive_index_key(root, "accounts", "credentials", "mfa-secret")
    return crypto.aead(key)


CREDENTIAL_AD = b"passage/credential/v1"
CREDENTIAL_PREFIX = "pc1:"


def credential_seal(text: str) -> str:
    """Encrypt a login credential (a TOTP secret) with a key derived from the key file."""
    sealed = crypto.seal(_credential_cipher(key_ring().index_root), text.encode("utf-8"), CREDENTIAL_AD)
    return CREDENTIAL_PREFIX + base64.b64encode(sealed).decode("ascii")


def credential_unseal(stored: str) -> str:
    if not stored.startswith(CREDENTIAL_PREFIX):
        raise crypto.DecryptionFailed("not a sealed credential")
    sealed = base64.b64decode(stored[len(CREDENTIAL_PREFIX) :], validate=True)
    return crypto.unseal(_credential_cipher(key_ring().index_root), sealed, CREDENTIAL_AD).decode("utf-8")


def check_identity_cipher_allowed() -> None:
    if _identity_cipher() and not settings.PASSAGE_BENCHMARK_MODE:
        raise VaultKeyError("PASSAGE_VAULT_CIPHER=identity is only allowed in benchmark runs")
