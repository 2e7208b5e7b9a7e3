"""Background tasks of the profiles app."""

from __future__ import annotations

import datetime

from django_tasks import task

from carnet.core.schedule import schedule_next_run


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
    """Queue tomorrow's run unless one is already waiting (see carnet.core.schedule)."""
    return schedule_next_run(send_profile_reminders, now=now)
