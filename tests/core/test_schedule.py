import datetime

import pytest
from django.utils import timezone

from carnet.core.schedule import daily_tasks, schedule_daily_tasks
from carnet.network.models import Introduction, IntroductionStatus
from tests.factories import IntroductionFactory

pytestmark = pytest.mark.django_db

DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


def test_every_app_registers_its_nightly_task():
    paths = {task.module_path for task in daily_tasks()}
    assert paths == {"carnet.profiles.tasks.send_profile_reminders", "carnet.network.tasks.relations_cleanup_daily"}


def test_a_starting_worker_queues_each_nightly_task_once(settings):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = DATABASE_QUEUE
    assert schedule_daily_tasks() == 2
    assert schedule_daily_tasks() == 0  # a second worker (or a restart) adds nothing
    waiting = DBTaskResult.objects.all()
    assert {row.task_path for row in waiting} == {task.module_path for task in daily_tasks()}
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    assert all(timezone.localdate(row.run_after) == tomorrow for row in waiting)


def test_inline_tasks_keep_no_schedule():
    assert schedule_daily_tasks() == 0


def test_the_nightly_relations_task_expires_requests_and_queues_tomorrow(settings, alice, bob, carol):
    from django_tasks_db.models import DBTaskResult

    from carnet.network.tasks import relations_cleanup_daily

    stale = IntroductionFactory(
        requester=alice, intermediary=bob, target=carol, expires=timezone.now() - datetime.timedelta(days=1)
    )
    settings.TASKS = DATABASE_QUEUE
    done = relations_cleanup_daily.call()
    assert done["introductions_expired"] == 1
    assert Introduction.objects.get(pk=stale.pk).status == IntroductionStatus.EXPIRED
    assert DBTaskResult.objects.filter(task_path=relations_cleanup_daily.module_path).count() == 1
