"""Writes to profiles."""

from __future__ import annotations

from django.db import transaction
from django.utils.text import slugify

from carnet.profiles.models import Profile, ProfileSkill, Skill, normalize_skill


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


def profile_update(*, profile: Profile, **fields) -> Profile:
    """Change profile fields (only those given)."""
    for name, value in fields.items():
        setattr(profile, name, value)
    profile.save(update_fields=[*fields.keys(), "updated"])
    return profile


def skill_get_or_create(*, name: str) -> Skill:
    """The catalogue entry for a skill name, created on first use (dedup is accent/case-insensitive)."""
    key = normalize_skill(name)
    skill = Skill.objects.filter(normalized=key).first()
    if skill is None:
        skill = Skill(name=name.strip()[:100])
        skill.save()
    return skill


@transaction.atomic
def profile_skill_add(*, profile: Profile, name: str) -> ProfileSkill:
    skill = skill_get_or_create(name=name)
    order = profile.skills.count()
    item, _created = ProfileSkill.objects.get_or_create(profile=profile, skill=skill, defaults={"order": order})
    return item
