"""Blocking: removes the connection, pending invitations, follows and labels both ways, and hides
each member from the other everywhere — profile page, lists, feed, invitations, API."""

import pytest
from django.urls import reverse

from carnet.core import visibility
from carnet.core.visibility import Relation
from carnet.feed.selectors import post_list_for_home
from carnet.network.models import Block, Follow, Invitation
from carnet.network.selectors import are_connected, blocked_ids
from carnet.network.services import (
    NetworkError,
    block_create,
    block_delete,
    follow_create,
    invitation_send,
    label_add_member,
    label_create,
)
from tests.factories import FollowFactory, InvitationFactory, MemberFactory, PostFactory

pytestmark = pytest.mark.django_db


def test_block_removes_connection_invitations_follows_and_labels_both_ways(alice, bob, mallory):
    label = label_create(owner=bob, name="Old friends")
    label_add_member(label=label, member=alice)
    follow_create(follower=alice, followed=bob)
    follow_create(follower=bob, followed=alice)
    theirs = InvitationFactory(sender=mallory, recipient=alice)
    mine = InvitationFactory(sender=alice, recipient=mallory)
    block_create(blocker=alice, blocked=bob)
    block_create(blocker=alice, blocked=mallory)
    assert not are_connected(alice.pk, bob.pk) and not are_connected(bob.pk, alice.pk)
    assert not Follow.objects.exists()
    assert label.members.count() == 0
    theirs.refresh_from_db()
    mine.refresh_from_db()
    assert (theirs.status, mine.status) == ("ignored", "withdrawn")


def test_the_policy_sees_blocked_both_ways(alice, bob):
    block_create(blocker=bob, blocked=alice)
    assert visibility.relation(alice, bob.pk) == Relation.BLOCKED
    assert visibility.relation(bob, alice.pk) == Relation.BLOCKED
    assert blocked_ids(member_id=alice.pk) == {bob.pk} and blocked_ids(member_id=bob.pk) == {alice.pk}
    assert blocked_ids(member_id=alice.pk, among=[123456]) == set()


def test_blocking_twice_and_oneself(alice, mallory):
    block_create(blocker=alice, blocked=mallory)
    block_create(blocker=alice, blocked=mallory)
    assert Block.objects.count() == 1
    with pytest.raises(NetworkError):
        block_create(blocker=alice, blocked=alice)


@pytest.mark.parametrize("who_blocks", ["alice", "mallory"])
def test_profile_pages_are_not_found_both_ways(client, alice, mallory, who_blocks):
    if who_blocks == "alice":
        block_create(blocker=alice, blocked=mallory)
    else:
        block_create(blocker=mallory, blocked=alice)
    client.force_login(alice)
    assert client.get(mallory.profile.get_absolute_url()).status_code == 404
    client.force_login(mallory)
    assert client.get(alice.profile.get_absolute_url()).status_code == 404


def test_api_profile_is_not_found_when_blocked(client, alice, mallory):
    block_create(blocker=mallory, blocked=alice)
    client.force_login(alice)
    assert client.get(f"/api/v1/profiles/{mallory.profile.slug}").status_code == 404


def test_feed_drops_the_blocked_member_posts(alice, mallory):
    post = PostFactory(author=mallory, audience="public")
    follow_create(follower=alice, followed=mallory)
    assert post.pk in {item["post"].pk for item in post_list_for_home(viewer=alice)}
    block_create(blocker=mallory, blocked=alice)
    assert post.pk not in {item["post"].pk for item in post_list_for_home(viewer=alice)}
    # Nor do they come back through the public posts everyone sees.
    assert post.pk not in {item["post"].pk for item in post_list_for_home(viewer=alice, limit=50)}


