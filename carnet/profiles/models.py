"""A member's professional identity: profile, positions, education, skills."""

from __future__ import annotations

import unicodedata

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from carnet.core.models import TimeStampedModel
from carnet.core.visibility import Audience


class Profile(TimeStampedModel):
    """The public side of a member. Shares its primary key with the account."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, primary_key=True, related_name="profile"
    )
    slug = models.SlugField(_("public address"), max_length=100, unique=True)
    pronouns = models.CharField(_("pronouns"), max_length=40, blank=True)
    headline = models.CharField(_("headline"), max_length=220, blank=True)
    location = models.CharField(_("location"), max_length=200, blank=True)
    industry = models.CharField(_("industry"), max_length=120, blank=True)
    about = models.TextField(_("about"), blank=True, max_length=2600)
    photo = models.ImageField(_("photo"), upload_to="photos/", blank=True)
    banner = models.ImageField(_("banner"), upload_to="banners/", blank=True)
    # Field name -> Audience, for the fields in core.visibility.PROFILE_FIELD_DEFAULTS that
    # the member changed. Absent keys use the default.
    visibility = models.JSONField(_("visibility"), default=dict, blank=True)

    class Meta:
        indexes = [models.Index(fields=["location"])]

    def __str__(self):
        return self.user.display_name

    def get_absolute_url(self):
        return reverse("profiles:detail", kwargs={"slug": self.slug})

    @property
    def name(self) -> str:
        return self.user.display_name


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
    profile = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="positions")
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
    profile = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="education")
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
    profile = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="skills")
    skill = models.ForeignKey(Skill, on_delete=models.CASCADE, related_name="holders")
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["order", "id"]
        constraints = [models.UniqueConstraint(fields=["profile", "skill"], name="unique_profile_skill")]

    def __str__(self):
        return f"{self.profile_id}: {self.skill_id}"


__all__ = ["Audience", "Education", "EmploymentType", "Position", "Profile", "ProfileSkill", "Skill"]
