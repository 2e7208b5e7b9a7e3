"""/api/v1/notifications: my notifications only, cursor-paginated; marking read."""

import pytest

from carnet.notifications.models import Notification
from carnet.notifications.services import notify
from tests.api.conftest import bearer

pytestmark = pytest.mark.django_db


@pytest.fixture
def alice_notes(alice):
    return [notify(recipient=alice, kind="test", text=f"note {i}", url=f"/in/x{i}/") for i in range(5)]


def test_anonymous_gets_401(client):
    assert client.get("/api/v1/notifications").status_code == 401
    assert client.post("/api/v1/notifications/read").status_code == 401


def test_list_is_mine_newest_first_with_absolute_urls(alice_client, alice_notes, mallory):
    notify(recipient=mallory, kind="test", text="for mallory")
    body = alice_client.get("/api/v1/notifications").json()
    assert [n["text"] for n in body["items"]] == [f"note {i}" for i in reversed(range(5))]
    assert body["items"][0]["url"] == "http://testserver/in/x4/"
    assert body["unread"] == 5
    assert body["next_cursor"] is None


def test_pages_follow_the_cursor(alice_client, alice_notes, django_assert_max_num_queries):
    with django_assert_max_num_queries(6):
        first = alice_client.get("/api/v1/notifications", {"limit": 2}).json()
    second = alice_client.get("/api/v1/notifications", {"limit": 2, "cursor": first["next_cursor"]}).json()
    third = alice_client.get("/api/v1/notifications", {"limit": 2, "cursor": second["next_cursor"]}).json()
    texts = [n["text"] for page in (first, second, third) for n in page["items"]]
    assert texts == [f"note {i}" for i in reversed(range(5))]
    assert third["next_cursor"] is None


def test_mark_one_read(alice_client, alice_notes):
    target = alice_notes[0]
    response = alice_client.post(f"/api/v1/notifications/{target.pk}/read")
    assert response.status_code == 200
    assert response.json()["read"] is not None
    unread = alice_client.get("/api/v1/notifications", {"unread": True}).json()
    assert target.pk not in [n["id"] for n in unread["items"]]
    assert unread["unread"] == 4


def test_mallory_cannot_read_or_mark_alices(mallory_client, alice_notes):
    assert mallory_client.get("/api/v1/notifications").json()["items"] == []
    response = mallory_client.post(f"/api/v1/notifications/{alice_notes[0].pk}/read")
    assert response.status_code == 404
    assert Notification.objects.get(pk=alice_notes[0].pk).read is None


def test_mark_all_read_needs_a_write_token(client, alice, alice_notes, read_token, write_token):
    assert client.post("/api/v1/notifications/read", **bearer(read_token)).status_code == 403
    response = client.post("/api/v1/notifications/read", **bearer(write_token))
    assert response.json() == {"marked": 5}
    assert not Notification.objects.filter(recipient=alice, read__isnull=True).exists()
