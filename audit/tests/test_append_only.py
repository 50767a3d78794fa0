"""The audit log is append-only in the database itself: triggers refuse UPDATE and DELETE, and on
PostgreSQL the application's own role has no privilege to change or remove entries at all."""

from __future__ import annotations

import os
import secrets
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.db import DatabaseError, ProgrammingError, connection, transaction

from audit import chain, triggers
from audit.grants import grant_app_role
from audit.models import AuditEvent
from audit.services import audit_record, entries_in_chain_order
from conftest import World

PASSAGE = str(Path(sys.executable).parent / "passage")
TABLE = "audit_auditevent"

sqlite_only = pytest.mark.skipif(
    connection.vendor != "sqlite", reason="SQLite branch: the append-only triggers of an embedded installation"
)
postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="PostgreSQL only: database roles and the linking trigger"
)


def execute(sql: str, params: list[Any] | None = None) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params or [])


def refused(sql: str, params: list[Any] | None = None, error: type[Exception] = DatabaseError) -> str:
    """Run `sql` in a savepoint, expect `error`, and give its message; the test transaction goes on."""
    with pytest.raises(error) as failure, transaction.atomic():
        execute(sql, params)
    return str(failure.value)


@pytest.fixture
def entry(world: World) -> AuditEvent:
    event = audit_record(actor=world.user("caseworker_a"), kind=AuditEvent.Kind.READ, action="case.view")
    assert event is not None
    return event


# SQLite


@sqlite_only
@pytest.mark.django_db
def test_on_sqlite_an_update_is_refused_once_the_triggers_are_installed(entry: AuditEvent) -> None:
    triggers.install(connection)
    message = refused(f"UPDATE {TABLE} SET action = 'case.list' WHERE id = %s", [entry.pk])
    assert "the audit log is append-only: UPDATE is not allowed" in message
    assert AuditEvent.objects.get(pk=entry.pk).action == "case.view"


@sqlite_only
@pytest.mark.django_db
def test_on_sqlite_a_delete_is_refused_once_the_triggers_are_installed(entry: AuditEvent) -> None:
    triggers.install(connection)
    assert "the audit log is append-only: DELETE is not allowed" in refused(f"DELETE FROM {TABLE}")
    assert AuditEvent.objects.filter(pk=entry.pk).exists()


@sqlite_only
@pytest.mark.django_db
def test_on_sqlite_an_orm_update_is_refused_too(entry: AuditEvent) -> None:
    triggers.install(connection)
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEvent.objects.filter(pk=entry.pk).update(purpose="tidied up")


@sqlite_only
@pytest.mark.django_db
def test_on_sqlite_entries_are_still_appended_and_linked_with_the_triggers_installed(entry: AuditEvent) -> None:
    triggers.install(connection)
    second = audit_record(actor=None, kind=AuditEvent.Kind.SECURITY, action="audit.verify")
    assert second is not None
    assert second.seq > 0
    assert chain.verify_chains(entries_in_chain_order())[1] is None


# A real embedded installation made by `passage init`


