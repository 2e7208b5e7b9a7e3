"""Who was where and when, in memory: companies (positions) and schools (education), for the
"worked at Acme at the same time" and "studied at X, class of 2015 ±2" suggestions.

Each table is sorted by organisation, so the people of one company are one slice; a member's
own rows are found through a permutation sorted by member. Changes replace a member's rows in
an overlay (like the graph's), read together with the base arrays.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

import numpy as np

OPEN_END = np.iinfo(np.int32).max  # a current position: ends "today" whenever asked


@dataclass(frozen=True)
class Overlap:
    """A shared company period (days since 1970) or a school class year, with the organisation."""

    member: int
    organization: int
    start: int
    end: int
    current: bool  # the candidate's row is a current position (it reveals "current_position")
    closeness: int  # longest overlap in days for colleagues; -|class year gap| for classmates


def _key(value: int) -> np.ndarray:
    """A search key in the tables' int32 dtype (ids beyond int32 match nothing but stay ordered)."""
    return np.array([min(max(int(value), -(2**31)), 2**31 - 1)], dtype=np.int32)


class Periods:
    """Rows (member, organisation, start, end, current) sorted by organisation."""

    def __init__(self, member, organization, start, end, current=None):
        member = np.asarray(member, dtype=np.int64)
        organization = np.asarray(organization, dtype=np.int64)
        order = np.lexsort((member, organization))
        self.member = member[order].astype(np.int32)
        self.organization = organization[order].astype(np.int32)
        self.start = np.asarray(start, dtype=np.int64)[order].astype(np.int32)
        self.end = np.asarray(end, dtype=np.int64)[order].astype(np.int32)
        current = np.zeros(len(order), dtype=bool) if current is None else np.asarray(current, dtype=bool)
        self.current = current[order]
        self.by_member = np.argsort(self.member, kind="stable").astype(np.int32)
        self.sorted_members = self.member[self.by_member]
        # Overlay: members whose rows were replaced since the build, and their new rows.
        self._lock = threading.Lock()
        self._replaced: frozenset[int] = frozenset()
        self._extra: dict[int, np.ndarray] = {}  # member -> rows (organisation, start, end, current)

    def __len__(self) -> int:
        return len(self.member)

    def nbytes(self) -> int:
        arrays = (self.member, self.organization, self.start, self.end, self.current, self.by_member)
        return sum(a.nbytes for a in arrays) + self.sorted_members.nbytes

    def rows_of(self, member: int) -> np.ndarray:
        """A member's rows as an (n, 4) int64 array: organisation, start, end, current."""
        if member in self._replaced:
            return self._extra.get(member, np.empty((0, 4), dtype=np.int64))
        # The key in the array's own dtype: a Python int makes numpy cast the whole array (ms).
        key = _key(member)
        low = int(np.searchsorted(self.sorted_members, key, "left")[0])
        high = int(np.searchsorted(self.sorted_members, key, "right")[0])
        rows = self.by_member[low:high]
        return np.stack([self.organization[rows], self.start[rows], self.end[rows], self.current[rows]], axis=1).astype(
            np.int64
        )

    def slice_of(self, organization: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """Everyone's rows at one organisation, sorted by member: members, starts, ends, current flags."""
        key = _key(organization)
        low = int(np.searchsorted(self.organization, key, "left")[0])
        high = int(np.searchsorted(self.organization, key, "right")[0])
        members, starts = self.member[low:high], self.start[low:high]
        ends, current = self.end[low:high], self.current[low:high]
        if self._replaced:
            keep = ~np.isin(members, np.fromiter(self._replaced, dtype=np.int32))
            members, starts, ends, current = members[keep], starts[keep], ends[keep], current[keep]
            extra = [(member, row) for member, rows in self._extra.items() for row in rows if row[0] == organization]
            if extra:
                members = np.concatenate([members, np.array([m for m, _r in extra], dtype=np.int32)])
                starts = np.concatenate([starts, np.array([r[1] for _m, r in extra], dtype=np.int32)])
                ends = np.concatenate([ends, np.array([r[2] for _m, r in extra], dtype=np.int32)])
                current = np.concatenate([current, np.array([bool(r[3]) for _m, r in extra])])
                # Keep the slice sorted by member, as the base arrays are (callers rely on it).
                order = np.argsort(members, kind="stable")
                members, starts, ends, current = members[order], starts[order], ends[order], current[order]
        return members, starts, ends, current

    def replace(self, member: int, rows: list[tuple[int, int, int, bool]]) -> None:
        """Set a member's rows (organisation, start, end, current) to exactly `rows`."""
        array = np.array([[o, s, e, int(c)] for o, s, e, c in rows], dtype=np.int64).reshape(-1, 4)
        with self._lock:
            extra = dict(self._extra)
            extra[int(member)] = array
            self._extra = extra
            self._replaced = self._replaced | {int(member)}


class AffiliationIndex:
    """Companies and schools of every member, for colleague and classmate candidates."""

    def __init__(self, companies: Periods | None = None, schools: Periods | None = None):
        empty = np.empty(0, dtype=np.int64)
        self.companies = companies or Periods(empty, empty, empty, empty)
        self.schools = schools or Periods(empty, empty, empty, empty)

    def nbytes(self) -> int:
        return self.companies.nbytes() + self.schools.nbytes()

    def colleagues(self, member: int, *, today: int, minimum_days: int = 0) -> Matches:
        """Members who were at one of `member`'s companies at the same time (longest overlap each)."""
        parts = []
        for organization, start, end, _current in self.companies.rows_of(member).tolist():
            end = today if end == OPEN_END else end
            members, starts, ends, current = self.companies.slice_of(organization)
            low = np.maximum(starts.astype(np.int64), start)
            high = np.minimum(np.where(ends == OPEN_END, today, ends).astype(np.int64), end)
            hit = (high - low >= minimum_days) & (members != member)
            parts.append((members[hit], organization, low[hit], high[hit], current[hit], (high - low)[hit]))
        return Matches.best(parts)

    def classmates(self, member: int, *, years_apart: int = 2) -> Matches:
        """Members of one of `member`'s schools whose class year is at most `years_apart` away."""
        parts = []
        for organization, _start, year, _current in self.schools.rows_of(member).tolist():
            members, _starts, years, _now = self.schools.slice_of(organization)
            gap = np.abs(years.astype(np.int64) - year)
            hit = (gap <= years_apart) & (members != member)
            their = years[hit].astype(np.int64)
            parts.append((members[hit], organization, their, their, np.zeros(len(their), dtype=bool), -gap[hit]))
        return Matches.best(parts)

    # -- bounded per-request queries (People You May Know) -------------------------------------
    # `colleagues` / `classmates` above materialise every match with its details: tens of
    # thousands of rows at a big company of a million-member network. Ranking needs less: a
    # membership test for the candidates the graph found, the newest few of the others, and the
    # details of the chosen 20 only.

    def colleague_sets(self, member: int, *, today: int, minimum_days: int = 0) -> list[np.ndarray]:
        """One sorted id array (repeats possible) per company row of `member`: who overlapped it.

        A vectorised filter of the company's slice (already sorted by member), no sort and no
        per-match record: about a millisecond for a 200,000-position company."""
        sets = []
        for organization, start, end, _current in self.companies.rows_of(member).tolist():
            end = today if end == OPEN_END else end
            members, starts, ends, _now = self.companies.slice_of(organization)
            high = np.where(ends == OPEN_END, np.int32(today), ends)
            np.minimum(high, np.int32(min(end, OPEN_END - 1)), out=high)
            hit = (high.astype(np.int64) - np.maximum(starts, np.int32(start)) >= minimum_days) & (members != member)
            sets.append(members[hit])
        return sets

    def classmate_sets(self, member: int, *, years_apart: int = 2) -> list[np.ndarray]:
        """One sorted id array (repeats possible) per school row of `member`: the near class years."""
        sets = []
        for organization, _start, year, _current in self.schools.rows_of(member).tolist():
            members, _starts, years, _now = self.schools.slice_of(organization)
            hit = (np.abs(years.astype(np.int64) - year) <= years_apart) & (members != member)
            sets.append(members[hit])
        return sets

    def colleague_overlap(self, member: int, other: int, *, today: int, minimum_days: int = 0) -> Overlap | None:
        """The details `colleagues()` gives for one candidate (longest overlap, then lowest
        organisation, then earliest), from the two members' own rows."""
        mine, theirs = self.companies.rows_of(member), self.companies.rows_of(other)
        best = None
        for organization, start, end, _current in mine.tolist():
            end = today if end == OPEN_END else end
            for their_org, their_start, their_end, current in theirs.tolist():
                if their_org != organization:
                    continue
                low = max(their_start, start)
                high = min(today if their_end == OPEN_END else their_end, end)
                if high - low < minimum_days:
                    continue
                key = (-(high - low), organization, low)
                if best is None or key < best[0]:
                    best = (key, Overlap(other, organization, low, high, bool(current), high - low))
        return best[1] if best else None

    def classmate_overlap(self, member: int, other: int, *, years_apart: int = 2) -> Overlap | None:
        """The details `classmates()` gives for one candidate (closest class year, lowest school)."""
        mine, theirs = self.schools.rows_of(member), self.schools.rows_of(other)
        best = None
        for organization, _start, year, _current in mine.tolist():
            for their_org, _their_start, their_year, _now in theirs.tolist():
                gap = abs(their_year - year)
                if their_org != organization or gap > years_apart:
                    continue
                key = (gap, organization, their_year)
                if best is None or key < best[0]:
                    best = (key, Overlap(other, organization, their_year, their_year, False, -gap))
        return best[1] if best else None


class Matches:
    """Candidates from one signal, one row each (the closest match), as parallel arrays."""

    def __init__(self, members, organizations, starts, ends, current, closeness):
        self.members = members
        self.organizations = organizations
        self.starts = starts
        self.ends = ends
        self.current = current
        self.closeness = closeness
        self._position = {m: i for i, m in enumerate(members.tolist())} if len(members) < 4096 else None

    @classmethod
    def best(cls, parts) -> Matches:
        if not parts:
            empty = np.empty(0, dtype=np.int64)
            return cls(empty, empty, empty, empty, empty.astype(bool), empty)
        members = np.concatenate([p[0] for p in parts]).astype(np.int64)
        organizations = np.concatenate([np.full(len(p[0]), p[1], dtype=np.int64) for p in parts])
        starts = np.concatenate([p[2] for p in parts]).astype(np.int64)
        ends = np.concatenate([p[3] for p in parts]).astype(np.int64)
        current = np.concatenate([p[4] for p in parts]).astype(bool)
        closeness = np.concatenate([p[5] for p in parts]).astype(np.int64)
        # Per member keep the closest match; ties go to the lowest organisation id, then earliest.
        order = np.lexsort((starts, organizations, -closeness, members))
        members = members[order]
        first = np.concatenate([[True], members[1:] != members[:-1]]) if len(members) else members.astype(bool)
        keep = order[first]
        return cls(members[first], organizations[keep], starts[keep], ends[keep], current[keep], closeness[keep])

    def __len__(self) -> int:
        return len(self.members)

    def get(self, member: int) -> Overlap | None:
        if self._position is not None:
            i = self._position.get(member)
        else:
            i = int(np.searchsorted(self.members, member))
            i = i if i < len(self.members) and self.members[i] == member else None
        if i is None:
            return None
        return Overlap(
            member,
            int(self.organizations[i]),
            int(self.starts[i]),
            int(self.ends[i]),
            bool(self.current[i]),
            int(self.closeness[i]),
        )
