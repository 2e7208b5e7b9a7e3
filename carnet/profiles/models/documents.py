"""CVs and cover letters a member keeps on their profile, each with its own audience."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from carnet.core.models import TimeStampedModel
from carnet.core.visibility import Audience


class DocumentKind(models.TextChoices):
    CV = "cv", _("CV")
    COVER_LETTER = "cover_letter", _("Cover letter")


def document_path(instance, filename):
    # Never reuse the uploaded name on disk: it is the member's, not ours to trust.
    import uuid

    return f"documents/{instance.profile_id}/{uuid.uuid4().hex}.pdf"


class Document(TimeStampedModel):
    profile = models.ForeignKey("profiles.Profile", on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(_("kind"), max_length=20, choices=DocumentKind.choices)
    name = models.CharField(_("name"), max_length=120)
    # A PDF file, or (cover letters only) a written text.
    file = models.FileField(_("PDF file"), upload_to=document_path, blank=True)
    text = models.TextField(_("text"), blank=True, max_length=10000)
    size = models.PositiveIntegerField(default=0)
    audience = models.CharField(
        _("who can see it"), max_length=20, choices=Audience.choices, default=Audience.CONNECTIONS
    )
    is_default = models.BooleanField(_("default CV"), default=False)

    class Meta:
        ordering = ["kind", "-is_default", "-created"]
        constraints = [
            models.UniqueConstraint(
                fields=["profile"], condition=models.Q(is_default=True, kind="cv"), name="one_default_cv"
            )
        ]

    def __str__(self):
        return self.name
