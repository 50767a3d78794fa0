"""The base fixture: two organisations with every role, plus the bodies a case is shared with.

Organisation A (`alpha-bureau`, detaining power) owns the case `case_a`, assigned to its team
"A desk". Organisation B (`beta-ngo`) has the same roles and sees nothing of A. A neutral
protection body's team has the case shared with it; a receiving state's team does not.
"""

from __future__ import annotations

import hashlib
import os
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from allauth.account.authentication import AUTHENTICATION_METHODS_SESSION_KEY
from django.core.cache import cache
from django.test import Client
from django.utils import translation
from pytest_django import DjangoDbBlocker

from accounts.models import Membership, Organisation, Role, Team, User
from registry.models import Case, CaseAssignment, Person
from registry.services import AliasInput, case_create

PASSWORD = "correct horse battery staple 1"


def pytest_configure(config: pytest.Config) -> None:
    from django.conf import settings

    from audit import signing
    from vault import runtime
    from vault.keys import create_key_file

    settings.STATIC_ROOT.mkdir(parents=True, exist_ok=True)
    if not runtime.key_file_path().exists():
        create_key_file(runtime.key_file_path())
    if not signing.private_key_path().exists():
        signing.create_signing_key()
    # Test databases are flushed between tests; the append-only tests install the full triggers.
    settings.PASSAGE_AUDIT_FLUSHABLE_FOR_TESTS = True
    settings.PASSAGE_TASKS_INLINE = True


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix: None) -> None:
    """Name the test databases after this checkout (PostgreSQL) or this run (SQLite), so that two runs on
    one machine (a fresh clone being checked while CI runs, say) never flush or drop each other's."""
    from django.conf import settings

    checkout = hashlib.sha256(str(Path(__file__).resolve().parent).encode()).hexdigest()[:8]
    for database in settings.DATABASES.values():
        test_settings = database.setdefault("TEST", {})
        if database["ENGINE"].endswith("sqlite3"):
            # A file in PASSAGE_HOME, one per test run, so that runs in parallel never share it.
            if test_settings.get("NAME"):
                path = Path(test_settings["NAME"])
                test_settings["NAME"] = str(path.with_name(f"{path.stem}-{os.getpid()}{path.suffix}"))
            continue
        base = test_settings.get("NAME") or f"test_{database['NAME']}"
        test_settings["NAME"] = f"{base}_{checkout}"


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: None, django_db_blocker: DjangoDbBlocker) -> Iterator[None]:
    """pytest-django's test databases, and, before it drops them, an end to any session a thread of
    the tests left open on PostgreSQL (a live server's, a concurrency test's): otherwise the drop fails
    with "being accessed by other users" and the database stays behind on the server."""
    yield
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )


@pytest.fixture(autouse=True)
def _private_erasure_list(settings: pytest.FixtureRequest, tmp_path: Path) -> None:
    settings.PASSAGE_ERASURE_LIST = str(tmp_path / "erasures.jsonl")  # type: ignore[attr-defined]


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings: pytest.FixtureRequest) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # type: ignore[attr-defined]


@pytest.fixture(autouse=True)
def _english_by_default() -> Iterator[None]:
    """Requests in Korean leave Korean active in the thread; each test starts in English."""
    translation.activate("en")
    cache.clear()  # used-TOTP-code and rate-limit records from earlier tests
    yield
    translation.deactivate()


@dataclass
class World:
    org_a: Organisation
    org_b: Organisation
    protection_body: Organisation
    receiving_state: Organisation
    team_a: Team
    team_a2: Team
    team_b: Team
    team_protection: Team
    team_receiving: Team
    users: dict[str, User]
    case_a: Case
    case_b: Case

    def user(self, key: str) -> User:
        return self.users[key]


def make_user(email: str, organisation: Organisation, role: str, teams: list[Team] = ()) -> User:  # type: ignore[assignment]
    user = User.objects.create_user(email, PASSWORD)
    Membership.objects.create(user=user, organisation=organisation, role=role)
    for team in teams:
        team.members.add(user)
    return user


