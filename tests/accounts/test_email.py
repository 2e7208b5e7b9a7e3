"""Changing one's e-mail address: the new one must be verified before it replaces the old one."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail

from tests.factories import DEFAULT_PASSWORD

pytestmark = pytest.mark.django_db


def _login(client, member):
    client.post("/accounts/login/", {"login": member.email, "password": DEFAULT_PASSWORD})


def test_email_page_needs_login(client):
    response = client.get("/accounts/email/")
    assert response["Location"].startswith("/accounts/login/")


def test_change_email_after_verification(client, alice, django_capture_on_commit_callbacks):
    _login(client, alice)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/accounts/email/", {"action_add": "", "email": "alice@new.example.org"})
    assert response.status_code == 302
    alice.refresh_from_db()
    assert alice.email == "alice@example.org"
    assert mail.outbox[-1].to == ["alice@new.example.org"]
    page = client.get("/accounts/email/").content.decode()
    assert "alice@new.example.org" in page
    assert 'style="' not in page
    link = re.search(r"(/accounts/confirm-email/[^\s]+/)", mail.outbox[-1].body).group(1)
    client.post(link)
    alice.refresh_from_db()
    assert alice.email == "alice@new.example.org"
    assert EmailAddress.objects.get(user=alice, primary=True).email == "alice@new.example.org"


def test_mallory_cannot_confirm_alices_new_address(client, alice, mallory, django_capture_on_commit_callbacks):
    _login(client, alice)
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/accounts/email/", {"action_add": "", "email": "alice@new.example.org"})
    link = re.search(r"(/accounts/confirm-email/[^\s]+/)", mail.outbox[-1].body).group(1)
    client.post("/accounts/logout/")
    _login(client, mallory)
    client.post(link.replace(link.split("/")[-2], "forged-key"))
    alice.refresh_from_db()
    assert alice.email == "alice@example.org"
