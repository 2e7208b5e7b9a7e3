"""Reads of the connection graph."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from django.db import models
from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from carnet.core import visibility
from carnet.core.visibility import Relation
from carnet.network.models import (
    Block,
    Connection,
    Follow,
    Invitation,
    InvitationStatus,
    Label,
    PlanGrant,
    RecommendationStatus,
)
from carnet.organizations.models import Organization
from carnet.profiles.models import Education, Position, Profile, ProfileSkill, normalize_skill


def connection_ids(*, member_id: int) -> set[int]:
    """The ids of a member's 1st-degree connections (read once per page inside
    visibility.one_lookup_per_request(), like the blocks)."""
    return set(
        visibility.remember(
            ("connection_ids", member_id),
            lambda: frozenset(Connection.objects.filter(member_id=member_id).values_list("other_id", flat=True)),
        )
    )


def degrees_sql(viewer_id: int, member_ids: Iterable[int]) -> dict[int, int]:
    """Degree (1, 2 or 3; absent when further or unconnected) of each member from the viewer.

    Computed from SQL for the given rows only: two indexed queries whatever the page size.
    This is the fallback when the in-memory graph engine is unavailable: slower, never wrong.
    """
    targets = set(member_ids) - {viewer_id}
    if not targets:
        return {}
    first = connection_ids(member_id=viewer_id)
    result = {member_id: 1 for member_id in targets & first}
    rest = targets - first
    if rest and first:
        # The targets that share a connection with the viewer are 2nd degree.
        second = set(
            Connection.objects.filter(member_id__in=rest, other_id__in=first).values_list("member_id", flat=True)
        )
        result.update(dict.fromkeys(second, 2))
        rest -= second
        if rest:
            third = set(
                Connection.objects.filter(member_id__in=rest, other__connections_out__other_id__in=first)
                .values_list("member_id", flat=True)
                .distinct()
            )
            result.update(dict.fromkeys(third, 3))
    return result


def degree_filter_q(*, viewer_id: int, degrees: Iterable[int], field: str = "pk") -> Q:
    """A queryset filter keeping the members at the given degrees from the viewer (1, 2, and 3
    meaning "3rd degree and beyond, or out of network"), for lists filtered by degree (search).

    Subqueries on the connection table, so the database answers it with the rest of the query;
    the viewer is never kept. "Within two hops" is asked of each candidate (EXISTS a connection
    of theirs among mine): `NOT IN (the 2-hop set)` made PostgreSQL re-scan a hub's 2-hop set
    (millions of rows, past work_mem) for every row, and the set passed as an array parameter
    from the graph engine measured 3-10x slower than these subqueries at 100,000 members.
    """
    first = Connection.objects.filter(member_id=viewer_id).values("other_id")
    in_first = Q(**{f"{field}__in": first})
    in_two = Q(models.Exists(Connection.objects.filter(member_id=models.OuterRef(field), other_id__in=first)))
    wanted = set(degrees)
    condition = Q(**{f"{field}__in": []})
    if 1 in wanted:
        condition |= in_first
    if 2 in wanted:
        condition |= in_two & ~in_first
    if 3 in wanted:
        condition |= ~in_first & ~in_two
    return condition & ~Q(**{field: viewer_id})


def connection_list(*, member_id: int) -> QuerySet:
    """A member's connections with their profiles, newest first, ready for a list page."""
    from django.contrib.auth import get_user_model

    return (
        get_user_model()
        .objects.filter(connections_in__member_id=member_id)
        .select_related("profile")
        .order_by("-connections_in__created", "id")
    )


# ---------------------------------------------------------------------------------------
# Blocks, invitations, follows, labels and "My network" (member-facing network reads).
# ---------------------------------------------------------------------------------------


def blocked_ids(*, member_id: int, among: Iterable[int] | None = None) -> set[int]:
    """Ids of the members `member_id` blocked or was blocked by (optionally only among `among`).

    Inside visibility.one_lookup_per_request() (a page view), all of the member's blocks are
    read once and every later call of the page is answered from that read.
    """
    if visibility.shared_lookups() is None:
        return _blocked_ids_read(member_id, among)
    every = visibility.remember(("blocked_ids", member_id), lambda: frozenset(_blocked_ids_read(member_id, None)))
    return set(every) if among is None else every.intersection(among)


