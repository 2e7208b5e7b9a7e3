"""Profile writes: limits, skill catalogue dedup, ordering, date rules, images."""

import dataclasses
import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from PIL import Image

from carnet.profiles import services
from carnet.profiles.images import image_clean
from carnet.profiles.models import Language, Position, ProfileSkill, Skill
from carnet.profiles.registry import MAX_SKILLS, SECTIONS
from carnet.profiles.signals import profile_changed
from tests.factories import MemberFactory, OrganizationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def profile(alice):
    return alice.profile


def _position(**extra):
    return {"title": "Engineer", "company_name": "Acme", "start_date": datetime.date(2020, 1, 1), **extra}


def test_skills_dedup_ignores_case_and_accents(profile):
    first = services.profile_skill_add(profile=profile, name="Gestion de projet")
    bob = MemberFactory()
    second = services.profile_skill_add(profile=bob.profile, name="gestion de PROJÉT")
    assert first.skill_id == second.skill_id
    assert Skill.objects.count() == 1
    assert Skill.objects.get().name == "Gestion de projet"  # the first spelling stays


def test_different_words_are_different_skills(profile):
    services.profile_skill_add(profile=profile, name="Gestion de projet")
    services.profile_skill_add(profile=profile, name="Gestión de proyecto")
    assert Skill.objects.count() == 2


def test_adding_a_skill_twice_is_refused_when_asked(profile):
    services.profile_skill_add(profile=profile, name="Python")
    with pytest.raises(ValidationError) as excinfo:
        services.profile_skill_add(profile=profile, name="PYTHON", duplicate_error=True)
    assert excinfo.value.error_list[0].code == "duplicate"
    assert services.profile_skill_add(profile=profile, name="python").skill.name == "Python"
    assert profile.skills.count() == 1


def test_at_most_fifty_skills(profile):
    for n in range(MAX_SKILLS):
        services.profile_skill_add(profile=profile, name=f"Skill number {n}")
    with pytest.raises(ValidationError) as excinfo:
        services.profile_skill_add(profile=profile, name="One too many")
    assert "50" in excinfo.value.messages[0]
    assert ProfileSkill.objects.filter(profile=profile).count() == MAX_SKILLS
    assert not Skill.objects.filter(name="One too many", holders__profile=profile).exists()


@pytest.mark.parametrize("name", ["", "   ", "\u0301\u0301", "x" * 101, "ﬁ" * 60])
def test_skill_names_are_checked(profile, name):
    with pytest.raises(ValidationError):
        services.profile_skill_add(profile=profile, name=name)


def test_section_limit(profile, monkeypatch):
    monkeypatch.setitem(SECTIONS, "languages", dataclasses.replace(SECTIONS["languages"], limit=2))
    for name in ("French", "English"):
        services.section_item_create(profile=profile, section="languages", data={"name": name})
    with pytest.raises(ValidationError) as excinfo:
        services.section_item_create(profile=profile, section="languages", data={"name": "German"})
    assert excinfo.value.code == "limit"
    assert profile.languages.count() == 2


def test_language_names_are_unique_per_profile_whatever_the_case(profile):
    services.section_item_create(profile=profile, section="languages", data={"name": "French"})
    with pytest.raises(ValidationError):
        services.section_item_create(profile=profile, section="languages", data={"name": "FRENCH"})
    assert Language.objects.filter(profile=profile).count() == 1


def test_new_position_goes_first_new_language_last(profile):
    old = services.section_item_create(profile=profile, section="positions", data=_position(title="Old"))
    new = services.section_item_create(profile=profile, section="positions", data=_position(title="New"))
    assert list(profile.positions.values_list("pk", flat=True)) == [new.pk, old.pk]
    first = services.section_item_create(profile=profile, section="languages", data={"name": "French"})
    second = services.section_item_create(profile=profile, section="languages", data={"name": "English"})
    assert list(profile.languages.values_list("pk", flat=True)) == [first.pk, second.pk]


def test_move_and_reorder(profile):
    a, b, c = (
        services.section_item_create(profile=profile, section="languages", data={"name": name})
        for name in ("A", "B", "C")
    )
    assert services.section_item_move(profile=profile, section="languages", item_id=c.pk, offset=-1)
    assert list(profile.languages.values_list("name", flat=True)) == ["A", "C", "B"]
    assert not services.section_item_move(profile=profile, section="languages", item_id=a.pk, offset=-1)
    services.section_items_reorder(profile=profile, section="languages", ids=[b.pk, a.pk, c.pk])
    assert list(profile.languages.values_list("name", flat=True)) == ["B", "A", "C"]
    with pytest.raises(ValidationError):
        services.section_items_reorder(profile=profile, section="languages", ids=[b.pk, a.pk])


def test_moving_someone_elses_item_is_refused(profile):
    other = MemberFactory().profile
    item = services.section_item_create(profile=other, section="languages", data={"name": "Basque"})
    with pytest.raises(Language.DoesNotExist):
        services.section_item_move(profile=profile, section="languages", item_id=item.pk, offset=1)


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ({"end_date": datetime.date(2019, 1, 1)}, "end_date"),  # end before start
        ({"is_current": True, "end_date": datetime.date(2021, 1, 1)}, "end_date"),  # current with an end
        ({"start_date": datetime.date(2999, 1, 1), "end_date": datetime.date(2999, 2, 1)}, "start_date"),
        ({"start_date": datetime.date(1850, 1, 1), "is_current": True}, "start_date"),
        ({"company_name": ""}, "company_name"),
    ],
)
def test_position_date_rules(profile, extra, field):
    with pytest.raises(ValidationError) as excinfo:
        services.section_item_create(profile=profile, section="positions", data=_position(**extra))
    assert field in excinfo.value.message_dict
    assert not Position.objects.filter(profile=profile).exists()


