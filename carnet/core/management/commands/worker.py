"""carnet worker: the background task process of a production instance (django-tasks-db)."""

from __future__ import annotations

from argparse import ArgumentTypeError

from django.core.management.base import CommandError
from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand
from django_tasks_db.management.commands.db_worker import valid_backend_name


class Command(DbWorkerCommand):
    help = (
        "Run background tasks (e-mails, notifications, imports, exports) from the database queue. "
        "Production runs one or more of these next to `carnet serve --no-task-worker`; it stops "
        "cleanly on SIGTERM after the task at hand."
    )

    def add_arguments(self, parser):
        super().add_arguments(parser)
        # Every queue by default: an operator who splits queues says so explicitly.
        parser.set_defaults(queue_name="*", reload=False)
        # db_worker checks --backend while parsing, which hides the reason a worker cannot start
        # here behind "not a database backend"; check it in handle() with a message that says why.
        for action in parser._actions:
            if action.dest == "backend_name":
                action.type = str

    def handle(self, *args, **options):
        from carnet.core.management.commands.serve import database_queue_configured

        if options["backend_name"] == "default" and not database_queue_configured():
            raise CommandError(
                "Background tasks run inline here (CARNET_TASKS=immediate): there is no queue for a worker. "
                "Unset CARNET_TASKS (or set it to 'database') to use the database queue."
            )
        try:
            valid_backend_name(options["backend_name"])
        except ArgumentTypeError as exc:
            raise CommandError(str(exc)) from exc
        from carnet.core.schedule import schedule_daily_tasks

        # The nightly tasks (reminders, expiries) each queue their next run; make sure the
        # chain exists, so a fresh instance needs no cron for them.
        schedule_daily_tasks()
        if options["verbosity"] > 0:
            self.stdout.write(
                f"Carnet worker: queues {options['queue_name']!r}, polling every {options['interval']} s."
            )
        return super().handle(*args, **options)
