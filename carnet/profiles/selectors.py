"""Reads of profiles, always through the visibility policy.

`profile_view` is what every surface (page, API, JSON-LD, search, feed cards, exports)
uses to show a profile: it holds only what the viewer may see.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Prefetch, QuerySet, prefetch_related_objects
from django.db.models.fields.files import FieldFile

from carnet.core import visibility
from carnet.core.compiled import CompiledQuery, compiled
from carnet.core.visibility import Relation
from carnet.organizations.models import Organization, OrganizationKind
from carnet.profiles.models import (
    Certification,
    Education,
    Language,
    Position,
    Profile,
    ProfileSkill,
    Project,
    Publication,
    Skill,
    Volunteering,
    normalize_skill,
)

# The degree a previewed relation stands for ("view my profile as").
_PREVIEW_DEGREE = {Relation.CONNECTION: 1, Relation.SECOND_DEGREE: 2, Relation.MEMBER: 3}


@dataclass
class ProfileView:
    """A profile as one viewer may see it. Hidden fields are None / empty."""

    profile: Profile
    relation: Relation
    fields: frozenset[str]
    degree: int | None = None  # 0 self, 1, 2, 3, None out of network / anonymous viewer
    # Set when the owner previews their profile as another audience ("view my profile as").
    preview: Relation | None = None
    name: str | None = None
    headline: str = ""
    photo_url: str = ""
    banner_url: str = ""
    location: str = ""
    industry: str = ""
    pronouns: str = ""
    about: str = ""
    open_to_work: bool = False
    contact_email: str = ""
    phone: str = ""
    websites: list[dict] = field(default_factory=list)
    current_position: Position | None = None
    # Current positions (if `current_position` is visible) then past ones (if `positions` is).
    positions: list[Position] = field(default_factory=list)
    education: list[Education] = field(default_factory=list)
    skills: list[str] = field(default_factory=list)
    skill_items: list[ProfileSkill] = field(default_factory=list)
    languages: list[Language] = field(default_factory=list)
    certifications: list[Certification] = field(default_factory=list)
    volunteering: list[Volunteering] = field(default_factory=list)
    projects: list[Project] = field(default_factory=list)
    publications: list[Publication] = field(default_factory=list)

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

    @property
    def is_self(self) -> bool:
        """The owner looking at their own profile (not a preview): edit controls show."""
        return self.relation == Relation.SELF

    @property
    def has_contact_info(self) -> bool:
        return bool(self.contact_email or self.phone or self.websites)

    def section_items(self, section: str) -> list:
        return getattr(self, section)


def profile_queryset() -> QuerySet:
    """Profiles with everything a profile page shows, in a fixed number of queries."""
    return Profile.objects.select_related("user").prefetch_related(
        Prefetch("positions", queryset=Position.objects.select_related("organization")),
        Prefetch("education", queryset=Education.objects.select_related("organization")),
        Prefetch("skills", queryset=ProfileSkill.objects.select_related("skill")),
        Prefetch("languages", queryset=Language.objects.all()),
        Prefetch("certifications", queryset=Certification.objects.select_related("organization")),
        Prefetch("volunteering", queryset=Volunteering.objects.all()),
        Prefetch("projects", queryset=Project.objects.all()),
        Prefetch("publications", queryset=Publication.objects.all()),
    )


def profile_get(*, slug: str) -> Profile | None:
    return profile_queryset().filter(slug=slug).first()


def profile_sections_load(profile: Profile) -> Profile:
    """Load a bare profile's sections as profile_queryset() does (8 queries)."""
    prefetch_related_objects([profile], *profile_queryset()._prefetch_related_lookups)
    return profile


# The tables a profile page's sections show, each with the table it is shown with.
_STAMP_TABLES = (
    (Position, Organization),
    (Education, Organization),
    (ProfileSkill, Skill),
    (Language, None),
    (Certification, Organization),
    (Volunteering, None),
    (Project, None),
    (Publication, None),
)


def _row_text_sql(model, alias: str, vendor: str) -> str:
    if vendor == "postgresql":
        return f"COALESCE({alias}::text, '')"
    columns = [f'quote({alias}."{f.column}")' for f in model._meta.concrete_fields]
    return "COALESCE(" + " || ',' || ".join(columns) + ", '')"


