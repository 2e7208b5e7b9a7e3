"""The graph engine: degrees, mutual connections, shortest chains and suggestion candidates
from an in-memory index of the connection graph (see docs/architecture.md, "Graph engine").

Update hooks, to call once the change is committed (`transaction.on_commit`):

    on_connect(a_id, b_id)       a connection was made
    on_disconnect(a_id, b_id)    a connection was removed
    on_block(blocker_id, blocked_id)   a block (it also removes any connection)
    on_member_changed(member_id) the member's "connections" audience, positions or education changed

Each hook only says "look again at this pair / member": the engine re-reads those rows from
the database, so calling one twice, late, or for nothing is harmless.

Reads return None (or fall back to SQL inside the selectors) when the engine is not ready:
    engine()                      the ready GraphIndex or None
    degrees(viewer_id, ids)       the degree provider registered in core.visibility
    suggestions(viewer_id, ...)   ranked People You May Know candidates, or None
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.utils import timezone

from carnet.network.graph.runtime import get_runtime


def _ids(*values) -> list[int]:
    return [int(getattr(v, "pk", v)) for v in values]


def on_connect(a, b) -> None:
    """a and b were connected (after commit)."""
    a, b = _ids(a, b)
    get_runtime().notify_pair(a, b)


def on_disconnect(a, b) -> None:
    """a and b are no longer connected (after commit)."""
    a, b = _ids(a, b)
    get_runtime().notify_pair(a, b)


def on_block(blocker, blocked) -> None:
    """blocker blocked blocked (after commit): their connection, if any, is gone. Chains and
    suggestions read blocks from the database on each request, so nothing else is cached."""
    a, b = _ids(blocker, blocked)
    get_runtime().notify_pair(a, b)


def on_member_changed(member) -> None:
    """A member's "connections" audience, positions or education changed (after commit)."""
    (member,) = _ids(member)
    get_runtime().notify_member(member)


def engine():
    """The ready index, or None: then answer from SQL."""
    return get_runtime().engine()


def warm_up() -> None:
    """Start building the index now (for `carnet serve`); it is built lazily otherwise."""
    get_runtime().start()


def degrees(viewer_id: int, member_ids: Iterable[int]) -> dict[int, int]:
    """Degree of each member from the viewer (1, 2, 3; absent further away), in one call.

    The provider of core.visibility: the engine when ready, `degrees_sql` otherwise."""
    from carnet.network.selectors import degrees_sql

    member_ids = list(member_ids)
    runtime = get_runtime()
    index = runtime.engine()
    if index is None:
        return degrees_sql(viewer_id, member_ids)
    result = index.degrees(viewer_id, member_ids)
    runtime.after_read(viewer_id)
    return result


def suggestions(viewer_id, *, limit: int = 20, offset: int = 0, exclude: Iterable[int] | None = None):
    """People You May Know for a member, ranked, with mutual counts and the shared company or
    school behind each (a list of `suggest.Suggestion`); None when the engine is not ready.

    Blocked (either way), pending and dismissed members are read from the database unless
    `exclude` is given. The caller applies the visibility policy to the reasons it shows."""
    from carnet.network.graph.suggest import rank_suggestions

    (viewer_id,) = _ids(viewer_id)
    runtime = get_runtime()
    index = runtime.engine()
    if index is None:
        return None
    if exclude is None:
        exclude = suggestion_exclusions(viewer_id)
    weights = _weights()
    return rank_suggestions(
        index,
        runtime.affiliations,
        viewer_id,
        limit=limit,
        offset=offset,
        exclude=exclude,
        today=(timezone.localdate() - datetime.date(1970, 1, 1)).days,
        **weights,
    )


def suggestion_exclusions(viewer_id: int) -> set[int]:
    """Members never suggested to the viewer: blocked either way, pending either way, dismissed."""
    from django.db.models import Q

    from carnet.network.models import Block, Invitation, InvitationStatus, SuggestionDismissal

    excluded: set[int] = set()
    for blocker, blocked in Block.objects.filter(Q(blocker_id=viewer_id) | Q(blocked_id=viewer_id)).values_list(
        "blocker_id", "blocked_id"
    ):
        excluded.add(blocked if blocker == viewer_id else blocker)
    pending = Invitation.objects.filter(
        Q(sender_id=viewer_id) | Q(recipient_id=viewer_id), status=InvitationStatus.PENDING
    ).values_list("sender_id", "recipient_id")
    for sender, recipient in pending:
        excluded.add(recipient if sender == viewer_id else sender)
    excluded.update(SuggestionDismissal.objects.filter(member_id=viewer_id).values_list("dismissed_id", flat=True))
    excluded.discard(viewer_id)
    return excluded


def _weights() -> dict[str, int]:
    # The PYMK page defines the ranking; the engine follows it when that module is there.
    try:
        from carnet.network import suggestions as page
    except ImportError:
        return {}
    return {
        name: getattr(page, constant)
        for name, constant in (
            ("colleague_weight", "COLLEAGUE_WEIGHT"),
            ("classmate_weight", "CLASSMATE_WEIGHT"),
            ("years_apart", "CLASS_YEARS_APART"),
        )
        if hasattr(page, constant)
    }
