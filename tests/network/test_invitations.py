"""Invitations: send (note, how we met), accept, ignore, report, withdraw; the rules (no self,
no duplicate, no blocked, crossing invitations, the connection cap, the weekly quota); the
notifications; the pages that list and answer them."""

import pytest
from django.core import mail
from django.urls import reverse

from carnet.network import plans
from carnet.network.models import Connection, Invitation, InvitationStatus
from carnet.network.quotas import QuotaExceeded
from carnet.network.selectors import are_connected
from carnet.network.services import (
    NetworkError,
    block_create,
    invitation_accept,
    invitation_ignore,
    invitation_report,
    invitation_send,
    invitation_withdraw,
)
from carnet.notifications.models import Notification
from tests.factories import (
    EducationFactory,
    InvitationFactory,
    MemberFactory,
    OrganizationFactory,
    PositionFactory,
    SchoolFactory,
)

pytestmark = pytest.mark.django_db


def test_send_creates_a_pending_invitation_and_tells_the_recipient(alice, mallory, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        invitation = invitation_send(sender=alice, recipient=mallory, note="We met at PyCon.")
    assert invitation.status == InvitationStatus.PENDING and invitation.note == "We met at PyCon."
    notification = Notification.objects.get(recipient=mallory)
    assert notification.kind == "invitation_received" and "Alice Martin" in notification.text
    assert notification.url == reverse("network:invitations")
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["mallory@example.org"]
    assert "Alice Martin wants to connect" in mail.outbox[0].subject


def test_note_of_300_characters_is_accepted_and_301_refused(alice, mallory):
    with pytest.raises(NetworkError, match="at most 300 characters"):
        invitation_send(sender=alice, recipient=mallory, note="x" * 301)
    assert not Invitation.objects.exists()
    assert len(invitation_send(sender=alice, recipient=mallory, note="x" * 300).note) == 300


def test_cannot_invite_oneself(alice):
    with pytest.raises(NetworkError, match="yourself"):
        invitation_send(sender=alice, recipient=alice)


def test_cannot_invite_twice_while_pending(alice, mallory):
    invitation_send(sender=alice, recipient=mallory)
    with pytest.raises(NetworkError, match="already invited") as exc:
        invitation_send(sender=alice, recipient=mallory)
    assert exc.value.code == "conflict"
    assert Invitation.objects.count() == 1


def test_cannot_invite_a_connection(alice, bob):
    with pytest.raises(NetworkError, match="already connected"):
        invitation_send(sender=alice, recipient=bob)


@pytest.mark.parametrize("blocker", ["sender", "recipient"])
def test_blocked_members_cannot_invite_each_other_and_it_looks_like_not_found(alice, mallory, blocker):
    if blocker == "sender":
        block_create(blocker=alice, blocked=mallory)
    else:
        block_create(blocker=mallory, blocked=alice)
    with pytest.raises(NetworkError) as exc:
        invitation_send(sender=alice, recipient=mallory)
    assert exc.value.code == "not_found"


def test_inviting_someone_who_invited_you_accepts_their_invitation(alice, mallory, django_capture_on_commit_callbacks):
    theirs = invitation_send(sender=mallory, recipient=alice)
    with django_capture_on_commit_callbacks(execute=True):
        result = invitation_send(sender=alice, recipient=mallory)
    assert result.pk == theirs.pk and result.status == InvitationStatus.ACCEPTED
    assert are_connected(alice.pk, mallory.pk) and are_connected(mallory.pk, alice.pk)
    assert Invitation.objects.count() == 1
    assert Notification.objects.filter(recipient=mallory, kind="invitation_accepted").exists()


def test_accept_connects_both_ways_and_tells_the_sender(alice, mallory, django_capture_on_commit_callbacks):
    invitation = invitation_send(sender=alice, recipient=mallory)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        invitation_accept(invitation=invitation, member=mallory)
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.ACCEPTED and invitation.responded is not None
    assert Connection.objects.filter(member=alice, other=mallory).exists()
    assert Connection.objects.filter(member=mallory, other=alice).exists()
    accepted = Notification.objects.get(recipient=alice, kind="invitation_accepted")
    assert "Mallory Stranger" in accepted.text
    assert [m.to for m in mail.outbox] == [["alice@example.org"]]


def test_only_the_recipient_accepts_and_only_once(alice, mallory, carol):
    invitation = invitation_send(sender=alice, recipient=mallory)
    with pytest.raises(NetworkError):
        invitation_accept(invitation=invitation, member=alice)
    with pytest.raises(NetworkError):
        invitation_accept(invitation=invitation, member=carol)
    invitation_accept(invitation=invitation, member=mallory)
    with pytest.raises(NetworkError, match="no longer pending"):
        invitation_accept(invitation=invitation, member=mallory)
    assert Connection.objects.filter(member=alice, other=mallory).count() == 1


def test_ignore_does_not_tell_the_sender(alice, mallory):
    invitation = invitation_send(sender=alice, recipient=mallory)
    invitation_ignore(invitation=invitation, member=mallory)
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.IGNORED and not invitation.reported
    assert not Notification.objects.filter(recipient=alice).exists()
    assert not are_connected(alice.pk, mallory.pk)


def test_report_flags_the_invitation_and_the_sender_cannot_invite_again(alice, mallory):
    invitation = invitation_send(sender=alice, recipient=mallory)
    invitation_report(invitation=invitation, member=mallory)
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.IGNORED and invitation.reported
    with pytest.raises(NetworkError, match="do not know you"):
        invitation_send(sender=alice, recipient=mallory)


def test_an_ignored_invitation_can_still_be_reported(alice, mallory):
    invitation = invitation_send(sender=alice, recipient=mallory)
    invitation_ignore(invitation=invitation, member=mallory)
    invitation_report(invitation=invitation, member=mallory)
    invitation.refresh_from_db()
    assert invitation.reported


def test_withdraw_is_for_the_sender_and_still_counts_in_the_quota(alice, mallory):
    invitation = invitation_send(sender=alice, recipient=mallory)
    with pytest.raises(NetworkError):
        invitation_withdraw(invitation=invitation, member=mallory)
    invitation_withdraw(invitation=invitation, member=alice)
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.WITHDRAWN
    from carnet.network.quotas import quota_status

    assert quota_status(alice, "invitations_per_week").used == 1
    invitation_send(sender=alice, recipient=mallory)  # a new invitation is allowed after withdrawing


def test_connection_cap_is_enforced_on_the_sender_with_a_clear_message(alice, bob, mallory, settings):
    settings.CARNET_MAX_CONNECTIONS = 1
    with pytest.raises(NetworkError, match="limit of 1 connections") as exc:
        invitation_send(sender=alice, recipient=mallory)
    assert exc.value.code == "limit"
    assert "following members is unlimited" in str(exc.value)


def test_connection_cap_is_enforced_on_the_recipient(alice, bob, mallory, settings):
    settings.CARNET_MAX_CONNECTIONS = 1
    with pytest.raises(NetworkError, match="Alice Martin has reached the limit of 1 connections"):
        invitation_send(sender=mallory, recipient=alice)


def test_connection_cap_is_checked_again_on_accept(alice, mallory, settings):
    invitation = invitation_send(sender=mallory, recipient=alice)
    carol = MemberFactory()
    from carnet.network.services import connection_create

    connection_create(member=alice, other=carol)
    settings.CARNET_MAX_CONNECTIONS = 1
    with pytest.raises(NetworkError, match="limit of 1 connections"):
        invitation_accept(invitation=invitation, member=alice)
    assert not are_connected(alice.pk, mallory.pk)
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.PENDING


def test_connection_cap_allows_up_to_the_limit(alice, mallory, settings):
    settings.CARNET_MAX_CONNECTIONS = 1
    invitation = invitation_send(sender=alice, recipient=mallory)
    invitation_accept(invitation=invitation, member=mallory)
    assert are_connected(alice.pk, mallory.pk)


def test_weekly_quota_stops_the_next_invitation_with_a_message_naming_the_limit(alice, mallory):
    others = [MemberFactory() for _ in range(3)]
    Invitation.objects.bulk_create(
        [Invitation(sender=alice, recipient=others[i % 3], status="withdrawn") for i in range(100)]
    )
    with pytest.raises(QuotaExceeded, match="100 invitations per week") as exc:
        invitation_send(sender=alice, recipient=mallory)
    assert "resets on" in str(exc.value)
    assert not Invitation.objects.filter(recipient=mallory).exists()


def test_weekly_quota_is_larger_on_premium(alice, mallory):
    from carnet.network.services import plan_grant

    plan_grant(plan="premium", user=alice)
    Invitation.objects.bulk_create(
        [Invitation(sender=alice, recipient=MemberFactory(), status="withdrawn") for _ in range(100)]
    )
    invitation_send(sender=alice, recipient=mallory)
    assert Invitation.objects.filter(sender=alice).count() == plans.FREE.invitations_per_week + 1


def test_a_member_whose_invitations_are_mostly_reported_is_limited(alice, mallory):
    rows = [Invitation(sender=alice, recipient=MemberFactory(), status="ignored", reported=True) for _ in range(10)]
    Invitation.objects.bulk_create(rows)
    # Ten reported invitations this week: ten is the reduced weekly limit, so the next one is refused.
    with pytest.raises(QuotaExceeded, match="reduced"):
        invitation_send(sender=alice, recipient=mallory)


def _colleagues(alice, other, *, shared=True):
    acme = OrganizationFactory(name="Acme")
    PositionFactory(profile=alice.profile, organization=acme)
    PositionFactory(profile=other.profile, organization=acme if shared else OrganizationFactory(name="Globex"))
    return acme


def test_how_met_colleague_needs_a_shared_company(alice, mallory):
    acme = _colleagues(alice, mallory)
    other = OrganizationFactory(name="Initech")
    with pytest.raises(NetworkError, match="company you both worked at"):
        invitation_send(sender=alice, recipient=mallory, how_met="colleague", organization=other)
    invitation = invitation_send(sender=alice, recipient=mallory, how_met="colleague", organization=acme)
    assert invitation.organization == acme


def test_how_met_classmate_needs_a_shared_school(alice, mallory):
    school = SchoolFactory(name="INSA Lyon")
    EducationFactory(profile=alice.profile, organization=school)
    with pytest.raises(NetworkError, match="school you both attended"):
        invitation_send(sender=alice, recipient=mallory, how_met="classmate", organization=school)
    EducationFactory(profile=mallory.profile, organization=school)
    assert invitation_send(sender=alice, recipient=mallory, how_met="classmate", organization=school).organization


def test_how_met_rejects_unknown_values(alice, mallory):
    with pytest.raises(NetworkError):
        invitation_send(sender=alice, recipient=mallory, how_met="lovers")


# --- pages -------------------------------------------------------------------------------


def test_invite_page_offers_only_shared_companies(alice_client, alice, mallory):
    _colleagues(alice, mallory)
    OrganizationFactory(name="Umbrella")
    PositionFactory(profile=alice.profile, organization=OrganizationFactory(name="Only Alice Corp"))
    response = alice_client.get(reverse("network:invite", args=[mallory.profile.slug]))
    assert response.status_code == 200
    body = response.content.decode()
    assert "We worked together at Acme" in body
    assert "Only Alice Corp" not in body and "Umbrella" not in body


def test_invite_page_does_not_offer_a_company_the_member_hides(alice_client, alice, mallory):
    _colleagues(alice, mallory)
    mallory.profile.visibility = {"current_position": "only_me", "positions": "only_me"}
    mallory.profile.save()
    body = alice_client.get(reverse("network:invite", args=[mallory.profile.slug])).content.decode()
    assert "Acme" not in body


def test_sending_from_the_page_with_a_note(alice_client, alice, mallory):
    acme = _colleagues(alice, mallory)
    profile_url = mallory.profile.get_absolute_url()
    response = alice_client.post(
        reverse("network:invite", args=[mallory.profile.slug]),
        {"note": "Hello from Acme", "how_met": f"colleague:{acme.pk}", "next": profile_url},
    )
    assert response.status_code == 302 and response.url == profile_url
    invitation = Invitation.objects.get(sender=alice, recipient=mallory)
    assert (invitation.note, invitation.how_met, invitation.organization) == ("Hello from Acme", "colleague", acme)


def test_a_too_long_note_on_the_page_is_refused_and_kept(alice_client, mallory):
    note = "é" * 301
    response = alice_client.post(reverse("network:invite", args=[mallory.profile.slug]), {"note": note})
    assert response.status_code == 400
    assert not Invitation.objects.exists()
    assert note in response.content.decode()  # the member's text is not lost


def test_the_page_shows_the_quota_message(alice_client, alice, mallory):
    Invitation.objects.bulk_create(
        [Invitation(sender=alice, recipient=MemberFactory(), status="withdrawn") for _ in range(100)]
    )
    response = alice_client.post(reverse("network:invite", args=[mallory.profile.slug]), {"note": ""})
    assert response.status_code == 400
    assert "100 invitations per week" in response.content.decode()


def test_the_invite_page_of_a_blocked_member_is_not_found(alice_client, alice, mallory):
    block_create(blocker=mallory, blocked=alice)
    assert alice_client.get(reverse("network:invite", args=[mallory.profile.slug])).status_code == 404


def test_received_invitations_list_in_a_fixed_number_of_queries(client, alice, django_assert_max_num_queries):
    for _ in range(12):
        InvitationFactory(recipient=alice, note="hi")
    client.force_login(alice)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("network:invitations"))
    assert response.status_code == 200
    assert response.content.decode().count('class="invitation"') == 12


