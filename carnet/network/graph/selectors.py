"""Graph-backed reads: mutual connections, shortest chains and "How you're connected".

Each read asks the engine first and falls back to SQL with the same answer when the engine is
not ready (see runtime.py). Intermediates are named only when their "connections" audience
admits the viewer — their own connection for a mutual connection or the first hop of a chain,
a 2nd-degree member for the second hop — as decided by core.visibility. Before anything is
shown, the chosen intermediates are checked once more against the database (active account,
current audience, blocks): the engine's copy of the audiences may be a moment behind.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from carnet.core import visibility
from carnet.core.visibility import Relation
from carnet.network.graph import engine
from carnet.network.graph.index import CONNECTION, Chains, pick_chains
from carnet.network.models import Connection
from carnet.network.selectors import blocked_ids

CHAINS_SHOWN = 3
MUTUAL_SHOWN = 12
_RETRIES = 3


def shows_connections(profile_visibility, relation: Relation) -> bool:
    """Whether a member's connections list (policy field "connections") admits `relation`."""
    return visibility.allows(visibility.field_audience(profile_visibility, "connections"), relation)


def blocked_with(viewer_id: int) -> set[int]:
    """Members the viewer blocked or was blocked by (one query, shared by a page's reads)."""
    return blocked_ids(member_id=viewer_id)


def _intermediates_ok(ids: set[int], relation_of: dict[int, Relation], loaded: dict | None = None) -> set[int]:
    """Which of `ids` may be shown now, read from the database (one query). Given `loaded` (a
    dict), the profiles (and accounts) of those shown are read by the same query and put in it,
    for their cards."""
    from carnet.profiles.models import Profile
    from carnet.profiles.selectors import profile_list_active

    if loaded is None:
        rows = Profile.objects.filter(pk__in=ids, user__is_active=True).values_list("pk", "visibility")
        return {pk for pk, stored in rows if shows_connections(stored, relation_of[pk])}

    shown = set()
    for profile in profile_list_active(ids=ids):
        if shows_connections(profile.visibility, relation_of[profile.pk]):
            shown.add(profile.pk)
            loaded[profile.pk] = profile
    return shown


@dataclass
class Mutual:
    ids: list[int]  # the mutual connections the viewer may be shown, ascending ids (maybe only the first)
    total: int  # every mutual connection, including those who keep their list private


def mutual_connections(
    *, viewer_id: int, member_id: int, loaded: dict | None = None, first: int | None = None
) -> Mutual:
    """The viewer's connections who are also connected to the member.

    Given `first`, only the first `first` of those the viewer may be shown (ascending ids) are
    looked for, reading the candidates in ascending batches: a hub's hundreds of mutual
    connections are not all checked for the dozen a profile page shows. Given `loaded` (a
    dict), the shown members' profiles are put in it, read by the same query.
    """
    if viewer_id == member_id:
        return Mutual([], 0)
    blocked = blocked_with(viewer_id)
    index = engine()
    if index is not None:
        everyone = index.mutual(viewer_id, member_id)
        candidates = index.admissible(everyone, CONNECTION).tolist()
    else:
        everyone = list(
            Connection.objects.filter(member_id=viewer_id, other__connections_out__other_id=member_id)
            .values_list("other_id", flat=True)
            .order_by("other_id")
        )
        candidates = everyone
    candidates = sorted(m for m in candidates if m not in blocked)
    if first is None:
        shown = _intermediates_ok(set(candidates), dict.fromkeys(candidates, Relation.CONNECTION), loaded)
        return Mutual([m for m in candidates if m in shown], len(everyone))
    found: list[int] = []
    # Twice as many as wanted: the engine already left out most of those the check refuses.
    batch = max(2 * first, 1)
    for start in range(0, len(candidates), batch):
        if len(found) >= first:
            break
        chunk = candidates[start : start + batch]
        shown = _intermediates_ok(set(chunk), dict.fromkeys(chunk, Relation.CONNECTION), loaded)
        found += [m for m in chunk if m in shown]
    return Mutual(found[:first], len(everyone))


def connection_chains(
    *, viewer_id: int, member_id: int, k: int = CHAINS_SHOWN, loaded: dict | None = None, check_second: bool = True
) -> Chains:
    """Up to k distinct shortest chains (at most 3 hops) from viewer to member; see GraphIndex.chains.

    Given `loaded` (a dict), the intermediates' profiles are put in it (read by the check).
    `check_second=False` leaves a 2nd degree's chains (its mutual connections) unchecked, for a
    caller that only wants the degree then and shows mutual_connections() instead.
    """
    if viewer_id == member_id:
        return Chains(0, [])
    exclude = blocked_with(viewer_id)
    for _attempt in range(_RETRIES):
        index = engine()
        result = (
            index.chains(viewer_id, member_id, k, exclude=exclude)
            if index is not None
            else _chains_sql(viewer_id, member_id, k, exclude)
        )
        relation_of = {}
        for chain in result.chains:
            for position, member in enumerate(chain):
                relation_of[member] = Relation.CONNECTION if position == 0 else Relation.SECOND_DEGREE
        if not relation_of or (result.degree == 2 and not check_second):
            return result
        refused = set(relation_of) - _intermediates_ok(set(relation_of), relation_of, loaded)
        if not refused:
            return result
        # The engine's copy of someone's audience was behind: leave them out and choose again.
        exclude |= refused
    return Chains(result.degree, [], hidden=True)


