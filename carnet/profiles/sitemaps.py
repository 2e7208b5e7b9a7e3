"""sitemap.xml: the public profiles (those whose name is public) and the company and school pages."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.db.models import Max

from carnet.core import visibility
from carnet.organizations.models import Organization
from carnet.profiles.models import Profile


class _CanonicalSitemap(Sitemap):
    """URLs on SITE_URL's origin, whatever host the crawler used (as the canonical links)."""

    limit = 10_000

    @property
    def protocol(self):
        return urlsplit(settings.SITE_URL).scheme or "https"

    def get_domain(self, site=None):
        return urlsplit(settings.SITE_URL).netloc


class ProfileSitemap(_CanonicalSitemap):
    changefreq = "weekly"

    def items(self):
        # A profile is public when an anonymous visitor may see its name: the policy says which.
        return (
            Profile.objects.filter(visibility.public_field_q("name"), user__is_active=True)
            .only("pk", "slug", "updated")
            .order_by("pk")
        )

    def lastmod(self, profile):
        return profile.updated

    def get_latest_lastmod(self):
        # One aggregate instead of Django's default walk over every item.
        return self.items().aggregate(latest=Max("updated"))["latest"]


class OrganizationSitemap(_CanonicalSitemap):
    changefreq = "weekly"

    def items(self):
        return Organization.objects.only("pk", "slug", "kind", "updated").order_by("pk")

    def lastmod(self, organization):
        return organization.updated

    def get_latest_lastmod(self):
        return self.items().aggregate(latest=Max("updated"))["latest"]


SITEMAPS = {"profiles": ProfileSitemap, "organizations": OrganizationSitemap}
