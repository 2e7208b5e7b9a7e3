"""/api/v1/search/: the people search, with the same policy and limits as the page.

Members are projected with profile_cards (only what the caller may see, the degree of each from
one batched call); blocked members are never listed; a document holds only what members may
see, so no filter can match a hidden field. The plan's search depth caps how far a caller can
page: past it, 429 with a message naming the limit. A query too broad for the engine to answer
in bounded time is a 400 asking to narrow it. Pages are walked with an opaque cursor.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from ninja.errors import HttpError

from carnet.api.pagination import MAX_LIMIT, decode_cursor, encode_cursor
from carnet.api.schemas import ErrorOut, MemberOut
from carnet.api.serializers import member_payload
from carnet.network.quotas import QuotaExceeded
from carnet.search.engines import PeopleQuery, SearchTimeout
from carnet.search.forms import DEGREE_KEYS
from carnet.search.selectors import TOO_BROAD, people_search

router = Router(tags=["search"])

_CURSOR_KIND = "people-search"


class PeopleFilters(Schema):
    q: str = ""
    degree: list[str] = []  # 1, 2 and/or 3 (3rd degree and beyond, or out of network)
    company: str = ""
    school: str = ""
    location: str = ""
    cursor: str | None = None
    limit: int = 10


class PeoplePage(Schema):
    items: list[MemberOut]
    total: int  # matching members, counted up to 1,000 (the deepest plan)
    total_capped: bool  # more than `total` match
    depth: int  # how many results the caller's plan shows
    next_cursor: str | None = None


def _offset(cursor: str | None) -> int:
    if not cursor:
        return 0
    values = decode_cursor(cursor)
    if len(values) != 2 or values[0] != _CURSOR_KIND or not isinstance(values[1], int) or values[1] < 0:
        raise HttpError(400, _("Invalid cursor."))
    return values[1]


@router.get("/people", response={200: PeoplePage, 400: ErrorOut, 401: ErrorOut, 429: ErrorOut})
def people(request, filters: Query[PeopleFilters]):
    """Members matching words (name, headline, company, position, location, skills, schools) and filters."""
    for name, value, longest in (
        ("q", filters.q, 200),
        ("company", filters.company, 200),
        ("school", filters.school, 200),
        ("location", filters.location, 200),
    ):
        if len(value) > longest:
            raise HttpError(400, _("%(field)s: at most %(n)s characters.") % {"field": name, "n": longest})
    unknown = [d for d in filters.degree if d not in DEGREE_KEYS]
    if unknown:
        raise HttpError(400, _("degree must be 1, 2 or 3 (3rd degree and beyond, or out of network)."))
    query = PeopleQuery(
        text=filters.q,
        company=filters.company,
        school=filters.school,
        location=filters.location,
        degrees=frozenset(int(d) for d in filters.degree),
    )
    if query.is_empty:
        raise HttpError(400, _("Give words to search for (q) or a filter."))
    offset = _offset(filters.cursor)
    limit = max(1, min(filters.limit, MAX_LIMIT))
    try:
        results = people_search(viewer=request.user, query=query, offset=offset, limit=limit)
    except QuotaExceeded as exc:
        return Status(429, {"error": "quota_exceeded", "detail": str(exc)})
    except SearchTimeout:
        raise HttpError(400, str(TOO_BROAD)) from None
    items = [member_payload(card, request=request) for card in results.cards]
    next_offset = offset + results.limit
    return {
        "items": items,
        "total": results.total,
        "total_capped": results.capped,
        "depth": results.depth,
        "next_cursor": encode_cursor([_CURSOR_KIND, next_offset]) if results.has_more else None,
    }
