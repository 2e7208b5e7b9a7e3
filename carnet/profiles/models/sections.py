"""The sections of a profile: experience, education, skills, languages, certifications,
volunteering, projects, publications."""

from __future__ import annotations

import unicodedata

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from carnet.core.models import TimeStampedModel

# Dates before this are typos (0219 for 2019), not careers.
EARLIEST_YEAR = 1900


def _year_errors(errors: dict, field: str, value, *, latest: int) -> None:
    """Record an error for `field` when the year of `value` (a date or a year) is out of range."""
    if value is None or field in errors:
        return
    year = value if isinstance(value, int) else value.year
    if not EARLIEST_YEAR <= year <= latest:
        errors[field] = _("Enter a year between %(first)s and %(last)s.") % {"first": EARLIEST_YEAR, "last": latest}


def _order_errors(errors: dict, start, end, *, end_field: str = "end_date") -> None:
    if start is not None and end is not None and end < start and end_field not in errors:
        errors[end_field] = _("The end date must be after the start date.")


def _dated_clean(start, end, *, start_field="start_date", end_field="end_date", latest_offset=1) -> None:
    """The rules every dated item shares: sane years, end after start."""
    errors: dict = {}
    latest = timezone.localdate().year + latest_offset
    _year_errors(errors, start_field, start, latest=latest)
    _year_errors(errors, end_field, end, latest=latest)
    _order_errors(errors, start, end, end_field=end_field)
    if errors:
        raise ValidationError(errors)


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
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True) | models.Q(end_date__gte=models.F("start_date")),
                name="position_ends_after_start",
                violation_error_message=_("The end date must be after the start date."),
            ),
            models.CheckConstraint(
                condition=~models.Q(is_current=True, end_date__isnull=False),
                name="current_position_has_no_end",
                violation_error_message=_("A current position has no end date."),
            ),
        ]

    def __str__(self):
        return f"{self.title} @ {self.employer_name}"

    def clean(self):
        today = timezone.localdate()
        errors: dict = {}
        if not (self.company_name or "").strip() and not self.organization_id:
            errors["company_name"] = _("Name the company (or pick its page).")
        _year_errors(errors, "start_date", self.start_date, latest=today.year + 1)
        _year_errors(errors, "end_date", self.end_date, latest=today.year)
        if self.is_current and self.end_date is not None:
            errors.setdefault(
                "end_date", _('A current position has no end date: clear it or untick "I currently work here".')
            )
        if not self.is_current and self.end_date is not None:
            if self.start_date and self.start_date > today:
                errors.setdefault("start_date", _("A past position cannot start in the future."))
            if self.end_date > today:
                errors.setdefault("end_date", _('The end date is in the future: tick "I currently work here" instead.'))
        _order_errors(errors, self.start_date, self.end_date)
        if errors:
            raise ValidationError(errors)

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
    start_year = models.PositiveSmallIntegerField(
        _("start year"),
        null=True,
        blank=True,
        validators=[MinValueValidator(EARLIEST_YEAR), MaxValueValidator(2100)],
    )
    end_year = models.PositiveSmallIntegerField(
        _("end year (or expected)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(EARLIEST_YEAR), MaxValueValidator(2100)],
    )
    activities = models.TextField(_("activities"), blank=True, max_length=2000)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["order", "-end_year"]
        verbose_name_plural = _("education")
        indexes = [models.Index(fields=["organization", "end_year"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(start_year__isnull=True)
                | models.Q(end_year__isnull=True)
                | models.Q(end_year__gte=models.F("start_year")),
                name="education_ends_after_start",
                violation_error_message=_("The end year must be after the start year."),
            )
        ]

    def __str__(self):
        return f"{self.degree} @ {self.institution_name}"

    def clean(self):
        errors: dict = {}
        if not (self.school_name or "").strip() and not self.organization_id:
            errors["school_name"] = _("Name the school (or pick its page).")
        latest = timezone.localdate().year + 10  # an expected graduation year
        _year_errors(errors, "start_year", self.start_year, latest=latest)
        _year_errors(errors, "end_year", self.end_year, latest=latest)
        _order_errors(errors, self.start_year, self.end_year, end_field="end_year")
        if errors:
            raise ValidationError(errors)

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
        # NFKD can lengthen a name ('ﬁ' -> 'fi'); the service refuses such names, this only
        # keeps a direct save from overflowing the column.
        self.normalized = normalize_skill(self.name)[:100]
        super().save(*args, **kwargs)


class ProfileSkill(models.Model):
    profile = models.ForeignKey("profiles.Profile", on_delete=models.CASCADE, related_name="skills")
    skill = models.ForeignKey(Skill, on_delete=models.CASCADE, related_name="holders")
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["order", "id"]
        constraints = [models.UniqueConstraint(fields=["profile", "skill"], name="unique_profile_skill")]

    def __str__(self):
        # Names the skill in the editor's buttons ("Move “Python” up"); the profile page
        # loads skills with select_related("skill"), so this costs no query there.
        return self.skill.name


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
        constraints = [
            models.UniqueConstraint(
                Lower("name"),
                "profile",
                name="unique_profile_language",
                violation_error_message=_("This language is already on your profile."),
            )
        ]

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

    def clean(self):
        errors: dict = {}
        today = timezone.localdate()
        _year_errors(errors, "issued", self.issued, latest=today.year)
        _year_errors(errors, "expires", self.expires, latest=today.year + 100)
        if self.issued and self.issued > today:
            errors.setdefault("issued", _("The issue date cannot be in the future."))
        if self.issued and self.expires and self.expires < self.issued and "expires" not in errors:
            errors["expires"] = _("The expiration date must be after the issue date.")
        if errors:
            raise ValidationError(errors)


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

    def clean(self):
        _dated_clean(self.start_date, self.end_date)


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

    def clean(self):
        _dated_clean(self.start_date, self.end_date)


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

    def clean(self):
        errors: dict = {}
        _year_errors(errors, "date", self.date, latest=timezone.localdate().year + 1)
        if errors:
            raise ValidationError(errors)