def _sections_text_sql(vendor: str, profile_column: str) -> str:
    """One SQL expression: the text of every row the sections of the profile whose id is
    `profile_column` show, table after table (a correlated subquery per table)."""
    from django.db import connection

    # Table and column names come from the models' metadata, never from input.
    texts = []
    for model, related in _STAMP_TABLES:
        table = connection.ops.quote_name(model._meta.db_table)
        text = _row_text_sql(model, "t", vendor)
        join = ""
        if related is not None:
            fk = next(f for f in model._meta.concrete_fields if f.is_relation and f.related_model is related)
            join = f' LEFT JOIN {connection.ops.quote_name(related._meta.db_table)} r ON r."id" = t."{fk.column}"'
            text = f"{text} || '|' || {_row_text_sql(related, 'r', vendor)}"
        if vendor == "postgresql":
            aggregate = f"string_agg({text}, E'\\n' ORDER BY t.\"id\")"
        else:
            aggregate = f"group_concat({text}, char(10))"
        texts.append(
            f"COALESCE((SELECT {aggregate} FROM {table} t{join} WHERE t.\"profile_id\" = {profile_column}), '')"  # noqa: S608
        )
    separator = " || chr(31) || " if vendor == "postgresql" else " || char(31) || "
    return separator.join(texts)


def profile_get_bare(*, slug: str) -> Profile | None:
    """The profile and its account, without its sections (see profile_sections_load), with the
    text of its section rows for profile_stamp(), its skills for profile_skill_items() and
    whether it has documents and timeline entries (`has_documents`, `has_history`) read in the
    same query."""
    query = _compiled_profile_query()
    found = query.run(slug) if query is not None else list(_profile_queryset_bare(slug))
    return found[0] if found else None


def _profile_queryset_bare(slug):
    from django.db import connection
    from django.db.models.expressions import RawSQL

    from carnet.profiles.models import Document, HistoryEntry

    column = f"{connection.ops.quote_name(Profile._meta.db_table)}.{connection.ops.quote_name('user_id')}"
    return (
        Profile.objects.select_related("user")
        .annotate(
            sections_text=RawSQL(_sections_text_sql(connection.vendor, column), []),  # noqa: S611
            skills_json=RawSQL(_skills_json_sql(connection.vendor, column), []),  # noqa: S611
            # Whether the page's documents and timeline blocks have anything to read (most
            # profiles have neither): documents_for_relation and history_visible skip their
            # query when not.
            has_documents=RawSQL(_exists_sql(Document, column), []),  # noqa: S611
            has_history=RawSQL(_exists_sql(HistoryEntry, column), []),  # noqa: S611
        )
        .filter(slug=slug)
        .order_by("pk")[:1]  # as .first()
    )


def _compiled_profile_query() -> CompiledQuery | None:
    sentinel = "\x00slug"  # never a slug: it only marks the parameter's place
    return compiled("profiles.profile_get_bare", lambda: CompiledQuery(_profile_queryset_bare(sentinel), [sentinel]))


# "How you're connected" checks at most two dozen members at a time (network.graph.selectors).
_FEW = 24
_FEW_SENTINELS = [-1 - i for i in range(_FEW)]  # never ids: they only mark the parameters' places


def profile_list_active(*, ids) -> list[Profile]:
    """The profiles, with their accounts, of the active members among `ids` (any order).

    Up to two dozen ids are read with SQL built once (carnet.core.compiled; the list is padded with its
    first id, which changes nothing), more with the ORM.
    """
    ids = list(dict.fromkeys(ids))
    if not ids:
        return []
    query = None
    if len(ids) <= _FEW:
        query = compiled(
            "profiles.profile_list_active", lambda: CompiledQuery(_active_profiles(_FEW_SENTINELS), _FEW_SENTINELS)
        )
    if query is None:
        return list(_active_profiles(ids))
    return query.run(*(ids + [ids[0]] * (_FEW - len(ids))))


