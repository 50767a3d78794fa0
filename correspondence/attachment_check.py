"""What an uploaded attachment is, decided from its bytes alone (no Django): detect the type with
puremagic, then check that the file really is well formed in that type, and that the type the browser
declared agrees. The file name and the browser's type are never trusted to say what a file is.

Allowed: JPEG, PNG, WebP (Pillow opens, verifies and decodes them), PDF (pypdf parses the cross-reference
table and the pages), plain UTF-8 text, MP4 and M4A (an ISO base-media `ftyp` box with a known brand),
WebM (an EBML header whose DocType is "webm"), MP3 (an ID3 tag or an MPEG audio layer III frame header)
and Ogg audio (Vorbis, Opus or FLAC in the first page). Anything else is refused.
"""

from __future__ import annotations

import io
import re
import unicodedata
import warnings
from collections.abc import Callable
from dataclasses import dataclass

import puremagic
from PIL import Image, UnidentifiedImageError
from pypdf import PdfReader

from protection.guards import gettext_noop

JPEG, PNG, WEBP, PDF, TEXT = "image/jpeg", "image/png", "image/webp", "application/pdf", "text/plain"
MP4, WEBM, MP3, M4A, OGG = "video/mp4", "video/webm", "audio/mpeg", "audio/mp4", "audio/ogg"
ALLOWED = (JPEG, PNG, WEBP, PDF, TEXT, MP4, WEBM, MP3, M4A, OGG)
IMAGE_FORMATS = {JPEG: "JPEG", PNG: "PNG", WEBP: "WEBP"}
# A larger picture is refused rather than decoded (memory); a 48-megapixel phone photo passes.
MAX_IMAGE_PIXELS = 60_000_000

# What puremagic may call each allowed family (its MIME type, or its extension when it gives none).
MAGIC_FAMILIES: dict[str, str] = {
    "image/jpeg": JPEG,
    ".jpg": JPEG,
    ".jpeg": JPEG,
    ".jfif": JPEG,
    "image/png": PNG,
    ".png": PNG,
    "image/webp": WEBP,
    ".webp": WEBP,
    "application/pdf": PDF,
    ".pdf": PDF,
    "video/mp4": MP4,
    "audio/mp4": MP4,  # the ftyp brand decides between video and audio
    ".mp4": MP4,
    ".m4a": MP4,
    ".m4v": MP4,
    "video/webm": WEBM,
    ".webm": WEBM,
    "application/x-matroska": WEBM,  # the EBML DocType decides; Matroska proper is refused
    "audio/mpeg": MP3,
    ".mp3": MP3,
    ".mpga": MP3,
    "application/ogg": OGG,
    "audio/ogg": OGG,
    ".ogg": OGG,
    ".oga": OGG,
    ".opus": OGG,
}
# Other names browsers and programs give the allowed types.
DECLARED_ALIASES: dict[str, str] = {
    "image/jpg": JPEG,
    "image/pjpeg": JPEG,
    "application/x-pdf": PDF,
    "audio/mp3": MP3,
    "audio/x-mpeg": MP3,
    "audio/x-mp3": MP3,
    "audio/x-m4a": M4A,
    "audio/m4a": M4A,
    "audio/aac": M4A,
    "application/ogg": OGG,
    "audio/opus": OGG,
    "audio/vorbis": OGG,
    "audio/webm": WEBM,
}
# A declared type that claims nothing (what a browser sends when it does not know).
NO_CLAIM = frozenset({"", "application/octet-stream", "binary/octet-stream"})
# Brands of the ISO base-media file format: audio-only (M4A) and video (MP4).
AUDIO_BRANDS = frozenset({b"M4A ", b"M4B ", b"M4P "})
VIDEO_BRANDS = frozenset(
    {b"isom", b"iso2", b"iso3", b"iso4", b"iso5", b"iso6", b"mp41", b"mp42", b"avc1", b"dash", b"M4V ", b"mmp4"}
)
# C0 and C1 control characters, except tab, line feed, form feed and carriage return.
TEXT_CONTROLS_REFUSED = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")


class Rejected(Exception):
    """Why a file is refused: a message template for the person who uploaded it (never any content of
    the file), its parameters, and a code: empty, too_large, type_not_allowed, type_mismatch, malformed."""

    def __init__(self, code: str, template: str, params: dict[str, object]) -> None:
        super().__init__(code)
        self.code = code
        self.template = template
        self.params = params

    def __str__(self) -> str:
        return self.template.format(**self.params)


def _rejected(code: str, template: str, **params: object) -> Rejected:
    return Rejected(code, template, params)


@dataclass(frozen=True)
class Checked:
    content_type: str
    size: int


