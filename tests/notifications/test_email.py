"""Notification e-mails leave through the task queue; a failing SMTP server is a failed task, not an error page."""

import socket

import pytest
from django.core import mail
from django.core.management import call_command
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from carnet.notifications.models import Notification
from carnet.notifications.services import notify


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.mark.django_db
def test_email_is_sent_after_commit_through_the_queue(alice, settings, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        notify(recipient=alice, kind="test", text="Bob accepted your invitation", url="/in/bob/", email_subject="Hi")
    assert mail.outbox == []  # nothing leaves before the transaction commits
    for callback in callbacks:
        callback()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert (message.to, message.subject) == (["alice@example.org"], "Hi")
    assert "Bob accepted your invitation" in message.body
    assert f"{settings.SITE_URL}/in/bob/" in message.body


@pytest.mark.django_db
def test_no_email_without_a_subject(alice, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        notify(recipient=alice, kind="test", text="in-app only")
    assert mail.outbox == []
    assert Notification.objects.get().text == "in-app only"


@pytest.mark.django_db(transaction=True)
def test_failing_smtp_send_is_recorded_as_a_failed_task(alice, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", _closed_port(), 2
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False

    notification = notify(recipient=alice, kind="test", text="Hello", email_subject="Hello")
    assert Notification.objects.filter(pk=notification.pk).exists()  # the in-app part never depends on SMTP
    queued = DBTaskResult.objects.get()
    assert queued.status == TaskResultStatus.READY
    assert queued.task_path == "carnet.notifications.tasks.send_rendered_email"

    call_command("db_worker", "--batch", "--no-startup-delay", "--interval", "0", "--no-reload")

    queued.refresh_from_db()
    assert queued.status == TaskResultStatus.FAILED
    assert "ConnectionRefusedError" in queued.exception_class_path
    assert queued.args_kwargs["kwargs"]["to"] == ["alice@example.org"]
