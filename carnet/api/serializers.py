"""Turn policy-projected objects into API payloads. Only ProfileView goes in: the policy has
already removed what the viewer may not see; absent fields are null."""

from __future__ import annotations

from carnet.api.profile_schemas import member_payload, profile_payload  # noqa: F401 (re-exported)
from carnet.profiles.selectors import ProfileView


def me_payload(user, view: ProfileView, *, request) -> dict:
    """The signed-in member: account fields (theirs to see) and their own profile."""
    return {
        "id": user.pk,
        "email": user.email,
        "name": user.display_name,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "profile": profile_payload(view, request=request),
    }


def token_payload(token) -> dict:
    return {
        "id": token.pk,
        "name": token.name,
        "scope": token.scope,
        "hint": token.hint,
        "created": token.created,
        "last_used": token.last_used,
        "revoked": token.revoked,
    }


def notification_payload(notification, *, request) -> dict:
    # The text was rendered through the visibility policy for the recipient when it was created.
    return {
        "id": notification.pk,
        "kind": notification.kind,
        "text": notification.text,
        "url": request.build_absolute_uri(notification.url) if notification.url else None,
        "created": notification.created,
        "read": notification.read,
    }
