"""django-axes throttles failed sign-ins on the site's login form and on the admin's alike."""

import pytest
from axes.models import AccessAttempt

from tests.factories import DEFAULT_PASSWORD, MemberFactory

pytestmark = pytest.mark.django_db

LOCKED = "Too many failed sign-in attempts"


def _site_login(client, email, password):
    return client.post("/accounts/login/", {"login": email, "password": password})


def _admin_login(client, email, password):
    return client.post("/admin/login/?next=/admin/", {"username": email, "password": password})


@pytest.mark.parametrize("login", [_site_login, _admin_login], ids=["site", "admin"])
def test_sixth_attempt_is_locked_out_even_with_the_right_password(client, login):
    member = MemberFactory(email="target@example.org", is_staff=True)
    for _attempt in range(4):
        response = login(client, member.email, "wrong password")
        assert response.status_code == 200
        assert LOCKED not in response.content.decode()
    fifth = login(client, member.email, "wrong password")
    assert fifth.status_code == 429
    sixth = login(client, member.email, DEFAULT_PASSWORD)
    assert sixth.status_code == 429
    assert LOCKED in sixth.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize("login", [_site_login, _admin_login], ids=["site", "admin"])
def test_failures_are_counted_against_the_targeted_account(client, login):
    member = MemberFactory(email="Target@Example.org")
    login(client, "target@example.org", "wrong password")
    attempt = AccessAttempt.objects.get()
    assert attempt.username == member.email.lower()
    assert attempt.failures_since_start == 1


def test_lockout_of_one_account_does_not_lock_another_from_the_same_address(client):
    victim = MemberFactory(email="victim@example.org")
    other = MemberFactory(email="other@example.org")
    for _attempt in range(5):
        _site_login(client, victim.email, "wrong password")
    response = _site_login(client, other.email, DEFAULT_PASSWORD)
    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == other.pk


def test_success_resets_the_failure_count(client):
    member = MemberFactory(email="forgetful@example.org")
    for _attempt in range(3):
        _site_login(client, member.email, "wrong password")
    assert _site_login(client, member.email, DEFAULT_PASSWORD).status_code == 302
    client.logout()
    for _attempt in range(4):
        assert _site_login(client, member.email, "wrong password").status_code == 200


def test_lockout_page_is_the_friendly_site_page(client):
    member = MemberFactory(email="locked@example.org")
    for _attempt in range(5):
        response = _site_login(client, member.email, "wrong password")
    body = response.content.decode()
    assert '<main id="main"' in body
    assert "/accounts/password/reset/" in body
