"""Skill endorsements: a connection vouches for one of a member's skills.

On the profile, skills are ranked by how many members endorsed them, each with a few
endorser cards and, when it applies, "endorsed by 3 colleagues from Acme".

A *colleague* here is an endorser who held a position (at any time, overlapping the
member's or not) at a company where the member also held a position. Positions match on
the company page when both have one, else on the company name written the same way
(case and accents ignored). Only positions the viewer may see count, on both sides (the
policy's "current_position" and "positions" fields): the sentence must not reveal where
someone worked to a viewer who may not see it. The company named is the one with the most
colleague endorsers for that skill.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from carnet.core import visibility
from carnet.core.visibility import Relation
from carnet.network.models import Endorsement
from carnet.network.relations_support import RelationError, any_blocked, are_connected, notify_named

ENDORSERS_SHOWN = 3


@dataclass
class SkillEndorsements:
    item: object  # ProfileSkill
    count: int = 0
    endorsers: list = field(default_factory=list)  # ProfileView, at most ENDORSERS_SHOWN
    colleagues: int = 0
    company: str = ""
    endorsed_by_viewer: bool = False

    @property
    def pk(self) -> int:
        return self.item.pk

    @property
    def name(self) -> str:
        return self.item.skill.name

    @property
    def others(self) -> int:
        return max(0, self.count - len(self.endorsers))


@dataclass
class ProfileEndorsements:
    skills: list[SkillEndorsements]
    can_endorse: bool  # the viewer is a connection of the member

    @property
    def top(self) -> list[SkillEndorsements]:
        return [s for s in self.skills[:3] if s.count]


def _company_key(position) -> str | None:
    from carnet.profiles.models import normalize_skill

    if position.organization_id:
        return f"org:{position.organization_id}"
    name = normalize_skill(position.company_name or "")
    return f"name:{name}" if name else None


def _position_visible(position, fields) -> bool:
    current = position.is_current or position.end_date is None
    return ("current_position" if current else "positions") in fields


def _list_public(profile_visibility) -> bool:
    """Whether a member's connections list (policy field "connections") is public."""
    return visibility.allows(visibility.field_audience(profile_visibility, "connections"), Relation.ANONYMOUS)


def profile_endorsements(*, profile, viewer, relation: Relation | None = None) -> ProfileEndorsements:
    """Skills of `profile` ranked by endorsements, as `viewer` may see them. Fixed query count."""
    from carnet.network.selectors import profile_page_has
    from carnet.profiles.models import Position
    from carnet.profiles.selectors import profile_cards, profile_skill_items

    if relation is None:
        relation = visibility.relation(viewer, profile.pk)
    member_fields = visibility.visible_fields(profile.visibility, relation)
    if "skills" not in member_fields:
        return ProfileEndorsements([], False)
    items = profile_skill_items(profile)
    # On a profile page, its buttons' query already says whether any skill is endorsed (most
    # are not): then neither the endorsements nor the positions are read.
    endorsements = []
    if profile_page_has("has_endorsements", viewer=viewer, member_id=profile.pk):
        endorsements = list(
            Endorsement.objects.filter(profile_skill__profile_id=profile.pk)
            .select_related("endorser__profile")
            .order_by("-created", "-id")
        )
    endorser_profiles = {e.endorser_id: e.endorser.profile for e in endorsements if hasattr(e.endorser, "profile")}
    views = {v.pk: v for v in profile_cards(list(endorser_profiles.values()), viewer=viewer)}
    # Endorsers blocked with the viewer are neither shown nor counted for them.
    shown = [e for e in endorsements if e.endorser_id in views and views[e.endorser_id].relation != Relation.BLOCKED]

    member_companies: dict[str, str] = {}
    positions = Position.objects.filter(profile_id=profile.pk).select_related("organization") if shown else []
    for position in positions:
        key = _company_key(position)
        if key and _position_visible(position, member_fields):
            member_companies.setdefault(key, position.employer_name)
    colleague_ids: dict[int, set[str]] = defaultdict(set)
    if member_companies and shown:
        endorser_ids = {e.endorser_id for e in shown}
        for position in Position.objects.filter(profile_id__in=endorser_ids):
            key = _company_key(position)
            view = views[position.profile_id]
            if key in member_companies and _position_visible(position, view.fields):
                colleague_ids[position.profile_id].add(key)

    # Only connections endorse: an endorser named to an anonymous visitor (search engines and
    # scrapers included) tells whom the member is connected to. Members see the endorsers (as
    # on LinkedIn); anonymous visitors only when the member's or the endorser's connections
    # list is public, and the count otherwise.
    def named(endorser_id: int) -> bool:
        if relation != Relation.ANONYMOUS or _list_public(profile.visibility):
            return True
        return _list_public(endorser_profiles[endorser_id].visibility)

    per_skill: dict[int, list[Endorsement]] = defaultdict(list)
    for endorsement in shown:
        per_skill[endorsement.profile_skill_id].append(endorsement)
    viewer_id = getattr(viewer, "pk", None)
    result = []
    for item in items:
        rows = per_skill.get(item.pk, [])
        entry = SkillEndorsements(item=item, count=len(rows))
        entry.endorsed_by_viewer = any(e.endorser_id == viewer_id for e in rows)
        entry.endorsers = [views[e.endorser_id] for e in rows if named(e.endorser_id)][:ENDORSERS_SHOWN]
        companies = Counter(key for e in rows for key in colleague_ids.get(e.endorser_id, ()))
        if companies:
            key, count = companies.most_common(1)[0]
            entry.company, entry.colleagues = member_companies[key], count
        result.append(entry)
    result.sort(key=lambda s: (-s.count, s.item.order, s.item.pk))
    return ProfileEndorsements(result, relation == Relation.CONNECTION)


