"""Release test for correspondence: no letter, sender, recipient, translation, refusal reason, file name,
attachment byte or delivered text reaches the database, the logs or the cache in plaintext (SECURITY_NOTES,
test 2), as tests/test_no_plaintext.py checks for the registry. Every create, edit, step, upload, download
and delivery flow of correspondence/ is run on the pages and through the API with made-up texts; then the
stored database (raw SQLite files or a pg_dump), every log record and the cache are searched for each text
in every encoding, and for the attachments' raw bytes. Positive control: the texts come back through the
ORM and the files through the service.

The disclosure engine is fixed (`fake_engine`): it is another helper's work in progress."""

from __future__ import annotations

import binascii
import io

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from conftest import World, verified_client
from correspondence import services
from correspondence.models import Attachment, Correspondence, Delivery, Translation
from tests.test_no_plaintext import (
    LogRecorder,
    Needle,
    _base64_cores,
    assert_absent,
    cache_bytes,
    database_bytes,
    locate_in_tables,
    log_recorder,  # noqa: F401 - the fixture
    needles_for,
)

SECRETS = {
    "sender": "Sender Vrolmbexiq ward",
    "recipient": "Recipient Quandelophy street",
    "content": "Letter Zwobrelkind says mother must hide",
    "content_hangul": "쀍뛣뷁 어머니께 숨으세요",
    "edited": "Edited Plorvantesk wording",
    "translation": "Translation Gvelmorquist text",
    "translator": "Translator Yaskobrelt Dune",
    "reason": "Refusal Kwendralopy grounds",
    "filename": "Scan-Brezzlovink-letter.txt",
    "file_text": "Attached Trombilvask paper",
    "api_content": "Api letter Hulvendrosk words",
    "api_filename": "Photo-Skwandelop-card.png",
    "api_file_text": "Api attached Fremolquist paper",
    "delivery_recipient": "Mother Oblavenquist village",
    "press_recipient": "Outlet Dravomelkin desk",
}


def image_with_canary() -> bytes:
    """A PNG whose pixel rows, stored uncompressed, would hold the canary's bytes if it leaked."""
    buffer = io.BytesIO()
    Image.frombytes("L", (32, 1), b"Pixel Vornquildesk canary bytes!").save(buffer, "PNG", compress_level=0)
    return buffer.getvalue()


