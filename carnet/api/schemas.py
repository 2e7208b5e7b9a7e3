from __future__ import annotations

from datetime import datetime
from typing import Literal

from ninja import Field, Schema


class ErrorOut(Schema):
    """Every error body has this shape."""

    error: str
    detail: str | dict | list | None = None


class MemberOut(Schema):
    """A member as a card, wherever the API lists members: only what the viewer may see, with
    their relation and degree (1, 2, 3, or null when out of network)."""

    slug: str
    url: str
    relation: str
    degree: int | None = None
    name: str | None = None
    headline: str | None = None
    photo: str | None = None
    location: str | None = None


# The profile schemas live with the profile payloads; re-exported for the schemas that embed them.
from carnet.api.profile_schemas import EducationOut, PositionOut, ProfileOut  # noqa: E402, F401


class MeOut(Schema):
    id: int
    email: str
    name: str
    first_name: str
    last_name: str
    profile: ProfileOut


class MeIn(Schema):
    """PATCH /me: only the fields sent change."""

    first_name: str | None = Field(None, max_length=150)
    last_name: str | None = Field(None, max_length=150)


class TokenIn(Schema):
    name: str = Field(..., min_length=1, max_length=100)
    scope: Literal["read", "write"] = "read"


class TokenOut(Schema):
    id: int
    name: str
    scope: str
    hint: str
    created: datetime
    last_used: datetime | None = None
    revoked: datetime | None = None


class TokenCreatedOut(TokenOut):
    secret: str  # shown once: only its hash is stored


class TokenPage(Schema):
    items: list[TokenOut]


class NotificationOut(Schema):
    id: int
    kind: str
    text: str
    url: str | None = None
    created: datetime
    read: datetime | None = None


class NotificationPage(Schema):
    items: list[NotificationOut]
    next_cursor: str | None = None
    unread: int


class MarkedOut(Schema):
    marked: int