def skill_endorsements(*, profile_skill, viewer) -> SkillEndorsements:
    """One skill's line (after endorsing or withdrawing, for an htmx swap)."""
    data = profile_endorsements(profile=profile_skill.profile, viewer=viewer)
    return next(s for s in data.skills if s.pk == profile_skill.pk)


def _check(endorser, profile_skill) -> None:
    owner_id = profile_skill.profile_id
    if endorser.pk == owner_id:
        raise RelationError(_("You cannot endorse your own skills."))
    if any_blocked(endorser.pk, owner_id) or not are_connected(endorser.pk, owner_id):
        raise RelationError(_("Only connections can endorse skills."), code="forbidden")


def endorsement_add(*, endorser, profile_skill) -> Endorsement:
    """`endorser` (a connection of the skill's owner) endorses the skill. Idempotent."""
    _check(endorser, profile_skill)
    existing = Endorsement.objects.filter(endorser_id=endorser.pk, profile_skill_id=profile_skill.pk).first()
    if existing:
        return existing
    try:
        with transaction.atomic():
            endorsement = Endorsement.objects.create(endorser=endorser, profile_skill=profile_skill)
            owner = profile_skill.profile.user
            skill_name = profile_skill.skill.name
            notify_named(
                recipient=owner,
                actor=endorser,
                kind="skill_endorsed",
                people={"endorser": endorser},
                text_for=lambda n: _("%(endorser)s endorsed you for %(skill)s.") % {**n, "skill": skill_name},
                url=profile_skill.profile.get_absolute_url(),
            )
    except IntegrityError:
        # Two clicks at once: the other one won, which is the same outcome.
        return Endorsement.objects.get(endorser_id=endorser.pk, profile_skill_id=profile_skill.pk)
    return endorsement


def endorsement_withdraw(*, endorser, profile_skill) -> bool:
    """Withdraw an endorsement. Returns False when there was none."""
    deleted, _rows = Endorsement.objects.filter(endorser_id=endorser.pk, profile_skill_id=profile_skill.pk).delete()
    return bool(deleted)


def profile_skill_get(*, pk: int):
    from carnet.profiles.models import ProfileSkill

    return ProfileSkill.objects.select_related("skill", "profile__user").filter(pk=pk).first()
