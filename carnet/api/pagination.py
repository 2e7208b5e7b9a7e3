"""Cursor pagination for the API: stable under inserts, no OFFSET scans.

The cursor is an opaque, signed token of the last row's (sort key, id). Callers give a
queryset ordered by (`key` descending, id descending) and get a page plus the next cursor.
"""

from __future__ import annotations

from django.core import signing
from django.db.models import Q, QuerySet
from ninja.errors import HttpError

_signer = signing.Signer(salt="carnet.api.cursor")


def encode_cursor(values: list) -> str:
    return _signer.sign_object(values, compress=True)


def decode_cursor(cursor: str) -> list:
    try:
        return _signer.unsign_object(cursor)
    except signing.BadSignature as exc:
        raise HttpError(400, "Invalid cursor.") from exc


def paginate(queryset: QuerySet, *, cursor: str | None, limit: int, key: str = "id") -> tuple[list, str | None]:
    """One page of `queryset` in (`key` desc, id desc) order and the cursor of the next page."""
    limit = max(1, min(limit, 100))
    ordered = queryset.order_by(f"-{key}", "-id") if key != "id" else queryset.order_by("-id")
    if cursor:
        values = decode_cursor(cursor)
        if key == "id":
            ordered = ordered.filter(id__lt=values[0])
        else:
            ordered = ordered.filter(Q(**{f"{key}__lt": values[0]}) | Q(**{key: values[0], "id__lt": values[1]}))
    rows = list(ordered[: limit + 1])
    next_cursor = None
    if len(rows) > limit:
        rows = rows[:limit]
        last = rows[-1]
        sort_value = getattr(last, key)
        if hasattr(sort_value, "isoformat"):
            sort_value = sort_value.isoformat()
        next_cursor = encode_cursor([last.id] if key == "id" else [sort_value, last.id])
    return rows, next_cursor
