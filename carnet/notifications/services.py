"""Create notifications (in-app, and by e-mail through the task queue) and mark them read."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from carnet.notifications.models import Notification
from carnet.notifications.unread import unread_count_forget


def notify(
    *, recipient, kind: str, text: str, url: str = "", actor=None, email_subject: str | None = None
) -> Notification:
    """Record an in-app notification; with `email_subject`, also e-mail it once the transaction commits.

    `text` must already be rendered through the visibility policy for the recipient. The
    e-mail is sent by the task queue: a slow or failing SMTP server never fails the caller,
    and a failed send is recorded (and can be retried) by the tasks backend.
    """
    notification = Notification.objects.create(recipient=recipient, actor=actor, kind=kind, text=text, url=url)
    if email_subject and recipient.email:
        from carnet.notifications.tasks import send_rendered_email

        body = f"{text}\n\n{settings.SITE_URL}{url}" if url else text
        to = [recipient.email]
        transaction.on_commit(lambda: send_rendered_email.enqueue(subject=email_subject, body=body, to=to))
    return notification


def notification_mark_read(*, recipient, notification_id: int) -> Notification | None:
    """Mark one of `recipient`'s notifications read; None when there is no such notification of theirs."""
    notification = Notification.objects.filter(pk=notification_id, recipient=recipient).first()
    if notification is None:
        return None
    if notification.read is None:
        notification.read = timezone.now()
        notification.save(update_fields=["read"])
    return notification


def notifications_mark_read(*, recipient) -> int:
    """Mark all of `recipient`'s notifications read; returns how many were unread."""
    marked = Notification.objects.filter(recipient=recipient, read__isnull=True).update(read=timezone.now())
    # A queryset update sends no post_save: the cached badge is made stale here.
    unread_count_forget(recipient_ids=[recipient.pk])
    return marked


def notifications_forget_between(*, member_id: int, other_id: int) -> int:
    """Delete the notifications each of two members got about the other (used when one blocks
    the other: nothing of a blocked member stays in sight). Returns how many were deleted."""
    deleted, _rows = Notification.objects.filter(
        Q(recipient_id=member_id, actor_id=other_id) | Q(recipient_id=other_id, actor_id=member_id)
    ).delete()
    return deleted
