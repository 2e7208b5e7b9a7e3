"""Reads of accounts: API tokens, two-factor status."""

from __future__ import annotations

from allauth.mfa.models import Authenticator
from django.db.models import QuerySet

from carnet.accounts.models import PersonalAccessToken, User


def token_list(*, user: User) -> QuerySet[PersonalAccessToken]:
    """A member's tokens, newest first, revoked ones included (they show as revoked)."""
    return PersonalAccessToken.objects.filter(user=user).order_by("-created", "-id")


def token_active_count(*, user: User) -> int:
    return PersonalAccessToken.objects.filter(user=user, revoked__isnull=True).count()


def mfa_enabled(*, user: User) -> bool:
    """True when the member signs in with a second factor (an authenticator app)."""
    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
