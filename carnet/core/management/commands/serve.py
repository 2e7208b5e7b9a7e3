"""carnet serve: the production ASGI application under uvicorn, with a task worker thread."""

from __future__ import annotations

import logging
import os
import socket
import threading

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

logger = logging.getLogger("carnet.serve")


def database_queue_configured() -> bool:
    """True when background tasks go through django-tasks-db's queue (not run inline)."""
    from django_tasks_db.backend import DatabaseBackend

    try:
        from django_tasks import task_backends

        return isinstance(task_backends["default"], DatabaseBackend)
    except Exception:  # noqa: BLE001 - a misconfigured backend means: no queue to drain here
        return False


class TaskWorkerThread(threading.Thread):
    """Drains the database task queue inside the web process: the embedded default, so a
    laptop or a small instance needs no second process. Production runs `carnet worker`."""

    def __init__(self, *, interval: float = 1.0):
        super().__init__(name="carnet-task-worker", daemon=True)
        from django_tasks_db.management.commands.db_worker import Worker

        self.worker = Worker(
            queue_names=["*"],
            interval=interval,
            batch=False,
            backend_name="default",
            startup_delay=False,
            max_tasks=None,
            worker_id=f"serve-{socket.gethostname()}-{os.getpid()}"[:64],
            excluded_queue_names=[],
        )

    def run(self) -> None:
        from django.db import connections

        from carnet.core.schedule import schedule_daily_tasks

        try:
            schedule_daily_tasks()  # the nightly tasks' chain, as `carnet worker` does
            self.worker.run()
        except Exception:  # a dying worker must say so, loudly, without taking the site down
            logger.exception("The task worker thread stopped on an error; tasks wait for a restart.")
        finally:
            connections.close_all()

    def stop(self, timeout: float = 10.0) -> None:
        # The worker checks `running` between tasks and after each idle interval.
        self.worker.running = False
        self.join(timeout)


class Command(BaseCommand):
    help = (
        "Serve Carnet with uvicorn (the production ASGI application: HTTP and WebSockets) and, unless "
        "--no-task-worker, a thread that runs background tasks from the database queue."
    )

    def add_arguments(self, parser):
        parser.add_argument("--host", default=os.environ.get("CARNET_HOST", "127.0.0.1"), help="(127.0.0.1)")
        parser.add_argument("--port", type=int, default=int(os.environ.get("CARNET_PORT", "8000")), help="(8000)")
        parser.add_argument(
            "--workers", type=int, default=int(os.environ.get("CARNET_WORKERS", "1")), help="uvicorn processes (1)"
        )
        parser.add_argument(
            "--no-task-worker",
            action="store_true",
            help="do not run background tasks in this process (production: run `carnet worker` instead)",
        )
        parser.add_argument("--no-access-log", action="store_true", help="do not log each request")

    def handle(self, *args, **options):
        import uvicorn

        if options["workers"] < 1:
            raise CommandError("--workers must be at least 1.")
        if options["workers"] > 1 and settings.CACHES["default"]["BACKEND"].endswith("LocMemCache"):
            # Sessions, the signed-in member's row and the unread badges are cached and dropped
            # on every write: with a cache per process, a write in one would not reach the others
            # (a password change would not sign out the member's other sessions there).
            raise CommandError(
                "Several worker processes need a cache they share: set REDIS_URL (or serve with --workers 1)."
            )
        self._check_static_files()
        worker = None
        if not options["no_task_worker"]:
            if database_queue_configured():
                worker = TaskWorkerThread()
                worker.start()
                self.stdout.write("Background tasks: a worker thread drains the database queue.")
            else:
                self.stdout.write("Background tasks: run inline (CARNET_TASKS=immediate).")
        url = f"http://{options['host']}:{options['port']}"
        self.stdout.write(self.style.SUCCESS(f"Carnet is serving {url}/  (Ctrl+C to stop)"))
        self.stdout.flush()
        config = uvicorn.Config(
            "carnet.asgi:application",
            host=options["host"],
            port=options["port"],
            workers=options["workers"],
            lifespan="off",
            access_log=not options["no_access_log"],
            # Behind a reverse proxy on the same host, trust its X-Forwarded-* headers
            # (FORWARDED_ALLOW_IPS widens the list, as uvicorn documents).
            proxy_headers=True,
            server_header=False,
        )
        try:
            if options["workers"] > 1:
                from uvicorn.supervisors import Multiprocess

                sock = config.bind_socket()
                Multiprocess(config, sockets=[sock]).run()
            else:
                uvicorn.Server(config).run()
        except KeyboardInterrupt:
            pass
        finally:
            if worker is not None:
                worker.stop()

    def _check_static_files(self) -> None:
        """The manifest storage needs `collectstatic`; do it rather than serve pages that 500."""
        backend = settings.STORAGES["staticfiles"]["BACKEND"]
        if "Manifest" not in backend:
            return
        manifest = settings.STATIC_ROOT / "staticfiles.json"
        if not manifest.exists():
            from django.core.management import call_command

            self.stdout.write(f"Collecting static files into {settings.STATIC_ROOT} (first start)...")
            call_command("collectstatic", interactive=False, verbosity=0)
