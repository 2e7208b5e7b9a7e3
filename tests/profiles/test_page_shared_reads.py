"""Another member's profile page reads what its blocks share once per request (the viewer's
blocks and connections, one query of flags for the buttons that also says whether there are
recommendations and endorsements, the skills and whether there are documents and timeline
entries with the profile): every change still shows on the very next request, for every
audience, and the page stays within a small, fixed number of queries."""

import pytest

from carnet.core import visibility
from carnet.network.endorsements import endorsement_add, endorsement_withdraw
from carnet.network.recommendations import recommendation_transition
from carnet.network.selectors import blocked_ids, profile_page_flags
from carnet.network.services import block_create, block_delete, follow_create, invitation_send
from carnet.profiles import services
from carnet.profiles.activity import history_record
from carnet.profiles.documents import document_create
from tests.factories import BlockFactory, MemberFactory, RecommendationFactory
from tests.pages import blank_per_request, page_html

pytestmark = pytest.mark.django_db


def _page(client, url) -> str:
    return page_html(client, url)


@pytest.mark.parametrize(("viewer", "most"), [("anonymous", 2), ("stranger", 7), ("connection", 7)])
def test_the_page_makes_few_queries(client, alice, bob, mallory, viewer, most, django_assert_max_num_queries):
    # The page with its cached parts (a hit): the profile with its skills, digests and flags (1),
    # the viewer's account, connections and blocks (3), the buttons' flags (1), the unread
    # count (1), the mutual connections (1, SQL here: the graph engine is not running in tests).
    services.profile_update(profile=alice.profile, headline="Builds pipelines")
    services.profile_skill_add(profile=alice.profile, name="Python")
    if viewer != "anonymous":
        client.force_login(mallory if viewer == "stranger" else bob)
    url = alice.profile.get_absolute_url()
    _page(client, url)  # sessions, "who viewed my profile", the cached parts
    with django_assert_max_num_queries(most):
        page = _page(client, url)
    assert "Builds pipelines" in page and "Python" in page


def test_an_accepted_then_hidden_recommendation_shows_on_the_next_request(client, alice, bob, mallory):
    recommendation = RecommendationFactory(author=bob, recipient=alice, text="Ships careful pipelines.")
    url = alice.profile.get_absolute_url()
    client.force_login(mallory)
    assert "Ships careful pipelines." not in _page(client, url)
    recommendation_transition(recommendation=recommendation, actor=alice, action="accept")
    assert "Ships careful pipelines." in _page(client, url)
    client.logout()
    assert "Ships careful pipelines." in _page(client, url)
    recommendation_transition(recommendation=recommendation, actor=alice, action="hide")
    assert "Ships careful pipelines." not in _page(client, url)


def test_endorsements_and_new_skills_show_on_the_next_request(client, alice, bob, mallory):
    python = services.profile_skill_add(profile=alice.profile, name="Python")
    url = alice.profile.get_absolute_url()
    client.force_login(bob)
    page = _page(client, url)
    assert f'id="endorse-skill-{python.pk}"' in page and "1 endorsement" not in page
    endorsement_add(endorser=bob, profile_skill=python)
    page = _page(client, url)
    assert "1 endorsement" in page and "Endorsed — withdraw" in page
    client.force_login(mallory)
    page = _page(client, url)
    assert "1 endorsement" in page and "Bob Durand" in page and "withdraw" not in page

    rust = services.profile_skill_add(profile=alice.profile, name="Rust")
    assert f'id="endorse-skill-{rust.pk}"' in _page(client, url)
    # The block a stranger sees (no Endorse buttons) is a cached fragment: an endorser's new
    # name shows at once too.
    services.profile_intro_update(profile=bob.profile, first_name="Robert", last_name="Durand")
    assert "Robert Durand" in _page(client, url)
    client.force_login(bob)
    endorsement_withdraw(endorser=bob, profile_skill=python)
    page = _page(client, url)
    assert "1 endorsement" not in page and "Endorsed — withdraw" not in page
    client.force_login(mallory)
    page = _page(client, url)
    assert "1 endorsement" not in page and "Robert Durand" not in page
    services.profile_skill_remove(item=rust)
    assert f'id="endorse-skill-{rust.pk}"' not in _page(client, url)


def test_a_block_with_an_endorser_shows_on_the_next_request(client, alice, bob, mallory):
    python = services.profile_skill_add(profile=alice.profile, name="Python")
    endorsement_add(endorser=bob, profile_skill=python)
    url = alice.profile.get_absolute_url()
    client.force_login(mallory)
    assert "Bob Durand" in _page(client, url)
    block_create(blocker=mallory, blocked=bob)
    page = _page(client, url)
    assert "Bob Durand" not in page and "1 endorsement" not in page
    block_delete(blocker=mallory, blocked=bob)
    assert "Bob Durand" in _page(client, url)


def test_documents_and_timeline_entries_show_on_the_next_request(client, alice, mallory):
    url = alice.profile.get_absolute_url()
    client.force_login(mallory)
    page = _page(client, url)
    assert "Letter for Acme" not in page and "Learnt Rust" not in page
    document_create(profile=alice.profile, kind="cover_letter", name="Letter for Acme", audience="public", text="Hi")
    assert "Letter for Acme" in _page(client, url)
    history_record(profile=alice.profile, kind="new_skill", field="skills", summary="Learnt Rust")
    assert "Learnt Rust" in _page(client, url)
    services.profile_visibility_update(profile=alice.profile, choices={"activity": "connections"})
    assert "Learnt Rust" not in _page(client, url)


