"""Size limits of import uploads, checked on the server before the body is parsed where
possible, and the private folder where a LinkedIn archive waits for its background task.

The reverse proxy should cap request bodies as well (client_max_body_size): under ASGI the
whole body is received before any view runs, so these checks bound what is parsed and
kept, not what is received.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from carnet.profiles.portability.report import ImportRefused

# Room for the multipart envelope (boundaries, headers, the CSRF field) around the file.
MULTIPART_OVERHEAD = 64 * 1024


def too_large(limit: int, size: int | None = None) -> ImportRefused:
    if size is None:
        message = _("The file is too large: the limit is %(limit)s.") % {"limit": filesizeformat(limit)}
    else:
        message = _("The file is too large (%(size)s): the limit is %(limit)s.") % {
            "size": filesizeformat(size),
            "limit": filesizeformat(limit),
        }
    return ImportRefused(message, code="too_large")


def check_request_size(request, limit: int) -> None:
    """Refuse a request whose declared body is larger than `limit` (plus the multipart
    envelope) before Django parses it."""
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length > limit + MULTIPART_OVERHEAD:
        raise too_large(limit, length)


def read_upload(upload, limit: int) -> bytes:
    """The bytes of an uploaded file, refused when larger than `limit`."""
    if upload.size is not None and upload.size > limit:
        raise too_large(limit, upload.size)
    upload.seek(0)
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise too_large(limit)
    return data


def import_dir() -> Path:
    """Where uploaded archives wait for their import task: under the data directory, never
    under MEDIA_ROOT (which a proxy may serve)."""
    path = Path(getattr(settings, "CARNET_IMPORT_DIR", settings.DATA_DIR / "imports"))
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    return path


def stash(upload) -> Path:
    """Save an upload under a random name only the server can read; the task deletes it."""
    path = import_dir() / f"{secrets.token_hex(16)}.zip"
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as out:
        upload.seek(0)
        for chunk in upload.chunks():
            out.write(chunk)
    return path


def discard(path) -> None:
    try:
        Path(path).unlink()
    except FileNotFoundError:
        pass


def owned_path(path: str) -> Path | None:
    """`path` if it is a file in the import folder (a task argument is data, not trusted)."""
    candidate = Path(path).resolve()
    if candidate.parent != import_dir().resolve() or not candidate.is_file():
        return None
    return candidate
