"""Writes to profiles.

Every write validates with the models' own rules (`full_clean`), so the forms, the API and
the importers share one set of rules and limits. Listeners (profile history, search
indexing) learn about changes through `signals.profile_changed`, sent after commit.
"""

from __future__ import annotations

from collections.abc import Mapping

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import F, Max
from django.utils.text import slugify
from django.utils.translation import gettext as _

from carnet.core import visibility
from carnet.profiles.models import Profile, ProfileSkill, Skill, normalize_skill
from carnet.profiles.registry import MAX_SKILLS, MAX_WEBSITES, REORDERABLE, SECTIONS
from carnet.profiles.signals import profile_changed

PROFILE_IMAGE_FIELDS = ("photo", "banner")


def unique_slug(base: str, *, exclude_pk=None) -> str:
    """A free profile slug derived from `base` ('Zoé Martin' -> 'zoe-martin', 'zoe-martin-2'...)."""
    root = slugify(base)[:80] or "member"
    candidate, n = root, 1
    taken = Profile.objects.exclude(pk=exclude_pk)
    while taken.filter(slug=candidate).exists():
        n += 1
        candidate = f"{root}-{n}"
    return candidate


def profile_create(*, user, **fields) -> Profile:
    """Give an account its (empty) profile, with a slug from the member's name."""
    profile, _created = Profile.objects.get_or_create(
        user=user, defaults={"slug": unique_slug(user.display_name), **fields}
    )
    return profile


def _notify(*, profile: Profile, section: str, item=None, created: bool = False, previous: dict | None = None):
    def send():
        profile_changed.send(
            sender=Profile, profile=profile, section=section, item=item, created=created, previous=previous or {}
        )

    transaction.on_commit(send)


def profile_update(*, profile: Profile, **fields) -> Profile:
    """Change profile fields (only those given)."""
    previous = {name: getattr(profile, name) for name in fields}
    for name, value in fields.items():
        setattr(profile, name, value)
    if "websites" in fields:
        _check_websites(profile.websites)
    profile.full_clean(exclude=[f.name for f in Profile._meta.fields if f.name not in fields])
    with transaction.atomic():
        profile.save(update_fields=[*fields.keys(), "updated"])
        changed = {name: value for name, value in previous.items() if value != getattr(profile, name)}
        if changed:
            _notify(profile=profile, section="profile", previous=changed)
    return profile


def _check_websites(websites) -> None:
    if not isinstance(websites, list) or not all(isinstance(w, dict) and w.get("url") for w in websites):
        raise ValidationError({"websites": _("Websites must be a list of {url, label}.")})
    if not all(str(w["url"]).lower().startswith(("http://", "https://")) for w in websites):
        # Anything else (javascript:, data:) would run in visitors' browsers.
        raise ValidationError({"websites": _("Enter web addresses starting with http:// or https://.")})
    if len(websites) > MAX_WEBSITES:
        raise ValidationError(
            {"websites": _("You can list at most %(limit)s websites.") % {"limit": MAX_WEBSITES}}, code="limit"
        )


@transaction.atomic
def profile_intro_update(*, profile: Profile, first_name: str, last_name: str, **fields) -> Profile:
    """Change the intro card: the member's name (kept on the account) and profile fields."""
    user = profile.user
    first_name, last_name = first_name.strip(), last_name.strip()
    if (user.first_name, user.last_name) != (first_name, last_name):
        # The name lives on the account: accounts has no rename service, and the two
        # columns are all a rename touches.
        user.first_name, user.last_name = first_name, last_name
        user.save(update_fields=["first_name", "last_name"])
    return profile_update(profile=profile, **fields)


@transaction.atomic
def profile_image_set(*, profile: Profile, kind: str, image) -> Profile:
    """Store a checked, re-encoded image (see images.image_clean) as the photo or banner."""
    if kind not in PROFILE_IMAGE_FIELDS:
        raise ValueError(kind)
    field = getattr(profile, kind)
    old_name = field.name
    field.save(image.name, image, save=False)
    profile.save(update_fields=[kind, "updated"])
    if old_name:
        storage = field.storage
        transaction.on_commit(lambda: storage.delete(old_name))
    _notify(profile=profile, section=kind)
    return profile


@transaction.atomic
def profile_image_remove(*, profile: Profile, kind: str) -> Profile:
    if kind not in PROFILE_IMAGE_FIELDS:
        raise ValueError(kind)
    field = getattr(profile, kind)
    old_name, storage = field.name, field.storage
    if old_name:
        setattr(profile, kind, "")
        profile.save(update_fields=[kind, "updated"])
        transaction.on_commit(lambda: storage.delete(old_name))
    return profile


def profile_visibility_update(*, profile: Profile, choices: Mapping[str, str]) -> Profile:
    """Save the member's audience per profile field; fields not given keep their default.

    Raises ValidationError on an unknown field or an audience the field does not allow.
    """
    try:
        cleaned = visibility.clean_field_settings(choices)
    except ValueError as exc:
        raise ValidationError(str(exc), code="invalid") from exc
    profile.visibility = cleaned
    profile.save(update_fields=["visibility", "updated"])
    return profile


def _lock(profile: Profile) -> None:
    # Serialises writes to one profile's sections so that two concurrent "add" requests
    # cannot both pass the limit check (SQLite's IMMEDIATE transactions do this already).
    Profile.objects.select_for_update().filter(pk=profile.pk).values_list("pk", flat=True).first()


