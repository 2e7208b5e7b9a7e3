"""The policy's profile-field rules (carnet/core/visibility.py): choices, ceilings, floors,
defaults kept out of storage, failing closed on unknown values."""

import pytest

from carnet.core import visibility
from carnet.core.visibility import Audience, Relation


def test_every_field_has_a_label_and_a_group():
    grouped = [field for _title, fields in visibility.PROFILE_FIELD_GROUPS for field in fields]
    assert sorted(grouped) == sorted(visibility.PROFILE_FIELD_DEFAULTS)
    assert set(visibility.PROFILE_FIELD_LABELS) == set(visibility.PROFILE_FIELD_DEFAULTS)


def test_contact_info_defaults_to_connections_and_open_to_work_to_members():
    assert visibility.PROFILE_FIELD_DEFAULTS["contact_info"] == Audience.CONNECTIONS
    assert visibility.PROFILE_FIELD_DEFAULTS["open_to_work"] == Audience.MEMBERS


def test_name_choices_stop_at_members():
    assert [value for value, _ in visibility.field_audience_choices("name")] == ["public", "members"]


def test_open_to_work_is_never_public():
    values = [value for value, _ in visibility.field_audience_choices("open_to_work")]
    assert "public" not in values
    assert visibility.field_audience({"open_to_work": "public"}, "open_to_work") == Audience.MEMBERS


def test_other_fields_offer_all_five_audiences():
    assert len(visibility.field_audience_choices("about")) == 5


def test_unknown_stored_audience_fails_closed():
    assert visibility.field_audience({"about": "everyone"}, "about") == Audience.ONLY_ME
    # ... within the field's ceiling.
    assert visibility.field_audience({"name": "everyone"}, "name") == Audience.MEMBERS


def test_clean_field_settings_keeps_only_changes():
    cleaned = visibility.clean_field_settings({"about": "public", "skills": "connections"})
    assert cleaned == {"skills": "connections"}


@pytest.mark.parametrize(
    "choices",
    [{"nope": "public"}, {"about": "friends"}, {"name": "only_me"}, {"open_to_work": "public"}],
)
def test_clean_field_settings_refuses_what_the_policy_does_not_offer(choices):
    with pytest.raises(ValueError):
        visibility.clean_field_settings(choices)


def test_view_as_keys_cover_the_preview_relations():
    assert set(visibility.VIEW_AS_KEYS.values()) == set(visibility.VIEW_AS_CHOICES)
    assert Relation.SELF not in visibility.VIEW_AS_KEYS.values()


def test_visible_fields_follow_each_change_of_the_same_choices():
    # visible_fields is memoized by the owner's choices: changing them (even in the same dict)
    # must give the new answer, and unhashable hand-edited values still fail closed.
    choices = {"about": "public"}
    assert "about" in visibility.visible_fields(choices, Relation.MEMBER)
    choices["about"] = "connections"
    assert "about" not in visibility.visible_fields(choices, Relation.MEMBER)
    assert "about" in visibility.visible_fields(choices, Relation.CONNECTION)
    assert "about" not in visibility.visible_fields({"about": ["public"]}, Relation.CONNECTION)
    assert "about" in visibility.visible_fields({"about": ["public"]}, Relation.SELF)
    assert visibility.visible_fields({"name": "members"}, Relation.ANONYMOUS) == frozenset()
