"""Template helpers of the profile page. They read the policy; they never decide anything."""

from django import template

from carnet.core import visibility
from carnet.core.visibility import Audience

register = template.Library()


@register.filter
def audience_label(view, field: str) -> str:
    """The audience the owner chose for `field`, as the owner's edit controls show it."""
    audience = Audience(visibility.field_audience(view.profile.visibility, field))
    return str(visibility.AUDIENCE_SHORT_LABELS[audience])


@register.filter
def field_label(field: str) -> str:
    return str(visibility.PROFILE_FIELD_LABELS.get(field, field))