def checked(data: bytes, *, declared_type: str, max_bytes: int) -> Checked:
    """The detected type of `data`, or `Rejected` with the first reason: empty, too large, not an
    allowed type, a declared type that disagrees with the content, or malformed."""
    if not data:
        raise _rejected("empty", gettext_noop("The file is empty."))
    if len(data) > max_bytes:
        raise _rejected(
            "too_large",
            gettext_noop("The file is larger than the limit of {limit} MB."),
            limit=round(max_bytes / 1_000_000, 1),
        )
    declared = normalise_declared(declared_type)
    detected = detect(data, declared_text=declared == TEXT)
    if declared not in NO_CLAIM and not _agrees(declared, detected):
        raise _rejected(
            "type_mismatch",
            gettext_noop("The file says it is {declared} but its content is {detected}."),
            declared=declared,
            detected=detected,
        )
    return Checked(content_type=detected, size=len(data))


def normalise_declared(declared_type: str) -> str:
    base = declared_type.split(";", 1)[0].strip().lower()
    return DECLARED_ALIASES.get(base, base)


def _agrees(declared: str, detected: str) -> bool:
    if declared == detected:
        return True
    # MP4 and M4A are one container: a browser may call an audio-only one video/mp4 and the reverse.
    return {declared, detected} == {MP4, M4A}


def detect(data: bytes, *, declared_text: bool = False) -> str:
    """The allowed type the bytes are, checked for being well formed (`Rejected` otherwise). Text that
    happens to begin like a binary signature ("ID3 ...", "%PDF-") is text only if declared so."""
    families = _magic_families(data)
    if not families:
        if is_text(data):
            return TEXT
        raise _rejected(
            "type_not_allowed",
            gettext_noop(
                "This type of file is not accepted. Attach a JPEG, PNG or WebP image, a PDF, plain text, "
                "an MP4 or WebM video, or MP3, M4A or Ogg audio."
            ),
        )
    failure: Rejected | None = None
    for family in families:
        try:
            return VALIDATORS[family](data)
        except Rejected as rejected:
            failure = failure or rejected
    if declared_text and is_text(data):
        return TEXT
    assert failure is not None
    raise failure


def _magic_families(data: bytes) -> list[str]:
    try:
        matches = puremagic.magic_string(data)
    except puremagic.PureError:
        return []
    families: list[str] = []
    for match in matches:
        family = MAGIC_FAMILIES.get(match.mime_type) or MAGIC_FAMILIES.get(match.extension)
        if family and family not in families:
            families.append(family)
    return families


def _malformed(kind: str) -> Rejected:
    return _rejected("malformed", gettext_noop("The file is not a readable {kind}: it may be damaged."), kind=kind)


