"""Background tasks of the network's relations: expiring introduction requests and erasing
the addresses of non-members kept by contact imports. Both are idempotent; a worker runs
them every night (`relations_cleanup_daily`, scheduled when a worker starts), and
`carnet relations_cleanup` runs them on demand. Expired introductions are refused at action time anyway, so a late
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


@task()
def relations_cleanup_daily() -> dict:
    """Expire stale introduction requests and scrub old contact addresses, then queue
    tomorrow's run."""
    from carnet.core.schedule import schedule_next_run
    from carnet.network.contacts.importing import contacts_scrub
    from carnet.network.introductions import introductions_expire

    done = {"introductions_expired": introductions_expire(), "contacts_scrubbed": contacts_scrub()}
    schedule_next_run(relations_cleanup_daily)
    return done
