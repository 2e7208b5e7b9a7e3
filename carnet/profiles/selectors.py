"""Reads of profiles, always through the visibility policy.

`profile_view` is what every surface (page, API, JSON-LD, search, feed cards, exports)
uses to show a profile: it holds only what the viewer may see.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Prefetch, QuerySet

from carnet.core import visibility
from carnet.core.visibility import Relation
from carnet.profiles.models import Education, Position, Profile, ProfileSkill


@dataclass
class ProfileView:
    """A profile as one viewer may see it. Hidden fields are None / empty."""

    profile: Profile
    relation: Relation
    fields: frozenset[str]
    degree: int | None = None  # 0 self, 1, 2, 3, None out of network / anonymous viewer
    name: str | None = None
    headline: str = ""
    photo_url: str = ""
    location: str = ""
    industry: str = ""
    pronouns: str = ""
    about: str = ""
    current_position: Position | None = None
    positions: list[Position] = field(default_factory=list)
    education: list[Education] = field(default_factory=list)
    skills: list[str] = field(default_factory=list)

    @property
    def slug(self) -> str:
        return self.profile.slug

    @property
    def pk(self) -> int:
        return self.profile.pk

    def can_see(self, field_name: str) -> bool:
        return field_name in self.fields

    @property
    def is_public(self) -> bool:
        return self.relation == Relation.ANONYMOUS


def profile_queryset() -> QuerySet:
    """Profiles with everything a profile page shows, in a fixed number of queries."""
    return Profile.objects.select_related("user").prefetch_related(
        Prefetch("positions", queryset=Position.objects.select_related("organization")),
        Prefetch("education", queryset=Education.objects.select_related("organization")),
        Prefetch("skills", queryset=ProfileSkill.objects.select_related("skill")),
    )


def profile_get(*, slug: str) -> Profile | None:
    return profile_queryset().filter(slug=slug).first()


def _current_position(positions: list[Position]) -> Position | None:
    current = [p for p in positions if p.is_current or p.end_date is None]
    return max(current, key=lambda p: p.start_date) if current else None


def profile_view(profile: Profile, *, viewer=None, relation: Relation | None = None, card: bool = False) -> ProfileView:
    """Project `profile` for `viewer` (or for an explicit relation, as in "view as").

    `card=True` projects only what a member card shows (name, headline, photo, location) and
    touches no related table, for lists.
    """
    if relation is None:
        relation, degree = visibility.relations_with_degrees(viewer, [profile.pk])[profile.pk]
    fields = visibility.visible_fields(profile.visibility, relation)
    view = ProfileView(profile=profile, relation=relation, fields=fields, degree=degree)
    if "name" in fields:
        view.name = profile.user.display_name
    if "headline" in fields:
        view.headline = profile.headline
    if "photo" in fields and profile.photo:
        view.photo_url = profile.photo.url
    for simple in ("location", "industry", "pronouns", "about"):
        if simple in fields:
            setattr(view, simple, getattr(profile, simple))
    if card:
        return view
    positions = list(profile.positions.all())
    if "positions" in fields:
        view.positions = positions
    if "current_position" in fields:
        view.current_position = _current_position(positions)
    if "education" in fields:
        view.education = list(profile.education.all())
    if "skills" in fields:
        view.skills = [item.skill.name for item in profile.skills.all()]
    return view


def profile_cards(profiles: list[Profile], *, viewer) -> list[ProfileView]:
    """Project many profiles as cards for one viewer, with one batched relation lookup."""
    pairs = visibility.relations_with_degrees(viewer, [p.pk for p in profiles])
    return [profile_view(p, viewer=viewer, relation=pairs[p.pk][0], degree=pairs[p.pk][1], card=True) for p in profiles]
