"""Cursor pagination for the API: stable under inserts, no OFFSET scans.

The cursor is an opaque, signed token of the last row's (sort key, id). Callers give a
queryset and the name of a sort key; they get a page in (key descending, id descending)
order plus the cursor of the next page (None on the last page). Rows inserted while a
client walks the pages land before its cursor, so it never sees a row twice nor skips one.
A cursor that was tampered with, or made for another sort key, is answered with 400.
"""

from __future__ import annotations

import datetime

from django.core import signing
from django.db.models import Q, QuerySet
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from ninja.errors import HttpError

MAX_LIMIT = 100

_signer = signing.Signer(salt="carnet.api.cursor")


def encode_cursor(values: list) -> str:
    return _signer.sign_object(values, compress=True)


def decode_cursor(cursor: str) -> list:
    try:
        values = _signer.unsign_object(cursor)
    except (signing.BadSignature, ValueError, TypeError) as exc:
        raise HttpError(400, _("Invalid cursor.")) from exc
    if not isinstance(values, list):
        raise HttpError(400, _("Invalid cursor."))
    return values


def _cursor_for(row, key: str) -> str:
    if key == "id":
        return encode_cursor(["id", row.id])
    value = getattr(row, key)
    if isinstance(value, datetime.datetime | datetime.date):
        value = value.isoformat()
    return encode_cursor([key, value, row.id])


def _after(ordered: QuerySet, cursor: str, key: str) -> QuerySet:
    values = decode_cursor(cursor)
    if not values or values[0] != key or len(values) != (2 if key == "id" else 3):
        raise HttpError(400, _("Invalid cursor."))
    last_id = values[-1]
    if not isinstance(last_id, int):
        raise HttpError(400, _("Invalid cursor."))
    if key == "id":
        return ordered.filter(id__lt=last_id)
    value = values[1]
    if isinstance(value, str) and (parsed := parse_datetime(value)) is not None:
        value = parsed
    return ordered.filter(Q(**{f"{key}__lt": value}) | Q(**{key: value, "id__lt": last_id}))


def paginate(queryset: QuerySet, *, cursor: str | None, limit: int, key: str = "id") -> tuple[list, str | None]:
    """One page of `queryset` in (`key` desc, id desc) order and the cursor of the next page."""
    limit = max(1, min(limit, MAX_LIMIT))
    ordered = queryset.order_by(f"-{key}", "-id") if key != "id" else queryset.order_by("-id")
    if cursor:
        ordered = _after(ordered, cursor, key)
    rows = list(ordered[: limit + 1])
    if len(rows) <= limit:
        return rows, None
    rows = rows[:limit]
    return rows, _cursor_for(rows[-1], key)
