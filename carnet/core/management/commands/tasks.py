"""carnet tasks list | retry: look at the background task queue and retry failed tasks."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.utils.module_loading import import_string


def _later_attempt(result):
    """A result enqueued after `result` for the same task and arguments: it was retried."""
    from django_tasks_db.models import DBTaskResult

    return (
        DBTaskResult.objects.filter(
            task_path=result.task_path, args_kwargs=result.args_kwargs, enqueued_at__gt=result.enqueued_at
        )
        .order_by("enqueued_at")
        .first()
    )


def task_retry(result):
    """Enqueue `result`'s task again with the same arguments, queue and priority; the failed
    result stays as history. Returns the new result."""
    task = import_string(result.task_path)
    task = task.using(priority=result.priority, queue_name=result.queue_name, backend=result.backend_name)
    return task.enqueue(*result.args_kwargs.get("args", []), **result.args_kwargs.get("kwargs", {}))


class Command(BaseCommand):
    help = "Background tasks: `tasks list [--failed]`, `tasks retry ID [--force]`, `tasks retry --all-failed`."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True, metavar="{list,retry}")
        listing = actions.add_parser("list", help="recent tasks, newest first")
        listing.add_argument("--failed", action="store_true", help="only failed tasks")
        listing.add_argument("--limit", type=int, default=50, help="at most this many (50)")
        retry = actions.add_parser("retry", help="enqueue a failed task again with the same arguments")
        retry.add_argument("id", nargs="?", help="the id of the failed task (see `tasks list --failed`)")
        retry.add_argument("--all-failed", action="store_true", help="every failed task not retried yet")
        retry.add_argument("--force", action="store_true", help="retry even if it was retried already")

    def handle(self, *args, **options):
        if options["action"] == "list":
            return self.list(failed=options["failed"], limit=options["limit"])
        return self.retry(task_id=options["id"], all_failed=options["all_failed"], force=options["force"])

    def list(self, *, failed: bool, limit: int) -> None:
        from django_tasks_db.models import DBTaskResult

        results = DBTaskResult.objects.order_by("-enqueued_at")
        if failed:
            results = results.failed()
        results = list(results[:limit])
        if not results:
            self.stdout.write("No failed tasks." if failed else "No tasks.")
            return
        for result in results:
            when = (result.finished_at or result.enqueued_at).strftime("%Y-%m-%d %H:%M:%S")
            line = f"{result.id}  {result.status:<10}  {when}  {result.task_name}"
            if result.status == "FAILED":
                error = result.exception_class_path.rsplit(".", 1)[-1]
                retried = _later_attempt(result)
                line += f"  {error}" + (f"  (retried as {retried.id})" if retried else "")
            self.stdout.write(line)

    def retry(self, *, task_id: str | None, all_failed: bool, force: bool) -> None:
        from django.core.exceptions import ValidationError
        from django_tasks_db.models import DBTaskResult

        if bool(task_id) == all_failed:
            raise CommandError("Give either a task id or --all-failed.")
        if all_failed:
            results = [r for r in DBTaskResult.objects.failed().order_by("enqueued_at") if not _later_attempt(r)]
            if not results:
                self.stdout.write("No failed task to retry.")
        else:
            try:
                result = DBTaskResult.objects.filter(pk=task_id).first()
            except ValidationError:
                result = None
            if result is None:
                raise CommandError(f"No task with id {task_id}.")
            if result.status != "FAILED":
                raise CommandError(f"Task {task_id} is {result.status.lower()}, not failed: nothing to retry.")
            retried = _later_attempt(result)
            if retried and not force:
                raise CommandError(f"Task {task_id} was retried already as {retried.id} (--force to retry again).")
            results = [result]
        for result in results:
            try:
                new = task_retry(result)
            except ImportError as exc:
                raise CommandError(f"Task {result.id}: {result.task_path} no longer exists ({exc}).") from exc
            self.stdout.write(f"Retried {result.task_name} ({result.id}) as {new.id}.")
