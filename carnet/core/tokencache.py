"""Values cached per object under a random token that every committed write drops.

Used where every page reads a small value that changes rarely (the account row of the signed-in
member, their unread-notifications count):

- A reader takes the object's token first (drawing one when there is none), then computes the
  value, then stores it under that token. A value that a write made stale can therefore only be
  stored under a token that write drops after it commits: the next reader never sees it.
- Inside a transaction nothing is read from or written to the cache: the transaction may hold
  uncommitted writes of its own (and roll them back), and tokens are dropped only on commit.
- The owner of the data calls `forget(ids)` from every write that changes it (signals for saves
  and deletes; queryset updates and bulk writes send none and must call it themselves).
- If the cache fails, the value is computed; a token that could not be dropped (cache down
  during the write) leaves a stale value for at most `timeout` seconds.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Callable, Iterable
from typing import Any

from django.core.cache import cache
from django.db import connection, transaction

logger = logging.getLogger(__name__)

TOKEN_TIMEOUT = 24 * 3600


class TokenCache:
    """Values named `name` per object id, kept `timeout` seconds. `version()` (e.g. a digest of
    a table's columns) is part of every value's key: a change of it starts from new keys."""

    def __init__(self, name: str, *, timeout: int, version: Callable[[], str] = lambda: ""):
        self.name = name
        self.timeout = timeout
        self.version = version

    def _token_key(self, pk) -> str:
        return f"{self.name}:{pk}"

    def get(self, pk, compute: Callable[[], Any], *, dump=lambda value: value, load=lambda stored: stored):
        """The value of object `pk`: from the cache when it holds a current one, else
        `compute()` (stored unless None). `dump`/`load` convert it to and from what is stored."""
        if connection.in_atomic_block:
            return compute()
        token_key = self._token_key(pk)
        try:
            token = cache.get(token_key)
            if token is None:
                token = secrets.token_hex(8)
                if not cache.add(token_key, token, TOKEN_TIMEOUT):
                    token = cache.get(token_key)
            value_key = f"{token_key}:{self.version()}:{token}"
            stored = cache.get(value_key) if token else None
        except Exception:  # noqa: BLE001 - a page must not depend on the cache
            logger.warning("%s: cache unavailable", self.name, exc_info=True)
            return compute()
        if stored is not None:
            return load(stored)
        value = compute()
        if value is not None and token:
            try:
                cache.set(value_key, dump(value), self.timeout)
            except Exception:  # noqa: BLE001
                logger.warning("%s: cache unavailable", self.name, exc_info=True)
        return value

    def forget(self, ids: Iterable) -> None:
        """Make the cached values of these objects stale, once the current transaction commits."""
        keys = [self._token_key(pk) for pk in set(ids)]
        if keys:
            transaction.on_commit(lambda: self._delete(keys))

    def _delete(self, keys: list[str]) -> None:
        try:
            cache.delete_many(keys)
        except Exception:  # noqa: BLE001 - the write has committed; the value expires in `timeout`
            logger.warning("%s: could not forget %s", self.name, keys, exc_info=True)
