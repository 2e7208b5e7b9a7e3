"""Small reads shared by introductions, recommendations, endorsements, suggestions and contact
import: who is connected to whom, who is blocked either way, pending invitations, and member
names as a given member may see them (through the visibility policy).

Where network's own selectors or the graph engine offer the same answer, these delegate to
them; the SQL here is the fallback and the reference.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Q
from django.utils.translation import gettext as _

from carnet.network.models import Block, Connection, Invitation, InvitationStatus


class RelationError(Exception):
    """A relation action was refused. `code` maps to an HTTP status in the API:
    invalid 400, forbidden 403, not_found 404, conflict 409, quota 429."""

    def __init__(self, message: str, *, code: str = "invalid"):
        self.code = code
        super().__init__(message)


def blocked_ids(*, member_id: int, among: Iterable[int] | None = None) -> set[int]:
    """Ids of the members `member_id` blocked or was blocked by (optionally only among `among`)."""
    made = Block.objects.filter(blocker_id=member_id)
    received = Block.objects.filter(blocked_id=member_id)
    if among is not None:
        among = list(among)
        if not among:
            return set()
        made = made.filter(blocked_id__in=among)
        received = received.filter(blocker_id__in=among)
    return set(made.values_list("blocked_id", flat=True)) | set(received.values_list("blocker_id", flat=True))


def any_blocked(*member_ids: int) -> bool:
    """True when any two of the given members blocked each other (either way)."""
    ids = list(member_ids)
    return Block.objects.filter(blocker_id__in=ids, blocked_id__in=ids).exists()


def are_connected(a_id: int, b_id: int) -> bool:
    return Connection.objects.filter(member_id=a_id, other_id=b_id).exists()


def connection_ids(*, member_id: int) -> set[int]:
    from carnet.network.selectors import connection_ids as _connection_ids

    return _connection_ids(member_id=member_id)


def mutual_connection_ids(a_id: int, b_id: int) -> set[int]:
    """Members connected to both a and b (one query)."""
    return set(
        Connection.objects.filter(member_id=a_id, other__connections_out__other_id=b_id).values_list(
            "other_id", flat=True
        )
    )


def pending_invitation_ids(*, member_id: int, among: Iterable[int] | None = None) -> set[int]:
    """Members with a pending invitation to or from `member_id`."""
    rows = Invitation.objects.filter(
        Q(sender_id=member_id) | Q(recipient_id=member_id), status=InvitationStatus.PENDING
    )
    if among is not None:
        among = list(among)
        rows = rows.filter(Q(sender_id__in=among) | Q(recipient_id__in=among))
    ids = set()
    for sender_id, recipient_id in rows.values_list("sender_id", "recipient_id"):
        ids.add(recipient_id if sender_id == member_id else sender_id)
    return ids


def names_for(users: Iterable, *, viewer) -> dict[int, str]:
    """Each member's name as `viewer` may see it (notifications, e-mails): one batched policy call."""
    from carnet.profiles.models import Profile
    from carnet.profiles.selectors import profile_cards

    users = list(users)
    profiles = list(Profile.objects.select_related("user").filter(pk__in=[u.pk for u in users]))
    names = {view.pk: view.name for view in profile_cards(profiles, viewer=viewer)}
    return {u.pk: names.get(u.pk) or _("A Carnet member") for u in users}


def notify_named(*, recipient, actor, kind: str, people: dict, text_for, url: str, subject_for=None) -> None:
    """Notify `recipient` (in-app, and by e-mail with `subject_for`) in their language.

    `people` maps placeholders to members; `text_for(names)` and `subject_for(names)` build the
    texts once each member's name is known as the recipient may see it (the policy decides).
    """
    from django.conf import settings
    from django.utils.translation import override

    from carnet.notifications.services import notify

    names = names_for(people.values(), viewer=recipient)
    named = {key: names[user.pk] for key, user in people.items()}
    with override(getattr(recipient, "language", "") or settings.LANGUAGE_CODE):
        notify(
            recipient=recipient,
            actor=actor,
            kind=kind,
            text=str(text_for(named))[:500],
            url=url,
            email_subject=str(subject_for(named)) if subject_for else None,
        )
