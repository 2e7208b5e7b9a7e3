"""Django's ModelBackend and allauth's backend, whose get_user (one query on every signed-in
request, from django.contrib.auth's middleware) reads the member's row from the cache.

The row is cached under a random token of the member that every save or delete of the User
drops once it has committed (post_save/post_delete, connected in apps.py; carnet.core.tokencache:
how a stale row is never read, transactions, a cache that fails):

- The next request after a password change, a deactivation, a name or e-mail change, a login
  (last_login) reads the new row. A password change therefore still signs out the member's
  other sessions (their session hash no longer matches the row's password) on their next request.
- A queryset .update()/bulk_update() or raw SQL on the users table sends no signal: there is
  none in Carnet, allauth, axes or django.contrib.auth today; one added later must call
  `user_cache_forget(user_ids=...)`. Rows expire after ROW_TIMEOUT anyway, and the key carries
  the table's columns, so a migration that adds one starts from new keys.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from functools import lru_cache

from allauth.account.auth_backends import AuthenticationBackend
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DEFAULT_DB_ALIAS

from carnet.core.tokencache import TokenCache

ROW_TIMEOUT = 5 * 60


@lru_cache(maxsize=1)
def _columns() -> tuple[tuple[str, ...], str]:
    names = tuple(field.attname for field in get_user_model()._meta.concrete_fields)
    return names, hashlib.sha256(",".join(names).encode()).hexdigest()[:8]


# The key carries a digest of the table's columns: a migration that adds one starts from new keys.
_ROWS = TokenCache("user-row", timeout=ROW_TIMEOUT, version=lambda: _columns()[1])


class CachedGetUserMixin:
    """A cached get_user over the backend's own (ModelBackend's: the active member of that id)."""

    def get_user(self, user_id):
        User = get_user_model()  # noqa: N806
        try:
            pk = User._meta.pk.to_python(user_id)
        except ValidationError:
            return super().get_user(user_id)
        names = _columns()[0]
        user = _ROWS.get(
            pk,
            lambda: super(CachedGetUserMixin, self).get_user(user_id),
            dump=lambda found: tuple(getattr(found, name) for name in names),
            load=lambda values: User.from_db(DEFAULT_DB_ALIAS, names, values),
        )
        # Unknown and inactive members are not cached (ModelBackend's get_user gave None).
        return user if user is not None and self.user_can_authenticate(user) else None


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
    _ROWS.forget(user_ids)


def _on_user_change(sender, instance, **kwargs) -> None:
    user_cache_forget(user_ids=[instance.pk])
