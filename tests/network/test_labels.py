"""Private labels: create, rename, delete, put on connections, filter by them; nobody but the
owner sees or touches them."""

import pytest
from django.urls import reverse

from carnet.network.models import Label
from carnet.network.services import (
    MAX_LABELS,
    NetworkError,
    label_add_member,
    label_create,
    label_delete,
    label_rename,
    labels_set,
)
from tests.factories import LabelFactory

pytestmark = pytest.mark.django_db


def test_create_rename_delete(alice):
    label = label_create(owner=alice, name="  Clients   2025 ")
    assert label.name == "Clients 2025"
    label_rename(label=label, name="Customers")
    assert Label.objects.get(pk=label.pk).name == "Customers"
    label_delete(label=label)
    assert not Label.objects.exists()


def test_names_are_unique_per_owner_whatever_the_case(alice, bob):
    label_create(owner=alice, name="Family")
    with pytest.raises(NetworkError, match="already have a label"):
        label_create(owner=alice, name="family")
    label_create(owner=bob, name="Family")  # another owner may use the same name
    other = label_create(owner=alice, name="Friends")
    with pytest.raises(NetworkError):
        label_rename(label=other, name="FAMILY")


@pytest.mark.parametrize("name", ["", "   ", "x" * 51])
def test_bad_names_are_refused(alice, name):
    with pytest.raises(NetworkError):
        label_create(owner=alice, name=name)


def test_number_of_labels_is_capped(alice):
    Label.objects.bulk_create([Label(owner=alice, name=f"L{i}") for i in range(MAX_LABELS)])
    with pytest.raises(NetworkError, match=f"at most {MAX_LABELS} labels"):
        label_create(owner=alice, name="One more")


def test_labels_go_on_connections_only(alice, bob, mallory):
    label = label_create(owner=alice, name="Team")
    label_add_member(label=label, member=bob)
    with pytest.raises(NetworkError, match="connections only"):
        label_add_member(label=label, member=mallory)
    assert list(label.members.all()) == [bob]


def test_labels_set_replaces_the_member_labels_with_own_labels_only(alice, bob, mallory):
    team, family = label_create(owner=alice, name="Team"), label_create(owner=alice, name="Family")
    labels_set(owner=alice, member=bob, labels=[team, family])
    labels_set(owner=alice, member=bob, labels=[family])
    assert list(team.members.all()) == [] and list(family.members.all()) == [bob]
    foreign = LabelFactory(owner=mallory)
    with pytest.raises(NetworkError):
        labels_set(owner=alice, member=bob, labels=[foreign])


def test_labels_page_creates_and_lists_only_my_labels(alice_client, alice, mallory):
    LabelFactory(owner=mallory, name="Mallory's secret label")
    response = alice_client.post(reverse("network:labels"), {"name": "Clients"})
    assert response.status_code == 302
    body = alice_client.get(reverse("network:labels")).content.decode()
    assert "Clients" in body and "secret label" not in body


def test_labels_page_shows_a_duplicate_name_error(alice_client, alice):
    label_create(owner=alice, name="Clients")
    response = alice_client.post(reverse("network:labels"), {"name": "clients"})
    assert response.status_code == 400 and "already have a label" in response.content.decode()


def test_rename_and_delete_from_the_page(alice_client, alice):
    label = label_create(owner=alice, name="Clients")
    alice_client.post(reverse("network:label_rename", args=[label.pk]), {"name": "Customers"})
    label.refresh_from_db()
    assert label.name == "Customers"
    alice_client.post(reverse("network:label_delete", args=[label.pk]))
    assert not Label.objects.exists()


def test_another_member_cannot_rename_delete_or_filter_by_my_label(mallory_client, alice, bob):
    label = label_create(owner=alice, name="Clients")
    label_add_member(label=label, member=bob)
    assert mallory_client.post(reverse("network:label_rename", args=[label.pk]), {"name": "x"}).status_code == 404
    assert mallory_client.post(reverse("network:label_delete", args=[label.pk])).status_code == 404
    assert Label.objects.get(pk=label.pk).name == "Clients"
    body = mallory_client.get(reverse("network:index") + f"?label={label.pk}").content.decode()
    assert "Clients" not in body and "Bob" not in body


def test_labels_show_on_my_network_cards_and_filter_them(alice_client, alice, bob, carol):
    from carnet.network.services import connection_create

    connection_create(member=alice, other=carol)
    label = label_create(owner=alice, name="Clients")
    alice_client.post(reverse("network:connection_labels", args=[bob.profile.slug]), {"labels": [label.pk]})
    assert list(label.members.all()) == [bob]
    body = alice_client.get(reverse("network:index") + f"?label={label.pk}").content.decode()
    assert "Bob Durand" in body and "Carol Petit" not in body


def test_the_labelled_member_never_sees_the_label(client, alice, bob):
    label = label_create(owner=alice, name="Difficult people")
    label_add_member(label=label, member=bob)
    client.force_login(bob)
    for url in (reverse("network:index"), reverse("network:labels"), alice.profile.get_absolute_url()):
        assert "Difficult people" not in client.get(url).content.decode()


def test_connection_labels_page_is_for_connections_only(alice_client, mallory):
    assert alice_client.get(reverse("network:connection_labels", args=[mallory.profile.slug])).status_code == 404