def test_position_linked_to_a_company_page(profile):
    acme = OrganizationFactory(name="Acme")
    item = services.section_item_create(
        profile=profile, section="positions", data=_position(company_name="", organization=acme, is_current=True)
    )
    assert item.employer_name == "Acme"


def test_education_end_before_start_is_refused(profile):
    with pytest.raises(ValidationError) as excinfo:
        services.section_item_create(
            profile=profile, section="education", data={"school_name": "ENS", "start_year": 2015, "end_year": 2012}
        )
    assert "end_year" in excinfo.value.message_dict


def test_changes_are_signalled_after_commit(profile, django_capture_on_commit_callbacks):
    seen = []

    def listener(sender, **kwargs):
        seen.append((kwargs["section"], kwargs["created"], kwargs["previous"]))

    profile_changed.connect(listener)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            item = services.section_item_create(profile=profile, section="positions", data=_position(is_current=True))
        with django_capture_on_commit_callbacks(execute=True):
            services.section_item_update(item=item, data={"title": "Lead engineer"})
        with django_capture_on_commit_callbacks(execute=True):
            services.profile_update(profile=profile, headline="Lead engineer at Acme")
    finally:
        profile_changed.disconnect(listener)
    assert seen == [
        ("positions", True, {}),
        ("positions", False, {"title": "Engineer"}),
        ("profile", False, {"headline": ""}),
    ]


def test_websites_must_be_http(profile):
    with pytest.raises(ValidationError):
        services.profile_update(profile=profile, websites=[{"url": "javascript:alert(1)", "label": "x"}])
    profile.refresh_from_db()
    assert profile.websites == []


def test_visibility_update_stores_only_changes(profile):
    services.profile_visibility_update(profile=profile, choices={"about": "public", "skills": "only_me"})
    profile.refresh_from_db()
    assert profile.visibility == {"skills": "only_me"}
    with pytest.raises(ValidationError):
        services.profile_visibility_update(profile=profile, choices={"name": "only_me"})


def _image_bytes(fmt="PNG", size=(200, 200), mode="RGB"):
    out = io.BytesIO()
    Image.new(mode, size, (10, 120, 200) if mode == "RGB" else None).save(out, format=fmt)
    return out.getvalue()


def _upload(data, name="photo.png"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data)


def test_image_is_reencoded_and_shrunk(profile):
    cleaned = image_clean(_upload(_image_bytes(size=(2000, 1500))), kind="photo")
    with Image.open(io.BytesIO(cleaned.read())) as image:
        assert image.format == "JPEG"
        assert max(image.size) == 800
    services.profile_image_set(profile=profile, kind="photo", image=cleaned)
    assert profile.photo.name.startswith("photos/") and profile.photo.name.endswith(".jpg")


def test_transparent_png_is_flattened(profile):
    cleaned = image_clean(_upload(_image_bytes(mode="RGBA")), kind="banner")
    with Image.open(io.BytesIO(cleaned.read())) as image:
        assert image.mode == "RGB"


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"MZ\x90\x00" + b"\x00" * 5000, "not_an_image"),  # a Windows program named .png
        (b"<html><script>alert(1)</script></html>", "not_an_image"),
        (b"", "empty"),
        (_image_bytes()[:60], "not_an_image"),  # truncated
        (_image_bytes(size=(10, 10)), "too_small"),
        (_image_bytes(fmt="BMP"), "not_an_image"),  # a format we do not take
    ],
)
def test_bad_images_are_refused_with_a_reason(data, code):
    with pytest.raises(ValidationError) as excinfo:
        image_clean(_upload(data), kind="photo")
    assert excinfo.value.code == code


def test_oversized_image_is_refused_before_decoding():
    data = _image_bytes() + b"\x00" * (5 * 1024 * 1024)
    with pytest.raises(ValidationError) as excinfo:
        image_clean(_upload(data), kind="photo")
    assert excinfo.value.code == "too_large"
    assert "5.0" in excinfo.value.messages[0]


def test_decompression_bomb_is_refused():
    # A small PNG that claims 20,000 x 20,000 pixels.
    out = io.BytesIO()
    Image.new("1", (20000, 20000)).save(out, format="PNG")
    assert len(out.getvalue()) < 5 * 1024 * 1024
    with pytest.raises(ValidationError) as excinfo:
        image_clean(_upload(out.getvalue()), kind="photo")
    assert excinfo.value.code == "too_many_pixels"


def test_replacing_a_photo_deletes_the_old_file(profile, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.profile_image_set(
            profile=profile, kind="photo", image=image_clean(_upload(_image_bytes()), kind="photo")
        )
    first = profile.photo.name
    storage = profile.photo.storage
    with django_capture_on_commit_callbacks(execute=True):
        services.profile_image_set(
            profile=profile, kind="photo", image=image_clean(_upload(_image_bytes()), kind="photo")
        )
    assert not storage.exists(first)
    assert storage.exists(profile.photo.name)
    with django_capture_on_commit_callbacks(execute=True):
        services.profile_image_remove(profile=profile, kind="photo")
    assert not profile.photo
