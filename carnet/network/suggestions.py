"""People You May Know, former colleagues and classmates.

Suggestions come from three signals, each of which becomes a reason shown on the card:
- mutual connections ("14 mutual connections"),
- a company both members were at during overlapping periods ("worked at Acme at the same
  time, 2019–2021": the years of the overlap),
- a school both attended with class years (end years) at most CLASS_YEARS_APART apart
  ("studied at X, class of 2015 ±2": the candidate's class year).

Ranking: one point per mutual connection, COLLEAGUE_WEIGHT for a shared company period,
CLASSMATE_WEIGHT for a shared school; ties go to the most recent member. A colleague with
no mutual connection thus ranks like someone with 8 mutual connections: a shared employer
is the strongest sign of knowing someone in a professional network.

Never suggested: oneself, connections, members blocked either way, members with a pending
invitation either way, dismissed members, inactive accounts. A reason is only given (and a
candidate only kept for it) when the viewer may see what it reveals: the candidate's
position (policy fields "current_position"/"positions") or education ("education"). Mutual
connections are the viewer's own connections, so they are always shown, as LinkedIn does.

Candidates come from the graph engine when it offers them (`graph.suggestions`), else from
SQL here; the two give the same answers (see tests/network/test_suggestions.py).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from carnet.core import visibility
from carnet.core.visibility import Relation
from carnet.network.models import Connection, SuggestionDismissal
from carnet.network.relations_support import RelationError, blocked_ids, connection_ids, pending_invitation_ids

COLLEAGUE_WEIGHT = 8
CLASSMATE_WEIGHT = 5
CLASS_YEARS_APART = 2
# Candidates ranked per request: enough for 12 pages of 25; a member works through a few.
MAX_CANDIDATES = 300
# Rows read per signal before ranking (bounds the work for members of huge companies).
MAX_ROWS_PER_SIGNAL = 2000


@dataclass
class Shared:
    """A shared company period or school, with what the reason says."""

    name: str
    start: int  # years: the overlap for colleagues, the candidate's class year for classmates
    end: int
    field: str  # the candidate's policy field it reveals: current_position, positions, education


@dataclass
class Candidate:
    user_id: int
    mutual: int = 0
    colleague: Shared | None = None
    classmate: Shared | None = None
    joined: datetime.datetime | None = None
    view: object = None  # ProfileView, for the page being shown
    state: str = "connect"  # connect, pending, connected

    @property
    def score(self) -> int:
        return self.mutual + (COLLEAGUE_WEIGHT if self.colleague else 0) + (CLASSMATE_WEIGHT if self.classmate else 0)

    @property
    def reasons(self) -> list[str]:
        reasons = []
        if self.colleague:
            c = self.colleague
            years = str(c.start) if c.start == c.end else f"{c.start}–{c.end}"
            reasons.append(_("worked at %(company)s at the same time, %(years)s") % {"company": c.name, "years": years})
        if self.classmate:
            reasons.append(
                _("studied at %(school)s, class of %(year)s ±%(apart)s")
                % {"school": self.classmate.name, "year": self.classmate.end, "apart": CLASS_YEARS_APART}
            )
        if self.mutual:
            reasons.append(
                ngettext("%(count)s mutual connection", "%(count)s mutual connections", self.mutual)
                % {"count": self.mutual}
            )
        return reasons


# ---------------------------------------------------------------------------------------
# Signals (SQL). Each returns {candidate id: Shared or count}.
# ---------------------------------------------------------------------------------------
def _mutual_counts(member_id: int, *, limit: int = MAX_ROWS_PER_SIGNAL) -> dict[int, int]:
    mine = Connection.objects.filter(member_id=member_id).values("other_id")
    rows = (
        Connection.objects.filter(member_id__in=mine)
        .exclude(other_id=member_id)
        .exclude(other_id__in=mine)
        .values("other_id")
        .annotate(n=Count("id"))
        .order_by("-n", "other_id")[:limit]
    )
    return {row["other_id"]: row["n"] for row in rows}


def _periods(member_id: int):
    from carnet.profiles.models import Position

    return list(
        Position.objects.filter(profile_id=member_id, organization__isnull=False).select_related("organization")
    )


def _colleague_rows(member_id: int, positions, *, limit: int = MAX_ROWS_PER_SIGNAL):
    """Positions of other members at one of `positions`' companies, overlapping in time."""
    from carnet.profiles.models import Position

    today = timezone.localdate()
    overlap = Q()
    for position in positions:
        end = position.end_date if position.end_date and not position.is_current else today
        overlap |= Q(organization_id=position.organization_id, start_date__lte=end) & (
            Q(end_date__isnull=True) | Q(is_current=True) | Q(end_date__gte=position.start_date)
        )
    if not positions:
        return []
    return list(
        Position.objects.filter(overlap)
        .exclude(profile_id=member_id)
        .values("profile_id", "organization_id", "start_date", "end_date", "is_current")
        .order_by("-start_date", "id")[:limit]
    )


