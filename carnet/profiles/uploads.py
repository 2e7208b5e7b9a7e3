"""Content checks of uploaded documents: a CV is accepted for what it is, not for its name.

A file is a PDF when it starts with the PDF header, ends with an end-of-file marker (so a
truncated upload is caught) and pypdf can read its page tree. The name and the browser's
Content-Type are never trusted: a renamed program or web page is refused by its bytes.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

PDF_MAGIC = b"%PDF-"
# The PDF specification lets the %%EOF marker sit anywhere in the last 1024 bytes.
EOF_WINDOW = 1024

# A few well-known signatures, only to tell the member what they sent instead of a PDF.
_KNOWN_SIGNATURES = (
    (b"MZ", gettext_noop("a Windows program")),
    (b"\x7fELF", gettext_noop("a program")),
    (b"PK\x03\x04", gettext_noop("a zip archive or an Office document")),
    (b"\xd0\xcf\x11\xe0", gettext_noop("an old Office document")),
    (b"\x89PNG", gettext_noop("an image")),
    (b"\xff\xd8\xff", gettext_noop("an image")),
    (b"GIF8", gettext_noop("an image")),
)


def max_document_bytes() -> int:
    return settings.CARNET_DOCUMENT_MAX_BYTES


def _what_it_looks_like(head: bytes) -> str | None:
    for signature, label in _KNOWN_SIGNATURES:
        if head.startswith(signature):
            return label
    stripped = head.lstrip().lower()
    if stripped.startswith((b"<!doctype html", b"<html", b"<head", b"<body", b"<script", b"<?xml", b"<svg")):
        return gettext_noop("a web page")
    return None


def _read_head_and_tail(upload, size: int) -> tuple[bytes, bytes]:
    upload.seek(0)
    head = upload.read(EOF_WINDOW)
    upload.seek(max(0, size - EOF_WINDOW))
    tail = upload.read(EOF_WINDOW)
    upload.seek(0)
    return head, tail


def check_pdf(upload) -> int:
    """Check that `upload` (a Django UploadedFile or any seekable binary file) is a sound PDF
    within the size limit. Returns its size; raises ValidationError with a message for the member."""
    size = getattr(upload, "size", None)
    if size is None:
        upload.seek(0, 2)
        size = upload.tell()
        upload.seek(0)
    if size == 0:
        raise ValidationError(_("The file is empty."), code="empty")
    limit = max_document_bytes()
    if size > limit:
        raise ValidationError(
            _("The file is too large (%(size)s); the limit is %(limit)s.")
            % {"size": filesizeformat(size), "limit": filesizeformat(limit)},
            code="too_large",
        )
    head, tail = _read_head_and_tail(upload, size)
    if not head.startswith(PDF_MAGIC):
        looks_like = _what_it_looks_like(head)
        if looks_like:
            message = _(
                "This file is not a PDF: it looks like %(kind)s. Export your document as PDF and try again."
            ) % {"kind": _(looks_like)}
        else:
            message = _("This file is not a PDF. Export your document as PDF and try again.")
        raise ValidationError(message, code="not_pdf")
    if b"%%EOF" not in tail:
        raise ValidationError(
            _("This PDF is incomplete (the end of the file is missing). Upload it again."), code="truncated"
        )
    _parse(upload)
    upload.seek(0)
    return size


def _parse(upload) -> None:
    from pypdf import PdfReader

    unreadable = ValidationError(
        _("This PDF could not be read: it may be damaged. Export it again and retry."), code="unreadable"
    )
    # pypdf logs every repair it makes; a refused upload is reported to the member instead.
    logger = logging.getLogger("pypdf")
    previous = logger.level
    logger.setLevel(logging.ERROR)
    try:
        upload.seek(0)
        reader = PdfReader(upload)
        if reader.is_encrypted and not reader.decrypt(""):
            raise ValidationError(
                _("This PDF is protected by a password: remove the password and upload it again."), code="encrypted"
            )
        if len(reader.pages) == 0:
            raise ValidationError(_("This PDF has no pages."), code="no_pages")
    except ValidationError:
        raise
    except Exception as exc:
        # On malformed input pypdf raises its own errors but also zlib, struct, KeyError,
        # RecursionError...: each means "not a PDF we can use", never a server error.
        raise unreadable from exc
    finally:
        logger.setLevel(previous)


class LimitedUploadHandler(FileUploadHandler):
    """Stops reading an uploaded file as soon as it passes the document size limit, so a huge
    upload neither fills the disk nor reaches the PDF parser. The other form fields are still
    read (the member keeps what they typed) and the view reports the size on the file field."""

    def __init__(self, request=None):
        super().__init__(request)
        self.limit = max_document_bytes()

    def receive_data_chunk(self, raw_data, start):
        if start + len(raw_data) > self.limit:
            self.request.carnet_upload_too_large = True
            raise SkipFile
        return raw_data

    def file_complete(self, file_size):
        return None


def upload_too_large_message() -> str:
    return _("The file is too large; the limit is %(limit)s.") % {"limit": filesizeformat(max_document_bytes())}
