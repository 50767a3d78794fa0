"""Attachment uploads that never touch the disk in plaintext.

Django's default upload handlers keep a file in memory only up to FILE_UPLOAD_MAX_MEMORY_SIZE and then
spool it to a temporary file (in /tmp, unencrypted). The views that take attachments replace them, for
that request only, by `AttachmentUploadHandler`, which keeps every byte in memory and stops at a hard
cap (settings.PASSAGE_ATTACHMENT_MAX_BYTES): a larger file is dropped as it streams in and the form says
so. The handlers must be replaced before anything reads the request body, so these views are exempt
from the CSRF middleware (which reads it) and protected by `csrf_protect` once the handler is in place
(`attachment_uploads`); the API views set the handler in `initialize_request`, before DRF authenticates.
The bytes are then checked (correspondence.attachment_check) and sealed under the person's data key
before they are written (vault.runtime.seal_bytes). A reverse proxy in front should cap request bodies
a little above the limit too.
"""

from __future__ import annotations

import functools
import io
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import InMemoryUploadedFile
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt, csrf_protect

# Room for the other fields of the form beside the file (Django limits those apart).
FORM_ALLOWANCE_BYTES = 1024 * 1024


def attachment_max_bytes() -> int:
    return int(settings.PASSAGE_ATTACHMENT_MAX_BYTES)


class AttachmentUploadHandler(FileUploadHandler):
    """Keeps each uploaded file in memory, up to `max_bytes`; never writes one to disk."""

    def __init__(self, request: HttpRequest | None = None, *, max_bytes: int | None = None) -> None:
        super().__init__(request)
        self.max_bytes = attachment_max_bytes() if max_bytes is None else max_bytes
        self.too_large = False  # a file went over the limit and was dropped
        self.body_too_large = False
        self.buffer: io.BytesIO | None = None
        self.received = 0

    def handle_raw_input(
        self,
        input_data: Any,
        META: dict[str, Any],
        content_length: int,
        boundary: Any,
        encoding: str | None = None,
    ) -> None:
        # A body far over the limit is not read to its end once the file starts (the client may see
        # the connection close); within the allowance the rest is drained so the page can answer.
        self.body_too_large = content_length > self.max_bytes + FORM_ALLOWANCE_BYTES
        return None

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        self.buffer = io.BytesIO()
        self.received = 0

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        self.received += len(raw_data)
        if self.received > self.max_bytes or self.body_too_large:
            self.too_large = True
            self.buffer = None
            raise StopUpload(connection_reset=self.body_too_large)
        assert self.buffer is not None
        self.buffer.write(raw_data)
        return None

    def file_complete(self, file_size: int) -> InMemoryUploadedFile | None:
        if self.buffer is None:
            return None
        self.buffer.seek(0)
        return InMemoryUploadedFile(
            file=self.buffer,
            field_name=self.field_name,
            name=self.file_name,
            content_type=self.content_type,
            size=file_size,
            charset=self.charset,
            content_type_extra=self.content_type_extra,
        )


def use_attachment_handler(request: HttpRequest) -> AttachmentUploadHandler:
    """Put the in-memory handler in place of Django's for this request (before its body is read)."""
    handler = AttachmentUploadHandler(request)
    request.upload_handlers = [handler]
    return handler


def attachment_handler(request: HttpRequest) -> AttachmentUploadHandler | None:
    return next((h for h in request.upload_handlers if isinstance(h, AttachmentUploadHandler)), None)


def upload_was_too_large(request: HttpRequest) -> bool:
    handler = attachment_handler(request)
    return handler is not None and handler.too_large


ViewFunction = Callable[..., HttpResponse]


def attachment_uploads(view: ViewFunction) -> ViewFunction:
    """For a page that takes attachments: the in-memory handler first, then the CSRF check."""
    protected = csrf_protect(view)

    @csrf_exempt
    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        use_attachment_handler(request)
        return protected(request, *args, **kwargs)

    return wrapped
