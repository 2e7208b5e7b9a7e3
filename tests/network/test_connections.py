"""My network: the connections list with its filters (that never reveal a hidden field), sorts,
pagination, query counts; removing a connection."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from carnet.network.models import Connection
from carnet.network.selectors import NetworkFilters, NetworkSort, are_connected, network_list
from carnet.network.services import NetworkError, connection_create, connection_end, label_add_member, label_create
from tests.factories import (
    EducationFactory,
    MemberFactory,
    OrganizationFactory,
    PositionFactory,
    ProfileSkillFactory,
    SchoolFactory,
    SkillFactory,
)

pytestmark = pytest.mark.django_db


def _connect(alice, **names):
    member = MemberFactory(**names)
    connection_create(member=alice, other=member)
    return member


def _ids(alice, **filters):
    sort = filters.pop("sort", NetworkSort.RECENT)
    return [row.other_id for row in network_list(member_id=alice.pk, filters=NetworkFilters(**filters), sort=sort)]


def test_filter_by_current_company(alice):
    acme = OrganizationFactory(name="Acme Robotics")
    now_at_acme, was_at_acme, elsewhere = _connect(alice), _connect(alice), _connect(alice)
    PositionFactory(profile=now_at_acme.profile, organization=acme)
    PositionFactory(
        profile=was_at_acme.profile, organization=acme, end_date=datetime.date(2020, 1, 1), is_current=False
    )
    PositionFactory(profile=elsewhere.profile)
    assert _ids(alice, company="acme") == [now_at_acme.pk]


def test_company_filter_does_not_reveal_a_hidden_position(alice):
    acme = OrganizationFactory(name="Acme")
    hidden = _connect(alice)
    PositionFactory(profile=hidden.profile, organization=acme)
    assert _ids(alice, company="Acme") == [hidden.pk]
    hidden.profile.visibility = {"current_position": "only_me"}
    hidden.profile.save()
    assert _ids(alice, company="Acme") == []


def test_filter_by_school_location_and_skill(alice):
    insa = SchoolFactory(name="INSA Lyon")
    student, lyonnais, pythonista = _connect(alice), _connect(alice), _connect(alice)
    EducationFactory(profile=student.profile, organization=insa)
    lyonnais.profile.location = "Lyon, France"
    lyonnais.profile.save()
    ProfileSkillFactory(profile=pythonista.profile, skill=SkillFactory(name="Python"))
    assert _ids(alice, school="insa") == [student.pk]
    assert _ids(alice, location="lyon") == [lyonnais.pk]
    assert _ids(alice, skill="PYTHON") == [pythonista.pk]


@pytest.mark.parametrize(("field", "filters"), [("education", {"school": "INSA"}), ("location", {"location": "Lyon"})])
def test_field_filters_respect_the_member_choice(alice, field, filters):
    member = _connect(alice)
    EducationFactory(profile=member.profile, organization=SchoolFactory(name="INSA"))
    member.profile.location = "Lyon"
    member.profile.visibility = {field: "only_me"}
    member.profile.save()
    assert _ids(alice, **filters) == []


def test_filter_connected_since(alice):
    old, new = _connect(alice), _connect(alice)
    Connection.objects.filter(other=old).update(created=timezone.now() - datetime.timedelta(days=400))
    assert _ids(alice, since=(timezone.now() - datetime.timedelta(days=30)).date()) == [new.pk]


def test_filter_by_name_and_sorts(alice):
    zoe = _connect(alice, first_name="Zoé", last_name="Abadie")
    adam = _connect(alice, first_name="Adam", last_name="Zola")
    assert _ids(alice, name="zol") == [adam.pk]
    assert _ids(alice, sort=NetworkSort.FIRST_NAME) == [adam.pk, zoe.pk]
    assert _ids(alice, sort=NetworkSort.LAST_NAME) == [zoe.pk, adam.pk]
    assert _ids(alice, sort=NetworkSort.RECENT) == [adam.pk, zoe.pk]


def test_filter_by_label_uses_only_the_owner_labels(alice, bob):
    carol = _connect(alice)
    clients = label_create(owner=alice, name="Clients")
    label_add_member(label=clients, member=carol)
    assert _ids(alice, label_id=clients.pk) == [carol.pk]
    # Bob connected to carol cannot filter by alice's label.
    connection_create(member=bob, other=carol)
    assert [r.other_id for r in network_list(member_id=bob.pk, filters=NetworkFilters(label_id=clients.pk))] == []


def test_my_network_page_filters_and_keeps_them_across_pages(alice_client, alice):
    for _ in range(27):
        member = _connect(alice)
        member.profile.location = "Lyon"
        member.profile.save()
    _connect(alice)  # not in Lyon
    response = alice_client.get(reverse("network:index") + "?location=Lyon")
    body = response.content.decode()
    assert "27 matching connections" in body and "of 28" in body
    assert "location=Lyon&amp;page=2" in body or "page=2&amp;location=Lyon" in body


def test_my_network_page_in_a_fixed_number_of_queries(client, alice, django_assert_max_num_queries):
    label = label_create(owner=alice, name="Friends")
    for _ in range(25):
        member = _connect(alice)
        label_add_member(label=label, member=member)
    client.force_login(alice)
    # Signed-in shell, labels, count, page, the policy's relations and blocks, the page's labels.
    with django_assert_max_num_queries(8):
        response = client.get(reverse("network:index"))
    assert response.status_code == 200
    assert response.content.decode().count("Friends") >= 25


def test_my_network_page_with_a_bad_filter_value_does_not_fail(alice_client):
    response = alice_client.get(reverse("network:index") + "?since=yesterday&label=abc&sort=evil&page=x")
    assert response.status_code == 200


def test_remove_a_connection_asks_first_then_removes_both_ways(alice_client, alice, bob):
    url = reverse("network:connection_remove", args=[bob.profile.slug])
    page = alice_client.get(url)
    assert page.status_code == 200 and b"Remove Bob Durand from your connections?" in page.content
    assert are_connected(alice.pk, bob.pk)
    assert alice_client.post(url).status_code == 302
    assert not are_connected(alice.pk, bob.pk) and not are_connected(bob.pk, alice.pk)


def test_removing_takes_the_member_off_the_labels(alice, bob):
    label = label_create(owner=alice, name="Team")
    label_add_member(label=label, member=bob)
    connection_end(member=alice, other=bob)
    assert label.members.count() == 0


def test_cannot_remove_someone_who_is_not_a_connection(alice, mallory, mallory_client):
    with pytest.raises(NetworkError):
        connection_end(member=alice, other=mallory)
    assert mallory_client.get(reverse("network:connection_remove", args=[alice.profile.slug])).status_code == 404
