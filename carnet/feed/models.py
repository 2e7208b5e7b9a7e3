"""Posts: the updates members share. The full feed (reactions, comments, ranking) comes later."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from carnet.core.models import TimeStampedModel
from carnet.core.visibility import Audience


class Post(TimeStampedModel):
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="posts")
    body = models.TextField(_("text"), max_length=3000)
    audience = models.CharField(_("who can see it"), max_length=20, choices=Audience.choices, default=Audience.PUBLIC)

    class Meta:
        ordering = ["-created", "-id"]
        indexes = [models.Index(fields=["author", "-created"])]

    def __str__(self):
        return self.body[:50]
