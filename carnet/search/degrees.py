"""The degree filter of the people search (1st, 2nd, 3rd+ and out of network), by the graph engine.

The database answers the filter with subqueries on the connection table
(`network.selectors.degree_filter_q`): fine for most members, but for a hub (tens of thousands of
connections, a 2-hop set of most of the network) every candidate is checked against that set in
SQL, which took seconds (a minute for "3rd+" with no words at 100,000 members). When the graph
engine is ready, the search engine is asked instead for the matches of the other criteria in
rank order, a chunk at a time, and each chunk is kept or dropped here by degree: with the
viewer's reach set cached by the engine, by the badges' batched degree call (set membership
tests); cold, from the engine's adjacency in one vectorised pass (a candidate is 1st degree when
they are one of the viewer's connections, 2nd when one of their connections is, the same test
as the SQL's EXISTS, 3rd+ otherwise), and the engine warms the reach set for the next page.
Never one query per person. While the engine is not ready, the SQL filter answers: slower, never wrong,
and the same members in the same order.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import numpy as np

# Candidates read (and classified) per round; tests shrink it to cross chunk boundaries.
CHUNK_SIZE = 1_000


def graph_degree_filter(viewer_id: int, degrees: Iterable[int]) -> Callable[[list[int]], list[int]] | None:
    """A `keep(ids) -> ids` function keeping the members at `degrees` from the viewer (1, 2, and 3
    meaning "3rd degree and beyond, or out of network"), in their order; None when the SQL
    filter should answer: the engine is not ready, or the filter is "1st" alone (the viewer's
    connections: an indexed subquery the database answers well for any member)."""
    from carnet.network.graph import degrees as graph_degrees
    from carnet.network.graph import engine
    from carnet.network.graph.runtime import get_runtime

    wanted = frozenset(degrees)
    if not wanted or wanted == {1}:
        return None
    index = engine()
    if index is None:
        return None
    first = np.unique(np.asarray(index.neighbors(viewer_id), dtype=np.int64))
    # The viewer's connections as a mask over member ids (a byte per member: 1 MB at a million
    # members), so a chunk's neighbours are tested with one gather instead of binary searches.
    is_connection = np.zeros(max(index.members, int(first[-1]) + 1 if len(first) else 0), dtype=bool)
    is_connection[first] = True

    def among_connections(ids: np.ndarray) -> np.ndarray:
        hit = np.zeros(len(ids), dtype=bool)
        inside = ids < len(is_connection)
        hit[inside] = is_connection[ids[inside]]
        return hit

    def keep(ids: list[int]) -> list[int]:
        if not ids:
            return []
        if wanted == {1, 2, 3}:
            return [i for i in ids if i != viewer_id]
        candidates = np.asarray(ids, dtype=np.int64)
        if index.is_cached(viewer_id):
            # The viewer's reach set is cached (after a first page): the badges' batched call
            # answers with set membership tests. Absent means beyond the 3rd degree: 3rd+ too.
            found = graph_degrees(viewer_id, ids)
            return [i for i in ids if i != viewer_id and min(found.get(i, 3), 3) in wanted]
        get_runtime().after_read(viewer_id)  # build it off the request path, for the next page
        rows = [index.neighbors(i) for i in ids]
        lengths = np.fromiter((len(row) for row in rows), dtype=np.int64, count=len(rows))
        neighbours = np.concatenate(rows).astype(np.int64) if lengths.sum() else np.empty(0, dtype=np.int64)
        owner = np.repeat(np.arange(len(ids)), lengths)
        # 2nd degree: one of their connections is one of the viewer's (the SQL's EXISTS).
        within_two = np.bincount(owner[among_connections(neighbours)], minlength=len(ids)) > 0
        degree = np.where(among_connections(candidates), 1, np.where(within_two, 2, 3))
        mask = np.isin(degree, list(wanted)) & (candidates != viewer_id)
        return candidates[mask].tolist()

    return keep
