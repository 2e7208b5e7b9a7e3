"""People You May Know, former colleagues, classmates: ranked, explained, filtered (self,
connections, blocked, pending, dismissed), reasons only when the policy shows what they reveal."""

import datetime

import pytest
from django.urls import reverse

from carnet.network import suggestions as sugg
from carnet.network.models import Block, Invitation, SuggestionDismissal
from carnet.network.services import connection_create
from tests.factories import (
    EducationFactory,
    MemberFactory,
    OrganizationFactory,
    PositionFactory,
    SchoolFactory,
)

pytestmark = pytest.mark.django_db


def _ids(candidates):
    return [c.user_id for c in candidates]


def _connect_all(member, others):
    for other in others:
        connection_create(member=member, other=other)


def test_mutual_connections_rank_and_explain(alice, bob, carol):
    dave = MemberFactory(first_name="Dave")
    _connect_all(alice, [dave])
    _connect_all(carol, [dave])  # carol: 2 mutual (bob, dave)
    erin = MemberFactory(first_name="Erin")
    _connect_all(erin, [bob])  # erin: 1 mutual
    found = sugg.suggestion_list(member=alice)
    assert _ids(found) == [carol.pk, erin.pk]
    assert found[0].reasons == ["2 mutual connections"]
    assert found[1].reasons == ["1 mutual connection"]


def test_excludes_self_connections_blocked_pending_and_dismissed(alice, bob, carol):
    others = [MemberFactory() for _ in range(5)]
    _connect_all(bob, others)
    blocked_by_me, blocking_me, invited, inviting, dismissed = others
    Block.objects.create(blocker=alice, blocked=blocked_by_me)
    Block.objects.create(blocker=blocking_me, blocked=alice)
    Invitation.objects.create(sender=alice, recipient=invited)
    Invitation.objects.create(sender=inviting, recipient=alice)
    SuggestionDismissal.objects.create(member=alice, dismissed=dismissed)
    assert _ids(sugg.suggestion_list(member=alice)) == [carol.pk]


def test_former_colleagues_need_overlapping_periods(alice):
    acme = OrganizationFactory(name="Acme")
    PositionFactory(
        profile=alice.profile,
        organization=acme,
        start_date=datetime.date(2019, 3, 1),
        end_date=datetime.date(2021, 6, 30),
        is_current=False,
    )
    overlap = MemberFactory()
    PositionFactory(profile=overlap.profile, organization=acme, start_date=datetime.date(2020, 1, 1), is_current=True)
    before = MemberFactory()
    PositionFactory(
        profile=before.profile,
        organization=acme,
        start_date=datetime.date(2010, 1, 1),
        end_date=datetime.date(2018, 12, 31),
        is_current=False,
    )
    elsewhere = MemberFactory()
    PositionFactory(profile=elsewhere.profile, start_date=datetime.date(2020, 1, 1))
    found = sugg.suggestion_list(member=alice)
    assert _ids(found) == [overlap.pk]
    assert found[0].reasons == ["worked at Acme at the same time, 2020–2021"]
    assert _ids(sugg.colleague_list(member=alice)) == [overlap.pk]


def test_classmates_within_two_class_years(alice):
    school = SchoolFactory(name="INSA Lyon")
    EducationFactory(profile=alice.profile, organization=school, start_year=2010, end_year=2015)
    near = MemberFactory()
    EducationFactory(profile=near.profile, organization=school, start_year=2012, end_year=2017)
    far = MemberFactory()
    EducationFactory(profile=far.profile, organization=school, start_year=2013, end_year=2018)
    found = sugg.suggestion_list(member=alice)
    assert _ids(found) == [near.pk]
    assert found[0].reasons == ["studied at INSA Lyon, class of 2017 ±2"]
    assert _ids(sugg.classmate_list(member=alice)) == [near.pk]


def test_ranking_combines_signals(alice, bob):
    acme = OrganizationFactory(name="Acme")
    PositionFactory(profile=alice.profile, organization=acme)
    colleague = MemberFactory()
    PositionFactory(profile=colleague.profile, organization=acme)
    popular = MemberFactory()  # 3 mutual connections < a colleague (8 points)
    friends = [bob, MemberFactory(), MemberFactory()]
    _connect_all(alice, friends[1:])
    _connect_all(popular, friends)
    both = MemberFactory()  # colleague + 1 mutual
    PositionFactory(profile=both.profile, organization=acme)
    _connect_all(both, [bob])
    assert _ids(sugg.suggestion_list(member=alice)) == [both.pk, colleague.pk, popular.pk]


