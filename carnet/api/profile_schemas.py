"""Profile schemas and payloads of the API.

Only a ProfileView goes in: the policy has already removed what the viewer may not see, and
a hidden field or section is null. Section items use the same names when read and when
written (`start`, `company`...), so a client can PATCH back what it GETs. This module
imports nothing else from carnet.api, so schemas.py and serializers.py can re-export it.
"""

from __future__ import annotations

from ninja import Field, Schema

from carnet.core.visibility import Relation
from carnet.profiles.selectors import ProfileStrength, ProfileView


class PositionOut(Schema):
    id: int
    title: str
    company: str
    company_slug: str | None = None
    employment_type: str = ""
    location: str = ""
    start: str
    end: str | None = None
    current: bool = False
    description: str = ""


class EducationOut(Schema):
    id: int
    school: str
    school_slug: str | None = None
    degree: str = ""
    field_of_study: str = ""
    start_year: int | None = None
    end_year: int | None = None
    activities: str = ""


class LanguageOut(Schema):
    id: int
    name: str
    proficiency: str = ""


class CertificationOut(Schema):
    id: int
    name: str
    authority: str = ""
    issued: str | None = None
    expires: str | None = None
    credential_id: str = ""
    url: str = ""


class VolunteeringOut(Schema):
    id: int
    organization: str
    role: str
    cause: str = ""
    start: str | None = None
    end: str | None = None
    description: str = ""


class ProjectOut(Schema):
    id: int
    name: str
    description: str = ""
    url: str = ""
    start: str | None = None
    end: str | None = None


class PublicationOut(Schema):
    id: int
    title: str
    publisher: str = ""
    date: str | None = None
    url: str = ""
    description: str = ""


class SkillOut(Schema):
    id: int
    name: str


class WebsiteOut(Schema):
    url: str
    label: str = ""


class ContactOut(Schema):
    email: str = ""
    phone: str = ""
    websites: list[WebsiteOut] = []


class ProfileOut(Schema):
    slug: str
    url: str
    relation: str
    degree: int | None = None
    name: str | None = None
    headline: str | None = None
    photo: str | None = None
    banner: str | None = None
    location: str | None = None
    industry: str | None = None
    pronouns: str | None = None
    about: str | None = None
    open_to_work: bool | None = None
    contact: ContactOut | None = None
    current_position: PositionOut | None = None
    positions: list[PositionOut] | None = None
    education: list[EducationOut] | None = None
    skills: list[str] | None = None
    languages: list[LanguageOut] | None = None
    certifications: list[CertificationOut] | None = None
    volunteering: list[VolunteeringOut] | None = None
    projects: list[ProjectOut] | None = None
    publications: list[PublicationOut] | None = None


class StrengthStepOut(Schema):
    key: str
    label: str
    points: int


class StrengthOut(Schema):
    percent: int
    level: str
    next_steps: list[StrengthStepOut]
    done: list[str]


class MyProfileOut(ProfileOut):
    """The caller's own profile; `preview` names the audience of a "view as" projection."""

    preview: str | None = None
    strength: StrengthOut | None = None
    visibility: dict[str, str] | None = None


class WebsiteIn(Schema):
    url: str = Field(..., max_length=500)
    label: str = Field("", max_length=60)


class ProfilePatchIn(Schema):
    """PATCH /me/profile: only the fields sent change."""

    first_name: str | None = None
    last_name: str | None = None
    pronouns: str | None = None
    headline: str | None = None
    location: str | None = None
    industry: str | None = None
    open_to_work: bool | None = None
    about: str | None = None
    contact_email: str | None = None
    phone: str | None = None
    websites: list[WebsiteIn] | None = None


class PositionIn(Schema):
    title: str | None = None
    company: str | None = None
    company_slug: str | None = None
    employment_type: str | None = None
    location: str | None = None
    start: str | None = Field(None, description="YYYY-MM")
    end: str | None = Field(None, description="YYYY-MM; null for a current position")
    current: bool | None = None
    description: str | None = None


class EducationIn(Schema):
    school: str | None = None
    school_slug: str | None = None
    degree: str | None = None
    field_of_study: str | None = None
    start_year: int | None = None
    end_year: int | None = None
    activities: str | None = None


class LanguageIn(Schema):
    name: str | None = None
    proficiency: str | None = None


class CertificationIn(Schema):
    name: str | None = None
    authority: str | None = None
    issued: str | None = Field(None, description="YYYY-MM")
    expires: str | None = Field(None, description="YYYY-MM")
    credential_id: str | None = None
    url: str | None = None


class VolunteeringIn(Schema):
    organization: str | None = None
    role: str | None = None
    cause: str | None = None
    start: str | None = Field(None, description="YYYY-MM")
    end: str | None = Field(None, description="YYYY-MM")
    description: str | None = None


class ProjectIn(Schema):
    name: str | None = None
    description: str | None = None
    url: str | None = None
    start: str | None = Field(None, description="YYYY-MM")
    end: str | None = Field(None, description="YYYY-MM")


