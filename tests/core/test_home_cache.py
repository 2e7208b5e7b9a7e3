"""The home page's posts are cached fragments (carnet.core.fragments): a new post, an edited
author card, a changed audience or a block shows on the next request."""

import pytest

from carnet.network.services import block_create, connection_create
from carnet.profiles import services
from tests.factories import PostFactory
from tests.pages import page_html

pytestmark = pytest.mark.django_db


def _page(client) -> str:
    return page_html(client, "/")


def test_a_hit_shows_what_a_miss_shows(alice_client, bob, monkeypatch):
    from carnet.core import fragments

    PostFactory(author=bob, body="Hello from Bob", audience="connections")
    monkeypatch.setattr(fragments, "_salt", lambda: "a new deployment")
    first, second = _page(alice_client), _page(alice_client)
    assert first == second and "Hello from Bob" in second


def test_changes_show_on_the_next_request(alice_client, alice, bob, mallory):
    PostFactory(author=bob, body="Bob's first post", audience="connections")
    assert "Bob&#x27;s first post" in _page(alice_client)

    PostFactory(author=bob, body="Second post", audience="connections")
    assert "Second post" in _page(alice_client)

    services.profile_update(profile=bob.profile, headline="Headline edited just now")
    assert "Headline edited just now" in _page(alice_client)
    services.profile_visibility_update(profile=bob.profile, choices={"headline": "only_me"})
    assert "Headline edited just now" not in _page(alice_client)

    # Mallory's connections-only post appears once she and Alice connect...
    PostFactory(author=mallory, body="For my connections", audience="connections")
    assert "For my connections" not in _page(alice_client)
    connection_create(member=alice, other=mallory)
    assert "For my connections" in _page(alice_client)
    # ... and every post of hers disappears when one blocks the other.
    block_create(blocker=mallory, blocked=alice)
    assert "For my connections" not in _page(alice_client)


def test_the_same_post_is_projected_for_each_viewer(client, alice, bob, mallory):
    # A public post by Bob whose headline only his connections see: Alice (a connection) sees
    # the headline, Mallory (a stranger) sees the post without it, whoever came first.
    services.profile_update(profile=bob.profile, headline="For connections only")
    services.profile_visibility_update(profile=bob.profile, choices={"headline": "connections"})
    PostFactory(author=bob, body="A public post", audience="public")
    client.force_login(alice)
    assert "For connections only" in _page(client)
    client.force_login(mallory)
    page = _page(client)
    assert "A public post" in page and "For connections only" not in page
