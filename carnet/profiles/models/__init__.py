"""Profile models, one module per concern, re-exported here."""

from carnet.profiles.models.activity import HistoryEntry, HistoryKind, ProfileVisit, SlugHistory, UpdateReminder
from carnet.profiles.models.documents import Document, DocumentKind
from carnet.profiles.models.profile import BrowsingMode, Profile
from carnet.profiles.models.sections import (
    Certification,
    Education,
    EmploymentType,
    Language,
    LanguageProficiency,
    Position,
    ProfileSkill,
    Project,
    Publication,
    Skill,
    Volunteering,
    normalize_skill,
)

__all__ = [
    "BrowsingMode",
    "Certification",
    "Document",
    "DocumentKind",
    "Education",
    "EmploymentType",
    "HistoryEntry",
    "HistoryKind",
    "Language",
    "LanguageProficiency",
    "Position",
    "Profile",
    "ProfileSkill",
    "ProfileVisit",
    "Project",
    "Publication",
    "Skill",
    "SlugHistory",
    "UpdateReminder",
    "Volunteering",
    "normalize_skill",
]
