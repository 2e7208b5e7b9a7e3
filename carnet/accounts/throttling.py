"""Failed-login throttling (django-axes) across every login form of the site."""

from __future__ import annotations

_CREDENTIAL_KEYS = ("email", "username", "login")


def axes_username(request, credentials=None) -> str | None:
    """The account an attempt targets, whatever form it came through (AXES_USERNAME_CALLABLE).

    allauth authenticates with `email=`, the Django admin with `username=`, and their forms post
    `login` and `username`: axes' single AXES_USERNAME_FORM_FIELD sees only one of them, and
    every other attempt would be counted against a blank username (that is, the IP address only).
    """
    for source in (credentials or {}, getattr(request, "POST", {}) if request is not None else {}):
        for key in _CREDENTIAL_KEYS:
            value = source.get(key)
            if value:
                return str(value).strip().lower()
    return None