def is_text(data: bytes) -> bool:
    """Plain UTF-8 text: it decodes strictly and holds no control characters but tab and line breaks."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return TEXT_CONTROLS_REFUSED.search(text) is None


def _image(expected: str) -> Callable[[bytes], str]:
    def check(data: bytes) -> str:
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("error", Image.DecompressionBombWarning)
                with Image.open(io.BytesIO(data)) as image:
                    if image.format != IMAGE_FORMATS[expected]:
                        raise _malformed(IMAGE_FORMATS[expected] + " image")
                    if image.width * image.height > MAX_IMAGE_PIXELS:
                        raise _rejected(
                            "too_large",
                            gettext_noop("The picture is too large ({megapixels} megapixels at most)."),
                            megapixels=MAX_IMAGE_PIXELS // 1_000_000,
                        )
                    image.verify()  # the structure: chunks, checksums
                with Image.open(io.BytesIO(data)) as image:
                    if expected == JPEG:
                        image.draft("RGB", (max(1, image.width // 8), max(1, image.height // 8)))
                    image.load()  # the pixel data itself: a truncated file fails here
        except Rejected:
            raise
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError, Warning):
            raise _malformed(IMAGE_FORMATS[expected] + " image") from None
        return expected

    return check


def _pdf(data: bytes) -> str:
    if not data.startswith(b"%PDF-") or b"%%EOF" not in data[-2048:]:
        raise _malformed("PDF")
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            return PDF  # its pages cannot be read without the password; the structure parsed
        if len(reader.pages) < 1:
            raise _malformed("PDF")
        for page in reader.pages:
            _ = page.mediabox
    except Rejected:
        raise
    except Exception:  # pypdf raises many kinds of errors on damaged files
        raise _malformed("PDF") from None
    return PDF


def _mp4(data: bytes) -> str:
    """The first box is `ftyp` of a sane size with a brand of MP4 video or M4A audio."""
    if len(data) < 16 or data[4:8] != b"ftyp":
        raise _malformed("MP4 file")
    size = int.from_bytes(data[0:4], "big")
    if size < 16 or size > len(data) or size > 4096:
        raise _malformed("MP4 file")
    brands = [data[8:12]] + [data[i : i + 4] for i in range(16, size - 3, 4)]
    if brands[0] in AUDIO_BRANDS:
        return M4A
    if any(brand in VIDEO_BRANDS for brand in brands):
        return MP4
    if any(brand in AUDIO_BRANDS for brand in brands):
        return M4A
    raise _rejected("type_not_allowed", gettext_noop("This MP4 variant is not accepted."))


def _vint(data: bytes, at: int, *, keep_marker: bool) -> tuple[int, int]:
    """An EBML variable-length integer at `at`: (value, length)."""
    if at >= len(data):
        raise _malformed("WebM video")
    first = data[at]
    length = 1
    while length <= 8 and not first & (0x80 >> (length - 1)):
        length += 1
    if length > 8 or at + length > len(data):
        raise _malformed("WebM video")
    value = first if keep_marker else first & ((0x80 >> (length - 1)) - 1)
    for byte in data[at + 1 : at + length]:
        value = (value << 8) | byte
    return value, length


def _webm(data: bytes) -> str:
    """An EBML header element whose DocType child says "webm" (Matroska proper is not accepted)."""
    if data[:4] != b"\x1a\x45\xdf\xa3":
        raise _malformed("WebM video")
    size, size_length = _vint(data, 4, keep_marker=False)
    start = 4 + size_length
    end = start + size
    if end > len(data) or size > 4096:
        raise _malformed("WebM video")
    at = start
    while at < end:
        element, id_length = _vint(data, at, keep_marker=True)
        length, length_length = _vint(data, at + id_length, keep_marker=False)
        value_at = at + id_length + length_length
        if value_at + length > end:
            raise _malformed("WebM video")
        if element == 0x4282:  # DocType
            doctype = data[value_at : value_at + length].rstrip(b"\0")
            if doctype == b"webm":
                return WEBM
            raise _rejected("type_not_allowed", gettext_noop("Matroska files are not accepted; WebM is."))
        at = value_at + length
    raise _malformed("WebM video")


MP3_BITRATE_BAD = frozenset({0, 15})


def _mpeg_frame(header: bytes) -> bool:
    """An MPEG audio frame header of layer III with a valid version, bitrate and sample rate."""
    if len(header) < 4 or header[0] != 0xFF or header[1] & 0xE0 != 0xE0:
        return False
    version = (header[1] >> 3) & 0b11
    layer = (header[1] >> 1) & 0b11
    bitrate = header[2] >> 4
    sample_rate = (header[2] >> 2) & 0b11
    return version != 0b01 and layer == 0b01 and bitrate not in MP3_BITRATE_BAD and sample_rate != 0b11


def _mp3(data: bytes) -> str:
    at = 0
    if data[:3] == b"ID3":
        if len(data) < 10 or data[3] not in (2, 3, 4) or any(byte & 0x80 for byte in data[6:10]):
            raise _malformed("MP3 file")
        size = (data[6] << 21) | (data[7] << 14) | (data[8] << 7) | data[9]
        at = 10 + size + (10 if data[5] & 0x10 else 0)
        if at >= len(data):
            raise _malformed("MP3 file")
        # Some encoders pad after the tag: the first frame must come soon after it.
        window = data[at : at + 4096]
        offset = next((i for i in range(len(window) - 3) if _mpeg_frame(window[i : i + 4])), -1)
        if offset < 0:
            raise _malformed("MP3 file")
        return MP3
    if not _mpeg_frame(data[:4]):
        raise _malformed("MP3 file")
    return MP3


OGG_AUDIO_CODECS = (b"\x01vorbis", b"OpusHead", b"\x7fFLAC")


def _ogg(data: bytes) -> str:
    """An Ogg page (version 0) starting the stream, whose first packet is an audio codec's header."""
    if len(data) < 28 or data[:4] != b"OggS" or data[4] != 0 or not data[5] & 0x02:
        raise _malformed("Ogg file")
    segments = data[26]
    body = 27 + segments
    if body > len(data):
        raise _malformed("Ogg file")
    packet = data[body : body + 16]
    if any(packet.startswith(codec) for codec in OGG_AUDIO_CODECS):
        return OGG
    raise _rejected("type_not_allowed", gettext_noop("Only Ogg audio (Vorbis, Opus, FLAC) is accepted."))


VALIDATORS: dict[str, Callable[[bytes], str]] = {
    JPEG: _image(JPEG),
    PNG: _image(PNG),
    WEBP: _image(WEBP),
    PDF: _pdf,
    MP4: _mp4,
    WEBM: _webm,
    MP3: _mp3,
    OGG: _ogg,
}


def safe_filename(name: str, *, fallback: str = "attachment") -> str:
    """The last part of an uploaded file's name, without control characters, at most 200 characters."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    base = unicodedata.normalize("NFC", "".join(c for c in base if unicodedata.category(c)[0] != "C")).strip()
    base = base.strip(". ")
    return base[:200] or fallback
