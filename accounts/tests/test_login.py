"""Logging in: password, then a second factor, for every role; lockout; replay; idle timeout."""

from __future__ import annotations

import datetime as dt
import time

import pytest
import time_machine
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, generate_totp_secret, hotp_value
from axes.models import AccessAttempt
from django.conf import settings
from django.core.cache import cache
from django.test import Client

from accounts.models import Role, User
from conftest import PASSWORD, World


def totp_now(secret: str, offset_steps: int = 0) -> str:
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30 + offset_steps))


@pytest.fixture(autouse=True)
def _clear_cache() -> None:
    cache.clear()


@pytest.fixture
def enrolled(world: World) -> tuple[User, str]:
    user = world.user("caseworker_a")
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return user, secret


def password_step(client: Client, email: str, password: str = PASSWORD) -> str:
    response = client.post("/accounts/login/", {"login": email, "password": password})
    assert response.status_code == 302, response.content[:500]
    return str(response["Location"])


@pytest.mark.django_db
def test_password_alone_does_not_log_in_a_user_with_totp(enrolled: tuple[User, str]) -> None:
    user, _secret = enrolled
    client = Client()
    assert password_step(client, user.email) == "/accounts/2fa/authenticate/"
    response = client.get("/cases/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.django_db
def test_password_and_totp_code_log_in_and_rotate_the_session(enrolled: tuple[User, str]) -> None:
    user, secret = enrolled
    client = Client()
    password_step(client, user.email)
    key_after_password = client.session.session_key
    response = client.post("/accounts/2fa/authenticate/", {"code": totp_now(secret)})
    assert response.status_code == 302
    assert client.session.session_key != key_after_password
    assert client.get("/cases/").status_code == 200
    assert client.get("/api/v1/cases/").status_code == 200


@pytest.mark.django_db
def test_a_wrong_totp_code_is_refused(enrolled: tuple[User, str]) -> None:
    user, secret = enrolled
    client = Client()
    password_step(client, user.email)
    wrong = f"{(int(totp_now(secret)) + 1) % 1_000_000:06d}"
    response = client.post("/accounts/2fa/authenticate/", {"code": wrong})
    assert response.status_code == 200
    assert "code" in response.context["form"].errors
    assert client.get("/cases/").status_code == 302


@pytest.mark.django_db
def test_replaying_a_totp_code_within_its_window_is_refused(enrolled: tuple[User, str]) -> None:
    user, secret = enrolled
    code = totp_now(secret)
    first = Client()
    password_step(first, user.email)
    assert first.post("/accounts/2fa/authenticate/", {"code": code}).status_code == 302
    second = Client()
    password_step(second, user.email)
    response = second.post("/accounts/2fa/authenticate/", {"code": code})
    assert response.status_code == 200
    assert second.get("/cases/").status_code == 302


@pytest.mark.django_db
def test_five_failures_lock_the_account_even_against_the_right_password(world: World) -> None:
    user = world.user("caseworker_a")
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        response = client.post("/accounts/login/", {"login": user.email, "password": "wrong password 123"})
        assert response.status_code in (200, 429)
    locked = client.post("/accounts/login/", {"login": user.email, "password": PASSWORD})
    assert "Too many failed login attempts" in locked.content.decode()
    assert client.get("/cases/").status_code == 302
    # allauth's rate limit lives in the cache; django-axes keeps the lockout in the database.
    cache.clear()
    assert AccessAttempt.objects.get(username=user.email).failures_since_start >= settings.AXES_FAILURE_LIMIT
    again = Client().post("/accounts/login/", {"login": user.email, "password": PASSWORD})
    assert again.status_code != 302 or "/2fa/" not in again["Location"]
    assert Client().get("/cases/").status_code == 302
    other = Client()
    assert other.post("/accounts/login/", {"login": "supervisor@a.test", "password": PASSWORD}).status_code == 302


@pytest.mark.django_db
@pytest.mark.parametrize(
    "role_key",
    [
        "caseworker_a",
        "supervisor_a",
        "media_a",
        "auditor_a",
        "admin_a",
        "protection",
        "receiving",
        "detaining_a",
    ],
)
def test_every_role_without_a_factor_must_enrol_one_before_anything_else(world: World, role_key: str) -> None:
    user = world.user(role_key)
    client = Client()
    password_step(client, user.email)
    for path in ("/", "/cases/", f"/cases/{world.case_a.reference}/", "/admin/"):
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"] == "/accounts/2fa/totp/activate/", path
    api = client.get("/api/v1/cases/")
    assert api.status_code == 403
    assert api.json()["title"] == "Second factor required"


@pytest.mark.django_db(transaction=True)
def test_enrolling_totp_verifies_the_session_and_rotates_it(world: World) -> None:
    # Transactional: allauth announces the new factor on commit, inside the request.
    user = world.user("caseworker_a")
    client = Client()
    password_step(client, user.email)
    # Adding a factor asks for the password again (allauth's reauthentication).
    assert client.get("/accounts/2fa/totp/activate/")["Location"].startswith("/accounts/reauthenticate/")
    assert client.post("/accounts/reauthenticate/", {"password": PASSWORD}).status_code == 302
    page = client.get("/accounts/2fa/totp/activate/")
    assert page.status_code == 200
    secret = page.context["form"].secret
    before = client.session.session_key
    response = client.post("/accounts/2fa/totp/activate/", {"code": totp_now(secret)})
    assert response.status_code == 302
    assert Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
    assert client.session.session_key != before
    assert client.get("/cases/").status_code == 200


@pytest.mark.django_db
def test_a_session_without_a_verified_factor_is_sent_back_to_log_in(enrolled: tuple[User, str]) -> None:
    user, _secret = enrolled
    client = Client()
    client.force_login(user)
    response = client.get("/cases/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/logout/"


@pytest.mark.django_db
def test_an_idle_session_expires(enrolled: tuple[User, str]) -> None:
    user, secret = enrolled
    client = Client()
    password_step(client, user.email)
    client.post("/accounts/2fa/authenticate/", {"code": totp_now(secret)})
    assert client.get("/cases/").status_code == 200
    with time_machine.travel(dt.datetime.now(tz=dt.UTC) + dt.timedelta(seconds=settings.SESSION_COOKIE_AGE + 60)):
        response = client.get("/cases/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.django_db
def test_sign_up_is_closed(world: World) -> None:
    response = Client().post("/accounts/signup/", {"email": "new@x.test", "password1": PASSWORD, "password2": PASSWORD})
    assert not User.objects.filter(email="new@x.test").exists()
    assert response.status_code in (200, 302)


@pytest.mark.django_db
def test_token_authentication_works_for_programs(world: World) -> None:
    from accounts.services import api_token_create

    token = api_token_create(user=world.user("caseworker_a"))
    client = Client()
    ok = client.get("/api/v1/cases/", HTTP_AUTHORIZATION=f"Token {token}")
    assert ok.status_code == 200
    assert [row["reference"] for row in ok.json()["results"]] == [world.case_a.reference]
    bad = client.get("/api/v1/cases/", HTTP_AUTHORIZATION="Token nonsense")
    assert bad.status_code == 401
    assert bad["Content-Type"] == "application/problem+json"


def test_roles_cover_design(db: None) -> None:
    assert {role.value for role in Role} == {
        "caseworker",
        "protection_officer",
        "detaining_liaison",
        "receiving_liaison",
        "media_officer",
        "supervisor",
        "auditor",
        "administrator",
    }


@pytest.mark.django_db
def test_totp_secrets_are_encrypted_at_rest(enrolled: tuple[User, str]) -> None:
    user, secret = enrolled
    stored = Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP).data["secret"]
    assert stored.startswith("pc1:")
    assert secret not in stored
    assert secret.lower() not in stored.lower()
