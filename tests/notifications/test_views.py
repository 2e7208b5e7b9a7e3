"""The notifications page: mine only, paginated, marking read (with and without htmx)."""

import pytest
from django.test import Client

from carnet.notifications.models import Notification
from carnet.notifications.services import notify

pytestmark = pytest.mark.django_db


@pytest.fixture
def alice_notes(alice):
    return [notify(recipient=alice, kind="test", text=f"alice note {i}", url="/jobs/") for i in range(3)]


@pytest.mark.parametrize(
    "method,url",
    [
        ("get", "/notifications/"),
        ("post", "/notifications/read/"),
        ("get", "/notifications/1/"),
        ("post", "/notifications/1/read/"),
    ],
)
def test_anonymous_is_sent_to_login(method, url):
    response = getattr(Client(), method)(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_list_shows_mine_and_does_not_mark_them_read(alice_client, alice_notes, mallory, django_assert_max_num_queries):
    notify(recipient=mallory, kind="test", text="mallory note")
    with django_assert_max_num_queries(8):
        html = alice_client.get("/notifications/").content.decode()
    assert html.count("alice note") == 3
    assert "mallory note" not in html
    assert Notification.objects.filter(read__isnull=True).count() == 4


def test_list_is_paginated(alice_client, alice):
    for i in range(30):
        notify(recipient=alice, kind="test", text=f"n{i:02d}")
    first = alice_client.get("/notifications/").content.decode()
    second = alice_client.get("/notifications/?page=2").content.decode()
    assert "n29" in first and "n05" in first and "n04" not in first
    assert "n04" in second and "n00" in second


def test_opening_a_notification_marks_it_read_and_follows_its_link(alice_client, alice_notes):
    response = alice_client.get(f"/notifications/{alice_notes[0].pk}/")
    assert response["Location"] == "/jobs/"
    alice_notes[0].refresh_from_db()
    assert alice_notes[0].read is not None


def test_opening_never_redirects_off_site(alice_client, alice):
    note = notify(recipient=alice, kind="test", text="x", url="https://evil.example/")
    assert alice_client.get(f"/notifications/{note.pk}/")["Location"] == "/notifications/"


def test_mark_one_read_with_htmx_returns_the_item_and_the_badge(alice_client, alice_notes):
    response = alice_client.post(f"/notifications/{alice_notes[1].pk}/read/", HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    html = response.content.decode()
    assert f'id="notification-{alice_notes[1].pk}"' in html
    assert 'class="notification"' in html  # no longer "unread"
    assert 'id="unread-badge" hx-swap-oob="true"' in html
    assert '<span aria-hidden="true">2</span>' in html


def test_mark_all_read(alice_client, alice, alice_notes):
    response = alice_client.post("/notifications/read/")
    assert response["Location"] == "/notifications/"
    assert not Notification.objects.filter(recipient=alice, read__isnull=True).exists()


def test_mallory_cannot_open_or_mark_alices(mallory_client, alice_notes):
    assert mallory_client.get(f"/notifications/{alice_notes[0].pk}/").status_code == 404
    assert mallory_client.post(f"/notifications/{alice_notes[0].pk}/read/").status_code == 404
    mallory_client.post("/notifications/read/")
    assert Notification.objects.filter(read__isnull=True).count() == 3
