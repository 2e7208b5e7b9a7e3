"""A member's profile: the public side of the account."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from carnet.core.models import TimeStampedModel


class BrowsingMode(models.TextChoices):
    """How a member appears in others' "who viewed my profile"."""

    NAMED = "named", _("My name and headline")
    SEMI_PRIVATE = "semi_private", _('Private profile characteristics ("someone at <company>")')
    PRIVATE = "private", _("Private mode (anonymous)")


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
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    # [{"url": "...", "label": "Portfolio"}, ...]
    websites = models.JSONField(_("websites"), default=list, blank=True)
    open_to_work = models.BooleanField(_("open to work"), default=False)
    browsing_mode = models.CharField(
        _("profile viewing mode"), max_length=20, choices=BrowsingMode.choices, default=BrowsingMode.NAMED
    )
    update_reminders = models.BooleanField(_("remind me to keep my profile up to date"), default=True)
    # When the profile last changed meaningfully (see profile history); drives the reminder.
    last_meaningful_update = models.DateTimeField(null=True, blank=True)
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
