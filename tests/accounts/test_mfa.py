"""Two-factor sign-in with an authenticator app (TOTP) and recovery codes."""

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import SECRET_SESSION_KEY

from tests.factories import DEFAULT_PASSWORD
from tests.mfa import totp_code

pytestmark = pytest.mark.django_db

AUTHENTICATE = "/accounts/2fa/authenticate/"


def _activate_totp(client, member) -> str:
    client.post("/accounts/login/", {"login": member.email, "password": DEFAULT_PASSWORD})
    client.post("/accounts/reauthenticate/", {"password": DEFAULT_PASSWORD})
    client.get("/accounts/2fa/totp/activate/")
    secret = client.session[SECRET_SESSION_KEY]
    bad = "000000" if totp_code(secret) != "000000" else "111111"
    wrong = client.post("/accounts/2fa/totp/activate/", {"code": bad})
    assert wrong.status_code == 200
    assert not Authenticator.objects.filter(user=member).exists()
    response = client.post("/accounts/2fa/totp/activate/", {"code": totp_code(secret)})
    assert response.status_code == 302
    return secret


def test_activate_totp_then_sign_in_with_a_code(client, alice):
    secret = _activate_totp(client, alice)
    assert Authenticator.objects.filter(user=alice, type=Authenticator.Type.TOTP).exists()
    assert Authenticator.objects.filter(user=alice, type=Authenticator.Type.RECOVERY_CODES).exists()
    client.post("/accounts/logout/")

    response = client.post("/accounts/login/", {"login": alice.email, "password": DEFAULT_PASSWORD})
    assert response["Location"] == AUTHENTICATE
    assert "_auth_user_id" not in client.session, "the password alone must not sign in"
    page = client.get(AUTHENTICATE)
    assert '<label for="id_code"' in page.content.decode()
    bad = "123456" if totp_code(secret) != "123456" else "654321"
    assert client.post(AUTHENTICATE, {"code": bad}).status_code == 200
    assert "_auth_user_id" not in client.session
    response = client.post(AUTHENTICATE, {"code": totp_code(secret)})
    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == alice.pk


def test_a_recovery_code_signs_in_once(client, alice):
    _activate_totp(client, alice)
    codes = Authenticator.objects.get(user=alice, type=Authenticator.Type.RECOVERY_CODES).wrap().get_unused_codes()
    client.post("/accounts/logout/")
    client.post("/accounts/login/", {"login": alice.email, "password": DEFAULT_PASSWORD})
    assert client.post(AUTHENTICATE, {"code": codes[0]}).status_code == 302
    assert int(client.session["_auth_user_id"]) == alice.pk
    client.post("/accounts/logout/")
    client.post("/accounts/login/", {"login": alice.email, "password": DEFAULT_PASSWORD})
    client.post(AUTHENTICATE, {"code": codes[0]})
    assert "_auth_user_id" not in client.session


def test_settings_show_two_factor_status(client, alice):
    _activate_totp(client, alice)
    assert "Two-factor authentication</dt><dd>On" in client.get("/settings/").content.decode()


def test_mallory_does_not_need_alices_second_factor(client, alice, mallory):
    _activate_totp(client, alice)
    client.post("/accounts/logout/")
    response = client.post("/accounts/login/", {"login": mallory.email, "password": DEFAULT_PASSWORD})
    assert response["Location"] == "/"
