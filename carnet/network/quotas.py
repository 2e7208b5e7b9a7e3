"""Quotas: how much of each plan limit a member has used, and enforcement.

The numbers come from `network.plans` (one place); this module counts usage and says no.

Two kinds of limits:
- *allowances* renew every calendar period (invitations per week, introductions per month,
  messages to non-connections per month). Periods start on Monday 00:00 / the 1st of the
  month 00:00 in settings.TIME_ZONE, so every member's allowance resets at the same,
  predictable moment that messages can name.
- *caps* are standing limits with nothing to count (profile viewers named, search depth):
  the feature that shows them reads `quota_status(...).limit` (or `plan_for(user)`).

Use from any app (always on the server, inside the transaction that creates the row):

    from carnet.network.quotas import QuotaExceeded, quota_check
    with transaction.atomic():
        quota_check(member, "introductions_per_month")    # raises QuotaExceeded
        Introduction.objects.create(...)

    quota_check(member, "invitations_per_week", amount=12)  # 12 e-mail invitations at once

`QuotaExceeded` carries the `QuotaStatus` and a translated message that names the limit and
when it resets; views show `str(exc)`, the API answers 429 with it.

An app that owns a counted action registers how to count it (`register_quota_counter`);
invitations (member and e-mail) and introduction requests are counted here already because
their tables live in this app.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Count, Q
from django.utils import formats, timezone
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from carnet.network import plans
from carnet.network.plans import plan_for

WEEK = "week"
MONTH = "month"


@dataclass(frozen=True)
class QuotaDefinition:
    name: str  # an attribute of plans.Plan
    label: Promise  # "invitations per week": reads after a number
    period: str | None  # WEEK, MONTH, or None for a standing cap


QUOTAS: dict[str, QuotaDefinition] = {
    q.name: q
    for q in (
        QuotaDefinition("invitations_per_week", _("invitations per week"), WEEK),
        QuotaDefinition("introductions_per_month", _("introduction requests per month"), MONTH),
        QuotaDefinition(
            "messages_to_non_connections_per_month", _("messages to members outside your connections per month"), MONTH
        ),
        QuotaDefinition("profile_viewers_visible", _("profile viewers shown by name"), None),
        QuotaDefinition("search_depth", _("search results shown"), None),
    )
}

# name -> counter(user, since) -> number of uses since `since`.
Counter = Callable[[object, datetime.datetime], int]
_counters: dict[str, Counter] = {}


def register_quota_counter(name: str, counter: Counter) -> None:
    """Say how uses of allowance `name` are counted (by the app that owns the action)."""
    if name not in QUOTAS or QUOTAS[name].period is None:
        raise ValueError(f"{name!r} is not a periodic quota.")
    _counters[name] = counter


@dataclass(frozen=True)
class QuotaStatus:
    name: str
    label: str
    limit: int
    used: int | None  # None for a cap, or an allowance whose feature does not count yet
    period_start: datetime.datetime | None
    resets_at: datetime.datetime | None  # None for a cap
    reduced: bool = False  # the limit is lower than the plan's (anti-abuse)

    @property
    def remaining(self) -> int | None:
        return None if self.used is None else max(0, self.limit - self.used)

    def allows(self, amount: int = 1) -> bool:
        return self.used is None or self.used + amount <= self.limit

    @property
    def message(self) -> str:
        """Why the member cannot do more, naming the limit and when it resets."""
        text = gettext("You have reached your limit of %(limit)s %(label)s.") % {
            "limit": formats.number_format(self.limit, force_grouping=True),
            "label": self.label,
        }
        if self.reduced:
            text += " " + gettext(
                "It is reduced because most of your invitations of the last %(days)s days were ignored "
                "or reported as unknown."
            ) % {"days": plans.REPUTATION_WINDOW_DAYS}
        if self.resets_at:
            text += " " + gettext("It resets on %(when)s.") % {"when": format_reset(self.resets_at)}
        return text


class QuotaExceeded(Exception):
    """A member tried to go over a plan limit. `str(exc)` is the message to show them."""

    def __init__(self, status: QuotaStatus):
        self.status = status
        super().__init__(status.message)


def format_reset(moment: datetime.datetime) -> str:
    """'Monday 10 March 2025 at 00:00 (UTC)', in the active language and the site's time zone."""
    local = timezone.localtime(moment)
    return gettext("%(date)s at %(time)s (%(zone)s)") % {
        "date": formats.date_format(local, "l j F Y"),
        "time": formats.time_format(local, "H:i"),
        "zone": local.tzname(),
    }


