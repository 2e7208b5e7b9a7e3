"""/api/v1/network/: invitations, connections, follows, blocks, labels, plan. Every endpoint:
anonymous (401), another member (404/403, nothing leaks), owner; the same limits as the pages
(300-character note, weekly quota 429, connection cap 409) and the same policy."""

import pytest

from carnet.network.models import Block, Follow, Invitation, InvitationStatus, Label
from carnet.network.selectors import are_connected
from carnet.network.services import invitation_send, label_create
from tests.factories import (
    EducationFactory,
    InvitationFactory,
    MemberFactory,
    OrganizationFactory,
    PositionFactory,
    SchoolFactory,
)

pytestmark = pytest.mark.django_db

API = "/api/v1/network"


def _post(client, url, data=None):
    return client.post(url, data or {}, content_type="application/json")


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/invitations"),
        ("post", "/invitations"),
        ("get", "/invitations/how-met/x"),
        ("post", "/invitations/1/accept"),
        ("post", "/invitations/1/ignore"),
        ("post", "/invitations/1/report"),
        ("post", "/invitations/1/withdraw"),
        ("get", "/connections"),
        ("delete", "/connections/x"),
        ("get", "/following"),
        ("get", "/followers"),
        ("put", "/following/x"),
        ("delete", "/following/x"),
        ("get", "/blocks"),
        ("put", "/blocks/x"),
        ("delete", "/blocks/x"),
        ("get", "/labels"),
        ("post", "/labels"),
        ("patch", "/labels/1"),
        ("delete", "/labels/1"),
        ("put", "/labels/1/members/x"),
        ("delete", "/labels/1/members/x"),
        ("get", "/plan"),
    ],
)
def test_anonymous_is_refused(client, method, path):
    response = getattr(client, method)(API + path, content_type="application/json")
    assert response.status_code == 401


def test_invitation_journey_over_the_api(client, alice, mallory):
    acme = OrganizationFactory(name="Acme")
    PositionFactory(profile=alice.profile, organization=acme)
    PositionFactory(profile=mallory.profile, organization=acme)
    client.force_login(alice)
    choices = client.get(f"{API}/invitations/how-met/{mallory.profile.slug}").json()
    assert [(c["how_met"], c["organization"]) for c in choices] == [("colleague", acme.slug), ("other", None)]
    assert choices[0]["label"] == "We worked together at Acme"
    response = _post(
        client,
        f"{API}/invitations",
        {"member": mallory.profile.slug, "note": "Hi", "how_met": "colleague", "organization": acme.slug},
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["direction"], body["status"], body["organization"]) == ("sent", "pending", "Acme")
    assert [i["id"] for i in client.get(f"{API}/invitations?direction=sent").json()["items"]] == [body["id"]]

    client.force_login(mallory)
    received = client.get(f"{API}/invitations").json()["items"]
    assert [(i["id"], i["note"], i["member"]["slug"]) for i in received] == [(body["id"], "Hi", alice.profile.slug)]
    assert _post(client, f"{API}/invitations/{body['id']}/accept").json()["status"] == "accepted"
    assert are_connected(alice.pk, mallory.pk)
    slugs = [c["member"]["slug"] for c in client.get(f"{API}/connections").json()["items"]]
    assert slugs == [alice.profile.slug]


def test_how_met_choices_list_shared_schools_and_only_shared_ones(client, alice, mallory):
    school = SchoolFactory(name="INSA")
    EducationFactory(profile=alice.profile, organization=school)
    EducationFactory(profile=mallory.profile, organization=school)
    PositionFactory(profile=mallory.profile)  # a company alice never worked at
    client.force_login(alice)
    choices = client.get(f"{API}/invitations/how-met/{mallory.profile.slug}").json()
    assert [(c["how_met"], c["organization"]) for c in choices] == [("classmate", school.slug), ("other", None)]


