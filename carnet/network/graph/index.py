"""The in-memory index of the connection graph: pure numpy + pyroaring, no Django.

Layout (see docs/architecture.md, "Graph engine"):
- CSR adjacency indexed by member id: `indptr` (int64, one slot per id + 1) and `indices`
  (int32, each member's connections sorted ascending). About 4 bytes per directed edge plus
  8 bytes per member id.
- An overlay of rows replaced since the last compaction (`{member id: sorted int32 array}`);
  connect/remove rewrite two rows there (O(degree), at most the 30,000-connection cap), and
  compaction folds the overlay back into fresh CSR arrays.
- A bounded LRU of per-viewer "reach" sets: the viewer's connections and everyone within two
  hops as roaring bitmaps (1.6–130 KB each), so a warm degree lookup is set membership.

Readers never lock: every read takes the current immutable `_State` once and works on it;
writers build a new `_State` under `_lock` and swap it in, so a reader sees an edge change on
both rows or on neither.

Privacy: degrees count every path (they only say how far someone is and decide what the
policy shows), but mutual-connection lists and chains *name* people: there an intermediate
appears only when their "connections" audience admits the viewer. The engine does not decide
that itself; it is given the policy's verdict per stored audience (`admits`, built from
carnet.core.visibility by the caller) and only keeps the members whose outcome differs from
the default's.
"""

from __future__ import annotations

import array
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

import numpy as np
from pyroaring import BitMap

EMPTY = np.empty(0, dtype=np.int32)
# Relations an intermediate can stand in to the viewer on a shortest chain.
CONNECTION = "connection"  # the first hop: the viewer's own connection
SECOND = "second"  # the second hop of a 3-hop chain: 2nd degree to the viewer
RELATIONS = (CONNECTION, SECOND)

# Gather in slices of about this many ids when looking for any hit, to stop at the first one.
PROBE_CHUNK = 32_768
# A cold degree lookup probes a connection's row with binary searches (instead of reading it)
# when the row is longer than this many times the ids being looked for.
PROBE_FACTOR = 4
DEFAULT_CACHE_BYTES = 128 * 1024 * 1024


def default_admits(audience: str | None, relation: str) -> bool:
    """The policy's verdict with Carnet's default audiences, for use without Django (tests,
    benchmarks). The runtime passes one built from carnet.core.visibility instead."""
    widest = ("public", "members", "network") if relation == SECOND else ("public", "members", "network", "connections")
    return (audience or "connections") in widest


def to_bitmap(ids: np.ndarray) -> BitMap:
    # array('I') goes through pyroaring's buffer fast path (memcpy), ~30x faster than iterating.
    return BitMap(array.array("I", np.ascontiguousarray(ids, dtype=np.uint32).tobytes()))


def _bitmap_array(bitmap: BitMap) -> np.ndarray:
    return np.asarray(bitmap.to_array(), dtype=np.int64) if len(bitmap) else np.empty(0, dtype=np.int64)


def in_sorted(values: np.ndarray, sorted_set: np.ndarray) -> np.ndarray:
    """np.isin(values, sorted_set) for a sorted, duplicate-free set: one binary search per value,
    no hashing or sorting of either side (np.isin re-sorts both on every call)."""
    values = np.asarray(values)
    if not len(values) or not len(sorted_set):
        return np.zeros(len(values), dtype=bool)
    if values.dtype != sorted_set.dtype and sorted_set.dtype == np.int32 and len(sorted_set) > len(values):
        # Mixed dtypes make numpy cast both sides: cast the small one (ids fit in int32).
        values = values.astype(np.int32) if values.max() < 2**31 and values.min() >= -(2**31) else values
    positions = np.searchsorted(sorted_set, values)
    np.minimum(positions, len(sorted_set) - 1, out=positions)
    return sorted_set[positions] == values


