"""The profile editing API (/api/v1/me/profile..., /me/visibility, /skills): anonymous
callers are refused, read-only tokens cannot write, a member only ever touches their own
items, and the owner's writes follow the same rules as the pages."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from carnet.profiles.models import Language, Position
from carnet.profiles.registry import SECTIONS
from carnet.profiles.services import profile_skill_add
from tests.api.conftest import bearer
from tests.factories import PositionFactory

pytestmark = pytest.mark.django_db

READS = [
    "/api/v1/me/profile",
    "/api/v1/me/profile/strength",
    "/api/v1/me/visibility",
    "/api/v1/me/profile/skills",
    "/api/v1/skills?q=py",
    "/api/v1/me/resume",
    *[f"/api/v1/me/profile/{section}" for section in SECTIONS],
]


def _json(client, method: str, url: str, body, **extra):
    return getattr(client, method)(url, data=json.dumps(body), content_type="application/json", **extra)


@pytest.mark.parametrize("url", READS)
def test_anonymous_callers_get_401(url):
    assert Client().get(url).status_code == 401


@pytest.mark.parametrize(
    ("method", "url", "body"),
    [
        ("patch", "/api/v1/me/profile", {"headline": "x"}),
        ("put", "/api/v1/me/visibility", {"about": "members"}),
        ("post", "/api/v1/me/profile/skills", {"name": "Python"}),
        ("post", "/api/v1/me/profile/languages", {"name": "French"}),
    ],
)
def test_anonymous_and_read_only_callers_cannot_write(alice, read_token, method, url, body):
    assert _json(Client(), method, url, body).status_code == 401
    assert _json(Client(), method, url, body, **bearer(read_token)).status_code == 403
    alice.profile.refresh_from_db()
    assert alice.profile.headline == "" and alice.profile.visibility == {}
    assert not alice.profile.skills.exists() and not alice.profile.languages.exists()


@pytest.mark.parametrize("url", READS)
def test_the_owner_reads_their_own(alice_client, url):
    assert alice_client.get(url).status_code == 200


def test_another_members_items_are_not_found(mallory_client, alice):
    position = PositionFactory(profile=alice.profile)
    skill = profile_skill_add(profile=alice.profile, name="Python")
    url = f"/api/v1/me/profile/positions/{position.pk}"
    assert _json(mallory_client, "patch", url, {"title": "Hacked"}).status_code == 404
    assert mallory_client.delete(url).status_code == 404
    assert mallory_client.delete(f"/api/v1/me/profile/skills/{skill.pk}").status_code == 404
    response = _json(mallory_client, "put", "/api/v1/me/profile/positions/order", {"ids": [position.pk]})
    assert response.status_code == 422
    assert Position.objects.get(pk=position.pk).title == position.title
    assert alice.profile.skills.count() == 1
    # Their own list never shows Alice's items.
    assert mallory_client.get("/api/v1/me/profile/positions").json() == []


def test_owner_writes_with_a_write_token(alice, write_token):
    client = Client()
    response = _json(client, "patch", "/api/v1/me/profile", {"headline": "Data engineer"}, **bearer(write_token))
    assert response.status_code == 200 and response.json()["headline"] == "Data engineer"
    response = _json(client, "put", "/api/v1/me/visibility", {"about": "members"}, **bearer(write_token))
    assert response.status_code == 200 and response.json()["about"] == "members"
    response = _json(client, "post", "/api/v1/me/profile/skills", {"name": "python"}, **bearer(write_token))
    assert response.status_code == 201
    duplicate = _json(client, "post", "/api/v1/me/profile/skills", {"name": "PYTHON"}, **bearer(write_token))
    assert duplicate.status_code in (400, 409, 422)
    assert alice.profile.skills.count() == 1


def test_dates_are_validated_by_the_api_too(alice_client, alice):
    body = {"title": "Dev", "company": "Acme", "start": "2021-05", "end": "2020-05"}
    response = _json(alice_client, "post", "/api/v1/me/profile/positions", body)
    assert response.status_code == 422
    assert response.json()["detail"] == {"end": ["The end date must be after the start date."]}
    assert not alice.profile.positions.exists()


def test_reorder_through_the_api(alice_client, alice):
    french = Language.objects.create(profile=alice.profile, name="French", order=0)
    english = Language.objects.create(profile=alice.profile, name="English", order=1)
    response = _json(alice_client, "put", "/api/v1/me/profile/languages/order", {"ids": [english.pk, french.pk]})
    assert response.status_code == 200
    assert [item["name"] for item in response.json()] == ["English", "French"]
    incomplete = _json(alice_client, "put", "/api/v1/me/profile/languages/order", {"ids": [english.pk]})
    assert incomplete.status_code == 422


def test_view_as_through_the_api(alice_client, alice):
    Language.objects.create(profile=alice.profile, name="Occitan")
    public = alice_client.get("/api/v1/me/profile?as=public").json()
    assert public["preview"] == "public" and public["languages"] is None
    member = alice_client.get("/api/v1/me/profile?as=member").json()
    assert [item["name"] for item in member["languages"]] == ["Occitan"]
    assert alice_client.get("/api/v1/me/profile?as=boss").status_code == 400


def test_skills_catalogue_search_ignores_case_and_accents(alice_client, bob):
    profile_skill_add(profile=bob.profile, name="Données ouvertes")
    names = [skill["name"] for skill in alice_client.get("/api/v1/skills?q=DONNEES").json()]
    assert names == ["Données ouvertes"]
