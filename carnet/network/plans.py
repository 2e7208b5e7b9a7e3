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
PLANS = {plan.code: plan for plan in (FREE, PREMIUM)}


def plan_for(user) -> Plan:
    """The plan a member is on now. Premium grants arrive with the quota engine."""
    resolver = _resolver
    return resolver(user) if resolver else FREE


_resolver = None


def register_plan_resolver(resolver) -> None:
    """The quota engine registers how to find a member's plan (grants, company seats...)."""
    global _resolver
    _resolver = resolver