@pytest.fixture
def world(db: None) -> World:
    org_a = Organisation.objects.create(name="Alpha Bureau", slug="alpha-bureau", kind="detaining_power")
    org_b = Organisation.objects.create(name="Beta NGO", slug="beta-ngo", kind="ngo")
    protection_body = Organisation.objects.create(name="Gamma Committee", slug="gamma", kind="protection_body")
    receiving_state = Organisation.objects.create(
        name="Delta Mission", slug="delta", kind="receiving_state", country_code="KR"
    )
    team_a = Team.objects.create(organisation=org_a, name="A desk")
    team_a2 = Team.objects.create(organisation=org_a, name="A second desk")
    team_b = Team.objects.create(organisation=org_b, name="B desk")
    team_protection = Team.objects.create(organisation=protection_body, name="Interviews")
    team_receiving = Team.objects.create(organisation=receiving_state, name="Liaison")
    users: dict[str, User] = {}
    for org, team, suffix in ((org_a, team_a, "a"), (org_b, team_b, "b")):
        users[f"caseworker_{suffix}"] = make_user(f"caseworker@{suffix}.test", org, Role.CASEWORKER, [team])
        users[f"supervisor_{suffix}"] = make_user(f"supervisor@{suffix}.test", org, Role.SUPERVISOR, [team])
        users[f"detaining_{suffix}"] = make_user(f"detaining@{suffix}.test", org, Role.DETAINING_LIAISON, [team])
        users[f"media_{suffix}"] = make_user(f"media@{suffix}.test", org, Role.MEDIA_OFFICER, [team])
        users[f"auditor_{suffix}"] = make_user(f"auditor@{suffix}.test", org, Role.AUDITOR, [team])
        users[f"admin_{suffix}"] = make_user(f"admin@{suffix}.test", org, Role.ADMINISTRATOR, [team])
    users["caseworker_a_other_team"] = make_user("other-team@a.test", org_a, Role.CASEWORKER, [team_a2])
    users["protection"] = make_user(
        "protection@gamma.test", protection_body, Role.PROTECTION_OFFICER, [team_protection]
    )
    # A second neutral officer: decides on wishes that `protection` verified (the decider never interviews).
    users["protection_2"] = make_user(
        "protection-2@gamma.test", protection_body, Role.PROTECTION_OFFICER, [team_protection]
    )
    users["receiving"] = make_user("receiving@delta.test", receiving_state, Role.RECEIVING_LIAISON, [team_receiving])
    case_a = case_create(
        actor=users["supervisor_a"],
        organisation=org_a,
        person={
            "family_name": "Ri",
            "given_name": "Chol Su",
            "family_name_hangul": "리",
            "given_name_hangul": "철수",
            "date_of_birth": "1999-04",
            "place_of_origin": "Hamhung",
            "unit": "Unit 40001",
            "rank": "Sergeant",
        },
        aliases=[AliasInput(name="Lee Cheol-su")],
        teams=[team_a],
    )
    CaseAssignment.objects.create(case=case_a, team=team_protection)
    case_b = case_create(
        actor=users["supervisor_b"],
        organisation=org_b,
        person={
            "family_name": "Pak",
            "given_name": "Yong Nam",
            "family_name_hangul": "박",
            "given_name_hangul": "용남",
        },
        teams=[team_b],
    )
    return World(
        org_a,
        org_b,
        protection_body,
        receiving_state,
        team_a,
        team_a2,
        team_b,
        team_protection,
        team_receiving,
        users,
        case_a,
        case_b,
    )


def verified_client(user: User) -> Client:
    """A client logged in as `user` whose session has passed a second factor."""
    client = Client()
    client.force_login(user)
    session = client.session
    session[AUTHENTICATION_METHODS_SESSION_KEY] = [
        {"method": "password", "at": time.time(), "email": user.email},
        {"method": "mfa", "at": time.time(), "type": "totp"},
    ]
    session["account_authentication_methods_user"] = str(user.pk)
    session.save()
    return client


@pytest.fixture
def client_for() -> Callable[[User], Client]:
    return verified_client


def persons_named(*given_names: str) -> list[Person]:
    """Persons whose given name is one of `given_names` (names are encrypted: decrypt and compare)."""
    wanted = set(given_names)
    return [
        person
        for person in Person.objects.filter(erased_at__isnull=True).select_related("data_key")
        if person.given_name in wanted
    ]


def person_named(given_name: str) -> Person:
    found = persons_named(given_name)
    assert len(found) == 1, f"{len(found)} persons named {given_name!r}"
    return found[0]


def case_named(given_name: str) -> Case:
    return Case.objects.get(person=person_named(given_name))
