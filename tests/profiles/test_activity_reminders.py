"""The "keep your profile up to date" reminder: after 30 idle days, once per 30 days,
in-app and by e-mail through the task queue, never for members who opted out."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from carnet.core.schedule import daily_tasks
from carnet.notifications.models import Notification
from carnet.profiles import activity
from carnet.profiles.models import HistoryKind, Profile, UpdateReminder
from carnet.profiles.tasks import send_profile_reminders

pytestmark = pytest.mark.django_db


def _age(member, days):
    past = timezone.now() - datetime.timedelta(days=days)
    Profile.objects.filter(pk=member.pk).update(created=past, updated=past, last_meaningful_update=None)


def _run(django_capture_on_commit_callbacks) -> int:
    with django_capture_on_commit_callbacks(execute=True):
        return send_profile_reminders.enqueue().return_value


def test_idle_profile_gets_one_reminder_in_app_and_by_email(alice, bob, django_capture_on_commit_callbacks):
    _age(alice, 31)
    _age(bob, 10)
    assert _run(django_capture_on_commit_callbacks) == 1
    notification = Notification.objects.get(recipient=alice)
    assert notification.kind == "profile_update_reminder"
    assert notification.url == alice.profile.get_absolute_url()
    assert [m.to for m in mail.outbox] == [[alice.email]]
    assert "turn these reminders off" in mail.outbox[0].body
    assert not Notification.objects.filter(recipient=bob).exists()
    # The same day or the next weeks: nothing more.
    assert _run(django_capture_on_commit_callbacks) == 0
    assert Notification.objects.filter(recipient=alice).count() == 1


def test_reminder_again_after_thirty_more_days(alice, django_capture_on_commit_callbacks):
    _age(alice, 40)
    assert _run(django_capture_on_commit_callbacks) == 1
    UpdateReminder.objects.update(sent=timezone.now() - datetime.timedelta(days=31))
    UpdateReminder.objects.update(day=timezone.localdate() - datetime.timedelta(days=31))
    assert _run(django_capture_on_commit_callbacks) == 1


def test_opt_out_is_respected(alice, django_capture_on_commit_callbacks):
    _age(alice, 60)
    Profile.objects.filter(pk=alice.pk).update(update_reminders=False)
    assert _run(django_capture_on_commit_callbacks) == 0
    assert not mail.outbox


def test_a_meaningful_update_resets_the_clock(alice, django_capture_on_commit_callbacks):
    _age(alice, 60)
    activity.history_record(profile=alice.profile, kind=HistoryKind.NEW_SKILL, field="skills", summary="Go")
    assert _run(django_capture_on_commit_callbacks) == 0


def test_command_queues_or_sends(alice, django_capture_on_commit_callbacks, capsys):
    _age(alice, 31)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("profile_reminders", "--sync")
    assert "Sent 1 reminder(s)." in capsys.readouterr().out
    with django_capture_on_commit_callbacks(execute=True):
        call_command("profile_reminders")
    assert "Queued the profile reminders" in capsys.readouterr().out
    assert Notification.objects.filter(recipient=alice).count() == 1


def test_the_task_is_one_of_the_daily_tasks():
    assert send_profile_reminders in daily_tasks()


def test_settings_page(client, alice, mallory):
    response = client.get("/me/settings/activity/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    client.force_login(alice)
    assert client.get("/me/settings/activity/").status_code == 200
    response = client.post("/me/settings/activity/", {"browsing_mode": "semi_private"})
    assert response.status_code == 302
    alice.profile.refresh_from_db()
    assert alice.profile.browsing_mode == "semi_private" and alice.profile.update_reminders is False
    assert client.post("/me/settings/activity/", {"browsing_mode": "ghost"}).status_code == 400
    client.force_login(mallory)
    client.post("/me/settings/activity/", {"browsing_mode": "private", "update_reminders": "on"})
    alice.profile.refresh_from_db()
    mallory.profile.refresh_from_db()
    assert alice.profile.browsing_mode == "semi_private" and mallory.profile.browsing_mode == "private"


def test_settings_api(client, alice):
    assert client.get("/api/v1/activity/settings").status_code == 401
    client.force_login(alice)
    response = client.patch(
        "/api/v1/activity/settings",
        {"update_reminders": False, "browsing_mode": "private"},
        content_type="application/json",
    )
    assert response.status_code == 200
    assert response.json()["update_reminders"] is False and response.json()["browsing_mode"] == "private"
    response = client.patch("/api/v1/activity/settings", {"browsing_mode": "ghost"}, content_type="application/json")
    assert response.status_code == 400 and response.json()["error"] == "bad_request"


def test_the_database_queue_keeps_one_daily_run_waiting(settings):
    from django_tasks_db.models import DBTaskResult

    from carnet.profiles.tasks import schedule_next_reminders

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    assert schedule_next_reminders() is True
    assert schedule_next_reminders() is False
    waiting = DBTaskResult.objects.get()
    assert waiting.task_path == "carnet.profiles.tasks.send_profile_reminders"
    assert waiting.run_after > timezone.now()


def test_inline_tasks_keep_no_schedule():
    from carnet.profiles.tasks import schedule_next_reminders

    assert schedule_next_reminders() is False