def _chains_sql(viewer_id: int, member_id: int, k: int, exclude: set[int]) -> Chains:
    """The same answer as GraphIndex.chains, from SQL (the fallback; slower at hubs)."""
    from carnet.network.selectors import degrees_sql
    from carnet.profiles.models import Profile

    degree = degrees_sql(viewer_id, [member_id]).get(member_id)
    if degree in (None, 1):
        return Chains(degree, [()] if degree == 1 else [])
    firsts = Connection.objects.filter(member_id=viewer_id).values("other_id")
    if degree == 2:
        everyone = list(
            Connection.objects.filter(member_id__in=firsts, other_id=member_id)
            .values_list("member_id", flat=True)
            .order_by("member_id")
        )
        audiences = dict(Profile.objects.filter(pk__in=everyone).values_list("pk", "visibility"))
        visible = [a for a in everyone if a not in exclude and shows_connections(audiences.get(a), Relation.CONNECTION)]
        return Chains(2, [(a,) for a in visible[:k]], hidden=min(k, len(everyone)) > min(k, len(visible)))
    lasts = Connection.objects.filter(member_id=member_id).values("other_id")
    bridges = Connection.objects.filter(member_id__in=firsts, other_id__in=lasts)
    pairs = list(bridges.values_list("member_id", "other_id"))
    involved = {a for a, _b in pairs} | {b for _a, b in pairs}
    audiences = dict(Profile.objects.filter(pk__in=involved).values_list("pk", "visibility"))
    kept = [
        (a, b)
        for a, b in pairs
        if a not in exclude
        and b not in exclude
        and shows_connections(audiences.get(a), Relation.CONNECTION)
        and shows_connections(audiences.get(b), Relation.SECOND_DEGREE)
    ]
    chosen = pick_chains(np.array([a for a, _b in kept]), np.array([b for _a, b in kept]), k) if kept else []
    return Chains(3, chosen, hidden=len(chosen) < k and len(pairs) > len(chosen))


@dataclass
class HowConnected:
    """What the "How you're connected" block of a profile shows, as member cards."""

    degree: int | None
    mutual: list = field(default_factory=list)  # ProfileView cards of visible mutual connections
    mutual_total: int = 0
    chains: list[list] = field(default_factory=list)  # per chain, the intermediates' cards
    hidden: bool = False
    # The same cards rendered (profiles/_card.html), when the page asked for them (network_graph).
    mutual_html: list = field(default_factory=list)
    chains_html: list[list] = field(default_factory=list)

    @property
    def mutual_hidden(self) -> int:
        return max(0, self.mutual_total - len(self.mutual))


def how_connected(*, viewer, member_id: int, mutual_limit: int = MUTUAL_SHOWN) -> HowConnected | None:
    """The viewer's way to a member (None for anonymous visitors and for oneself)."""
    from carnet.profiles.models import Profile
    from carnet.profiles.selectors import profile_cards

    if not getattr(viewer, "is_authenticated", False) or viewer.pk == member_id:
        return None
    # The profiles the checks of the intermediates read, for their cards: one query, not two.
    loaded: dict = {}
    chains = connection_chains(viewer_id=viewer.pk, member_id=member_id, loaded=loaded, check_second=False)
    result = HowConnected(degree=chains.degree, hidden=chains.hidden)
    wanted: list[int] = []
    mutual = None
    if chains.degree in (1, 2):
        mutual = mutual_connections(viewer_id=viewer.pk, member_id=member_id, loaded=loaded, first=max(mutual_limit, 0))
        result.mutual_total = mutual.total
        wanted = mutual.ids[:mutual_limit]
    elif chains.degree == 3:
        wanted = [m for chain in chains.chains for m in chain]
    if not wanted:
        return result
    missing = set(wanted) - set(loaded)
    profiles = {m: loaded[m] for m in wanted if m in loaded}
    if missing:
        profiles.update((p.pk, p) for p in Profile.objects.select_related("user").filter(pk__in=missing))
    ordered = [profiles[m] for m in dict.fromkeys(wanted) if m in profiles]
    cards = {card.pk: card for card in profile_cards(ordered, viewer=viewer)}
    if mutual is not None:
        result.mutual = [cards[m] for m in wanted if m in cards]
    else:
        result.chains = [[cards[m] for m in chain] for chain in chains.chains if all(m in cards for m in chain)]
    return result
