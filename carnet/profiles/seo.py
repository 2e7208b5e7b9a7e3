"""The public face of a profile for search engines and link previews, and its public address.

Everything here is built from `profile_view(profile, relation=Relation.ANONYMOUS)`: a
crawler, a link preview and the JSON-LD see exactly what an anonymous visitor may see.
"""

from __future__ import annotations

import datetime
import json
import re
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpResponsePermanentRedirect
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from carnet.core.visibility import Relation
from carnet.profiles.models import Profile, SlugHistory

SLUG_RE = re.compile(r"^[a-z0-9](?:[a-z0-9-]{1,98})[a-z0-9]$")
SLUG_MIN, SLUG_MAX = 3, 100
# Addresses that name a page of the site, or that could pass for the site speaking.
RESERVED_SLUGS = frozenset(
    {
        "about", "account", "accounts", "admin", "administrator", "api", "carnet", "company", "contact",
        "edit", "feed", "groups", "help", "home", "in", "jobs", "login", "logout", "me", "media", "messaging",
        "moderator", "network", "new", "notifications", "null", "official", "privacy", "profile", "profiles",
        "robots", "root", "school", "search", "security", "settings", "signin", "signup", "sitemap", "static",
        "staff", "support", "system", "terms", "undefined", "www",
    }
)  # fmt: skip
# LinkedIn's rule of thumb: a public address may change 5 times in 180 days.
SLUG_CHANGES_ALLOWED = 5
SLUG_CHANGES_WINDOW_DAYS = 180


# ---------------------------------------------------------------------------------------
# The public address: /in/<slug>/
# ---------------------------------------------------------------------------------------
def slug_validate(*, slug: str, profile: Profile) -> str:
    """The slug, normalised, if `profile` may take it; ValidationError with the reason otherwise."""
    slug = (slug or "").strip().lower()
    if not SLUG_MIN <= len(slug) <= SLUG_MAX:
        raise ValidationError(
            _("Your public address must have %(min)d to %(max)d characters.") % {"min": SLUG_MIN, "max": SLUG_MAX},
            code="length",
        )
    if not SLUG_RE.match(slug) or "--" in slug:
        raise ValidationError(
            _(
                "Use lowercase letters without accents, digits and single hyphens; "
                "start and end with a letter or a digit."
            ),
            code="invalid",
        )
    if slug in RESERVED_SLUGS:
        raise ValidationError(_("This address is reserved. Choose another one."), code="reserved")
    if Profile.objects.filter(slug=slug).exclude(pk=profile.pk).exists():
        raise ValidationError(_("This address is already taken."), code="taken")
    # A former address keeps redirecting to its member, so nobody else may take it.
    if SlugHistory.objects.filter(slug=slug).exclude(profile=profile).exists():
        raise ValidationError(_("This address is already taken."), code="taken")
    return slug


def profile_slug_change(*, profile: Profile, slug: str) -> Profile:
    """Give the profile a new public address; the old one redirects (301) to it from now on."""
    with transaction.atomic():
        profile = Profile.objects.select_for_update().get(pk=profile.pk)
        slug = slug_validate(slug=slug, profile=profile)
        if slug == profile.slug:
            return profile
        since = timezone.now() - datetime.timedelta(days=SLUG_CHANGES_WINDOW_DAYS)
        if SlugHistory.objects.filter(profile=profile, created__gte=since).count() >= SLUG_CHANGES_ALLOWED:
            raise ValidationError(
                _("You changed your public address %(n)d times recently; try again later.")
                % {"n": SLUG_CHANGES_ALLOWED},
                code="rate_limited",
            )
        # Taking back one's own former address: it is current again, no longer a redirect.
        SlugHistory.objects.filter(profile=profile, slug=slug).delete()
        SlugHistory.objects.create(profile=profile, slug=profile.slug)
        profile.slug = slug
        profile.save(update_fields=["slug", "updated"])
    return profile