def test_sent_invitations_list_in_a_fixed_number_of_queries(client, alice, django_assert_max_num_queries):
    for _ in range(12):
        InvitationFactory(sender=alice)
    client.force_login(alice)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("network:invitations_sent"))
    assert response.content.decode().count('class="invitation"') == 12


def test_received_list_is_paginated(client, alice):
    for _ in range(27):
        InvitationFactory(recipient=alice)
    client.force_login(alice)
    first = client.get(reverse("network:invitations")).content.decode()
    second = client.get(reverse("network:invitations") + "?page=2").content.decode()
    assert first.count('class="invitation"') == 25 and second.count('class="invitation"') == 2


def test_accepting_from_the_invitations_page(client, alice, mallory):
    invitation = InvitationFactory(sender=mallory, recipient=alice)
    client.force_login(alice)
    response = client.post(reverse("network:invitation_accept", args=[invitation.pk]))
    assert response.status_code == 302
    assert are_connected(alice.pk, mallory.pk)


def test_another_member_cannot_answer_or_withdraw_an_invitation(client, alice, bob, mallory):
    invitation = InvitationFactory(sender=bob, recipient=alice)
    client.force_login(mallory)
    for name in ("invitation_accept", "invitation_ignore", "invitation_report", "invitation_withdraw"):
        assert client.post(reverse(f"network:{name}", args=[invitation.pk])).status_code == 404
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.PENDING


def test_ignore_and_report_from_the_page(client, alice):
    first, second = InvitationFactory(recipient=alice), InvitationFactory(recipient=alice)
    client.force_login(alice)
    client.post(reverse("network:invitation_ignore", args=[first.pk]))
    client.post(reverse("network:invitation_report", args=[second.pk]))
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, first.reported) == ("ignored", False)
    assert (second.status, second.reported) == ("ignored", True)


def test_withdraw_from_the_sent_page(client, alice):
    invitation = InvitationFactory(sender=alice)
    client.force_login(alice)
    client.post(reverse("network:invitation_withdraw", args=[invitation.pk]))
    invitation.refresh_from_db()
    assert invitation.status == "withdrawn"
