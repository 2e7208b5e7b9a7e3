"""The unread count of the navigation badge, cached per member (one COUNT per page otherwise).

Every page a member opens shows the badge, and the count changes only when one of their
notifications is created, marked read or deleted. The count is cached under a random token
of the member, and every such write drops the token once it has committed (the next reader
draws a new one):

- A reader takes the member's token first, then counts, then stores the count under that
  token. A count that a write made stale can therefore only be stored under a token the
  write drops after it commits: the next request after the write never reads it.
- Inside a transaction nothing is read from or written to the cache: the transaction may
  hold uncommitted writes of its own (and roll them back), and tokens are dropped only on
  commit.
- What drops the token: saving or deleting a Notification (post_save, post_delete: creation,
  marking one read, the deletions of a block and the cascades of an account deletion), and
  every queryset .update()/bulk write, which sends no signal: it must call
  `unread_count_forget(recipient_ids=...)` itself (notifications_mark_read does).
- If the cache fails, the count comes from the database; a token that could not be dropped
  (cache down during the write) leaves a stale count for at most COUNT_TIMEOUT.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Iterable

from django.core.cache import cache
from django.db import connection, transaction

from carnet.notifications.selectors import notification_unread_count

logger = logging.getLogger(__name__)

COUNT_TIMEOUT = 10 * 60
TOKEN_TIMEOUT = 24 * 3600


def _token_key(recipient_id: int) -> str:
    return f"notif-unread:{recipient_id}"


def _count_key(recipient_id: int, token: str) -> str:
    return f"notif-unread:{recipient_id}:{token}"


def unread_count_cached(*, recipient) -> int:
    """The member's unread count, from the cache when it holds a current one."""
    if connection.in_atomic_block:
        return notification_unread_count(recipient=recipient)
    token_key = _token_key(recipient.pk)
    try:
        token = cache.get(token_key)
        if token is None:
            token = secrets.token_hex(8)
            if not cache.add(token_key, token, TOKEN_TIMEOUT):
                token = cache.get(token_key)
        count = cache.get(_count_key(recipient.pk, token)) if token else None
    except Exception:  # noqa: BLE001 - the badge must not fail the page
        logger.warning("Unread count cache unavailable", exc_info=True)
        return notification_unread_count(recipient=recipient)
    if count is None:
        count = notification_unread_count(recipient=recipient)
        if token:
            try:
                cache.set(_count_key(recipient.pk, token), count, COUNT_TIMEOUT)
            except Exception:  # noqa: BLE001
                logger.warning("Unread count cache unavailable", exc_info=True)
    return count


def unread_count_forget(*, recipient_ids: Iterable[int]) -> None:
    """Make the cached counts of these members stale, once the current transaction commits."""
    keys = [_token_key(pk) for pk in set(recipient_ids)]
    if keys:
        transaction.on_commit(lambda: _delete(keys))


def _delete(keys: list[str]) -> None:
    try:
        cache.delete_many(keys)
    except Exception:  # noqa: BLE001 - the write has committed; the count expires in COUNT_TIMEOUT
        logger.warning("Could not forget unread counts %s", keys, exc_info=True)


def _on_notification_change(sender, instance, **kwargs) -> None:
    unread_count_forget(recipient_ids=[instance.recipient_id])
