"""`passage audit checkpoint | export FILE | verify [...] | grant-app-role ROLE`."""

from __future__ import annotations

import re
import secrets
from io import StringIO
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from audit import chain, signing
from audit.models import AuditEvent
from audit.services import audit_record
from audit.tests.helpers import delete_entry
from conftest import World

pytestmark = pytest.mark.django_db


@pytest.fixture
def checkpoints(world: World, settings, tmp_path: Path) -> Path:
    directory = tmp_path / "checkpoints"
    settings.PASSAGE_AUDIT_CHECKPOINT_DIR = str(directory)
    return directory


def run(*args: str) -> str:
    out = StringIO()
    call_command("audit", *args, stdout=out)
    return out.getvalue()


def test_checkpoint_writes_a_checkpoint_file_and_latest_whose_signature_verifies(checkpoints: Path) -> None:
    size = AuditEvent.objects.count()
    output = run("checkpoint")
    written = list(checkpoints.glob("checkpoint-*.txt"))
    assert len(written) == 1
    assert re.fullmatch(rf"checkpoint-\d{{8}}T\d{{6}}Z-{size}\.txt", written[0].name)
    assert f"Checkpoint of {size} entries written to {written[0]}." in output
    latest = (checkpoints / "latest.txt").read_text(encoding="utf-8")
    assert latest == written[0].read_text(encoding="utf-8")
    public_key = signing.load_public_key(signing.public_key_path())
    checkpoint = chain.parse_checkpoint(latest, public_key, signing.key_name())
    assert checkpoint.size == size


def test_export_then_verify_with_the_export_and_the_latest_checkpoint_succeeds(
    checkpoints: Path, tmp_path: Path
) -> None:
    run("checkpoint")
    export = tmp_path / "audit.jsonl"
    size = AuditEvent.objects.count()
    assert f"Exported {size} entries to {export}." in run("export", str(export))
    output = run("verify", "--export", str(export), "--checkpoint", str(checkpoints / "latest.txt"))
    assert output.startswith("OK: ")
    assert f"the first {size} match the signed checkpoint" in output


def test_verify_of_an_export_with_someone_elses_public_key_fails(checkpoints: Path, tmp_path: Path) -> None:
    run("checkpoint")
    export = tmp_path / "audit.jsonl"
    run("export", str(export))
    other = tmp_path / "other.pub"
    other.write_bytes(
        Ed25519PrivateKey.generate()
        .public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    )
    with pytest.raises(CommandError, match="FAILED: checkpoint: the checkpoint is not signed by the key"):
        run(
            "verify",
            "--export",
            str(export),
            "--checkpoint",
            str(checkpoints / "latest.txt"),
            "--public-key",
            str(other),
        )


def test_verify_without_arguments_checks_the_live_log_against_the_latest_checkpoint(checkpoints: Path) -> None:
    run("checkpoint")
    size = AuditEvent.objects.count()
    audit_record(actor=None, kind=AuditEvent.Kind.SECURITY, action="audit.verify")  # appended after it
    output = run("verify")
    assert f"{size + 1} entries" in output
    assert f"the first {size} match the signed checkpoint" in output


def test_verify_without_arguments_uses_the_latest_checkpoint_file(checkpoints: Path) -> None:
    run("checkpoint")
    checkpoint, _problem = chain.checkpoint_for([])
    (checkpoints / "latest.txt").write_text(
        chain.sign_checkpoint(checkpoint, Ed25519PrivateKey.generate(), signing.key_name()), encoding="utf-8"
    )
    with pytest.raises(CommandError, match="not signed by the key"):
        run("verify")


def test_verify_without_arguments_catches_a_cut_tail_of_the_live_log(checkpoints: Path) -> None:
    run("checkpoint")
    last = AuditEvent.objects.order_by("-pk").first()
    assert last is not None
    delete_entry(last)
    with pytest.raises(CommandError, match=rf"FAILED at partition {last.partition}, entry {last.seq}: missing"):
        run("verify")


def test_verify_without_a_checkpoint_says_what_it_cannot_rule_out(checkpoints: Path) -> None:
    output = run("verify")
    assert "no checkpoint given: a cut-off tail or a rebuilt log is not ruled out" in output


def test_checkpoint_without_the_signing_key_fails_with_a_clear_message(
    checkpoints: Path, settings, tmp_path: Path
) -> None:
    settings.PASSAGE_AUDIT_SIGNING_KEY = str(tmp_path / "absent.pem")
    with pytest.raises(CommandError, match=r"audit signing key .*absent\.pem not found; `passage init` creates it"):
        run("checkpoint")
    assert not (checkpoints / "latest.txt").exists()


def test_verify_with_a_checkpoint_but_without_the_public_key_fails_with_a_clear_message(
    checkpoints: Path, settings, tmp_path: Path
) -> None:
    run("checkpoint")
    settings.PASSAGE_AUDIT_SIGNING_KEY = str(tmp_path / "absent.pem")
    with pytest.raises(CommandError, match=r"public key .*absent\.pub not found"):
        run("verify")


def test_checkpoint_refuses_to_sign_a_broken_log(checkpoints: Path) -> None:
    first = AuditEvent.objects.order_by("partition", "seq").first()
    assert first is not None
    delete_entry(first)
    with pytest.raises(CommandError, match=rf"the log is broken, not signing it: partition {first.partition}, entry 2"):
        run("checkpoint")


def test_export_to_a_missing_directory_fails_with_a_command_error(checkpoints: Path, tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="No such file or directory"):
        run("export", str(tmp_path / "missing" / "audit.jsonl"))


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite branch of grant-app-role")
def test_grant_app_role_on_sqlite_explains_that_roles_are_postgresql_only(world: World) -> None:
    with pytest.raises(CommandError, match="database roles exist on PostgreSQL only"):
        run("grant-app-role", "passage_app")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only: database roles")
def test_grant_app_role_on_postgresql_confirms_what_the_role_may_do(world: World) -> None:
    role = f"passage_app_{secrets.token_hex(4)}"
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE ROLE "{role}" NOLOGIN')
    output = run("grant-app-role", role)
    assert f"Role {role} may add audit entries but never change or remove them." in output
    with connection.cursor() as cursor:
        cursor.execute("SELECT has_table_privilege(%s, 'audit_auditevent', 'UPDATE')", [role])
        assert cursor.fetchone() == (False,)
        cursor.execute("SELECT has_table_privilege(%s, 'audit_auditevent', 'INSERT')", [role])
        assert cursor.fetchone() == (True,)
