"""Django's ModelBackend and allauth's backend, whose get_user (one query on every signed-in
request, from django.contrib.auth's middleware) reads the member's row from the cache.

The row is cached under a random token of the member, and every save or delete of the User
drops the token once it has committed (post_save/post_delete, connected in apps.py):

- A reader takes the token first, then reads the row, then stores it under that token. A row
  that a write made stale can only be stored under a token the write drops after it commits:
  the next request after a password change, a deactivation, a name or e-mail change, a login
  (last_login) reads the new row. A password change therefore still signs out the member's
  other sessions (their session hash no longer matches the row's password) on their next request.
- Inside a transaction the cache is neither read nor written (uncommitted writes, rollbacks).
- A queryset .update()/bulk_update() or raw SQL on the users table sends no signal: there is
  none in Carnet, allauth, axes or django.contrib.auth today; one added later must call
  `user_cache_forget(user_ids=...)`. Rows expire after ROW_TIMEOUT anyway, and the key carries
  the table's columns, so a migration that adds one starts from new keys.
- If the cache fails, the row comes from the database.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
from collections.abc import Iterable
from functools import lru_cache

from allauth.account.auth_backends import AuthenticationBackend
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db import DEFAULT_DB_ALIAS, connection, transaction

logger = logging.getLogger(__name__)

ROW_TIMEOUT = 5 * 60
TOKEN_TIMEOUT = 24 * 3600


@lru_cache(maxsize=1)
def _columns() -> tuple[tuple[str, ...], str]:
    names = tuple(field.attname for field in get_user_model()._meta.concrete_fields)
    return names, hashlib.sha256(",".join(names).encode()).hexdigest()[:8]


def _token_key(user_id) -> str:
    return f"user-row:{user_id}"


def _row_key(user_id, token: str) -> str:
    return f"user-row:{user_id}:{_columns()[1]}:{token}"


class CachedGetUserMixin:
    """A cached get_user over the backend's own (ModelBackend's: the active member of that id)."""

    def get_user(self, user_id):
        if connection.in_atomic_block:
            return super().get_user(user_id)
        User = get_user_model()  # noqa: N806
        try:
            pk = User._meta.pk.to_python(user_id)
            token_key = _token_key(pk)
            token = cache.get(token_key)
            if token is None:
                token = secrets.token_hex(8)
                if not cache.add(token_key, token, TOKEN_TIMEOUT):
                    token = cache.get(token_key)
            values = cache.get(_row_key(pk, token)) if token else None
        except Exception:  # noqa: BLE001 - signing in must not depend on the cache
            logger.warning("User cache unavailable", exc_info=True)
            return super().get_user(user_id)
        names = _columns()[0]
        if values is not None:
            user = User.from_db(DEFAULT_DB_ALIAS, names, values)
        else:
            user = super().get_user(user_id)
            if user is None:
                return None  # unknown or inactive: not cached (ModelBackend checked is_active)
            if token:
                try:
                    cache.set(_row_key(pk, token), tuple(getattr(user, name) for name in names), ROW_TIMEOUT)
                except Exception:  # noqa: BLE001
                    logger.warning("User cache unavailable", exc_info=True)
            return user
        return user if self.user_can_authenticate(user) else None


class CachedModelBackend(CachedGetUserMixin, ModelBackend):
    """ModelBackend with a cached get_user; authentication and permissions are ModelBackend's."""


class CachedAllauthBackend(CachedGetUserMixin, AuthenticationBackend):
    """allauth's backend with a cached get_user (allauth signs in with it after a sign-up, an
    e-mail confirmation or a password reset); authentication is allauth's."""

    def authenticate(self, request, **credentials):
        user = super().authenticate(request, **credentials)
        if user is None and _only_legacy_backends_after(type(self)):
            # The backends left are the plain copies of this one and CachedModelBackend, kept
            # only for older sessions (settings.py): they would check the same password again.
            # PermissionDenied ends authenticate() exactly as if they had failed too.
            raise PermissionDenied
        return user


# The backends CachedModelBackend and CachedAllauthBackend replace, left in settings after them
# so that the sessions opened with them (a session names its backend) stay signed in.
LEGACY_BACKENDS = frozenset(
    {"django.contrib.auth.backends.ModelBackend", "allauth.account.auth_backends.AuthenticationBackend"}
)


def _only_legacy_backends_after(backend: type) -> bool:
    paths = list(settings.AUTHENTICATION_BACKENDS)
    own = f"{backend.__module__}.{backend.__qualname__}"
    rest = paths[paths.index(own) + 1 :] if own in paths else []
    return bool(rest) and set(rest) <= LEGACY_BACKENDS


def user_cache_forget(*, user_ids: Iterable) -> None:
    """Make the cached rows of these members stale, once the current transaction commits."""
    keys = [_token_key(pk) for pk in set(user_ids)]
    if keys:
        transaction.on_commit(lambda: _delete(keys))


def _delete(keys: list[str]) -> None:
    try:
        cache.delete_many(keys)
    except Exception:  # noqa: BLE001 - the write has committed; the row expires in ROW_TIMEOUT
        logger.warning("Could not forget cached users %s", keys, exc_info=True)


def _on_user_change(sender, instance, **kwargs) -> None:
    user_cache_forget(user_ids=[instance.pk])
