"""The cryptographic primitives of the vault, with no Django in them.

- Data: AES-256-GCM under a random per-person data key (DEK), 96-bit random nonce, associated
  data binding table, field and data key, so a ciphertext moved elsewhere fails to open.
- Keys: a DEK is wrapped with AES-256-GCM under a versioned key-encryption key (KEK); the
  associated data binds the KEK version and the DEK's id.
- Blind indexes: HMAC-SHA256 under keys derived with HKDF-SHA256 from a separate index root
  key, one key per (table, field, index), truncated to a configured number of bits.
"""

from __future__ import annotations

import hashlib
import hmac
import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

KEY_BYTES = 32
NONCE_BYTES = 12
FORMAT_PREFIX = b"\x01"  # format version of a sealed value


class DecryptionFailed(Exception):
    """A ciphertext did not authenticate: wrong key, moved, or tampered with. Holds no plaintext."""


def new_key() -> bytes:
    """A fresh random 256-bit key (never derived: a destroyed key must stay destroyed)."""
    return os.urandom(KEY_BYTES)


def aead(key: bytes) -> AESGCM:
    """An AES-256-GCM instance for `key` (build once per key and reuse)."""
    if len(key) != KEY_BYTES:
        raise ValueError("keys are 256 bits")
    return AESGCM(key)


def seal(key: bytes | AESGCM, plaintext: bytes, associated_data: bytes) -> bytes:
    cipher = key if isinstance(key, AESGCM) else aead(key)
    nonce = os.urandom(NONCE_BYTES)
    return FORMAT_PREFIX + nonce + cipher.encrypt(nonce, plaintext, associated_data)


def unseal(key: bytes | AESGCM, sealed: bytes, associated_data: bytes) -> bytes:
    if len(sealed) < 1 + NONCE_BYTES + 16 or sealed[:1] != FORMAT_PREFIX:
        raise DecryptionFailed("malformed ciphertext")
    nonce, body = sealed[1 : 1 + NONCE_BYTES], sealed[1 + NONCE_BYTES :]
    cipher = key if isinstance(key, AESGCM) else aead(key)
    try:
        return cipher.decrypt(nonce, body, associated_data)
    except InvalidTag:
        raise DecryptionFailed("ciphertext did not authenticate") from None


def field_associated_data(table: str, field: str, data_key_id: int) -> bytes:
    return f"passage/field/v1|{table}|{field}|dk:{data_key_id}".encode()


def wrap_associated_data(kek_version: int, data_key_id: int) -> bytes:
    return f"passage/dek/v1|kek:{kek_version}|dk:{data_key_id}".encode()


def key_check_associated_data(kek_version: int) -> bytes:
    return f"passage/key-check/v1|kek:{kek_version}".encode()


def derive_index_key(index_root: bytes, table: str, field: str, index: str) -> bytes:
    """A key for one blind index, separate from every encryption key and from every other index."""
    # Length-prefixed parts, so that no two (table, field, index) triples share an info string.
    info = b"passage/blind-index/v1" + b"".join(
        len(part.encode()).to_bytes(4, "big") + part.encode() for part in (table, field, index)
    )
    return HKDF(algorithm=hashes.SHA256(), length=KEY_BYTES, salt=None, info=info).derive(index_root)


def blind_index_value(index_key: bytes, normalised: str, bits: int) -> str:
    """The truncated HMAC of a normalised value, as hex. Several people share each value by design."""
    if not 1 <= bits <= 256:
        raise ValueError("bits must be between 1 and 256")
    digest = hmac.new(index_key, normalised.encode("utf-8"), hashlib.sha256).digest()
    number = int.from_bytes(digest, "big") >> (256 - bits)
    return f"{number:0{(bits + 3) // 4}x}"


def index_bits_for_population(expected_population: int) -> int:
    """CipherSweet's rule: coincidences C = R / 2^bits with 2 <= C < sqrt(R), so pick the largest
    bits with R / 2^bits >= 2."""
    if expected_population < 4:
        return 1
    bits = 1
    while expected_population / 2 ** (bits + 1) >= 2:
        bits += 1
    return bits
