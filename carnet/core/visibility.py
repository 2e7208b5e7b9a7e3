"""The one visibility policy of Carnet.

Every surface that shows something a member owns (profile page, JSON-LD, search results,
feed author cards, notifications, e-mails, API, exports) asks this module whether a viewer
may see it. Nothing else in the code base decides visibility.

Vocabulary
- An *audience* is what the owner chose for a field or an item: public, members, network
  (1st + 2nd degree), connections (1st degree) or only me.
- A *relation* is what the viewer is to the owner: anonymous, member (3rd degree or out of
  network), 2nd degree, connection, or the owner themself. Relations are ordered, so an
  audience admits a viewer when the viewer's relation reaches the audience's minimum.

The degree between two members comes from the network app, which registers a provider at
start-up (`register_degree_provider`); core does not import network (see
docs/architecture.md for the import direction).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from enum import IntEnum

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Audience(models.TextChoices):
    PUBLIC = "public", _("Public (anyone, search engines included)")
    MEMBERS = "members", _("Members (signed in)")
    NETWORK = "network", _("My network (1st and 2nd degree)")
    CONNECTIONS = "connections", _("My connections")
    ONLY_ME = "only_me", _("Only me")


class Relation(IntEnum):
    """What a viewer is to an owner, from the least to the most trusted."""

    BLOCKED = -1
    ANONYMOUS = 0
    MEMBER = 1
    SECOND_DEGREE = 2
    CONNECTION = 3
    SELF = 4

    @property
    def label(self) -> str:
        return str(RELATION_LABELS[self])


RELATION_LABELS = {
    Relation.BLOCKED: _("blocked"),
    Relation.ANONYMOUS: _("public visitor"),
    Relation.MEMBER: _("member outside my network"),
    Relation.SECOND_DEGREE: _("2nd-degree connection"),
    Relation.CONNECTION: _("connection"),
    Relation.SELF: _("me"),
}

# The least trusted relation each audience admits.
_MINIMUM = {
    Audience.PUBLIC: Relation.ANONYMOUS,
    Audience.MEMBERS: Relation.MEMBER,
    Audience.NETWORK: Relation.SECOND_DEGREE,
    Audience.CONNECTIONS: Relation.CONNECTION,
    Audience.ONLY_ME: Relation.SELF,
}

# The relations a member may preview with "view my profile as".
VIEW_AS_CHOICES = (Relation.ANONYMOUS, Relation.MEMBER, Relation.SECOND_DEGREE, Relation.CONNECTION)


def allows(audience: str, relation: Relation) -> bool:
    """True when `audience` admits a viewer standing in `relation` to the owner."""
    if relation == Relation.BLOCKED:
        return False
    if relation == Relation.SELF:
        return True
    return relation >= _MINIMUM[Audience(audience)]


# ---------------------------------------------------------------------------------------
# Field-level defaults of a profile. Sections group fields for the settings page; every
# key here is a field (or section of items) a member can set an audience for. Defaults
# follow LinkedIn's: a public profile with name, headline, photo, current position,
# location, about, experience and skills; contact info for connections only.
# ---------------------------------------------------------------------------------------
PROFILE_FIELD_DEFAULTS: dict[str, str] = {
    "name": Audience.PUBLIC,
    "headline": Audience.PUBLIC,
    "photo": Audience.PUBLIC,
    "banner": Audience.PUBLIC,
    "location": Audience.PUBLIC,
    "industry": Audience.PUBLIC,
    "pronouns": Audience.MEMBERS,
    "about": Audience.PUBLIC,
    "current_position": Audience.PUBLIC,
    "positions": Audience.PUBLIC,
    "education": Audience.PUBLIC,
    "skills": Audience.PUBLIC,
    "languages": Audience.MEMBERS,
    "certifications": Audience.MEMBERS,
    "volunteering": Audience.MEMBERS,
    "projects": Audience.MEMBERS,
    "publications": Audience.MEMBERS,
    "contact_info": Audience.CONNECTIONS,
    "connections": Audience.CONNECTIONS,
    "activity": Audience.MEMBERS,
}

# The name is always at least visible to members: a profile with no name cannot be used.
FIELD_AUDIENCE_CEILING: dict[str, str] = {"name": Audience.MEMBERS}

_ORDER = [Audience.PUBLIC, Audience.MEMBERS, Audience.NETWORK, Audience.CONNECTIONS, Audience.ONLY_ME]


def field_audience(settings: Mapping[str, str] | None, field: str) -> str:
    """The audience of `field` given an owner's saved choices, falling back on the default."""
    audience = (settings or {}).get(field) or PROFILE_FIELD_DEFAULTS[field]
    ceiling = FIELD_AUDIENCE_CEILING.get(field)
    if ceiling and _ORDER.index(Audience(audience)) > _ORDER.index(Audience(ceiling)):
        return ceiling
    return audience


