"""Recommendations: asked or written between connections, shown on the profile only after
the recipient accepts, hideable later, editable by the author until accepted."""

import pytest
from django.urls import reverse

from carnet.network import recommendations as recs
from carnet.network.models import Block, Recommendation, RecommendationStatus
from carnet.network.relations_support import RelationError
from carnet.notifications.models import Notification
from tests.factories import MemberFactory, RecommendationFactory

pytestmark = pytest.mark.django_db


def _write(author, recipient, text="Bob is a rigorous engineer and a kind colleague."):
    return recs.recommendation_write(
        author=author, recipient=recipient, relationship="same_team", context="Acme, 2019–2021", text=text
    )


def _shown(profile_owner, viewer):
    return [
        item.recommendation.pk
        for item in recs.recommendations_for_profile(profile=profile_owner.profile, viewer=viewer)
    ]


def test_written_recommendation_shows_only_after_acceptance(alice, bob, carol):
    rec = _write(alice, bob)
    assert rec.status == RecommendationStatus.PENDING
    assert Notification.objects.filter(recipient=bob, kind="recommendation_written").exists()
    assert _shown(bob, carol) == []
    recs.recommendation_transition(recommendation=rec, actor=bob, action="accept")
    assert _shown(bob, carol) == [rec.pk]
    assert _shown(bob, None) == [rec.pk]  # public by default, like LinkedIn
    assert Notification.objects.filter(recipient=alice, kind="recommendation_accepted").exists()


def test_recipient_can_hide_and_show_again(alice, bob, carol):
    rec = _write(alice, bob)
    recs.recommendation_transition(recommendation=rec, actor=bob, action="accept")
    recs.recommendation_transition(recommendation=rec, actor=bob, action="hide")
    assert _shown(bob, carol) == []
    recs.recommendation_transition(recommendation=rec, actor=bob, action="show")
    assert _shown(bob, carol) == [rec.pk]


def test_declined_recommendation_never_shows(alice, bob):
    rec = _write(alice, bob)
    recs.recommendation_transition(recommendation=rec, actor=bob, action="decline")
    assert _shown(bob, alice) == []
    with pytest.raises(RelationError):
        recs.recommendation_transition(recommendation=rec, actor=bob, action="accept")


def test_request_then_write_then_accept(alice, bob):
    rec = recs.recommendation_request(
        requester=bob, author=alice, relationship="managed", context="Acme", message="Would you write a few words?"
    )
    assert rec.status == RecommendationStatus.REQUESTED and rec.recipient == bob
    assert Notification.objects.filter(recipient=alice, kind="recommendation_requested").exists()
    with pytest.raises(RelationError):
        recs.recommendation_transition(recommendation=rec, actor=bob, action="accept")  # nothing written yet
    recs.recommendation_update(recommendation=rec, author=alice, relationship="managed", context="Acme", text="Great.")
    rec.refresh_from_db()
    assert rec.status == RecommendationStatus.PENDING and rec.text == "Great."
    recs.recommendation_transition(recommendation=rec, actor=bob, action="accept")
    assert _shown(bob, alice) == [rec.pk]


def test_writing_after_a_request_fulfils_it_instead_of_duplicating(alice, bob):
    recs.recommendation_request(requester=bob, author=alice, relationship="managed")
    _write(alice, bob)
    assert Recommendation.objects.count() == 1
    assert Recommendation.objects.get().status == RecommendationStatus.PENDING


def test_author_edits_until_accepted_only(alice, bob, carol):
    rec = _write(alice, bob)
    recs.recommendation_update(recommendation=rec, author=alice, relationship="client", context="", text="Edited.")
    rec.refresh_from_db()
    assert rec.text == "Edited." and rec.relationship == "client"
    with pytest.raises(RelationError):
        recs.recommendation_update(recommendation=rec, author=bob, relationship="client", context="", text="Mine now")
    recs.recommendation_transition(recommendation=rec, actor=bob, action="accept")
    with pytest.raises(RelationError, match="no longer be edited"):
        recs.recommendation_update(recommendation=rec, author=alice, relationship="client", context="", text="Later")


def test_author_declines_a_request(alice, bob):
    rec = recs.recommendation_request(requester=bob, author=alice, relationship="managed")
    with pytest.raises(RelationError):
        recs.recommendation_transition(recommendation=rec, actor=bob, action="decline_request")
    recs.recommendation_transition(recommendation=rec, actor=alice, action="decline_request")
    rec.refresh_from_db()
    assert rec.status == RecommendationStatus.DECLINED