def _active_profiles(ids) -> QuerySet:
    return Profile.objects.filter(pk__in=ids, user__is_active=True).select_related("user")


def _skills_json_sql(vendor: str, profile_column: str) -> str:
    """The profile's skills (id, skill id, order, name, normalized name) as one JSON array."""
    from django.db import connection

    # Table and column names come from the models' metadata, never from input.
    skills = connection.ops.quote_name(ProfileSkill._meta.db_table)
    catalogue = connection.ops.quote_name(Skill._meta.db_table)
    if vendor == "postgresql":
        aggregate = 'json_agg(json_build_array(t.id, t.skill_id, t."order", s.name, s.normalized))::text'
    else:
        aggregate = 'json_group_array(json_array(t.id, t.skill_id, t."order", s.name, s.normalized))'
    return (
        f"(SELECT {aggregate} FROM {skills} t JOIN {catalogue} s ON s.id = t.skill_id"  # noqa: S608
        f' WHERE t."profile_id" = {profile_column})'
    )


def profile_skill_items(profile: Profile) -> list[ProfileSkill]:
    """The profile's skills with their catalogue entries, in their order: prefetched
    (profile_queryset), read with the profile (profile_get_bare), or else one query."""
    import json

    prefetched = getattr(profile, "_prefetched_objects_cache", {}).get("skills")
    if prefetched is not None:
        return list(prefetched)
    text = getattr(profile, "skills_json", None)
    if text is None and not hasattr(profile, "skills_json"):
        return list(ProfileSkill.objects.filter(profile_id=profile.pk).select_related("skill"))
    db = profile._state.db
    items = []
    for pk, skill_id, order, name, normalized in json.loads(text or "[]"):
        item = ProfileSkill.from_db(db, ["id", "profile_id", "skill_id", "order"], [pk, profile.pk, skill_id, order])
        item.skill = Skill.from_db(db, ["id", "name", "normalized"], [skill_id, name, normalized])
        items.append(item)
    items.sort(key=lambda item: (item.order, item.pk))  # ProfileSkill.Meta.ordering
    return items


def _exists_sql(model, profile_column: str) -> str:
    from django.db import connection

    # Table and column names come from the models' metadata, never from input.
    table = connection.ops.quote_name(model._meta.db_table)
    return f'EXISTS(SELECT 1 FROM {table} t WHERE t."profile_id" = {profile_column})'  # noqa: S608


def profile_stamp(profile: Profile) -> str:
    """A digest of every row the sections of `profile` show (positions and their companies,
    skills and their names, ...): any change to any of them (an edit, an addition, a removal,
    a new order, a renamed company) changes it. With the profile and account row, it keys the
    cached parts of the profile page. Read with the profile by profile_get_bare(), or here in
    one query."""
    import hashlib

    from django.db import connection

    text = getattr(profile, "sections_text", None)
    if text is None:
        with connection.cursor() as cursor:
            cursor.execute("SELECT " + _sections_text_sql(connection.vendor, "%s"), [profile.pk] * len(_STAMP_TABLES))
            text = cursor.fetchone()[0]
    return hashlib.sha256(text.encode()).hexdigest()


def profile_get_by_user(*, user_id: int) -> Profile | None:
    return profile_queryset().filter(pk=user_id).first()


def _is_current(position: Position) -> bool:
    return position.is_current or position.end_date is None


def _current_position(positions: list[Position]) -> Position | None:
    current = [p for p in positions if _is_current(p)]
    return max(current, key=lambda p: p.start_date) if current else None


