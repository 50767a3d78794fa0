"""Shared by the audit tests: realistic activity, reading the log, and tampering as a database administrator."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.test import Client

from accounts.models import Membership, Organisation, Role, Team, User
from audit import chain, services, triggers
from audit.models import AuditEvent
from conftest import World, verified_client
from registry.models import Case, Custody
from registry.services import case_create, case_update, custody_add

ROOT = Path(__file__).resolve().parents[2]
TABLE = "audit_auditevent"
# The partitions the activity is spread over, as if three workers had done it; six entries each.
PARTITIONS = ((2, "Kang", "Myong Chol"), (5, "Han", "Song Hui"), (11, "Choe", "Kwang Il"))
ENTRIES_PER_CASE = 6


def run_verifier(*args: str | Path) -> subprocess.CompletedProcess[str]:
    """The offline verifier, as an auditor runs it on their own machine."""
    return subprocess.run(
        [sys.executable, "-m", "audit.verify", *(str(arg) for arg in args)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@dataclass
class Desk:
    """Who does the work: an organisation's team with a supervisor and a caseworker."""

    organisation: Organisation
    team: Team
    supervisor: User
    caseworker: User

    @classmethod
    def of(cls, world: World) -> Desk:
        return cls(world.org_a, world.team_a, world.user("supervisor_a"), world.user("caseworker_a"))

    @classmethod
    def create(cls) -> Desk:
        """A small world of its own, for fixtures wider than one test (no password hashing: it is slow)."""
        organisation = Organisation.objects.create(name="Epsilon Office", slug="epsilon", kind="detaining_power")
        team = Team.objects.create(organisation=organisation, name="E desk")
        users = []
        for email, role in (("supervisor@e.test", Role.SUPERVISOR), ("caseworker@e.test", Role.CASEWORKER)):
            user = User.objects.create_user(email, None)
            Membership.objects.create(user=user, organisation=organisation, role=role)
            team.members.add(user)
            users.append(user)
        return cls(organisation, team, *users)


def make_activity(desk: Desk) -> list[Case]:
    """Real work through the services and pages, spread over three partitions as several workers would."""
    created: list[Case] = []
    client = verified_client(desk.caseworker)  # one client: each new one loads the middleware again
    for partition, family, given in PARTITIONS:
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(services, "_partition", lambda partition=partition: partition)
            created.append(_work_on_one_case(desk, client, family, given))
    return created


def _work_on_one_case(desk: Desk, client: Client, family: str, given: str) -> Case:
    supervisor, caseworker = desk.supervisor, desk.caseworker
    case = case_create(
        actor=supervisor,
        organisation=desk.organisation,
        person={"family_name": family, "given_name": given},
        teams=[desk.team],
    )
    assert client.get(f"/cases/{case.reference}/").status_code == 200
    assert client.get(f"/cases/{case.reference}/edit/").status_code == 200
    case = case_update(actor=caseworker, case=case, expected_version=case.version, person={"rank": "Private"})
    custody_add(
        actor=caseworker,
        case=case,
        facility="Transit centre 3",
        kind=Custody.Kind.TRANSIT,
        from_date=dt.date(2025, 3, 1),
    )
    assert client.get(f"/api/v1/cases/{case.reference}/").status_code == 200
    return case


def rows(partition: int) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(partition=partition).order_by("seq"))


@contextmanager
def as_database_administrator() -> Iterator[None]:
    """Get past the append-only triggers the way someone with the database's owner rights would.

    Inside the test's transaction, so everything is rolled back with it. On PostgreSQL the deferred
    foreign-key checks are run first: a table with pending trigger events cannot be altered."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(f"ALTER TABLE {TABLE} DISABLE TRIGGER USER")
        else:
            triggers.remove_sqlite(connection)
    yield
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"ALTER TABLE {TABLE} ENABLE TRIGGER USER")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def execute(sql: str, params: Sequence[Any] = ()) -> int:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return int(cursor.rowcount)


def delete_entry(event: AuditEvent) -> None:
    with as_database_administrator():
        assert execute(f"DELETE FROM {TABLE} WHERE id = %s", [event.pk]) == 1


def set_columns(event: AuditEvent, **values: object) -> None:
    assignments = ", ".join(f"{name} = %s" for name in values)
    with as_database_administrator():
        assert execute(f"UPDATE {TABLE} SET {assignments} WHERE id = %s", [*values.values(), event.pk]) == 1


def rewrite_action(event: AuditEvent, action: str) -> None:
    """Change what an entry says, column and hashed payload alike, as a careful forger would."""
    event.action = action
    set_columns(event, action=action, payload=chain.canonical_payload(services.payload_fields(event)))


def rebuild_partition(partition: int) -> None:
    """Recompute every link of a partition from its (possibly altered) payloads."""
    previous = chain.genesis_hash(partition)
    with as_database_administrator():
        for event in rows(partition):
            current = chain.entry_hash(previous, event.payload)
            execute(f"UPDATE {TABLE} SET prev_hash = %s, entry_hash = %s WHERE id = %s", [previous, current, event.pk])
            previous = current
