"""Who viewed my profile: what is recorded, what the owner sees (within their plan), and
how browsing modes show ("someone at <company>", "anonymous member")."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from carnet.core.visibility import Audience, Relation
from carnet.network.models import Block
from carnet.profiles import activity
from carnet.profiles.models import BrowsingMode, Profile, ProfileVisit
from tests.factories import MemberFactory, PositionFactory

pytestmark = pytest.mark.django_db


def _visit(client, viewer, owner):
    client.force_login(viewer)
    assert client.get(owner.profile.get_absolute_url()).status_code == 200


def test_profile_page_records_one_visit_per_viewer_per_day(client, alice, bob):
    _visit(client, bob, alice)
    _visit(client, bob, alice)
    visit = ProfileVisit.objects.get()
    assert (visit.profile_id, visit.viewer_id, visit.day, visit.mode) == (
        alice.pk,
        bob.pk,
        timezone.localdate(),
        BrowsingMode.NAMED,
    )


def test_not_recorded_for_the_owner_anonymous_or_blocked(client, alice, mallory):
    _visit(client, alice, alice)
    client.logout()
    client.get(alice.profile.get_absolute_url())
    assert not ProfileVisit.objects.exists()
    Block.objects.create(blocker=alice, blocked=mallory)
    client.force_login(mallory)
    assert client.get(alice.profile.get_absolute_url()).status_code == 404
    assert activity.visit_record(profile=alice.profile, viewer=mallory, relation=Relation.BLOCKED) is False
    assert not ProfileVisit.objects.exists()


def test_next_day_is_a_new_visit(alice, bob):
    today = timezone.localdate()
    assert activity.visit_record(profile=alice.profile, viewer=bob, today=today - datetime.timedelta(days=1))
    assert activity.visit_record(profile=alice.profile, viewer=bob, today=today)
    assert not activity.visit_record(profile=alice.profile, viewer=bob, today=today)
    assert ProfileVisit.objects.count() == 2


def test_semi_private_visit_freezes_the_company_the_owner_may_see(alice, bob, carol):
    PositionFactory(profile=bob.profile, organization__name="Globex", title="Buyer")
    PositionFactory(profile=carol.profile, organization__name="Initech", title="Analyst")
    Profile.objects.filter(pk__in=[bob.pk, carol.pk]).update(browsing_mode=BrowsingMode.SEMI_PRIVATE)
    # Carol shows her current position to connections only: alice (2nd degree) may not see it.
    Profile.objects.filter(pk=carol.pk).update(visibility={"current_position": Audience.CONNECTIONS})
    activity.visit_record(profile=alice.profile, viewer=bob)
    activity.visit_record(profile=alice.profile, viewer=carol)
    companies = dict(ProfileVisit.objects.values_list("viewer_id", "viewer_company"))
    assert companies == {bob.pk: "Globex", carol.pk: ""}
    # A later change of mode does not reveal the past visit.
    Profile.objects.filter(pk=bob.pk).update(browsing_mode=BrowsingMode.NAMED)
    modes = {v.company or v.mode for v in activity.visit_viewers(owner=alice).viewers}
    assert modes == {"Globex", BrowsingMode.SEMI_PRIVATE}


def test_weekly_counts_for_twelve_weeks(alice):
    today = datetime.date(2026, 3, 18)  # a Wednesday
    viewers = [MemberFactory() for _ in range(4)]
    for viewer, days_ago in zip(viewers, (0, 2, 9, 100), strict=True):
        ProfileVisit.objects.create(profile=alice.profile, viewer=viewer, day=today - datetime.timedelta(days=days_ago))
    weeks = activity.visits_weekly(profile=alice.profile, today=today)
    assert len(weeks) == 12
    assert weeks[-1].start == datetime.date(2026, 3, 16)
    assert [w.count for w in weeks[-2:]] == [1, 2]
    assert sum(w.count for w in weeks) == 3  # 100 days ago is outside the chart
    assert weeks[-1].height == 100 and weeks[-2].height == 50


def _viewers(owner, count, mode=BrowsingMode.NAMED):
    members = [MemberFactory() for _ in range(count)]
    today = timezone.localdate()
    for n, viewer in enumerate(members):
        ProfileVisit.objects.create(
            profile=owner.profile, viewer=viewer, day=today - datetime.timedelta(days=n), mode=mode
        )
    return members


def test_owner_sees_viewers_within_the_plan_limit(alice):
    members = _viewers(alice, 7)
    page = activity.visit_viewers(owner=alice)
    assert page.limit == 5 and page.total == 7
    assert [v.card.pk for v in page.viewers] == [m.pk for m in members[:5]]


def test_a_member_in_private_mode_cannot_see_who_viewed_them(client, alice):
    _viewers(alice, 2)
    Profile.objects.filter(pk=alice.pk).update(browsing_mode=BrowsingMode.PRIVATE)
    page = activity.visit_viewers(owner=alice)
    assert page.private_mode and page.viewers == [] and page.total == 2
    client.force_login(alice)
    content = client.get("/me/profile-views/").content.decode()
    assert "you cannot see who viewed yours" in content


def test_visits_page(client, alice, bob, carol, mallory):
    PositionFactory(profile=carol.profile, organization__name="Initech", title="Analyst")
    Profile.objects.filter(pk=carol.pk).update(browsing_mode=BrowsingMode.SEMI_PRIVATE)
    Profile.objects.filter(pk=mallory.pk).update(browsing_mode=BrowsingMode.PRIVATE)
    for viewer in (bob, carol, mallory):
        activity.visit_record(profile=alice.profile, viewer=viewer)
    response = client.get("/me/profile-views/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    client.force_login(alice)
    content = client.get("/me/profile-views/").content.decode()
    assert "Bob Durand" in content
    assert "Someone at Initech" in content and "Carol" not in content
    assert "Anonymous member" in content and "Mallory" not in content
    assert "3 views in the last 12 weeks." in content
    assert '<svg viewBox="0 0 600 140" role="img"' in content
    # Bob's page shows his own (empty) views, never alice's.
    client.force_login(bob)
    content = client.get("/me/profile-views/").content.decode()
    assert "Someone at Initech" not in content and "Nobody has viewed your profile recently." in content


def test_visits_page_queries_do_not_grow_with_viewers(client, alice, django_assert_max_num_queries):
    _viewers(alice, 1)
    client.force_login(alice)
    with django_assert_max_num_queries(14) as few:
        client.get("/me/profile-views/")
    _viewers(alice, 20)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get("/me/profile-views/")
    assert response.content.decode().count('class="member-card"') == 5


def test_profile_views_api(client, alice, bob):
    assert client.get("/api/v1/activity/profile-views").status_code == 401
    members = _viewers(alice, 6)
    activity.visit_record(profile=alice.profile, viewer=bob)
    client.force_login(alice)
    body = client.get("/api/v1/activity/profile-views").json()
    assert len(body["weeks"]) == 12 and body["limit"] == 5 and body["total_viewers"] == 7
    assert [v["label"] for v in body["viewers"]][:2] == ["Bob Durand", members[0].display_name]
    assert len(body["viewers"]) == 5
    client.force_login(bob)
    assert client.get("/api/v1/activity/profile-views").json()["total_viewers"] == 0
