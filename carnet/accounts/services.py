"""Writes to accounts: member creation, API tokens."""

from __future__ import annotations

from allauth.account.models import EmailAddress
from django.db import transaction

from carnet.accounts.models import PersonalAccessToken, TokenScope, User

MAX_TOKENS_PER_MEMBER = 20


@transaction.atomic
def member_create(*, email: str, first_name: str = "", last_name: str = "", password: str | None = None) -> User:
    """A member with a verified e-mail address and an empty profile (CLI, seeding, admin)."""
    from carnet.profiles.services import profile_create

    user = User.objects.create_user(email=email, password=password, first_name=first_name, last_name=last_name)
    if password is None:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=True)
    profile_create(user=user)
    return user


def token_create(*, user: User, name: str, scope: str = TokenScope.READ) -> tuple[PersonalAccessToken, str]:
    """A new personal access token; returns it and the secret, shown to the member once."""
    if user.tokens.filter(revoked__isnull=True).count() >= MAX_TOKENS_PER_MEMBER:
        raise ValueError(f"At most {MAX_TOKENS_PER_MEMBER} active tokens per member.")
    secret = PersonalAccessToken.new_secret()
    token = PersonalAccessToken.objects.create(
        user=user, name=name.strip()[:100], scope=scope, token_hash=PersonalAccessToken.hash(secret), hint=secret[:12]
    )
    return token, secret


def token_revoke(*, user: User, token_id: int) -> bool:
    token = user.tokens.filter(pk=token_id, revoked__isnull=True).first()
    if token is None:
        return False
    token.revoke()
    return True
