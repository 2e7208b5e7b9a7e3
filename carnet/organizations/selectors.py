"""Reads of companies and schools."""

from __future__ import annotations

from django.contrib.auth import get_user_model

from carnet.organizations.models import Organization, OrganizationKind


def organization_get(*, slug: str, kind: str) -> Organization | None:
    return Organization.objects.filter(slug=slug, kind=kind).first()


def organization_members(*, organization: Organization, current_only: bool = True, limit: int = 24):
    """Members who work (or studied) there, with their profiles, for the page's people block."""
    users = get_user_model().objects.select_related("profile")
    if organization.kind == OrganizationKind.SCHOOL:
        users = users.filter(profile__education__organization=organization)
    else:
        users = users.filter(profile__positions__organization=organization)
        if current_only:
            users = users.filter(profile__positions__end_date__isnull=True)
    return users.distinct().order_by("id")[:limit]
