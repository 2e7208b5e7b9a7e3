"""Background tasks of the profiles app."""

from __future__ import annotations

import datetime

from django.utils import timezone
from django_tasks import task

# Reminders go out at night, in the instance's time zone.
DAILY_AT = datetime.time(hour=3)


@task()
def send_profile_reminders() -> int:
    """Remind every member whose profile has been idle for 30 days (once per 30 days,
    opt-out respected), then queue tomorrow's run. Returns how many reminders went out.
    Safe to run more than once a day."""
    from carnet.profiles.activity import profiles_due_reminder, reminder_send

    sent = 0
    for profile in profiles_due_reminder().iterator(chunk_size=500):
        sent += reminder_send(profile=profile)
    schedule_next_reminders()
    return sent


def schedule_next_reminders(*, now: datetime.datetime | None = None) -> bool:
    """Queue the next daily run unless one is already waiting, so a worker sends the
    reminders every day once `carnet profile_reminders` (or a worker) has queued the first.

    Only a queue that can defer tasks (the database queue) keeps such a schedule; with
    inline tasks, reminders go out when `carnet profile_reminders` runs (cron).
    """
    if not send_profile_reminders.get_backend().supports_defer:
        return False
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    now = now or timezone.now()
    waiting = DBTaskResult.objects.filter(
        task_path=send_profile_reminders.module_path, status=TaskResultStatus.READY, run_after__gt=now
    )
    if waiting.exists():
        return False
    tomorrow = timezone.localdate(now) + datetime.timedelta(days=1)
    run_after = timezone.make_aware(datetime.datetime.combine(tomorrow, DAILY_AT))
    send_profile_reminders.using(run_after=run_after).enqueue()
    return True


# Tasks a worker keeps on a daily schedule (each queues its own next run).
DAILY_TASKS = (send_profile_reminders,)