def test_the_buttons_follow_invitations_and_follows_on_the_next_request(client, alice, mallory):
    url = alice.profile.get_absolute_url()
    client.force_login(mallory)
    page = _page(client, url)
    assert "Connect" in page and "Invitation pending" not in page and "Unfollow" not in page
    invitation_send(sender=mallory, recipient=alice)
    follow_create(follower=mallory, followed=alice)
    page = _page(client, url)
    assert "Invitation pending" in page and "Unfollow" in page
    client.force_login(alice)
    assert "Accept invitation" in _page(client, mallory.profile.get_absolute_url())


def test_a_page_reads_the_viewers_blocks_once(alice, bob, mallory, django_assert_num_queries):
    BlockFactory(blocker=alice, blocked=mallory)
    with django_assert_num_queries(1), visibility.one_lookup_per_request():
        assert blocked_ids(member_id=alice.pk, among=[bob.pk]) == set()
        assert blocked_ids(member_id=alice.pk, among=[mallory.pk, bob.pk]) == {mallory.pk}
        assert blocked_ids(member_id=alice.pk) == {mallory.pk}
    with visibility.one_lookup_per_request():
        assert visibility.relation(alice, mallory.pk) == visibility.Relation.BLOCKED
    # Outside a page every call reads the database: a new block shows at once.
    block_create(blocker=alice, blocked=bob)
    assert blocked_ids(member_id=alice.pk, among=[bob.pk]) == {bob.pk}
    with visibility.one_lookup_per_request():
        assert blocked_ids(member_id=alice.pk) == {mallory.pk, bob.pk}
    assert visibility.shared_lookups() is None


def test_the_page_flags(alice, bob, mallory):
    flags = profile_page_flags(viewer=mallory, member_id=alice.pk)
    assert not any(vars(flags).values())
    invitation_send(sender=alice, recipient=mallory)
    follow_create(follower=mallory, followed=alice)
    assert profile_page_flags(viewer=mallory, member_id=alice.pk).pending
    assert profile_page_flags(viewer=mallory, member_id=alice.pk).following
    assert profile_page_flags(viewer=bob, member_id=alice.pk).connected
    assert not profile_page_flags(viewer=bob, member_id=alice.pk).pending
    RecommendationFactory(author=bob, recipient=alice, status="accepted")
    anonymous = profile_page_flags(viewer=None, member_id=alice.pk)
    assert anonymous.has_recommendations and not anonymous.has_endorsements and not anonymous.connected
    endorsement_add(endorser=bob, profile_skill=services.profile_skill_add(profile=alice.profile, name="Go"))
    assert profile_page_flags(viewer=mallory, member_id=alice.pk).has_endorsements
    block_create(blocker=mallory, blocked=alice)
    assert profile_page_flags(viewer=mallory, member_id=alice.pk).blocked_by_me


def test_how_youre_connected_cards_follow_changes_on_the_next_request(client, alice, bob, carol):
    # alice -- bob -- carol: bob is the mutual connection alice sees on carol's page.
    url = carol.profile.get_absolute_url()
    client.force_login(alice)
    page = _page(client, url)
    assert "Mutual connections" in page and "Bob Durand" in page
    services.profile_update(profile=bob.profile, headline="Bridges people")
    assert "Bridges people" in _page(client, url)
    services.profile_intro_update(profile=bob.profile, first_name="Robert", last_name="Durand")
    assert "Robert Durand" in _page(client, url)
    # Bob keeps his connections list to himself: he is no longer named as a mutual connection.
    services.profile_visibility_update(profile=bob.profile, choices={"connections": "only_me"})
    page = _page(client, url)
    assert "Robert Durand" not in page and "1 other mutual connection is not listed" in page


@pytest.mark.parametrize("viewer", ["anonymous", "stranger", "connection"])
def test_the_endorsements_block_is_the_template_rendered_for_the_request(client, alice, bob, mallory, viewer):
    from django.template.loader import render_to_string
    from django.test import RequestFactory

    from carnet.network.endorsements import profile_endorsements

    python = services.profile_skill_add(profile=alice.profile, name="Python")
    services.profile_skill_add(profile=alice.profile, name="SQL")
    endorsement_add(endorser=bob, profile_skill=python)
    member = {"stranger": mallory, "connection": bob}.get(viewer)
    if member is not None:
        client.force_login(member)
    page = _page(client, alice.profile.get_absolute_url())
    request = RequestFactory().get("/")
    request.user = member
    data = profile_endorsements(profile=alice.profile, viewer=member, relation=None)
    expected = blank_per_request(render_to_string("network/_endorsements.html", {"data": data}, request))
    assert "Top skills and endorsements" in expected and expected in page


def test_profile_list_active_reads_a_few_or_many_members(alice, bob, mallory, django_assert_num_queries):
    from carnet.profiles.selectors import profile_list_active

    mallory.is_active = False
    mallory.save(update_fields=["is_active"])
    with django_assert_num_queries(1):
        found = profile_list_active(ids=[bob.pk, alice.pk, mallory.pk, bob.pk])
    assert sorted(p.pk for p in found) == sorted([alice.pk, bob.pk])
    assert {p.user.first_name for p in found} == {"Alice", "Bob"}
    assert profile_list_active(ids=[]) == []
    many = [MemberFactory() for _ in range(26)]
    assert {p.pk for p in profile_list_active(ids=[m.pk for m in many] + [mallory.pk])} == {m.pk for m in many}
