"""Synthetic networks for demos, tests and benchmarks (`carnet seed`)."""

from __future__ import annotations

SEED_JOB_KIND = "seed"


def seeded_network(*, demo: bool = False) -> dict | None:
    """The report of the last completed `carnet seed` in this database (members, seed, as_of, ...),
    or None when nothing was seeded."""
    from carnet.core.models import Job, JobStatus

    for job in Job.objects.filter(kind=SEED_JOB_KIND, status=JobStatus.DONE).order_by("-created", "-id"):
        if bool(job.report.get("demo")) == demo:
            return job.report
    return None
