"""The cursor pagination helper: stable while rows are inserted, tamper-proof cursors."""

import datetime

import pytest
from django.utils import timezone
from ninja.errors import HttpError

from carnet.api.pagination import MAX_LIMIT, encode_cursor, paginate
from carnet.notifications.models import Notification

pytestmark = pytest.mark.django_db


def _make(recipient, n, *, at=None):
    rows = [Notification.objects.create(recipient=recipient, kind="test", text=f"n{i}") for i in range(n)]
    if at is not None:
        Notification.objects.filter(pk__in=[r.pk for r in rows]).update(created=at)
    return rows


def _walk(queryset, *, limit, key):
    seen, cursor = [], None
    while True:
        page, cursor = paginate(queryset, cursor=cursor, limit=limit, key=key)
        seen.extend(row.text for row in page)
        if cursor is None:
            return seen


@pytest.mark.parametrize("key", ["id", "created"])
def test_walks_every_row_once_newest_first(alice, key):
    _make(alice, 7)
    expected = list(Notification.objects.order_by(f"-{key}", "-id").values_list("text", flat=True))
    assert _walk(Notification.objects.all(), limit=3, key=key) == expected


def test_rows_sharing_a_timestamp_are_neither_skipped_nor_repeated(alice):
    _make(alice, 10, at=timezone.now() - datetime.timedelta(hours=1))
    seen = _walk(Notification.objects.all(), limit=3, key="created")
    assert sorted(seen) == sorted(f"n{i}" for i in range(10))
    assert len(seen) == 10


def test_stable_under_inserts_and_deletes(alice):
    rows = _make(alice, 6, at=timezone.now() - datetime.timedelta(days=1))
    before = list(Notification.objects.order_by("-created", "-id").values_list("text", flat=True))
    seen, cursor = [], None
    while True:
        page, cursor = paginate(Notification.objects.all(), cursor=cursor, limit=2, key="created")
        seen.extend(row.text for row in page)
        # Between two pages a newer row arrives and the row the cursor points at disappears.
        Notification.objects.create(recipient=alice, kind="test", text="inserted")
        Notification.objects.filter(pk=page[-1].pk).delete()
        if cursor is None:
            break
    assert seen == before
    assert len(rows) == len(before)


def test_last_page_has_no_cursor_and_empty_list_is_fine(alice):
    assert paginate(Notification.objects.all(), cursor=None, limit=10, key="created") == ([], None)
    _make(alice, 2)
    page, cursor = paginate(Notification.objects.all(), cursor=None, limit=2, key="created")
    assert len(page) == 2 and cursor is None


def test_limit_is_clamped(alice):
    _make(alice, 3)
    assert len(paginate(Notification.objects.all(), cursor=None, limit=0, key="id")[0]) == 1
    _make(alice, MAX_LIMIT)
    assert len(paginate(Notification.objects.all(), cursor=None, limit=10_000, key="id")[0]) == MAX_LIMIT


@pytest.mark.parametrize(
    "cursor",
    [
        "garbage",
        encode_cursor(["id", 5]) + "x",
        encode_cursor(["id", 5]),  # a cursor of another sort key
        encode_cursor(["created", "2024-01-01T00:00:00+00:00"]),  # no id
        encode_cursor(["created", "2024-01-01T00:00:00+00:00", "not an id"]),
        encode_cursor({"created": 1}),
    ],
)
def test_invalid_cursor_is_400(alice, cursor):
    with pytest.raises(HttpError) as caught:
        paginate(Notification.objects.all(), cursor=cursor, limit=10, key="created")
    assert caught.value.status_code == 400


def test_invalid_cursor_through_the_api(alice_client):
    response = alice_client.get("/api/v1/notifications", {"cursor": "garbage"})
    assert response.status_code == 400
    assert response.json() == {"error": "bad_request", "detail": "Invalid cursor."}
