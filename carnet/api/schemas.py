from __future__ import annotations

from ninja import Schema


class ErrorOut(Schema):
    """Every error body has this shape."""

    error: str
    detail: str | dict | list | None = None


class PositionOut(Schema):
    title: str
    company: str
    company_slug: str | None = None
    location: str = ""
    start: str
    end: str | None = None
    current: bool = False
    description: str = ""


class EducationOut(Schema):
    school: str
    school_slug: str | None = None
    degree: str = ""
    field_of_study: str = ""
    start_year: int | None = None
    end_year: int | None = None


class ProfileOut(Schema):
    slug: str
    url: str
    relation: str
    name: str | None = None
    headline: str | None = None
    photo: str | None = None
    location: str | None = None
    industry: str | None = None
    pronouns: str | None = None
    about: str | None = None
    positions: list[PositionOut] | None = None
    education: list[EducationOut] | None = None
    skills: list[str] | None = None


class MeOut(Schema):
    id: int
    email: str
    name: str
    profile: ProfileOut
