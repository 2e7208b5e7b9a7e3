"""GET /api/v1/search/people: access, policy, degrees, blocks, depth, cursor, bad input."""

import dataclasses

import pytest

from carnet.accounts.services import token_create
from carnet.api.pagination import encode_cursor
from carnet.core.visibility import Audience
from carnet.network import plans
from carnet.network.services import block_create
from carnet.profiles.services import profile_update, profile_visibility_update
from tests.factories import MemberFactory

URL = "/api/v1/search/people"


@pytest.fixture
def network(alice, bob, carol, mallory, reindex):
    for member in (alice, bob, carol, mallory):
        profile_update(profile=member.profile, headline="Findme", location="Brest")
    reindex()
    return {"alice": alice, "bob": bob, "carol": carol, "mallory": mallory}


def _slugs(response) -> list[str]:
    return [item["slug"] for item in response.json()["items"]]


def test_anonymous_gets_401(client, network):
    response = client.get(URL, {"q": "findme"})
    assert response.status_code == 401
    assert response.json()["error"] == "not_authenticated"


def test_stranger_sees_only_what_members_may_see(client, network):
    alice, mallory = network["alice"], network["mallory"]
    profile_visibility_update(profile=alice.profile, choices={"location": Audience.CONNECTIONS})
    from carnet.search.services import index_members

    index_members(member_ids=[alice.pk])
    client.force_login(mallory)
    response = client.get(URL, {"q": "alice"})
    assert response.status_code == 200
    (item,) = response.json()["items"]
    assert item["name"] == "Alice Martin" and item["location"] is None
    assert item["relation"] == "member" and item["degree"] is None
    # Her location is hidden from members: the filter does not find her by it.
    assert alice.profile.slug not in _slugs(client.get(URL, {"location": "brest"}))


def test_read_token_of_the_owner_searches_with_degrees(client, network):
    alice = network["alice"]
    secret = token_create(user=alice, name="read", scope="read")[1]
    headers = {"HTTP_AUTHORIZATION": f"Bearer {secret}"}
    response = client.get(URL, {"q": "findme"}, **headers)
    assert response.status_code == 200
    degrees = {item["name"]: item["degree"] for item in response.json()["items"]}
    assert degrees == {"Alice Martin": 0, "Bob Durand": 1, "Carol Petit": 2, "Mallory Stranger": None}
    assert _slugs(client.get(URL, {"q": "findme", "degree": "2"}, **headers)) == [network["carol"].profile.slug]
    both = client.get(URL + "?q=findme&degree=1&degree=3", **headers)
    assert sorted(_slugs(both)) == sorted([network["bob"].profile.slug, network["mallory"].profile.slug])


def test_blocked_members_are_never_listed(client, network):
    alice, mallory = network["alice"], network["mallory"]
    block_create(blocker=mallory, blocked=alice)
    client.force_login(alice)
    assert mallory.profile.slug not in _slugs(client.get(URL, {"q": "findme"}))
    client.force_login(mallory)
    assert alice.profile.slug not in _slugs(client.get(URL, {"q": "findme"}))


def test_cursor_walks_every_result_once(client, network):
    client.force_login(network["alice"])
    seen, cursor = [], None
    for _ in range(5):
        params = {"q": "findme", "limit": 3, **({"cursor": cursor} if cursor else {})}
        body = client.get(URL, params).json()
        seen += [item["slug"] for item in body["items"]]
        assert body["total"] == 4 and body["depth"] == 100
        cursor = body["next_cursor"]
        if cursor is None:
            break
    assert len(seen) == len(set(seen)) == 4


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"q": "   "},
        {"q": "findme", "degree": "4"},
        {"q": "x" * 201},
        {"q": "findme", "cursor": "forged"},
        {"q": "findme", "cursor": encode_cursor(["id", 3])},
        {"q": "findme", "limit": "many"},
    ],
)
def test_bad_input_answers_a_clear_4xx(client, network, params):
    client.force_login(network["alice"])
    response = client.get(URL, params)
    assert response.status_code in (400, 422)
    assert response.json()["detail"]


def test_depth_answers_429_naming_the_limit(client, network, monkeypatch):
    monkeypatch.setattr(plans, "FREE", dataclasses.replace(plans.FREE, search_depth=3))
    client.force_login(network["mallory"])
    body = client.get(URL, {"q": "findme", "limit": 10}).json()
    assert len(body["items"]) == 3 and body["next_cursor"] is None and body["depth"] == 3
    response = client.get(URL, {"q": "findme", "cursor": encode_cursor(["people-search", 3])})
    assert response.status_code == 429
    assert response.json() == {
        "error": "quota_exceeded",
        "detail": "You have reached your limit of 3 search results shown.",
    }


def test_api_queries_do_not_grow_with_the_page(client, alice, reindex, django_assert_max_num_queries):
    for i in range(12):
        MemberFactory(first_name=f"Member{i}", last_name="Crowd")
    reindex()
    client.force_login(alice)
    client.get(URL, {"q": "crowd", "limit": 2})
    with django_assert_max_num_queries(15) as small:
        client.get(URL, {"q": "crowd", "limit": 2})
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert len(client.get(URL, {"q": "crowd", "limit": 12}).json()["items"]) == 12
