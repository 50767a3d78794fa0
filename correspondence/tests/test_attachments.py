"""Attachments: each reason to refuse one gives its field error and stores nothing; the stored bytes are
sealed (not the plaintext), a ciphertext moved to another person's row or another field fails to open
and raises an alert; uploads never touch the disk; a download is an audited read, for readers only."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from audit.models import AuditEvent
from conftest import World, verified_client
from correspondence import services
from correspondence.models import Attachment, Correspondence
from correspondence.tests.helpers import FILES, image_bytes, pdf_bytes, record, upload
from correspondence.uploads import AttachmentUploadHandler
from vault import crypto, runtime


def add(world: World, item: Correspondence, attachment: services.AttachmentUpload, who: str = "caseworker_a"):
    return services.attachment_add(actor=world.user(who), case=world.case_a, item=item, upload=attachment)


def refused(world: World, attachment: services.AttachmentUpload) -> str:
    item = record(world)
    with pytest.raises(ValidationError) as error:
        add(world, item, attachment)
    assert not Attachment.objects.exists()
    [message] = error.value.message_dict["attachment"]
    return message


def raw_content(attachment_id: int) -> bytes:
    with connection.cursor() as cursor:
        cursor.execute("SELECT content FROM correspondence_attachment WHERE id = %s", [attachment_id])
        return bytes(cursor.fetchone()[0])


@pytest.mark.django_db
def test_an_empty_file_is_refused(world: World) -> None:
    assert refused(world, services.AttachmentUpload("empty.pdf", "application/pdf", b"")) == "The file is empty."


@pytest.mark.django_db
def test_a_file_over_the_limit_is_refused(world: World, settings) -> None:
    settings.PASSAGE_ATTACHMENT_MAX_BYTES = 100
    assert "larger than the limit" in refused(world, upload("application/pdf"))


@pytest.mark.django_db
def test_a_type_not_allowed_is_refused(world: World) -> None:
    message = refused(world, services.AttachmentUpload("setup.pdf", "application/pdf", b"MZ\x90\x00" + b"\0" * 64))
    assert "not accepted" in message


@pytest.mark.django_db
def test_a_declared_type_that_disagrees_with_the_content_is_refused(world: World) -> None:
    assert "says it is application/pdf" in refused(world, upload("image/png", declared="application/pdf"))


@pytest.mark.django_db
def test_a_malformed_file_is_refused(world: World) -> None:
    cut = services.AttachmentUpload("scan.pdf", "application/pdf", pdf_bytes()[:200])
    assert "not a readable PDF" in refused(world, cut)
    cut = services.AttachmentUpload("scan.png", "image/png", image_bytes("PNG")[:50])
    assert "not a readable PNG image" in refused(world, cut)


@pytest.mark.django_db
def test_an_item_recorded_with_a_bad_attachment_is_not_recorded_at_all(world: World) -> None:
    with pytest.raises(ValidationError):
        services.correspondence_record(
            actor=world.user("caseworker_a"),
            case=world.case_a,
            values={"direction": "out", "kind": "letter", "status": "requested"},
            attachments=[services.AttachmentUpload("scan.png", "image/png", b"\x89PNG\r\n\x1a\n broken")],
        )
    assert not Correspondence.objects.exists() and not Attachment.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("content_type", sorted(FILES))
def test_each_allowed_type_is_stored_sealed_and_comes_back_whole(world: World, content_type: str) -> None:
    item = record(world)
    attachment = add(world, item, upload(content_type, name=f"C:\\scans\\{FILES[content_type][0]}"))
    _name, data = FILES[content_type]
    stored = raw_content(attachment.pk)
    assert data not in stored and stored != data
    assert (attachment.content_type, attachment.size) == (content_type, len(data))
    again = Attachment.objects.select_related("person__data_key").get(pk=attachment.pk)
    assert again.filename == FILES[content_type][0]
    assert services.attachment_open(actor=world.user("supervisor_a"), case=world.case_a, attachment=again) == data


@pytest.mark.django_db
def test_a_ciphertext_moved_to_another_persons_row_fails_to_open_and_raises_an_alert(world: World) -> None:
    mine = add(world, record(world), upload("image/png"))
    other_case = world.case_b
    other_item = services.correspondence_record(
        actor=world.user("caseworker_b"),
        case=other_case,
        values={"direction": "out", "kind": "letter", "status": "requested"},
    )
    theirs = services.attachment_add(
        actor=world.user("caseworker_b"), case=other_case, item=other_item, upload=upload("image/jpeg")
    )
    Attachment.objects.filter(pk=theirs.pk).update(content=raw_content(mine.pk))
    moved = Attachment.objects.select_related("person__data_key").get(pk=theirs.pk)
    with pytest.raises(services.AttachmentUnreadable):
        services.attachment_open(actor=world.user("caseworker_b"), case=other_case, attachment=moved)
    alarm = AuditEvent.objects.get(action="vault.decrypt_failed")
    assert (alarm.kind, alarm.object_type, alarm.changed_fields) == (
        "security",
        "correspondence_attachment",
        ["content"],
    )
    assert not AuditEvent.objects.filter(action="correspondence.attachment_download").exists()


@pytest.mark.django_db
def test_a_ciphertext_moved_to_another_field_or_table_fails_to_open(world: World) -> None:
    attachment = add(world, record(world), upload("text/plain"))
    data_key = world.case_a.person.data_key
    assert data_key is not None
    sealed = raw_content(attachment.pk)
    assert runtime.unseal_bytes(data_key, "correspondence_attachment", "content", sealed) == FILES["text/plain"][1]
    for table, field in (("correspondence_attachment", "filename"), ("correspondence_correspondence", "content")):
        with pytest.raises(crypto.DecryptionFailed):
            runtime.unseal_bytes(data_key, table, field, sealed)


@pytest.mark.django_db
def test_the_identity_cipher_of_benchmark_runs_is_honoured(world: World, settings) -> None:
    settings.PASSAGE_VAULT_CIPHER = "identity"
    data_key = world.case_a.person.data_key
    assert data_key is not None
    sealed = runtime.seal_bytes(data_key, "correspondence_attachment", "content", b"bytes")
    assert sealed == runtime.IDENTITY_PREFIX + b"bytes"
    assert runtime.unseal_bytes(data_key, "correspondence_attachment", "content", sealed) == b"bytes"
    with pytest.raises(crypto.DecryptionFailed):
        runtime.unseal_bytes(data_key, "correspondence_attachment", "content", b"\x01sealed")


@pytest.mark.django_db
def test_a_download_is_an_audited_read_with_safe_headers(world: World) -> None:
    item = record(world)
    attachment = add(world, item, upload("application/pdf", name="편지 원본.pdf"))
    url = f"/cases/{world.case_a.reference}/correspondence/{item.pk}/attachments/{attachment.pk}/"
    response = verified_client(world.user("detaining_a")).get(url)
    assert response.status_code == 200 and response.content == FILES["application/pdf"][1]
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "filename*=utf-8''" in response["Content-Disposition"]
    entry = AuditEvent.objects.get(action="correspondence.attachment_download")
    assert (entry.kind, entry.object_id, entry.actor) == ("read", str(attachment.pk), world.user("detaining_a"))
    api = verified_client(world.user("protection")).get(f"/api/v1{url}")
    assert api.status_code == 200 and api.content == FILES["application/pdf"][1]
    assert AuditEvent.objects.filter(action="correspondence.attachment_download").count() == 2


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["caseworker_b", "caseworker_a_other_team", "media_a", "auditor_a", "receiving"])
def test_a_download_is_denied_to_those_who_do_not_see_the_case(world: World, who: str) -> None:
    item = record(world)
    attachment = add(world, item, upload("image/png"))
    url = f"/cases/{world.case_a.reference}/correspondence/{item.pk}/attachments/{attachment.pk}/"
    assert verified_client(world.user(who)).get(url).status_code == 404
    assert verified_client(world.user(who)).get(f"/api/v1{url}").status_code == 404
    assert not AuditEvent.objects.filter(action="correspondence.attachment_download").exists()


@pytest.mark.django_db
def test_a_text_attachment_is_served_as_text_never_as_html(world: World) -> None:
    item = record(world)
    page = b"<html><script>alert(1)</script></html>"
    attachment = add(world, item, services.AttachmentUpload("letter.html", "", page))
    assert attachment.content_type == "text/plain"
    url = f"/cases/{world.case_a.reference}/correspondence/{item.pk}/attachments/{attachment.pk}/"
    response = verified_client(world.user("caseworker_a")).get(url)
    assert response["Content-Type"] == "text/plain; charset=utf-8" and response.content == page


# --- Uploads stay in memory ---------------------------------------------------------------------


@pytest.mark.django_db
def test_an_upload_larger_than_djangos_memory_limit_never_touches_the_disk(
    world: World, settings, tmp_path: Path
) -> None:
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path)
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 1024  # Django would spool anything bigger to a temporary file
    text = ("편지 " * 4000).encode()  # 40 kB of plain text
    item = record(world)
    response = verified_client(world.user("caseworker_a")).post(
        f"/cases/{world.case_a.reference}/correspondence/{item.pk}/attachments/",
        {"attachment-attachment": SimpleUploadedFile("letter.txt", text, content_type="text/plain")},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert list(tmp_path.iterdir()) == []
    stored = Attachment.objects.select_related("person__data_key").get()
    assert services.attachment_open(actor=world.user("caseworker_a"), case=world.case_a, attachment=stored) == text


@pytest.mark.django_db
def test_an_upload_over_the_limit_is_dropped_as_it_streams_in_and_the_page_says_so(world: World, settings) -> None:
    settings.PASSAGE_ATTACHMENT_MAX_BYTES = 2000
    item = record(world)
    response = verified_client(world.user("caseworker_a")).post(
        f"/cases/{world.case_a.reference}/correspondence/{item.pk}/attachments/",
        {"attachment-attachment": SimpleUploadedFile("big.txt", b"a" * 5000, content_type="text/plain")},
    )
    assert response.status_code == 400
    assert "larger than the limit" in response.content.decode()
    assert not Attachment.objects.exists()


def test_the_handler_keeps_the_bytes_in_memory_and_stops_at_the_cap() -> None:
    handler = AttachmentUploadHandler(max_bytes=10)
    handler.handle_raw_input(None, {}, 100, b"", None)
    handler.new_file("file", "a.txt", "text/plain", 8)
    assert handler.receive_data_chunk(b"12345678", 0) is None
    uploaded = handler.file_complete(8)
    assert uploaded is not None and uploaded.read() == b"12345678"
    handler.new_file("file", "b.txt", "text/plain", 20)
    from django.core.files.uploadhandler import StopUpload

    with pytest.raises(StopUpload):
        handler.receive_data_chunk(b"x" * 11, 0)
    assert handler.too_large and handler.file_complete(11) is None