def period_bounds(period: str, now: datetime.datetime) -> tuple[datetime.datetime, datetime.datetime]:
    """Start and end of the calendar week (from Monday 00:00) or month holding `now`, site time."""
    local = timezone.localtime(now)
    midnight = local.replace(hour=0, minute=0, second=0, microsecond=0)
    if period == WEEK:
        start = midnight - datetime.timedelta(days=local.weekday())
        end = start + datetime.timedelta(days=7)
    elif period == MONTH:
        start = midnight.replace(day=1)
        end = start.replace(year=start.year + 1, month=1) if start.month == 12 else start.replace(month=start.month + 1)
    else:
        raise ValueError(period)
    # Re-localise: adding days across a DST change must land on local midnight, not 23:00.
    tz = timezone.get_current_timezone()
    return (
        timezone.make_aware(start.replace(tzinfo=None), tz),
        timezone.make_aware(end.replace(tzinfo=None), tz),
    )


def invitations_limited(user, *, now: datetime.datetime | None = None) -> bool:
    """True when most of the member's recently answered invitations were ignored or reported."""
    from carnet.network.models import Invitation, InvitationStatus

    now = now or timezone.now()
    since = now - datetime.timedelta(days=plans.REPUTATION_WINDOW_DAYS)
    answered = Q(status__in=[InvitationStatus.ACCEPTED, InvitationStatus.IGNORED]) | Q(reported=True)
    bad = Q(status=InvitationStatus.IGNORED) | Q(reported=True)
    counts = Invitation.objects.filter(sender_id=user.pk, created__gte=since).aggregate(
        answered=Count("id", filter=answered), bad=Count("id", filter=bad)
    )
    return (
        counts["answered"] >= plans.REPUTATION_MIN_ANSWERED
        and counts["bad"] > plans.REPUTATION_BAD_SHARE * counts["answered"]
    )


def quota_status(
    user, name: str, *, now: datetime.datetime | None = None, plan: plans.Plan | None = None
) -> QuotaStatus:
    """Limit, use and reset time of one quota for one member."""
    definition = QUOTAS[name]
    plan = plan or plan_for(user)
    limit = getattr(plan, name)
    if definition.period is None:
        return QuotaStatus(name, str(definition.label), limit, None, None, None)
    now = now or timezone.now()
    start, end = period_bounds(definition.period, now)
    reduced = False
    if (
        name == "invitations_per_week"
        and limit > plans.REDUCED_INVITATIONS_PER_WEEK
        and invitations_limited(user, now=now)
    ):
        limit, reduced = plans.REDUCED_INVITATIONS_PER_WEEK, True
    counter = _counters.get(name)
    used = counter(user, start) if counter else None
    return QuotaStatus(name, str(definition.label), limit, used, start, end, reduced)


def quota_check(user, name: str, *, amount: int = 1, now: datetime.datetime | None = None) -> QuotaStatus:
    """Raise QuotaExceeded unless the member may use `amount` more of quota `name` now."""
    status = quota_status(user, name, now=now)
    if not status.allows(amount):
        raise QuotaExceeded(status)
    return status


def quota_usage(user, *, now: datetime.datetime | None = None) -> list[QuotaStatus]:
    """Every limit of the member's plan with its use, for the settings page and the API."""
    plan = plan_for(user)
    return [quota_status(user, name, now=now, plan=plan) for name in QUOTAS]


def _count_invitations(user, since: datetime.datetime) -> int:
    # Every invitation sent counts, withdrawn ones too: withdrawing must not refill the allowance.
    from carnet.network.models import EmailInvitation, Invitation

    return (
        Invitation.objects.filter(sender_id=user.pk, created__gte=since).count()
        + EmailInvitation.objects.filter(sender_id=user.pk, created__gte=since).count()
    )


def _count_introductions(user, since: datetime.datetime) -> int:
    from carnet.network.models import Introduction

    return Introduction.objects.filter(requester_id=user.pk, created__gte=since).count()


register_quota_counter("invitations_per_week", _count_invitations)
register_quota_counter("introductions_per_month", _count_introductions)


def plan_from_grants(user) -> plans.Plan:
    """The best plan among the member's running grants: their own, or their current company's."""
    if user is None or not getattr(user, "is_authenticated", False):
        return plans.FREE
    from carnet.network.models import PlanGrant
    from carnet.profiles.models import Position

    now = timezone.now()
    current_companies = Position.objects.filter(
        Q(is_current=True) | Q(end_date__isnull=True), profile_id=user.pk, organization__isnull=False
    ).values("organization_id")
    codes = (
        PlanGrant.objects.filter(Q(user_id=user.pk) | Q(organization_id__in=current_companies), starts__lte=now)
        .filter(Q(ends__isnull=True) | Q(ends__gt=now))
        .values_list("plan", flat=True)
        .distinct()
    )
    known = [code for code in codes if code in plans.PLANS]
    return plans.PLANS[max(known, key=plans.PLAN_RANK.__getitem__)] if known else plans.FREE
