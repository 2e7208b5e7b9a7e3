"""Writes to accounts: member creation, API tokens."""

from __future__ import annotations

from allauth.account.models import EmailAddress
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from carnet.accounts.models import PersonalAccessToken, TokenScope, User

MAX_TOKENS_PER_MEMBER = 20


class TokenLimitReached(ValueError):
    pass


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


def member_update_name(*, user: User, first_name: str | None = None, last_name: str | None = None) -> User:
    """Change a member's first and/or last name (None leaves a name as it is; blank is refused)."""
    fields = {}
    for field, value in (("first_name", first_name), ("last_name", last_name)):
        if value is None:
            continue
        value = " ".join(value.split())
        if not value:
            raise ValueError(_("A name cannot be blank."))
        fields[field] = value[:150]
    for field, value in fields.items():
        setattr(user, field, value)
    if fields:
        user.save(update_fields=list(fields))
    return user


@transaction.atomic
def token_create(*, user: User, name: str, scope: str = TokenScope.READ) -> tuple[PersonalAccessToken, str]:
    """A new personal access token; returns it and the secret, shown to the member once."""
    # Lock the member's row so that two concurrent requests cannot both pass the limit.
    User.objects.select_for_update().filter(pk=user.pk).first()
    if PersonalAccessToken.objects.filter(user=user, revoked__isnull=True).count() >= MAX_TOKENS_PER_MEMBER:
        raise TokenLimitReached(
            _("At most %(limit)d active tokens per member: revoke one first.") % {"limit": MAX_TOKENS_PER_MEMBER}
        )
    secret = PersonalAccessToken.new_secret()
    token = PersonalAccessToken.objects.create(
        user=user,
        name=name.strip()[:100],
        scope=TokenScope(scope),
        token_hash=PersonalAccessToken.hash(secret),
        hint=secret[:12],
    )
    return token, secret


def token_revoke(*, user: User, token_id: int) -> bool:
    """Revoke one of `user`'s active tokens; False when there is no such token (or not theirs)."""
    updated = PersonalAccessToken.objects.filter(pk=token_id, user=user, revoked__isnull=True).update(
        revoked=timezone.now()
    )
    return updated == 1


def token_touch(*, token: PersonalAccessToken) -> None:
    """Record that a token was just used, at most once a minute (a busy client must not write on every call)."""
    now = timezone.now()
    if token.last_used is None or (now - token.last_used).total_seconds() > 60:
        PersonalAccessToken.objects.filter(pk=token.pk).update(last_used=now)
        token.last_used = now
