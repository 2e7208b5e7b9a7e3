"""Plans and their limits, defined in one place. Every quota in Carnet reads its number here.

The plan/quota engine (grants, usage counters, enforcement) lives in network.services and
network.quotas; this module only says what each plan allows.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Plan:
    code: str
    name: str
    invitations_per_week: int
    introductions_per_month: int
    profile_viewers_visible: int  # how many of "who viewed my profile" are named
    messages_to_non_connections_per_month: int
    search_depth: int  # search results beyond this many are not shown


FREE = Plan(
    code="free",
    name=_("Free"),
    invitations_per_week=100,
    introductions_per_month=5,
    profile_viewers_visible=5,
    messages_to_non_connections_per_month=0,
    search_depth=100,
)
PREMIUM = Plan(
    code="premium",
    name=_("Premium"),
    invitations_per_week=200,
    introductions_per_month=30,
    profile_viewers_visible=365,
    messages_to_non_connections_per_month=15,
    search_depth=1000,
)
# From the least to the most generous: when a member holds several grants, the best one wins.
PLANS = {plan.code: plan for plan in (FREE, PREMIUM)}
PLAN_RANK = {code: rank for rank, code in enumerate(PLANS)}

# Anti-abuse: a member whose invitations are mostly turned down is limited whatever their plan.
# Over the last REPUTATION_WINDOW_DAYS, once at least REPUTATION_MIN_ANSWERED of their
# invitations were answered (accepted, ignored or reported), if more than REPUTATION_BAD_SHARE
# of those were ignored or reported ("I don't know this person"), their weekly invitation
# limit drops to REDUCED_INVITATIONS_PER_WEEK until enough of them age out of the window.
REPUTATION_WINDOW_DAYS = 30
REPUTATION_MIN_ANSWERED = 10
REPUTATION_BAD_SHARE = 0.5
REDUCED_INVITATIONS_PER_WEEK = 10


def plan_for(user) -> Plan:
    """The plan a member is on now (Free unless a grant says otherwise)."""
    resolver = _resolver
    return resolver(user) if resolver else FREE


_resolver = None


def register_plan_resolver(resolver) -> None:
    """The quota engine registers how to find a member's plan (grants, company seats...)."""
    global _resolver
    _resolver = resolver
