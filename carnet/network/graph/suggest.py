"""People You May Know candidates, ranked and explained, from the graph and affiliation indexes.

Score = mutual connections + `colleague_weight` for a shared company period + `classmate_weight`
for a school with class years at most `years_apart` apart (the weights are the PYMK page's:
carnet.network.suggestions). Ties go to the newest member (the highest id). Never suggested:
the viewer, their connections, and `exclude` (blocked either way, pending invitations,
dismissed: the caller reads those tables). Reasons the viewer may not see are the page's
business: it applies the visibility policy to the candidates' fields.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from carnet.network.graph.affiliations import AffiliationIndex, Overlap
from carnet.network.graph.index import GraphIndex


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
) -> list[Suggestion]:
    """The ranked candidates offset..offset+limit for `viewer`, with what explains each."""
    fof_ids, fof_counts = index.friend_of_friend_counts(viewer)
    if affiliations is not None:
        colleagues = affiliations.colleagues(viewer, today=today)
        classmates = affiliations.classmates(viewer, years_apart=years_apart)
    else:
        colleagues = classmates = None
    ids = [fof_ids]
    scores = [fof_counts]
    if colleagues is not None and len(colleagues):
        ids.append(colleagues.members)
        scores.append(np.full(len(colleagues), colleague_weight, dtype=np.int64))
    if classmates is not None and len(classmates):
        ids.append(classmates.members)
        scores.append(np.full(len(classmates), classmate_weight, dtype=np.int64))
    barred = np.concatenate(
        [index.neighbors(viewer).astype(np.int64), np.array([viewer], dtype=np.int64), np.fromiter(exclude, np.int64)]
    )
    if sum(len(a) for a in ids) * 16 > index.members:
        # A hub's neighbourhood covers much of the network: sum the signals in a dense array.
        size = max(index.members, *(int(a.max()) + 1 for a in ids if len(a)), int(barred.max()) + 1)
        dense = np.zeros(size, dtype=np.int64)
        for member_ids, weights in zip(ids, scores, strict=True):
            dense[member_ids] += weights
        dense[barred] = 0
        members = np.flatnonzero(dense)
        totals = dense[members]
    else:
        # Signals are unique per member within each signal: sort once and sum the runs.
        all_ids = np.concatenate(ids).astype(np.int64)
        all_scores = np.concatenate(scores).astype(np.int64)
        order = np.argsort(all_ids, kind="stable")
        all_ids, all_scores = all_ids[order], all_scores[order]
        starts = np.flatnonzero(np.concatenate([[True], all_ids[1:] != all_ids[:-1]])) if len(all_ids) else all_ids
        members = all_ids[starts]
        totals = np.add.reduceat(all_scores, starts) if len(starts) else all_scores
        keep = ~np.isin(members, barred)
        members, totals = members[keep], totals[keep]
    wanted = offset + limit
    if not len(members) or wanted <= 0:
        return []
    # One int64 key: score first, then the newest member; top `wanted` without a full sort.
    keys = totals * (1 << 32) + members
    top = np.argpartition(-keys, wanted - 1)[:wanted] if len(keys) > wanted else np.arange(len(keys))
    top = top[np.argsort(-keys[top], kind="stable")][offset:wanted]
    # Mutual counts of the chosen few by binary search (fof_ids is sorted): a dict of every
    # friend of a friend cost more than the ranking itself.
    chosen = members[top]
    if len(fof_ids):
        at = np.minimum(np.searchsorted(fof_ids, chosen), len(fof_ids) - 1)
        mutuals = np.where(fof_ids[at] == chosen, fof_counts[at], 0)
    else:
        mutuals = np.zeros(len(chosen), dtype=np.int64)
    result = []
    for i, mutual in zip(top.tolist(), mutuals.tolist(), strict=True):
        member = int(members[i])
        result.append(
            Suggestion(
                member_id=member,
                score=int(totals[i]),
                mutual=int(mutual),
                colleague=colleagues.get(member) if colleagues is not None else None,
                classmate=classmates.get(member) if classmates is not None else None,
            )
        )
    return result
