"""The public profile for search engines: the vanity address, meta tags, robots.txt, sitemap."""

from __future__ import annotations

import re

import pytest
from django.core.exceptions import ValidationError

from carnet.core import visibility
from carnet.core.visibility import Audience
from carnet.profiles import seo
from carnet.profiles.models import Profile, SlugHistory
from tests.factories import MemberFactory, OrganizationFactory, SchoolFactory

pytestmark = pytest.mark.django_db


# ---------------------------------------------------------------------------------------
# The public address
# ---------------------------------------------------------------------------------------
def test_slug_change_redirects_the_old_address(client, alice):
    old = alice.profile.slug
    seo.profile_slug_change(profile=alice.profile, slug="alice-data")
    alice.profile.refresh_from_db()
    assert alice.profile.slug == "alice-data"
    response = client.get(f"/in/{old}/")
    assert response.status_code == 301 and response["Location"] == "/in/alice-data/"
    assert client.get("/in/alice-data/").status_code == 200
    assert client.get("/in/never-existed/").status_code == 404


@pytest.mark.parametrize(
    ("slug", "code"),
    [
        ("ab", "length"),
        ("x" * 101, "length"),
        ("Zoé-Martin", "invalid"),
        ("-alice", "invalid"),
        ("alice--m", "invalid"),
        ("alice_m", "invalid"),
        ("admin", "reserved"),
        ("sitemap", "reserved"),
    ],
)
def test_bad_slugs_are_refused(alice, slug, code):
    with pytest.raises(ValidationError) as caught:
        seo.profile_slug_change(profile=alice.profile, slug=slug)
    assert caught.value.code == code


def test_taken_and_former_slugs_are_refused(alice, mallory):
    with pytest.raises(ValidationError) as caught:
        seo.profile_slug_change(profile=alice.profile, slug=mallory.profile.slug)
    assert caught.value.code == "taken"
    old = mallory.profile.slug
    seo.profile_slug_change(profile=mallory.profile, slug="mallory-new")
    with pytest.raises(ValidationError):
        seo.profile_slug_change(profile=alice.profile, slug=old)
    # ...but its former owner may take it back, and it stops redirecting.
    seo.profile_slug_change(profile=Profile.objects.get(pk=mallory.pk), slug=old)
    assert not SlugHistory.objects.filter(slug=old).exists()
    assert SlugHistory.objects.filter(slug="mallory-new", profile_id=mallory.pk).exists()


def test_slug_changes_are_rate_limited(alice):
    for n in range(seo.SLUG_CHANGES_ALLOWED):
        seo.profile_slug_change(profile=alice.profile, slug=f"alice-{n}")
    with pytest.raises(ValidationError) as caught:
        seo.profile_slug_change(profile=alice.profile, slug="alice-again")
    assert caught.value.code == "rate_limited"


