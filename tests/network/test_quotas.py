"""Plans, grants and quotas: limits enforced at their boundary, messages that name the limit and
when it resets, the anti-abuse reduction, and grants to members and companies."""

import datetime

import pytest
from django.utils import timezone

from carnet.network import plans
from carnet.network.models import EmailInvitation, Invitation, InvitationStatus
from carnet.network.quotas import (
    QuotaExceeded,
    invitations_limited,
    period_bounds,
    quota_check,
    quota_status,
    quota_usage,
)
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db


def _invite(sender, n, *, status=InvitationStatus.PENDING, reported=False, when=None):
    rows = [Invitation(sender=sender, recipient=MemberFactory(), status=status, reported=reported) for _ in range(n)]
    Invitation.objects.bulk_create(rows)
    if when is not None:
        Invitation.objects.filter(pk__in=[r.pk for r in rows]).update(created=when)
    return rows


def test_week_starts_on_monday_midnight_and_resets_a_week_later():
    wednesday = datetime.datetime(2025, 3, 12, 15, 30, tzinfo=datetime.UTC)
    start, end = period_bounds("week", wednesday)
    assert start == datetime.datetime(2025, 3, 10, tzinfo=datetime.UTC)
    assert end == datetime.datetime(2025, 3, 17, tzinfo=datetime.UTC)


def test_month_period_rolls_over_the_year():
    start, end = period_bounds("month", datetime.datetime(2025, 12, 31, 23, 59, tzinfo=datetime.UTC))
    assert start == datetime.datetime(2025, 12, 1, tzinfo=datetime.UTC)
    assert end == datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)


def test_invitation_quota_counts_member_and_email_invitations(alice):
    _invite(alice, 3, status=InvitationStatus.WITHDRAWN)
    EmailInvitation.objects.create(sender=alice, email="x@example.org")
    status = quota_status(alice, "invitations_per_week")
    assert (status.limit, status.used, status.remaining) == (plans.FREE.invitations_per_week, 4, 96)


def test_invitation_quota_refuses_at_the_limit_with_a_message_naming_it(alice, settings):
    _invite(alice, plans.FREE.invitations_per_week - 1)
    quota_check(alice, "invitations_per_week")
    with pytest.raises(QuotaExceeded) as exc:
        quota_check(alice, "invitations_per_week", amount=2)
    message = str(exc.value)
    assert "100 invitations per week" in message
    assert "resets on Monday" in message
    assert exc.value.status.resets_at.weekday() == 0


def test_invitations_of_an_earlier_week_do_not_count(alice):
    _invite(alice, 5, when=timezone.now() - datetime.timedelta(days=8))
    assert quota_status(alice, "invitations_per_week").used == 0


def test_mostly_ignored_or_reported_invitations_reduce_the_weekly_limit(alice):
    recent = timezone.now() - datetime.timedelta(days=10)
    _invite(alice, 4, status=InvitationStatus.ACCEPTED, when=recent)
    _invite(alice, 4, status=InvitationStatus.IGNORED, when=recent)
    _invite(alice, 1, status=InvitationStatus.IGNORED, reported=True, when=recent)
    assert not invitations_limited(alice)  # 9 answered: below the minimum sample
    _invite(alice, 1, status=InvitationStatus.IGNORED, reported=True, when=recent)
    assert invitations_limited(alice)  # 6 of 10 turned down
    status = quota_status(alice, "invitations_per_week")
    assert status.reduced and status.limit == plans.REDUCED_INVITATIONS_PER_WEEK
    assert "reduced" in status.message


def test_half_ignored_is_not_mostly_ignored(alice):
    recent = timezone.now() - datetime.timedelta(days=3)
    _invite(alice, 5, status=InvitationStatus.ACCEPTED, when=recent)
    _invite(alice, 5, status=InvitationStatus.IGNORED, when=recent)
    assert not invitations_limited(alice)