def _blocked_ids_read(member_id: int, among: Iterable[int] | None) -> set[int]:
    if among is None:
        # The shared lookup of every profile page (and other readers of all blocks): raw SQL,
        # as the ORM took longer to build the query than the database to answer it.
        from django.db import connection

        table = connection.ops.quote_name(Block._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT blocker_id, blocked_id FROM {table} WHERE blocker_id = %s OR blocked_id = %s",  # noqa: S608
                [member_id, member_id],
            )
            rows = cursor.fetchall()
        return {blocked if blocker == member_id else blocker for blocker, blocked in rows} - {member_id}
    rows = Block.objects.filter(Q(blocker_id=member_id) | Q(blocked_id=member_id))
    if among is not None:
        among = list(among)
        if not among:
            return set()
        rows = rows.filter(Q(blocker_id__in=among) | Q(blocked_id__in=among))
    ids = set()
    for blocker_id, blocked_id in rows.values_list("blocker_id", "blocked_id"):
        ids.add(blocked_id if blocker_id == member_id else blocker_id)
    ids.discard(member_id)
    return ids


def blocked_among(viewer_id: int, member_ids: Iterable[int]) -> set[int]:
    """The block provider of the visibility policy: which of `member_ids` and the viewer blocked
    each other, either way (one query)."""
    return blocked_ids(member_id=viewer_id, among=member_ids)


def is_blocked(a_id: int, b_id: int) -> bool:
    """True when a blocked b or b blocked a."""
    return Block.objects.filter(blocker_id__in=[a_id, b_id], blocked_id__in=[a_id, b_id]).exists()


def are_connected(a_id: int, b_id: int) -> bool:
    return Connection.objects.filter(member_id=a_id, other_id=b_id).exists()


def connection_count(*, member_id: int) -> int:
    return Connection.objects.filter(member_id=member_id).count()


def invitation_list_received(*, member_id: int) -> QuerySet:
    """Pending invitations a member received, newest first, with the senders' profiles."""
    return (
        Invitation.objects.filter(recipient_id=member_id, status=InvitationStatus.PENDING)
        .select_related("sender__profile", "organization")
        .order_by("-created", "-id")
    )


def invitation_list_sent(*, member_id: int) -> QuerySet:
    """Pending invitations a member sent, newest first, with the recipients' profiles."""
    return (
        Invitation.objects.filter(sender_id=member_id, status=InvitationStatus.PENDING)
        .select_related("recipient__profile", "organization")
        .order_by("-created", "-id")
    )


def invitation_pending_between(a_id: int, b_id: int) -> Invitation | None:
    """The pending invitation between two members, whichever sent it."""
    return (
        Invitation.objects.filter(
            Q(sender_id=a_id, recipient_id=b_id) | Q(sender_id=b_id, recipient_id=a_id),
            status=InvitationStatus.PENDING,
        )
        .order_by("-created")
        .first()
    )


@dataclass(frozen=True)
class SharedOrganizations:
    companies: list[Organization]
    schools: list[Organization]


def shared_organizations(*, viewer, member) -> SharedOrganizations:
    """Companies and schools both members have on their profiles, limited to what `viewer` may
    see of `member`'s profile (the policy decides), for "how do you know each other?"."""
    relation = visibility.relation(viewer, member.pk)
    profile = Profile.objects.filter(pk=member.pk).only("visibility").first()
    if profile is None:
        return SharedOrganizations([], [])
    fields = visibility.visible_fields(profile.visibility, relation)
    companies, schools = [], []
    if fields & {"current_position", "positions"}:
        theirs = Position.objects.filter(profile_id=member.pk, organization__isnull=False)
        if "current_position" not in fields:
            theirs = theirs.exclude(Q(is_current=True) | Q(end_date__isnull=True))
        elif "positions" not in fields:
            theirs = theirs.filter(Q(is_current=True) | Q(end_date__isnull=True))
        mine = Position.objects.filter(profile_id=viewer.pk).values("organization_id")
        companies = list(
            Organization.objects.filter(pk__in=theirs.values("organization_id")).filter(pk__in=mine).order_by("name")
        )
    if "education" in fields:
        theirs = Education.objects.filter(profile_id=member.pk).values("organization_id")
        mine = Education.objects.filter(profile_id=viewer.pk).values("organization_id")
        schools = list(Organization.objects.filter(pk__in=theirs).filter(pk__in=mine).order_by("name"))
    return SharedOrganizations(companies, schools)


class NetworkSort(models.TextChoices):
    RECENT = "recent", _("Recently added")
    FIRST_NAME = "first_name", _("First name")
    LAST_NAME = "last_name", _("Last name")


_NETWORK_ORDER = {
    NetworkSort.RECENT: ("-created", "-id"),
    NetworkSort.FIRST_NAME: ("other__first_name", "other__last_name", "id"),
    NetworkSort.LAST_NAME: ("other__last_name", "other__first_name", "id"),
}