@dataclass(frozen=True)
class _State:
    indptr: np.ndarray
    indices: np.ndarray
    overlay: Mapping[int, np.ndarray]
    overlay_keys: np.ndarray  # sorted ids of the overlay rows, for vectorised lookups
    size: int  # 1 + the largest member id anywhere in the state (masks are this long)
    generation: int

    @property
    def base_size(self) -> int:
        return len(self.indptr) - 1

    def row(self, member: int) -> np.ndarray:
        row = self.overlay.get(member)
        if row is not None:
            return row
        if 0 <= member < self.base_size:
            return self.indices[self.indptr[member] : self.indptr[member + 1]]
        return EMPTY

    def degree_estimate(self, members: np.ndarray) -> np.ndarray:
        """Degrees from the CSR part only: cheap, exact except for overlay rows; for costing."""
        members = np.asarray(members, dtype=np.int64)
        inside = members < self.base_size
        out = np.zeros(len(members), dtype=np.int64)
        ids = members[inside]
        out[inside] = self.indptr[ids + 1] - self.indptr[ids]
        return out

    def volume(self, members: np.ndarray) -> int:
        return int(self.degree_estimate(members).sum()) if len(members) else 0

    def gather(self, members: np.ndarray, *, with_sources: bool = False):
        """The concatenated neighbour lists of `members` (and, optionally, whose each id is)."""
        members = np.asarray(members, dtype=np.int64)
        if not len(members):
            return (EMPTY, EMPTY) if with_sources else EMPTY
        parts, sources = [], []
        if len(self.overlay_keys):
            in_overlay = np.isin(members, self.overlay_keys)
            for member in members[in_overlay].tolist():
                row = self.overlay[member]
                parts.append(row)
                if with_sources:
                    sources.append(np.full(len(row), member, dtype=np.int32))
            members = members[~in_overlay]
        members = members[members < self.base_size]
        if len(members):
            starts = self.indptr[members]
            ends = self.indptr[members + 1]
            lengths = ends - starts
            keep = lengths > 0
            starts, ends, lengths, members = starts[keep], ends[keep], lengths[keep], members[keep]
            if len(members) <= 64:
                parts.extend(self.indices[s:e] for s, e in zip(starts.tolist(), ends.tolist(), strict=True))
            elif len(members):
                # One vectorised gather: positions are runs start..end; build them with one cumsum.
                total = int(lengths.sum())
                steps = np.ones(total, dtype=np.int64)
                steps[0] = starts[0]
                boundaries = np.cumsum(lengths)[:-1]
                steps[boundaries] = starts[1:] - ends[:-1] + 1
                parts.append(self.indices[np.cumsum(steps, out=steps)])
            if with_sources and len(members):
                sources.append(np.repeat(members.astype(np.int32), lengths))
        gathered = np.concatenate(parts) if len(parts) > 1 else (parts[0] if parts else EMPTY)
        if with_sources:
            return gathered, (np.concatenate(sources) if sources else EMPTY)
        return gathered


@dataclass
class _Reach:
    """A viewer's connections and everyone within two hops (the viewer's own id included)."""

    first: BitMap
    within_two: BitMap
    nbytes: int


@dataclass
class Chains:
    """How a viewer reaches a member: the degree and up to k shortest chains of intermediates.

    `chains` lists tuples of member ids between the two: () for a direct connection, (a,) for a
    2nd-degree member, (a, b) for a 3rd-degree one. `hidden` counts the shortest chains left out
    because an intermediate keeps their connections from the viewer (or is blocked).
    """

    degree: int | None
    chains: list[tuple[int, ...]] = field(default_factory=list)
    hidden: bool = False


