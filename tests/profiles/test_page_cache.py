"""The cached parts of another member's profile page (carnet.core.fragments, profiles.views._parts):
a hit shows exactly what a miss shows, costs fewer queries, and every change a member makes, or a
change of the viewer's relation, shows on the very next request."""

import pytest
from django.test.utils import CaptureQueriesContext

from carnet.network.services import block_create, connection_create, connection_remove
from carnet.profiles import services
from tests.factories import MemberFactory, PositionFactory
from tests.pages import page_html

pytestmark = pytest.mark.django_db


def _page(client, url) -> str:
    return page_html(client, url)


@pytest.mark.parametrize("viewer", ["anonymous", "stranger", "connection"])
def test_a_hit_shows_what_a_miss_shows_with_fewer_queries(client, alice, bob, mallory, viewer, monkeypatch):
    from django.db import connection

    from carnet.core import fragments

    PositionFactory(profile=alice.profile, title="Data engineer", organization__name="Acme")
    services.profile_update(profile=alice.profile, headline="Builds pipelines", about="About Alice", phone="0102")
    if viewer != "anonymous":
        client.force_login(mallory if viewer == "stranger" else bob)
    url = alice.profile.get_absolute_url()
    _page(client, url)  # sessions, "who viewed my profile"
    monkeypatch.setattr(fragments, "_salt", lambda: "a new deployment")  # fresh keys: a miss
    with CaptureQueriesContext(connection) as miss:
        first = _page(client, url)
    with CaptureQueriesContext(connection) as hit:
        second = _page(client, url)
    assert first == second
    assert "Data engineer" in second and "Acme" in second and "Builds pipelines" in second
    assert len(hit.captured_queries) <= len(miss.captured_queries) - 8


def test_edits_show_on_the_next_request(client, alice, mallory):
    client.force_login(mallory)
    url = alice.profile.get_absolute_url()
    position = PositionFactory(profile=alice.profile, title="Analyst", organization__name="Acme")
    assert "Analyst" in _page(client, url)

    services.profile_update(profile=alice.profile, headline="New headline")
    assert "New headline" in _page(client, url)
    services.profile_intro_update(profile=alice.profile, first_name="Alicia", last_name="Martin")
    assert "Alicia Martin" in _page(client, url)

    services.section_item_update(item=position, data={"title": "Lead analyst"})
    page = _page(client, url)
    assert "Lead analyst" in page
    # A renamed company page shows under the position at once (the company row is in the digest).
    position.organization.name = "Acme Renamed"
    position.organization.save()
    assert "Acme Renamed" in _page(client, url)

    services.section_item_delete(item=position)
    assert "Lead analyst" not in _page(client, url)
    services.profile_skill_add(profile=alice.profile, name="Kubernetes")
    assert "Kubernetes" in _page(client, url)


def test_a_changed_audience_shows_on_the_next_request(client, alice, bob, mallory):
    services.profile_update(profile=alice.profile, about="Only for my connections soon")
    url = alice.profile.get_absolute_url()
    client.force_login(mallory)
    assert "Only for my connections soon" in _page(client, url)
    services.profile_visibility_update(profile=alice.profile, choices={"about": "connections"})
    assert "Only for my connections soon" not in _page(client, url)
    client.force_login(bob)
    assert "Only for my connections soon" in _page(client, url)


def test_connect_remove_and_block_show_on_the_next_request(client, alice, mallory):
    # Contact info is for connections only (the default).
    services.profile_update(profile=alice.profile, phone="+33 6 12 34 56 78")
    url = alice.profile.get_absolute_url()
    client.force_login(mallory)
    assert "+33 6 12 34 56 78" not in _page(client, url)
    connection_create(member=alice, other=mallory)
    assert "+33 6 12 34 56 78" in _page(client, url)
    connection_remove(member=alice, other=mallory)
    assert "+33 6 12 34 56 78" not in _page(client, url)
    connection_create(member=alice, other=mallory)
    assert "+33 6 12 34 56 78" in _page(client, url)
    block_create(blocker=alice, blocked=mallory)
    assert client.get(url).status_code == 404


def test_an_entry_never_serves_another_audience(client, alice, bob, mallory):
    """The same profile, the same moment: a connection's page (with contact info) is cached
    first, then a stranger and an anonymous visitor get their own projection."""
    services.profile_update(profile=alice.profile, phone="+33 1 23 45 67 89", pronouns="she/her")
    url = alice.profile.get_absolute_url()
    client.force_login(bob)
    assert "+33 1 23 45 67 89" in _page(client, url)
    client.force_login(mallory)
    page = _page(client, url)
    assert "+33 1 23 45 67 89" not in page and "she/her" in page
    client.logout()
    page = _page(client, url)
    assert "+33 1 23 45 67 89" not in page and "she/her" not in page


def test_the_owner_page_is_not_served_from_another_audience(client, alice, bob):
    client.force_login(bob)
    _page(client, alice.profile.get_absolute_url())
    client.force_login(alice)
    page = _page(client, alice.profile.get_absolute_url())
    assert "Edit intro" in page


def test_a_new_member_profile_with_nothing_in_its_sections(client, mallory):
    member = MemberFactory(first_name="Zoe", last_name="Empty")
    client.force_login(mallory)
    assert "Zoe Empty" in _page(client, member.profile.get_absolute_url())
