"""The API of the disclosure check, media requests and releases, and `passage disclosure check`:
problem details naming the field and the reason, 409 listing every unmet condition, the denials."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client

from conftest import World, verified_client
from consent.models import MediaRequest, Purpose
from consent.tests.helpers import consent

TEXT = "Ri Chol Su, 26, a sergeant from Hamhung, thanks everyone. His mother is well."


def api(world: World, who: str) -> Client:
    return verified_client(world.user(who))


def post(client: Client, url: str, body: dict[str, object]) -> object:
    return client.post(url, json.dumps(body), content_type="application/json")


# --- The disclosure check -----------------------------------------------------------------------


@pytest.mark.django_db
def test_the_check_answers_findings_with_references_and_the_redacted_text(world: World) -> None:
    response = post(api(world, "caseworker_a"), "/api/v1/disclosure/check/", {"text": TEXT})
    body = response.json()  # type: ignore[attr-defined]
    assert response.status_code == 200 and body["is_clean"] is False  # type: ignore[attr-defined]
    name = next(f for f in body["findings"] if f["kind"] == "name")
    assert (
        name["text"] == "Ri Chol Su" and name["references"] == [world.case_a.reference] and name["hidden_persons"] == 0
    )
    assert name["severity"] == "identifying" and name["replacement"] == "[NAME]"
    assert "Ri Chol Su" not in body["redacted_text"]


@pytest.mark.django_db
def test_the_check_hides_references_a_user_may_not_see(world: World) -> None:
    body = post(api(world, "caseworker_b"), "/api/v1/disclosure/check/", {"text": TEXT}).json()  # type: ignore[attr-defined]
    name = next(f for f in body["findings"] if f["kind"] == "name")
    assert name["references"] == [] and name["hidden_persons"] == 1


@pytest.mark.django_db
def test_a_clean_text_is_clean(world: World) -> None:
    body = post(
        api(world, "media_a"), "/api/v1/disclosure/check/", {"text": "The committee visited the camp today."}
    ).json()  # type: ignore[attr-defined]
    assert body["is_clean"] is True


@pytest.mark.django_db
def test_bad_input_names_the_field(world: World) -> None:
    response = post(api(world, "caseworker_a"), "/api/v1/disclosure/check/", {"text": "  "})
    assert response.status_code == 400  # type: ignore[attr-defined]
    assert response["Content-Type"] == "application/problem+json"  # type: ignore[index]
    assert response.json()["errors"][0]["field"] == "text"  # type: ignore[attr-defined]
    unknown = post(api(world, "caseworker_a"), "/api/v1/disclosure/check/", {"text": TEXT, "cases": ["PSG-ZZZZ-ZZZZ"]})
    assert unknown.json()["errors"][0]["field"] == "cases"  # type: ignore[attr-defined]


@pytest.mark.django_db
def test_roles_without_outgoing_texts_get_403_and_strangers_401(world: World) -> None:
    for who in ("detaining_a", "auditor_a", "admin_a"):
        assert post(api(world, who), "/api/v1/disclosure/check/", {"text": TEXT}).status_code == 403, who  # type: ignore[attr-defined]
    assert post(Client(), "/api/v1/disclosure/check/", {"text": TEXT}).status_code in (401, 403)  # type: ignore[attr-defined]


# --- Releases and media requests ----------------------------------------------------------------


def create_release(world: World, client: Client) -> dict[str, object]:
    response = post(
        client,
        "/api/v1/releases/",
        {
            "kind": "letter_forwarded",
            "purpose": "publication_of_letter",
            "title": "Letter",
            "recipient": "Morning Courier (fictional)",
            "text": TEXT,
            "cases": [world.case_a.reference],
        },
    )
    assert response.status_code == 201, response.content  # type: ignore[attr-defined]
    return response.json()  # type: ignore[attr-defined]


@pytest.mark.django_db
def test_a_release_through_the_api_from_creation_to_release(world: World) -> None:
    author, reviewer = api(world, "caseworker_a"), api(world, "supervisor_a")
    created = create_release(world, author)
    assert any(f["kind"] == "name" for f in created["findings"])  # type: ignore[attr-defined]
    url = f"/api/v1/releases/{created['id']}/"
    refused = post(author, f"{url}submit/", {})
    assert refused.status_code == 409  # type: ignore[attr-defined]
    assert {u["rule"] for u in refused.json()["unmet"]} == {"findings", "consent"}  # type: ignore[attr-defined]
    redacted = post(author, f"{url}redact/", {}).json()  # type: ignore[attr-defined]
    assert "Ri Chol Su" not in redacted["text"] and redacted["text_version"] == 2
    consent(world, Purpose.PUBLICATION_OF_LETTER)
    assert post(author, f"{url}submit/", {}).status_code == 200  # type: ignore[attr-defined]
    assert post(reviewer, f"{url}review/", {"approve": True, "reasons": "Nothing left."}).status_code == 200  # type: ignore[attr-defined]
    released = post(author, f"{url}release/", {}).json()  # type: ignore[attr-defined]
    assert released["status"] == "released"


@pytest.mark.django_db
def test_a_stale_edit_answers_409(world: World) -> None:
    author = api(world, "caseworker_a")
    created = create_release(world, author)
    url = f"/api/v1/releases/{created['id']}/"
    patched = author.patch(url, json.dumps({"text": "Plain words.", "version": 1}), content_type="application/json")
    assert patched.status_code == 200 and patched.json()["text_version"] == 2
    stale = author.patch(url, json.dumps({"text": "Other words.", "version": 1}), content_type="application/json")
    assert stale.status_code == 409


@pytest.mark.django_db
def test_a_release_is_404_to_other_organisations_and_textless_to_the_media_officer(world: World) -> None:
    created = create_release(world, api(world, "caseworker_a"))
    url = f"/api/v1/releases/{created['id']}/"
    for who in ("caseworker_b", "supervisor_b", "media_b"):
        assert api(world, who).get(url).status_code == 404, who
    for who in ("detaining_a", "auditor_a", "receiving"):
        assert api(world, who).get(url).status_code == 403, who
    seen = api(world, "media_a").get(url).json()
    assert "text" not in seen and seen["status"] == "draft"


@pytest.mark.django_db
def test_a_media_request_through_the_api(world: World) -> None:
    media, supervisor = api(world, "media_a"), api(world, "supervisor_a")
    created = post(
        media,
        "/api/v1/media-requests/",
        {
            "outlet": "Fjord Documentary Films",
            "purposes": ["interview"],
            "description": "An interview.",
            "cases": [world.case_a.reference],
        },
    )
    assert created.status_code == 201  # type: ignore[attr-defined]
    url = f"/api/v1/media-requests/{created.json()['id']}/"  # type: ignore[attr-defined]
    assert created.json()["persons"] == [world.case_a.reference]  # type: ignore[attr-defined]
    assert post(media, f"{url}submit/", {}).status_code == 200  # type: ignore[attr-defined]
    refused = post(supervisor, f"{url}review/", {"approve": True, "reasons": "Faces not shown."})
    assert refused.status_code == 409 and refused.json()["unmet"][0]["rule"] == "consent"  # type: ignore[attr-defined]
    consent(world, Purpose.INTERVIEW)
    approved = post(supervisor, f"{url}review/", {"approve": True, "reasons": "Faces not shown."})
    assert approved.json()["status"] == MediaRequest.Status.APPROVED  # type: ignore[attr-defined]
    bad = post(media, "/api/v1/media-requests/", {"outlet": "X", "purposes": ["tracing"], "description": "x"})
    assert bad.status_code == 400 and bad.json()["errors"][0]["field"].startswith("purposes")  # type: ignore[attr-defined]


# --- The command line ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_command_exits_1_with_findings_and_0_when_clean(
    world: World, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    found = tmp_path / "letter.txt"
    found.write_text(TEXT, encoding="utf-8")
    clean = tmp_path / "clean.txt"
    clean.write_text("The committee visited the camp today and spoke with the staff.", encoding="utf-8")
    with pytest.raises(SystemExit) as exited:
        call_command("disclosure", "check", str(found))
    assert exited.value.code == 1
    out = capsys.readouterr().out
    assert "finding(s) block a release" in out and "'Ri Chol Su' -> [NAME]" in out and world.case_a.reference in out
    call_command("disclosure", "check", str(clean))
    assert "clean" in capsys.readouterr().out


@pytest.mark.django_db
def test_the_command_prints_json_and_writes_the_redacted_text(
    world: World, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "letter.txt"
    source.write_text(TEXT, encoding="utf-8")
    out_file = tmp_path / "redacted.txt"
    with pytest.raises(SystemExit):
        call_command(
            "disclosure", "check", str(source), "--json", "--redacted", str(out_file), "--as-user", "caseworker@b.test"
        )
    (report,) = json.loads(capsys.readouterr().out)
    name = next(f for f in report["findings"] if f["kind"] == "name")
    assert (name["line"], name["column"], name["references"], name["hidden_persons"]) == (1, 1, [], 1)
    assert "Ri Chol Su" not in out_file.read_text(encoding="utf-8")


@pytest.mark.django_db
def test_the_command_refuses_a_missing_or_binary_file_with_exit_2(world: World, tmp_path: Path) -> None:
    from django.core.management.base import CommandError

    binary = tmp_path / "photo.jpg"
    binary.write_bytes(b"\xff\xd8\xff\xe0\x00\x10JFIF")
    for path in (tmp_path / "missing.txt", binary):
        with pytest.raises(CommandError) as refused:
            call_command("disclosure", "check", str(path))
        assert refused.value.returncode == 2
