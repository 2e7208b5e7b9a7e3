"""What an import wants to write, independent of the file it came from.

The JSON Resume and LinkedIn readers both turn a file into an `ImportPlan`; one writer
(`services.plan_apply`) checks it against the models' rules and writes it in one
transaction. `where` on every item is how the report points back into the file
("work[2]", "Positions.csv line 4").
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field

from carnet.profiles.models import LanguageProficiency


@dataclass
class PositionIn:
    where: str
    company: str
    title: str
    start: datetime.date | None
    end: datetime.date | None = None
    location: str = ""
    description: str = ""


@dataclass
class EducationIn:
    where: str
    school: str
    degree: str = ""
    field_of_study: str = ""
    start_year: int | None = None
    end_year: int | None = None
    activities: str = ""


@dataclass
class LanguageIn:
    where: str
    name: str
    proficiency: str = ""


@dataclass
class CertificationIn:
    where: str
    name: str
    authority: str = ""
    issued: datetime.date | None = None
    expires: datetime.date | None = None
    credential_id: str = ""
    url: str = ""


@dataclass
class VolunteeringIn:
    where: str
    organization_name: str
    role: str
    start: datetime.date | None = None
    end: datetime.date | None = None
    description: str = ""


@dataclass
class ProjectIn:
    where: str
    name: str
    description: str = ""
    url: str = ""
    start: datetime.date | None = None
    end: datetime.date | None = None


@dataclass
class PublicationIn:
    where: str
    title: str
    publisher: str = ""
    date: datetime.date | None = None
    url: str = ""
    description: str = ""


@dataclass
class WebsiteIn:
    where: str
    url: str
    label: str = ""


@dataclass
class ImportPlan:
    # Profile and account fields (first_name, last_name, headline, about, location, industry,
    # contact_email, phone) -> (value, where). Only fields the file gives are present.
    basics: dict[str, tuple[str, str]] = field(default_factory=dict)
    websites: list[WebsiteIn] = field(default_factory=list)
    positions: list[PositionIn] = field(default_factory=list)
    education: list[EducationIn] = field(default_factory=list)
    skills: list[tuple[str, str]] = field(default_factory=list)  # (name, where)
    languages: list[LanguageIn] = field(default_factory=list)
    certifications: list[CertificationIn] = field(default_factory=list)
    volunteering: list[VolunteeringIn] = field(default_factory=list)
    projects: list[ProjectIn] = field(default_factory=list)
    publications: list[PublicationIn] = field(default_factory=list)

    @property
    def size(self) -> int:
        return (
            len(self.basics)
            + len(self.websites)
            + len(self.positions)
            + len(self.education)
            + len(self.skills)
            + len(self.languages)
            + len(self.certifications)
            + len(self.volunteering)
            + len(self.projects)
            + len(self.publications)
        )


# ---------------------------------------------------------------------------------------
# Language levels. JSON Resume's `fluency` is free text ("Native speaker", "Fluent", "C1");
# LinkedIn writes its own five labels. Both map onto Carnet's five levels, which are
# LinkedIn's. Checked in this order: "Full professional" must not stop at "professional",
# nor "Limited working" at "working".
# ---------------------------------------------------------------------------------------
_FLUENCY_WORDS: list[tuple[tuple[str, ...], str]] = [
    (("native", "bilingual", "mother tongue", "langue maternelle", "maternelle", "c2"), LanguageProficiency.NATIVE),
    (
        ("elementary", "beginner", "basic", "notions", "débutant", "debutant", "a1", "a2"),
        LanguageProficiency.ELEMENTARY,
    ),
    (
        ("limited", "intermediate", "conversational", "intermédiaire", "intermediaire", "b1"),
        LanguageProficiency.LIMITED,
    ),
    (("full professional", "fluent", "courant", "c1", "proficient"), LanguageProficiency.FULL),
    (("professional", "working", "advanced", "avancé", "avance", "b2"), LanguageProficiency.PROFESSIONAL),
]

# The words written back on export: LinkedIn's own labels, in English whatever the UI
# language, so that a file exported here reads the same everywhere and imports back.
FLUENCY_EXPORT = {
    LanguageProficiency.ELEMENTARY: "Elementary proficiency",
    LanguageProficiency.LIMITED: "Limited working proficiency",
    LanguageProficiency.PROFESSIONAL: "Professional working proficiency",
    LanguageProficiency.FULL: "Full professional proficiency",
    LanguageProficiency.NATIVE: "Native or bilingual proficiency",
}


def proficiency_from_text(text: str) -> str | None:
    """Carnet's level for a free-text level, or None when the text says nothing we know."""
    words_only = re.sub(r"[^\w]+", " ", text.casefold())
    folded = f" {' '.join(words_only.split())} "
    for words, level in _FLUENCY_WORDS:
        if any(f" {word} " in folded for word in words):
            return level
    return None
