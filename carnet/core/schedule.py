"""Daily background tasks: each run queues the next one, and every worker makes sure the
chain exists when it starts, so an operator needs no cron for them.

Only a queue that can defer tasks (the database queue) keeps such a schedule; with inline
tasks (tests, CARNET_TASKS=immediate) the management commands run the same work (cron).
"""

from __future__ import annotations

import datetime

from django.utils import timezone

# Daily tasks run at night, in the instance's time zone.
DAILY_AT = datetime.time(hour=3)

_DAILY: list = []


def register_daily(task) -> None:
    """Keep `task` on a daily schedule (apps call this from `ready()`)."""
    if task not in _DAILY:
        _DAILY.append(task)


def daily_tasks() -> tuple:
    return tuple(_DAILY)


def schedule_next_run(task, *, now: datetime.datetime | None = None) -> bool:
    """Queue tomorrow's run of `task` unless one is already waiting. True when queued."""
    if not task.get_backend().supports_defer:
        return False
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    now = now or timezone.now()
    waiting = DBTaskResult.objects.filter(task_path=task.module_path, status=TaskResultStatus.READY, run_after__gt=now)
    if waiting.exists():
        return False
    tomorrow = timezone.localdate(now) + datetime.timedelta(days=1)
    run_after = timezone.make_aware(datetime.datetime.combine(tomorrow, DAILY_AT))
    task.using(run_after=run_after).enqueue()
    return True


def schedule_daily_tasks(*, now: datetime.datetime | None = None) -> int:
    """Make sure every registered daily task has its next run queued (at worker start)."""
    return sum(schedule_next_run(task, now=now) for task in _DAILY)