class PublicationIn(Schema):
    title: str | None = None
    publisher: str | None = None
    date: str | None = Field(None, description="YYYY-MM-DD")
    url: str | None = None
    description: str | None = None


class SkillIn(Schema):
    name: str = Field(..., max_length=200)


class OrderIn(Schema):
    ids: list[int] = Field(..., max_length=500)


def _month(value) -> str | None:
    return value.strftime("%Y-%m") if value else None


def position_payload(p) -> dict:
    return {
        "id": p.pk,
        "title": p.title,
        "company": p.employer_name,
        "company_slug": p.organization.slug if p.organization_id else None,
        "employment_type": p.employment_type,
        "location": p.location,
        "start": _month(p.start_date),
        "end": _month(p.end_date),
        "current": p.is_current or p.end_date is None,
        "description": p.description,
    }


def education_payload(e) -> dict:
    return {
        "id": e.pk,
        "school": e.institution_name,
        "school_slug": e.organization.slug if e.organization_id else None,
        "degree": e.degree,
        "field_of_study": e.field_of_study,
        "start_year": e.start_year,
        "end_year": e.end_year,
        "activities": e.activities,
    }


def language_payload(item) -> dict:
    return {"id": item.pk, "name": item.name, "proficiency": item.proficiency}


def certification_payload(item) -> dict:
    return {
        "id": item.pk,
        "name": item.name,
        "authority": item.authority,
        "issued": _month(item.issued),
        "expires": _month(item.expires),
        "credential_id": item.credential_id,
        "url": item.url,
    }


def volunteering_payload(item) -> dict:
    return {
        "id": item.pk,
        "organization": item.organization_name,
        "role": item.role,
        "cause": item.cause,
        "start": _month(item.start_date),
        "end": _month(item.end_date),
        "description": item.description,
    }


def project_payload(item) -> dict:
    return {
        "id": item.pk,
        "name": item.name,
        "description": item.description,
        "url": item.url,
        "start": _month(item.start_date),
        "end": _month(item.end_date),
    }


def publication_payload(item) -> dict:
    return {
        "id": item.pk,
        "title": item.title,
        "publisher": item.publisher,
        "date": item.date.isoformat() if item.date else None,
        "url": item.url,
        "description": item.description,
    }


def skill_payload(item) -> dict:
    return {"id": item.pk, "name": item.skill.name}


ITEM_PAYLOADS = {
    "positions": position_payload,
    "education": education_payload,
    "languages": language_payload,
    "certifications": certification_payload,
    "volunteering": volunteering_payload,
    "projects": project_payload,
    "publications": publication_payload,
    "skills": skill_payload,
}


def _items(view: ProfileView, section: str, *fields: str) -> list[dict] | None:
    if not any(view.can_see(field) for field in fields or (section,)):
        return None
    return [ITEM_PAYLOADS[section](item) for item in view.section_items(section)]


def member_payload(view: ProfileView, *, request) -> dict:
    """A member as a card (schemas.MemberOut), from their projection for this viewer; the
    full profile (profile_payload) starts with the same fields."""
    return {
        "slug": view.slug,
        "url": request.build_absolute_uri(view.profile.get_absolute_url()),
        "relation": Relation(view.relation).name.lower(),
        "degree": view.degree,
        "name": view.name,
        "headline": view.headline if view.can_see("headline") else None,
        "photo": request.build_absolute_uri(view.photo_url) if view.photo_url else None,
        "location": view.location if view.can_see("location") else None,
    }


def profile_payload(view: ProfileView, *, request) -> dict:
    """A profile as the viewer of `view` may see it; hidden fields and sections are null."""
    shown = view.can_see

    def absolute(url: str) -> str | None:
        return request.build_absolute_uri(url) if url else None

    return {
        **member_payload(view, request=request),
        "banner": absolute(view.banner_url),
        "industry": view.industry if shown("industry") else None,
        "pronouns": view.pronouns if shown("pronouns") else None,
        "about": view.about if shown("about") else None,
        "open_to_work": view.open_to_work if shown("open_to_work") else None,
        "contact": {"email": view.contact_email, "phone": view.phone, "websites": view.websites}
        if shown("contact_info")
        else None,
        "current_position": position_payload(view.current_position) if view.current_position else None,
        "positions": _items(view, "positions", "positions", "current_position"),
        "education": _items(view, "education"),
        "skills": view.skills if shown("skills") else None,
        "languages": _items(view, "languages"),
        "certifications": _items(view, "certifications"),
        "volunteering": _items(view, "volunteering"),
        "projects": _items(view, "projects"),
        "publications": _items(view, "publications"),
    }


def strength_payload(strength: ProfileStrength) -> dict:
    return {
        "percent": strength.percent,
        "level": str(strength.level),
        "next_steps": [{"key": s.key, "label": str(s.label), "points": s.points} for s in strength.next_steps],
        "done": [s.key for s in strength.done],
    }
