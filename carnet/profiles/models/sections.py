"""The sections of a profile: experience, education, skills, languages, certifications,
volunteering, projects, publications."""

from __future__ import annotations

import unicodedata

from django.db import models
from django.utils.translation import gettext_lazy as _

from carnet.core.models import TimeStampedModel


class EmploymentType(models.TextChoices):
    FULL_TIME = "full_time", _("Full-time")
    PART_TIME = "part_time", _("Part-time")
    SELF_EMPLOYED = "self_employed", _("Self-employed")
    FREELANCE = "freelance", _("Freelance")
    CONTRACT = "contract", _("Contract")
    INTERNSHIP = "internship", _("Internship")
    APPRENTICESHIP = "apprenticeship", _("Apprenticeship")
    SEASONAL = "seasonal", _("Seasonal")


class Position(TimeStampedModel):
    profile = models.ForeignKey("profiles.Profile", on_delete=models.CASCADE, related_name="positions")
    organization = models.ForeignKey(
        "organizations.Organization", on_delete=models.SET_NULL, null=True, blank=True, related_name="positions"
    )
    company_name = models.CharField(_("company"), max_length=200, blank=True)
    title = models.CharField(_("title"), max_length=200)
    employment_type = models.CharField(_("employment type"), max_length=20, choices=EmploymentType.choices, blank=True)
    location = models.CharField(_("location"), max_length=200, blank=True)
    start_date = models.DateField(_("start"))
    end_date = models.DateField(_("end"), null=True, blank=True)
    is_current = models.BooleanField(_("I currently work here"), default=False)
    description = models.TextField(_("description"), blank=True, max_length=2000)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["order", "-start_date"]
        indexes = [models.Index(fields=["organization", "start_date"])]

    def __str__(self):
        return f"{self.title} @ {self.employer_name}"

    @property
    def employer_name(self) -> str:
        return self.organization.name if self.organization_id else self.company_name


class Education(TimeStampedModel):
    profile = models.ForeignKey("profiles.Profile", on_delete=models.CASCADE, related_name="education")
    organization = models.ForeignKey(
        "organizations.Organization", on_delete=models.SET_NULL, null=True, blank=True, related_name="alumni"
    )
    school_name = models.CharField(_("school"), max_length=200, blank=True)
    degree = models.CharField(_("degree"), max_length=200, blank=True)
    field_of_study = models.CharField(_("field of study"), max_length=200, blank=True)
    start_year = models.PositiveSmallIntegerField(_("start year"), null=True, blank=True)
    end_year = models.PositiveSmallIntegerField(_("end year"), null=True, blank=True)
    activities = models.TextField(_("activities"), blank=True, max_length=2000)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["order", "-end_year"]
        verbose_name_plural = _("education")
        indexes = [models.Index(fields=["organization", "end_year"])]

    def __str__(self):
        return f"{self.degree} @ {self.institution_name}"

    @property
    def institution_name(self) -> str:
        return self.organization.name if self.organization_id else self.school_name


def normalize_skill(name: str) -> str:
    """Case- and accent-insensitive key of a skill: 'Gestion de Projet' == 'gestion de projet'."""
    decomposed = unicodedata.normalize("NFKD", name.strip().casefold())
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).split())


class Skill(models.Model):
    """One catalogue of skills shared by every member, deduplicated by normalized name."""

    name = models.CharField(_("name"), max_length=100)
    normalized = models.CharField(max_length=100, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.normalized = normalize_skill(self.name)
        super().save(*args, **kwargs)


class ProfileSkill(models.Model):
    profile = models.ForeignKey("profiles.Profile", on_delete=models.CASCADE, related_name="skills")
    skill = models.ForeignKey(Skill, on_delete=models.CASCADE, related_name="holders")
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["order", "id"]
        constraints = [models.UniqueConstraint(fields=["profile", "skill"], name="unique_profile_skill")]

    def __str__(self):
        return f"{self.profile_id}: {self.skill_id}"


class LanguageProficiency(models.TextChoices):
    ELEMENTARY = "elementary", _("Elementary proficiency")
    LIMITED = "limited", _("Limited working proficiency")
    PROFESSIONAL = "professional", _("Professional working proficiency")
    FULL = "full", _("Full professional proficiency")
    NATIVE = "native", _("Native or bilingual proficiency")


class Language(models.Model):
    profile = models.ForeignKey("profiles.Profile", on_delete=models.CASCADE, related_name="languages")
    name = models.CharField(_("language"), max_length=80)
    proficiency = models.CharField(_("proficiency"), max_length=20, choices=LanguageProficiency.choices, blank=True)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["order", "id"]

    def __str__(self):
        return self.name


class Certification(TimeStampedModel):
    profile = models.ForeignKey("profiles.Profile", on_delete=models.CASCADE, related_name="certifications")
    name = models.CharField(_("name"), max_length=200)
    authority = models.CharField(_("issuing organization"), max_length=200, blank=True)
    organization = models.ForeignKey(
        "organizations.Organization", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    issued = models.DateField(_("issue date"), null=True, blank=True)
    expires = models.DateField(_("expiration date"), null=True, blank=True)
    credential_id = models.CharField(_("credential ID"), max_length=120, blank=True)
    url = models.URLField(_("credential URL"), blank=True)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["order", "-issued"]

    def __str__(self):
        return self.name


class Volunteering(TimeStampedModel):
    profile = models.ForeignKey("profiles.Profile", on_delete=models.CASCADE, related_name="volunteering")
    organization_name = models.CharField(_("organization"), max_length=200)
    role = models.CharField(_("role"), max_length=200)
    cause = models.CharField(_("cause"), max_length=120, blank=True)
    start_date = models.DateField(_("start"), null=True, blank=True)
    end_date = models.DateField(_("end"), null=True, blank=True)
    description = models.TextField(_("description"), blank=True, max_length=2000)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["order", "-start_date"]
        verbose_name_plural = _("volunteering")

    def __str__(self):
        return f"{self.role} @ {self.organization_name}"


class Project(TimeStampedModel):
    profile = models.ForeignKey("profiles.Profile", on_delete=models.CASCADE, related_name="projects")
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True, max_length=2000)
    url = models.URLField(_("URL"), blank=True)
    start_date = models.DateField(_("start"), null=True, blank=True)
    end_date = models.DateField(_("end"), null=True, blank=True)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["order", "-start_date"]

    def __str__(self):
        return self.name


class Publication(TimeStampedModel):
    profile = models.ForeignKey("profiles.Profile", on_delete=models.CASCADE, related_name="publications")
    title = models.CharField(_("title"), max_length=300)
    publisher = models.CharField(_("publisher"), max_length=200, blank=True)
    date = models.DateField(_("publication date"), null=True, blank=True)
    url = models.URLField(_("URL"), blank=True)
    description = models.TextField(_("description"), blank=True, max_length=2000)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["order", "-date"]

    def __str__(self):
        return self.title