@pytest.fixture(scope="module")
def installation(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`passage init` in a fresh PASSAGE_HOME (SQLite), then one audit entry written by the application."""
    home = tmp_path_factory.mktemp("installation")
    env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    env["PASSAGE_HOME"] = str(home)
    init = subprocess.run([PASSAGE, "init"], env=env, capture_output=True, text=True, timeout=120, check=False)
    assert init.returncode == 0, init.stderr
    write = subprocess.run(
        [
            PASSAGE,
            "shell",
            "-c",
            "from audit.services import audit_record; audit_record(actor=None, kind='security', action='test.probe')",
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert write.returncode == 0, write.stderr
    return home / "passage.sqlite3"


def test_passage_init_installs_the_append_only_triggers(installation: Path) -> None:
    with sqlite3.connect(installation) as db:
        names = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")}
    assert {"audit_no_update", "audit_no_delete"} <= names


def test_an_installation_refuses_to_update_an_entry_the_application_wrote(installation: Path) -> None:
    db = sqlite3.connect(installation)
    try:
        assert db.execute(f"SELECT count(*) FROM {TABLE} WHERE action = 'test.probe'").fetchone() == (1,)
        with pytest.raises(sqlite3.IntegrityError, match="append-only: UPDATE is not allowed"):
            db.execute(f"UPDATE {TABLE} SET action = 'case.view'")
    finally:
        db.rollback()
        db.close()


def test_an_installation_refuses_to_delete_an_entry(installation: Path) -> None:
    db = sqlite3.connect(installation)
    try:
        with pytest.raises(sqlite3.IntegrityError, match="append-only: DELETE is not allowed"):
            db.execute(f"DELETE FROM {TABLE}")
        assert db.execute(f"SELECT count(*) FROM {TABLE}").fetchone() == (1,)
    finally:
        db.rollback()
        db.close()


# PostgreSQL


@postgresql_only
@pytest.mark.django_db
def test_on_postgresql_the_table_owner_cannot_update_an_entry(entry: AuditEvent) -> None:
    message = refused(f"UPDATE {TABLE} SET action = 'case.list' WHERE id = %s", [entry.pk])
    assert "the audit log is append-only: UPDATE is not allowed" in message


@postgresql_only
@pytest.mark.django_db
def test_on_postgresql_the_table_owner_cannot_delete_an_entry(entry: AuditEvent) -> None:
    assert "the audit log is append-only: DELETE is not allowed" in refused(
        f"DELETE FROM {TABLE} WHERE id = %s", [entry.pk]
    )
    assert AuditEvent.objects.filter(pk=entry.pk).exists()


@postgresql_only
@pytest.mark.django_db
def test_on_postgresql_the_table_owner_cannot_truncate_the_log(entry: AuditEvent) -> None:
    triggers.install(connection)  # the full set, as migrations install it outside tests
    execute("SET CONSTRAINTS ALL IMMEDIATE")  # pending deferred checks would refuse TRUNCATE for another reason
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        execute(f"TRUNCATE {TABLE}")


@postgresql_only
@pytest.mark.django_db
def test_on_postgresql_the_database_links_each_entry_into_its_chain(entry: AuditEvent) -> None:
    stored = AuditEvent.objects.get(pk=entry.pk)
    assert stored.seq >= 1
    assert bytes(stored.entry_hash) == chain.entry_hash(bytes(stored.prev_hash), stored.payload)
    previous = AuditEvent.objects.filter(partition=stored.partition, seq=stored.seq - 1).first()
    expected_prev = bytes(previous.entry_hash) if previous else chain.genesis_hash(stored.partition)
    assert bytes(stored.prev_hash) == expected_prev


@pytest.fixture
def app_role(world: World):
    """A fresh NOLOGIN role with the application's grants, made inside the test's transaction."""
    role = f"passage_app_{secrets.token_hex(4)}"
    execute(f'CREATE ROLE "{role}" NOLOGIN')
    grant_app_role(connection, role)
    execute(f'SET ROLE "{role}"')
    yield role
    execute("RESET ROLE")


@postgresql_only
@pytest.mark.django_db
def test_the_application_role_still_appends_entries_linked_into_the_chain(app_role: str, world: World) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_user")
        assert cursor.fetchone() == (app_role,)
    before: dict[int, int] = {}
    for partition, seq in AuditEvent.objects.values_list("partition", "seq"):
        before[partition] = max(seq, before.get(partition, 0))
    event = audit_record(actor=world.user("caseworker_a"), kind=AuditEvent.Kind.READ, action="case.view")
    assert event is not None
    stored = AuditEvent.objects.get(pk=event.pk)
    assert stored.seq == before.get(stored.partition, 0) + 1
    assert chain.verify_chains(entries_in_chain_order())[1] is None


@postgresql_only
@pytest.mark.django_db
def test_the_application_role_may_not_update_an_entry(app_role: str, entry: AuditEvent) -> None:
    message = refused(f"UPDATE {TABLE} SET action = 'case.list' WHERE id = %s", [entry.pk], ProgrammingError)
    assert "permission denied" in message


@postgresql_only
@pytest.mark.django_db
def test_the_application_role_may_not_delete_an_entry(app_role: str, entry: AuditEvent) -> None:
    assert "permission denied" in refused(f"DELETE FROM {TABLE} WHERE id = %s", [entry.pk], ProgrammingError)


@postgresql_only
@pytest.mark.django_db
def test_the_application_role_may_not_truncate_the_log(app_role: str, entry: AuditEvent) -> None:
    assert "permission denied" in refused(f"TRUNCATE {TABLE}", error=ProgrammingError)


@postgresql_only
@pytest.mark.django_db
def test_the_refusal_is_psycopgs_insufficient_privilege(app_role: str, entry: AuditEvent) -> None:
    from psycopg import errors

    with pytest.raises(ProgrammingError) as failure, transaction.atomic():
        execute(f"DELETE FROM {TABLE}")
    assert isinstance(failure.value.__cause__, errors.InsufficientPrivilege)
