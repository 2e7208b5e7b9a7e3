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
