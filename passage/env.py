"""Typed readers for environment settings that fail loudly on bad values."""

from __future__ import annotations

import os
import secrets
from pathlib import Path


class SettingError(Exception):
    """A setting in the environment has a value Passage cannot use."""


def env_str(name: str, default: str = "") -> str:
    """Read `name`, or the contents of the file named by `name_FILE` (for secrets)."""
    file_name = os.environ.get(f"{name}_FILE")
    if file_name:
        try:
            return Path(file_name).read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise SettingError(f"{name}_FILE: cannot read {file_name}: {exc.strerror}") from exc
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise SettingError(f"{name}: expected true or false, got {raw!r}")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise SettingError(f"{name}: expected a whole number, got {raw!r}") from exc


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return list(default)
    return [item.strip() for item in raw.split(",") if item.strip()]


def passage_home() -> Path:
    """The data directory holding the SQLite database and generated secrets."""
    return Path(os.environ.get("PASSAGE_HOME") or Path.cwd() / "var").resolve()


def generated_secret(path: Path, nbytes: int = 48) -> str:
    """Return the secret stored at `path`, creating it (mode 0600) on first use."""
    if path.exists():
        if path.stat().st_mode & 0o077:
            raise SettingError(f"{path}: secret file must not be readable by group or others (chmod 600)")
        value = path.read_text(encoding="utf-8").strip()
        if len(value) < 32:
            raise SettingError(f"{path}: secret is too short or empty; delete it to generate a new one")
        return value
    path.parent.mkdir(parents=True, exist_ok=True)
    value = secrets.token_urlsafe(nbytes)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(value + "\n")
    return value
