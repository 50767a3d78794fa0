"""The `passage` command line: help, init, serve, demo and tokens."""

from __future__ import annotations

import datetime as dt
import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError
from knox.models import AuthToken

from accounts.models import Membership, Organisation, Role, User
from consent.models import MediaRequest, Release, TakedownRequest
from consent.selectors import consented_pairs
from consent.services.releases import release_cases, release_unmet
from correspondence.models import Correspondence, Delivery
from passage.demo import DEMO_DUPLICATES
from protection.models import CaseEvent
from protection.stages import Stage
from registry.models import Case, Custody, DuplicateCandidate

PASSAGE = str(Path(sys.executable).parent / "passage")


def run_passage(*args: str, home: Path, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    env["PASSAGE_HOME"] = str(home)
    return subprocess.run([PASSAGE, *args], capture_output=True, text=True, env=env, timeout=timeout, check=False)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_help_lists_the_passage_commands(tmp_path: Path) -> None:
    result = run_passage("--help", home=tmp_path)
    assert result.returncode == 0
    for command in ("init", "demo", "serve", "import", "token"):
        assert f"    {command}\n" in result.stdout


def test_init_creates_a_private_home_with_a_generated_secret(tmp_path: Path) -> None:
    home = tmp_path / "home"
    result = run_passage("init", home=home)
    assert result.returncode == 0, result.stderr
    assert (home / "passage.sqlite3").exists()
    assert (home / "secret-key").stat().st_mode & 0o777 == 0o600
    assert home.stat().st_mode & 0o777 == 0o700


def test_a_secret_readable_by_others_stops_start_up_with_a_clear_message(tmp_path: Path) -> None:
    (tmp_path / "secret-key").write_text("x" * 64)
    (tmp_path / "secret-key").chmod(0o644)
    result = run_passage("init", home=tmp_path)
    assert result.returncode == 2
    assert "secret file must not be readable by group or others" in result.stderr
    assert "Traceback" not in result.stderr


def test_serve_answers_on_the_chosen_port_and_sends_strangers_to_log_in(tmp_path: Path) -> None:
    assert run_passage("init", home=tmp_path).returncode == 0
    port = free_port()
    env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    env["PASSAGE_HOME"] = str(tmp_path)
    server = subprocess.Popen(
        [PASSAGE, "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as response:
                    assert response.read() == b"ok"
                    break
            except (urllib.error.URLError, ConnectionError):
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)

        class NoRedirect(urllib.request.HTTPRedirectHandler):
            def redirect_request(self, *args, **kwargs):
                return None

        opener = urllib.request.build_opener(NoRedirect)
        with pytest.raises(urllib.error.HTTPError) as caught:
            opener.open(f"http://127.0.0.1:{port}/cases/", timeout=5)
        assert caught.value.code == 302
        assert caught.value.headers["Location"].startswith("/accounts/login/")
    finally:
        server.terminate()
        server.wait(timeout=10)


@pytest.mark.django_db
def test_demo_loads_fictional_people_every_role_and_writes_the_logins(tmp_path: Path, settings, capsys) -> None:
    settings.PASSAGE_HOME = tmp_path
    call_command("demo", no_serve=True, seed=7, persons=60)  # `make run` loads 240; 60 reach every stage
    output = capsys.readouterr().out
    # 60 persons, and up to DEMO_DUPLICATES captured prisoners registered a second time in another spelling,
    # each found by duplicate detection.
    registered_again = Case.objects.count() - 60
    assert 1 <= registered_again <= DEMO_DUPLICATES
    assert DuplicateCandidate.objects.filter(status="open").count() >= registered_again
    assert {org.kind for org in Organisation.objects.all()} == set(Organisation.Kind.values)
    assert set(Membership.objects.values_list("role", flat=True)) == set(Role.values)
    assert set(Case.objects.values_list("stage", flat=True)) == set(Stage.values)
    assert {case.stage for case in Case.objects.filter(entry_route="defector")} <= {
        Stage.PROTECTION_REQUESTED,
        Stage.ACCEPTED,
        Stage.TRANSFER_SCHEDULED,
        Stage.TRANSFERRED,
        Stage.SCREENING,
        Stage.PROTECTION_GRANTED,
        Stage.PROTECTION_DENIED,
        Stage.HANAWON,
        Stage.RESIDENCE_PROTECTION,
        Stage.SETTLED,
        Stage.THIRD_COUNTRY,
    }
    logins = json.loads((tmp_path / "demo-logins.json").read_text())
    assert (tmp_path / "demo-logins.json").stat().st_mode & 0o777 == 0o600
    assert {login["role"] for login in logins} == set(Role.values)
    for login in logins:
        assert set(login) == {"email", "role", "organisation", "password", "totp_secret"}
        user = User.objects.get(email=login["email"])
        assert user.check_password(login["password"])
        assert login["email"] in output and login["totp_secret"] in output
    assert_demo_shows_media_releases_and_correspondence(output)
    # Running it again keeps the data and prints the same logins with fresh codes.
    call_command("demo", no_serve=True)
    assert Organisation.objects.count() == 4


def assert_demo_shows_media_releases_and_correspondence(output: str) -> None:
    """What the 60-person demo holds of media requests, releases and correspondence (passage.demo), and
    that the printed summary says where to find them."""
    media_officer = User.objects.get(email="media@passage.example")
    ngo_supervisor = User.objects.get(email="ngo-supervisor@passage.example")
    caseworker = User.objects.get(email="caseworker@passage.example")
    # Media requests: one approved by the supervisor on live consents, one awaiting review, one draft.
    assert sorted(MediaRequest.objects.values_list("status", flat=True)) == ["approved", "draft", "in_review"]
    assert set(MediaRequest.objects.values_list("created_by", flat=True)) == {media_officer.pk}
    approved = MediaRequest.objects.get(status="approved")
    assert approved.reviewed_by == ngo_supervisor
    persons = list(approved.persons.filter(withdrawn_at__isnull=True).values_list("case__person_id", flat=True))
    assert len(persons) == 2
    wanted = {(person, purpose) for person in persons for purpose in approved.purposes}
    assert consented_pairs(persons, approved.purposes) == wanted
    # Releases: two released, a draft its findings and a missing consent block, and one cancelled by a
    # revocation that also opened a takedown follow-up for the letter already released.
    assert sorted(Release.objects.values_list("status", flat=True)) == ["cancelled", "draft", "released", "released"]
    draft = Release.objects.get(status="draft")
    assert {"findings", "consent"} <= {problem.rule for problem in release_unmet(caseworker, draft, "submit")}
    cancelled = Release.objects.get(status="cancelled")
    assert cancelled.cancel_reason == Release.CancelReason.CONSENT_REVOKED
    takedown = TakedownRequest.objects.select_related("release", "consent").get()
    assert (takedown.status, takedown.release.status) == ("open", "released")
    assert takedown.consent.revoked_at is not None
    assert release_cases(takedown.release) == release_cases(cancelled) == [takedown.case]
    # Correspondence: capture cards within the week (GC III Art. 70), a letter from home censored, translated,
    # with an enclosed note and handed over, the reply and an open letter sent.
    assert {
        ("out", "capture_card_family", "sent"),
        ("out", "capture_card_agency", "sent"),
        ("in", "letter", "delivered"),
        ("out", "message", "sent"),
        ("out", "letter", "sent"),
    } <= set(Correspondence.objects.values_list("direction", "kind", "status"))
    card = Correspondence.objects.get(kind="capture_card_family")
    custody = Custody.objects.get(case=card.case, to_date__isnull=True)
    assert card.sent_on is not None
    assert custody.from_date <= card.sent_on <= custody.from_date + dt.timedelta(days=7)
    assert CaseEvent.objects.filter(case=card.case, kind="capture_card_sent", occurred_on=card.sent_on).exists()
    from_home = Correspondence.objects.get(direction="in")
    assert from_home.censored_by_state == "XD" and from_home.translations.filter(language="en").exists()
    assert list(from_home.attachments.values_list("content_type", flat=True)) == ["text/plain"]
    # Deliveries: to the family through the agency, redacted as the check required; to the press only
    # through a release, released with the companion's details redacted.
    family = Delivery.objects.select_related("correspondence").get(channel=Delivery.Channel.FAMILY)
    assert (family.status, family.version, family.correspondence.kind) == ("sent", "redacted", "message")
    assert str(family.text_sent) != str(family.correspondence.content)
    press = Delivery.objects.select_related("release").get(channel=Delivery.Channel.PRESS)
    assert press.release is not None and press.release.status == Release.Status.RELEASED
    assert (press.current_status, press.current_version) == ("sent", "redacted")
    assert not Delivery.objects.filter(channel=Delivery.Channel.PRESS, release__isnull=True).exists()
    assert "/media-requests/ and /releases/" in output
    for case in (card.case, from_home.case, press.correspondence.case):
        assert case.reference in output


@pytest.mark.django_db
def test_demo_logins_work_with_their_printed_codes(tmp_path: Path, settings) -> None:
    from django.test import Client

    from accounts.tests.test_login import totp_now

    settings.PASSAGE_HOME = tmp_path
    call_command("demo", no_serve=True, persons=5)
    login = next(
        item for item in json.loads((tmp_path / "demo-logins.json").read_text()) if item["role"] == "caseworker"
    )
    client = Client()
    client.post("/accounts/login/", {"login": login["email"], "password": login["password"]})
    client.post("/accounts/2fa/authenticate/", {"code": totp_now(login["totp_secret"])})
    assert client.get("/cases/").status_code == 200


@pytest.mark.django_db
def test_token_create_prints_a_working_token_and_refuses_unknown_users(world, capsys) -> None:
    from django.test import Client

    call_command("token", "create", user="caseworker@a.test")
    token = capsys.readouterr().out.strip()
    assert len(token) == 64
    assert Client().get("/api/v1/cases/", HTTP_AUTHORIZATION=f"Token {token}").status_code == 200
    stored = AuthToken.objects.get(user__email="caseworker@a.test")
    assert token not in (stored.digest, stored.token_key)  # only a hash and a short prefix are kept
    assert stored.expiry is not None  # and it expires (PASSAGE_API_TOKEN_TTL_DAYS)
    with time_machine.travel(stored.expiry + dt.timedelta(minutes=1)):
        assert Client().get("/api/v1/cases/", HTTP_AUTHORIZATION=f"Token {token}").status_code == 401
    call_command("token", "create", user="caseworker@a.test")
    token = capsys.readouterr().out.strip()
    with pytest.raises(CommandError, match="no active user"):
        call_command("token", "create", user="nobody@a.test")
    call_command("token", "revoke", user="caseworker@a.test")
    assert Client().get("/api/v1/cases/", HTTP_AUTHORIZATION=f"Token {token}").status_code == 401


def test_demo_starts_from_an_empty_home_as_make_run_does(tmp_path: Path) -> None:
    result = run_passage("demo", "--no-serve", "--persons", "3", home=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "caseworker@passage.example" in result.stdout
    assert (tmp_path / "master-keys.json").exists()
    assert (tmp_path / "audit-signing-key.pem").exists()
    again = run_passage("demo", "--no-serve", home=tmp_path)
    assert again.returncode == 0, again.stderr
    assert "Demo data already loaded." in again.stdout
