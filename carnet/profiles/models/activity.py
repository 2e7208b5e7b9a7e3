"""What happens to a profile over time: who viewed it, how it evolved, its former slugs."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from carnet.profiles.models.profile import BrowsingMode


class ProfileVisit(models.Model):
    """One viewer's visit to a profile on one day (deduplicated per day; never the owner's own)."""

    profile = models.ForeignKey("profiles.Profile", on_delete=models.CASCADE, related_name="visits")
    viewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    day = models.DateField(db_index=True)
    # The viewer's browsing mode at the time of the visit, and the company shown in
    # semi-private mode, frozen so a later change of mode does not reveal past visits.
    mode = models.CharField(max_length=20, choices=BrowsingMode.choices, default=BrowsingMode.NAMED)
    viewer_company = models.CharField(max_length=200, blank=True)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-day", "-created"]
        constraints = [models.UniqueConstraint(fields=["profile", "viewer", "day"], name="one_visit_per_day")]
        indexes = [models.Index(fields=["profile", "-day"])]

    def __str__(self):
        return f"{self.viewer_id} viewed {self.profile_id} on {self.day}"


class HistoryKind(models.TextChoices):
    NEW_POSITION = "new_position", _("New position")
    PROMOTION = "promotion", _("Promotion")
    NEW_SKILL = "new_skill", _("New skill")
    CERTIFICATION = "certification", _("New certification")
    EDUCATION = "education", _("New education")
    NEW_CV = "new_cv", _("New CV")
    HEADLINE = "headline", _("New headline")


class HistoryEntry(models.Model):
    """A meaningful change to a profile, shown on its timeline under the visibility of the
    field it concerns (`field` is a key of core.visibility.PROFILE_FIELD_DEFAULTS)."""

    profile = models.ForeignKey("profiles.Profile", on_delete=models.CASCADE, related_name="history")
    kind = models.CharField(max_length=30, choices=HistoryKind.choices)
    field = models.CharField(max_length=40)
    summary = models.CharField(max_length=300)
    # For items with an audience of their own (a CV), that audience applies as well.
    item_audience = models.CharField(max_length=20, blank=True)
    # The CV an entry announces: its audience follows the CV's, and the entry goes with it.
    document = models.ForeignKey(
        "profiles.Document", on_delete=models.CASCADE, null=True, blank=True, related_name="history"
    )
    hidden = models.BooleanField(default=False)
    created = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created", "-id"]
        verbose_name_plural = _("history entries")
        indexes = [models.Index(fields=["profile", "-created"])]

    def __str__(self):
        return self.summary


class SlugHistory(models.Model):
    """A former public address of a profile: /in/<old>/ redirects to the current one."""

    slug = models.SlugField(max_length=100, unique=True)
    profile = models.ForeignKey("profiles.Profile", on_delete=models.CASCADE, related_name="former_slugs")
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name_plural = _("slug history")

    def __str__(self):
        return self.slug


class UpdateReminder(models.Model):
    """A "keep your profile up to date" reminder sent to a member (at most one a day, by constraint)."""

    profile = models.ForeignKey("profiles.Profile", on_delete=models.CASCADE, related_name="update_reminders_sent")
    day = models.DateField()
    sent = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-sent"]
        constraints = [models.UniqueConstraint(fields=["profile", "day"], name="one_update_reminder_per_day")]

    def __str__(self):
        return f"reminder to {self.profile_id} on {self.day}"
