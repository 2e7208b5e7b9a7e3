"""A synthetic professional network for bench/graph.py, generated with numpy in seconds.

The same kind of network as `carnet seed` (benchmarks.md): heavy-tailed degrees (log-normal
body, a few hubs at the connection cap), company and school clustering (most connections go
to people met at a company or a school), some isolated members. Deterministic for a seed.
Member ids are 1..N, as they are in a freshly seeded database.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

EPOCH_YEAR = 1970
DAYS_PER_YEAR = 365.25
OPEN_END = np.iinfo(np.int32).max  # a current position


@dataclass
class Network:
    members: int
    edges: np.ndarray  # (m, 2) int64, undirected, a < b, unique
    # positions: member, company id, start day, end day (days since 1970; OPEN_END when current)
    positions: np.ndarray
    # education: member, school id, class year (end year)
    education: np.ndarray
    hubs: np.ndarray  # member ids generated as hubs
    cap: int

    @property
    def directed_edges(self) -> int:
        return 2 * len(self.edges)


def default_average_degree(members: int) -> float:
    # benchmarks.md: ~97 at 100,000 members, ~49 at 1,000,000; small networks are denser.
    if members <= 20_000:
        return 40.0
    if members <= 200_000:
        return 97.0
    return 49.0


def _zipf_weights(count: int, exponent: float, rng: np.random.Generator) -> np.ndarray:
    weights = 1.0 / np.arange(1, count + 1) ** exponent
    rng.shuffle(weights)
    return weights / weights.sum()


def generate(members: int, *, seed: int = 42, average_degree: float | None = None, cap: int = 30_000) -> Network:
    rng = np.random.default_rng(seed)
    n = members
    average = average_degree or default_average_degree(n)
    ids = np.arange(1, n + 1, dtype=np.int64)
    # A cap the size of the network itself would make hubs know everyone: keep it below n/4.
    cap = int(min(cap, max(10, n // 4)))

    # Companies and schools with Zipf sizes; a career of 1-4 positions, 1-2 schools.
    companies = max(20, n // 40)
    schools = max(5, n // 400)
    company_p = _zipf_weights(companies, 1.05, rng)
    school_p = _zipf_weights(schools, 0.9, rng)
    career_start = rng.integers(1985, 2023, n)
    positions_per_member = rng.choice([1, 2, 3, 4], size=n, p=[0.35, 0.35, 0.2, 0.1])
    pos_member = np.repeat(ids, positions_per_member)
    rank = _ranks(positions_per_member)
    pos_company = _weighted_choice(np.arange(companies), len(pos_member), company_p, rng) + 1
    durations = rng.integers(1, 7, len(pos_member))
    starts_in_career = np.cumsum(durations) - durations
    first_of_member = np.repeat(np.cumsum(positions_per_member) - positions_per_member, positions_per_member)
    offsets = starts_in_career - starts_in_career[first_of_member]
    start_year = np.repeat(career_start, positions_per_member) + offsets
    end_year = start_year + durations
    last = rank == np.repeat(positions_per_member, positions_per_member) - 1
    current = last & (rng.random(len(pos_member)) < 0.7)
    start_day = ((start_year - EPOCH_YEAR) * DAYS_PER_YEAR + rng.integers(0, 330, len(pos_member))).astype(np.int64)
    end_day = ((end_year - EPOCH_YEAR) * DAYS_PER_YEAR + rng.integers(0, 330, len(pos_member))).astype(np.int64)
    end_day = np.where(current, OPEN_END, np.maximum(end_day, start_day + 30))
    positions = np.stack([pos_member, pos_company, start_day, end_day], axis=1)

    schools_per_member = rng.choice([1, 2], size=n, p=[0.7, 0.3])
    edu_member = np.repeat(ids, schools_per_member)
    edu_school = _weighted_choice(np.arange(schools), len(edu_member), school_p, rng) + 1
    edu_rank = _ranks(schools_per_member)
    later_schools = schools_per_member.repeat(schools_per_member) - 1 - edu_rank
    class_year = np.repeat(career_start, schools_per_member) - 2 * later_schools
    education = np.stack([edu_member, edu_school, class_year], axis=1)

    # Target degrees: log-normal body, hubs at the cap, isolated members.
    sigma = 1.0
    target = rng.lognormal(np.log(average) - sigma**2 / 2, sigma, n)
    isolated = rng.random(n) < 0.02
    target[isolated] = 0
    hub_count = max(3, n // 20_000)
    hubs = rng.choice(np.flatnonzero(~isolated), size=hub_count, replace=False)
    target[hubs] = cap * 1.3  # overshoot: duplicates and the cap trim bring them back to it
    target = np.minimum(target, cap * 1.3)

    # Each member starts about half its target; partners come 65% from a shared company or
    # school (clustering) and 35% by preferential attachment (heavy tail, hubs fill up).
    emitted = rng.poisson(target / 2.0)
    emitted[hubs] = int(cap * 1.25)  # hubs reach out to the cap by themselves
    src = np.repeat(ids, emitted)
    local = rng.random(len(src)) < 0.65
    is_hub = np.zeros(n + 1, dtype=bool)
    is_hub[ids[hubs]] = True
    local[is_hub[src]] = False
    dst = np.empty(len(src), dtype=np.int64)
    dst[~local] = _weighted_choice(ids, int((~local).sum()), target / target.sum(), rng)
    dst[local] = _colleague_of(src[local], positions, education, companies, schools, rng)

    pairs = np.stack([np.minimum(src, dst), np.maximum(src, dst)], axis=1)
    pairs = pairs[(pairs[:, 0] != pairs[:, 1])]
    alone = np.zeros(n + 1, dtype=bool)
    alone[ids[isolated]] = True
    pairs = pairs[~alone[pairs[:, 0]] & ~alone[pairs[:, 1]]]
    # Sort-based dedupe: numpy 2.4's hash-based np.unique is ~10x slower on 10^7 int64 keys.
    pairs = np.sort(pairs[:, 0] * (n + 1) + pairs[:, 1])
    pairs = pairs[np.concatenate([[True], pairs[1:] != pairs[:-1]])]
    pairs = np.stack([pairs // (n + 1), pairs % (n + 1)], axis=1)
    pairs = _enforce_cap(pairs, n, cap, rng)
    return Network(n, pairs, positions, education, ids[hubs], cap)


def _weighted_choice(values: np.ndarray, size: int, p: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """rng.choice(values, size, p=p), fast: numpy's binary search per sample costs microseconds
    at 10^7 samples here, but it walks sorted keys in one pass; shuffle afterwards."""
    cdf = np.cumsum(p)
    cdf /= cdf[-1]
    picks = np.searchsorted(cdf, np.sort(rng.random(size)), side="right")
    rng.shuffle(picks)
    return values[np.minimum(picks, len(values) - 1)]


def _ranks(counts: np.ndarray) -> np.ndarray:
    """0, 1, ... within each run of `counts`."""
    total = int(counts.sum())
    starts = np.repeat(np.cumsum(counts) - counts, counts)
    return np.arange(total) - starts


def _colleague_of(members, positions, education, companies, schools, rng) -> np.ndarray:
    """For each member (ids sorted ascending), a random member of one of their companies or schools."""
    # Affiliations as one table (member, group): companies 1..C, schools C+1..C+S. Offsets by
    # counting, not searchsorted: a binary search per sample is ~2 us here at 10^7 samples.
    n = int(max(positions[:, 0].max(), education[:, 0].max()))
    aff_member = np.concatenate([positions[:, 0], education[:, 0]])
    aff_group = np.concatenate([positions[:, 1], education[:, 1] + companies])
    by_member = np.argsort(aff_member, kind="stable")
    group_by_member = aff_group[by_member]
    member_ptr = np.zeros(n + 2, dtype=np.int64)
    np.cumsum(np.bincount(aff_member, minlength=n + 1), out=member_ptr[1:])
    first = member_ptr[members]
    count = member_ptr[members + 1] - first
    groups = group_by_member[first + (rng.random(len(members)) * count).astype(np.int64)]
    by_group = np.argsort(aff_group, kind="stable")
    member_by_group = aff_member[by_group]
    group_ptr = np.zeros(companies + schools + 2, dtype=np.int64)
    np.cumsum(np.bincount(aff_group, minlength=companies + schools + 1), out=group_ptr[1:])
    g_first = group_ptr[groups]
    g_count = group_ptr[groups + 1] - g_first
    return member_by_group[g_first + (rng.random(len(members)) * g_count).astype(np.int64)]


def _enforce_cap(pairs: np.ndarray, n: int, cap: int, rng: np.random.Generator) -> np.ndarray:
    """Drop random connections of the members above the cap until none is."""
    degree = np.bincount(pairs.ravel(), minlength=n + 1)
    over = degree > cap
    if not over.any():
        return pairs
    touching = np.flatnonzero(over[pairs[:, 0]] | over[pairs[:, 1]])
    ends = np.concatenate([pairs[touching, 0], pairs[touching, 1]])
    rows = np.concatenate([touching, touching])
    order = np.argsort(ends, kind="stable")
    ends, rows = ends[order], rows[order]
    drop = np.zeros(len(pairs), dtype=bool)
    for member in np.flatnonzero(over).tolist():
        mine = rows[np.searchsorted(ends, member, "left") : np.searchsorted(ends, member, "right")]
        mine = mine[~drop[mine]]
        excess = len(mine) - cap
        if excess > 0:
            drop[rng.choice(mine, size=excess, replace=False)] = True
    return pairs[~drop]
