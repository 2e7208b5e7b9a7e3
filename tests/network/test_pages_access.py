"""Access to every page of the network (views.py): anonymous visitors are sent to sign in,
another member reaches nothing of alice's, the owner gets their page. One table, so a new
page without its access test stands out."""

import pytest
from django.urls import reverse

from carnet.network.models import Invitation, Label, PlanGrant
from carnet.network.selectors import are_connected
from carnet.network.services import invitation_send, label_create
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db

OWN_PAGES = [
    ("network:index", []),
    ("network:invitations", []),
    ("network:invitations_sent", []),
    ("network:followers", []),
    ("network:following", []),
    ("network:blocked", []),
    ("network:labels", []),
    ("network:plan", []),
]


def _redirects_to_login(response):
    return response.status_code == 302 and reverse("account_login") in response["Location"]


@pytest.mark.parametrize(("name", "args"), OWN_PAGES)
def test_anonymous_is_sent_to_sign_in(client, name, args):
    assert _redirects_to_login(client.get(reverse(name, args=args)))


@pytest.mark.parametrize(("name", "args"), OWN_PAGES)
def test_owner_gets_their_page(alice_client, bob, name, args):
    assert alice_client.get(reverse(name, args=args)).status_code == 200


def test_anonymous_cannot_act(client, alice, bob):
    invitation = invitation_send(sender=alice, recipient=MemberFactory())
    label = label_create(owner=alice, name="Clients")
    slug = bob.profile.slug
    posts = [
        reverse("network:invite", args=[slug]),
        reverse("network:invitation_accept", args=[invitation.pk]),
        reverse("network:invitation_ignore", args=[invitation.pk]),
        reverse("network:invitation_report", args=[invitation.pk]),
        reverse("network:invitation_withdraw", args=[invitation.pk]),
        reverse("network:connection_remove", args=[slug]),
        reverse("network:connection_labels", args=[slug]),
        reverse("network:follow", args=[slug]),
        reverse("network:unfollow", args=[slug]),
        reverse("network:block", args=[slug]),
        reverse("network:unblock", args=[slug]),
        reverse("network:label_rename", args=[label.pk]),
        reverse("network:label_delete", args=[label.pk]),
    ]
    for url in posts:
        assert _redirects_to_login(client.post(url, {"name": "x"})), url
    assert are_connected(alice.pk, bob.pk)
    assert Invitation.objects.get(pk=invitation.pk).status == "pending"
    assert Label.objects.get(pk=label.pk).name == "Clients"


def test_another_member_reaches_none_of_alices_things(mallory_client, alice, bob):
    invitation = invitation_send(sender=alice, recipient=MemberFactory())
    label = label_create(owner=alice, name="Clients")
    for action in ("accept", "ignore", "report", "withdraw"):
        response = mallory_client.post(reverse(f"network:invitation_{action}", args=[invitation.pk]))
        assert response.status_code == 404, action
    assert mallory_client.post(reverse("network:label_rename", args=[label.pk]), {"name": "Mine"}).status_code == 404
    assert mallory_client.post(reverse("network:label_delete", args=[label.pk])).status_code == 404
    # Labels and removal only apply to one's own connections.
    assert mallory_client.get(reverse("network:connection_labels", args=[bob.profile.slug])).status_code == 404
    assert mallory_client.post(reverse("network:connection_remove", args=[bob.profile.slug])).status_code == 404
    assert are_connected(alice.pk, bob.pk)
    assert Invitation.objects.get(pk=invitation.pk).status == "pending"
    assert Label.objects.get(pk=label.pk).name == "Clients"
    body = mallory_client.get(reverse("network:index")).content.decode()
    assert "Bob" not in body


def test_only_staff_grant_plans(client, alice, mallory):
    url = reverse("network:plan_grants")
    assert client.get(url).status_code == 302
    client.force_login(mallory)
    response = client.post(url, {"email": "mallory@example.org", "plan": "premium"})
    assert response.status_code in (302, 403)
    assert not PlanGrant.objects.exists()
    alice.is_staff = True
    alice.save(update_fields=["is_staff"])
    client.force_login(alice)
    assert client.get(url).status_code == 200


def test_settings_nav_links_to_the_plan_and_blocked_pages(alice_client):
    body = alice_client.get(reverse("network:plan")).content.decode()
    assert f'href="{reverse("network:blocked")}"' in body
    assert f'href="{reverse("network:plan")}" aria-current="page"' in body