def test_lists_drop_a_blocked_member_even_if_a_row_slipped_through(client, alice, mallory):
    block_create(blocker=mallory, blocked=alice)
    # Rows created behind the services' back (a race, a data import) must still not show.
    FollowFactory(follower=mallory, followed=alice)
    FollowFactory(follower=alice, followed=mallory)
    InvitationFactory(sender=mallory, recipient=alice)
    client.force_login(alice)
    for name in ("network:followers", "network:following", "network:invitations"):
        body = client.get(reverse(name)).content.decode()
        assert "Mallory" not in body, name


def test_api_lists_drop_a_blocked_member(client, alice, mallory):
    block_create(blocker=mallory, blocked=alice)
    FollowFactory(follower=mallory, followed=alice)
    InvitationFactory(sender=mallory, recipient=alice)
    client.force_login(alice)
    assert client.get("/api/v1/network/followers").json()["items"] == []
    assert client.get("/api/v1/network/invitations").json()["items"] == []


def test_blocked_members_cannot_invite_follow_or_reach_the_pages(client, alice, mallory):
    block_create(blocker=mallory, blocked=alice)
    with pytest.raises(NetworkError):
        invitation_send(sender=alice, recipient=mallory)
    with pytest.raises(NetworkError):
        follow_create(follower=alice, followed=mallory)
    client.force_login(alice)
    slug = mallory.profile.slug
    assert client.get(reverse("network:invite", args=[slug])).status_code == 404
    assert client.post(reverse("network:follow", args=[slug])).status_code == 404
    assert client.get(reverse("network:block", args=[slug])).status_code == 404
    assert not Invitation.objects.exists() and not Follow.objects.exists()


def test_block_from_the_profile_asks_first(alice_client, alice, bob):
    url = reverse("network:block", args=[bob.profile.slug])
    page = alice_client.get(url)
    assert page.status_code == 200 and b"Block Bob Durand?" in page.content
    assert not Block.objects.exists()
    response = alice_client.post(url)
    assert response.status_code == 302 and response.url == reverse("network:blocked")
    assert Block.objects.filter(blocker=alice, blocked=bob).exists()


def test_blocked_list_names_them_and_unblocking_restores_visibility_only(alice_client, alice, bob):
    block_create(blocker=alice, blocked=bob)
    body = alice_client.get(reverse("network:blocked")).content.decode()
    assert "Bob Durand" in body
    alice_client.post(reverse("network:unblock", args=[bob.profile.slug]))
    assert not Block.objects.exists()
    assert alice_client.get(bob.profile.get_absolute_url()).status_code == 200
    assert not are_connected(alice.pk, bob.pk)


def test_unblock_only_lifts_ones_own_block(alice, mallory):
    block_create(blocker=mallory, blocked=alice)
    assert not block_delete(blocker=alice, blocked=mallory)
    assert visibility.relation(alice, mallory.pk) == Relation.BLOCKED


def test_member_cards_of_others_are_unaffected(client, alice, mallory):
    other = MemberFactory(first_name="Olga")
    block_create(blocker=alice, blocked=mallory)
    follow_create(follower=other, followed=alice)
    client.force_login(alice)
    assert "Olga" in client.get(reverse("network:followers")).content.decode()


def test_block_forgets_the_notifications_each_got_about_the_other(client, alice, mallory):
    from carnet.notifications.models import Notification

    invitation_send(sender=mallory, recipient=alice, note="Hi")
    Notification.objects.create(recipient=mallory, actor=alice, kind="follow", text="Alice Martin follows you")
    kept = Notification.objects.create(recipient=alice, kind="other", text="Unrelated")
    assert Notification.objects.filter(recipient=alice, actor=mallory).exists()

    block_create(blocker=alice, blocked=mallory)

    assert not Notification.objects.filter(recipient=alice, actor=mallory).exists()
    assert not Notification.objects.filter(recipient=mallory, actor=alice).exists()
    assert Notification.objects.filter(pk=kept.pk).exists()
    client.force_login(alice)
    page = client.get(reverse("notifications:index")).content.decode()
    assert "Mallory" not in page
