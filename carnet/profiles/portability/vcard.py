"""A member's card as vCard 4.0 (RFC 6350), written with vobject.

It is built from a `ProfileView`, so it holds exactly what the policy lets its viewer see:
a stranger's copy has no e-mail, phone or websites unless the member made their contact
info visible to them.
"""

from __future__ import annotations

import uuid

import vobject
from django.conf import settings
from django.urls import reverse


def _absolute(path: str) -> str:
    if not path or path.startswith(("http://", "https://")):
        return path
    return f"{settings.SITE_URL}{path}"


def vcard_from_view(view) -> str:
    """The vCard 4.0 text of a profile as `view`'s viewer may see it (the name must be visible)."""
    user = view.profile.user
    profile_url = _absolute(view.profile.get_absolute_url())
    card = vobject.vCard()
    card.add("version").value = "4.0"
    card.add("kind").value = "individual"
    # Stable across exports, so an address book updates the contact instead of duplicating it.
    card.add("uid").value = f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, profile_url)}"
    card.add("fn").value = view.name
    card.add("n").value = vobject.vcard.Name(family=user.last_name, given=user.first_name)
    if view.headline:
        card.add("title").value = view.headline
    current = view.current_position
    if current is not None:
        card.add("org").value = [current.employer_name]
        if current.title:
            card.add("role").value = current.title
    if view.location:
        card.add("adr").value = vobject.vcard.Address(city=view.location)
    if view.contact_email:
        email = card.add("email")
        email.value = view.contact_email
        email.type_param = "work"
    if view.phone:
        tel = card.add("tel")
        tel.value = view.phone
        tel.type_param = "work"
    if view.photo_url:
        photo = card.add("photo")
        photo.value = _absolute(view.photo_url)
        photo.value_param = "uri"
    card.add("url").value = profile_url
    for site in view.websites:
        card.add("url").value = site["url"]
    card.add("source").value = _absolute(reverse("profiles:vcard", kwargs={"slug": view.slug}))
    return card.serialize()