def test_reason_hidden_by_the_policy_drops_a_candidate_with_no_other_reason(alice, bob):
    acme = OrganizationFactory(name="Acme")
    PositionFactory(profile=alice.profile, organization=acme)
    hidden = MemberFactory()
    PositionFactory(profile=hidden.profile, organization=acme)
    hidden.profile.visibility = {"current_position": "connections"}
    hidden.profile.save()
    assert hidden.pk not in _ids(sugg.suggestion_list(member=alice))
    _connect_all(hidden, [bob])  # now also a mutual connection: kept, with that reason only
    [found] = [c for c in sugg.suggestion_list(member=alice) if c.user_id == hidden.pk]
    assert found.reasons == ["1 mutual connection"]


def test_colleague_and_classmate_pages_show_connection_state(alice, bob):
    acme = OrganizationFactory(name="Acme")
    PositionFactory(profile=alice.profile, organization=acme)
    PositionFactory(profile=bob.profile, organization=acme)
    pending = MemberFactory()
    PositionFactory(profile=pending.profile, organization=acme)
    Invitation.objects.create(sender=pending, recipient=alice)
    blocked = MemberFactory()
    PositionFactory(profile=blocked.profile, organization=acme)
    Block.objects.create(blocker=blocked, blocked=alice)
    states = {c.user_id: c.state for c in sugg.colleague_list(member=alice)}
    assert states == {bob.pk: "connected", pending.pk: "pending"}


def test_dismissal_is_remembered(alice, bob, carol):
    sugg.suggestion_dismiss(member=alice, dismissed=carol)
    sugg.suggestion_dismiss(member=alice, dismissed=carol)
    assert SuggestionDismissal.objects.filter(member=alice, dismissed=carol).count() == 1
    assert carol.pk not in _ids(sugg.suggestion_list(member=alice))


# ---------------------------------------------------------------------------------------
# Pages: anonymous, mallory, alice
# ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("name", ["network:suggestions", "network:colleagues", "network:classmates"])
def test_pages_ask_anonymous_visitors_to_sign_in(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_anonymous_cannot_dismiss(client, carol):
    response = client.post(reverse("network:suggestion_dismiss", args=[carol.profile.slug]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert not SuggestionDismissal.objects.exists()


def test_stranger_sees_no_suggestions_of_alice(mallory_client, alice, bob, carol):
    response = mallory_client.get(reverse("network:suggestions"))
    assert response.status_code == 200
    assert "Carol Petit" not in response.content.decode()


def test_owner_sees_suggestions_with_reasons_and_connect_button(alice_client, carol):
    response = alice_client.get(reverse("network:suggestions"))
    body = response.content.decode()
    assert "Carol Petit" in body and "1 mutual connection" in body
    assert reverse("network:invite", args=[carol.profile.slug]) in body


def test_dismiss_through_the_page_with_htmx(alice_client, alice, carol):
    url = reverse("network:suggestion_dismiss", args=[carol.profile.slug])
    response = alice_client.post(url, HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and response.content == b""
    assert SuggestionDismissal.objects.filter(member=alice, dismissed=carol).exists()
    assert "Carol Petit" not in alice_client.get(reverse("network:suggestions")).content.decode()


def test_dismissing_a_blocked_member_is_a_404(alice_client, alice, mallory):
    Block.objects.create(blocker=mallory, blocked=alice)
    assert alice_client.post(reverse("network:suggestion_dismiss", args=[mallory.profile.slug])).status_code == 404


def test_pages_are_paginated_with_bounded_queries(client, django_assert_max_num_queries):
    me = MemberFactory()
    friend = MemberFactory()
    connection_create(member=me, other=friend)
    acme = OrganizationFactory(name="Acme")
    school = SchoolFactory(name="ENS")
    PositionFactory(profile=me.profile, organization=acme)
    EducationFactory(profile=me.profile, organization=school, end_year=2015)
    for _ in range(30):
        other = MemberFactory()
        connection_create(member=friend, other=other)
        PositionFactory(profile=other.profile, organization=acme)
        EducationFactory(profile=other.profile, organization=school, end_year=2016)
    client.force_login(me)
    for name in ("network:suggestions", "network:colleagues", "network:classmates"):
        with django_assert_max_num_queries(25):
            response = client.get(reverse(name))
        assert response.content.decode().count('class="suggestion"') == 20
        second = client.get(reverse(name) + "?page=2")
        assert second.content.decode().count('class="suggestion"') == 10