def test_how_met_choices_of_oneself_or_a_blocked_member_are_not_found(client, alice, mallory):
    Block.objects.create(blocker=mallory, blocked=alice)
    client.force_login(alice)
    assert client.get(f"{API}/invitations/how-met/{alice.profile.slug}").status_code == 404
    assert client.get(f"{API}/invitations/how-met/{mallory.profile.slug}").status_code == 404
    assert client.get(f"{API}/invitations/how-met/nobody-here").status_code == 404


def test_note_over_300_characters_is_refused_by_the_api(client, alice, mallory):
    client.force_login(alice)
    response = _post(client, f"{API}/invitations", {"member": mallory.profile.slug, "note": "x" * 301})
    assert response.status_code == 400
    assert "300" in response.json()["detail"]
    assert not Invitation.objects.exists()
    response = _post(client, f"{API}/invitations", {"member": mallory.profile.slug, "note": "x" * 300})
    assert response.status_code == 201


def test_weekly_quota_answers_429_naming_the_limit(client, alice):
    from carnet.network.plans import FREE

    for _ in range(FREE.invitations_per_week):
        InvitationFactory(sender=alice, recipient=MemberFactory())
    client.force_login(alice)
    response = _post(client, f"{API}/invitations", {"member": MemberFactory().profile.slug})
    assert response.status_code == 429
    assert response.json()["error"] == "quota_exceeded"
    assert str(FREE.invitations_per_week) in response.json()["detail"]


def test_connection_cap_answers_409(client, alice, bob, mallory, settings):
    settings.CARNET_MAX_CONNECTIONS = 1
    client.force_login(alice)
    response = _post(client, f"{API}/invitations", {"member": mallory.profile.slug})
    assert response.status_code == 409
    assert "limit of 1 connections" in response.json()["detail"]


def test_another_member_cannot_answer_or_withdraw_an_invitation(client, alice, bob, mallory):
    invitation = invitation_send(sender=alice, recipient=mallory)
    client.force_login(bob)
    for action in ("accept", "ignore", "report", "withdraw"):
        assert _post(client, f"{API}/invitations/{invitation.pk}/{action}").status_code == 404
    client.force_login(alice)
    assert _post(client, f"{API}/invitations/{invitation.pk}/accept").status_code == 403
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.PENDING
    assert _post(client, f"{API}/invitations/{invitation.pk}/withdraw").json()["status"] == "withdrawn"


def test_report_flags_the_invitation(client, alice, mallory):
    invitation = invitation_send(sender=mallory, recipient=alice)
    client.force_login(alice)
    body = _post(client, f"{API}/invitations/{invitation.pk}/report").json()
    assert (body["status"], body["reported"]) == ("ignored", True)
    client.force_login(mallory)
    assert _post(client, f"{API}/invitations", {"member": alice.profile.slug}).status_code == 403


def test_connections_are_ones_own_and_remove_works_only_on_ones_own(client, alice, bob, mallory):
    client.force_login(mallory)
    assert client.get(f"{API}/connections").json()["items"] == []
    assert client.delete(f"{API}/connections/{bob.profile.slug}").status_code in (204, 404)
    assert are_connected(alice.pk, bob.pk)
    client.force_login(alice)
    assert [c["member"]["degree"] for c in client.get(f"{API}/connections").json()["items"]] == [1]
    assert client.delete(f"{API}/connections/{bob.profile.slug}").status_code == 204
    assert not are_connected(alice.pk, bob.pk)


def test_follow_and_unfollow(client, alice, mallory):
    client.force_login(alice)
    assert client.put(f"{API}/following/{mallory.profile.slug}").status_code == 204
    assert [f["member"]["slug"] for f in client.get(f"{API}/following").json()["items"]] == [mallory.profile.slug]
    client.force_login(mallory)
    assert [f["member"]["slug"] for f in client.get(f"{API}/followers").json()["items"]] == [alice.profile.slug]
    assert client.get(f"{API}/following").json()["items"] == []
    client.force_login(alice)
    assert client.delete(f"{API}/following/{mallory.profile.slug}").status_code == 204
    assert not Follow.objects.exists()


