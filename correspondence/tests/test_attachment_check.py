"""What an attachment is, from its bytes alone: each allowed type passes, and each reason to refuse a
file (empty, too large, not allowed, a declared type that disagrees, malformed) is given."""

from __future__ import annotations

import pytest

from correspondence import attachment_check
from correspondence.attachment_check import Rejected, checked, safe_filename
from correspondence.tests.helpers import FILES, image_bytes, mp4_bytes, ogg_bytes, pdf_bytes, webm_bytes

LIMIT = 1_000_000


def reason(data: bytes, declared: str = "") -> str:
    with pytest.raises(Rejected) as refused:
        checked(data, declared_type=declared, max_bytes=LIMIT)
    return refused.value.code


@pytest.mark.parametrize("content_type", sorted(FILES))
def test_each_allowed_type_is_detected_from_its_bytes(content_type: str) -> None:
    _name, data = FILES[content_type]
    assert checked(data, declared_type=content_type, max_bytes=LIMIT).content_type == content_type
    assert checked(data, declared_type="application/octet-stream", max_bytes=LIMIT).content_type == content_type


def test_an_empty_file_is_refused() -> None:
    assert reason(b"") == "empty"


def test_a_file_over_the_limit_is_refused_before_it_is_read() -> None:
    assert reason(b"x" * (LIMIT + 1), "text/plain") == "too_large"


@pytest.mark.parametrize(
    "data",
    [
        b"MZ\x90\x00" + b"\x00" * 60,  # a Windows program
        b"PK\x03\x04" + b"\x00" * 60,  # a zip archive
        b"GIF89a" + b"\x00" * 60,
        b"\x00\x01\x02\x03binary",
    ],
)
def test_a_type_not_allowed_is_refused(data: bytes) -> None:
    assert reason(data) == "type_not_allowed"


def test_matroska_and_quicktime_and_ogg_video_are_not_allowed() -> None:
    assert reason(webm_bytes(b"matroska")) == "type_not_allowed"
    assert reason(mp4_bytes(b"qt  ")) == "type_not_allowed"
    assert reason(ogg_bytes(b"\x80theora")) == "type_not_allowed"


def test_the_name_is_never_trusted_only_the_declared_type_is_compared() -> None:
    png = image_bytes("PNG")
    assert reason(png, "application/pdf") == "type_mismatch"
    assert reason(png, "image/jpeg") == "type_mismatch"
    assert checked(png, declared_type="image/png; charset=binary", max_bytes=LIMIT).content_type == "image/png"
    assert checked(image_bytes("JPEG"), declared_type="image/jpg", max_bytes=LIMIT).content_type == "image/jpeg"


def test_html_or_a_script_is_kept_only_as_plain_text_and_refused_if_it_says_otherwise() -> None:
    html = b"<html><body><script>alert(1)</script></body></html>"
    assert checked(html, declared_type="", max_bytes=LIMIT).content_type == "text/plain"
    assert reason(html, "text/html") == "type_mismatch"


@pytest.mark.parametrize(
    "data",
    [
        image_bytes("PNG")[:40],  # cut short
        image_bytes("JPEG")[: len(image_bytes("JPEG")) // 2],
        image_bytes("WEBP")[:30],
        pdf_bytes()[: len(pdf_bytes()) // 2],
        b"%PDF-1.4\nnot a document\n%%EOF\n",
        b"\x00\x00\x00\x08ftypisom",  # a box too small to be one
        b"\x1a\x45\xdf\xa3\x8f\x42\x86",  # an EBML header cut short
        b"ID3\x03\x00\x00\x00\x00\x00\x05" + b"\x00" * 40,  # a tag with no frame after it
        b"\xff\xfb\x00\x00" + b"\x00" * 40,  # bitrate index 0 is no frame
        b"OggS\x00\x02" + b"\x00" * 10,
    ],
)
def test_a_malformed_file_is_refused(data: bytes) -> None:
    assert reason(data) == "malformed"


def test_a_text_that_is_not_utf8_or_holds_control_characters_is_not_text() -> None:
    assert reason("Brief an die Mutter".encode("utf-16"), "text/plain") in {"type_not_allowed", "malformed"}
    assert reason(b"Dear mother\x00\x01", "text/plain") == "type_not_allowed"
    assert attachment_check.is_text("어머니께\r\n\tDear mother\f".encode())


def test_a_letter_that_begins_like_a_signature_is_still_text() -> None:
    assert checked(b"ID3 is what the tag is called", declared_type="text/plain", max_bytes=LIMIT).content_type == (
        "text/plain"
    )


def test_the_message_of_a_refusal_holds_no_content_of_the_file() -> None:
    with pytest.raises(Rejected) as refused:
        checked(b"<p>Secret Vorquelstad</p>", declared_type="image/png", max_bytes=LIMIT)
    assert "Vorquelstad" not in str(refused.value)


def test_an_uploaded_name_loses_its_path_and_control_characters() -> None:
    assert safe_filename("C:\\Users\\x\\편지.pdf") == "편지.pdf"
    assert safe_filename("../../etc/passwd\x00") == "passwd"
    assert safe_filename("...") == "attachment"
    assert len(safe_filename("a" * 500 + ".txt")) == 200