def test_only_between_connections_and_never_blocked(alice, bob, carol, mallory):
    with pytest.raises(RelationError, match="connections only"):
        _write(alice, carol)
    with pytest.raises(RelationError):
        recs.recommendation_request(requester=alice, author=mallory, relationship="other")
    with pytest.raises(RelationError):
        _write(alice, alice)
    Block.objects.create(blocker=bob, blocked=alice)
    with pytest.raises(RelationError):
        _write(alice, bob)
    assert not Recommendation.objects.exists()


def test_validation_messages(alice, bob):
    with pytest.raises(RelationError, match="how you know"):
        recs.recommendation_write(author=alice, recipient=bob, relationship="nonsense", text="x")
    with pytest.raises(RelationError, match="Write the recommendation"):
        recs.recommendation_write(author=alice, recipient=bob, relationship="other", text="   ")
    with pytest.raises(RelationError, match="too long"):
        recs.recommendation_write(author=alice, recipient=bob, relationship="other", text="x" * 3001)


def test_one_open_recommendation_per_pair(alice, bob):
    _write(alice, bob)
    with pytest.raises(RelationError, match="edit it instead"):
        _write(alice, bob)
    with pytest.raises(RelationError, match="already waiting"):
        recs.recommendation_request(requester=bob, author=alice, relationship="other")


def test_profile_field_audience_applies(alice, bob, carol, mallory):
    rec = _write(alice, bob)
    recs.recommendation_transition(recommendation=rec, actor=bob, action="accept")
    bob.profile.visibility = {"recommendations": "connections"}
    bob.profile.save()
    assert _shown(bob, alice) == [rec.pk]
    assert _shown(bob, carol) == [rec.pk]  # bob's connection too
    assert _shown(bob, mallory) == []
    assert _shown(bob, None) == []
    bob.profile.visibility = {"recommendations": "only_me"}
    bob.profile.save()
    assert _shown(bob, alice) == []
    assert _shown(bob, bob) == [rec.pk]


def test_recommendation_by_a_member_blocked_with_the_viewer_is_left_out(alice, bob, mallory):
    rec = _write(alice, bob)
    recs.recommendation_transition(recommendation=rec, actor=bob, action="accept")
    Block.objects.create(blocker=alice, blocked=mallory)
    assert _shown(bob, mallory) == []
    assert _shown(bob, None) == [rec.pk]


# ---------------------------------------------------------------------------------------
# Pages: anonymous, mallory, alice
# ---------------------------------------------------------------------------------------
def test_pages_ask_anonymous_visitors_to_sign_in(client, bob):
    rec = RecommendationFactory()
    for url in (
        reverse("network:recommendations"),
        reverse("network:recommendation_ask", args=[bob.profile.slug]),
        reverse("network:recommendation_write", args=[bob.profile.slug]),
        reverse("network:recommendation_edit", args=[rec.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    response = client.post(reverse("network:recommendation_action", args=[rec.pk, "accept"]))
    assert response.status_code == 302
    assert Recommendation.objects.get(pk=rec.pk).status == RecommendationStatus.PENDING


def test_a_stranger_cannot_touch_someone_elses_recommendation(mallory_client, alice, bob):
    rec = _write(alice, bob)
    assert mallory_client.get(reverse("network:recommendation_edit", args=[rec.pk])).status_code == 404
    for action in recs.ACTIONS:
        assert mallory_client.post(reverse("network:recommendation_action", args=[rec.pk, action])).status_code == 404
    response = mallory_client.post(
        reverse("network:recommendation_write", args=[bob.profile.slug]),
        {"relationship": "other", "context": "", "text": "I do not know Bob."},
    )
    assert response.status_code == 400
    assert "connections only" in response.content.decode()
    assert Recommendation.objects.count() == 1


def test_owner_writes_through_the_page_and_the_recipient_accepts(client, alice, bob):
    client.force_login(alice)
    response = client.post(
        reverse("network:recommendation_write", args=[bob.profile.slug]),
        {"relationship": "same_team", "context": "Acme", "text": "Bob makes hard things simple."},
    )
    assert response.status_code == 302
    rec = Recommendation.objects.get()
    client.force_login(bob)
    assert "Bob makes hard things simple." in client.get(reverse("network:recommendations")).content.decode()
    client.post(reverse("network:recommendation_action", args=[rec.pk, "accept"]))
    profile = client.get(bob.profile.get_absolute_url())
    assert "Bob makes hard things simple." in profile.content.decode()


def test_list_page_query_count_does_not_grow_with_rows(client, django_assert_max_num_queries):
    member = MemberFactory()
    client.force_login(member)
    for _ in range(12):
        RecommendationFactory(recipient=member)
        RecommendationFactory(author=member, status=RecommendationStatus.REQUESTED)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("network:recommendations"))
    assert response.status_code == 200
    assert response.content.decode().count('class="recommendation"') == 24