def raw_needles(label: str, data: bytes) -> list[Needle]:
    """An attachment's bytes as they could sit in a file: raw, hex, base64 (a distinctive middle part)."""
    middle = data[len(data) // 4 : len(data) // 4 + 48]
    forms = {"raw": middle, "hex": binascii.hexlify(middle), **dict(_base64_cores(middle))}
    return [Needle(f"{label} as {name}", form.lower()) for name, form in forms.items()]


@pytest.mark.django_db(transaction=True)  # committed rows: pg_dump reads through its own connection
@pytest.mark.usefixtures("fake_engine")
def test_no_correspondence_text_or_file_reaches_the_database_the_logs_or_the_cache(
    log_recorder: LogRecorder,  # noqa: F811 - the fixture
    world: World,
) -> None:
    assert settings.PASSAGE_VAULT_CIPHER == "aes-256-gcm", "the release test needs the real cipher"
    today = timezone.localdate().isoformat()
    base = f"/cases/{world.case_a.reference}/correspondence/"
    api_base = f"/api/v1{base}"
    caseworker = verified_client(world.user("caseworker_a"))
    detaining = verified_client(world.user("detaining_a"))
    api = verified_client(world.user("protection"))
    png = image_with_canary()

    # Pages: record with a file, edit, steps, translation, a second file, refusal, delivery, reads.
    letter = {
        "direction": "out",
        "kind": "letter",
        "status": "requested",
        "sender": SECRETS["sender"],
        "recipient": SECRETS["recipient"],
        "content": f"{SECRETS['content']}\n{SECRETS['content_hangul']}",
        "language": "ko",
        "attachment": SimpleUploadedFile(SECRETS["filename"], SECRETS["file_text"].encode(), "text/plain"),
    }
    assert caseworker.post(f"{base}new/", letter).status_code == 302
    item = Correspondence.objects.get()
    url = f"{base}{item.pk}/"
    edited = {"sender": SECRETS["sender"], "recipient": SECRETS["recipient"], "content": SECRETS["edited"]}
    assert caseworker.post(f"{url}edit/", {**edited, "language": "ko"}).status_code == 302
    assert caseworker.post(f"{url}edit/", {**letter, "attachment": ""}).status_code == 302
    translation = {"translation-language": "en", "translation-text": SECRETS["translation"]}
    assert (
        caseworker.post(
            f"{url}translations/", {**translation, "translation-translator": SECRETS["translator"]}
        ).status_code
        == 302
    )
    upload = SimpleUploadedFile("pixels.png", png, "image/png")
    assert caseworker.post(f"{url}attachments/", {"attachment-attachment": upload}).status_code == 302
    assert detaining.post(f"{url}approve/").status_code == 302
    assert detaining.post(f"{url}sent/", {"sent-sent_on": today}).status_code == 302
    for _ in range(2):
        other = services.correspondence_record(
            actor=world.user("caseworker_a"),
            case=world.case_a,
            values={"direction": "out", "kind": "letter", "status": "approved"},
        )
    assert other.status == "approved"
    refused = services.correspondence_record(
        actor=world.user("caseworker_a"),
        case=world.case_a,
        values={"direction": "out", "kind": "letter", "status": "requested"},
    )
    assert detaining.post(f"{base}{refused.pk}/refuse/", {"refuse-reason": SECRETS["reason"]}).status_code == 302
    delivery = {"channel": "family_via_agency", "recipient": SECRETS["delivery_recipient"], "version": "original"}
    assert caseworker.post(f"{url}deliveries/new/", delivery).status_code == 200
    assert caseworker.post(f"{url}deliveries/new/", {**delivery, "confirm": "1", "sent_on": today}).status_code == 302
    assert caseworker.get(base).status_code == 200
    assert caseworker.get(url).status_code == 200
    for attachment in Attachment.objects.all():
        assert caseworker.get(f"{url}attachments/{attachment.pk}/").status_code == 200

    # The API: record, a file, a translation, a delivery to the press (a release), reads.
    created = api.post(
        api_base,
        {
            "direction": "in",
            "kind": "message",
            "status": "received",
            "received_on": today,
            "content": SECRETS["api_content"],
        },
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    api_item = f"{api_base}{created.json()['id']}/"
    file = SimpleUploadedFile(SECRETS["api_filename"], png, "image/png")
    assert api.post(f"{api_item}attachments/", {"file": file}).status_code == 201
    text_file = SimpleUploadedFile("note.txt", SECRETS["api_file_text"].encode(), "text/plain")
    stored = api.post(f"{api_item}attachments/", {"file": text_file})
    assert stored.status_code == 201
    assert api.get(stored.json()["download"]).status_code == 200
    press = {"channel": "press", "recipient": SECRETS["press_recipient"], "version": "original"}
    assert api.post(f"{api_item}deliveries/", press, content_type="application/json").status_code == 201
    assert api.get(api_base).status_code == 200
    assert api.get(api_item).status_code == 200

    # Positive controls: the texts and files are stored and come back.
    item = Correspondence.objects.select_related("person__data_key").get(pk=item.pk)
    assert (item.sender, item.recipient) == (SECRETS["sender"], SECRETS["recipient"])
    assert SECRETS["content_hangul"] in item.content
    assert Translation.objects.select_related("person__data_key").get().translator == SECRETS["translator"]
    files = {
        str(row.filename): services.attachment_open(actor=world.user("caseworker_a"), case=world.case_a, attachment=row)
        for row in Attachment.objects.select_related("person__data_key")
    }
    assert files[SECRETS["filename"]] == SECRETS["file_text"].encode() and files[SECRETS["api_filename"]] == png
    assert (
        Delivery.objects.select_related("person__data_key").get(channel="family_via_agency").recipient
        == (SECRETS["delivery_recipient"])
    )

    needles = needles_for({"correspondence": list(SECRETS.values())}) + raw_needles("the PNG attachment", png)
    for where, contents in database_bytes().items():
        assert_absent(where, contents, needles, locate=locate_in_tables)
    assert_absent("the log records", log_recorder.text(), needles)
    for where, contents in cache_bytes().items():
        assert_absent(where, contents, needles)