def colleague_matches(member_id: int, *, limit: int = MAX_ROWS_PER_SIGNAL) -> dict[int, Shared]:
    """Members who were at one of the member's companies at the same time, with the longest overlap."""
    positions = _periods(member_id)
    today = timezone.localdate()
    best: dict[int, tuple[int, Shared]] = {}
    for row in _colleague_rows(member_id, positions, limit=limit):
        their_end = today if row["is_current"] or row["end_date"] is None else row["end_date"]
        for mine in positions:
            if mine.organization_id != row["organization_id"]:
                continue
            my_end = today if mine.is_current or mine.end_date is None else mine.end_date
            start, end = max(mine.start_date, row["start_date"]), min(my_end, their_end)
            if start > end:
                continue
            length = (end - start).days
            current = row["is_current"] or row["end_date"] is None
            shared = Shared(
                name=mine.organization.name,
                start=start.year,
                end=end.year,
                field="current_position" if current else "positions",
            )
            if row["profile_id"] not in best or length > best[row["profile_id"]][0]:
                best[row["profile_id"]] = (length, shared)
    return {member: shared for member, (_length, shared) in best.items()}


def classmate_matches(member_id: int, *, limit: int = MAX_ROWS_PER_SIGNAL) -> dict[int, Shared]:
    """Members who attended one of the member's schools with a class year at most 2 years apart."""
    from carnet.profiles.models import Education

    mine = list(
        Education.objects.filter(
            profile_id=member_id, organization__isnull=False, end_year__isnull=False
        ).select_related("organization")
    )
    if not mine:
        return {}
    near = Q()
    for item in mine:
        near |= Q(
            organization_id=item.organization_id,
            end_year__gte=item.end_year - CLASS_YEARS_APART,
            end_year__lte=item.end_year + CLASS_YEARS_APART,
        )
    rows = (
        Education.objects.filter(near)
        .exclude(profile_id=member_id)
        .values("profile_id", "organization_id", "end_year")
        .order_by("-end_year", "id")[:limit]
    )
    best: dict[int, tuple[int, Shared]] = {}
    for row in rows:
        for item in mine:
            gap = abs(item.end_year - row["end_year"])
            if item.organization_id != row["organization_id"] or gap > CLASS_YEARS_APART:
                continue
            if row["profile_id"] not in best or gap < best[row["profile_id"]][0]:
                shared = Shared(item.organization.name, row["end_year"], row["end_year"], "education")
                best[row["profile_id"]] = (gap, shared)
    return {member: shared for member, (_gap, shared) in best.items()}


# ---------------------------------------------------------------------------------------
# Ranking and the policy
# ---------------------------------------------------------------------------------------
def _excluded(member_id: int, ids: set[int], *, keep_connections: bool = False) -> set[int]:
    """Which of `ids` may never be shown (blocked) or suggested (connected, pending, dismissed)."""
    excluded = {member_id} | blocked_ids(member_id=member_id, among=ids)
    if not keep_connections:
        excluded |= connection_ids(member_id=member_id) & ids
        excluded |= pending_invitation_ids(member_id=member_id, among=ids)
        excluded |= set(
            SuggestionDismissal.objects.filter(member_id=member_id, dismissed_id__in=ids).values_list(
                "dismissed_id", flat=True
            )
        )
    return excluded


def _apply_policy(candidates: dict[int, Candidate], *, viewer) -> None:
    """Drop reasons the viewer may not see, and candidates left without a reason or a name."""
    from carnet.profiles.models import Profile

    ids = list(candidates)
    if not ids:
        return
    relations = visibility.relations(viewer, ids)
    profiles = dict(Profile.objects.filter(pk__in=ids, user__is_active=True).values_list("pk", "visibility"))
    joined = dict(get_user_model().objects.filter(pk__in=ids).values_list("pk", "date_joined"))
    for member_id in ids:
        candidate = candidates[member_id]
        relation = relations[member_id]
        if member_id not in profiles or relation == Relation.BLOCKED:
            del candidates[member_id]
            continue
        fields = visibility.visible_fields(profiles[member_id], relation)
        if candidate.colleague and candidate.colleague.field not in fields:
            candidate.colleague = None
        if candidate.classmate and candidate.classmate.field not in fields:
            candidate.classmate = None
        if "name" not in fields or not candidate.score:
            del candidates[member_id]
            continue
        candidate.joined = joined.get(member_id)