def test_block_hides_and_unblock(client, alice, bob):
    client.force_login(alice)
    assert client.put(f"{API}/blocks/{bob.profile.slug}").status_code == 204
    assert not are_connected(alice.pk, bob.pk)
    assert [b["slug"] for b in client.get(f"{API}/blocks").json()["items"]] == [bob.profile.slug]
    client.force_login(bob)
    assert client.get(f"{API}/blocks").json()["items"] == []
    assert client.put(f"{API}/following/{alice.profile.slug}").status_code == 404
    assert _post(client, f"{API}/invitations", {"member": alice.profile.slug}).status_code == 404
    assert client.delete(f"{API}/blocks/{alice.profile.slug}").status_code == 404
    client.force_login(alice)
    assert client.delete(f"{API}/blocks/{bob.profile.slug}").status_code == 204
    assert not Block.objects.exists()


def test_labels_are_private_to_their_owner(client, alice, bob, mallory):
    client.force_login(alice)
    response = _post(client, f"{API}/labels", {"name": "Clients"})
    assert response.status_code == 201
    pk = response.json()["id"]
    assert client.put(f"{API}/labels/{pk}/members/{bob.profile.slug}").status_code == 204
    assert [c["labels"][0]["name"] for c in client.get(f"{API}/connections").json()["items"]] == ["Clients"]
    assert [c["member"]["slug"] for c in client.get(f"{API}/connections?label={pk}").json()["items"]] == [
        bob.profile.slug
    ]
    client.force_login(mallory)
    assert client.get(f"{API}/labels").json() == []
    assert client.patch(f"{API}/labels/{pk}", {"name": "Mine"}, content_type="application/json").status_code == 404
    assert client.put(f"{API}/labels/{pk}/members/{bob.profile.slug}").status_code == 404
    assert client.delete(f"{API}/labels/{pk}/members/{bob.profile.slug}").status_code == 404
    assert client.delete(f"{API}/labels/{pk}").status_code == 404
    assert Label.objects.get(pk=pk).name == "Clients"
    client.force_login(alice)
    assert (
        client.patch(f"{API}/labels/{pk}", {"name": "Partners"}, content_type="application/json").json()["name"]
        == "Partners"
    )
    assert client.delete(f"{API}/labels/{pk}/members/{bob.profile.slug}").status_code == 204
    assert client.delete(f"{API}/labels/{pk}").status_code == 204


def test_duplicate_label_answers_409(client, alice):
    label_create(owner=alice, name="Clients")
    client.force_login(alice)
    assert _post(client, f"{API}/labels", {"name": "clients"}).status_code == 409


def test_plan_shows_ones_own_usage(client, alice, mallory):
    invitation_send(sender=alice, recipient=mallory)
    client.force_login(alice)
    body = client.get(f"{API}/plan").json()
    assert body["code"] == "free"
    usage = {q["name"]: q for q in body["usage"]}
    assert usage["invitations_per_week"]["used"] == 1 and usage["invitations_per_week"]["resets_at"]
    client.force_login(mallory)
    usage = {q["name"]: q for q in client.get(f"{API}/plan").json()["usage"]}
    assert usage["invitations_per_week"]["used"] == 0


def test_list_endpoints_in_a_fixed_number_of_queries(client, alice, django_assert_max_num_queries):
    from carnet.network.services import connection_create, follow_create

    for _ in range(6):
        other = MemberFactory()
        connection_create(member=alice, other=other)
        follow_create(follower=alice, followed=other)
        InvitationFactory(sender=MemberFactory(), recipient=alice)
    client.force_login(alice)
    for path in ("/connections", "/following", "/invitations", "/labels", "/blocks"):
        with django_assert_max_num_queries(14):
            assert client.get(API + path).status_code == 200
