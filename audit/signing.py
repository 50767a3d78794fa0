"""The Ed25519 key that signs audit checkpoints. It lives in a file, never in the database;
auditors verify with the public key alone."""

from __future__ import annotations

import os
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.conf import settings


class SigningKeyError(Exception):
    pass


def key_name() -> str:
    return str(settings.PASSAGE_AUDIT_KEY_NAME)


def private_key_path() -> Path:
    return Path(settings.PASSAGE_AUDIT_SIGNING_KEY)


def public_key_path() -> Path:
    return private_key_path().with_suffix(".pub")


def create_signing_key() -> Path:
    path = private_key_path()
    if path.exists():
        raise SigningKeyError(f"{path} already exists")
    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(pem)
    public_key_path().write_bytes(
        key.public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    )
    return path


def private_key() -> Ed25519PrivateKey:
    path = private_key_path()
    try:
        key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    except FileNotFoundError:
        raise SigningKeyError(f"audit signing key {path} not found; `passage init` creates it") from None
    except ValueError as exc:
        raise SigningKeyError(f"audit signing key {path} cannot be read") from exc
    if not isinstance(key, Ed25519PrivateKey):
        raise SigningKeyError(f"{path} is not an Ed25519 key")
    return key


def load_public_key(path: Path) -> Ed25519PublicKey:
    try:
        key = serialization.load_pem_public_key(path.read_bytes())
    except FileNotFoundError:
        raise SigningKeyError(f"public key {path} not found") from None
    except ValueError as exc:
        raise SigningKeyError(f"{path} is not a PEM public key") from exc
    if not isinstance(key, Ed25519PublicKey):
        raise SigningKeyError(f"{path} is not an Ed25519 public key")
    return key