def former_slug_redirect(slug: str) -> HttpResponsePermanentRedirect:
    """A 301 to the current address of the profile that used to be at /in/<slug>/; Http404 if none."""
    former = SlugHistory.objects.select_related("profile").filter(slug=slug).first()
    if former is None:
        raise Http404
    return HttpResponsePermanentRedirect(former.profile.get_absolute_url())


# ---------------------------------------------------------------------------------------
# Meta tags, Open Graph and schema.org JSON-LD
# ---------------------------------------------------------------------------------------
def absolute(path: str) -> str:
    """An absolute URL on the instance's canonical origin (SITE_URL), whatever host served the request."""
    return f"{settings.SITE_URL}{path}"


@dataclass
class PageMeta:
    indexable: bool
    canonical: str
    description: str = ""
    open_graph: list[tuple[str, str]] = field(default_factory=list)
    jsonld: SafeString | None = None


def _jsonld_script_body(data: dict) -> SafeString:
    # JSON inside <script>: escape what could close the element or open a comment.
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return mark_safe(text)  # noqa: S308 - JSON with <, > and & escaped above


def _organization_node(name: str, organization, *, school: bool = False) -> dict:
    node = {"@type": "EducationalOrganization" if school else "Organization", "name": name}
    if organization is not None:
        node["url"] = absolute(organization.get_absolute_url())
    return node


def person_jsonld(public) -> dict:
    """schema.org ProfilePage + Person from an anonymous projection (`public`)."""
    url = absolute(public.profile.get_absolute_url())
    person: dict = {"@type": "Person", "name": public.name, "url": url}
    if public.headline:
        person["description"] = public.headline
    if public.photo_url:
        person["image"] = absolute(public.photo_url) if public.photo_url.startswith("/") else public.photo_url
    if public.location:
        person["homeLocation"] = {"@type": "Place", "name": public.location}
    current = public.current_position
    if current is not None:
        person["jobTitle"] = current.title
        if current.employer_name:
            person["worksFor"] = _organization_node(current.employer_name, current.organization)
    schools = [e for e in public.education if e.institution_name]
    if schools:
        person["alumniOf"] = [_organization_node(e.institution_name, e.organization, school=True) for e in schools]
    if public.skills:
        person["knowsAbout"] = list(public.skills)
    return {
        "@context": "https://schema.org",
        "@type": "ProfilePage",
        "url": url,
        "dateModified": public.profile.updated.isoformat(),
        "mainEntity": person,
    }


def _description(public) -> str:
    parts = [part for part in (public.headline, public.location) if part]
    if public.current_position is not None:
        parts.append(f"{public.current_position.title} · {public.current_position.employer_name}".strip(" ·"))
    text = " · ".join(parts)
    if public.about:
        text = f"{text}. {public.about}" if text else public.about
    return Truncator(" ".join(text.split())).chars(160)


def profile_meta(profile: Profile) -> PageMeta:
    """What search engines and link previews get for a profile page: only its public part.

    A profile whose name is not public is not indexable: noindex, no preview, no JSON-LD.
    """
    from carnet.profiles.selectors import profile_view

    public = profile_view(profile, relation=Relation.ANONYMOUS)
    canonical = absolute(profile.get_absolute_url())
    if not public.name:
        return PageMeta(indexable=False, canonical=canonical)
    description = _description(public)
    open_graph = [
        ("og:type", "profile"),
        ("og:site_name", settings.SITE_NAME),
        ("og:title", public.name + (f" – {public.headline}" if public.headline else "")),
        ("og:url", canonical),
    ]
    if description:
        open_graph.append(("og:description", description))
    if public.photo_url:
        open_graph.append(
            ("og:image", absolute(public.photo_url) if public.photo_url.startswith("/") else public.photo_url)
        )
    return PageMeta(
        indexable=True,
        canonical=canonical,
        description=description,
        open_graph=open_graph,
        jsonld=_jsonld_script_body(person_jsonld(public)),
    )
