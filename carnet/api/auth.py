"""API authentication and rate limits.

A caller is either the browser session (with CSRF on writes, as any form of the site) or a
personal access token sent as `Authorization: Bearer carnet_...`. A read token may only read:
a write with it is refused with 403, not silently treated as anonymous.
"""

from __future__ import annotations

import threading
import time

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import gettext as _
from ninja.errors import AuthorizationError
from ninja.security import HttpBearer, django_auth
from ninja.throttling import BaseThrottle

from carnet.accounts.models import PersonalAccessToken, TokenScope
from carnet.accounts.services import token_touch

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


class TokenAuth(HttpBearer):
    def authenticate(self, request, token):
        if not token.startswith(PersonalAccessToken.PREFIX):
            return None
        pat = (
            PersonalAccessToken.objects.select_related("user")
            .filter(token_hash=PersonalAccessToken.hash(token), revoked__isnull=True, user__is_active=True)
            .first()
        )
        if pat is None:
            return None
        if request.method not in SAFE_METHODS and pat.scope != TokenScope.WRITE:
            raise AuthorizationError(
                message=_("This token is read-only: create a read and write token to make changes.")
            )
        token_touch(token=pat)
        request.user = pat.user
        request.api_token = pat
        return pat.user


token_auth = TokenAuth()
session_auth = django_auth


class OptionalAuth:
    """Endpoints readable by anonymous visitors: authenticate when credentials are given."""

    def __call__(self, request):
        header = request.headers.get("Authorization", "")
        if header.lower().startswith("bearer "):
            return token_auth(request)
        return request.user if request.user.is_authenticated else _Anonymous()


class _Anonymous:
    # ninja treats a falsy result as "not authenticated"; anonymous access is allowed here.
    def __bool__(self):
        return True


optional_auth = OptionalAuth()


def is_token_request(request) -> bool:
    return getattr(request, "api_token", None) is not None


_PERIODS = {"s": 1, "sec": 1, "m": 60, "min": 60, "h": 3600, "hour": 3600, "d": 86400, "day": 86400}


def parse_rate(rate: str) -> tuple[int, int]:
    """'300/min' -> (300, 60)."""
    count, period = rate.split("/", 1)
    return int(count), _PERIODS[period.strip().lower()]


class MemberRateThrottle(BaseThrottle):
    """A fixed-window request budget per token, per signed-in member, or per address.

    The counter is one cache key per caller and window, bumped with the cache's atomic
    increment, so concurrent workers sharing Redis count together. Budgets come from
    CARNET_API_RATE (members and tokens) and CARNET_API_ANON_RATE (anonymous visitors).
    """

    def __init__(self) -> None:
        self._local = threading.local()

    def _caller(self, request) -> tuple[str, str]:
        token = getattr(request, "api_token", None)
        if token is not None:
            return f"token:{token.pk}", settings.CARNET_API_RATE
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            return f"user:{user.pk}", settings.CARNET_API_RATE
        return f"ip:{self.get_ident(request)}", settings.CARNET_API_ANON_RATE

    def allow_request(self, request) -> bool:
        ident, rate = self._caller(request)
        limit, period = parse_rate(rate)
        now = time.time()
        window = int(now // period)
        key = f"carnet:api-rate:{ident}:{period}:{window}"
        cache.add(key, 0, timeout=period + 1)
        try:
            count = cache.incr(key)
        except ValueError:
            # The key expired between add() and incr(): this request opens the next window.
            cache.add(key, 1, timeout=period + 1)
            count = 1
        self._local.wait = (window + 1) * period - now
        return count <= limit

    def wait(self) -> float | None:
        return getattr(self._local, "wait", None)
