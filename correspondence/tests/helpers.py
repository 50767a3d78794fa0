"""Shared set-up for the correspondence tests: items recorded through the service, files of every
allowed type built in memory, and a stand-in for the disclosure engine."""

from __future__ import annotations

import io
from typing import Any

import pytest
from PIL import Image
from pypdf import PdfWriter

from conftest import World
from consent.disclosure.types import DisclosureReport, Finding, Kind, Severity
from correspondence import services
from correspondence.models import Correspondence
from registry.models import Case

LETTER_TEXT = "Dear mother, I am well and eat enough. Do not worry about me."


def record(world: World, who: str = "caseworker_a", case: Case | None = None, **values: Any) -> Correspondence:
    defaults: dict[str, Any] = {
        "direction": "out",
        "kind": "letter",
        "status": "requested",
        "sender": "The person",
        "recipient": "His mother, through the Red Cross",
        "content": LETTER_TEXT,
        "language": "ko",
    }
    return services.correspondence_record(
        actor=world.user(who), case=case or world.case_a, values={**defaults, **values}
    )


# --- Files --------------------------------------------------------------------------------------


def image_bytes(fmt: str, size: tuple[int, int] = (8, 8)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, fmt)
    return buffer.getvalue()


def pdf_bytes() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(200, 200)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def mp4_bytes(brand: bytes = b"isom") -> bytes:
    ftyp = b"ftyp" + brand + b"\x00\x00\x02\x00" + brand + b"mp41"
    return len(ftyp + b"1234").to_bytes(4, "big") + ftyp + b"\x00\x00\x00\x08free" + b"\x00" * 64


def webm_bytes(doctype: bytes = b"webm") -> bytes:
    body = b"\x42\x86\x81\x01" + b"\x42\x82" + bytes([0x80 | len(doctype)]) + doctype
    return b"\x1a\x45\xdf\xa3" + bytes([0x80 | len(body)]) + body + b"\x18\x53\x80\x67\x80" + b"\x00" * 64


def mp3_bytes() -> bytes:
    return b"ID3\x03\x00\x00\x00\x00\x00\x00" + (b"\xff\xfb\x90\x64" + b"\x00" * 413) * 3


def ogg_bytes(codec: bytes = b"\x01vorbis") -> bytes:
    packet = codec + b"\x00" * (30 - len(codec))
    header = b"OggS\x00\x02" + b"\x00" * 8 + b"\x01\x00\x00\x00" + b"\x00" * 4 + b"\x00" * 4 + b"\x01" + bytes([30])
    return header + packet + b"\x00" * 64


FILES: dict[str, tuple[str, bytes]] = {
    "image/jpeg": ("scan.jpg", image_bytes("JPEG")),
    "image/png": ("scan.png", image_bytes("PNG")),
    "image/webp": ("photo.webp", image_bytes("WEBP")),
    "application/pdf": ("letter.pdf", pdf_bytes()),
    "text/plain": ("transcript.txt", "편지 원문: 어머니, 저는 잘 지냅니다.\n".encode()),
    "video/mp4": ("message.mp4", mp4_bytes()),
    "video/webm": ("message.webm", webm_bytes()),
    "audio/mpeg": ("voice.mp3", mp3_bytes()),
    "audio/mp4": ("voice.m4a", mp4_bytes(b"M4A ")),
    "audio/ogg": ("voice.ogg", ogg_bytes()),
}


def upload(
    content_type: str = "image/png", *, declared: str | None = None, name: str = ""
) -> services.AttachmentUpload:
    filename, data = FILES[content_type]
    return services.AttachmentUpload(
        filename=name or filename, declared_type=content_type if declared is None else declared, data=data
    )


# --- A stand-in for the disclosure engine -------------------------------------------------------


def fake_analyse(person_id: int) -> Any:
    """Finds "Ri Chol Su" (the person's name) and "Hamhung" (his hometown), as the engine would."""

    def analyse(text: str, *, linked_person_ids: Any = ()) -> DisclosureReport:
        findings = []
        for span, kind, label in (("Ri Chol Su", Kind.NAME, "[NAME]"), ("Hamhung", Kind.PLACE_OF_ORIGIN, "[PLACE]")):
            start = text.find(span)
            if start >= 0:
                findings.append(
                    Finding(
                        start=start,
                        end=start + len(span),
                        kind=kind,
                        severity=Severity.IDENTIFYING,
                        rule="test",
                        replacement=label,
                        person_ids=frozenset({person_id}),
                    )
                )
        return DisclosureReport(text=text, findings=tuple(sorted(findings, key=lambda f: f.start)))

    return analyse


@pytest.fixture
def fake_engine(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    """The disclosure engine is another helper's work in progress: these tests fix what it finds."""
    analyse = fake_analyse(world.case_a.person_id)
    monkeypatch.setattr("consent.services.disclosure.analyse_registry", analyse)
    monkeypatch.setattr("consent.services.releases.analyse_registry", analyse)
