"""Turn policy-projected objects into API payloads. Only ProfileView goes in: the policy has
already removed what the viewer may not see; absent fields are null."""

from __future__ import annotations

from carnet.core.visibility import Relation
from carnet.profiles.selectors import ProfileView


def _month(value) -> str | None:
    return value.strftime("%Y-%m") if value else None


def profile_payload(view: ProfileView, *, request) -> dict:
    shown = view.can_see
    return {
        "slug": view.slug,
        "url": request.build_absolute_uri(view.profile.get_absolute_url()),
        "relation": Relation(view.relation).name.lower(),
        "name": view.name,
        "headline": view.headline if shown("headline") else None,
        "photo": request.build_absolute_uri(view.photo_url) if view.photo_url else None,
        "location": view.location if shown("location") else None,
        "industry": view.industry if shown("industry") else None,
        "pronouns": view.pronouns if shown("pronouns") else None,
        "about": view.about if shown("about") else None,
        "positions": [
            {
                "title": p.title,
                "company": p.employer_name,
                "company_slug": p.organization.slug if p.organization_id else None,
                "location": p.location,
                "start": _month(p.start_date),
                "end": _month(p.end_date),
                "current": p.is_current,
                "description": p.description,
            }
            for p in view.positions
        ]
        if shown("positions")
        else None,
        "education": [
            {
                "school": e.institution_name,
                "school_slug": e.organization.slug if e.organization_id else None,
                "degree": e.degree,
                "field_of_study": e.field_of_study,
                "start_year": e.start_year,
                "end_year": e.end_year,
            }
            for e in view.education
        ]
        if shown("education")
        else None,
        "skills": view.skills if shown("skills") else None,
    }
