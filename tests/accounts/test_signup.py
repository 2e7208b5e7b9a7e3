"""Sign-up: a name, an e-mail to verify, a profile; and no way to learn who is a member."""

import re

import pytest
from django.core import mail

from carnet.accounts.models import User
from carnet.profiles.models import Profile
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db

PASSWORD = "a long and unusual passphrase"


def _signup(client, email, first_name="Zoé", last_name="Lambert"):
    return client.post(
        "/accounts/signup/",
        {
            "first_name": first_name,
            "last_name": last_name,
            "email": email,
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )


def _confirmation_link(message) -> str:
    return re.search(r"https?://[^/\s]+(/accounts/confirm-email/[^\s]+/)", message.body).group(1)


def test_signup_page_has_labelled_name_fields(client):
    body = client.get("/accounts/signup/").content.decode()
    for field, label in [("first_name", "First name"), ("last_name", "Last name"), ("email", "Email")]:
        assert f'<label for="id_{field}"' in body
        assert label in body


def test_signup_creates_member_with_profile_and_queues_verification(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = _signup(client, "zoe@example.org")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/confirm-email/"
    user = User.objects.get(email="zoe@example.org")
    assert (user.first_name, user.last_name) == ("Zoé", "Lambert")
    assert Profile.objects.get(user=user).slug == "zoe-lambert"
    assert user.emailaddress_set.get().verified is False
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["zoe@example.org"]
    assert "/accounts/confirm-email/" in mail.outbox[0].body


def test_no_mail_leaves_before_the_signup_commits(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        _signup(client, "zoe@example.org")
    assert mail.outbox == []
    assert callbacks  # the confirmation mail (and the graph's update) wait for the commit
    for callback in callbacks:
        callback()
    assert len(mail.outbox) == 1


def test_unverified_member_cannot_sign_in(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _signup(client, "zoe@example.org")
    client.logout()
    response = client.post("/accounts/login/", {"login": "zoe@example.org", "password": PASSWORD})
    assert response["Location"] == "/accounts/confirm-email/"
    assert "_auth_user_id" not in client.session


def test_confirmation_link_verifies_and_signs_in(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _signup(client, "zoe@example.org")
    link = _confirmation_link(mail.outbox[0])
    page = client.get(link)
    assert page.status_code == 200
    assert "zoe@example.org" in page.content.decode()
    response = client.post(link)
    assert response.status_code == 302
    user = User.objects.get(email="zoe@example.org")
    assert user.emailaddress_set.get().verified is True
    assert int(client.session["_auth_user_id"]) == user.pk


def test_signup_with_a_taken_email_looks_the_same_and_warns_the_owner(client, django_capture_on_commit_callbacks):
    MemberFactory(email="taken@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        fresh = _signup(client, "fresh@example.org")
    client.cookies.clear()
    with django_capture_on_commit_callbacks(execute=True):
        taken = _signup(client, "taken@example.org", first_name="Eve")
    assert (taken.status_code, taken["Location"]) == (fresh.status_code, fresh["Location"])
    assert User.objects.filter(email="taken@example.org").count() == 1
    assert User.objects.get(email="taken@example.org").first_name != "Eve"
    assert [m.to for m in mail.outbox] == [["fresh@example.org"], ["taken@example.org"]]
    assert "/accounts/confirm-email/" not in mail.outbox[1].body


def test_signup_with_bad_input_keeps_what_was_typed(client):
    response = client.post(
        "/accounts/signup/",
        {"first_name": "Zoé", "last_name": "", "email": "not an e-mail", "password1": "x", "password2": "y"},
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert 'value="Zoé"' in body
    assert 'class="errorlist' in body
    assert not User.objects.exists()


def test_signed_in_member_is_sent_away_from_signup(alice_client):
    assert alice_client.get("/accounts/signup/").status_code == 302
