"""/api/v1/profiles/{slug}/chain and /mutual: how the caller reaches a member.

Members only (401 otherwise). A member who is blocked either way, or whose profile the caller
may not see, answers 404. Intermediates are projected with profile_cards, and only those whose
connections list admits the caller are named (see carnet/network/graph/selectors.py).
"""

from __future__ import annotations

from django.http import Http404
from ninja import Router, Schema

from carnet.api.pagination import decode_cursor, encode_cursor
from carnet.api.schemas import ErrorOut, MemberOut
from carnet.api.serializers import member_payload
from carnet.core.visibility import Relation
from carnet.network.graph.selectors import connection_chains, mutual_connections
from carnet.profiles.models import Profile
from carnet.profiles.selectors import profile_cards, profile_view

router = Router(tags=["network"])


class ChainOut(Schema):
    degree: int | None  # 0 yourself, 1, 2, 3, or null: outside your network
    chains: list[list[MemberOut]]  # the members between you, up to 3 shortest chains
    hidden: bool  # some shortest chains were left out: an intermediate keeps their connections private


class MutualOut(Schema):
    total: int  # every mutual connection, including those not listed
    items: list[MemberOut]
    next_cursor: str | None = None


def _target(request, slug: str) -> Profile:
    profile = Profile.objects.select_related("user").filter(slug=slug, user__is_active=True).first()
    if profile is None:
        raise Http404
    view = profile_view(profile, viewer=request.user, card=True)
    if view.relation == Relation.BLOCKED or view.name is None:
        raise Http404
    return profile


def _cards(ids: list[int], *, request) -> dict[int, dict]:
    profiles = {p.pk: p for p in Profile.objects.select_related("user").filter(pk__in=set(ids))}
    ordered = [profiles[i] for i in dict.fromkeys(ids) if i in profiles]
    return {
        view.pk: member_payload(view, request=request)
        for view in profile_cards(ordered, viewer=request.user)
        if view.relation != Relation.BLOCKED
    }


@router.get("/profiles/{slug}/chain", response={200: ChainOut, 401: ErrorOut, 404: ErrorOut})
def profile_chain(request, slug: str):
    """Up to 3 distinct shortest chains from you to the member (you → A → B → them)."""
    profile = _target(request, slug)
    found = connection_chains(viewer_id=request.user.pk, member_id=profile.pk)
    cards = _cards([m for chain in found.chains for m in chain], request=request)
    chains = [[cards[m] for m in chain] for chain in found.chains if all(m in cards for m in chain)]
    return {"degree": found.degree, "chains": chains, "hidden": found.hidden}


@router.get("/profiles/{slug}/mutual", response={200: MutualOut, 400: ErrorOut, 401: ErrorOut, 404: ErrorOut})
def profile_mutual(request, slug: str, cursor: str | None = None, limit: int = 25):
    """Your connections who are also connected to the member, in pages (ascending member id)."""
    profile = _target(request, slug)
    limit = max(1, min(limit, 100))
    mutual = mutual_connections(viewer_id=request.user.pk, member_id=profile.pk)
    ids = mutual.ids
    if cursor:
        after = decode_cursor(cursor)[0]
        ids = [i for i in ids if i > after]
    page, rest = ids[:limit], ids[limit:]
    cards = _cards(page, request=request)
    return {
        "total": mutual.total,
        "items": [cards[i] for i in page if i in cards],
        "next_cursor": encode_cursor([page[-1]]) if rest and page else None,
    }
