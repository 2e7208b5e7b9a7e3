"""Reads of the people search: the one entry point pages and the API share.

`people_search` asks the engine for ids, then projects the members with
`profiles.selectors.profile_cards` (visibility policy, and the degrees of the whole page in
one batched call to the graph engine). The degree filter is the graph engine's when it is
ready (degrees.py), the database's otherwise. Blocked members (either way) are excluded in the query
itself, so pages and counts never include them; inactive accounts have no document. The
member's plan caps how deep they can page (`search_depth`), on the server.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from carnet.core.visibility import Relation
from carnet.search.engines import Hits, PeopleQuery, get_engine

PAGE_SIZE = 10
TOO_BROAD = _("This search is too broad to answer quickly. Add words or another filter to narrow it.")
# Counting every match of a broad query ("dev": a third of the network) costs more than the
# page itself (a third of a second at 100,000 members); no plan shows more than 1,000 results,
# so the count stops there and the page says "More than 1,000 results".
COUNT_LIMIT = 1_000


@dataclass
class PeopleResults:
    query: PeopleQuery
    cards: list = field(default_factory=list)  # ProfileView cards, in rank order
    total: int = 0  # matching members, up to COUNT_LIMIT
    capped: bool = False  # more than `total` match
    offset: int = 0
    limit: int = PAGE_SIZE
    depth: int = 0  # how many results the member's plan lets them see
    depth_message: str = ""  # set when the request went past the depth
    error: str = ""  # set when the engine gave up (TOO_BROAD)

    @property
    def reachable(self) -> int:
        """How many results the member can page through: the matches, up to the depth."""
        return min(self.total, self.depth)

    @property
    def beyond_depth(self) -> bool:
        """More members match than the plan lets this member see."""
        return self.total > self.depth

    @property
    def has_more(self) -> bool:
        return self.offset + len(self.cards) < self.reachable


def search_depth_status(viewer):
    """The member's search depth as a quota status (limit and the message naming it)."""
    from carnet.network.quotas import quota_status

    return quota_status(viewer, "search_depth")


def search_hits(query: PeopleQuery, *, viewer_id: int, exclude, offset: int, limit: int) -> Hits:
    """The engine's page of ids and count; the degree filter by the graph engine when it is ready.

    Both paths give the same members in the same order and the same count (up to COUNT_LIMIT):
    with the graph engine, the search engine's matches without the degree filter are read in
    rank order, CHUNK_SIZE at a time, and kept by degree (see degrees.py) until COUNT_LIMIT + 1
    are kept; otherwise the database filters by degree itself (`degree_filter_q`).
    """
    from carnet.search import degrees

    engine = get_engine()
    keep = degrees.graph_degree_filter(viewer_id, query.degrees) if query.degrees else None
    search_kept = getattr(engine, "search_kept", None)
    if keep is not None and search_kept is not None:
        return search_kept(
            query,
            viewer_id=viewer_id,
            exclude=exclude,
            offset=offset,
            limit=limit,
            count_limit=COUNT_LIMIT,
            keep=keep,
            chunk_size=degrees.CHUNK_SIZE,
        )
    return engine.search(
        query, viewer_id=viewer_id, exclude=exclude, offset=offset, limit=limit, count_limit=COUNT_LIMIT
    )


def people_search(*, viewer, query: PeopleQuery, offset: int = 0, limit: int = PAGE_SIZE) -> PeopleResults:
    """Members matching `query` as `viewer` may see them, results offset..offset+limit.

    Raises network.quotas.QuotaExceeded when `offset` is at or past the member's search depth
    (a page that straddles the depth is cut at it), engines.SearchTimeout when the engine gave up
    on a query too broad for its filters.
    """
    from carnet.network.quotas import QuotaExceeded
    from carnet.network.selectors import blocked_ids
    from carnet.profiles.models import Profile
    from carnet.profiles.selectors import profile_cards

    status = search_depth_status(viewer)
    depth = status.limit
    offset, limit = max(0, offset), max(1, limit)
    if offset >= depth:
        raise QuotaExceeded(status)
    limit = min(limit, depth - offset)
    results = PeopleResults(query=query, offset=offset, limit=limit, depth=depth)
    if query.is_empty:
        return results
    hits = search_hits(query, viewer_id=viewer.pk, exclude=blocked_ids(member_id=viewer.pk), offset=offset, limit=limit)
    profiles = {p.pk: p for p in Profile.objects.select_related("user").filter(pk__in=hits.ids)}
    ordered = [profiles[i] for i in hits.ids if i in profiles]
    cards = profile_cards(ordered, viewer=viewer)
    # A block made between the query and the projection: leave them out too.
    results.cards = [card for card in cards if card.relation != Relation.BLOCKED]
    results.total, results.capped = hits.total, hits.capped
    return results
