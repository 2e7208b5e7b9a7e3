"""Background tasks of the search index."""

from __future__ import annotations

from django_tasks import task


@task()
def index_members_task(member_ids: list[int]) -> int:
    """Rebuild the search documents of these members (queued after a profile change commits)."""
    from carnet.search.services import index_members

    return index_members(member_ids=member_ids)


@task()
def reindex_all_task() -> dict:
    """Rebuild every search document (queued after `carnet seed`)."""
    from carnet.search.services import reindex_all

    return reindex_all()
