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

from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from enum import IntEnum
from functools import lru_cache

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Audience(models.TextChoices):
    PUBLIC = "public", _("Public (anyone, search engines included)")
    MEMBERS = "members", _("Members (signed in)")
    NETWORK = "network", _("My network (1st and 2nd degree)")
    CONNECTIONS = "connections", _("My connections")
    ONLY_ME = "only_me", _("Only me")


# Short names for the owner's controls ("Visible to: Members"), where the long labels of
# the choices would not fit.
AUDIENCE_SHORT_LABELS = {
    Audience.PUBLIC: _("Public"),
    Audience.MEMBERS: _("Members"),
    Audience.NETWORK: _("My network"),
    Audience.CONNECTIONS: _("Connections"),
    Audience.ONLY_ME: _("Only me"),
}


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
# How pages and the API name them (`?as=connection`).
VIEW_AS_KEYS: dict[str, Relation] = {
    "public": Relation.ANONYMOUS,
    "member": Relation.MEMBER,
    "second_degree": Relation.SECOND_DEGREE,
    "connection": Relation.CONNECTION,
}


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
#
# `current_position` covers the positions without an end date (shown in the intro and at
# the top of Experience); `positions` covers the past ones. LinkedIn splits them the same
# way, and it keeps the two settings independent: hiding one never leaks the other.
#
# `open_to_work` is meant for recruiters only, as on LinkedIn. Recruiters are a role, not
# a degree, so they cannot be a step of `Relation`: when the jobs work brings them, add
# `Audience.RECRUITERS` to OPEN_TO_WORK_AUDIENCES and let `allows()` take the viewer's
# roles (`allows(audience, relation, roles=...)`). Until then the signal is for members
# only (never public: an employer browsing anonymously must not see it).
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
    "recommendations": Audience.PUBLIC,
    "languages": Audience.MEMBERS,
    "certifications": Audience.MEMBERS,
    "volunteering": Audience.MEMBERS,
    "projects": Audience.MEMBERS,
    "publications": Audience.MEMBERS,
    "contact_info": Audience.CONNECTIONS,
    "open_to_work": Audience.MEMBERS,
    "connections": Audience.CONNECTIONS,
    "activity": Audience.MEMBERS,
}

# The name is always at least visible to members: a profile with no name cannot be used.
FIELD_AUDIENCE_CEILING: dict[str, str] = {"name": Audience.MEMBERS}

_ORDER = [Audience.PUBLIC, Audience.MEMBERS, Audience.NETWORK, Audience.CONNECTIONS, Audience.ONLY_ME]

# Audiences a member may pick per field, when not all five make sense.
OPEN_TO_WORK_AUDIENCES = (Audience.MEMBERS, Audience.NETWORK, Audience.CONNECTIONS, Audience.ONLY_ME)
FIELD_AUDIENCE_FLOOR: dict[str, str] = {"open_to_work": Audience.MEMBERS}

PROFILE_FIELD_LABELS: dict[str, str] = {
    "name": _("Name"),
    "headline": _("Headline"),
    "photo": _("Photo"),
    "banner": _("Background banner"),
    "location": _("Location"),
    "industry": _("Industry"),
    "pronouns": _("Pronouns"),
    "about": _("About"),
    "current_position": _("Current position"),
    "positions": _("Past experience"),
    "education": _("Education"),
    "skills": _("Skills"),
    "recommendations": _("Recommendations"),
    "languages": _("Languages"),
    "certifications": _("Licences and certifications"),
    "volunteering": _("Volunteering"),
    "projects": _("Projects"),
    "publications": _("Publications"),
    "contact_info": _("Contact info (e-mail, phone, websites)"),
    "open_to_work": _("Open to work"),
    "connections": _("My connections list"),
    "activity": _("Profile activity"),
}

# How the settings page groups the fields, in page order.
PROFILE_FIELD_GROUPS: list[tuple[str, list[str]]] = [
    (
        pgettext_lazy("profile section", "Introduction"),
        ["name", "pronouns", "headline", "photo", "banner", "location", "industry", "open_to_work"],
    ),
    (_("About and experience"), ["about", "current_position", "positions", "education"]),
    (
        _("Skills and accomplishments"),
        ["skills", "recommendations", "languages", "certifications", "volunteering", "projects", "publications"],
    ),
    (_("Contact and network"), ["contact_info", "connections", "activity"]),
]


def field_audience_choices(field: str) -> list[tuple[str, str]]:
    """The audiences a member may choose for `field` (value, label), from the widest."""
    ceiling = FIELD_AUDIENCE_CEILING.get(field, Audience.ONLY_ME)
    floor = FIELD_AUDIENCE_FLOOR.get(field, Audience.PUBLIC)
    allowed = _ORDER[_ORDER.index(Audience(floor)) : _ORDER.index(Audience(ceiling)) + 1]
    return [(audience.value, audience.label) for audience in allowed]


