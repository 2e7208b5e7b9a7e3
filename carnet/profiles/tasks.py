"""Background tasks of the profiles app."""

from __future__ import annotations

from django_tasks import task


@task()
def send_profile_reminders() -> int:
    """Remind every member whose profile has been idle for 30 days (once per 30 days,
    opt-out respected). Returns how many reminders went out. Safe to run more than once a day."""
    from carnet.profiles.activity import profiles_due_reminder, reminder_send

    sent = 0
    for profile in profiles_due_reminder().iterator(chunk_size=500):
        sent += reminder_send(profile=profile)
    return sent


# Tasks a worker enqueues once a day (`carnet worker` reads this list; `carnet
# profile_reminders` enqueues the same task by hand or from cron).
DAILY_TASKS = (send_profile_reminders,)