def test_slug_edit_page(client, alice, mallory):
    response = client.get("/me/address/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    client.force_login(mallory)
    assert client.post("/me/address/", {"slug": "admin"}).status_code == 400
    response = client.post("/me/address/", {"slug": alice.profile.slug})
    assert response.status_code == 400 and "already taken" in response.content.decode()
    client.force_login(alice)
    response = client.post("/me/address/", {"slug": "alice-martin-lyon"})
    assert response.status_code == 302
    assert Profile.objects.get(pk=alice.pk).slug == "alice-martin-lyon"
    assert Profile.objects.get(pk=mallory.pk).slug != "alice-martin-lyon"


def test_slug_api(client, alice):
    client.force_login(alice)
    response = client.patch("/api/v1/activity/settings", {"slug": "admin"}, content_type="application/json")
    assert response.status_code == 400 and "reserved" in response.json()["detail"]
    response = client.patch("/api/v1/activity/settings", {"slug": "alice-api"}, content_type="application/json")
    assert response.json()["public_url"].endswith("/in/alice-api/")


# ---------------------------------------------------------------------------------------
# Meta tags on the profile page
# ---------------------------------------------------------------------------------------
def _head(content: str) -> str:
    return content.split("</head>")[0]


def test_public_profile_has_canonical_open_graph_and_json_ld(client, alice, settings):
    settings.SITE_URL = "https://carnet.example.org"
    alice.profile.headline = "Data engineer"
    alice.profile.save()
    head = _head(client.get(alice.profile.get_absolute_url()).content.decode())
    assert f'<link rel="canonical" href="https://carnet.example.org/in/{alice.profile.slug}/">' in head
    assert '<meta property="og:type" content="profile">' in head
    assert '<meta property="og:title" content="Alice Martin – Data engineer">' in head
    assert 'name="robots"' not in head
    assert '<script type="application/ld+json">' in head


def test_profile_whose_name_is_not_public_is_noindex(client, alice, mallory):
    alice.profile.visibility = {"name": Audience.MEMBERS}
    alice.profile.save()
    client.force_login(mallory)
    head = _head(client.get(alice.profile.get_absolute_url()).content.decode())
    assert '<meta name="robots" content="noindex, nofollow">' in head
    assert "application/ld+json" not in head and "og:title" not in head
    assert "Alice" not in head.split("<title>")[0]  # nothing before the page title either


def test_meta_never_shows_what_the_public_may_not_see(client, alice, bob):
    alice.profile.headline = "Secret headline"
    alice.profile.visibility = {"headline": Audience.CONNECTIONS}
    alice.profile.save()
    client.force_login(bob)
    content = client.get(alice.profile.get_absolute_url()).content.decode()
    assert "Secret headline" in content  # bob may see it on the page...
    seo_block = re.findall(
        r'<meta property="og:[^"]+" content="[^"]*">|<script type="application/ld\+json">.*?</script>', content, re.S
    )
    assert seo_block and "Secret headline" not in "".join(seo_block)  # ...never in what crawlers get


def test_json_ld_cannot_close_its_script_element(alice):
    alice.profile.headline = "</script><script>alert(1)</script> & <!--"
    alice.profile.save()
    meta = seo.profile_meta(alice.profile)
    assert "</script" not in meta.jsonld and "<!--" not in meta.jsonld
    import json

    assert json.loads(meta.jsonld)["mainEntity"]["description"] == alice.profile.headline


def test_private_pages_are_noindex(client, alice):
    client.force_login(alice)
    for url in ("/me/documents/", "/me/profile-views/", "/me/settings/activity/", "/me/address/"):
        assert '<meta name="robots" content="noindex, nofollow">' in client.get(url).content.decode(), url


def test_json_ld_is_not_blocked_by_the_content_security_policy(client, alice):
    response = client.get(alice.profile.get_absolute_url())
    policy = response["Content-Security-Policy"]
    script_src = re.search(r"script-src ([^;]+)", policy).group(1)
    # The JSON-LD block is data (type application/ld+json): browsers never execute it, so
    # script-src does not apply and no 'unsafe-inline' or nonce is needed for it.
    assert "'unsafe-inline'" not in script_src
    scripts = re.findall(r"<script(?![^>]*\bsrc=)([^>]*)>", response.content.decode())
    assert scripts and all('type="application/ld+json"' in attrs for attrs in scripts)


# ---------------------------------------------------------------------------------------
# robots.txt and the sitemap
# ---------------------------------------------------------------------------------------
def test_robots_txt(client, settings):
    settings.SITE_URL = "https://carnet.example.org"
    response = client.get("/robots.txt")
    assert response["Content-Type"].startswith("text/plain")
    body = response.content.decode()
    assert "User-agent: *" in body and "Disallow: /api/" in body and "Disallow: /me/" in body
    assert "Sitemap: https://carnet.example.org/sitemap.xml" in body
    assert "Disallow: /in/" not in body


def test_sitemap_lists_public_profiles_and_pages(client, alice, mallory, settings):
    settings.SITE_URL = "https://carnet.example.org"
    Profile.objects.filter(pk=mallory.pk).update(visibility={"name": Audience.MEMBERS})
    hidden = MemberFactory()
    hidden.is_active = False
    hidden.save()
    company, school = OrganizationFactory(), SchoolFactory()
    index = client.get("/sitemap.xml").content.decode()
    assert "https://carnet.example.org/sitemap-profiles.xml" in index
    assert "https://carnet.example.org/sitemap-organizations.xml" in index
    profiles = client.get("/sitemap-profiles.xml").content.decode()
    assert f"<loc>https://carnet.example.org/in/{alice.profile.slug}/</loc>" in profiles
    assert mallory.profile.slug not in profiles and hidden.profile.slug not in profiles
    pages = client.get("/sitemap-organizations.xml").content.decode()
    assert company.get_absolute_url() in pages and school.get_absolute_url() in pages
    assert client.get("/sitemap-nothing.xml").status_code == 404


@pytest.mark.parametrize(
    "saved",
    [{}, {"name": "public"}, {"name": "members"}, {"name": ""}, {"name": None}, {"other": "x"}, {"name": "only_me"}],
)
def test_public_field_query_agrees_with_the_policy(alice, saved):
    Profile.objects.filter(pk=alice.pk).update(visibility=saved)
    expected = visibility.field_audience(saved, "name") == Audience.PUBLIC
    in_query = Profile.objects.filter(visibility.public_field_q("name"), pk=alice.pk).exists()
    assert in_query == expected
