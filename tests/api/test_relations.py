"""/api/v1/relations/: introductions, recommendations, endorsements, suggestions, colleagues,
classmates, contacts import/export. Every endpoint: anonymous, mallory, alice; same policy
and limits as the pages (403/404/409/429 with {"error", "detail"})."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from carnet.accounts.services import token_create
from carnet.network import introductions as intro
from carnet.network import recommendations as recs
from carnet.network.models import (
    Block,
    EmailInvitation,
    Endorsement,
    Introduction,
    IntroductionStatus,
    Invitation,
    Recommendation,
    RecommendationStatus,
    SuggestionDismissal,
)
from carnet.network.relations_support import are_connected
from tests.api.conftest import bearer
from tests.factories import IntroductionFactory, MemberFactory, ProfileSkillFactory, SkillFactory

pytestmark = pytest.mark.django_db

API = "/api/v1/relations"


def _post(client, url, data=None, **extra):
    return client.post(url, data or {}, content_type="application/json", **extra)


# ---------------------------------------------------------------------------------------
# Anonymous: 401 everywhere except the public profile sections
# ---------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/introductions"),
        ("post", "/introductions"),
        ("get", "/introductions/1"),
        ("post", "/introductions/1/accept"),
        ("get", "/introductions/intermediaries/x"),
        ("get", "/recommendations"),
        ("post", "/recommendations"),
        ("post", "/recommendations/requests"),
        ("patch", "/recommendations/1"),
        ("post", "/recommendations/1/accept"),
        ("post", "/skills/1/endorsement"),
        ("delete", "/skills/1/endorsement"),
        ("get", "/suggestions"),
        ("post", "/suggestions/x/dismiss"),
        ("get", "/colleagues"),
        ("get", "/classmates"),
        ("post", "/contacts/imports"),
        ("get", "/contacts/imports/1"),
        ("post", "/contacts/imports/1/invite-members"),
        ("post", "/contacts/imports/1/invite-emails"),
        ("post", "/contacts/imports/1/close"),
        ("get", "/contacts/export"),
    ],
)
def test_anonymous_is_refused(client, method, path):
    response = getattr(client, method)(API + path, content_type="application/json")
    assert response.status_code == 401
    assert response.json()["error"] == "not_authenticated"


def test_anonymous_sees_public_recommendations_and_skills(client, alice, bob):
    rec = recs.recommendation_write(author=alice, recipient=bob, relationship="same_team", text="Great colleague.")
    recs.recommendation_transition(recommendation=rec, actor=bob, action="accept")
    ProfileSkillFactory(profile=bob.profile, skill=SkillFactory(name="Python"))
    items = client.get(f"{API}/profiles/{bob.profile.slug}/recommendations").json()
    assert [i["text"] for i in items] == ["Great colleague."]
    assert items[0]["request_message"] is None
    skills = client.get(f"{API}/profiles/{bob.profile.slug}/skills").json()
    assert skills["can_endorse"] is False and skills["skills"][0]["name"] == "Python"


# ---------------------------------------------------------------------------------------
# Introductions
# ---------------------------------------------------------------------------------------
def test_introduction_journey_over_the_api(client, alice, bob, carol):
    client.force_login(alice)
    assert [m["slug"] for m in client.get(f"{API}/introductions/intermediaries/{carol.profile.slug}").json()] == [
        bob.profile.slug
    ]
    response = _post(
        client,
        f"{API}/introductions",
        {"target": carol.profile.slug, "intermediary": bob.profile.slug, "message": "Hello!"},
    )
    assert response.status_code == 201, response.content
    pk = response.json()["id"]
    assert response.json()["role"] == "requester"
    client.force_login(bob)
    assert [i["id"] for i in client.get(f"{API}/introductions?box=to_forward").json()["items"]] == [pk]
    assert _post(client, f"{API}/introductions/{pk}/forward", {"note": "She is great"}).json()["status"] == "forwarded"
    client.force_login(carol)
    detail = client.get(f"{API}/introductions/{pk}").json()
    assert detail["intermediary_note"] == "She is great" and detail["role"] == "target"
    assert _post(client, f"{API}/introductions/{pk}/accept").json()["status"] == "accepted"
    assert are_connected(alice.pk, carol.pk)


def test_stranger_cannot_read_or_act_on_an_introduction(client, alice, bob, carol, mallory):
    introduction = intro.introduction_request(requester=alice, intermediary=bob, target=carol, message="Hi")
    client.force_login(mallory)
    assert client.get(f"{API}/introductions/{introduction.pk}").status_code == 404
    for action in ("forward", "decline", "accept"):
        assert _post(client, f"{API}/introductions/{introduction.pk}/{action}").status_code == 404
    assert client.get(f"{API}/introductions?box=sent").json()["items"] == []
    response = _post(
        client,
        f"{API}/introductions",
        {"target": carol.profile.slug, "intermediary": bob.profile.slug, "message": "Hi"},
    )
    assert response.status_code == 403
    assert Introduction.objects.count() == 1


def test_introduction_quota_answers_429_naming_the_limit(client, alice, bob, carol):
    from carnet.network.plans import FREE

    for _ in range(FREE.introductions_per_month):
        IntroductionFactory(requester=alice, status=IntroductionStatus.DECLINED)
    client.force_login(alice)
    response = _post(
        client,
        f"{API}/introductions",
        {"target": carol.profile.slug, "intermediary": bob.profile.slug, "message": "Hi"},
    )
    assert response.status_code == 429
    assert response.json()["error"] == "rate_limited"
    assert "introduction requests per month" in response.json()["detail"]


def test_blocked_members_are_missing(client, alice, bob, carol):
    Block.objects.create(blocker=carol, blocked=alice)
    client.force_login(alice)
    assert client.get(f"{API}/introductions/intermediaries/{carol.profile.slug}").status_code == 404


def test_read_token_cannot_write(client, alice, bob, carol):
    _pk, secret = token_create(user=alice, name="r", scope="read")
    body = {"target": carol.profile.slug, "intermediary": bob.profile.slug, "message": "Hi"}
    assert _post(client, f"{API}/introductions", body, **bearer(secret)).status_code in (401, 403)
    assert not Introduction.objects.exists()
    _pk, secret = token_create(user=alice, name="w", scope="write")
    assert _post(client, f"{API}/introductions", body, **bearer(secret)).status_code == 201


# ---------------------------------------------------------------------------------------
# Recommendations and endorsements
# ---------------------------------------------------------------------------------------
def test_recommendation_flow_over_the_api(client, alice, bob):
    client.force_login(bob)
    response = _post(
        client,
        f"{API}/recommendations/requests",
        {"author": alice.profile.slug, "relationship": "managed", "message": "A few words?"},
    )
    assert response.status_code == 201
    pk = response.json()["id"]
    client.force_login(alice)
    assert [r["id"] for r in client.get(f"{API}/recommendations").json()["to_write"]] == [pk]
    response = client.patch(
        f"{API}/recommendations/{pk}",
        {"relationship": "managed", "context": "Acme", "text": "Bob is excellent."},
        content_type="application/json",
    )
    assert response.json()["status"] == "pending"
    client.force_login(bob)
    assert _post(client, f"{API}/recommendations/{pk}/accept").json()["status"] == "accepted"
    assert _post(client, f"{API}/recommendations/{pk}/hide").json()["status"] == "hidden"


def test_stranger_cannot_write_read_or_act_on_recommendations(client, alice, bob, mallory):
    rec = recs.recommendation_write(author=alice, recipient=bob, relationship="same_team", text="Great.")
    client.force_login(mallory)
    response = _post(
        client, f"{API}/recommendations", {"recipient": bob.profile.slug, "relationship": "other", "text": "Hm"}
    )
    assert response.status_code == 403
    assert _post(client, f"{API}/recommendations/{rec.pk}/accept").status_code == 404
    response = client.patch(
        f"{API}/recommendations/{rec.pk}",
        {"relationship": "other", "text": "Hijacked"},
        content_type="application/json",
    )
    assert response.status_code == 404
    assert client.get(f"{API}/recommendations").json()["to_review"] == []
    assert Recommendation.objects.get().status == RecommendationStatus.PENDING
    # Not accepted yet: not on the public list.
    assert client.get(f"{API}/profiles/{bob.profile.slug}/recommendations").json() == []


def test_endorsements_over_the_api(client, alice, bob, mallory):
    item = ProfileSkillFactory(profile=bob.profile, skill=SkillFactory(name="Go"))
    client.force_login(mallory)
    assert _post(client, f"{API}/skills/{item.pk}/endorsement").status_code == 403
    client.force_login(alice)
    body = _post(client, f"{API}/skills/{item.pk}/endorsement").json()
    assert (body["endorsements"], body["endorsed_by_me"]) == (1, True)
    assert client.get(f"{API}/profiles/{bob.profile.slug}/skills").json()["can_endorse"] is True
    body = client.delete(f"{API}/skills/{item.pk}/endorsement").json()
    assert body["endorsements"] == 0
    assert not Endorsement.objects.exists()
    assert _post(client, f"{API}/skills/999999/endorsement").status_code == 404


# ---------------------------------------------------------------------------------------
# Suggestions, colleagues, classmates
# ---------------------------------------------------------------------------------------
def test_suggestions_are_paginated_and_dismissable(client, alice, bob, carol):
    others = [MemberFactory() for _ in range(3)]
    from carnet.network.services import connection_create

    for other in others:
        connection_create(member=bob, other=other)
    client.force_login(alice)
    first = client.get(f"{API}/suggestions?limit=2").json()
    assert len(first["items"]) == 2 and first["next_cursor"]
    assert first["items"][0]["reasons"] == ["1 mutual connection"]
    second = client.get(f"{API}/suggestions?limit=2&cursor={first['next_cursor']}").json()
    assert len(second["items"]) == 2 and second["next_cursor"] is None
    assert client.get(f"{API}/suggestions?cursor=forged").status_code == 400
    assert _post(client, f"{API}/suggestions/{carol.profile.slug}/dismiss").status_code == 204
    assert SuggestionDismissal.objects.filter(member=alice, dismissed=carol).exists()
    slugs = [i["member"]["slug"] for i in client.get(f"{API}/suggestions").json()["items"]]
    assert carol.profile.slug not in slugs


def test_stranger_gets_only_their_own_suggestions(client, alice, bob, carol, mallory):
    client.force_login(mallory)
    assert client.get(f"{API}/suggestions").json()["items"] == []
    assert client.get(f"{API}/colleagues").json()["items"] == []
    assert client.get(f"{API}/classmates").json()["items"] == []


# ---------------------------------------------------------------------------------------
# Contacts
# ---------------------------------------------------------------------------------------
def test_contacts_import_and_invitations_over_the_api(client, alice, mallory):
    zoe = MemberFactory(email="zoe@example.org")
    client.force_login(alice)
    upload = SimpleUploadedFile("c.csv", b"Name,Email\nZoe,zoe@example.org\nAnn,ann@example.org\n")
    response = client.post(f"{API}/contacts/imports", {"file": upload})
    assert response.status_code == 201, response.content
    report = response.json()
    pk = report["id"]
    assert [m["member"]["slug"] for m in report["members"]] == [zoe.profile.slug]
    assert report["non_members"][0]["email"] == "ann@example.org"
    # Mallory: not hers.
    client.force_login(mallory)
    assert client.get(f"{API}/contacts/imports/{pk}").status_code == 404
    assert (
        _post(client, f"{API}/contacts/imports/{pk}/invite-members", {"members": [zoe.profile.slug]}).status_code == 404
    )
    assert (
        _post(client, f"{API}/contacts/imports/{pk}/invite-emails", {"all": True, "consent": True}).status_code == 404
    )
    assert _post(client, f"{API}/contacts/imports/{pk}/close").status_code == 404
    # Alice again.
    client.force_login(alice)
    assert _post(client, f"{API}/contacts/imports/{pk}/invite-members", {"members": [zoe.profile.slug]}).json() == {
        "invited": 1,
        "skipped": [],
    }
    assert Invitation.objects.filter(sender=alice, recipient=zoe).exists()
    response = _post(client, f"{API}/contacts/imports/{pk}/invite-emails", {"all": True})
    assert response.status_code == 400 and "Tick the box" in response.json()["detail"]
    assert _post(client, f"{API}/contacts/imports/{pk}/invite-emails", {"all": True, "consent": True}).json() == {
        "invited": 1
    }
    assert EmailInvitation.objects.get().email == "ann@example.org"
    detail = client.get(f"{API}/contacts/imports/{pk}").json()
    assert detail["addresses_erased"] and detail["non_members"] == []


def test_contacts_import_refuses_bad_files(client, alice):
    client.force_login(alice)
    response = client.post(f"{API}/contacts/imports", {"file": SimpleUploadedFile("x.vcf", b"\x00\x01binary")})
    assert response.status_code == 400
    assert "binary" in response.json()["detail"]


def test_contacts_export_over_the_api(client, alice, bob, mallory):
    client.force_login(alice)
    response = client.get(f"{API}/contacts/export?format=csv")
    assert response.status_code == 200
    assert "Bob" in b"".join(response.streaming_content).decode()
    response = client.get(f"{API}/contacts/export")
    assert "BEGIN:VCARD" in b"".join(response.streaming_content).decode()
    assert client.get(f"{API}/contacts/export?format=xml").status_code == 400
    client.force_login(mallory)
    assert "Bob" not in b"".join(client.get(f"{API}/contacts/export?format=csv").streaming_content).decode()
