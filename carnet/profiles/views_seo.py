"""robots.txt, the sitemap and the member's public address."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.sitemaps import views as sitemap_views
from django.contrib.sitemaps.views import SitemapIndexItem
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_page
from django.views.decorators.http import require_GET, require_http_methods

from carnet.profiles import seo
from carnet.profiles.forms_documents import SlugForm
from carnet.profiles.services import profile_create
from carnet.profiles.sitemaps import SITEMAPS

# Pages that are private to a member or useless to a search engine.
ROBOTS_DISALLOW = (
    "/accounts/",
    "/admin/",
    "/api/",
    "/documents/",
    "/i18n/",
    "/me/",
    "/messaging/",
    "/notifications/",
    "/settings/",
)


@require_GET
def robots_txt(request):
    lines = ["User-agent: *", *(f"Disallow: {path}" for path in ROBOTS_DISALLOW)]
    lines.append(f"Sitemap: {settings.SITE_URL}/sitemap.xml")
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


@require_GET
@cache_page(60 * 60)
def sitemap_index(request):
    """The sitemap index, with section URLs on SITE_URL (Django's own index uses the request's host)."""
    items = []
    for section, sitemap_class in SITEMAPS.items():
        sitemap = sitemap_class()
        location = seo.absolute(reverse("profiles:sitemap_section", kwargs={"section": section}))
        lastmod = sitemap.get_latest_lastmod()
        items.append(SitemapIndexItem(location, lastmod))
        items += [
            SitemapIndexItem(f"{location}?p={page}", lastmod) for page in range(2, sitemap.paginator.num_pages + 1)
        ]
    response = TemplateResponse(request, "sitemap_index.xml", {"sitemaps": items}, content_type="application/xml")
    response["X-Robots-Tag"] = "noindex, noodp, noarchive"
    return response


@require_GET
@cache_page(60 * 60)
def sitemap_section(request, section):
    return sitemap_views.sitemap(request, SITEMAPS, section=section)


@login_required
@require_http_methods(["GET", "POST"])
def slug_edit(request):
    profile = profile_create(user=request.user)
    form = SlugForm(request.POST or None, initial={"slug": profile.slug})
    if request.method == "POST" and form.is_valid():
        try:
            profile = seo.profile_slug_change(profile=profile, slug=form.cleaned_data["slug"])
        except ValidationError as exc:
            form.add_error("slug", exc)
        else:
            messages.success(
                request, _("Your public address is now %(url)s.") % {"url": seo.absolute(profile.get_absolute_url())}
            )
            return redirect("profiles:slug_edit")
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "profile": profile, "public_url": seo.absolute(profile.get_absolute_url())}
    return render(request, "profiles/activity/slug_edit.html", context, status=status)