def field_audience(settings: Mapping[str, str] | None, field: str) -> str:
    """The audience of `field` given an owner's saved choices, falling back on the default.

    A stored value the policy does not know (hand-edited data, a removed audience) fails
    closed: only the owner sees the field, within the field's ceiling and floor.
    """
    stored = (settings or {}).get(field) or PROFILE_FIELD_DEFAULTS[field]
    try:
        audience = Audience(stored)
    except ValueError:
        audience = Audience.ONLY_ME
    ceiling = FIELD_AUDIENCE_CEILING.get(field)
    if ceiling and _ORDER.index(audience) > _ORDER.index(Audience(ceiling)):
        return ceiling
    floor = FIELD_AUDIENCE_FLOOR.get(field)
    if floor and _ORDER.index(audience) < _ORDER.index(Audience(floor)):
        return floor
    return audience


def clean_field_settings(choices: Mapping[str, str]) -> dict[str, str]:
    """Validate a member's choices (field -> audience) and keep only those that differ from
    the defaults, so members follow future changes of a default they never touched.

    Raises ValueError naming the first unknown field or audience it meets.
    """
    cleaned: dict[str, str] = {}
    for field, audience in choices.items():
        if field not in PROFILE_FIELD_DEFAULTS:
            raise ValueError(f"Unknown profile field: {field!r}.")
        if audience not in {value for value, _label in field_audience_choices(field)}:
            raise ValueError(f"Audience {audience!r} is not allowed for {field!r}.")
        if audience != PROFILE_FIELD_DEFAULTS[field]:
            cleaned[field] = str(audience)
    return cleaned


def visible_fields(settings: Mapping[str, str] | None, relation: Relation) -> frozenset[str]:
    """The profile fields a viewer in `relation` may see, given the owner's choices.

    A member whose name is not public has no public profile at all: anonymous viewers then
    see none of their fields, on any surface (a post's author card, an export...), so an
    unnamed profile cannot be pieced together from its public photo, location and career.
    """
    # Memoized by the owner's choices: a page of 25 cards asked the same few questions 25 times.
    try:
        return _visible_fields(tuple(sorted((settings or {}).items())), relation)
    except TypeError:  # a hand-edited, unhashable value: decide without the memo
        return _visible_fields.__wrapped__(tuple((settings or {}).items()), relation)


@lru_cache(maxsize=4096)
def _visible_fields(choices: tuple, relation: Relation) -> frozenset[str]:
    settings = dict(choices)
    if relation == Relation.ANONYMOUS and not allows(field_audience(settings, "name"), relation):
        return frozenset()
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


# Lookups shared by the reads of one request (see one_lookup_per_request). None outside.
_shared: ContextVar[dict | None] = ContextVar("carnet_visibility_shared", default=None)


@contextmanager
def one_lookup_per_request() -> Iterator[None]:
    """Within this block, the relation reads of a page share their lookups: a viewer's blocks
    (either way) are read once, and every later block check of the page (the member's relation,
    each card, "how you're connected") is answered from that one read.

    For read-only page views: a block made inside the block would not be seen by the reads
    that follow it. Nested blocks share the outer one's lookups.
    """
    if _shared.get() is not None:
        yield
        return
    token = _shared.set({})
    try:
        yield
    finally:
        _shared.reset(token)


def shared_lookups() -> dict | None:
    """The memo of the current one_lookup_per_request() block (None outside one): providers
    store what they read for the page under keys of their own."""
    return _shared.get()


def remember(key, read: Callable[[], object]):
    """`read()` once per one_lookup_per_request() block, under `key` (a provider's own); called
    each time outside one."""
    shared = _shared.get()
    if shared is None:
        return read()
    if key not in shared:
        shared[key] = read()
    return shared[key]


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


def field_visible_q(field: str, relation: Relation, *, path: str = "visibility") -> models.Q:
    """A queryset filter keeping the owners whose `field` a viewer in `relation` may see.

    `path` is the lookup path to the owner's Profile.visibility (e.g. "other__profile__visibility").
    Lets a list filter by a field ("connections at Acme") without matching owners who hid
    that field from this viewer, with the same decision as `visible_fields()`.
    """
    admitted = [a.value for a in Audience if allows(field_audience({field: a.value}, field), relation)]
    condition = models.Q(**{f"{path}__{field}__in": admitted})
    if allows(field_audience({}, field), relation):
        # No choice stored (or an empty one): the default applies.
        condition |= ~models.Q(**{f"{path}__has_key": field}) | models.Q(**{f"{path}__{field}": ""})
    return condition
