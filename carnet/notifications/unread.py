"""The unread count of the navigation badge, cached per member (one COUNT per page otherwise).

Every page a member opens shows the badge, and the count changes only when one of their
notifications is created, marked read or deleted. The count is cached under a random token
of the member that every such write drops once it has committed (carnet.core.tokencache:
how stale counts are never read, transactions, a cache that fails).

- What drops the token: saving or deleting a Notification (post_save, post_delete: creation,
  marking one read, the deletions of a block and the cascades of an account deletion), and
  every queryset .update()/bulk write, which sends no signal: it must call
  `unread_count_forget(recipient_ids=...)` itself (notifications_mark_read does).
"""

from __future__ import annotations

from collections.abc import Iterable

from carnet.core.tokencache import TokenCache
from carnet.notifications.selectors import notification_unread_count

COUNT_TIMEOUT = 10 * 60
_COUNTS = TokenCache("notif-unread", timeout=COUNT_TIMEOUT)


def unread_count_cached(*, recipient) -> int:
    """The member's unread count, from the cache when it holds a current one."""
    return _COUNTS.get(recipient.pk, lambda: notification_unread_count(recipient=recipient))


def unread_count_forget(*, recipient_ids: Iterable[int]) -> None:
    """Make the cached counts of these members stale, once the current transaction commits."""
    _COUNTS.forget(recipient_ids)


def _on_notification_change(sender, instance, **kwargs) -> None:
    unread_count_forget(recipient_ids=[instance.recipient_id])
