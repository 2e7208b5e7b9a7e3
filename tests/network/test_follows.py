"""Follows: one way, unlimited, the followed member's public posts in the follower's feed."""

import pytest
from django.urls import reverse

from carnet.feed.selectors import post_list_for_home
from carnet.network.models import Follow
from carnet.network.services import NetworkError, block_create, connection_create, follow_create, follow_delete
from carnet.notifications.models import Notification
from tests.factories import FollowFactory, MemberFactory, PostFactory

pytestmark = pytest.mark.django_db


def test_follow_is_one_way_and_tells_the_followed_member(alice, mallory):
    follow_create(follower=alice, followed=mallory)
    assert Follow.objects.filter(follower=alice, followed=mallory).exists()
    assert not Follow.objects.filter(follower=mallory, followed=alice).exists()
    assert Notification.objects.get(recipient=mallory).kind == "new_follower"


def test_following_twice_is_harmless(alice, mallory):
    follow_create(follower=alice, followed=mallory)
    follow_create(follower=alice, followed=mallory)
    assert Follow.objects.count() == 1 and Notification.objects.count() == 1


def test_cannot_follow_oneself_or_a_blocked_member(alice, mallory):
    with pytest.raises(NetworkError):
        follow_create(follower=alice, followed=alice)
    block_create(blocker=mallory, blocked=alice)
    with pytest.raises(NetworkError) as exc:
        follow_create(follower=alice, followed=mallory)
    assert exc.value.code == "not_found"


def test_following_is_not_limited_by_the_connection_cap(alice, bob, mallory, settings):
    settings.CARNET_MAX_CONNECTIONS = 1
    follow_create(follower=alice, followed=mallory)
    follow_create(follower=alice, followed=MemberFactory())
    assert Follow.objects.filter(follower=alice).count() == 2


def test_unfollow(alice, mallory):
    follow_create(follower=alice, followed=mallory)
    assert follow_delete(follower=alice, followed=mallory)
    assert not follow_delete(follower=alice, followed=mallory)


def test_feed_shows_followed_members_public_posts_but_not_their_connections_only_posts(alice, mallory):
    public = PostFactory(author=mallory, audience="public", body="Public news")
    private = PostFactory(author=mallory, audience="connections", body="For my connections")
    # Plenty of recent public posts by others, so the followed member's post only shows if followed.
    for _ in range(45):
        PostFactory(audience="public")
    before = {item["post"].pk for item in post_list_for_home(viewer=alice, limit=20)}
    follow_create(follower=alice, followed=mallory)
    after = {item["post"].pk for item in post_list_for_home(viewer=alice, limit=20)}
    assert public.pk not in before
    assert public.pk in after and private.pk not in after


def test_a_connection_still_sees_connections_only_posts(alice, bob):
    post = PostFactory(author=bob, audience="connections")
    assert post.pk in {item["post"].pk for item in post_list_for_home(viewer=alice)}


def test_follow_and_unfollow_from_the_profile(alice_client, alice, mallory):
    profile_url = mallory.profile.get_absolute_url()
    response = alice_client.post(reverse("network:follow", args=[mallory.profile.slug]), {"next": profile_url})
    assert response.status_code == 302 and response.url == profile_url
    assert Follow.objects.filter(follower=alice, followed=mallory).exists()
    alice_client.post(reverse("network:unfollow", args=[mallory.profile.slug]))
    assert not Follow.objects.exists()


def test_follow_refuses_a_redirect_elsewhere(alice_client, mallory):
    response = alice_client.post(
        reverse("network:follow", args=[mallory.profile.slug]), {"next": "https://evil.example/"}
    )
    assert response.url == mallory.profile.get_absolute_url()


def test_follow_is_post_only(alice_client, mallory):
    assert alice_client.get(reverse("network:follow", args=[mallory.profile.slug])).status_code == 405


def test_followers_and_following_lists(client, alice, django_assert_max_num_queries):
    for _ in range(10):
        FollowFactory(followed=alice)
    for _ in range(7):
        FollowFactory(follower=alice)
    client.force_login(alice)
    with django_assert_max_num_queries(12):
        followers = client.get(reverse("network:followers")).content.decode()
    with django_assert_max_num_queries(12):
        following = client.get(reverse("network:following")).content.decode()
    assert "10 members follow you" in followers
    assert "You follow 7 members" in following and following.count("Unfollow") == 7


def test_connecting_is_independent_of_following(alice, mallory):
    follow_create(follower=alice, followed=mallory)
    connection_create(member=alice, other=mallory)
    assert Follow.objects.count() == 1
