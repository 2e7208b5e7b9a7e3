"""Background tasks of the network's relations: expiring introduction requests and erasing
the addresses of non-members kept by contact imports. Both are idempotent; run them
periodically with `carnet relations_cleanup` (cron or a systemd timer, e.g. hourly), or
enqueue them from code. Expired introductions are refused at action time anyway, so a late
run only delays the status shown in lists, never what is allowed."""

from __future__ import annotations

from django_tasks import task


@task()
def introductions_expire_task() -> int:
    from carnet.network.introductions import introductions_expire

    return introductions_expire()


@task()
def contacts_scrub_task() -> int:
    from carnet.network.contacts.importing import contacts_scrub

    return contacts_scrub()
