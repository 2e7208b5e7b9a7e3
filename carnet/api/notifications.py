"""/api/v1/notifications: the member's notifications, cursor-paginated, and marking them read."""

from __future__ import annotations

from django.conf import settings
from django.http import Http404
from ninja import Router

from carnet.api.pagination import paginate
from carnet.api.schemas import ErrorOut, MarkedOut, NotificationOut, NotificationPage
from carnet.api.serializers import notification_payload
from carnet.notifications import selectors, services

router = Router(tags=["notifications"])


@router.get("", response={200: NotificationPage, 400: ErrorOut, 401: ErrorOut})
def notification_list(request, cursor: str | None = None, limit: int | None = None, unread: bool = False):
    """Newest first. Follow `next_cursor` for older ones; it is null on the last page."""
    items = selectors.notification_list(recipient=request.user, unread_only=unread)
    page, next_cursor = paginate(items, cursor=cursor, limit=limit or settings.CARNET_API_PAGE_SIZE, key="created")
    return {
        "items": [notification_payload(n, request=request) for n in page],
        "next_cursor": next_cursor,
        "unread": selectors.notification_unread_count(recipient=request.user),
    }


@router.post("/read", response={200: MarkedOut, 401: ErrorOut, 403: ErrorOut})
def notifications_mark_read(request):
    """Mark every notification read."""
    return {"marked": services.notifications_mark_read(recipient=request.user)}


@router.post("/{notification_id}/read", response={200: NotificationOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut})
def notification_mark_read(request, notification_id: int):
    """Mark one notification read."""
    notification = services.notification_mark_read(recipient=request.user, notification_id=notification_id)
    if notification is None:
        raise Http404
    return notification_payload(notification, request=request)