class GraphIndex:
    """Degrees, mutual connections, shortest chains and friend-of-friend counts, in memory."""

    def __init__(
        self,
        indptr: np.ndarray,
        indices: np.ndarray,
        *,
        audiences: Mapping[int, str] | None = None,
        admits: Callable[[str | None, str], bool] | None = None,
        cache_bytes: int = DEFAULT_CACHE_BYTES,
        version: int | None = None,
    ):
        indptr = np.ascontiguousarray(indptr, dtype=np.int64)
        indices = np.ascontiguousarray(indices, dtype=np.int32)
        if len(indptr) < 1 or indptr[-1] != len(indices):
            raise ValueError("indptr does not describe indices")
        size = max(len(indptr) - 1, int(indices.max()) + 1 if len(indices) else 0)
        self._state = _State(indptr, indices, {}, np.empty(0, dtype=np.int64), size, 0)
        self._lock = threading.Lock()
        self._cache: OrderedDict[int, tuple[int, _Reach]] = OrderedDict()
        self._cache_bytes = 0
        self.cache_limit = cache_bytes
        # version: the change-event counter this index reflects (see runtime.py).
        self.version = version
        self._admits = admits or default_admits
        self._default_ok = {relation: bool(self._admits(None, relation)) for relation in RELATIONS}
        self._audiences: dict[int, str] = {}
        self._exceptions = {relation: BitMap() for relation in RELATIONS}
        # Sorted arrays of the exceptions, rebuilt lazily after a change (reads never lock).
        self._exception_arrays: dict[str, np.ndarray] = {}
        for member, audience in (audiences or {}).items():
            self._set_audience(member, audience)

    @classmethod
    def from_edges(cls, edges: np.ndarray, size: int | None = None, **kwargs) -> GraphIndex:
        """Build from undirected pairs (an (m, 2) array); both directions are indexed."""
        edges = np.asarray(edges, dtype=np.int64).reshape(-1, 2)
        edges = edges[edges[:, 0] != edges[:, 1]]
        n = int(max(size or 0, (edges.max() + 1) if len(edges) else 0))
        # One sort of (source, target) keys gives every row sorted, duplicates adjacent.
        keys = np.concatenate([edges[:, 0] * n + edges[:, 1], edges[:, 1] * n + edges[:, 0]])
        keys.sort()
        if len(keys):
            keys = keys[np.concatenate([[True], keys[1:] != keys[:-1]])]
        src, dst = np.divmod(keys, n) if n else (keys, keys)
        indptr = np.zeros(n + 1, dtype=np.int64)
        np.cumsum(np.bincount(src, minlength=n), out=indptr[1:])
        return cls(indptr, dst.astype(np.int32), **kwargs)

    # ---------------------------------------------------------------------------------
    # Reads
    # ---------------------------------------------------------------------------------
    @property
    def members(self) -> int:
        return self._state.size

    @property
    def directed_edges(self) -> int:
        state = self._state
        replaced = state.degree_estimate(np.fromiter(state.overlay, dtype=np.int64, count=len(state.overlay)))
        return int(len(state.indices) - replaced.sum() + sum(len(row) for row in state.overlay.values()))

    def neighbors(self, member: int) -> np.ndarray:
        return self._state.row(member)

    def connection_count(self, member: int) -> int:
        return len(self._state.row(member))

    def nbytes(self) -> int:
        """Bytes held by the index itself (CSR + overlay), without the reach cache."""
        state = self._state
        return state.indptr.nbytes + state.indices.nbytes + sum(row.nbytes for row in state.overlay.values())

    def cache_nbytes(self) -> int:
        return self._cache_bytes

    def degrees(self, viewer: int, targets: Iterable[int]) -> dict[int, int]:
        """Degree (1, 2, 3) of each target from the viewer; absent when further or unconnected."""
        state = self._state
        wanted = [t for t in dict.fromkeys(int(t) for t in targets) if t != viewer]
        first_row = state.row(viewer)
        if not wanted or not len(first_row):
            return {}
        reach = self._cached_reach(viewer, state)
        result: dict[int, int] = {}
        if reach is not None:
            for target in wanted:
                if target in reach.first:
                    result[target] = 1
                elif target in reach.within_two:
                    result[target] = 2
                else:
                    row = state.row(target)
                    if len(row) and to_bitmap(row).intersect(reach.within_two):
                        result[target] = 3
            return result
        # Rows are sorted: binary searches in the viewer's row answer the first two hops without
        # a mask the size of the network (a megabyte to clear per call at a million members).
        targets = np.array(wanted, dtype=np.int64)
        direct = in_sorted(targets, first_row)
        for target in targets[direct].tolist():
            result[target] = 1
        others = [(target, state.row(target)) for target in targets[~direct].tolist()]
        others = [(target, row) for target, row in others if len(row)]
        if not others:
            return result
        # Second hop for every target at once: one binary search per neighbour of a target.
        rows = np.concatenate([row for _target, row in others])
        owner = np.repeat(np.arange(len(others)), [len(row) for _target, row in others])
        second = np.bincount(owner[in_sorted(rows, first_row)], minlength=len(others)) > 0
        rest = []
        for (target, row), is_second in zip(others, second.tolist(), strict=True):
            if is_second:
                result[target] = 2
            else:
                rest.append((target, row))
        if not rest:
            return result
        # The third hop is the costly one: is a neighbour of the target a neighbour of one of
        # the viewer's connections? The viewer's side is answered from the targets' side of it:
        # the rows of the viewer's small connections are looked up in the (few hundred) sorted
        # neighbours of the targets, and each big connection (a hub: thousands of ids) is probed
        # with binary searches of those neighbours instead of being read. The 2-hop set itself
        # is never built here (the runtime warms it off the request path for the next page).
        # When even that costs more than expanding the targets' neighbours, expand those.
        far = np.concatenate([row for _target, row in rest])
        far_owner = np.repeat(np.arange(len(rest)), [len(row) for _target, row in rest])
        probe = PROBE_FACTOR * max(1, len(far))
        first_degrees = state.degree_estimate(first_row)
        big = first_degrees > probe
        viewer_cost = int(first_degrees[~big].sum()) + int(big.sum()) * probe
        target_cost = state.volume(far)
        if viewer_cost <= target_cost:
            values, inverse = np.unique(far, return_inverse=True)
            reached = np.zeros(len(values), dtype=bool)
            small = state.gather(first_row[~big])
            if len(small):
                at = np.minimum(np.searchsorted(values, small), len(values) - 1)
                reached[at[values[at] == small]] = True
            for hub in first_row[big].tolist():
                reached |= in_sorted(values, state.row(hub))
            third = np.bincount(far_owner[reached[inverse]], minlength=len(rest)) > 0
            for (target, _row), is_third in zip(rest, third.tolist(), strict=True):
                if is_third:
                    result[target] = 3
        else:
            first = np.zeros(state.size, dtype=bool)
            first[first_row] = True
            for target, row in rest:
                if self._any_neighbour_in(state, row, first):
                    result[target] = 3
        return result

    def degree(self, viewer: int, target: int) -> int | None:
        if viewer == target:
            return 0
        return self.degrees(viewer, [target]).get(target)

    def warm(self, viewer: int) -> None:
        """Build and cache the viewer's reach set now (the cold path may leave it for later)."""
        state = self._state
        if self._cached_reach(viewer, state) is None:
            self._build_reach(viewer, state, state.row(viewer))

    def is_cached(self, viewer: int) -> bool:
        return viewer in self._cache

    def mutual(self, viewer: int, target: int) -> np.ndarray:
        """Every member connected to both (sorted ids), hidden or not: counts come from here."""
        state = self._state
        return np.intersect1d(state.row(viewer), state.row(target), assume_unique=True)

    def mutual_counts(self, viewer: int, targets: Iterable[int]) -> dict[int, int]:
        """How many connections the viewer shares with each target, in one pass."""
        state = self._state
        first_row = state.row(viewer)
        counts = {}
        if not len(first_row):
            return {int(t): 0 for t in targets}
        first = np.zeros(state.size, dtype=bool)
        first[first_row] = True
        for target in targets:
            row = state.row(int(target))
            counts[int(target)] = int(first[row].sum()) if len(row) else 0
        return counts

    def admissible(self, members: np.ndarray, relation: str) -> np.ndarray:
        """The members (of an id array) whose connections list admits a viewer in `relation`."""
        members = np.asarray(members)
        exceptions = self._exceptions[relation]
        if not len(exceptions) or not len(members):
            return members if self._default_ok[relation] else members[:0]
        listed = in_sorted(members, self._exception_array(relation))
        return members[~listed] if self._default_ok[relation] else members[listed]

    def _exception_array(self, relation: str) -> np.ndarray:
        # Take the dict first: a change replaces it after updating the bitmaps, so an array made
        # from a bitmap as it was before the change can only land in the discarded dict.
        arrays = self._exception_arrays
        array = arrays.get(relation)
        if array is None:
            array = _bitmap_array(self._exceptions[relation])
            arrays[relation] = array
        return array

    def shows_connections(self, member: int, relation: str) -> bool:
        return self._default_ok[relation] != (member in self._exceptions[relation])

    def mutual_visible(self, viewer: int, target: int, *, exclude: Iterable[int] = ()) -> np.ndarray:
        """The mutual connections the viewer may be shown (sorted ids)."""
        both = self.admissible(self.mutual(viewer, target), CONNECTION)
        exclude = np.fromiter(exclude, dtype=np.int64)
        return both[~np.isin(both, exclude)] if len(exclude) else both

    def chains(self, viewer: int, target: int, k: int = 3, *, exclude: Iterable[int] = ()) -> Chains:
        """Up to k distinct shortest chains from viewer to target (at most 3 hops).

        Chains are distinct when their intermediates differ. They are chosen in ascending
        (a, b) order, first greedily with no intermediate in common (different people to ask),
        then filling with the remaining distinct chains. Intermediates that keep their
        connections list from the viewer, and members in `exclude` (blocked either way), never
        appear; `hidden` says whether that left shortest chains out.
        """
        if viewer == target:
            return Chains(0, [])
        degree = self.degree(viewer, target)
        if degree is None:
            return Chains(None, [])
        if degree == 1:
            return Chains(1, [()])
        state = self._state
        excluded = np.fromiter(exclude, dtype=np.int64)
        firsts = self._allowed(state.row(viewer), CONNECTION, excluded)
        if degree == 2:
            everyone = self.mutual(viewer, target)
            visible = np.intersect1d(firsts, state.row(target), assume_unique=True)
            return Chains(2, [(int(a),) for a in visible[:k]], hidden=min(k, len(everyone)) > min(k, len(visible)))
        seconds = self._allowed(state.row(target), SECOND, excluded)
        pairs_a, pairs_b = self._bridges(state, firsts, seconds)
        chosen = pick_chains(pairs_a, pairs_b, k) if len(pairs_a) else []
        hidden = False
        if len(chosen) < k and (len(firsts) < len(state.row(viewer)) or len(seconds) < len(state.row(target))):
            # Fewer than k shown and someone was filtered out: were chains lost to privacy?
            every_a, _every_b = self._bridges(state, state.row(viewer), state.row(target))
            hidden = len(every_a) > len(chosen)
        return Chains(3, chosen, hidden=hidden)

    def friend_of_friend_counts(self, viewer: int) -> tuple[np.ndarray, np.ndarray]:
        """(member ids, mutual counts) of everyone two hops away, excluding the viewer and their
        connections. Dense counting (bincount) for big neighbourhoods, sort-based for small ones."""
        state = self._state
        first_row = state.row(viewer)
        if not len(first_row):
            return EMPTY.astype(np.int64), EMPTY.astype(np.int64)
        gathered = state.gather(first_row)
        if len(gathered) * 8 > state.size:
            counts = np.bincount(gathered, minlength=state.size)
            counts[first_row] = 0
            counts[viewer] = 0
            ids = np.flatnonzero(counts)
            return ids, counts[ids]
        ids, counts = np.unique(gathered, return_counts=True)
        keep = ~np.isin(ids, first_row) & (ids != viewer)
        return ids[keep].astype(np.int64), counts[keep].astype(np.int64)

    def two_hop_volume(self, viewer: int) -> int:
        """How many ids a full friend-of-friend count of the viewer gathers (sum of the
        connections' degrees): what decides whether suggestions count them all."""
        state = self._state
        return state.volume(state.row(viewer))

    def candidate_counts(
        self, viewer: int, *, exact_up_to: int | None = None, sample: int = 150_000
    ) -> tuple[np.ndarray, np.ndarray, bool]:
        """Friend-of-friend counts, bounded: (ids, counts, exact).

        While the connections' rows add up to at most `exact_up_to` ids (None: always) this is
        `friend_of_friend_counts`. Past it (a member with about a thousand connections or more:
        3.6 million ids for one at the 30,000 cap) only connections whose rows add up to about
        `sample` ids are expanded: the least connected first (the most of the viewer's own
        connections per id read; each says more about whom the viewer knows than a hub does),
        the last degree taken split by a multiplicative hash of the id. Deterministic and
        stable when a connection is added or removed. The counts are scaled by volume /
        sampled volume: estimates, only good for choosing whom to count exactly."""
        state = self._state
        first_row = state.row(viewer)
        if exact_up_to is None or not len(first_row):
            ids, counts = self.friend_of_friend_counts(viewer)
            return ids, counts, True
        degrees = state.degree_estimate(first_row)
        total = int(degrees.sum())
        if total <= exact_up_to:
            ids, counts = self.friend_of_friend_counts(viewer)
            return ids, counts, True
        spent = np.cumsum(np.bincount(degrees, weights=degrees))
        cut = min(int(np.searchsorted(spent, sample, side="right")), len(spent) - 1)
        chosen = degrees < cut
        left = sample - (int(spent[cut - 1]) if cut else 0)
        at_cut = degrees == cut
        if left > 0 and cut and at_cut.any():
            share = left / (cut * int(at_cut.sum()))
            if share >= 1:
                chosen |= at_cut
            else:
                hashes = first_row.astype(np.uint32) * np.uint32(2654435761)
                chosen |= at_cut & (hashes < np.uint32(int(2**32 * share)))
        sampled_volume = int(degrees[chosen].sum())
        if not sampled_volume:
            return EMPTY.astype(np.int64), EMPTY.astype(np.int64), False
        gathered = np.sort(state.gather(first_row[chosen]))
        starts = np.flatnonzero(np.concatenate([[True], gathered[1:] != gathered[:-1]]))
        ids = gathered[starts].astype(np.int64)
        counts = np.diff(np.append(starts, len(gathered)))
        keep = ~in_sorted(ids, first_row) & (ids != viewer)
        scale = total / sampled_volume
        return ids[keep], np.rint(counts[keep] * scale).astype(np.int64), False

    def mutual_count_array(self, viewer: int, targets: np.ndarray) -> np.ndarray:
        """Exact mutual counts of the viewer with each of `targets` (an id array), vectorised:
        one lookup per connection of the targets in a mask of the viewer's connections."""
        state = self._state
        targets = np.asarray(targets, dtype=np.int64)
        counts = np.zeros(len(targets), dtype=np.int64)
        first_row = state.row(viewer)
        if not len(first_row) or not len(targets):
            return counts
        first = np.zeros(state.size, dtype=bool)
        first[first_row] = True
        in_overlay = np.isin(targets, state.overlay_keys) if len(state.overlay_keys) else np.zeros(len(targets), bool)
        for i in np.flatnonzero(in_overlay).tolist():
            counts[i] = int(first[state.overlay[int(targets[i])]].sum())
        base = np.flatnonzero(~in_overlay & (targets >= 0) & (targets < state.base_size))
        if len(base):
            ids = targets[base]
            lengths = state.indptr[ids + 1] - state.indptr[ids]
            # Rows come back in the order asked (empty ones add nothing): sum the hits per run.
            hits = np.concatenate([[0], np.cumsum(first[state.gather(ids)], dtype=np.int64)])
            bounds = np.cumsum(lengths)
            counts[base] = hits[bounds] - hits[bounds - lengths]
        return counts

    # ---------------------------------------------------------------------------------
    # Writes (called by the runtime with the database's truth)
    # ---------------------------------------------------------------------------------
    def apply(self, changes: Iterable[tuple[int, int, bool]]) -> int:
        """Set each pair (a, b) to connected (True) or not (False). Idempotent: the runtime
        replays the database's state, not deltas. Returns how many rows changed."""
        changes = [(int(a), int(b), bool(present)) for a, b, present in changes if int(a) != int(b)]
        if not changes:
            return 0
        with self._lock:
            state = self._state
            overlay = dict(state.overlay)
            touched: list[np.ndarray] = []
            changed = 0
            size = state.size
            for a, b, present in changes:
                edge_changed = False
                for x, y in ((a, b), (b, a)):
                    row = overlay.get(x)
                    if row is None:
                        row = state.row(x)
                    i = int(np.searchsorted(row, y))
                    has = i < len(row) and row[i] == y
                    if present == has:
                        continue
                    touched.append(row)
                    row = np.insert(row, i, np.int32(y)) if present else np.delete(row, i)
                    overlay[x] = row.astype(np.int32, copy=False)
                    touched.append(row)
                    edge_changed = True
                    size = max(size, x + 1, y + 1)
                if edge_changed:
                    changed += 1
                    touched.append(np.array([a, b], dtype=np.int32))
            if not changed:
                return 0
            keys = np.array(sorted(overlay), dtype=np.int64)
            self._state = _State(state.indptr, state.indices, overlay, keys, size, state.generation + 1)
            # Whoever had a changed member within one hop has a different reach set now.
            self._invalidate(np.concatenate(touched))
            return changed

    def set_audience(self, member: int, audience: str | None) -> None:
        """Record a member's "connections" audience (None: the default)."""
        with self._lock:
            self._set_audience(int(member), audience)

    def _set_audience(self, member: int, audience: str | None) -> None:
        if audience is None:
            self._audiences.pop(member, None)
        else:
            self._audiences[member] = audience
        for relation in RELATIONS:
            if bool(self._admits(audience, relation)) != self._default_ok[relation]:
                self._exceptions[relation].add(member)
            else:
                self._exceptions[relation].discard(member)
        self._exception_arrays = {}

    def overlay_size(self) -> int:
        return len(self._state.overlay)

    def compact(self) -> None:
        """Fold the overlay into fresh CSR arrays. Safe to run beside readers and writers: rows
        changed while it runs are carried over into the new state."""
        snapshot = self._state
        if not snapshot.overlay:
            return
        indptr, indices = _merge(snapshot)
        with self._lock:
            current = self._state
            carried = {m: row for m, row in current.overlay.items() if snapshot.overlay.get(m) is not row}
            keys = np.array(sorted(carried), dtype=np.int64)
            size = max(current.size, len(indptr) - 1)
            self._state = _State(indptr, indices, carried, keys, size, current.generation + 1)

    # ---------------------------------------------------------------------------------
    # Internals
    # ---------------------------------------------------------------------------------
    def _allowed(self, members: np.ndarray, relation: str, excluded: np.ndarray) -> np.ndarray:
        allowed = self.admissible(members, relation)
        return allowed[~np.isin(allowed, excluded)] if len(excluded) else allowed

    def _any_neighbour_in(self, state: _State, members: np.ndarray, mask: np.ndarray) -> bool:
        """Whether any neighbour of `members` is set in `mask`, stopping at the first hit.

        Small neighbourhoods first, in slices of about PROBE_CHUNK ids: an in-network target
        usually hits in the first slice; only a far one pays for the whole expansion."""
        degrees = state.degree_estimate(members)
        order = np.argsort(degrees, kind="stable")
        members = np.asarray(members, dtype=np.int64)[order]
        reached = np.cumsum(degrees[order])
        start = 0
        while start < len(members):
            before = reached[start - 1] if start else 0
            end = max(int(np.searchsorted(reached, before + PROBE_CHUNK, side="right")), start + 1)
            if mask[state.gather(members[start:end])].any():
                return True
            start = end
        return False

    def _bridges(self, state: _State, firsts: np.ndarray, seconds: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Every edge (a, b) with a in `firsts` and b in `seconds`, from the cheaper side."""
        if not len(firsts) or not len(seconds):
            return EMPTY, EMPTY
        if state.volume(firsts) <= state.volume(seconds):
            far, near = state.gather(firsts, with_sources=True)
            keep = in_sorted(far, seconds)
            return near[keep], far[keep]
        far, near = state.gather(seconds, with_sources=True)
        keep = in_sorted(far, firsts)
        return far[keep], near[keep]

    def _cached_reach(self, viewer: int, state: _State) -> _Reach | None:
        entry = self._cache.get(viewer)
        if entry is None:
            return None
        try:
            self._cache.move_to_end(viewer)
        except KeyError:  # evicted by another thread meanwhile
            pass
        return entry[1]

    def _build_reach(self, viewer: int, state: _State, first_row: np.ndarray, *, sorted_ids: bool = False):
        """Build (and cache) the viewer's reach set; returns it, or with `sorted_ids` the sorted
        array of everyone within two hops it was made from."""
        gathered = state.gather(first_row)
        if (len(gathered) + len(first_row)) * 32 < state.size:
            # A small neighbourhood: sorting it beats clearing and scanning a network-sized mask.
            ids = np.sort(np.concatenate([gathered, first_row]))
            ids = ids[np.concatenate([[True], ids[1:] != ids[:-1]])] if len(ids) else ids
        else:
            mask = np.zeros(state.size, dtype=bool)
            mask[gathered] = True
            mask[first_row] = True
            ids = np.flatnonzero(mask)
        within_two = to_bitmap(ids)
        within_two.run_optimize()
        first = to_bitmap(first_row)
        stats = within_two.get_statistics()
        nbytes = (
            stats["n_bytes_array_containers"] + stats["n_bytes_run_containers"] + stats["n_bytes_bitset_containers"]
        )
        reach = _Reach(first=first, within_two=within_two, nbytes=int(nbytes) + 4 * len(first_row) + 64)
        with self._lock:
            # Only cache what was computed from the current state: a change may have landed.
            if self._state is state and reach.nbytes <= self.cache_limit:
                old = self._cache.pop(viewer, None)
                if old is not None:
                    self._cache_bytes -= old[1].nbytes
                self._cache[viewer] = (state.generation, reach)
                self._cache_bytes += reach.nbytes
                while self._cache_bytes > self.cache_limit and self._cache:
                    _viewer, (_gen, evicted) = self._cache.popitem(last=False)
                    self._cache_bytes -= evicted.nbytes
        return ids if sorted_ids else reach

    def _invalidate(self, affected: np.ndarray) -> None:
        # Called with the lock held.
        if not self._cache:
            return
        if len(self._cache) < len(affected):
            keys = np.fromiter(self._cache, dtype=np.int64, count=len(self._cache))
            stale = keys[np.isin(keys, affected)].tolist()
        else:
            stale = [m for m in np.unique(affected).tolist() if m in self._cache]
        for viewer in stale:
            _gen, reach = self._cache.pop(viewer)
            self._cache_bytes -= reach.nbytes

    def clear_cache(self) -> None:
        with self._lock:
            self._cache.clear()
            self._cache_bytes = 0


def pick_chains(pairs_a: np.ndarray, pairs_b: np.ndarray, k: int) -> list[tuple[int, int]]:
    order = np.lexsort((pairs_b, pairs_a))
    all_a, all_b = pairs_a[order], pairs_b[order]
    a, b = all_a, all_b
    chosen: list[tuple[int, int]] = []
    while len(chosen) < k and len(a):
        pick = (int(a[0]), int(b[0]))
        chosen.append(pick)
        keep = (a != pick[0]) & (b != pick[1])
        a, b = a[keep], b[keep]
    if len(chosen) < k:
        taken = set(chosen)
        for pair in zip(all_a.tolist(), all_b.tolist(), strict=True):
            if len(chosen) >= k:
                break
            if pair not in taken:
                chosen.append(pair)
                taken.add(pair)
    return chosen


def _merge(state: _State) -> tuple[np.ndarray, np.ndarray]:
    """New CSR arrays with the overlay rows in place of the old ones (one pass of copies)."""
    base, size = state.base_size, state.size
    degrees = np.zeros(size, dtype=np.int64)
    degrees[:base] = np.diff(state.indptr)
    for member, row in state.overlay.items():
        degrees[member] = len(row)
    indptr = np.zeros(size + 1, dtype=np.int64)
    np.cumsum(degrees, out=indptr[1:])
    indices = np.empty(int(indptr[-1]), dtype=np.int32)
    previous = 0
    for member in [*sorted(state.overlay), size]:
        low, high = previous, min(member, base)
        if high > low:
            # The untouched rows between two replaced ones move as one block.
            indices[indptr[low] : indptr[high]] = state.indices[state.indptr[low] : state.indptr[high]]
        if member < size:
            indices[indptr[member] : indptr[member + 1]] = state.overlay[member]
        previous = member + 1
    return indptr, indices
