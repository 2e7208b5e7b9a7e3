"""Account pages: access for anonymous visitors, mallory and alice; our layout; CSP-clean markup."""

import re

import pytest
from django.test import Client

from carnet.accounts.models import PersonalAccessToken
from carnet.accounts.services import token_create

pytestmark = pytest.mark.django_db

PUBLIC_PAGES = ["/accounts/login/", "/accounts/signup/", "/accounts/password/reset/"]
MEMBER_PAGES = [
    "/settings/",
    "/settings/tokens/",
    "/accounts/email/",
    "/accounts/password/change/",
    "/accounts/2fa/",
    "/notifications/",
    "/jobs/",
    "/messaging/",
    "/",
    "/api/v1/docs",
]


def assert_csp_clean(response):
    """No inline script or style: the Content-Security-Policy would block them."""
    html = response.content.decode()
    assert not re.search(r"\sstyle=", html), "inline style attribute"
    assert not re.search(r"<style", html), "inline <style> element"
    for attributes in re.findall(r"<script\b([^>]*)>", html):
        assert "src=" in attributes or 'type="application/json"' in attributes, f"inline script: {attributes}"
    assert not re.search(r"\son[a-z]+=\"", html), "inline event handler"
    policy = response["Content-Security-Policy"]
    script_src = re.search(r"script-src ([^;]*)", policy).group(1)
    style_src = re.search(r"style-src ([^;]*)", policy).group(1)
    assert "'unsafe-inline'" not in script_src and "'unsafe-eval'" not in script_src
    assert "'unsafe-inline'" not in style_src


def assert_labelled(response):
    """Every visible input has a label."""
    html = response.content.decode()
    for tag in re.findall(r"<(?:input|select|textarea)\b[^>]*>", html):
        if re.search(r'type="(hidden|submit|button)"', tag):
            continue
        field_id = re.search(r'id="([^"]+)"', tag)
        assert field_id, f"input without id: {tag}"
        assert f'for="{field_id.group(1)}"' in html or "aria-label=" in tag, f"unlabelled: {tag}"


@pytest.mark.parametrize("url", PUBLIC_PAGES)
def test_public_account_pages_render_in_our_layout(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert '<main id="main" class="container auth auth-entrance"' in response.content.decode()
    assert_csp_clean(response)
    assert_labelled(response)


@pytest.mark.parametrize("url", [u for u in MEMBER_PAGES if u not in ("/", "/jobs/", "/messaging/", "/api/v1/docs")])
def test_member_pages_send_anonymous_visitors_to_login(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")


@pytest.mark.parametrize("url", MEMBER_PAGES)
def test_member_pages_render_and_are_csp_clean(alice_client, url):
    response = alice_client.get(url)
    assert response.status_code == 200, url
    assert_csp_clean(response)
    assert_labelled(response)


def test_manage_pages_show_the_settings_menu(alice_client):
    html = alice_client.get("/accounts/password/change/").content.decode()
    assert '<nav class="subnav" aria-label="Settings">' in html
    assert 'href="/accounts/password/change/" aria-current="page"' in html


def test_totp_activation_page_after_reauthentication(alice_client, alice):
    from tests.factories import DEFAULT_PASSWORD

    asked = alice_client.get("/accounts/2fa/totp/activate/")
    assert asked["Location"].startswith("/accounts/reauthenticate/")
    reauthenticate = alice_client.get(asked["Location"])
    assert_csp_clean(reauthenticate)
    alice_client.post(asked["Location"], {"password": DEFAULT_PASSWORD})
    response = alice_client.get("/accounts/2fa/totp/activate/")
    assert response.status_code == 200
    assert 'class="qr-code"' in response.content.decode()
    assert_csp_clean(response)
    assert_labelled(response)


def test_lockout_page_is_csp_clean(client, alice):
    for _attempt in range(5):
        response = client.post("/accounts/login/", {"login": alice.email, "password": "wrong"})
    assert response.status_code == 429
    assert_csp_clean(response)


# Settings and API tokens -------------------------------------------------------------------


def test_settings_overview_is_about_me(alice_client, mallory):
    html = alice_client.get("/settings/").content.decode()
    assert "alice@example.org" in html
    assert "mallory@example.org" not in html


def test_create_token_shows_the_secret_once(alice_client, alice):
    response = alice_client.post("/settings/tokens/", {"name": "CV script", "scope": "write"})
    assert response.status_code == 200
    secret = re.search(r'<code id="new-token" class="secret">([^<]+)</code>', response.content.decode()).group(1)
    token = PersonalAccessToken.objects.get(user=alice)
    assert token.token_hash == PersonalAccessToken.hash(secret)
    assert (token.name, token.scope) == ("CV script", "write")
    assert secret not in alice_client.get("/settings/tokens/").content.decode()


def test_create_token_refuses_a_blank_name(alice_client, alice):
    response = alice_client.post("/settings/tokens/", {"name": "   ", "scope": "read"})
    assert response.status_code == 200
    assert 'class="errorlist' in response.content.decode()
    assert not PersonalAccessToken.objects.exists()


def test_tokens_page_lists_only_mine(alice_client, alice, mallory, django_assert_max_num_queries):
    for n in range(5):
        token_create(user=alice, name=f"alice {n}")
    token_create(user=mallory, name="mallory's token")
    with django_assert_max_num_queries(8):
        html = alice_client.get("/settings/tokens/").content.decode()
    assert html.count("alice ") >= 5
    assert "mallory&#x27;s token" not in html and "mallory's token" not in html


def test_revoke_my_token(alice_client, alice):
    token, _secret = token_create(user=alice, name="old")
    response = alice_client.post(f"/settings/tokens/{token.pk}/revoke/")
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked is not None


def test_mallory_cannot_revoke_alices_token(mallory_client, alice):
    token, _secret = token_create(user=alice, name="alice's")
    mallory_client.post(f"/settings/tokens/{token.pk}/revoke/")
    token.refresh_from_db()
    assert token.revoked is None


def test_revoke_needs_post_and_login(alice):
    token, _secret = token_create(user=alice, name="alice's")
    anonymous = Client()
    assert anonymous.post(f"/settings/tokens/{token.pk}/revoke/")["Location"].startswith("/accounts/login/")
    member = Client()
    member.force_login(alice)
    assert member.get(f"/settings/tokens/{token.pk}/revoke/").status_code == 405
    token.refresh_from_db()
    assert token.revoked is None
