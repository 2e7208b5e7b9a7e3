"""Synthetic networks for demos, tests and benchmarks (`carnet seed`)."""

from __future__ import annotations

from carnet.core.seed.network import (
    DEMO_EMAIL,
    DEMO_FRIEND_EMAIL,
    SEED_JOB_KIND,
    SEEDED,
    SeedError,
    companies_count,
    schools_count,
    seed_network,
)

__all__ = [
    "DEMO_EMAIL",
    "DEMO_FRIEND_EMAIL",
    "SEEDED",
    "SEED_JOB_KIND",
    "SeedError",
    "companies_count",
    "schools_count",
    "seed_network",
    "seeded_network",
]


def seeded_network(*, demo: bool = False) -> dict | None:
    """The report of the last completed `carnet seed` in this database (members, seed, as_of, ...),
    or None when nothing was seeded."""
    from carnet.core.models import Job, JobStatus

    for job in Job.objects.filter(kind=SEED_JOB_KIND, status=JobStatus.DONE).order_by("-created", "-id"):
        if bool(job.report.get("demo")) == demo:
            return job.report
    return None
