"""/api/v1/me/tokens: list, create (from a session only), revoke; tokens are stored hashed."""

import pytest

from carnet.accounts.models import PersonalAccessToken
from carnet.accounts.services import MAX_TOKENS_PER_MEMBER, token_create
from tests.api.conftest import bearer

pytestmark = pytest.mark.django_db


def test_anonymous_gets_401(client):
    assert client.get("/api/v1/me/tokens").status_code == 401
    assert client.post("/api/v1/me/tokens", {"name": "x"}, content_type="application/json").status_code == 401
    assert client.delete("/api/v1/me/tokens/1").status_code == 401


def test_list_shows_only_my_tokens_and_never_secrets(alice_client, alice, mallory):
    _mine, secret = token_create(user=alice, name="CV export")
    token_create(user=mallory, name="mallory's")
    response = alice_client.get("/api/v1/me/tokens")
    assert response.status_code == 200
    items = response.json()["items"]
    assert [t["name"] for t in items] == ["CV export"]
    assert secret not in response.content.decode()
    assert "secret" not in items[0]


def test_create_from_session_returns_the_secret_once_and_stores_its_hash(alice_client, alice, client):
    response = alice_client.post(
        "/api/v1/me/tokens", {"name": "script", "scope": "write"}, content_type="application/json"
    )
    assert response.status_code == 201
    body = response.json()
    secret = body["secret"]
    assert secret.startswith("carnet_") and body["scope"] == "write"
    stored = PersonalAccessToken.objects.get(pk=body["id"])
    assert stored.token_hash == PersonalAccessToken.hash(secret)
    assert secret not in {stored.token_hash, stored.hint, stored.name}
    client.logout()
    assert client.get("/api/v1/me", **bearer(secret)).json()["email"] == alice.email


def test_a_token_cannot_create_tokens(client, write_token):
    response = client.post(
        "/api/v1/me/tokens", {"name": "more"}, content_type="application/json", **bearer(write_token)
    )
    assert response.status_code == 403
    assert PersonalAccessToken.objects.count() == 1


def test_create_refuses_bad_input_and_the_limit(alice_client, alice):
    assert alice_client.post("/api/v1/me/tokens", {"name": ""}, content_type="application/json").status_code == 422
    bad_scope = alice_client.post("/api/v1/me/tokens", {"name": "x", "scope": "admin"}, content_type="application/json")
    assert bad_scope.status_code == 422
    for n in range(MAX_TOKENS_PER_MEMBER):
        token_create(user=alice, name=f"t{n}")
    full = alice_client.post("/api/v1/me/tokens", {"name": "one more"}, content_type="application/json")
    assert full.status_code == 409
    assert full.json()["error"] == "conflict"


def test_revoke_my_token_then_it_stops_working(client, alice, write_token):
    token = PersonalAccessToken.objects.get(user=alice)
    response = client.delete(f"/api/v1/me/tokens/{token.pk}", **bearer(write_token))
    assert response.status_code == 204
    assert client.get("/api/v1/me", **bearer(write_token)).status_code == 401
    token.refresh_from_db()
    assert token.revoked is not None


def test_read_token_cannot_revoke(client, alice, read_token):
    token = PersonalAccessToken.objects.get(user=alice)
    assert client.delete(f"/api/v1/me/tokens/{token.pk}", **bearer(read_token)).status_code == 403
    token.refresh_from_db()
    assert token.revoked is None


def test_mallory_cannot_revoke_alices_token(mallory_client, alice):
    token, secret = token_create(user=alice, name="alice's")
    response = mallory_client.delete(f"/api/v1/me/tokens/{token.pk}")
    assert response.status_code == 404
    token.refresh_from_db()
    assert token.revoked is None
