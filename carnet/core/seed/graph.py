"""The synthetic connection graph: heavy-tailed degrees, clustered by company, school and city.

Each member gets a target degree: log-normal for most members (median about two thirds of the
mean, so "tens to a few hundred"), a Pareto tail of hubs with thousands, a few members at the
connection cap, and some isolated members. The targets are then spent as "stubs" in layers —
colleagues of the same company and era, classmates of the same school and class, neighbours
in the same city, and finally anyone — each layer a configuration model (stubs shuffled and
paired inside a group). Duplicates and self-pairs are dropped and their stubs go to the next
layer, so a member never exceeds their target, hence never the cap.

Everything is numpy on index arrays (member i = the i-th seeded member): 1,000,000 members and
25 M connections fit in a few GB and a couple of minutes.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

ISOLATED_SHARE = 0.02
HUB_SHARE = 0.001
LOGNORMAL_SIGMA = 0.9


def mean_degree(n: int) -> float:
    """Average number of connections for a network of n members.

    97 from a few thousand members to 100,000 (the M network of the benchmarks: median 65);
    smaller demos are sparser, and larger networks decline to ~49 at 1,000,000 as real ones do
    (most members of a big network are occasional users).
    """
    if n <= 100_000:
        return min(97.0, 8.0 + n / 40)
    return 97.0 * (n / 100_000) ** -0.2965


@dataclass
class Degrees:
    target: np.ndarray  # int64, per member
    hubs: np.ndarray  # member indices with a heavy-tail degree
    capped: np.ndarray  # member indices whose target is the connection cap (or n // 3 if smaller)
    cap: int


def target_degrees(rng: np.random.Generator, n: int, *, cap: int, mean: float | None = None) -> Degrees:
    mean = mean_degree(n) if mean is None else mean
    hub_floor = max(1, min(1000, n // 20, cap))
    hub_ceiling = max(hub_floor, min(cap, n // 4))
    median = mean / np.exp(LOGNORMAL_SIGMA**2 / 2)
    target = np.rint(rng.lognormal(np.log(median), LOGNORMAL_SIGMA, n)).astype(np.int64)
    target = np.clip(target, 1, max(1, min(1000, n - 1, cap)))

    order = rng.permutation(n)
    n_isolated = int(n * ISOLATED_SHARE) if n >= 50 else 0
    n_hubs = max(1, int(n * HUB_SHARE)) if n >= 100 else 0
    n_capped = max(1, n // 50_000) if n >= 2_000 else 0
    isolated = order[:n_isolated]
    hubs = order[n_isolated : n_isolated + n_hubs]
    capped = order[n_isolated + n_hubs : n_isolated + n_hubs + n_capped]

    target[isolated] = 0
    if n_hubs:
        tail = hub_floor * (1 + rng.pareto(1.2, n_hubs))
        target[hubs] = np.clip(np.rint(tail), hub_floor, hub_ceiling).astype(np.int64)
    target[capped] = min(cap, n // 3)
    return Degrees(target=target, hubs=np.sort(hubs), capped=np.sort(capped), cap=cap)


def _unique(x: np.ndarray) -> np.ndarray:
    """Sorted unique values. numpy's own `unique` hashes int64 slowly (4 s for 10 M values here);
    a stable sort merges already sorted runs in linear time."""
    x = np.sort(x, kind="stable")
    return x[np.r_[True, x[1:] != x[:-1]]] if len(x) else x


def _union(keys: np.ndarray, new: np.ndarray) -> np.ndarray:
    return _unique(np.concatenate([keys, _unique(new)]))


def _edge_keys(a: np.ndarray, b: np.ndarray, n: int) -> np.ndarray:
    lo, hi = np.minimum(a, b), np.maximum(a, b)
    keep = lo != hi
    return lo[keep].astype(np.int64) * n + hi[keep]


def _degrees_of(keys: np.ndarray, n: int) -> np.ndarray:
    return np.bincount(keys // n, minlength=n) + np.bincount(keys % n, minlength=n)


def _pair_within_groups(rng: np.random.Generator, group: np.ndarray, member: np.ndarray) -> tuple:
    """Shuffle stubs inside each group and pair neighbours: a configuration model per group."""
    if len(group) < 2:
        return np.empty(0, np.int64), np.empty(0, np.int64)
    order = np.lexsort((rng.random(len(group)), group))
    group, member = group[order], member[order]
    starts = np.flatnonzero(np.r_[True, group[1:] != group[:-1]])
    sizes = np.diff(np.r_[starts, len(group)])
    rank = np.arange(len(group)) - np.repeat(starts, sizes)
    size_of = np.repeat(sizes, sizes)
    first = np.flatnonzero((rank % 2 == 0) & (rank + 1 < size_of))
    return member[first], member[first + 1]


def _stochastic_round(rng: np.random.Generator, x: np.ndarray) -> np.ndarray:
    return np.floor(x + rng.random(len(x))).astype(np.int64)


def _spread(rng: np.random.Generator, member: np.ndarray, weight: np.ndarray, want: np.ndarray) -> np.ndarray:
    """Split each member's `want` stubs over their memberships in proportion to the weights,
    exactly (systematic sampling: the parts always add up to `want`)."""
    n = len(want)
    total = np.bincount(member, weights=weight, minlength=n)
    share = want[member] * weight / np.maximum(total[member], 1e-12)
    order = np.argsort(member, kind="stable")
    cum = np.cumsum(share[order])
    member_sorted = member[order]
    starts = np.flatnonzero(np.r_[True, member_sorted[1:] != member_sorted[:-1]])
    base = np.repeat(np.r_[0.0, cum][starts], np.diff(np.r_[starts, len(order)]))
    offset = rng.random(n)[member_sorted]
    end = np.floor(np.round(cum - base, 6) + offset)
    begin = np.floor(np.round(cum - base - share[order], 6) + offset)
    per = np.empty(len(member), np.int64)
    per[order] = (end - begin).astype(np.int64)
    return per


@dataclass
class Layer:
    """Groups members meet in: parallel arrays (member, group key, weight), and the share of a
    member's target spent here (normal members, hubs)."""

    name: str
    member: np.ndarray
    group: np.ndarray
    weight: np.ndarray
    share: float
    hub_share: float