def test_reputation_forgets_invitations_older_than_the_window(alice):
    old = timezone.now() - datetime.timedelta(days=plans.REPUTATION_WINDOW_DAYS + 1)
    _invite(alice, 12, status=InvitationStatus.IGNORED, when=old)
    assert not invitations_limited(alice)


def test_usage_lists_every_limit_of_the_plan(alice):
    usage = {status.name: status for status in quota_usage(alice)}
    assert set(usage) == {
        "invitations_per_week",
        "introductions_per_month",
        "messages_to_non_connections_per_month",
        "profile_viewers_visible",
        "search_depth",
    }
    assert usage["search_depth"].resets_at is None and usage["search_depth"].limit == plans.FREE.search_depth
    assert usage["introductions_per_month"].used == 0


# --- plan grants -------------------------------------------------------------------------
from io import StringIO  # noqa: E402

from django.core.management import call_command  # noqa: E402
from django.core.management.base import CommandError  # noqa: E402
from django.urls import reverse  # noqa: E402

from carnet.network.models import PlanGrant  # noqa: E402
from carnet.network.plans import plan_for  # noqa: E402
from carnet.network.services import NetworkError, plan_grant, plan_grant_changed, plan_grant_end  # noqa: E402
from tests.factories import OrganizationFactory, PlanGrantFactory, PositionFactory  # noqa: E402


def test_members_are_on_free_by_default(alice):
    assert plan_for(alice) == plans.FREE


def test_a_running_member_grant_gives_premium_and_an_ended_one_does_not(alice, bob):
    PlanGrantFactory(user=alice, ends=timezone.now() + datetime.timedelta(days=1))
    PlanGrantFactory(user=bob, ends=timezone.now() - datetime.timedelta(seconds=1))
    assert plan_for(alice) == plans.PREMIUM
    assert plan_for(bob) == plans.FREE


def test_a_future_grant_does_not_count_yet(alice):
    PlanGrantFactory(user=alice, starts=timezone.now() + datetime.timedelta(days=1))
    assert plan_for(alice) == plans.FREE


def test_a_company_grant_covers_its_current_members_only(alice, bob, mallory):
    acme = OrganizationFactory()
    PositionFactory(profile=alice.profile, organization=acme)
    PositionFactory(profile=bob.profile, organization=acme, end_date=datetime.date(2020, 1, 1), is_current=False)
    plan_grant(plan="premium", organization=acme)
    assert plan_for(alice) == plans.PREMIUM
    assert plan_for(bob) == plans.FREE  # left the company
    assert plan_for(mallory) == plans.FREE


def test_the_best_of_several_grants_wins(alice):
    PlanGrantFactory(user=alice, plan="free")
    PlanGrantFactory(user=alice, plan="premium")
    PlanGrantFactory(user=alice, plan="an-old-plan-code")
    assert plan_for(alice) == plans.PREMIUM


def test_premium_limits_show_in_usage(alice):
    plan_grant(plan="premium", user=alice)
    usage = {q.name: q for q in quota_usage(alice)}
    assert usage["invitations_per_week"].limit == plans.PREMIUM.invitations_per_week
    assert usage["introductions_per_month"].limit == plans.PREMIUM.introductions_per_month


def test_plan_grant_validates_its_input(alice):
    with pytest.raises(NetworkError, match="Unknown plan"):
        plan_grant(plan="gold", user=alice)
    with pytest.raises(NetworkError, match="either"):
        plan_grant(plan="premium")
    with pytest.raises(NetworkError, match="after its start"):
        plan_grant(plan="premium", user=alice, ends=timezone.now() - datetime.timedelta(days=1))


def test_a_payment_provider_grant_is_idempotent_and_can_be_ended(alice, django_capture_on_commit_callbacks):
    seen = []

    def receiver(sender, grant, **kwargs):
        seen.append((grant.source, grant.reference, grant.ends))

    plan_grant_changed.connect(receiver)
    try:
        month = timezone.now() + datetime.timedelta(days=30)
        with django_capture_on_commit_callbacks(execute=True):
            plan_grant(plan="premium", user=alice, ends=month, source="stripe", reference="sub_123")
            plan_grant(
                plan="premium",
                user=alice,
                ends=month + datetime.timedelta(days=30),
                source="stripe",
                reference="sub_123",
            )
        assert PlanGrant.objects.filter(source="stripe").count() == 1
        assert plan_for(alice) == plans.PREMIUM
        with django_capture_on_commit_callbacks(execute=True):
            assert plan_grant_end(source="stripe", reference="sub_123") == 1
        assert plan_for(alice) == plans.FREE
        assert len(seen) == 3
    finally:
        plan_grant_changed.disconnect(receiver)