def profile_view(
    profile: Profile,
    *,
    viewer=None,
    relation: Relation | None = None,
    degree: int | None = None,
    card: bool = False,
    preview: bool = False,
) -> ProfileView:
    """Project `profile` for `viewer` (or for an explicit relation, as in "view as").

    `card=True` projects only what a member card shows (name, headline, photo, location) and
    touches no related table, for lists. `preview=True` marks a "view my profile as"
    projection (the relation is then the audience the owner chose to preview).
    """
    if relation is None:
        relation, degree = visibility.relations_with_degrees(viewer, [profile.pk])[profile.pk]
    elif preview:
        degree = _PREVIEW_DEGREE.get(relation)
    fields = visibility.visible_fields(profile.visibility, relation)
    view = ProfileView(
        profile=profile, relation=relation, fields=fields, degree=degree, preview=relation if preview else None
    )
    if "name" in fields:
        view.name = profile.user.display_name
    if "headline" in fields:
        view.headline = profile.headline
    if "photo" in fields and profile.photo:
        view.photo_url = profile.photo.url
    if "location" in fields:
        view.location = profile.location
    if card:
        return view
    if "banner" in fields and profile.banner:
        view.banner_url = profile.banner.url
    for simple in ("industry", "pronouns", "about", "open_to_work"):
        if simple in fields:
            setattr(view, simple, getattr(profile, simple))
    if "contact_info" in fields:
        view.contact_email = profile.contact_email
        view.phone = profile.phone
        view.websites = [
            w
            for w in (profile.websites or [])
            if isinstance(w, dict) and str(w.get("url", "")).lower().startswith(("http://", "https://"))
        ]
    positions = list(profile.positions.all())
    show_current, show_past = "current_position" in fields, "positions" in fields
    view.positions = [p for p in positions if (show_current if _is_current(p) else show_past)]
    if show_current:
        view.current_position = _current_position(positions)
    if "education" in fields:
        view.education = list(profile.education.all())
    if "skills" in fields:
        view.skill_items = list(profile.skills.all())
        view.skills = [item.skill.name for item in view.skill_items]
    for section in ("languages", "certifications", "volunteering", "projects", "publications"):
        if section in fields:
            setattr(view, section, list(getattr(profile, section).all()))
    return view


def row_values(obj) -> tuple | None:
    """Every column of a row, and of the rows it was loaded with (organization, skill)."""
    if obj is None:
        return None
    values = []
    for model_field in obj._meta.concrete_fields:
        value = getattr(obj, model_field.attname)
        if isinstance(value, FieldFile):
            value = value.name
        values.append(value)
        if model_field.is_relation and model_field.is_cached(obj):
            values.append(row_values(model_field.get_cached_value(obj)))
    return (type(obj).__name__, *values)


# The ProfileView attributes the profile page's parts show (profiles/_parts.html).
_VIEW_SCALARS = (
    "pk", "slug", "name", "headline", "photo_url", "banner_url", "location", "industry", "pronouns", "about",
    "open_to_work", "contact_email", "phone", "websites", "degree",
)  # fmt: skip
_VIEW_ROWS = (
    "positions", "education", "skill_items", "languages", "certifications", "volunteering", "projects", "publications",
)  # fmt: skip


def profile_view_values(view: ProfileView) -> tuple:
    """Everything a projected profile shows, as plain values: the key of its cached fragments
    (carnet.core.fragments). Built from the projection, so it holds nothing the viewer may
    not see, and any change to what they may see changes it."""
    return (
        int(view.relation),
        None if view.preview is None else int(view.preview),
        tuple(sorted(view.fields)),
        tuple(getattr(view, name) for name in _VIEW_SCALARS),
        row_values(view.current_position),
        tuple(tuple(row_values(item) for item in getattr(view, name)) for name in _VIEW_ROWS),
    )


def card_values(view: ProfileView) -> tuple:
    """Everything `profiles/_card.html` shows of a card, for the key of a cached fragment
    (carnet.core.fragments): the projected values, never the raw profile."""
    return (
        view.pk,
        view.slug,
        view.name,
        view.headline,
        view.photo_url,
        view.location,
        view.degree,
        int(view.relation),
    )


def profile_cards(profiles: list[Profile], *, viewer) -> list[ProfileView]:
    """Project many profiles as cards for one viewer, with one batched relation lookup."""
    pairs = visibility.relations_with_degrees(viewer, [p.pk for p in profiles])
    return [profile_view(p, viewer=viewer, relation=pairs[p.pk][0], degree=pairs[p.pk][1], card=True) for p in profiles]


