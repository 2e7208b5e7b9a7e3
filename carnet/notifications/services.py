"""Create notifications (in-app, and by e-mail through the task queue)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from carnet.notifications.models import Notification


def notify(
    *, recipient, kind: str, text: str, url: str = "", actor=None, email_subject: str | None = None
) -> Notification:
    """Record an in-app notification; with `email_subject`, also e-mail it once the transaction commits.

    `text` must already be rendered through the visibility policy for the recipient.
    """
    notification = Notification.objects.create(recipient=recipient, actor=actor, kind=kind, text=text, url=url)
    if email_subject and recipient.email:
        from django.conf import settings

        from carnet.notifications.tasks import send_rendered_email

        body = f"{text}\n\n{settings.SITE_URL}{url}" if url else text
        transaction.on_commit(
            lambda: send_rendered_email.enqueue(subject=email_subject, body=body, to=[recipient.email])
        )
    return notification


def notifications_mark_read(*, recipient) -> int:
    return Notification.objects.filter(recipient=recipient, read__isnull=True).update(read=timezone.now())
