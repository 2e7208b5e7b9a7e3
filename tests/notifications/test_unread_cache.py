"""The cached unread badge: after every kind of write, the next page shows the new count.

These tests run outside a test transaction (transaction=True): inside one, the cache is not
used at all (carnet/notifications/unread.py), and on-commit hooks would never run."""

import re

import pytest
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext

from carnet.core import tokencache
from carnet.network.services import block_create
from carnet.notifications import unread
from carnet.notifications.models import Notification
from carnet.notifications.services import notifications_forget_between, notify
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def alice(db):
    return MemberFactory(email="alice@example.org", first_name="Alice", last_name="Martin")


@pytest.fixture
def mallory(db):
    return MemberFactory(email="mallory@example.org", first_name="Mallory", last_name="Evil")


@pytest.fixture
def alice_client(alice):
    client = Client()
    client.force_login(alice)
    return client


def badge(client) -> int:
    html = client.get("/jobs/").content.decode()
    shown = re.search(r'<span id="unread-badge"[^>]*><span aria-hidden="true">(\d*)</span>', html).group(1)
    return int(shown or 0)


def _count_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        client.get("/jobs/")
    return sum("notifications_notification" in q["sql"] for q in queries.captured_queries)


def test_the_count_is_read_from_the_cache_until_it_changes(alice_client, alice):
    notify(recipient=alice, kind="test", text="one")
    assert badge(alice_client) == 1
    assert _count_queries(alice_client) == 0
    notify(recipient=alice, kind="test", text="two")
    assert _count_queries(alice_client) == 1
    assert badge(alice_client) == 2


def test_a_new_notification_shows_on_the_next_page(alice_client, alice, mallory):
    assert badge(alice_client) == 0
    notify(recipient=alice, kind="test", text="one", actor=mallory)
    assert badge(alice_client) == 1
    notify(recipient=mallory, kind="test", text="not alice's")
    assert badge(alice_client) == 1


def test_opening_a_notification_marks_it_read_on_the_next_page(alice_client, alice):
    first = notify(recipient=alice, kind="test", text="one", url="/jobs/")
    notify(recipient=alice, kind="test", text="two")
    assert badge(alice_client) == 2
    alice_client.get(f"/notifications/{first.pk}/")
    assert badge(alice_client) == 1


@pytest.mark.parametrize("htmx", [False, True])
def test_marking_one_read_shows_on_the_next_page(alice_client, alice, htmx):
    first = notify(recipient=alice, kind="test", text="one")
    notify(recipient=alice, kind="test", text="two")
    assert badge(alice_client) == 2
    headers = {"HX-Request": "true"} if htmx else {}
    alice_client.post(f"/notifications/{first.pk}/read/", headers=headers)
    assert badge(alice_client) == 1


def test_marking_all_read_shows_on_the_next_page(alice_client, alice):
    for i in range(3):
        notify(recipient=alice, kind="test", text=f"note {i}")
    assert badge(alice_client) == 3
    alice_client.post("/notifications/read/")
    assert badge(alice_client) == 0


def test_marking_read_through_the_api_shows_on_the_next_page(alice_client, alice):
    from carnet.accounts.services import token_create

    first = notify(recipient=alice, kind="test", text="one")
    notify(recipient=alice, kind="test", text="two")
    notify(recipient=alice, kind="test", text="three")
    assert badge(alice_client) == 3
    _token, secret = token_create(user=alice, name="t", scope="write")
    api = Client(headers={"Authorization": f"Bearer {secret}"})
    assert api.post(f"/api/v1/notifications/{first.pk}/read").status_code == 200
    assert badge(alice_client) == 2
    assert api.post("/api/v1/notifications/read").status_code == 200
    assert badge(alice_client) == 0


def test_a_block_removes_the_notifications_from_the_badge(alice_client, alice, mallory):
    notify(recipient=alice, kind="test", text="from mallory", actor=mallory)
    notify(recipient=alice, kind="test", text="from nobody")
    assert badge(alice_client) == 2
    block_create(blocker=alice, blocked=mallory)
    assert badge(alice_client) == 1


def test_forgetting_between_two_members_shows_on_both_badges(alice_client, alice, mallory):
    notify(recipient=alice, kind="test", text="from mallory", actor=mallory)
    notify(recipient=mallory, kind="test", text="from alice", actor=alice)
    mallory_client = Client()
    mallory_client.force_login(mallory)
    assert badge(alice_client) == badge(mallory_client) == 1
    notifications_forget_between(member_id=mallory.pk, other_id=alice.pk)
    assert badge(alice_client) == badge(mallory_client) == 0


def test_deleting_the_actor_account_removes_its_notifications_from_the_badge(alice_client, alice, mallory):
    notify(recipient=alice, kind="test", text="from mallory", actor=mallory)
    assert badge(alice_client) == 1
    mallory.delete()
    assert badge(alice_client) == 0


def test_a_queryset_delete_shows_on_the_next_page(alice_client, alice):
    notify(recipient=alice, kind="test", text="one")
    assert badge(alice_client) == 1
    Notification.objects.filter(recipient=alice).delete()
    assert badge(alice_client) == 0


def test_a_write_inside_a_transaction_shows_once_committed_and_not_if_rolled_back(alice_client, alice):
    assert badge(alice_client) == 0
    with transaction.atomic():
        notify(recipient=alice, kind="test", text="kept")
        # Inside the transaction the count is exact, and nothing it saw is cached.
        assert unread.unread_count_cached(recipient=alice) == 1
    assert badge(alice_client) == 1

    class Rollback(Exception):
        pass

    with pytest.raises(Rollback), transaction.atomic():
        notify(recipient=alice, kind="test", text="rolled back")
        assert unread.unread_count_cached(recipient=alice) == 2
        raise Rollback
    assert badge(alice_client) == 1


def test_a_count_made_stale_while_it_was_read_is_never_served(alice, monkeypatch):
    """A page counts, a notification is created and committed, then the page stores its (old)
    count: the next page must still show the new one."""
    counted = unread.notification_unread_count

    def count_then_write(*, recipient):
        before = counted(recipient=recipient)
        monkeypatch.setattr(unread, "notification_unread_count", counted)
        notify(recipient=alice, kind="test", text="written meanwhile")
        return before

    monkeypatch.setattr(unread, "notification_unread_count", count_then_write)
    assert unread.unread_count_cached(recipient=alice) == 0  # the racing page showed the old count
    assert unread.unread_count_cached(recipient=alice) == 1


def test_the_badge_works_without_the_cache(alice, monkeypatch):
    notify(recipient=alice, kind="test", text="one")

    def broken(*args, **kwargs):
        raise ConnectionError("cache down")

    monkeypatch.setattr(tokencache.cache, "get", broken)
    assert unread.unread_count_cached(recipient=alice) == 1
    monkeypatch.setattr(tokencache.cache, "delete_many", broken)
    notify(recipient=alice, kind="test", text="two")  # the write does not fail
    assert unread.unread_count_cached(recipient=alice) == 2