def _limit_error(spec) -> ValidationError:
    return ValidationError(
        _("You can list at most %(limit)s items in %(section)s.") % {"limit": spec.limit, "section": spec.title},
        code="limit",
    )


@transaction.atomic
def section_item_create(*, profile: Profile, section: str, data: Mapping) -> models.Model:
    """Add an item (position, education...) to a section, validated by the model's rules."""
    spec = SECTIONS[section]
    _lock(profile)
    items = spec.model.objects.filter(profile=profile)
    if items.count() >= spec.limit:
        raise _limit_error(spec)
    item = spec.model(profile=profile, **data)
    item.order = 0 if spec.new_at_top else (items.aggregate(m=Max("order"))["m"] or 0) + 1
    item.full_clean()
    if spec.new_at_top:
        items.update(order=F("order") + 1)
    item.save()
    _notify(profile=profile, section=section, item=item, created=True)
    return item


@transaction.atomic
def section_item_update(*, item: models.Model, data: Mapping) -> models.Model:
    """Change an item's fields (only those given), validated by the model's rules."""
    previous = {name: getattr(item, name) for name in data}
    for name, value in data.items():
        setattr(item, name, value)
    item.full_clean()
    item.save()
    changed = {name: value for name, value in previous.items() if value != getattr(item, name)}
    section = next(key for key, spec in REORDERABLE.items() if isinstance(item, spec.model))
    if changed:
        _notify(profile=item.profile, section=section, item=item, previous=changed)
    return item


@transaction.atomic
def section_item_delete(*, item: models.Model) -> None:
    item.delete()


def _ordered_ids(spec, profile: Profile) -> list[int]:
    return list(spec.model.objects.filter(profile=profile).values_list("pk", flat=True))


def _write_order(spec, profile: Profile, ids: list[int]) -> None:
    rows = [spec.model(pk=pk, order=position) for position, pk in enumerate(ids)]
    spec.model.objects.bulk_update(rows, ["order"])


@transaction.atomic
def section_item_move(*, profile: Profile, section: str, item_id: int, offset: int) -> bool:
    """Move an item up (offset -1) or down (+1) in its section. False if it cannot move."""
    spec = REORDERABLE[section]
    _lock(profile)
    ids = _ordered_ids(spec, profile)
    if item_id not in ids:
        raise spec.model.DoesNotExist
    index = ids.index(item_id)
    target = index + offset
    if not 0 <= target < len(ids):
        return False
    ids.insert(target, ids.pop(index))
    _write_order(spec, profile, ids)
    return True


@transaction.atomic
def section_items_reorder(*, profile: Profile, section: str, ids: list[int]) -> None:
    """Put a section's items in the given order; `ids` must list each item exactly once."""
    spec = REORDERABLE[section]
    _lock(profile)
    current = _ordered_ids(spec, profile)
    if sorted(ids) != sorted(current):
        raise ValidationError(_("Give every item of the section exactly once."), code="invalid")
    _write_order(spec, profile, list(ids))


def skill_name_clean(name: str) -> str:
    """A skill name as the catalogue stores it, or ValidationError."""
    name = " ".join(str(name or "").split())
    key = normalize_skill(name)
    if not key:
        raise ValidationError(_("Enter a skill name."), code="required")
    if len(name) > 100 or len(key) > 100:
        raise ValidationError(_("A skill name has at most 100 characters."), code="max_length")
    if "\x00" in name:
        raise ValidationError(_("Enter a skill name."), code="invalid")
    return name


def skill_get_or_create(*, name: str) -> Skill:
    """The catalogue entry for a skill name, created on first use (dedup is accent/case-insensitive)."""
    name = skill_name_clean(name)
    key = normalize_skill(name)
    skill = Skill.objects.filter(normalized=key).first()
    if skill is None:
        try:
            with transaction.atomic():
                skill = Skill.objects.create(name=name)
        except IntegrityError:
            # Another member added the same skill at the same moment: use theirs.
            skill = Skill.objects.get(normalized=key)
    return skill


@transaction.atomic
def profile_skill_add(*, profile: Profile, name: str, duplicate_error: bool = False) -> ProfileSkill:
    """Add a skill from the catalogue (created on first use). At most MAX_SKILLS per profile.

    Adding a skill the profile already has returns it, or raises when `duplicate_error`.
    """
    skill = skill_get_or_create(name=name)
    _lock(profile)
    existing = ProfileSkill.objects.filter(profile=profile, skill=skill).first()
    if existing is not None:
        if duplicate_error:
            raise ValidationError(_("“%(skill)s” is already in your skills.") % {"skill": skill.name}, code="duplicate")
        return existing
    skills = ProfileSkill.objects.filter(profile=profile)
    if skills.count() >= MAX_SKILLS:
        raise ValidationError(
            _("You can list at most %(limit)s skills: remove one first.") % {"limit": MAX_SKILLS}, code="limit"
        )
    order = (skills.aggregate(m=Max("order"))["m"] or 0) + 1
    item = ProfileSkill.objects.create(profile=profile, skill=skill, order=order)
    _notify(profile=profile, section="skills", item=item, created=True)
    return item


@transaction.atomic
def profile_skill_remove(*, item: ProfileSkill) -> None:
    item.delete()
