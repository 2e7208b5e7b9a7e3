"""The list sections of a profile (positions, education, languages...) described once, so
that the page, the inline editors, the services and the API treat them alike."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _

from carnet.profiles.models import (
    Certification,
    Education,
    Language,
    Position,
    ProfileSkill,
    Project,
    Publication,
    Volunteering,
)


@dataclass(frozen=True)
class SectionSpec:
    key: str  # URL segment, related name on Profile and ProfileView attribute
    model: type[models.Model]
    # The keys of core.visibility.PROFILE_FIELD_DEFAULTS that govern the section.
    fields: tuple[str, ...]
    title: str
    add_label: str
    empty_label: str
    limit: int
    # Dated sections put a new item first (the newest job on top); the others append.
    new_at_top: bool = True


SECTIONS: dict[str, SectionSpec] = {
    spec.key: spec
    for spec in (
        SectionSpec(
            "positions",
            Position,
            ("current_position", "positions"),
            _("Experience"),
            _("Add a position"),
            _("Add the jobs you held: it is what people look at first."),
            limit=100,
        ),
        SectionSpec(
            "education",
            Education,
            ("education",),
            _("Education"),
            _("Add education"),
            _("Add the schools you went to."),
            limit=50,
        ),
        SectionSpec(
            "languages",
            Language,
            ("languages",),
            _("Languages"),
            _("Add a language"),
            _("Which languages do you speak?"),
            limit=30,
            new_at_top=False,
        ),
        SectionSpec(
            "certifications",
            Certification,
            ("certifications",),
            _("Licences and certifications"),
            _("Add a certification"),
            _("Add the certifications you hold."),
            limit=100,
        ),
        SectionSpec(
            "projects",
            Project,
            ("projects",),
            _("Projects"),
            _("Add a project"),
            _("Show what you built."),
            limit=100,
        ),
        SectionSpec(
            "volunteering",
            Volunteering,
            ("volunteering",),
            _("Volunteering"),
            _("Add volunteering"),
            _("Add the causes you give time to."),
            limit=50,
        ),
        SectionSpec(
            "publications",
            Publication,
            ("publications",),
            _("Publications"),
            _("Add a publication"),
            _("Add what you published."),
            limit=200,
        ),
    )
}

# Skills are a section too (the catalogue makes their editor different).
MAX_SKILLS = 50
SKILLS = SectionSpec(
    "skills",
    ProfileSkill,
    ("skills",),
    _("Skills"),
    _("Add a skill"),
    _("Add the skills you are known for, from the shared catalogue."),
    limit=MAX_SKILLS,
    new_at_top=False,
)

# Every reorderable section, by key.
REORDERABLE: dict[str, SectionSpec] = {**SECTIONS, "skills": SKILLS}

MAX_WEBSITES = 5
