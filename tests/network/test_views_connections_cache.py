"""My network's rows are cached fragments (carnet.core.fragments): what changes shows on the next
request, and the page reads the same whether its rows were cached or not."""

import pytest

from carnet.network.services import block_create, connection_create, connection_remove, label_add_member, label_create
from carnet.profiles import services
from tests.factories import MemberFactory
from tests.pages import page_html

pytestmark = pytest.mark.django_db


def _page(client, url="/network/") -> str:
    return page_html(client, url)


def test_a_hit_shows_what_a_miss_shows(alice_client, alice, bob, monkeypatch):
    from carnet.core import fragments

    services.profile_update(profile=bob.profile, headline="Bob builds bridges")
    monkeypatch.setattr(fragments, "_salt", lambda: "a new deployment")
    first, second = _page(alice_client), _page(alice_client)
    assert first == second and "Bob builds bridges" in second


def test_connect_remove_edit_label_and_block_show_on_the_next_request(alice_client, alice, bob):
    dave = MemberFactory(first_name="Dave", last_name="Newman")
    assert "Bob Durand" in _page(alice_client) and "Dave Newman" not in _page(alice_client)

    connection_create(member=alice, other=dave)
    page = _page(alice_client)
    assert "Dave Newman" in page and "2 connections" in page

    services.profile_update(profile=dave.profile, headline="Freshly edited headline")
    assert "Freshly edited headline" in _page(alice_client)
    # Dave hides his headline from everyone: the cached row must not keep showing it.
    services.profile_visibility_update(profile=dave.profile, choices={"headline": "only_me"})
    assert "Freshly edited headline" not in _page(alice_client)

    label = label_create(owner=alice, name="Climbing club")
    label_add_member(label=label, member=dave)
    assert "Climbing club" in _page(alice_client)

    connection_remove(member=alice, other=dave)
    page = _page(alice_client)
    assert "Dave Newman" not in page and "1 connection" in page

    block_create(blocker=bob, blocked=alice)
    assert "Bob Durand" not in _page(alice_client)


def test_rows_are_not_shared_between_viewers(client, alice, bob, carol):
    # Bob is connected to both: Alice's labels on Bob never show on Carol's page, and the
    # links back to the page carry each viewer's own address.
    label_add_member(label=label_create(owner=alice, name="Private label of Alice"), member=bob)
    client.force_login(alice)
    assert "Private label of Alice" in _page(client)
    client.force_login(carol)
    assert "Private label of Alice" not in _page(client)
    assert "Bob Durand" in _page(client, "/network/?page=1")
    assert "next=/network/%3Fpage%3D1" in _page(client, "/network/?page=1")
