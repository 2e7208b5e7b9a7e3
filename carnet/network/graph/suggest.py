"""People You May Know candidates, ranked and explained, from the graph and affiliation indexes.

Score = mutual connections + `colleague_weight` for a shared company period + `classmate_weight`
for a school with class years at most `years_apart` apart (the weights are the PYMK page's:
carnet.network.suggestions). Ties go to the newest member (the highest id). Never suggested:
the viewer, their connections, and `exclude` (blocked either way, pending invitations,
dismissed: the caller reads those tables). Reasons the viewer may not see are the page's
business: it applies the visibility policy to the candidates' fields.

Bounded work per request (docs/architecture.md, "Graph engine"):
- Friend-of-friend counts gather every connection's row while that is at most `exact_up_to`
  ids (every member but the few with about a thousand connections or more): the ranking is
  then exact. Past it a deterministic sample of the connections gives estimates, the
  `pool` best candidates by estimated score are counted exactly (one mask lookup per
  connection of each), and the final ranking uses exact counts only: every suggestion's score
  and "N mutual connections" are exact, but a candidate the sample missed can be missing
  (`SuggestionList.exact` is then False).
- Colleagues and classmates are never materialised with their details: the candidates the
  graph found are tested for membership (binary searches in the company's slice, already
  sorted by member); the others all score the same, so only the newest few are taken; the
  overlap shown is computed for the chosen page alone.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from carnet.network.graph.affiliations import AffiliationIndex, Overlap
from carnet.network.graph.index import GraphIndex, in_sorted

# Friend-of-friend counts are exact while the viewer's connections' rows add up to at most
# EXACT_UP_TO ids (at 1,000,000 members: every member but ~0.08 %, the hubs and members with
# about a thousand connections or more); past it a sample of SAMPLE ids chooses the POOL
# candidates that are then counted exactly. Measured (bench/graph.py, against the exact
# ranking): the sampled top 20 held 97-100 % of the exact top 20 at 100,000 and 1,000,000
# members; a 60,000-id sample with a pool of 200 held only 57 % at 100,000 (denser network).
EXACT_UP_TO = 600_000
SAMPLE = 150_000
POOL = 1000


@dataclass(frozen=True)
class Suggestion:
    member_id: int
    score: int
    mutual: int
    colleague: Overlap | None = None  # start/end: the overlap, in days since 1970
    classmate: Overlap | None = None  # start/end: the candidate's class year

    @property
    def user_id(self) -> int:
        return self.member_id


class SuggestionList(list):
    """The ranked suggestions; `exact` says whether the ranking considered every candidate."""

    exact: bool = True


def _unique(values: np.ndarray) -> np.ndarray:
    # Sort-based: numpy 2.4's hash-based np.unique costs several times more on these arrays.
    values = np.sort(values)
    return values[np.concatenate([[True], values[1:] != values[:-1]])] if len(values) else values


def _member_of(ids: np.ndarray, sets: list[np.ndarray]) -> np.ndarray:
    found = np.zeros(len(ids), dtype=bool)
    for members in sets:
        found |= in_sorted(ids, members)
    return found


def _outside(ids: np.ndarray, sorted_sets: list[np.ndarray]) -> np.ndarray:
    keep = np.ones(len(ids), dtype=bool)
    for sorted_ids in sorted_sets:
        if len(sorted_ids):
            keep &= ~in_sorted(ids, sorted_ids)
    return keep


def _newest(sets: list[np.ndarray], count: int, skip: list[np.ndarray]) -> np.ndarray:
    """The `count` highest ids of the union of sorted `sets`, leaving out those in the sorted
    arrays of `skip`: read from the top of each set, in growing slices, until enough are found."""
    found = []
    for members in sets:
        end, step, mine = len(members), max(64, 2 * count), []
        while end > 0 and sum(len(part) for part in mine) < count:
            part = members[max(0, end - step) : end]
            mine.append(_unique(part[_outside(part, skip)]))
            end -= step
            step *= 2
        found.extend(mine)
    ids = _unique(np.concatenate(found).astype(np.int64)) if found else np.empty(0, dtype=np.int64)
    return ids[-count:] if count else ids[:0]


def _top(ids: np.ndarray, scores: np.ndarray, count: int) -> np.ndarray:
    """Positions of the `count` best (score, then highest id), best first."""
    keys = scores.astype(np.int64) * (1 << 32) + ids
    top = np.argpartition(-keys, count - 1)[:count] if len(keys) > count else np.arange(len(keys))
    return top[np.argsort(-keys[top], kind="stable")]


def rank_suggestions(
    index: GraphIndex,
    affiliations: AffiliationIndex | None,
    viewer: int,
    *,
    limit: int = 20,
    offset: int = 0,
    exclude=(),
    today: int,
    colleague_weight: int = 8,
    classmate_weight: int = 5,
    years_apart: int = 2,
    exact_up_to: int | None = EXACT_UP_TO,
    sample: int = SAMPLE,
    pool: int = POOL,
) -> SuggestionList:
    """The ranked candidates offset..offset+limit for `viewer`, with what explains each."""
    result = SuggestionList()
    wanted = offset + limit
    if wanted <= 0:
        return result
    fof_ids, fof_counts, exact = index.candidate_counts(viewer, exact_up_to=exact_up_to, sample=sample)
    result.exact = exact
    excluded = _unique(np.fromiter((int(m) for m in exclude), dtype=np.int64))
    # Never suggested: sorted id arrays (the connections' row is sorted already).
    barred = [index.neighbors(viewer), excluded, np.array([viewer], dtype=np.int64)]
    if len(excluded) and len(fof_ids):
        keep = ~in_sorted(fof_ids, excluded)
        fof_ids, fof_counts = fof_ids[keep], fof_counts[keep]
    if affiliations is not None:
        colleague_sets = affiliations.colleague_sets(viewer, today=today)
        classmate_sets = affiliations.classmate_sets(viewer, years_apart=years_apart)
    else:
        colleague_sets = classmate_sets = []
    take = wanted if exact else max(pool, wanted)

    # 1. Candidates the graph found, with whichever affiliation they share. At least `take` of
    # them score `floor` or more (a score is at least the count), so those who could not reach
    # it even with both bonuses are left out before any membership test.
    bonus = (colleague_weight if colleague_sets else 0) + (classmate_weight if classmate_sets else 0)
    ids, counts = fof_ids, fof_counts
    if len(ids) > take:
        at_least = np.cumsum(np.bincount(counts)[::-1])
        floor = len(at_least) - 1 - int(np.searchsorted(at_least, take))
        keep = counts + bonus >= floor
        ids, counts = ids[keep], counts[keep]
    parts = [(ids, counts, _member_of(ids, colleague_sets), _member_of(ids, classmate_sets))]
    # 2. Classmates the graph did not find (a few thousand at most): all of them.
    skip = [fof_ids, *barred]
    if classmate_sets:
        classmates = _unique(np.concatenate(classmate_sets).astype(np.int64))
        classmates = classmates[_outside(classmates, skip)]
        none = np.zeros(len(classmates), dtype=np.int64)
        parts.append((classmates, none, _member_of(classmates, colleague_sets), np.ones(len(classmates), dtype=bool)))
        skip.append(classmates)
    # 3. Colleagues with neither: they all score the same, so only the newest can be ranked.
    if colleague_sets:
        colleagues = _newest(colleague_sets, take, skip)
        flags = np.ones(len(colleagues), dtype=bool)
        parts.append((colleagues, np.zeros(len(colleagues), dtype=np.int64), flags, ~flags))
    members = np.concatenate([p[0] for p in parts]).astype(np.int64)
    if not len(members):
        return result
    counts = np.concatenate([p[1] for p in parts])
    colleague = np.concatenate([p[2] for p in parts])
    classmate = np.concatenate([p[3] for p in parts])
    bonuses = colleague_weight * colleague + classmate_weight * classmate
    chosen = _top(members, counts + bonuses, take)
    members, counts, bonuses = members[chosen], counts[chosen], bonuses[chosen]
    colleague, classmate = colleague[chosen], classmate[chosen]
    if not exact:
        # Sampled estimates chose the pool; the ranking and what is shown use exact counts.
        counts = index.mutual_count_array(viewer, members)
        best = _top(members, counts + bonuses, wanted)
        members, counts, bonuses = members[best], counts[best], bonuses[best]
        colleague, classmate = colleague[best], classmate[best]
    for i in range(offset, len(members)):
        member = int(members[i])
        result.append(
            Suggestion(
                member,
                int(counts[i] + bonuses[i]),
                int(counts[i]),
                affiliations.colleague_overlap(viewer, member, today=today) if colleague[i] else None,
                affiliations.classmate_overlap(viewer, member, years_apart=years_apart) if classmate[i] else None,
            )
        )
    return result