@dataclass(frozen=True)
class NetworkFilters:
    company: str = ""  # a current employer, by name
    school: str = ""
    location: str = ""
    skill: str = ""
    since: datetime.date | None = None  # connected on or after
    label_id: int | None = None
    name: str = ""

    @property
    def active(self) -> bool:
        return any((self.company, self.school, self.location, self.skill, self.since, self.label_id, self.name))


def network_list(*, member_id: int, filters: NetworkFilters | None = None, sort: str = NetworkSort.RECENT) -> QuerySet:
    """A member's connections (Connection rows with `other` and its profile), filtered and sorted.

    A filter on a profile field only matches connections who let their connections see that
    field (the visibility policy's `field_visible_q`): filtering must not reveal hidden fields.
    """
    filters = filters or NetworkFilters()
    rows = Connection.objects.filter(member_id=member_id).select_related("other__profile")
    seen = Relation.CONNECTION
    path = "other__profile__visibility"
    if filters.name:
        for word in filters.name.split()[:4]:
            rows = rows.filter(Q(other__first_name__icontains=word) | Q(other__last_name__icontains=word))
    if filters.company:
        current = Position.objects.filter(Q(is_current=True) | Q(end_date__isnull=True)).filter(
            Q(organization__name__icontains=filters.company) | Q(company_name__icontains=filters.company)
        )
        rows = rows.filter(visibility.field_visible_q("current_position", seen, path=path)).filter(
            other_id__in=current.values("profile_id")
        )
    if filters.school:
        schooled = Education.objects.filter(
            Q(organization__name__icontains=filters.school) | Q(school_name__icontains=filters.school)
        )
        rows = rows.filter(visibility.field_visible_q("education", seen, path=path)).filter(
            other_id__in=schooled.values("profile_id")
        )
    if filters.location:
        rows = rows.filter(visibility.field_visible_q("location", seen, path=path)).filter(
            other__profile__location__icontains=filters.location
        )
    if filters.skill:
        key = normalize_skill(filters.skill)
        skilled = ProfileSkill.objects.filter(skill__normalized__contains=key)
        rows = rows.filter(visibility.field_visible_q("skills", seen, path=path)).filter(
            other_id__in=skilled.values("profile_id")
        )
    if filters.since:
        rows = rows.filter(created__date__gte=filters.since)
    if filters.label_id:
        # Only the owner's own labels: someone else's label id matches nothing.
        labelled = Label.members.through.objects.filter(label_id=filters.label_id, label__owner_id=member_id)
        rows = rows.filter(other_id__in=labelled.values("user_id"))
    return rows.order_by(*_NETWORK_ORDER.get(sort, _NETWORK_ORDER[NetworkSort.RECENT]))


def label_list(*, owner_id: int) -> QuerySet:
    """A member's private labels with how many connections carry each."""
    return Label.objects.filter(owner_id=owner_id).annotate(size=Count("members")).order_by("name")


def labels_by_member(*, owner_id: int, member_ids: Iterable[int]) -> dict[int, list[Label]]:
    """The owner's labels on each of `member_ids` (one query), for a page of cards."""
    result: dict[int, list[Label]] = defaultdict(list)
    through = Label.members.through.objects.filter(label__owner_id=owner_id, user_id__in=list(member_ids))
    for row in through.select_related("label").order_by("label__name"):
        result[row.user_id].append(row.label)
    return result


def follower_list(*, member_id: int) -> QuerySet:
    """Who follows a member (Follow rows with the follower's profile), newest first."""
    return Follow.objects.filter(followed_id=member_id).select_related("follower__profile").order_by("-created", "-id")


def following_list(*, member_id: int) -> QuerySet:
    """Whom a member follows (Follow rows with the followed member's profile), newest first."""
    return Follow.objects.filter(follower_id=member_id).select_related("followed__profile").order_by("-created", "-id")


def followed_ids(*, member_id: int) -> set[int]:
    """The ids of the members a member follows (for the home feed)."""
    return set(Follow.objects.filter(follower_id=member_id).values_list("followed_id", flat=True))


def block_list(*, member_id: int) -> QuerySet:
    """The members a member blocked (Block rows with their profiles), newest first."""
    return Block.objects.filter(blocker_id=member_id).select_related("blocked__profile").order_by("-created", "-id")


@dataclass(frozen=True)
class RelationshipState:
    """What the viewer has going with a member, for the buttons on a profile."""

    connected: bool = False
    invitation_sent: Invitation | None = None
    invitation_received: Invitation | None = None
    following: bool = False
    blocked_by_me: bool = False


@dataclass(frozen=True)
class ProfilePageFlags:
    """What a profile page's network blocks need to know first, read in one query."""

    connected: bool = False  # the viewer's relations to the member (all False when anonymous)
    following: bool = False
    blocked_by_me: bool = False
    pending: bool = False  # an invitation pending between them, either way
    has_recommendations: bool = False  # the member has an accepted recommendation
    has_endorsements: bool = False  # one of the member's skills has an endorsement


