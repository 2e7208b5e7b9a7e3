"""Background work of the portability features."""

from __future__ import annotations

import logging

from django.conf import settings
from django.utils import translation
from django_tasks import task

from carnet.core.models import Job
from carnet.profiles.portability import services, uploads
from carnet.profiles.portability.report import ImportRefused

log = logging.getLogger(__name__)


@task()
def linkedin_import_run(*, job_id: int, path: str) -> str:
    """Import the LinkedIn archive saved at `path` for the owner of job `job_id`, following
    the job's progress; the archive is deleted afterwards, whatever happens."""
    job = Job.objects.select_related("owner").filter(pk=job_id).first()
    archive_path = uploads.owned_path(path)
    try:
        if job is None or job.owner is None:
            return "no job"
        if archive_path is None:
            services.job_fail(job=job)
            return "no archive"

        def progress(done: int, total: int) -> None:
            services.job_progress(job=job, done=done, total=total + 1)

        services.job_progress(job=job, done=0, total=1)
        try:
            # Messages stored on the job are read by its owner: write them in their language.
            with translation.override(job.owner.language or settings.LANGUAGE_CODE), archive_path.open("rb") as archive:
                report = services.linkedin_import(user=job.owner, archive=archive, progress=progress)
        except ImportRefused as refused:
            services.job_fail(job=job, refused=refused)
            return "refused"
        except Exception:
            log.exception("LinkedIn import %s failed", job_id)
            services.job_fail(job=job)
            raise
        services.job_finish(job=job, report=report)
        return "done"
    finally:
        if archive_path is not None:
            uploads.discard(archive_path)
