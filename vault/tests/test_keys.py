"""The key file: created private, refused when missing, readable by others, damaged or wrong."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from vault import runtime
from vault.keys import VaultKeyError, create_key_file, load_key_file
from vault.services import key_checks_ensure, key_file_verify

PASSAGE = str(Path(sys.executable).parent / "passage")


def run_passage(*args: str, home: Path) -> subprocess.CompletedProcess[str]:
    env = {key: value for key, value in os.environ.items() if key not in ("DATABASE_URL", "PASSAGE_KEY_FILE")}
    env["PASSAGE_HOME"] = str(home)
    return subprocess.run([PASSAGE, *args], capture_output=True, text=True, env=env, timeout=120, check=False)


def test_a_new_key_file_is_private_and_loads(tmp_path: Path) -> None:
    path = tmp_path / "keys.json"
    ring = create_key_file(path)
    assert path.stat().st_mode & 0o777 == 0o600
    loaded = load_key_file(path)
    assert loaded.active_version == 1
    assert loaded.kek(1) == ring.kek(1)
    assert loaded.index_root != loaded.kek(1)
    with pytest.raises(VaultKeyError, match="already exists"):
        create_key_file(path)


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (lambda p: p.unlink(), "not found"),
        (lambda p: p.chmod(0o644), "readable by its owner only"),
        (lambda p: p.write_text("{not json"), "cannot be read"),
        (lambda p: p.write_text(json.dumps({"format": "other"})), "not a Passage key file"),
        (
            lambda p: p.write_text(json.dumps({"format": "passage-keys/1", "active": 1})),
            "incomplete or damaged",
        ),
    ],
)
def test_a_bad_key_file_is_refused_with_a_clear_message(tmp_path: Path, damage, message: str) -> None:
    path = tmp_path / "keys.json"
    create_key_file(path)
    damage(path)
    if path.exists():
        path.chmod(path.stat().st_mode & 0o777 if "readable" in message else 0o600)
    with pytest.raises(VaultKeyError, match=message):
        load_key_file(path)


@pytest.mark.django_db
def test_a_key_file_from_another_installation_is_refused(tmp_path: Path, settings) -> None:
    key_checks_ensure()
    key_file_verify()
    settings.PASSAGE_KEY_FILE = str(tmp_path / "other.json")
    create_key_file(tmp_path / "other.json")
    runtime.reset()
    try:
        with pytest.raises(VaultKeyError, match="does not belong to this database"):
            key_file_verify()
    finally:
        runtime.reset()


def test_start_up_without_the_key_file_stops_with_a_message_not_a_traceback(tmp_path: Path) -> None:
    assert run_passage("init", home=tmp_path).returncode == 0
    (tmp_path / "master-keys.json").rename(tmp_path / "elsewhere.json")
    for command in (["serve", "--port", "1"], ["keys", "status"], ["demo", "--no-serve"]):
        result = run_passage(*command, home=tmp_path)
        assert result.returncode != 0, command
        assert "master-keys.json not found" in result.stderr + result.stdout, command
        assert "Traceback" not in result.stderr, command


def test_start_up_with_a_wrong_key_file_stops_with_a_message(tmp_path: Path) -> None:
    assert run_passage("init", home=tmp_path).returncode == 0
    (tmp_path / "master-keys.json").unlink()
    create_key_file(tmp_path / "master-keys.json")
    result = run_passage("serve", "--port", "1", home=tmp_path)
    assert result.returncode == 1
    assert "does not belong to this database" in result.stderr
    assert "Traceback" not in result.stderr
    status = run_passage("keys", "status", home=tmp_path)
    assert status.returncode == 1
    assert "does not belong to this database" in status.stderr
