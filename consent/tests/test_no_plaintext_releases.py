"""Release test for the disclosure check, media requests, releases and takedowns: no text reaches the
database, the logs or the cache in plaintext (SECURITY_NOTES, test 2), as tests/test_no_plaintext.py
checks for the registry. Every flow is run on the pages and through the API with made-up texts: the
check (whose text is never kept), a media request and its review, a release written, checked, redacted,
a finding dismissed, edited, reviewed and released, a revocation's takedown and its notes. Then the
stored database, every log record and the cache are searched for each text in every encoding.
Positive control: the texts come back through the ORM."""

from __future__ import annotations

import json

import pytest
from django.conf import settings

from conftest import World, verified_client
from consent.models import MediaRequest, Purpose, Release, TakedownRequest
from consent.tests.helpers import consent
from tests.test_no_plaintext import (
    LogRecorder,
    assert_absent,
    cache_bytes,
    database_bytes,
    locate_in_tables,
    log_recorder,  # noqa: F401 - the fixture
    needles_for,
)

SECRETS = {
    "checked": "Checked Zwelbrokasta Quintavel",
    "checked_api": "Checked Morvandelisk Troop",
    "description": "Description Vaskelbront filming",
    "contact": "Contact Ploverstadt desk",
    "reasons": "Reasons Gribnolvask fine",
    "title": "Title Hesperwolk letter",
    "recipient": "Recipient Dranvelquist Courier",
    "text": "Letter Yorbelmaskt wrote about the river",
    "edited": "Edited Krolvenstadt words",
    "dismissed": "Dismissed Sporkelvinz office line",
    "review": "Review Quembralost approved",
    "api_text": "Api Flozzerbanck greetings",
    "takedown": "Takedown Vindelbraxt emailed",
}
NEEDLES = needles_for({"releases": list(SECRETS.values())})


@pytest.mark.django_db(transaction=True)  # committed rows: pg_dump reads through its own connection
def test_no_release_media_request_or_checked_text_reaches_the_database_the_logs_or_the_cache(
    log_recorder: LogRecorder,  # noqa: F811 - the fixture
    world: World,
) -> None:
    assert settings.PASSAGE_VAULT_CIPHER == "aes-256-gcm", "the release test needs the real cipher"
    reference = world.case_a.reference
    author, supervisor, media = (
        verified_client(world.user(who)) for who in ("caseworker_a", "supervisor_a", "media_a")
    )
    consent(world, Purpose.INTERVIEW)
    publication = consent(world, Purpose.PUBLICATION_OF_LETTER)

    # The check: page, download and API; nothing of the text is kept.
    assert author.post("/disclosure/check/", {"text": SECRETS["checked"] + " +380 44 123 4567"}).status_code == 200
    assert author.post("/disclosure/check/", {"text": SECRETS["checked"], "download": "redacted"}).status_code == 200
    checked = author.post(
        "/api/v1/disclosure/check/", {"text": SECRETS["checked_api"]}, content_type="application/json"
    )
    assert checked.status_code == 200

    # A media request and its review.
    form = {
        "outlet": "Outlet",
        "purposes": ["interview"],
        "description": SECRETS["description"],
        "outlet_contact": SECRETS["contact"],
        "cases": reference,
    }
    assert media.post("/media-requests/new/", form).status_code == 302
    request = MediaRequest.objects.get()
    assert media.post(f"/media-requests/{request.pk}/submit/").status_code == 302
    review = {"decision": "approve", "reasons": SECRETS["reasons"]}
    assert supervisor.post(f"/media-requests/{request.pk}/review/", review).status_code == 302
    assert media.get(f"/media-requests/{request.pk}/").status_code == 200

    # A release: written, checked, a finding dismissed, redacted, edited, reviewed, released.
    text = f"{SECRETS['text']}. Ri Chol Su called +380 44 123 4567 from the office."
    release_form = {
        "kind": "letter_forwarded",
        "purpose": "publication_of_letter",
        "title": SECRETS["title"],
        "recipient": SECRETS["recipient"],
        "cases": reference,
        "text": text,
    }
    assert author.post("/releases/new/", release_form).status_code == 302
    release = Release.objects.get(kind="letter_forwarded")
    phone = release.findings.get(kind="phone")
    dismissed = author.post(f"/releases/{release.pk}/findings/{phone.pk}/dismiss/", {"reason": SECRETS["dismissed"]})
    assert dismissed.status_code == 302
    edited = {
        "title": SECRETS["title"],
        "recipient": SECRETS["recipient"],
        "text": f"{text} {SECRETS['edited']}",
        "version": 1,
    }
    assert author.post(f"/releases/{release.pk}/edit/", edited).status_code == 302
    assert author.post(f"/releases/{release.pk}/redact/").status_code == 302
    assert author.post(f"/releases/{release.pk}/submit/").status_code == 302
    approval = {"decision": "approve", "reasons": SECRETS["review"]}
    assert supervisor.post(f"/releases/{release.pk}/review/", approval).status_code == 302
    assert author.post(f"/releases/{release.pk}/release/").status_code == 302
    assert author.get(f"/releases/{release.pk}/").status_code == 200
    assert author.get(f"/releases/{release.pk}/download/").status_code == 200
    by_api = author.post(
        "/api/v1/releases/",
        json.dumps({**release_form, "cases": [reference], "text": SECRETS["api_text"]}),
        content_type="application/json",
    )
    assert by_api.status_code == 201
    assert author.get(f"/api/v1/releases/{by_api.json()['id']}/").status_code == 200

    # The person revokes: the released letter gets a takedown follow-up, with notes.
    page = verified_client(world.user("protection"))
    revoke = {"revocation_channel": "in_person", "confirm": "on"}
    assert page.post(f"/cases/{reference}/consents/{publication.pk}/revoke/", revoke).status_code == 302
    takedown = TakedownRequest.objects.get()
    update = {"status": "requested", "notes": SECRETS["takedown"]}
    assert author.post(f"/follow-ups/{takedown.pk}/", update).status_code == 302
    assert author.get("/follow-ups/").status_code == 200

    # Positive controls: the texts are stored and come back through the ORM.
    request = MediaRequest.objects.select_related("data_key").get()
    assert (request.description, request.review_reasons) == (SECRETS["description"], SECRETS["reasons"])
    release = Release.objects.select_related("data_key").get(pk=release.pk)
    assert SECRETS["edited"] in release.text and release.review_note == SECRETS["review"]
    assert TakedownRequest.objects.select_related("case__person__data_key").get().notes == SECRETS["takedown"]

    for where, stored in database_bytes().items():
        assert_absent(where, stored, NEEDLES, locate=locate_in_tables)
    assert_absent("the log records", log_recorder.text(), NEEDLES)
    for where, stored in cache_bytes().items():
        assert_absent(where, stored, NEEDLES)
