"""The chain: mutual connections on a 2nd-degree profile, shortest chains on a 3rd-degree one,
hidden intermediates respected; the API (/chain, /mutual) and the profile page block; degree
badges from one batched lookup per page. Each test runs with the engine and with SQL."""

from __future__ import annotations

import pytest
from django.template import Context, Template
from django.test import RequestFactory

from carnet.network.graph.runtime import GraphRuntime, set_runtime
from carnet.network.models import Block
from carnet.network.services import connection_create
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(params=["engine", "sql"])
def answered_by(request):
    """Every test twice: from the graph engine (built from the test database) and from SQL."""
    runtime = GraphRuntime(mode="sync" if request.param == "engine" else "off")
    previous = set_runtime(runtime)
    yield request.param
    runtime.stop()
    set_runtime(previous)


def _hide_connections(member, audience="only_me"):
    profile = member.profile
    profile.visibility = {**profile.visibility, "connections": audience}
    profile.save(update_fields=["visibility"])
    from carnet.network import graph

    graph.on_member_changed(member)  # the hook runs on commit; tests do not commit


@pytest.fixture
def dave(db, carol):
    """carol's connection: alice's 3rd degree, through bob then carol."""
    dave = MemberFactory(email="dave@example.org", first_name="Dave", last_name="Moreau", password=None)
    connection_create(member=carol, other=dave)
    return dave


def _chain(client, member):
    return client.get(f"/api/v1/profiles/{member.profile.slug}/chain")


def _mutual(client, member, **params):
    return client.get(f"/api/v1/profiles/{member.profile.slug}/mutual", params)


# --- API access ------------------------------------------------------------------------
def test_anonymous_gets_401(client, answered_by, carol):
    assert _chain(client, carol).status_code == 401
    assert _mutual(client, carol).status_code == 401


def test_stranger_sees_no_chain_and_no_mutual(mallory_client, answered_by, alice, carol):
    body = _chain(mallory_client, carol).json()
    assert body == {"degree": None, "chains": [], "hidden": False}
    assert _mutual(mallory_client, carol).json() == {"total": 0, "items": [], "next_cursor": None}


def test_owner_sees_the_mutual_connection_of_a_2nd_degree_member(alice_client, answered_by, bob, carol):
    body = _chain(alice_client, carol).json()
    assert body["degree"] == 2
    assert [[m["slug"] for m in chain] for chain in body["chains"]] == [[bob.profile.slug]]
    assert body["chains"][0][0]["degree"] == 1 and body["chains"][0][0]["name"] == "Bob Durand"
    mutual = _mutual(alice_client, carol).json()
    assert mutual["total"] == 1 and [m["slug"] for m in mutual["items"]] == [bob.profile.slug]


def test_a_3rd_degree_chain_needs_the_second_hop_to_open_their_list(alice_client, answered_by, bob, carol, dave):
    # carol is 2nd degree to alice: by default her connections list is for her connections only.
    body = _chain(alice_client, dave).json()
    assert body == {"degree": 3, "chains": [], "hidden": True}
    _hide_connections(carol, "network")
    body = _chain(alice_client, dave).json()
    assert body["degree"] == 3 and body["hidden"] is False
    assert [[m["slug"] for m in chain] for chain in body["chains"]] == [[bob.profile.slug, carol.profile.slug]]


def test_up_to_three_distinct_chains_different_people_first(alice, alice_client, answered_by, dave):
    # Four ways from alice to dave: (b1, c1), (b1, c2), (b2, c2), (b3, c3).
    people = {name: MemberFactory(first_name=name, password=None) for name in ("b1", "b2", "b3", "c1", "c2", "c3")}
    for a, b in [("b1", "c1"), ("b1", "c2"), ("b2", "c2"), ("b3", "c3")]:
        connection_create(member=people[a], other=people[b])
    for name in ("b1", "b2", "b3"):
        connection_create(member=alice, other=people[name])
    for name in ("c1", "c2", "c3"):
        connection_create(member=people[name], other=dave)
        _hide_connections(people[name], "members")
    body = _chain(alice_client, dave).json()
    slugs = [[m["slug"] for m in chain] for chain in body["chains"]]
    expected = [[people[a].profile.slug, people[b].profile.slug] for a, b in [("b1", "c1"), ("b2", "c2"), ("b3", "c3")]]
    assert slugs == expected


def test_a_hidden_mutual_connection_is_counted_not_named(alice_client, answered_by, bob, carol):
    _hide_connections(bob)
    assert _mutual(alice_client, carol).json() == {"total": 1, "items": [], "next_cursor": None}
    assert _chain(alice_client, carol).json() == {"degree": 2, "chains": [], "hidden": True}


def test_blocked_members_are_missing_and_never_intermediates(alice, alice_client, answered_by, bob, carol, mallory):
    Block.objects.create(blocker=carol, blocked=alice)
    assert _chain(alice_client, carol).status_code == 404
    assert _mutual(alice_client, carol).status_code == 404
    Block.objects.all().delete()
    Block.objects.create(blocker=alice, blocked=bob)  # the block service would also disconnect them
    assert _chain(alice_client, carol).json()["chains"] == []


