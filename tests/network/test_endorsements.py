"""Skill endorsements: by connections only, withdrawable, ranked on the profile with "endorsed by
N colleagues from <company>", endorser cards through the policy, bounded queries."""

import datetime

import pytest
from django.urls import reverse

from carnet.network import endorsements as ends
from carnet.network.models import Block, Endorsement
from carnet.network.relations_support import RelationError
from carnet.network.services import connection_create
from carnet.notifications.models import Notification
from tests.factories import (
    EndorsementFactory,
    MemberFactory,
    OrganizationFactory,
    PositionFactory,
    ProfileSkillFactory,
    SkillFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def python(bob):
    return ProfileSkillFactory(profile=bob.profile, skill=SkillFactory(name="Python"), order=0)


def test_a_connection_endorses_and_withdraws(alice, bob, python):
    ends.endorsement_add(endorser=alice, profile_skill=python)
    ends.endorsement_add(endorser=alice, profile_skill=python)  # idempotent
    assert Endorsement.objects.filter(profile_skill=python).count() == 1
    assert Notification.objects.get(recipient=bob, kind="skill_endorsed").text == (
        "Alice Martin endorsed you for Python."
    )
    assert ends.endorsement_withdraw(endorser=alice, profile_skill=python)
    assert not Endorsement.objects.exists()
    assert not ends.endorsement_withdraw(endorser=alice, profile_skill=python)


def test_only_connections_endorse(bob, carol, mallory, python):
    # carol is bob's connection: allowed. Mallory is a stranger, bob is the owner.
    ends.endorsement_add(endorser=carol, profile_skill=python)
    with pytest.raises(RelationError, match="Only connections"):
        ends.endorsement_add(endorser=mallory, profile_skill=python)
    with pytest.raises(RelationError, match="your own"):
        ends.endorsement_add(endorser=bob, profile_skill=python)
    assert Endorsement.objects.count() == 1


def test_blocked_connection_cannot_endorse(alice, bob, python):
    Block.objects.create(blocker=bob, blocked=alice)
    with pytest.raises(RelationError):
        ends.endorsement_add(endorser=alice, profile_skill=python)


def test_skills_are_ranked_by_endorsement_count(alice, bob, carol, python):
    sql = ProfileSkillFactory(profile=bob.profile, skill=SkillFactory(name="SQL"), order=1)
    rust = ProfileSkillFactory(profile=bob.profile, skill=SkillFactory(name="Rust"), order=2)
    for endorser in (alice, carol, MemberFactory()):
        EndorsementFactory(endorser=endorser, profile_skill=rust)
    EndorsementFactory(endorser=alice, profile_skill=sql)
    data = ends.profile_endorsements(profile=bob.profile, viewer=alice)
    assert [(s.name, s.count) for s in data.skills] == [("Rust", 3), ("SQL", 1), ("Python", 0)]
    assert [s.name for s in data.top] == ["Rust", "SQL"]
    assert data.can_endorse
    assert data.skills[1].endorsed_by_viewer and not data.skills[2].endorsed_by_viewer


def test_colleagues_are_endorsers_who_held_a_position_at_one_of_the_members_companies(alice, bob, carol, python):
    acme = OrganizationFactory(name="Acme")
    other = OrganizationFactory(name="Globex")
    PositionFactory(profile=bob.profile, organization=acme, start_date=datetime.date(2015, 1, 1), end_date=None)
    # Alice was at Acme long before bob (no overlap): still a colleague by our definition.
    PositionFactory(
        profile=alice.profile,
        organization=acme,
        start_date=datetime.date(2005, 1, 1),
        end_date=datetime.date(2008, 1, 1),
        is_current=False,
    )
    PositionFactory(profile=carol.profile, organization=acme, start_date=datetime.date(2016, 1, 1))
    stranger = MemberFactory()
    connection_create(member=stranger, other=bob)
    PositionFactory(profile=stranger.profile, organization=other)
    for endorser in (alice, carol, stranger):
        EndorsementFactory(endorser=endorser, profile_skill=python)
    skill = ends.profile_endorsements(profile=bob.profile, viewer=alice).skills[0]
    assert (skill.count, skill.colleagues, skill.company) == (3, 2, "Acme")


def test_company_name_without_a_page_matches_case_and_accents_insensitively(alice, bob, python):
    PositionFactory(profile=bob.profile, organization=None, company_name="Société Générale")
    PositionFactory(profile=alice.profile, organization=None, company_name="societe generale")
    EndorsementFactory(endorser=alice, profile_skill=python)
    skill = ends.profile_endorsements(profile=bob.profile, viewer=bob).skills[0]
    assert (skill.colleagues, skill.company) == (1, "Société Générale")


def test_colleague_sentence_does_not_reveal_hidden_positions(alice, bob, carol, mallory, python):
    acme = OrganizationFactory(name="Acme")
    PositionFactory(profile=bob.profile, organization=acme)
    PositionFactory(profile=alice.profile, organization=acme)
    EndorsementFactory(endorser=alice, profile_skill=python)
    alice.profile.visibility = {"current_position": "connections", "positions": "connections"}
    alice.profile.save()
    # Mallory may not see where alice works: the endorsement counts, the colleague does not.
    skill = ends.profile_endorsements(profile=bob.profile, viewer=mallory).skills[0]
    assert (skill.count, skill.colleagues) == (1, 0)
    skill = ends.profile_endorsements(profile=bob.profile, viewer=bob).skills[0]
    assert (skill.count, skill.colleagues) == (1, 1)


def test_endorsers_blocked_with_the_viewer_are_neither_shown_nor_counted(alice, bob, mallory, python):
    EndorsementFactory(endorser=alice, profile_skill=python)
    Block.objects.create(blocker=alice, blocked=mallory)
    skill = ends.profile_endorsements(profile=bob.profile, viewer=mallory).skills[0]
    assert (skill.count, skill.endorsers) == (0, [])
    assert not ends.profile_endorsements(profile=bob.profile, viewer=mallory).can_endorse


def test_hidden_skills_show_nothing(alice, bob, mallory, python):
    EndorsementFactory(endorser=alice, profile_skill=python)
    bob.profile.visibility = {"skills": "connections"}
    bob.profile.save()
    assert ends.profile_endorsements(profile=bob.profile, viewer=mallory).skills == []
    assert ends.profile_endorsements(profile=bob.profile, viewer=alice).skills[0].count == 1


# ---------------------------------------------------------------------------------------
# Pages: anonymous, mallory, alice
# ---------------------------------------------------------------------------------------
def test_anonymous_cannot_endorse(client, python):
    response = client.post(reverse("network:endorse", args=[python.pk, "add"]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert not Endorsement.objects.exists()


def test_stranger_cannot_endorse_through_the_page(mallory_client, python):
    response = mallory_client.post(reverse("network:endorse", args=[python.pk, "add"]), HTTP_HX_REQUEST="true")
    assert response.status_code == 403
    assert not Endorsement.objects.exists()


def test_connection_endorses_with_htmx_and_gets_the_line_back(alice_client, python):
    response = alice_client.post(reverse("network:endorse", args=[python.pk, "add"]), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    body = response.content.decode()
    assert "1 endorsement" in body and "withdraw" in body
    response = alice_client.post(reverse("network:endorse", args=[python.pk, "withdraw"]))
    assert response.status_code == 302
    assert not Endorsement.objects.exists()


def test_profile_page_shows_endorsements_with_bounded_queries(client, alice, bob, django_assert_max_num_queries):
    acme = OrganizationFactory(name="Acme")
    PositionFactory(profile=bob.profile, organization=acme)
    client.force_login(alice)
    skills = [
        ProfileSkillFactory(profile=bob.profile, skill=SkillFactory(name=f"Skill {i}"), order=i) for i in range(5)
    ]

    def add_endorsers(n):
        for _ in range(n):
            endorser = MemberFactory()
            connection_create(member=endorser, other=bob)
            PositionFactory(profile=endorser.profile, organization=acme)
            for item in skills:
                EndorsementFactory(endorser=endorser, profile_skill=item)

    add_endorsers(2)
    with django_assert_max_num_queries(30) as few:  # 24 on SQLite with the graph engine off
        client.get(bob.profile.get_absolute_url())
    add_endorsers(8)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(bob.profile.get_absolute_url())
    body = response.content.decode()
    assert "Endorsed by 10 colleagues from Acme" in body
    assert "10 endorsements" in body