def test_the_member_is_told_about_a_grant(alice):
    from carnet.notifications.models import Notification

    plan_grant(plan="premium", user=alice, ends=timezone.now() + datetime.timedelta(days=30))
    assert "Premium" in Notification.objects.get(recipient=alice, kind="plan_granted").text


def test_cli_grants_shows_and_ends(alice):
    out = StringIO()
    call_command("plan", "grant", "ALICE@example.org", "--plan", "premium", "--days", "30", stdout=out)
    assert "Granted premium to ALICE@example.org until" in out.getvalue()
    grant = PlanGrant.objects.get(user=alice)
    assert 29 <= (grant.ends - timezone.now()).days <= 30
    out = StringIO()
    call_command("plan", "show", "alice@example.org", stdout=out)
    assert "alice@example.org: premium" in out.getvalue() and "invitations_per_week: 0 / 200" in out.getvalue()
    call_command("plan", "end", "alice@example.org", stdout=StringIO())
    assert plan_for(alice) == plans.FREE


def test_cli_grants_to_a_company_and_reports_errors(db):
    acme = OrganizationFactory(slug="acme")
    call_command("plan", "grant", "--company", "acme", stdout=StringIO())
    assert PlanGrant.objects.get().organization == acme
    with pytest.raises(CommandError, match="No member"):
        call_command("plan", "grant", "nobody@example.org", stdout=StringIO())
    with pytest.raises(CommandError, match="either"):
        call_command("plan", "grant", stdout=StringIO())


# --- pages -------------------------------------------------------------------------------


def test_plan_page_shows_each_limit_with_use_and_reset(alice_client, alice):
    _invite(alice, 3)
    body = alice_client.get(reverse("network:plan")).content.decode()
    assert "You are on the Free plan." in body
    assert "Invitations per week" in body and "Search results shown" in body
    row = body.split('id="quota-invitations_per_week"')[1].split("</tr>")[0]
    assert "<td>100</td>" in row and "<td>3</td>" in row and "<td>97</td>" in row and "Monday" in row


def test_staff_page_grants_premium_to_a_member(client, alice, mallory):
    alice.is_staff = True
    alice.save()
    client.force_login(alice)
    response = client.post(
        reverse("network:plan_grants"), {"email": "mallory@example.org", "plan": "premium", "days": 7}
    )
    assert response.status_code == 302
    grant = PlanGrant.objects.get(user=mallory)
    assert grant.granted_by == alice and plan_for(mallory) == plans.PREMIUM
    assert "mallory@example.org" in client.get(reverse("network:plan_grants")).content.decode()


def test_staff_page_rejects_bad_input_without_failing(client, alice):
    alice.is_staff = True
    alice.save()
    client.force_login(alice)
    response = client.post(
        reverse("network:plan_grants"), {"email": "nobody@example.org", "company": "x", "plan": "gold"}
    )
    assert response.status_code == 400 and not PlanGrant.objects.exists()


def test_admin_grant_goes_through_the_service(client, alice, mallory):
    alice.is_staff = alice.is_superuser = True
    alice.save()
    client.force_login(alice)
    response = client.post(
        reverse("admin:network_plangrant_add"),
        {
            "plan": "premium",
            "user": mallory.pk,
            "starts_0": timezone.now().strftime("%Y-%m-%d"),
            "starts_1": "00:00:00",
            "source": "admin",
            "reference": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert PlanGrant.objects.get(user=mallory).granted_by == alice
    assert plan_for(mallory) == plans.PREMIUM
