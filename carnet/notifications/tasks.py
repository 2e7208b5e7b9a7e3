"""Background tasks of the notifications app: every e-mail goes out through here."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django_tasks import task


@task()
def send_rendered_email(*, subject: str, body: str, to: list[str], html: str | None = None) -> int:
    """Send one already-rendered e-mail. Raises on SMTP failure so the task is recorded as failed."""
    message = EmailMultiAlternatives(subject=subject, body=body, from_email=settings.DEFAULT_FROM_EMAIL, to=to)
    if html:
        message.attach_alternative(html, "text/html")
    return message.send()
