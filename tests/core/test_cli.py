"""The `carnet` command: member add, tasks list/retry, worker, serve (with its task thread)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django_tasks import task

from carnet.accounts.models import User
from carnet.cli import main

PROJECT_DIR = Path(__file__).resolve().parents[2]
DB_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
CALLS: list[int] = []


@task()
def flaky_double(*, number: int) -> int:
    """Fails while CALLS is empty, then succeeds: a task worth retrying."""
    if not CALLS:
        raise RuntimeError("the mail server is down")
    CALLS.append(number)
    return number * 2


@task()
def double(*, number: int) -> int:
    return number * 2


def run(*args: str) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


# -- carnet member add ---------------------------------------------------------------------


@pytest.mark.django_db
def test_member_add_creates_a_verified_member_with_an_empty_profile():
    from allauth.account.models import EmailAddress

    output = run("member", "add", "Zoe.Martin@Example.org", "--name", "Zoé  de la Tour", "--password", "pl4in-Sailing")

    user = User.objects.get(email="zoe.martin@example.org")
    assert (user.first_name, user.last_name) == ("Zoé", "de la Tour")
    assert user.check_password("pl4in-Sailing")
    assert EmailAddress.objects.get(user=user).verified
    assert user.profile.slug == "zoe-de-la-tour" and user.profile.headline == ""
    assert "/in/zoe-de-la-tour/" in output


@pytest.mark.django_db
def test_member_add_without_password_explains_how_to_sign_in():
    output = run("member", "add", "sam@example.org", "--name", "Sam")

    user = User.objects.get(email="sam@example.org")
    assert not user.has_usable_password()
    assert "No password set" in output and "/accounts/password/reset/" in output


@pytest.mark.django_db
def test_member_add_refuses_an_existing_email(alice):
    with pytest.raises(CommandError, match="already exists"):
        run("member", "add", "ALICE@example.org", "--name", "Alice Again")
    assert User.objects.filter(email__iexact="alice@example.org").count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("email", "password", "message"),
    [("not-an-email", None, "not a valid e-mail"), ("weak@example.org", "123", "Password refused")],
)
def test_member_add_refuses_bad_input(email, password, message):
    args = ["member", "add", email, "--name", "Weak Input"] + (["--password", password] if password else [])
    with pytest.raises(CommandError, match=message):
        run(*args)
    assert not User.objects.filter(email=email).exists()


# -- carnet tasks list / retry, carnet worker ----------------------------------------------------


@pytest.fixture
def queue(settings):
    settings.TASKS = DB_QUEUE
    CALLS.clear()
    yield
    CALLS.clear()


@pytest.mark.django_db(transaction=True)
def test_failed_task_is_listed_and_retried_with_the_same_arguments(queue):
    from django_tasks_db.models import DBTaskResult

    failed_id = flaky_double.enqueue(number=21).id
    call_command("worker", batch=True, startup_delay=False, verbosity=0)
    assert DBTaskResult.objects.get(pk=failed_id).status == "FAILED"

    listing = run("tasks", "list", "--failed")
    assert failed_id in listing and "RuntimeError" in listing

    CALLS.append(0)  # the mail server is back
    output = run("tasks", "retry", failed_id)
    assert f"({failed_id}) as" in output
    # (the worker also queued the nightly tasks: look at this task's rows only)
    retried = DBTaskResult.objects.filter(task_path=flaky_double.module_path).exclude(pk=failed_id).get()
    assert retried.status == "READY" and retried.args_kwargs == {"args": [], "kwargs": {"number": 21}}
    assert retried.task_path == DBTaskResult.objects.get(pk=failed_id).task_path

    call_command("worker", batch=True, startup_delay=False, verbosity=0)
    retried.refresh_from_db()
    assert retried.status == "SUCCESSFUL" and retried.return_value == 42
    # The failure stays as history, marked as retried; retrying again needs --force.
    assert f"retried as {retried.id}" in run("tasks", "list", "--failed")
    with pytest.raises(CommandError, match="retried already"):
        run("tasks", "retry", failed_id)
    assert "No failed task to retry" in run("tasks", "retry", "--all-failed")


@pytest.mark.django_db(transaction=True)
def test_retry_all_failed_enqueues_each_failed_task_once(queue):
    from django_tasks_db.models import DBTaskResult

    for number in (1, 2, 3):
        flaky_double.enqueue(number=number)
    call_command("worker", batch=True, startup_delay=False, verbosity=0)
    assert DBTaskResult.objects.failed().count() == 3

    output = run("tasks", "retry", "--all-failed")
    assert output.count("Retried") == 3
    ready = DBTaskResult.objects.filter(status="READY", task_path=flaky_double.module_path)
    assert sorted(r.args_kwargs["kwargs"]["number"] for r in ready) == [1, 2, 3]
    assert "No failed task to retry" in run("tasks", "retry", "--all-failed")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["tasks", "retry"], "either a task id or --all-failed"),
        (["tasks", "retry", "00000000-0000-0000-0000-000000000000"], "No task with id"),
        (["tasks", "retry", "nonsense"], "No task with id"),
    ],
)
def test_tasks_retry_explains_bad_input(queue, args, message):
    with pytest.raises(CommandError, match=message):
        run(*args)


@pytest.mark.django_db
def test_tasks_list_when_empty(queue):
    assert "No tasks." in run("tasks", "list")
    assert "No failed tasks." in run("tasks", "list", "--failed")


@pytest.mark.django_db
def test_worker_refuses_to_start_without_a_queue(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    with pytest.raises(CommandError, match="no queue"):
        call_command("worker", batch=True)


@pytest.mark.django_db(transaction=True)
def test_serve_task_thread_drains_the_queue(queue):
    from django_tasks_db.models import DBTaskResult

    from carnet.core.management.commands.serve import TaskWorkerThread

    result_id = double.enqueue(number=5).id
    thread = TaskWorkerThread(interval=0.1)
    thread.start()
    try:
        deadline = time.monotonic() + 20
        while DBTaskResult.objects.get(pk=result_id).status != "SUCCESSFUL" and time.monotonic() < deadline:
            time.sleep(0.1)
    finally:
        thread.stop()
    assert DBTaskResult.objects.get(pk=result_id).return_value == 10
    assert not thread.is_alive()


def test_serve_refuses_several_workers_without_a_shared_cache(settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    with pytest.raises(CommandError, match="Several worker processes need a cache they share: set REDIS_URL"):
        call_command("serve", workers=2, no_task_worker=True)


# -- the console script and `carnet serve` ---------------------------------------------------


def test_console_script_wraps_django_management(capsys):
    main(["help", "seed"])
    assert "--members" in capsys.readouterr().out


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_carnet_serve_serves_the_production_asgi_app(tmp_path):
    """The real thing: `carnet serve` in a subprocess (uvicorn, static files collected on first
    start, WhiteNoise), on its own SQLite database."""
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL", "PYTEST_VERSION"}}
    env.update(CARNET_DATA_DIR=str(tmp_path), CARNET_TASKS="database", PYTHONUNBUFFERED="1")
    carnet = [sys.executable, "-c", "from carnet.cli import main; main()"]
    subprocess.run([*carnet, "migrate", "-v", "0"], env=env, cwd=PROJECT_DIR, check=True, timeout=300)
    port = _free_port()
    server = subprocess.Popen(
        [*carnet, "serve", "--port", str(port), "--no-access-log"],
        env=env,
        cwd=PROJECT_DIR,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        body = None
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and server.poll() is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5) as response:
                    body = response.read().decode()
                    server_header = response.headers.get("server")
                break
            except OSError:
                time.sleep(0.5)
        assert body is not None, server.stdout.read() if server.poll() is not None else "no answer"
        assert '"status": "ok"' in body
        assert server_header is None  # no "server: uvicorn" banner
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=10) as response:
            page = response.read().decode()
        assert response.status == 200 and "/static/carnet/" in page
        static = page.split('href="/static/', 1)[1].split('"', 1)[0]
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/static/{static}", timeout=10) as response:
            assert response.status == 200
    finally:
        server.terminate()
        output, _ = server.communicate(timeout=30)
    assert "worker thread drains the database queue" in output
    assert (tmp_path / "static" / "staticfiles.json").exists()
