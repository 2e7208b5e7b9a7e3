"""Reads of the portability features."""

from __future__ import annotations

from carnet.core.models import Job
from carnet.profiles import selectors as profile_selectors
from carnet.profiles.models import Profile
from carnet.profiles.portability import jsonresume, vcard
from carnet.profiles.portability.services import JOB_KIND_LINKEDIN, JOB_KIND_RESUME

IMPORT_KINDS = (JOB_KIND_RESUME, JOB_KIND_LINKEDIN)


def resume_export(*, profile: Profile, viewer) -> dict:
    """`profile` as a JSON Resume document for `viewer`, through the visibility policy: the
    owner's own export is complete, anyone else's holds what they may see."""
    return jsonresume.export(profile_selectors.profile_view(profile, viewer=viewer))


def resume_export_for_member(*, user) -> dict:
    """A member's own complete JSON Resume."""
    profile = profile_selectors.profile_get_by_user(user_id=user.pk)
    return resume_export(profile=profile, viewer=user)


def vcard_get(*, profile: Profile, viewer) -> str | None:
    """The vCard of `profile` as `viewer` may see it; None when the policy shows them no name."""
    view = profile_selectors.profile_view(profile, viewer=viewer)
    if view.name is None:
        return None
    return vcard.vcard_from_view(view)


def job_get(*, owner, job_id: int) -> Job | None:
    """One of `owner`'s jobs; None for anybody else's (whose existence is not revealed)."""
    if owner is None or not owner.is_authenticated:
        return None
    return Job.objects.filter(pk=job_id, owner=owner).first()


def import_jobs(*, owner, limit: int = 5) -> list[Job]:
    """The member's latest imports, newest first."""
    return list(Job.objects.filter(owner=owner, kind__in=IMPORT_KINDS).order_by("-created", "-id")[:limit])