def skill_suggestions(*, query: str, limit: int = 10) -> list[Skill]:
    """Catalogue skills whose normalized name starts with (then contains) `query`."""
    key = normalize_skill(query)[:100]
    if not key:
        return []
    starting = list(Skill.objects.filter(normalized__startswith=key).order_by("normalized")[:limit])
    if len(starting) < limit:
        seen = [s.pk for s in starting]
        starting += list(
            Skill.objects.filter(normalized__contains=key)
            .exclude(pk__in=seen)
            .order_by("normalized")[: limit - len(starting)]
        )
    return starting


def organization_suggestions(*, query: str, kind: str, limit: int = 10) -> list[Organization]:
    """Company (or school) pages whose name contains `query`, for the position and education forms."""
    query = query.strip()[:100]
    if not query or kind not in OrganizationKind.values:
        return []
    return list(Organization.objects.filter(kind=kind, name__icontains=query).order_by("name")[:limit])


def organization_get_by_slug(*, slug: str, kind: str) -> Organization | None:
    return Organization.objects.filter(slug=slug, kind=kind).first()


def organization_by_name(*, name: str, kind: str) -> Organization | None:
    """The company (or school) page called exactly `name` (case-insensitive), if there is one."""
    name = name.strip()
    if not name:
        return None
    return Organization.objects.filter(kind=kind, name__iexact=name).order_by("id").first()


@dataclass(frozen=True)
class StrengthStep:
    key: str
    label: str
    points: int
    # Where the owner fixes it: a URL name of the profiles app and its kwargs.
    url_name: str
    url_kwargs: tuple = ()

    @property
    def url(self) -> str:
        from django.urls import reverse

        return reverse(self.url_name, kwargs=dict(self.url_kwargs))


@dataclass
class ProfileStrength:
    percent: int
    level: str
    done: list[StrengthStep]
    next_steps: list[StrengthStep]


def profile_strength(profile: Profile) -> ProfileStrength:
    """How complete a profile is (0-100) and the concrete steps that would raise it.

    Reads the profile's prefetched sections (profile_queryset), so it adds no query.
    The weights favour what people look at first: photo, summary, experience, skills.
    """
    from django.utils.translation import gettext as _
    from django.utils.translation import ngettext

    positions = len(profile.positions.all())
    skills = len(profile.skills.all())
    missing_skills = max(0, 5 - skills)
    rules = [
        (
            bool(profile.photo),
            StrengthStep("photo", _("Add a profile photo"), 15, "profiles:edit_image", (("kind", "photo"),)),
        ),
        (bool(profile.headline.strip()), StrengthStep("headline", _("Write a headline"), 10, "profiles:edit_intro")),
        (
            len(profile.about.strip()) >= 40,
            StrengthStep("about", _("Write a summary in About"), 15, "profiles:edit_about"),
        ),
        (positions >= 1, StrengthStep("position", _("Add your current or last position"), 10, *_add("positions"))),
        (positions >= 2, StrengthStep("two_positions", _("Add a second position"), 10, *_add("positions"))),
        (
            skills >= 5,
            StrengthStep(
                "skills",
                ngettext("Add %(n)s more skill", "Add %(n)s more skills", missing_skills) % {"n": missing_skills}
                if skills
                else _("Add five skills"),
                15,
                "profiles:edit_skills",
            ),
        ),
        (len(profile.education.all()) >= 1, StrengthStep("education", _("Add your education"), 10, *_add("education"))),
        (bool(profile.location.strip()), StrengthStep("location", _("Add your location"), 5, "profiles:edit_intro")),
        (bool(profile.industry.strip()), StrengthStep("industry", _("Add your industry"), 5, "profiles:edit_intro")),
        (len(profile.languages.all()) >= 1, StrengthStep("language", _("Add a language"), 5, *_add("languages"))),
    ]
    done = [step for ok, step in rules if ok]
    next_steps = [step for ok, step in rules if not ok]
    percent = sum(step.points for step in done)
    if percent >= 100:
        level = _("All-star")
    elif percent >= 70:
        level = _("Advanced")
    elif percent >= 40:
        level = _("Intermediate")
    else:
        level = _("Beginner")
    return ProfileStrength(percent=percent, level=level, done=done, next_steps=next_steps)


def _add(section: str) -> tuple[str, tuple]:
    return "profiles:section_add", (("section", section),)