_EITHER_WAY = "(t.sender_id = %s AND t.recipient_id = %s) OR (t.sender_id = %s AND t.recipient_id = %s)"


@lru_cache(maxsize=4)
def _flags_sql(vendor: str, signed_in: bool) -> str:
    from django.db import connection

    from carnet.network.models import Endorsement, Recommendation

    # Table names come from the models' metadata, never from input; values are parameters.
    # Raw SQL: the ORM spent more time building this query (six EXISTS) than the database
    # answering it, on every profile page.
    def table(model) -> str:
        return connection.ops.quote_name(model._meta.db_table)

    skill = f"JOIN {table(ProfileSkill)} s ON s.id = t.profile_skill_id"
    # (table, join, condition) of each EXISTS: the member's flags, then the viewer's.
    member = [
        (Recommendation, "", "t.recipient_id = %s AND t.status = %s"),
        (Endorsement, skill, "s.profile_id = %s"),
    ]
    viewer = [
        (Connection, "", "t.member_id = %s AND t.other_id = %s"),
        (Follow, "", "t.follower_id = %s AND t.followed_id = %s"),
        (Block, "", "t.blocker_id = %s AND t.blocked_id = %s"),
        (Invitation, "", "t.status = %s AND (" + _EITHER_WAY + ")"),
    ]
    exists = [
        f"EXISTS(SELECT 1 FROM {table(model)} t {join} WHERE {condition})"  # noqa: S608
        for model, join, condition in member + (viewer if signed_in else [])
    ]
    return "SELECT " + ", ".join(exists)


def profile_page_flags(*, viewer, member_id: int) -> ProfilePageFlags:
    """The viewer's connection, follow, block and pending invitation with a member, and whether
    the member has recommendations and endorsements to show, in one query. Inside
    visibility.one_lookup_per_request() (a profile page), read once for all its blocks."""
    signed_in = bool(getattr(viewer, "is_authenticated", False)) and viewer.pk != member_id
    viewer_id = viewer.pk if signed_in else None
    return visibility.remember(
        ("profile_page_flags", viewer_id, member_id), lambda: _profile_page_flags_read(viewer_id, member_id)
    )


def _profile_page_flags_read(viewer_id: int | None, member_id: int) -> ProfilePageFlags:
    from django.db import connection

    signed_in = viewer_id is not None
    params: list = [member_id, RecommendationStatus.ACCEPTED.value, member_id]
    if signed_in:
        params += [viewer_id, member_id, viewer_id, member_id, viewer_id, member_id]
        params += [InvitationStatus.PENDING.value, viewer_id, member_id, member_id, viewer_id]
    with connection.cursor() as cursor:
        cursor.execute(_flags_sql(connection.vendor, signed_in), params)
        row = [bool(value) for value in cursor.fetchone()]
    has_recommendations, has_endorsements, *relation = row
    return ProfilePageFlags(*(relation or [False] * 4), has_recommendations, has_endorsements)


def profile_page_has(flag: str, *, viewer, member_id: int) -> bool:
    """On a profile page (inside visibility.one_lookup_per_request()), its flag `flag` (a field of
    ProfilePageFlags, e.g. "has_recommendations"): a block skips its query when it is false.
    Outside a page nothing was read for it: True, the caller reads what it needs."""
    if visibility.shared_lookups() is None:
        return True
    return getattr(profile_page_flags(viewer=viewer, member_id=member_id), flag)


def relationship_state(*, viewer, member_id: int) -> RelationshipState:
    """Connection, pending invitation either way, follow and block between viewer and member.

    One query (profile_page_flags, shared by a profile page's blocks), plus one for the
    pending invitation when there is one.
    """
    if not getattr(viewer, "is_authenticated", False) or viewer.pk == member_id:
        return RelationshipState()
    flags = profile_page_flags(viewer=viewer, member_id=member_id)
    pending = invitation_pending_between(viewer.pk, member_id) if flags.pending else None
    return RelationshipState(
        connected=flags.connected,
        invitation_sent=pending if pending and pending.sender_id == viewer.pk else None,
        invitation_received=pending if pending and pending.recipient_id == viewer.pk else None,
        following=flags.following,
        blocked_by_me=flags.blocked_by_me,
    )


def plan_grant_list(*, limit: int = 200) -> QuerySet:
    """Recent plan grants with their holders, for the staff page."""
    return PlanGrant.objects.select_related("user", "organization", "granted_by").order_by("-created", "-id")[:limit]
