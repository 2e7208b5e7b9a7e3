from __future__ import annotations

from datetime import datetime
from typing import Literal

from ninja import Field, Schema


class ErrorOut(Schema):
    """Every error body has this shape."""

    error: str
    detail: str | dict | list | None = None


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