def build_edges(
    rng: np.random.Generator,
    degrees: Degrees,
    layers: list[Layer],
    *,
    global_rounds: int = 3,
    forced: list[tuple[int, int]] = (),
) -> tuple[np.ndarray, np.ndarray]:
    """Undirected edges (u < v, unique, sorted) whose degrees follow `degrees.target`."""
    target = degrees.target
    n = len(target)
    is_hub = np.zeros(n, bool)
    is_hub[degrees.hubs] = True
    is_hub[degrees.capped] = True
    keys = _unique(np.array([min(a, b) * n + max(a, b) for a, b in forced if a != b], dtype=np.int64))

    for layer in layers:
        remaining = np.maximum(target - _degrees_of(keys, n), 0)
        share = np.where(is_hub, layer.hub_share, layer.share)
        want = np.minimum(_stochastic_round(rng, target * share), remaining)
        per = _spread(rng, layer.member, layer.weight, want)
        a, b = _pair_within_groups(rng, np.repeat(layer.group, per), np.repeat(layer.member, per))
        keys = _union(keys, _edge_keys(a, b, n))

    for _ in range(global_rounds):
        remaining = np.maximum(target - _degrees_of(keys, n), 0)
        if remaining.sum() < 2:
            break
        stubs = np.repeat(np.arange(n), remaining)
        a, b = _pair_within_groups(rng, np.zeros(len(stubs), np.int64), stubs)
        keys = _union(keys, _edge_keys(a, b, n))

    keys = _trim(rng, keys, target, n)
    keys = _top_up(rng, keys, degrees, n)
    return keys // n, keys % n


def _trim(rng: np.random.Generator, keys: np.ndarray, target: np.ndarray, n: int) -> np.ndarray:
    """Drop random edges of any member above their target. Stubs make this rare (forced
    edges); it is checked all the same, because the cap is a hard limit of the product."""
    over = np.flatnonzero(_degrees_of(keys, n) > target)
    for member in over.tolist():
        excess = int(_degrees_of(keys, n)[member] - target[member])
        if excess <= 0:
            continue
        incident = np.flatnonzero((keys // n == member) | (keys % n == member))
        keys = np.delete(keys, rng.choice(incident, size=excess, replace=False))
    return keys


def _top_up(rng: np.random.Generator, keys: np.ndarray, degrees: Degrees, n: int) -> np.ndarray:
    """Bring the capped members to their target exactly, with random members who have room."""
    target = degrees.target
    cap = degrees.cap
    for member in degrees.capped.tolist():
        degree = _degrees_of(keys, n)
        missing = int(target[member] - degree[member])
        if missing <= 0:
            continue
        neighbours = np.r_[keys[keys // n == member] % n, keys[keys % n == member] // n, member]
        # Members with room first; then anyone under the cap (one above their own target).
        with_room = rng.permutation(np.setdiff1d(np.flatnonzero((degree < target) & (target > 0)), neighbours))
        others = rng.permutation(
            np.setdiff1d(np.flatnonzero((degree >= target) & (target > 0) & (degree < cap)), neighbours)
        )
        chosen = np.r_[with_room, others][:missing]
        keys = _union(keys, _edge_keys(np.full(len(chosen), member), chosen, n))
    return keys
