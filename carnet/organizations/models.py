"""Companies and schools: pages that positions and education link members to."""

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from carnet.core.models import TimeStampedModel


class OrganizationKind(models.TextChoices):
    COMPANY = "company", _("Company")
    SCHOOL = "school", _("School")


class Organization(TimeStampedModel):
    kind = models.CharField(_("kind"), max_length=10, choices=OrganizationKind.choices, db_index=True)
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("address"), max_length=120, unique=True)
    industry = models.CharField(_("industry"), max_length=120, blank=True)
    location = models.CharField(_("location"), max_length=200, blank=True)
    website = models.URLField(_("website"), blank=True)
    description = models.TextField(_("description"), blank=True)
    logo = models.ImageField(_("logo"), upload_to="organizations/", blank=True)

    class Meta:
        ordering = ["name"]
        indexes = [models.Index(fields=["kind", "name"])]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        prefix = "organizations:school" if self.kind == OrganizationKind.SCHOOL else "organizations:company"
        return reverse(prefix, kwargs={"slug": self.slug})