def _ranked(candidates: dict[int, Candidate]) -> list[Candidate]:
    epoch = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)
    return sorted(candidates.values(), key=lambda c: (-c.score, -(c.joined or epoch).timestamp(), c.user_id))


def _graph_candidates(member_id: int, limit: int) -> dict[int, Candidate] | None:
    """Candidates from the in-memory graph engine, or None when it is not available."""
    try:
        from carnet.network.graph import suggestions as graph_suggestions  # type: ignore[attr-defined]
    except ImportError:
        return None
    try:
        found = graph_suggestions(member_id, limit=limit)
    except Exception:  # noqa: BLE001 - the engine being down must never break the page: SQL answers
        return None
    if found is None:
        return None
    result: dict[int, Candidate] = {}
    for item in found:
        member = getattr(item, "member_id", None) or getattr(item, "user_id", None)
        if member is not None:
            result[member] = Candidate(member, mutual=int(getattr(item, "mutual", 0) or 0))
    return result


def suggestion_list(*, member, limit: int = MAX_CANDIDATES) -> list[Candidate]:
    """Ranked People You May Know for `member`, each with the reasons it may show them."""
    mutual = _graph_candidates(member.pk, MAX_ROWS_PER_SIGNAL)
    if mutual is None:
        mutual = {mid: Candidate(mid, mutual=n) for mid, n in _mutual_counts(member.pk).items()}
    candidates = mutual
    for member_id, shared in colleague_matches(member.pk).items():
        candidates.setdefault(member_id, Candidate(member_id)).colleague = shared
    for member_id, shared in classmate_matches(member.pk).items():
        candidates.setdefault(member_id, Candidate(member_id)).classmate = shared
    for member_id in _excluded(member.pk, set(candidates)):
        candidates.pop(member_id, None)
    _apply_policy(candidates, viewer=member)
    return _ranked(candidates)[:limit]


def _people_list(member, matches: dict[int, Shared], attribute: str) -> list[Candidate]:
    candidates = {}
    for member_id, shared in matches.items():
        candidate = Candidate(member_id)
        setattr(candidate, attribute, shared)
        candidates[member_id] = candidate
    for member_id in _excluded(member.pk, set(candidates), keep_connections=True):
        candidates.pop(member_id, None)
    _apply_policy(candidates, viewer=member)
    ranked = sorted(
        candidates.values(), key=lambda c: (-getattr(c, attribute).end, -getattr(c, attribute).start, c.user_id)
    )
    ids = {c.user_id for c in ranked}
    connected = connection_ids(member_id=member.pk) & ids
    pending = pending_invitation_ids(member_id=member.pk, among=ids)
    for candidate in ranked:
        candidate.state = (
            "connected" if candidate.user_id in connected else "pending" if candidate.user_id in pending else "connect"
        )
    return ranked[:MAX_CANDIDATES]


def colleague_list(*, member) -> list[Candidate]:
    """Former (and current) colleagues: members at one of my companies at the same time as me."""
    return _people_list(member, colleague_matches(member.pk), "colleague")


def classmate_list(*, member) -> list[Candidate]:
    """Classmates: members of one of my schools whose class year is within ±2 of mine."""
    return _people_list(member, classmate_matches(member.pk), "classmate")


def candidates_project(candidates: list[Candidate], *, viewer) -> list[Candidate]:
    """Attach each candidate's card (through the policy) for one page, in one batch."""
    from carnet.profiles.models import Profile
    from carnet.profiles.selectors import profile_cards

    ids = [c.user_id for c in candidates]
    profiles = {p.pk: p for p in Profile.objects.select_related("user").filter(pk__in=ids)}
    views = {v.pk: v for v in profile_cards([profiles[i] for i in ids if i in profiles], viewer=viewer)}
    for candidate in candidates:
        candidate.view = views.get(candidate.user_id)
    return [c for c in candidates if c.view is not None and c.view.relation != Relation.BLOCKED]


# ---------------------------------------------------------------------------------------
# Writes
# ---------------------------------------------------------------------------------------
def suggestion_dismiss(*, member, dismissed) -> SuggestionDismissal:
    """Never suggest `dismissed` to `member` again."""
    if member.pk == dismissed.pk:
        raise RelationError(_("You cannot dismiss yourself."))
    try:
        with transaction.atomic():
            dismissal, _created = SuggestionDismissal.objects.get_or_create(member=member, dismissed=dismissed)
    except IntegrityError:
        dismissal = SuggestionDismissal.objects.get(member=member, dismissed=dismissed)
    return dismissal
