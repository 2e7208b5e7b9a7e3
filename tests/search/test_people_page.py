"""The /search/ page: access, degree filter, blocks, plan depth, bad input, query counts."""

import dataclasses

import pytest
from django.urls import reverse

from carnet.network import plans
from carnet.network.services import block_create
from tests.factories import MemberFactory, PlanGrantFactory

URL = reverse("search:people")


@pytest.fixture
def network(alice, bob, carol, mallory, reindex):
    """alice - bob - carol, and mallory a stranger; every name shares the word "Findme"."""
    for member in (alice, bob, carol, mallory):
        member.profile.headline = "Findme"
        member.profile.save()
    reindex()
    return {"alice": alice, "bob": bob, "carol": carol, "mallory": mallory}


def _names(response) -> list[str]:
    return [card.name for card in response.context["results"].cards]


def test_anonymous_visitor_is_sent_to_sign_in(client, network):
    response = client.get(URL, {"q": "findme"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_header_has_the_search_box_for_members_only(client, alice):
    assert 'role="search"' not in client.get(reverse("core:home")).content.decode()
    client.force_login(alice)
    page = client.get(reverse("core:home")).content.decode()
    assert 'id="header-search"' in page and f'action="{URL}"' in page


def test_stranger_finds_members_with_their_degree(client, network):
    client.force_login(network["mallory"])
    response = client.get(URL, {"q": "alice"})
    assert response.status_code == 200
    assert _names(response) == ["Alice Martin"]
    html = response.content.decode()
    assert "Alice Martin" in html and "Out of network" in html


def test_owner_sees_every_degree_and_filters_by_it(client, network):
    client.force_login(network["alice"])
    response = client.get(URL, {"q": "findme"})
    degrees = {card.name: card.degree for card in response.context["results"].cards}
    assert degrees == {"Alice Martin": 0, "Bob Durand": 1, "Carol Petit": 2, "Mallory Stranger": None}
    assert _names(client.get(URL, {"q": "findme", "degree": "1"})) == ["Bob Durand"]
    assert _names(client.get(URL, {"q": "findme", "degree": "2"})) == ["Carol Petit"]
    assert _names(client.get(URL, {"q": "findme", "degree": "3"})) == ["Mallory Stranger"]
    assert sorted(_names(client.get(URL, {"q": "findme", "degree": ["1", "2"]}))) == ["Bob Durand", "Carol Petit"]
    # A degree filter alone is a search: "all my connections".
    assert _names(client.get(URL, {"degree": "1"})) == ["Bob Durand"]


def test_blocked_members_are_hidden_both_ways(client, network):
    alice, mallory = network["alice"], network["mallory"]
    block_create(blocker=alice, blocked=mallory)
    client.force_login(alice)
    assert "Mallory Stranger" not in _names(client.get(URL, {"q": "findme"}))
    assert client.get(URL, {"q": "findme"}).context["results"].total == 3
    client.force_login(mallory)
    assert "Alice Martin" not in _names(client.get(URL, {"q": "findme"}))


def test_empty_search_asks_for_words(client, alice):
    client.force_login(alice)
    response = client.get(URL)
    assert response.status_code == 200
    assert response.context["searched"] is False
    assert "Type a name" in response.content.decode()


def test_bad_input_gets_a_message_not_an_error(client, network):
    client.force_login(network["alice"])
    response = client.get(URL, {"q": "x" * 300, "degree": "7", "page": "abc"})
    assert response.status_code == 200
    form = response.context["form"]
    assert "q" in form.errors and "degree" in form.errors
    assert client.get(URL, {"q": "findme", "page": "-3"}).status_code == 200


def test_french_page(client, network):
    client.force_login(network["alice"])
    response = client.get(URL, {"q": "findme"}, HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 200
    assert '<html lang="fr">' in response.content.decode()


@pytest.fixture
def small_depth(monkeypatch):
    """Free members may see 3 results of a search (instead of 100), to test the cap cheaply."""
    monkeypatch.setattr(plans, "FREE", dataclasses.replace(plans.FREE, search_depth=3))


def test_free_plan_depth_cuts_the_results_and_names_the_limit(client, network, small_depth, reindex):
    for i in range(3):
        MemberFactory(first_name=f"Extra{i}", last_name="Findme")
    reindex()
    client.force_login(network["mallory"])
    response = client.get(URL, {"q": "findme"})
    results = response.context["results"]
    assert results.total == 7 and len(results.cards) == 3
    html = response.content.decode()
    assert "You have reached your limit of 3 search results shown." in html
    assert response.context["next_page"] is None
    beyond = client.get(URL, {"q": "findme", "page": "2"})
    assert beyond.status_code == 200
    assert beyond.context["results"].cards == []
    assert "You have reached your limit of 3 search results shown." in beyond.content.decode()


def test_real_free_depth_is_100_and_premium_1000(client, network):
    client.force_login(network["mallory"])
    # Page 11 starts at result 101: past the Free plan's 100.
    response = client.get(URL, {"q": "findme", "page": "11"})
    assert "You have reached your limit of 100 search results shown." in response.content.decode()
    PlanGrantFactory(user=network["mallory"])
    response = client.get(URL, {"q": "findme", "page": "11"})
    assert "limit of" not in response.content.decode()
    assert response.context["results"].depth == 1000


def test_results_page_queries_do_not_grow_with_the_page(client, alice, reindex, django_assert_max_num_queries):
    from carnet.network.services import connection_create

    members = [MemberFactory(first_name=f"Member{i}", last_name="Crowd") for i in range(12)]
    for member in members[:6]:
        connection_create(member=alice, other=member)
    reindex()
    client.force_login(alice)
    client.get(URL, {"q": "crowd member1"})  # warm the session, plan and content types
    with django_assert_max_num_queries(16) as one:
        response = client.get(URL, {"q": "crowd member1"})
    assert len(response.context["results"].cards) == 3  # Member1, Member10, Member11
    with django_assert_max_num_queries(len(one.captured_queries)) as page:
        response = client.get(URL, {"q": "crowd"})
    assert len(response.context["results"].cards) == 10
    assert len(page.captured_queries) == len(one.captured_queries)


def test_a_search_too_broad_for_the_engine_asks_to_narrow_it(client, network, monkeypatch):
    from carnet.search.engines import DatabaseEngine, SearchTimeout

    def give_up(self, *args, **kwargs):
        raise SearchTimeout

    monkeypatch.setattr(DatabaseEngine, "search", give_up)
    client.force_login(network["alice"])
    response = client.get(URL, {"degree": "3"})
    assert response.status_code == 200
    assert "This search is too broad to answer quickly." in response.content.decode()
    api = client.get("/api/v1/search/people", {"degree": "3"})
    assert api.status_code == 400
    assert api.json()["detail"].startswith("This search is too broad")
