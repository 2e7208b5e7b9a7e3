"""Password reset (no enumeration), change, and sign-in/out through the real forms."""

import re

import pytest
from django.core import mail

from tests.factories import DEFAULT_PASSWORD, MemberFactory

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "another long unusual passphrase"


def _reset_link(message) -> str:
    return re.search(r"https?://[^/\s]+(/accounts/password/reset/key/[^\s]+/)", message.body).group(1)


def test_reset_for_unknown_and_known_email_look_the_same(client, django_capture_on_commit_callbacks):
    MemberFactory(email="known@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        known = client.post("/accounts/password/reset/", {"email": "known@example.org"})
        unknown = client.post("/accounts/password/reset/", {"email": "nobody@example.org"})
    assert (known.status_code, known["Location"]) == (unknown.status_code, unknown["Location"])
    done_known = client.get(known["Location"]).content.decode()
    assert "nobody@example.org" not in done_known
    assert [m.to for m in mail.outbox] == [["known@example.org"], ["nobody@example.org"]]
    assert "/accounts/password/reset/key/" in mail.outbox[0].body
    assert "/accounts/password/reset/key/" not in mail.outbox[1].body


def test_reset_link_sets_a_new_password(client, django_capture_on_commit_callbacks):
    member = MemberFactory(email="forgetful@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/accounts/password/reset/", {"email": member.email})
    form_url = client.get(_reset_link(mail.outbox[0]))["Location"]
    response = client.post(form_url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.check_password(NEW_PASSWORD)


def test_change_password_needs_the_current_one(client):
    member = MemberFactory()
    client.post("/accounts/login/", {"login": member.email, "password": DEFAULT_PASSWORD})
    wrong = client.post(
        "/accounts/password/change/",
        {"oldpassword": "not it", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert wrong.status_code == 200
    right = client.post(
        "/accounts/password/change/",
        {"oldpassword": DEFAULT_PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert right.status_code == 302
    member.refresh_from_db()
    assert member.check_password(NEW_PASSWORD)


def test_anonymous_visitor_is_sent_to_login_from_password_change(client):
    response = client.get("/accounts/password/change/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_login_and_logout(client):
    member = MemberFactory()
    response = client.post("/accounts/login/", {"login": member.email, "password": DEFAULT_PASSWORD})
    assert (response.status_code, response["Location"]) == (302, "/")
    assert int(client.session["_auth_user_id"]) == member.pk
    client.post("/accounts/logout/")
    assert "_auth_user_id" not in client.session


def test_wrong_password_gives_a_form_error_not_a_crash(client):
    member = MemberFactory()
    response = client.post("/accounts/login/", {"login": member.email, "password": "nope"})
    assert response.status_code == 200
    assert "not correct" in response.content.decode()
