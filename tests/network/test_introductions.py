"""Introductions (cooptation): alice asks bob (connected to both) to introduce her to carol
(alice's 2nd degree); bob forwards with a note; carol accepts and they are connected. Every
step is notified, requests expire, quotas apply, blocks stop everything."""

import datetime

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from carnet.network import introductions as intro
from carnet.network.models import Block, Introduction, IntroductionStatus
from carnet.network.quotas import QuotaExceeded
from carnet.network.relations_support import RelationError, are_connected
from carnet.network.services import connection_create
from carnet.notifications.models import Notification
from tests.factories import IntroductionFactory, MemberFactory

pytestmark = pytest.mark.django_db


def _request(alice, bob, carol, message="Hello Carol, Bob says you run the data team."):
    return intro.introduction_request(requester=alice, intermediary=bob, target=carol, message=message)


def test_full_journey_connects_requester_and_target_and_notifies_every_step(
    alice, bob, carol, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        introduction = _request(alice, bob, carol)
    assert introduction.status == IntroductionStatus.REQUESTED
    assert Notification.objects.get(recipient=bob, kind="introduction_requested").text == (
        "Alice Martin asks you to introduce them to Carol Petit."
    )
    assert [m.to for m in mail.outbox] == [["bob@example.org"]]
    # Carol does not see it before it is forwarded.
    assert intro.introduction_get(pk=introduction.pk, member=carol) is None

    with django_capture_on_commit_callbacks(execute=True):
        intro.introduction_forward(introduction=introduction, actor=bob, note="Alice is great, trust me.")
    introduction.refresh_from_db()
    assert introduction.status == IntroductionStatus.FORWARDED
    assert introduction.intermediary_note == "Alice is great, trust me."
    assert Notification.objects.filter(recipient=carol, kind="introduction_forwarded").exists()
    assert Notification.objects.filter(recipient=alice, kind="introduction_forwarded").exists()
    assert intro.introduction_get(pk=introduction.pk, member=carol) is not None

    with django_capture_on_commit_callbacks(execute=True):
        intro.introduction_accept(introduction=introduction, actor=carol)
    introduction.refresh_from_db()
    assert introduction.status == IntroductionStatus.ACCEPTED
    assert are_connected(alice.pk, carol.pk) and are_connected(carol.pk, alice.pk)
    assert Notification.objects.filter(recipient=alice, kind="introduction_accepted").exists()
    assert Notification.objects.filter(recipient=bob, kind="introduction_accepted").exists()
    recipients = sorted(address for m in mail.outbox for address in m.to)
    assert recipients == sorted(
        ["bob@example.org", "carol@example.org", "alice@example.org", "alice@example.org", "bob@example.org"]
    )


def test_intermediary_must_be_a_mutual_connection(alice, bob, carol, mallory):
    connection_create(member=alice, other=mallory)  # mallory knows alice, not carol
    assert [u.pk for u in intro.introduction_intermediaries(requester=alice, target=carol)] == [bob.pk]
    with pytest.raises(RelationError) as exc:
        _request(alice, mallory, carol)
    assert exc.value.code == "forbidden"
    assert not Introduction.objects.exists()


def test_intermediary_who_hides_their_connections_is_not_offered(alice, bob, carol):
    bob.profile.visibility = {"connections": "only_me"}
    bob.profile.save()
    assert intro.introduction_intermediaries(requester=alice, target=carol) == []
    with pytest.raises(RelationError):
        _request(alice, bob, carol)


def test_cannot_ask_for_someone_already_connected_or_twice(alice, bob, carol):
    _request(alice, bob, carol)
    with pytest.raises(RelationError) as exc:
        _request(alice, bob, carol)
    assert exc.value.code == "conflict"
    connection_create(member=alice, other=carol)
    with pytest.raises(RelationError, match="already connected"):
        _request(alice, bob, carol)


def test_message_is_required_and_bounded(alice, bob, carol):
    with pytest.raises(RelationError, match="Write a message"):
        _request(alice, bob, carol, message="  ")
    with pytest.raises(RelationError, match="too long"):
        _request(alice, bob, carol, message="x" * (intro.MESSAGE_MAX + 1))
    assert not Introduction.objects.exists()


@pytest.mark.parametrize("pair", ["requester-target", "requester-intermediary", "intermediary-target"])
def test_a_block_between_any_two_stops_the_request(alice, bob, carol, pair):
    people = {"requester": alice, "intermediary": bob, "target": carol}
    first, second = pair.split("-")
    Block.objects.create(blocker=people[second], blocked=people[first])
    with pytest.raises(RelationError):
        _request(alice, bob, carol)
    assert not Introduction.objects.exists()


def test_a_block_after_the_request_hides_it_and_stops_it(alice, bob, carol):
    introduction = _request(alice, bob, carol)
    Block.objects.create(blocker=bob, blocked=alice)
    assert list(intro.introduction_queryset(member=bob, box="to_forward")) == []
    assert intro.introduction_get(pk=introduction.pk, member=bob) is None
    with pytest.raises(RelationError):
        intro.introduction_forward(introduction=introduction, actor=bob)


def test_quota_refuses_at_the_monthly_limit_naming_it_and_its_reset(alice, bob, carol, settings):
    settings.LANGUAGE_CODE = "en"
    from carnet.network.plans import FREE

    for _ in range(FREE.introductions_per_month):
        IntroductionFactory(requester=alice, status=IntroductionStatus.DECLINED)
    with pytest.raises(QuotaExceeded) as exc:
        _request(alice, bob, carol)
    message = str(exc.value)
    assert f"{FREE.introductions_per_month} introduction requests per month" in message
    assert "It resets on" in message
    assert Introduction.objects.filter(target=carol).count() == 0


def test_quota_allows_the_last_request_of_the_month(alice, bob, carol):
    from carnet.network.plans import FREE

    for _ in range(FREE.introductions_per_month - 1):
        IntroductionFactory(requester=alice)
    assert _request(alice, bob, carol).pk


def test_only_the_intermediary_forwards_and_only_the_target_answers(alice, bob, carol, mallory):
    introduction = _request(alice, bob, carol)
    for actor in (alice, carol, mallory):
        with pytest.raises(RelationError):
            intro.introduction_forward(introduction=introduction, actor=actor)
    with pytest.raises(RelationError):
        intro.introduction_accept(introduction=introduction, actor=carol)  # not forwarded yet
    intro.introduction_forward(introduction=introduction, actor=bob)
    for actor in (alice, bob, mallory):
        with pytest.raises(RelationError):
            intro.introduction_accept(introduction=introduction, actor=actor)
    with pytest.raises(RelationError, match="already answered"):
        intro.introduction_forward(introduction=introduction, actor=bob)


def test_intermediary_declines(alice, bob, carol):
    introduction = _request(alice, bob, carol)
    intro.introduction_decline(introduction=introduction, actor=bob)
    introduction.refresh_from_db()
    assert introduction.status == IntroductionStatus.DECLINED_BY_INTERMEDIARY
    assert Notification.objects.filter(recipient=alice, kind="introduction_declined").exists()
    assert not Notification.objects.filter(recipient=carol).exists()


def test_target_declines_and_nobody_is_connected(alice, bob, carol):
    introduction = _request(alice, bob, carol)
    intro.introduction_forward(introduction=introduction, actor=bob)
    intro.introduction_decline(introduction=introduction, actor=carol)
    introduction.refresh_from_db()
    assert introduction.status == IntroductionStatus.DECLINED
    assert not are_connected(alice.pk, carol.pk)


def test_expired_requests_cannot_be_acted_on_and_are_marked_by_the_task(alice, bob, carol):
    introduction = _request(alice, bob, carol)
    Introduction.objects.filter(pk=introduction.pk).update(expires=timezone.now() - datetime.timedelta(seconds=1))
    introduction.refresh_from_db()
    with pytest.raises(RelationError, match="expired"):
        intro.introduction_forward(introduction=introduction, actor=bob)
    assert intro.introduction_counts(member=bob)["to_forward"] == 0
    call_command("relations_cleanup", stdout=__import__("io").StringIO())
    introduction.refresh_from_db()
    assert introduction.status == IntroductionStatus.EXPIRED


def test_forwarding_gives_the_target_a_fresh_expiry(alice, bob, carol):
    introduction = _request(alice, bob, carol)
    Introduction.objects.filter(pk=introduction.pk).update(expires=timezone.now() + datetime.timedelta(days=1))
    introduction.refresh_from_db()
    intro.introduction_forward(introduction=introduction, actor=bob)
    introduction.refresh_from_db()
    assert introduction.expires > timezone.now() + datetime.timedelta(days=13)


def test_expire_task_marks_only_open_requests(alice, bob, carol):
    from carnet.network.tasks import introductions_expire_task

    past = timezone.now() - datetime.timedelta(days=1)
    stale = IntroductionFactory(requester=alice, intermediary=bob, target=carol, expires=past)
    answered = IntroductionFactory(status=IntroductionStatus.ACCEPTED, expires=past)
    fresh = IntroductionFactory()
    assert introductions_expire_task.enqueue().return_value == 1
    assert Introduction.objects.get(pk=stale.pk).status == IntroductionStatus.EXPIRED
    assert Introduction.objects.get(pk=answered.pk).status == IntroductionStatus.ACCEPTED
    assert Introduction.objects.get(pk=fresh.pk).status == IntroductionStatus.REQUESTED


def test_notification_names_go_through_the_policy(alice, bob, carol):
    # Carol shows her name to members only: Bob is a member, so he sees it; hiding the name
    # entirely is not allowed (members always see it), so check the headline-free text.
    carol.profile.visibility = {"name": "members"}
    carol.profile.save()
    _request(alice, bob, carol)
    assert "Carol Petit" in Notification.objects.get(recipient=bob).text


# ---------------------------------------------------------------------------------------
# Pages: anonymous, mallory, alice
# ---------------------------------------------------------------------------------------
def test_pages_ask_anonymous_visitors_to_sign_in(client, carol):
    introduction = IntroductionFactory()
    for url in (
        reverse("network:introductions"),
        reverse("network:introduction_new", args=[carol.profile.slug]),
        reverse("network:introduction_detail", args=[introduction.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    response = client.post(reverse("network:introduction_action", args=[introduction.pk, "accept"]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert Introduction.objects.get(pk=introduction.pk).status == IntroductionStatus.REQUESTED


def test_a_stranger_cannot_see_or_act_on_an_introduction(mallory_client, alice, bob, carol):
    introduction = _request(alice, bob, carol)
    assert mallory_client.get(reverse("network:introduction_detail", args=[introduction.pk])).status_code == 404
    for action in ("forward", "accept", "decline"):
        url = reverse("network:introduction_action", args=[introduction.pk, action])
        assert mallory_client.post(url).status_code == 404
    response = mallory_client.get(reverse("network:introductions") + "?box=sent")
    assert response.status_code == 200 and "Carol" not in response.content.decode()


def test_stranger_has_no_intermediary_to_ask(mallory_client, carol):
    response = mallory_client.get(reverse("network:introduction_new", args=[carol.profile.slug]))
    assert response.status_code == 200
    assert "no mutual connection" in response.content.decode()
    response = mallory_client.post(
        reverse("network:introduction_new", args=[carol.profile.slug]), {"intermediary": "1", "message": "Hi"}
    )
    assert response.status_code == 400
    assert not Introduction.objects.exists()


def test_owner_asks_through_the_page_and_sees_the_request(alice_client, alice, bob, carol):
    url = reverse("network:introduction_new", args=[carol.profile.slug])
    page = alice_client.get(url)
    assert page.status_code == 200 and "Bob Durand" in page.content.decode()
    response = alice_client.post(url, {"intermediary": str(bob.pk), "message": "Could we talk data?"})
    assert response.status_code == 302
    introduction = Introduction.objects.get()
    assert (introduction.requester, introduction.intermediary, introduction.target) == (alice, bob, carol)
    listing = alice_client.get(reverse("network:introductions") + "?box=sent")
    assert "Carol Petit" in listing.content.decode()
    detail = alice_client.get(reverse("network:introduction_detail", args=[introduction.pk]))
    assert "Could we talk data?" in detail.content.decode()


def test_page_shows_the_quota_message_when_over_the_limit(alice_client, alice, bob, carol):
    from carnet.network.plans import FREE

    for _ in range(FREE.introductions_per_month):
        IntroductionFactory(requester=alice)
    response = alice_client.post(
        reverse("network:introduction_new", args=[carol.profile.slug]),
        {"intermediary": str(bob.pk), "message": "Hello"},
    )
    assert response.status_code == 400
    assert "introduction requests per month" in response.content.decode()


def test_intermediary_and_target_act_through_the_pages(client, alice, bob, carol):
    introduction = _request(alice, bob, carol)
    client.force_login(bob)
    page = client.get(reverse("network:introduction_detail", args=[introduction.pk]))
    assert "Forward" in page.content.decode()
    client.post(reverse("network:introduction_action", args=[introduction.pk, "forward"]), {"note": "Meet her!"})
    client.force_login(carol)
    page = client.get(reverse("network:introduction_detail", args=[introduction.pk]))
    assert "Meet her!" in page.content.decode()
    client.post(reverse("network:introduction_action", args=[introduction.pk, "accept"]))
    assert are_connected(alice.pk, carol.pk)


def test_list_page_query_count_does_not_grow_with_rows(client, django_assert_max_num_queries):
    bob = MemberFactory()
    client.force_login(bob)
    for _ in range(15):
        IntroductionFactory(intermediary=bob)
    with django_assert_max_num_queries(16):
        response = client.get(reverse("network:introductions") + "?box=to_forward")
    assert response.status_code == 200
    assert response.content.decode().count('class="intro-item"') == 15
