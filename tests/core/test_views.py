"""The site shell: navigation, coming-soon pages, /healthz, error pages, language, CSP."""

import re

import pytest
from django.test import Client, RequestFactory

from carnet.core import views
from carnet.notifications.services import notify

pytestmark = pytest.mark.django_db


# Navigation and placeholders ------------------------------------------------------------


NAV = ["Home", "My network", "Jobs", "Messaging", "Notifications"]


def test_anonymous_home_has_the_navigation_and_sign_in(client):
    html = client.get("/").content.decode()
    nav = re.search(r'<nav aria-label="Main".*?</nav>', html, re.S).group(0)
    for label in NAV:
        assert f">{label}<" in nav or f">{label} <" in nav
    assert 'href="/accounts/login/"' in nav
    assert 'href="/accounts/signup/"' in nav
    assert "Sign out" not in nav


def test_member_menu_links_to_their_profile_and_settings(alice_client, alice):
    html = alice_client.get("/").content.decode()
    assert ">Me<" in html
    assert 'href="/me/"' in html
    assert 'href="/settings/"' in html
    assert 'action="/accounts/logout/"' in html
    assert alice_client.get("/me/")["Location"] == alice.profile.get_absolute_url()


def test_page_landmarks_and_skip_link(client):
    html = client.get("/").content.decode()
    assert '<a class="skip-link" href="#main">' in html
    for landmark in ('<header class="site-header">', '<main id="main"', '<footer class="site-footer">'):
        assert landmark in html


@pytest.mark.parametrize("url,heading", [("/jobs/", "Jobs"), ("/messaging/", "Messaging")])
@pytest.mark.parametrize("who", ["anonymous", "mallory", "alice"])
def test_coming_soon_pages_are_honest_for_everyone(request, url, heading, who):
    client = Client() if who == "anonymous" else request.getfixturevalue(f"{who}_client")
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert f">{heading}</h1>" in html
    assert "Coming soon" in html
    assert 'aria-current="page"' in html


def test_unread_badge_counts_my_unread_notifications_only(alice_client, alice, mallory):
    notify(recipient=alice, kind="test", text="one")
    notify(recipient=alice, kind="test", text="two")
    notify(recipient=mallory, kind="test", text="not alice's")
    html = alice_client.get("/jobs/").content.decode()
    badge = re.search(r'<span id="unread-badge" class="badge">(.*?)</span></span>', html, re.S).group(1)
    assert '<span aria-hidden="true">2</span>' in badge
    assert "(2 unread)" in badge


# /healthz ---------------------------------------------------------------------------------


def test_healthz_ok(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["checks"]["database"]["ok"] and body["checks"]["cache"]["ok"]
    assert "no-cache" in response["Cache-Control"]


def test_healthz_503_when_the_cache_fails(client, monkeypatch):
    def broken(*args, **kwargs):
        raise ConnectionError("redis is down")

    monkeypatch.setattr(views.cache, "set", broken)
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "error"
    assert body["checks"]["cache"] == {"ok": False, "error": "ConnectionError"}
    assert body["checks"]["database"]["ok"] is True


def test_healthz_503_when_the_database_fails(client, monkeypatch):
    def broken():
        raise RuntimeError("database is gone")

    monkeypatch.setattr(views, "_check_database", broken)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"]["database"]["ok"] is False


# Error pages -------------------------------------------------------------------------------


def test_friendly_404(client, settings):
    settings.DEBUG = False
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Page not found" in html
    assert '<nav aria-label="Main"' in html


def test_friendly_500_without_details(settings, monkeypatch, alice):
    settings.DEBUG = False

    def broken(**kwargs):
        raise RuntimeError("secret internals")

    monkeypatch.setattr(views, "post_list_for_home", broken)
    client = Client(raise_request_exception=False)
    response = client.get("/")
    assert response.status_code == 500
    html = response.content.decode()
    assert "Something went wrong" in html
    assert "secret internals" not in html
    assert "Traceback" not in html


def test_500_page_needs_neither_database_nor_context_processors(django_assert_num_queries, alice):
    request = RequestFactory().get("/")
    request.user = alice
    with django_assert_num_queries(0):
        response = views.server_error(request)
    assert response.status_code == 500
    assert b"Something went wrong" in response.content


# Language ----------------------------------------------------------------------------------


def test_language_switch_to_french_and_back(client):
    assert '<html lang="en">' in client.get("/").content.decode()
    response = client.post("/i18n/setlang/", {"language": "fr", "next": "/jobs/"})
    assert response.status_code == 302
    assert response["Location"] == "/jobs/"
    assert client.cookies["django_language"].value == "fr"
    html = client.get("/jobs/").content.decode()
    assert '<html lang="fr">' in html
    assert "Accueil" in html and "Aller au contenu" in html
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert '<html lang="en">' in client.get("/").content.decode()


def test_language_switch_refuses_an_offsite_next(client):
    response = client.post("/i18n/setlang/", {"language": "fr", "next": "https://evil.example/"})
    assert response["Location"] == "/"


def test_language_form_is_labelled(client):
    html = client.get("/").content.decode()
    assert '<label for="language-select">' in html
    assert 'value="fr"' in html and 'value="en"' in html


def test_favicon_ico_redirects_to_the_static_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"].endswith("carnet/img/favicon.svg")