def test_mutual_pages_with_a_cursor(alice, alice_client, answered_by, bob, carol):
    friends = [MemberFactory(password=None) for _ in range(4)]
    for friend in friends:
        connection_create(member=alice, other=friend)
        connection_create(member=friend, other=carol)
    first = _mutual(alice_client, carol, limit=3).json()
    assert first["total"] == 5 and len(first["items"]) == 3 and first["next_cursor"]
    second = _mutual(alice_client, carol, limit=3, cursor=first["next_cursor"]).json()
    assert len(second["items"]) == 2 and second["next_cursor"] is None
    slugs = [m["slug"] for m in first["items"] + second["items"]]
    assert slugs == [m.profile.slug for m in sorted([bob, *friends], key=lambda m: m.pk)]
    assert _mutual(alice_client, carol, cursor="forged").status_code == 400


def test_unknown_profile_is_404(alice_client, answered_by):
    assert _chain(alice_client, type("M", (), {"profile": type("P", (), {"slug": "nobody"})})).status_code == 404


# --- The profile page ------------------------------------------------------------------
def test_profile_page_shows_how_you_are_connected(alice_client, answered_by, bob, carol):
    html = alice_client.get(carol.profile.get_absolute_url()).content.decode()
    assert "How you’re connected" in html
    assert "You and Carol Petit have 1 mutual connection." in html
    assert bob.profile.get_absolute_url() in html
    assert '<span aria-hidden="true">2nd</span>' in html  # the intro's degree badge


def test_profile_page_shows_a_3rd_degree_chain(alice_client, answered_by, bob, carol, dave):
    _hide_connections(carol, "members")
    html = alice_client.get(dave.profile.get_absolute_url()).content.decode()
    assert "A way to reach Dave Moreau" in html
    assert html.index(bob.profile.get_absolute_url()) < html.index(carol.profile.get_absolute_url())


def test_profile_page_of_a_stranger_and_of_oneself(alice, alice_client, mallory, answered_by):
    assert "is outside your network" in alice_client.get(mallory.profile.get_absolute_url()).content.decode()
    assert "How you’re connected" not in alice_client.get(alice.profile.get_absolute_url()).content.decode()


def test_anonymous_visitors_get_no_chain_block(client, answered_by, alice):
    html = client.get(alice.profile.get_absolute_url()).content.decode()
    assert "How you’re connected" not in html and "degree-badge" not in html


# --- Degree badges: one batched lookup per page ------------------------------------------
def test_a_page_of_25_cards_makes_no_query_per_member(alice, answered_by, django_assert_max_num_queries):
    from carnet.profiles.models import Profile
    from carnet.profiles.selectors import profile_cards

    people = [MemberFactory(password=None) for _ in range(25)]
    for first in people[:8]:
        connection_create(member=alice, other=first)
    for i, second in enumerate(people[8:16]):
        connection_create(member=people[i], other=second)
    for i, third in enumerate(people[16:20]):
        connection_create(member=people[8 + i], other=third)
    from carnet.network import graph

    graph.engine()  # built before the page (at start-up in production), not during it
    request = RequestFactory().get("/")
    request.user = alice
    page = Template('{% for v in views %}{% include "profiles/_card.html" with view=v %}{% endfor %}')
    # profiles (1) + degrees (engine: 0, SQL: 3) + blocks (1), whatever the page size.
    with django_assert_max_num_queries(2 if answered_by == "engine" else 5):
        profiles = list(Profile.objects.select_related("user").filter(pk__in=[p.pk for p in people]))
        html = page.render(Context({"views": profile_cards(profiles, viewer=alice), "request": request}))
    assert html.count("degree-badge degree-1") == 8
    assert html.count("degree-badge degree-2") == 8
    assert html.count("degree-badge degree-3") == 4
    assert html.count("degree-badge degree-out") == 5


def test_degree_badge_says_it_in_full_for_screen_readers(alice, bob):
    from carnet.profiles.selectors import profile_cards

    (card,) = profile_cards([bob.profile], viewer=alice)
    html = Template("{% load network_graph %}{% degree_badge view %}").render(Context({"view": card}))
    assert html == (
        '<span class="degree-badge degree-1"><span aria-hidden="true">1st</span>'
        '<span class="visually-hidden">1st-degree connection</span></span>'
    )
    (anonymous,) = profile_cards([bob.profile], viewer=None)
    assert Template("{% load network_graph %}{% degree_badge view %}").render(Context({"view": anonymous})) == ""


def test_the_profile_block_names_the_first_shown_mutual_connections_of_many(alice, answered_by, carol):
    """Of 30 mutual connections, some with a private list (found in batches on the profile page,
    never all checked): the same first dozen, in the same order, as checking every one."""
    from carnet.network.graph.selectors import MUTUAL_SHOWN, how_connected, mutual_connections

    members = []
    for _i in range(30):
        member = MemberFactory()
        connection_create(member=alice, other=member)
        connection_create(member=carol, other=member)
        members.append(member)
    for member in members[:20:2]:
        _hide_connections(member)
    connected = how_connected(viewer=alice, member_id=carol.pk)
    every = mutual_connections(viewer_id=alice.pk, member_id=carol.pk)
    assert [card.pk for card in connected.mutual] == every.ids[:MUTUAL_SHOWN]
    assert len(connected.mutual) == MUTUAL_SHOWN and connected.mutual_total == every.total
    assert mutual_connections(viewer_id=alice.pk, member_id=carol.pk, first=3).ids == every.ids[:3]
