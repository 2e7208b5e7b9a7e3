"""API authentication: the browser session (with CSRF) or a personal access token."""

from __future__ import annotations

from django.utils import timezone
from ninja.security import HttpBearer, django_auth

from carnet.accounts.models import PersonalAccessToken, TokenScope

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
            return None
        now = timezone.now()
        # Touch last_used at most once a minute: a busy client must not write on every call.
        if pat.last_used is None or (now - pat.last_used).total_seconds() > 60:
            PersonalAccessToken.objects.filter(pk=pat.pk).update(last_used=now)
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
