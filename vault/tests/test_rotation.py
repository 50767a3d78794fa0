"""Key rotation: rewrap every data key under a new version, resume after an interruption,
destroy the old version, and everything still decrypts."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from conftest import World
from registry.models import Alias, Custody, Person
from registry.services import case_create, custody_add
from vault import runtime
from vault.keys import FileKeyProvider, VaultKeyError
from vault.models import DataKey
from vault.services import data_keys_rewrap, key_rotation_start, key_version_retire


@pytest.fixture
def own_key_file(tmp_path: Path, settings) -> Iterator[Path]:
    """Rotation rewrites the key file: give each test its own copy."""
    path = tmp_path / "keys.json"
    shutil.copy(runtime.key_file_path(), path)
    path.chmod(0o600)
    settings.PASSAGE_KEY_FILE = str(path)
    runtime.reset()
    yield path
    runtime.reset()


def everything_decrypts() -> list[str]:
    runtime.reset()
    values = []
    for person in Person.objects.select_related("data_key").order_by("pk"):
        values += [person.family_name, person.given_name, person.unit, person.date_of_birth]
    values += [alias.name for alias in Alias.objects.select_related("person__data_key").order_by("pk")]
    values += [record.facility for record in Custody.objects.select_related("person__data_key").order_by("pk")]
    assert all(not value.startswith("[unreadable]") for value in values)
    return values


@pytest.fixture
def many_persons(world: World) -> World:
    for index in range(11):
        case = case_create(
            actor=world.user("caseworker_a"),
            organisation=world.org_a,
            person={"family_name": "Han", "given_name": f"Il Nam {index}", "unit": "Unit 1"},
        )
        custody_add(
            actor=world.user("caseworker_a"),
            case=case,
            facility=f"Camp {index}",
            kind="camp",
            from_date=case.created_at.date(),
        )
    return world


@pytest.mark.django_db
def test_rotation_rewraps_every_key_and_the_old_version_can_then_be_destroyed(
    many_persons: World, own_key_file: Path, capsys
) -> None:
    before = everything_decrypts()
    wrapped_before = dict(DataKey.objects.values_list("pk", "wrapped"))
    call_command("keys", "rotate", "--retire-old")
    output = capsys.readouterr().out
    assert "Rewrapped 13 data key(s) under version 2" in output
    assert "Key version 1 destroyed" in output
    assert set(DataKey.objects.values_list("kek_version", flat=True)) == {2}
    assert all(
        bytes(wrapped_before[pk]) != bytes(wrapped) for pk, wrapped in DataKey.objects.values_list("pk", "wrapped")
    )
    document = json.loads(own_key_file.read_text())
    assert document["active"] == 2
    assert document["kek"]["1"]["key"] is None
    assert document["kek"]["1"]["retired_at"]
    assert own_key_file.stat().st_mode & 0o777 == 0o600
    assert everything_decrypts() == before
    call_command("keys", "status")
    assert "version 1: retired, 0 data key(s)" in capsys.readouterr().out


@pytest.mark.django_db
def test_an_interrupted_rotation_resumes_and_keys_left_behind_are_reported(
    many_persons: World, own_key_file: Path, monkeypatch, capsys
) -> None:
    before = everything_decrypts()
    target = key_rotation_start()
    calls = {"n": 0}
    original = FileKeyProvider.wrap

    def failing_wrap(self, version, data_key, associated_data):
        calls["n"] += 1
        if calls["n"] > 5:
            raise KeyboardInterrupt  # the operator pressed Ctrl-C, or the machine went down
        return original(self, version, data_key, associated_data)

    monkeypatch.setattr(FileKeyProvider, "wrap", failing_wrap)
    with pytest.raises(KeyboardInterrupt):
        data_keys_rewrap(target_version=target, batch_size=2)
    monkeypatch.setattr(FileKeyProvider, "wrap", original)
    versions = list(DataKey.objects.values_list("kek_version", flat=True))
    assert versions.count(2) == 4  # two whole batches committed, the third rolled back
    assert versions.count(1) == 9
    assert everything_decrypts() == before
    with pytest.raises(VaultKeyError, match="9 data key"):
        key_version_retire(1)
    call_command("keys", "status")
    assert "9 data key(s) are not on the active version" in capsys.readouterr().out
    call_command("keys", "rotate", "--resume", "--retire-old")
    assert set(DataKey.objects.values_list("kek_version", flat=True)) == {2}
    assert everything_decrypts() == before


@pytest.mark.django_db
def test_the_active_version_cannot_be_retired(world: World, own_key_file: Path) -> None:
    with pytest.raises(CommandError, match="active version"):
        call_command("keys", "retire", "1")


@pytest.mark.django_db
def test_new_persons_after_rotation_use_the_new_version(world: World, own_key_file: Path) -> None:
    key_rotation_start()
    case = case_create(
        actor=world.user("caseworker_a"),
        organisation=world.org_a,
        person={"family_name": "Jo", "given_name": "Song"},
    )
    assert DataKey.objects.get(pk=case.person.data_key_id).kek_version == 2
