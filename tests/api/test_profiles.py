"""/api/v1/profiles/{slug}: what the caller may see under the visibility policy."""

import pytest
from django.test import Client

from tests.api.conftest import bearer

pytestmark = pytest.mark.django_db


@pytest.fixture
def profile(alice):
    profile = alice.profile
    profile.headline = "Data engineer"
    profile.pronouns = "she/her"
    profile.save()
    return profile


def test_anonymous_sees_the_public_profile_only(profile):
    body = Client().get(f"/api/v1/profiles/{profile.slug}").json()
    assert body["relation"] == "anonymous"
    assert body["name"] == "Alice Martin"
    assert body["headline"] == "Data engineer"
    assert body["pronouns"] is None  # members only, by default


def test_another_member_sees_member_fields(mallory_client, profile):
    body = mallory_client.get(f"/api/v1/profiles/{profile.slug}").json()
    assert body["relation"] == "member"
    assert body["pronouns"] == "she/her"


def test_owner_sees_everything(alice_client, profile):
    body = alice_client.get(f"/api/v1/profiles/{profile.slug}").json()
    assert body["relation"] == "self"
    assert body["pronouns"] == "she/her"


def test_token_caller_is_the_token_owner(client, profile, read_token):
    assert client.get(f"/api/v1/profiles/{profile.slug}", **bearer(read_token)).json()["relation"] == "self"


def test_hidden_headline_is_null_for_strangers(mallory_client, profile):
    profile.visibility = {"headline": "connections"}
    profile.save()
    assert Client().get(f"/api/v1/profiles/{profile.slug}").json()["headline"] is None
    assert mallory_client.get(f"/api/v1/profiles/{profile.slug}").json()["headline"] is None


def test_name_hidden_from_the_public_is_404_for_anonymous_only(mallory_client, profile):
    profile.visibility = {"name": "only_me"}  # capped at "members" by the policy
    profile.save()
    assert Client().get(f"/api/v1/profiles/{profile.slug}").status_code == 404
    assert mallory_client.get(f"/api/v1/profiles/{profile.slug}").json()["name"] == "Alice Martin"


def test_bad_token_on_a_public_endpoint_is_401_not_anonymous(client, profile):
    assert client.get(f"/api/v1/profiles/{profile.slug}", **bearer("carnet_wrong")).status_code == 401


def test_unknown_slug_is_404(client):
    assert client.get("/api/v1/profiles/nobody").json()["error"] == "not_found"
