"""Reads of the connection graph."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import QuerySet

from carnet.network.models import Connection


def connection_ids(*, member_id: int) -> set[int]:
    """The ids of a member's 1st-degree connections."""
    return set(Connection.objects.filter(member_id=member_id).values_list("other_id", flat=True))


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


def connection_list(*, member_id: int) -> QuerySet:
    """A member's connections with their profiles, newest first, ready for a list page."""
    from django.contrib.auth import get_user_model

    return (
        get_user_model()
        .objects.filter(connections_in__member_id=member_id)
        .select_related("profile")
        .order_by("-connections_in__created", "id")
    )
