import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from carnet.feed import selectors
from carnet.feed.selectors import post_list_for_home
from tests.factories import FollowFactory, MemberFactory, PostFactory

pytestmark = pytest.mark.django_db


def _home_feed(alice, bob, carol):
    stranger = MemberFactory()
    followed = MemberFactory()
    FollowFactory(follower=alice, followed=followed)
    posts = {
        "own": PostFactory(author=alice, audience="connections"),
        "connection": PostFactory(author=bob, audience="connections"),
        "followed_public": PostFactory(author=followed, audience="public"),
        "followed_members": PostFactory(author=followed, audience="connections"),
        "second_degree_connections": PostFactory(author=carol, audience="connections"),
        "stranger_public": PostFactory(author=stranger, audience="public"),
    }
    shown = {item["post"].pk for item in post_list_for_home(viewer=alice)}
    return {name for name, post in posts.items() if post.pk in shown}


@pytest.mark.parametrize("large_network", [False, True], ids=["author-list", "subqueries"])
def test_home_feed_is_the_same_for_small_and_large_networks(alice, bob, carol, monkeypatch, large_network):
    # Hubs take the subquery path (LARGE_NETWORK authors and more): both give the same posts.
    if large_network:
        monkeypatch.setattr(selectors, "LARGE_NETWORK", 0)
    shown = _home_feed(alice, bob, carol)
    assert {"own", "connection", "followed_public", "stranger_public"} <= shown
    assert "followed_members" not in shown
    assert "second_degree_connections" not in shown


@pytest.mark.parametrize("window", [500, 6, 1], ids=["window-holds-all", "window-enough", "window-too-small"])
def test_a_hub_feed_is_the_network_newest_posts_whatever_the_window(alice, bob, carol, monkeypatch, window):
    # A hub's network posts are looked for among the newest posts of everyone first, and by
    # subqueries when too few are there: the same posts, in the same order, as the author list.
    stranger, followed = MemberFactory(), MemberFactory()
    FollowFactory(follower=alice, followed=followed)
    for author in [stranger, bob, stranger, followed, alice, stranger, carol, bob, stranger, bob]:
        PostFactory(author=author, audience="public")

    def shown(limit):
        return [item["post"].pk for item in post_list_for_home(viewer=alice, limit=limit)]

    expected = {limit: shown(limit) for limit in (1, 20)}
    monkeypatch.setattr(selectors, "LARGE_NETWORK", 0)
    monkeypatch.setattr(selectors, "RECENT_WINDOW", window)
    assert {limit: shown(limit) for limit in (1, 20)} == expected
    assert len(expected[1]) == 1 and len(expected[20]) == 10  # public posts fill up the feed


def test_a_hub_known_to_the_graph_engine_skips_reading_its_ids(alice, bob, monkeypatch):
    # The engine's count only picks the path (both give the same posts): an engine that says
    # "hub" saves the query that reads up to LARGE_NETWORK + 1 of the viewer's ids.
    from carnet.network import graph

    for author in [bob, MemberFactory(), alice]:
        PostFactory(author=author, audience="public")

    def shown():
        with CaptureQueriesContext(connection) as queries:
            pks = [item["post"].pk for item in post_list_for_home(viewer=alice)]
        return pks, len(queries.captured_queries)

    expected, _queries = shown()
    monkeypatch.setattr(selectors, "LARGE_NETWORK", 0)
    as_hub, hub_queries = shown()

    class Engine:
        def connection_count(self, member_id):
            return 1

    monkeypatch.setattr(graph, "engine", lambda: Engine())
    assert shown() == (expected, hub_queries - 1)
    assert as_hub == expected


@pytest.mark.parametrize("count", [1, 4, 6, 7])
def test_posts_are_loaded_as_the_orm_loads_them(alice, bob, count, django_assert_num_queries):
    # The chosen posts are loaded by SQL built once for `size` ids (padded with the last id).
    posts = [PostFactory(author=author, audience="public") for author in [alice, bob, MemberFactory()] * 3]
    ids = [post.pk for post in posts[:count]]

    def shown(post):
        author, profile = post.author, post.author.profile
        return (
            post.pk, post.created, post.body, post.audience, author.display_name, author.is_active,
            profile.slug, profile.headline, profile.location, profile.photo.name, profile.visibility,
        )  # fmt: skip

    loaded = selectors._load_posts(ids, size=6)
    with django_assert_num_queries(0):  # the same columns loaded, nothing deferred read later
        compiled = sorted(shown(post) for post in loaded)
    assert compiled == sorted(shown(post) for post in selectors._post_queryset(ids))
    assert len(compiled) == count
