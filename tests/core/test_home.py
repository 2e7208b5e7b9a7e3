"""The home page: posts the viewer may see, in a number of queries that does not grow with them."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import MemberFactory, PostFactory

pytestmark = pytest.mark.django_db


def _queries(client) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get("/").status_code == 200
    return len(captured.captured_queries)


@pytest.mark.parametrize("who", ["anonymous", "alice", "alice-as-a-hub"])
def test_home_queries_do_not_grow_with_posts(request, client, who, django_assert_max_num_queries, monkeypatch):
    if who == "alice-as-a-hub":
        from carnet.feed import selectors

        # A hub's feed looks among the newest posts of everyone first, then (the window holding
        # too few of its network's posts, its longest path) by subqueries.
        monkeypatch.setattr(selectors, "LARGE_NETWORK", 0)
        monkeypatch.setattr(selectors, "RECENT_WINDOW", 1)
    if who != "anonymous":
        request.getfixturevalue("bob")  # alice has a connection: the network branch of the selector
        client.force_login(request.getfixturevalue("alice"))
    PostFactory(author=MemberFactory(), audience="public")
    few = _queries(client)
    for _ in range(15):
        PostFactory(author=MemberFactory(), audience="public")
    with django_assert_max_num_queries(few):
        page = client.get("/").content.decode()
    assert page.count('class="post-author"') == 16


def test_anonymous_sees_public_posts_only(client, alice):
    PostFactory(author=alice, audience="public", body="Hello everyone")
    PostFactory(author=alice, audience="connections", body="Only for my connections")
    page = client.get("/").content.decode()
    assert "Hello everyone" in page and "Only for my connections" not in page


def test_connection_sees_connection_posts_stranger_does_not(client, alice, bob, mallory):
    PostFactory(author=alice, audience="connections", body="Only for my connections")
    client.force_login(bob)
    assert "Only for my connections" in client.get("/").content.decode()
    client.force_login(mallory)
    assert "Only for my connections" not in client.get("/").content.decode()
