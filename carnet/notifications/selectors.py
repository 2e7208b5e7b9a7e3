"""Reads of notifications."""

from __future__ import annotations

from django.db.models import QuerySet

from carnet.notifications.models import Notification


def notification_list(*, recipient, unread_only: bool = False) -> QuerySet[Notification]:
    """A member's notifications, newest first."""
    items = Notification.objects.filter(recipient=recipient)
    if unread_only:
        items = items.filter(read__isnull=True)
    return items.order_by("-created", "-id")


def notification_unread_count(*, recipient) -> int:
    return Notification.objects.filter(recipient=recipient, read__isnull=True).count()