def visible_fields(settings: Mapping[str, str] | None, relation: Relation) -> frozenset[str]:
    """The profile fields a viewer in `relation` may see, given the owner's choices."""
    return frozenset(field for field in PROFILE_FIELD_DEFAULTS if allows(field_audience(settings, field), relation))


def item_visible(item_audience: str, section_audience: str, relation: Relation) -> bool:
    """An item (a CV, a position...) shows when both its own and its section's audience admit."""
    return allows(item_audience, relation) and allows(section_audience, relation)


# Sections whose items each carry their own audience and that have no section-wide setting:
# the item's audience alone decides (a CV set to "connections" is seen by connections).
ITEM_ONLY_SECTIONS = frozenset({"documents"})


def field_item_visible(settings: Mapping[str, str] | None, field: str, item_audience: str, relation: Relation) -> bool:
    """An item filed under `field` (a timeline entry, a CV) for a viewer in `relation`.

    `field` is a key of PROFILE_FIELD_DEFAULTS or of ITEM_ONLY_SECTIONS; an unknown key
    raises KeyError rather than showing the item. An empty `item_audience` adds no limit.
    """
    if field in ITEM_ONLY_SECTIONS:
        section = Audience.PUBLIC
    elif field in PROFILE_FIELD_DEFAULTS:
        section = field_audience(settings, field)
    else:
        raise KeyError(field)
    return item_visible(item_audience or Audience.PUBLIC, section, relation)


def public_field_q(field: str, *, column: str = "visibility") -> Q:
    """Rows whose `field` is public to anonymous visitors, for queries (the sitemap).

    The same rule as field_audience(): an absent, empty or null choice means the default.
    """
    if field_audience({field: Audience.PUBLIC}, field) != Audience.PUBLIC:
        return Q(pk__in=[])  # a field that can never be public (its floor is higher)
    public = Q(**{f"{column}__{field}": Audience.PUBLIC.value})
    if field_audience(None, field) == Audience.PUBLIC:
        public |= (
            ~Q(**{f"{column}__has_key": field}) | Q(**{f"{column}__{field}": ""}) | Q(**{f"{column}__{field}": None})
        )
    return public


# ---------------------------------------------------------------------------------------
# Relations between members. The network app registers the degree provider.
# ---------------------------------------------------------------------------------------
DegreeProvider = Callable[[int, Iterable[int]], Mapping[int, int]]
BlockProvider = Callable[[int, Iterable[int]], set[int]]

_degree_provider: DegreeProvider | None = None
_block_provider: BlockProvider | None = None


def register_degree_provider(provider: DegreeProvider, blocks: BlockProvider | None = None) -> None:
    global _degree_provider, _block_provider
    _degree_provider = provider
    _block_provider = blocks


def _relation_for_degree(degree: int | None) -> Relation:
    if degree == 1:
        return Relation.CONNECTION
    if degree == 2:
        return Relation.SECOND_DEGREE
    return Relation.MEMBER


def relations_with_degrees(viewer, owner_ids: Iterable[int]) -> dict[int, tuple[Relation, int | None]]:
    """The relation of `viewer` to each owner and the degree (1, 2, 3 or None), in one batch.

    This is the one call per page that list surfaces make: the degree badge shown beside a
    member ("1st", "2nd", "3rd") and the relation the policy uses come from the same lookup.
    """
    owner_ids = list(dict.fromkeys(owner_ids))
    if viewer is None or not getattr(viewer, "is_authenticated", False):
        return dict.fromkeys(owner_ids, (Relation.ANONYMOUS, None))
    result: dict[int, tuple[Relation, int | None]] = {}
    others = [owner_id for owner_id in owner_ids if owner_id != viewer.pk]
    degrees = _degree_provider(viewer.pk, others) if (_degree_provider and others) else {}
    blocked = _block_provider(viewer.pk, others) if (_block_provider and others) else set()
    for owner_id in owner_ids:
        if owner_id == viewer.pk:
            result[owner_id] = (Relation.SELF, 0)
        elif owner_id in blocked:
            result[owner_id] = (Relation.BLOCKED, None)
        else:
            degree = degrees.get(owner_id)
            result[owner_id] = (_relation_for_degree(degree), degree)
    return result


def relations(viewer, owner_ids: Iterable[int]) -> dict[int, Relation]:
    """The relation of `viewer` (a user, possibly anonymous) to each owner, in one batch."""
    return {owner_id: pair[0] for owner_id, pair in relations_with_degrees(viewer, owner_ids).items()}


def relation(viewer, owner_id: int) -> Relation:
    """The relation of `viewer` to one owner."""
    return relations(viewer, [owner_id])[owner_id]
