"""The correspondence API: 401, 404 for a case the user may not see, 403 for a role that may not, 400 with
the field, 409 naming the Art. 71 minimum, multipart attachments, the audited download, deliveries."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from audit.models import AuditEvent
from conftest import World, verified_client
from correspondence.models import Attachment, Correspondence, Delivery
from correspondence.tests.helpers import FILES, LETTER_TEXT, record

PROBLEM = "application/problem+json"
NOT_SEEING = ["caseworker_b", "caseworker_a_other_team", "media_a", "auditor_a", "receiving", "admin_a"]


def base(world: World) -> str:
    return f"/api/v1/cases/{world.case_a.reference}/correspondence/"


def post(client: Client, path: str, body: Mapping[str, object]):
    return client.post(path, body, content_type="application/json")


BODY = {
    "direction": "out",
    "kind": "letter",
    "status": "requested",
    "sender": "The person",
    "recipient": "His mother",
    "content": LETTER_TEXT,
    "language": "ko",
}


@pytest.mark.django_db
def test_anonymous_gets_401(world: World) -> None:
    response = Client().get(base(world))
    assert response.status_code == 401 and response["Content-Type"] == PROBLEM


@pytest.mark.django_db
@pytest.mark.parametrize("who", NOT_SEEING)
def test_a_case_the_user_may_not_see_is_404(world: World, who: str) -> None:
    item = record(world)
    api = verified_client(world.user(who))
    for response in (
        api.get(base(world)),
        post(api, base(world), BODY),
        api.get(f"{base(world)}{item.pk}/"),
        post(api, f"{base(world)}{item.pk}/approve/", {}),
    ):
        assert response.status_code == 404 and response.json()["detail"] == "No case found."
    assert Correspondence.objects.get().status == "requested"


@pytest.mark.django_db
def test_a_supervisor_reads_and_gets_403_on_writes(world: World) -> None:
    item = record(world)
    api = verified_client(world.user("supervisor_a"))
    assert api.get(base(world)).status_code == 200
    assert api.get(f"{base(world)}{item.pk}/").json()["content"] == LETTER_TEXT
    for response in (post(api, base(world), BODY), post(api, f"{base(world)}{item.pk}/approve/", {})):
        assert response.status_code == 403 and response["Content-Type"] == PROBLEM


@pytest.mark.django_db
def test_record_list_and_read_through_the_api(world: World) -> None:
    api = verified_client(world.user("caseworker_a"))
    created = post(api, base(world), BODY)
    assert created.status_code == 201, created.content
    data = created.json()
    assert (data["status"], data["content"], data["attachments"], data["deliveries"]) == (
        "requested",
        LETTER_TEXT,
        [],
        [],
    )
    [row] = api.get(base(world)).json()
    assert row["id"] == data["id"] and "content" not in row
    patched = api.patch(f"{base(world)}{data['id']}/", {"recipient": "His sister"}, content_type="application/json")
    assert patched.status_code == 200 and patched.json()["recipient"] == "His sister"
    assert AuditEvent.objects.filter(action="correspondence.view", channel="api").count() == 3


@pytest.mark.django_db
def test_bad_input_is_400_naming_the_field_and_writes_nothing(world: World) -> None:
    api = verified_client(world.user("caseworker_a"))
    response = post(api, base(world), {**BODY, "kind": "pigeon", "written_on": "yesterday"})
    assert response.status_code == 400 and response["Content-Type"] == PROBLEM
    assert {error["field"] for error in response.json()["errors"]} == {"kind", "written_on"}
    response = post(api, base(world), {**BODY, "direction": "in", "status": "received"})
    assert response.status_code == 400
    assert not Correspondence.objects.exists()


@pytest.mark.django_db
def test_refusing_below_the_minimum_is_409_naming_it(world: World) -> None:
    item = record(world)
    api = verified_client(world.user("detaining_a"))
    assert post(api, f"{base(world)}{item.pk}/refuse/", {}).status_code == 400
    response = post(api, f"{base(world)}{item.pk}/refuse/", {"reason": "Mail is suspended."})
    assert response.status_code == 409 and response["Content-Type"] == PROBLEM
    [unmet] = response.json()["unmet"]
    assert unmet["rule"] == "art_71_letters" and "minimum of 2 letters" in unmet["message"]
    approved = post(api, f"{base(world)}{item.pk}/approve/", {})
    assert approved.status_code == 200 and approved.json()["status"] == "approved"
    sent = post(api, f"{base(world)}{item.pk}/sent/", {"sent_on": timezone.localdate().isoformat()})
    assert sent.status_code == 200 and sent.json()["status"] == "sent"
    assert post(api, f"{base(world)}{item.pk}/approve/", {}).status_code == 409


@pytest.mark.django_db
def test_capture_card_censorship_and_translation_through_the_api(world: World) -> None:
    api = verified_client(world.user("detaining_a"))
    card = post(api, base(world), {**BODY, "kind": "capture_card_family", "status": "approved"}).json()
    declined = post(api, f"{base(world)}{card['id']}/decline/", {"declined_on": timezone.localdate().isoformat()})
    assert declined.status_code == 200 and declined.json()["family_card_declined"] is True
    today = timezone.localdate().isoformat()
    censored = post(api, f"{base(world)}{card['id']}/censorship/", {"state": "UA", "censored_on": today})
    assert censored.status_code == 200 and censored.json()["censored_by_state"] == "UA"
    again = post(api, f"{base(world)}{card['id']}/censorship/", {"state": "KR", "censored_on": today})
    assert again.status_code == 409 and again.json()["unmet"][0]["rule"] == "art_76_once"
    translation = post(api, f"{base(world)}{card['id']}/translations/", {"language": "en", "text": "Mother."})
    assert translation.status_code == 201 and translation.json()["text"] == "Mother."
    assert post(api, f"{base(world)}{card['id']}/translations/", {"language": "en"}).status_code == 400


@pytest.mark.django_db
def test_attachments_are_uploaded_as_multipart_and_downloaded_audited(world: World) -> None:
    item = record(world)
    api = verified_client(world.user("caseworker_a"))
    name, data = FILES["audio/ogg"]
    created = api.post(
        f"{base(world)}{item.pk}/attachments/", {"file": SimpleUploadedFile(name, data, content_type="audio/ogg")}
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert (body["content_type"], body["size"], body["filename"]) == ("audio/ogg", len(data), name)
    download = api.get(body["download"])
    assert download.status_code == 200 and download.content == data
    assert download["X-Content-Type-Options"] == "nosniff" and download["Content-Type"] == "audio/ogg"
    assert AuditEvent.objects.filter(action="correspondence.attachment_download", channel="api").count() == 1
    assert api.get(f"{base(world)}{item.pk}/").json()["attachments"][0]["id"] == body["id"]


@pytest.mark.django_db
def test_a_bad_attachment_is_400_on_the_file_field_and_nothing_is_stored(world: World, settings) -> None:
    item = record(world)
    api = verified_client(world.user("caseworker_a"))
    url = f"{base(world)}{item.pk}/attachments/"
    mislabelled = api.post(url, {"file": SimpleUploadedFile("a.pdf", FILES["image/png"][1], "application/pdf")})
    assert mislabelled.status_code == 400 and mislabelled.json()["errors"][0]["field"] == "file"
    empty = api.post(url, {"file": SimpleUploadedFile("a.txt", b"", "text/plain")})
    assert empty.status_code == 400 and "empty" in empty.json()["errors"][0]["reason"]
    settings.PASSAGE_ATTACHMENT_MAX_BYTES = 1000
    large = api.post(url, {"file": SimpleUploadedFile("a.txt", b"a" * 3000, "text/plain")})
    assert large.status_code == 400 and "larger than the limit" in large.json()["errors"][0]["reason"]
    assert api.post(url, {}).status_code == 400
    assert post(api, url, {"file": "x"}).status_code == 415
    assert not Attachment.objects.exists()


@pytest.mark.django_db
@pytest.mark.usefixtures("fake_engine")
def test_a_delivery_to_the_family_returns_the_findings(world: World) -> None:
    item = record(world, status="sent", sent_on=dt.date(2025, 3, 1), content="This is Ri Chol Su.")
    api = verified_client(world.user("caseworker_a"))
    url = f"{base(world)}{item.pk}/deliveries/"
    response = post(
        api, url, {"channel": "family_via_agency", "recipient": "His mother", "version": "original", "sent_on": None}
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["is_clean"] is False and body["findings"][0]["text"] == "Ri Chol Su"
    assert (body["delivery"]["status"], body["delivery"]["text_sent"]) == ("pending", "This is Ri Chol Su.")
    assert api.get(url).json()[0]["id"] == body["delivery"]["id"]
    missing = post(
        api, url, {"channel": "family_via_agency", "recipient": "x", "version": "translation", "translation": 999}
    )
    assert missing.status_code == 404
    assert post(api, url, {"channel": "mars", "recipient": "x", "version": "original"}).status_code == 400
    assert Delivery.objects.count() == 1
