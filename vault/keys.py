"""Master keys: the key file (or an external key service), its versions, and the key checks
that tell a wrong key file from the right one. Keys never live in the database."""

from __future__ import annotations

import base64
import datetime as dt
import json
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from vault import crypto

KEY_FILE_FORMAT = "passage-keys/1"


class VaultKeyError(Exception):
    """The master keys cannot be used; the message tells the operator what to do."""


@dataclass
class KekVersion:
    version: int
    key: bytes
    created_at: str
    retired_at: str | None = None


@dataclass
class KeyRing:
    """The contents of a key file: KEK versions, the active one, and the blind-index root key."""

    path: Path
    active_version: int
    versions: dict[int, KekVersion]
    index_root: bytes
    created_at: str = field(default_factory=lambda: dt.datetime.now(dt.UTC).isoformat())

    def kek(self, version: int) -> bytes:
        entry = self.versions.get(version)
        if entry is None or entry.retired_at is not None:
            raise VaultKeyError(f"key version {version} is not in the key file {self.path} (retired or never there)")
        return entry.key

    @property
    def usable_versions(self) -> list[int]:
        return sorted(v for v, entry in self.versions.items() if entry.retired_at is None)


class KeyProvider(Protocol):
    """Wraps and unwraps data keys. The file provider is the default; an external KMS implements
    the same three methods."""

    def active_version(self) -> int: ...

    def wrap(self, version: int, data_key: bytes, associated_data: bytes) -> bytes: ...

    def unwrap(self, version: int, wrapped: bytes, associated_data: bytes) -> bytes: ...


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: str, what: str, path: Path) -> bytes:
    try:
        value = base64.b64decode(text, validate=True)
    except (ValueError, TypeError) as exc:
        raise VaultKeyError(f"key file {path}: {what} is not valid base64") from exc
    if len(value) != crypto.KEY_BYTES:
        raise VaultKeyError(f"key file {path}: {what} must be {crypto.KEY_BYTES} bytes")
    return value


def create_key_file(path: Path) -> KeyRing:
    """Write a new key file (mode 0600) with KEK version 1 and a fresh index root key."""
    if path.exists():
        raise VaultKeyError(f"key file {path} already exists; refusing to overwrite it")
    now = dt.datetime.now(dt.UTC).isoformat()
    ring = KeyRing(
        path=path,
        active_version=1,
        versions={1: KekVersion(1, crypto.new_key(), now)},
        index_root=crypto.new_key(),
        created_at=now,
    )
    save_key_file(ring)
    return ring


def save_key_file(ring: KeyRing) -> None:
    """Replace the key file atomically, keeping it readable by its owner only."""
    document = {
        "format": KEY_FILE_FORMAT,
        "created_at": ring.created_at,
        "active": ring.active_version,
        "kek": {
            str(v.version): {"key": _b64(v.key), "created_at": v.created_at, "retired_at": v.retired_at}
            for v in sorted(ring.versions.values(), key=lambda item: item.version)
        },
        "index_root": _b64(ring.index_root),
    }
    for entry in document["kek"].values():  # type: ignore[attr-defined]
        if entry["retired_at"] is not None:
            entry["key"] = None  # a retired key is destroyed, not archived
    ring.path.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(dir=ring.path.parent, prefix=".keys-")
    try:
        os.fchmod(fd, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(document, handle, indent=2)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, ring.path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def load_key_file(path: Path) -> KeyRing:
    if not path.exists():
        raise VaultKeyError(
            f"key file {path} not found. On a new installation run `passage init`; otherwise restore "
            "the key file from its backup: without it no protected data can be read."
        )
    if path.stat().st_mode & 0o077:
        raise VaultKeyError(f"key file {path} must be readable by its owner only (chmod 600)")
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise VaultKeyError(f"key file {path} cannot be read as a Passage key file") from exc
    if not isinstance(document, dict) or document.get("format") != KEY_FILE_FORMAT:
        raise VaultKeyError(f"key file {path} is not a Passage key file ({KEY_FILE_FORMAT})")
    versions: dict[int, KekVersion] = {}
    try:
        for name, entry in document["kek"].items():
            version = int(name)
            retired = entry.get("retired_at")
            key = b"" if retired else _unb64(entry["key"], f"key version {version}", path)
            versions[version] = KekVersion(version, key, entry.get("created_at", ""), retired)
        active = int(document["active"])
        index_root = _unb64(document["index_root"], "index_root", path)
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        if isinstance(exc, VaultKeyError):
            raise
        raise VaultKeyError(f"key file {path} is incomplete or damaged") from exc
    if active not in versions or versions[active].retired_at is not None:
        raise VaultKeyError(f"key file {path}: the active key version {active} is missing or retired")
    return KeyRing(path, active, versions, index_root, document.get("created_at", ""))


class FileKeyProvider:
    """Key-encryption keys held in the key file."""

    def __init__(self, ring: KeyRing) -> None:
        self.ring = ring
        self._ciphers: dict[int, AESGCM] = {}

    def _cipher(self, version: int) -> AESGCM:
        cipher = self._ciphers.get(version)
        if cipher is None:
            cipher = self._ciphers[version] = crypto.aead(self.ring.kek(version))
        return cipher

    def active_version(self) -> int:
        return self.ring.active_version

    def wrap(self, version: int, data_key: bytes, associated_data: bytes) -> bytes:
        return crypto.seal(self._cipher(version), data_key, associated_data)

    def unwrap(self, version: int, wrapped: bytes, associated_data: bytes) -> bytes:
        return crypto.unseal(self._cipher(version), wrapped, associated_data)
