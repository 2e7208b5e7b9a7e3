"""Privacy matrix of the search surface: a member is found by a field only when every
signed-in member may see it (public or members audience). Fields opened only to the owner's
network or connections, or to nobody, are not in the index: no searcher — not even a
connection — finds the member through them, by words or by a filter."""

import pytest

from carnet.core.visibility import Audience
from carnet.profiles.services import profile_update, profile_visibility_update
from carnet.search.engines import PeopleQuery
from carnet.search.selectors import people_search
from carnet.search.services import index_members
from tests.factories import EducationFactory, PositionFactory, ProfileSkillFactory, SchoolFactory

# field -> (words that only this field of alice's holds, the filter that reads it, if any)
PROBES = {
    "headline": ("zanzibarologist", None),
    "location": ("quimperle", "location"),
    "current_position": ("xylophonix", "company"),
    "positions": ("oldcorpix", "company"),
    "education": ("vorpalschool", "school"),
    "skills": ("snarkhunting", None),
}
FINDABLE = {Audience.PUBLIC, Audience.MEMBERS}


@pytest.fixture
def owner(alice):
    profile = alice.profile
    profile_update(profile=profile, headline="Zanzibarologist", location="Quimperlé, Bretagne")
    PositionFactory(profile=profile, organization__name="Xylophonix", title="Cartographer")
    PositionFactory(
        profile=profile,
        organization__name="Oldcorpix",
        title="Archivist",
        is_current=False,
        start_date="2010-01-01",
        end_date="2012-01-01",
    )
    EducationFactory(profile=profile, organization=SchoolFactory(name="VorpalSchool"))
    ProfileSkillFactory(profile=profile, skill__name="Snarkhunting")
    return alice


def _found(viewer, member, **query) -> bool:
    results = people_search(viewer=viewer, query=PeopleQuery(**query), limit=50)
    return member.pk in [card.pk for card in results.cards]


@pytest.mark.parametrize("field", list(PROBES))
@pytest.mark.parametrize("audience", list(Audience))
def test_field_audience_matrix(owner, bob, mallory, field, audience):
    words, filter_name = PROBES[field]
    profile_visibility_update(profile=owner.profile, choices={field: audience})
    index_members(member_ids=[owner.pk])
    expected = audience in FINDABLE
    for viewer in (mallory, bob):  # a stranger and a 1st-degree connection
        assert _found(viewer, owner, text=words) is expected, (field, audience, viewer)
        if filter_name:
            assert _found(viewer, owner, **{filter_name: words}) is expected, (field, audience, viewer, filter_name)
    # The name stays searchable whatever the other fields say (it is always visible to members).
    assert _found(mallory, owner, text="alice martin")


def test_default_settings_make_every_probe_findable(owner, mallory):
    index_members(member_ids=[owner.pk])
    for words, filter_name in PROBES.values():
        assert _found(mallory, owner, text=words)
        if filter_name:
            assert _found(mallory, owner, **{filter_name: words})


def test_hiding_current_position_keeps_past_ones_findable(owner, mallory):
    profile_visibility_update(profile=owner.profile, choices={"current_position": Audience.ONLY_ME})
    index_members(member_ids=[owner.pk])
    assert not _found(mallory, owner, company="xylophonix")
    assert not _found(mallory, owner, text="cartographer")
    assert _found(mallory, owner, company="oldcorpix")
    assert _found(mallory, owner, text="archivist")


def test_cards_show_only_what_the_viewer_may_see(owner, bob, mallory):
    profile_visibility_update(profile=owner.profile, choices={"location": Audience.CONNECTIONS})
    index_members(member_ids=[owner.pk])
    for viewer, sees_location in ((mallory, False), (bob, True)):
        (card,) = people_search(viewer=viewer, query=PeopleQuery(text="alice martin")).cards
        assert (card.location != "") is sees_location
