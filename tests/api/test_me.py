"""/api/v1/me: who am I, and changing my name; by session and by token."""

import pytest
from django.test import Client

from carnet.accounts.models import PersonalAccessToken
from carnet.accounts.services import token_revoke
from tests.api.conftest import bearer

pytestmark = pytest.mark.django_db


def test_anonymous_gets_401_with_our_error_body(client):
    response = client.get("/api/v1/me")
    assert response.status_code == 401
    assert response.json()["error"] == "not_authenticated"


def test_session_member_gets_their_account_and_profile(alice_client, alice):
    body = alice_client.get("/api/v1/me").json()
    assert body["email"] == "alice@example.org"
    assert (body["first_name"], body["last_name"]) == ("Alice", "Martin")
    assert body["profile"]["slug"] == alice.profile.slug
    assert body["profile"]["relation"] == "self"


def test_mallory_sees_herself_not_alice(mallory_client, alice):
    assert mallory_client.get("/api/v1/me").json()["email"] == "mallory@example.org"


def test_token_authenticates_and_records_last_use(client, alice, read_token):
    assert PersonalAccessToken.objects.get(user=alice).last_used is None
    response = client.get("/api/v1/me", **bearer(read_token))
    assert response.status_code == 200
    assert response.json()["email"] == "alice@example.org"
    assert PersonalAccessToken.objects.get(user=alice).last_used is not None


def test_unknown_or_malformed_token_is_401(client):
    assert client.get("/api/v1/me", **bearer("carnet_not-a-real-token")).status_code == 401
    assert client.get("/api/v1/me", **bearer("something-else")).status_code == 401


def test_revoked_token_is_401(client, alice, read_token):
    token = PersonalAccessToken.objects.get(user=alice)
    assert token_revoke(user=alice, token_id=token.pk)
    response = client.get("/api/v1/me", **bearer(read_token))
    assert response.status_code == 401


def test_token_of_a_deactivated_member_is_401(client, alice, read_token):
    alice.is_active = False
    alice.save(update_fields=["is_active"])
    assert client.get("/api/v1/me", **bearer(read_token)).status_code == 401


def test_write_token_changes_the_name(client, alice, write_token):
    response = client.patch(
        "/api/v1/me", {"first_name": "  Alicia  "}, content_type="application/json", **bearer(write_token)
    )
    assert response.status_code == 200
    assert response.json()["first_name"] == "Alicia"
    alice.refresh_from_db()
    assert (alice.first_name, alice.last_name) == ("Alicia", "Martin")


def test_read_token_cannot_write(client, alice, read_token):
    response = client.patch("/api/v1/me", {"first_name": "Eve"}, content_type="application/json", **bearer(read_token))
    assert response.status_code == 403
    assert response.json()["error"] == "forbidden"
    alice.refresh_from_db()
    assert alice.first_name == "Alice"


def test_session_write_needs_the_csrf_token(alice):
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    refused = client.patch("/api/v1/me", {"first_name": "Eve"}, content_type="application/json")
    assert refused.status_code == 403
    assert refused.json()["error"] == "forbidden"
    client.get("/")  # every page carries the CSRF token (htmx sends it on writes)
    csrf = client.cookies["csrftoken"].value
    accepted = client.patch(
        "/api/v1/me", {"first_name": "Alicia"}, content_type="application/json", HTTP_X_CSRFTOKEN=csrf
    )
    assert accepted.status_code == 200


def test_blank_or_too_long_name_is_422(client, alice, write_token):
    blank = client.patch("/api/v1/me", {"last_name": "   "}, content_type="application/json", **bearer(write_token))
    assert blank.status_code == 422
    assert blank.json()["error"] == "validation_error"
    long = client.patch("/api/v1/me", {"last_name": "x" * 151}, content_type="application/json", **bearer(write_token))
    assert long.status_code == 422
    alice.refresh_from_db()
    assert alice.last_name == "Martin"


def test_anonymous_cannot_patch(client):
    assert client.patch("/api/v1/me", {"first_name": "X"}, content_type="application/json").status_code == 401
