"""Translation helpers."""

from django.utils.functional import lazy


def _interpolate(message, params) -> str:
    return str(message) % params


# `gettext_lazy("At most %(max)s characters.") % {...}` at import time would fix the text in
# the language active then (English); this keeps both the translation and the `%` lazy:
#     help_text=interpolate_lazy(_("At most %(max)s characters."), {"max": 300})
interpolate_lazy = lazy(_interpolate, str)
