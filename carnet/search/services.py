"""Writes to the search index: members' documents, one at a time or all at once.

Called by the index tasks (tasks.py), which the model signals queue after each commit
(signals.py), by `carnet search reindex`, and after `carnet seed` (the SEEDED signal).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.db import transaction
from django.utils import timezone

from carnet.search.documents import document_fields
from carnet.search.engines import get_engine

REINDEX_JOB_KIND = "search_reindex"
BATCH_SIZE = 1000


def _profiles(member_ids: list[int]):
    """The profiles with the sections a document reads. The sections it never reads are
    prefetched empty (no query), so that the projection does not fetch them one by one."""
    from django.db.models import Prefetch

    from carnet.profiles.models import Certification, Language, Project, Publication, Volunteering
    from carnet.profiles.selectors import profile_queryset

    unused = {
        "languages": Language,
        "certifications": Certification,
        "volunteering": Volunteering,
        "projects": Project,
        "publications": Publication,
    }
    kept = [p for p in profile_queryset()._prefetch_related_lookups if getattr(p, "prefetch_to", p) not in unused]
    return (
        profile_queryset()
        .prefetch_related(None)
        .prefetch_related(*kept, *(Prefetch(name, queryset=model.objects.none()) for name, model in unused.items()))
        .filter(pk__in=member_ids, user__is_active=True)
    )


def index_members(*, member_ids: Iterable[int]) -> int:
    """Rebuild the documents of these members from the database; forget those who are gone
    (deleted, deactivated). Returns how many documents were written."""
    member_ids = sorted({int(m) for m in member_ids})
    if not member_ids:
        return 0
    engine = get_engine()
    with transaction.atomic():
        documents = {profile.pk: document_fields(profile) for profile in _profiles(member_ids)}
        engine.index(documents)
        engine.delete(set(member_ids) - set(documents))
    return len(documents)


def forget_members(*, member_ids: Iterable[int]) -> None:
    """Take members out of the index now (their document is rebuilt by the next index_members)."""
    get_engine().delete(member_ids)


def reindex_all(*, progress: Callable[[int], object] | None = None, batch_size: int = BATCH_SIZE) -> dict:
    """Rebuild every member's document, in batches of one transaction each (searches keep
    answering meanwhile), followed by a core.Job of kind "search_reindex". `progress(n)` is
    called with the number of members done by each batch. Returns the report."""
    from carnet.core.models import Job, JobStatus
    from carnet.profiles.models import Profile
    from carnet.search.models import SearchDocument

    started = timezone.now()
    member_ids = list(Profile.objects.filter(user__is_active=True).order_by("pk").values_list("pk", flat=True))
    job = Job.objects.create(kind=REINDEX_JOB_KIND, status=JobStatus.RUNNING, total=len(member_ids))
    written = 0
    try:
        for start in range(0, len(member_ids), batch_size):
            batch = member_ids[start : start + batch_size]
            written += index_members(member_ids=batch)
            job.done = start + len(batch)
            job.save(update_fields=["done"])
            if progress:
                progress(len(batch))
        SearchDocument.objects.exclude(member__is_active=True).delete()
    except Exception as exc:
        job.status, job.message, job.finished = JobStatus.FAILED, str(exc)[:500], timezone.now()
        job.save(update_fields=["status", "message", "finished"])
        raise
    seconds = round((timezone.now() - started).total_seconds(), 1)
    report = {"members": len(member_ids), "documents": written, "seconds": seconds, "engine": get_engine().name}
    job.status, job.report, job.finished = JobStatus.DONE, report, timezone.now()
    job.save(update_fields=["status", "report", "finished"])
    return report
