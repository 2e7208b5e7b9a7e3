"""Profiles in the API: read a profile (through the policy), edit one's own, visibility
settings, "view as" previews, profile strength and the skills catalogue.

Writes validate through the profile editor's forms and services, so the API and the pages
share every rule and limit. Section endpoints are generated from one table
(`_SECTION_API`), one set per section: list, create, change, delete, reorder.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Body, Query, Router, Status
from ninja.errors import HttpError

from carnet.api.auth import optional_auth
from carnet.api.profile_schemas import ITEM_PAYLOADS as _PAYLOADS
from carnet.api.profile_schemas import (
    CertificationIn,
    CertificationOut,
    EducationIn,
    EducationOut,
    LanguageIn,
    LanguageOut,
    MyProfileOut,
    OrderIn,
    PositionIn,
    PositionOut,
    ProfileOut,
    ProfilePatchIn,
    ProjectIn,
    ProjectOut,
    PublicationIn,
    PublicationOut,
    SkillIn,
    SkillOut,
    StrengthOut,
    VolunteeringIn,
    VolunteeringOut,
    profile_payload,
    skill_payload,
    strength_payload,
)
from carnet.api.schemas import ErrorOut
from carnet.core import visibility
from carnet.core.visibility import Relation
from carnet.profiles import selectors, services
from carnet.profiles.forms import AboutForm, ContactForm, IntroForm, SkillAddForm, section_form, section_form_data
from carnet.profiles.registry import MAX_WEBSITES, SECTIONS, SKILLS

router = Router(tags=["profiles"])

_READ_ERRORS = {401: ErrorOut, 404: ErrorOut}
_WRITE_ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


def _own_profile(request):
    services.profile_create(user=request.user)
    return selectors.profile_get_by_user(user_id=request.user.pk)


def _validation_failed(errors: dict, names: dict[str, str] | None = None):
    """422 with the form's errors under the API's field names."""
    back = {form_name: api_name for api_name, form_name in (names or {}).items()}
    detail = {
        ("non_field" if field == "__all__" else back.get(field, field)): list(msgs) for field, msgs in errors.items()
    }
    return Status(422, {"error": "validation_error", "detail": detail})


def _error_codes(error: ValidationError) -> set[str]:
    if hasattr(error, "error_dict"):
        return {e.code for errors in error.error_dict.values() for e in errors}
    return {e.code for e in error.error_list}


def _service_error(error: ValidationError):
    """A service refused: a limit or a duplicate is a 409, anything else a 422."""
    if _error_codes(error) & {"limit", "duplicate"}:
        raise HttpError(409, " ".join(error.messages))
    detail = error.message_dict if hasattr(error, "error_dict") else {"non_field": error.messages}
    return Status(422, {"error": "validation_error", "detail": detail})


# ---------------------------------------------------------------------------------------
# Reading profiles.
# ---------------------------------------------------------------------------------------


@router.get("/profiles/{slug}", response={200: ProfileOut, 404: ErrorOut}, auth=optional_auth)
def profile_detail(request, slug: str):
    """A member's profile as the caller may see it (anonymous callers see the public profile)."""
    profile = selectors.profile_get(slug=slug)
    if profile is None:
        raise Http404
    view = selectors.profile_view(profile, viewer=request.user)
    if view.relation == Relation.BLOCKED or view.name is None:
        raise Http404
    return profile_payload(view, request=request)


def _my_profile_payload(request, profile, *, preview: Relation | None = None) -> dict:
    if preview is not None:
        view = selectors.profile_view(profile, relation=preview, preview=True)
        return {**profile_payload(view, request=request), "preview": _VIEW_AS_NAMES[preview]}
    view = selectors.profile_view(profile, viewer=request.user)
    return {
        **profile_payload(view, request=request),
        "strength": strength_payload(selectors.profile_strength(profile)),
        "visibility": _visibility_payload(profile),
    }


_VIEW_AS_NAMES = {relation: key for key, relation in visibility.VIEW_AS_KEYS.items()}


@router.get("/me/profile", response={200: MyProfileOut, 400: ErrorOut, 401: ErrorOut})
def my_profile(request, as_: str | None = Query(None, alias="as")):
    """My profile with its strength and visibility settings; or, with `as` (public, member,
    second_degree, connection), exactly what that audience sees ("view my profile as")."""
    preview = None
    if as_:
        preview = visibility.VIEW_AS_KEYS.get(as_)
        if preview is None:
            # Translators: `as` and the choices are API names: keep them in English.
            raise HttpError(400, _("`as` is one of: %(choices)s.") % {"choices": ", ".join(visibility.VIEW_AS_KEYS)})
    return _my_profile_payload(request, _own_profile(request), preview=preview)


@router.get("/me/profile/strength", response={200: StrengthOut, 401: ErrorOut})
def my_profile_strength(request):
    """How complete my profile is, and the next steps to complete it."""
    return strength_payload(selectors.profile_strength(_own_profile(request)))


_INTRO = {"first_name", "last_name", "pronouns", "headline", "location", "industry", "open_to_work"}
_CONTACT = {"contact_email", "phone", "websites"}


@router.patch("/me/profile", response={200: MyProfileOut, **_WRITE_ERRORS})
def my_profile_update(request, payload: ProfilePatchIn):
    """Change my intro, about and contact info; only the fields sent change."""
    profile = _own_profile(request)
    sent = payload.dict(exclude_unset=True)
    sent = {
        key: ("" if value is None and key not in ("open_to_work", "websites") else value) for key, value in sent.items()
    }
    try:
        if sent.keys() & _INTRO:
            form = IntroForm(instance=profile)
            data = {name: form[name].value() for name in form.fields}
            data.update({k: v for k, v in sent.items() if k in _INTRO and v is not None})
            form = IntroForm(data, instance=profile)
            if not form.is_valid():
                return _validation_failed(form.errors)
            services.profile_intro_update(
                profile=profile,
                first_name=form.cleaned_data["first_name"],
                last_name=form.cleaned_data["last_name"],
                **{name: form.cleaned_data[name] for name in IntroForm._meta.fields},
            )
        if "about" in sent:
            form = AboutForm({"about": sent["about"]}, instance=profile)
            if not form.is_valid():
                return _validation_failed(form.errors)
            services.profile_update(profile=profile, about=form.cleaned_data["about"])
        if sent.keys() & _CONTACT:
            form = ContactForm(profile=profile)
            data = {name: form[name].value() for name in form.fields}
            for key in ("contact_email", "phone"):
                if key in sent:
                    data[key] = sent[key]
            if "websites" in sent:
                websites = sent["websites"] or []
                if len(websites) > MAX_WEBSITES:
                    return _validation_failed(
                        {"websites": [_("You can list at most %(limit)s websites.") % {"limit": MAX_WEBSITES}]}
                    )
                for index in range(MAX_WEBSITES):
                    site = websites[index] if index < len(websites) else {}
                    data[f"website_{index}_url"] = site.get("url", "")
                    data[f"website_{index}_label"] = site.get("label", "")
            form = ContactForm(data, profile=profile)
            if not form.is_valid():
                return _validation_failed(form.errors)
            services.profile_update(
                profile=profile,
                contact_email=form.cleaned_data["contact_email"],
                phone=form.cleaned_data["phone"],
                websites=form.cleaned_data["websites"],
            )
    except ValidationError as error:
        return _service_error(error)
    return _my_profile_payload(request, selectors.profile_get_by_user(user_id=request.user.pk))


# ---------------------------------------------------------------------------------------
# Visibility settings.
# ---------------------------------------------------------------------------------------


def _visibility_payload(profile) -> dict[str, str]:
    return {
        field: str(visibility.field_audience(profile.visibility, field)) for field in visibility.PROFILE_FIELD_DEFAULTS
    }


@router.get("/me/visibility", response={200: dict[str, str], 401: ErrorOut})
def my_visibility(request):
    """Who can see each field of my profile: public, members, network, connections or only_me."""
    return _visibility_payload(_own_profile(request))


@router.put("/me/visibility", response={200: dict[str, str], **_WRITE_ERRORS})
def my_visibility_update(request, payload: dict[str, str] = Body(...)):  # noqa: B008 - ninja's declaration style
    # Body(...): ninja would read a bare dict annotation from the query string.
    """Set who can see each field; a field left out goes back to its default."""
    profile = _own_profile(request)
    try:
        services.profile_visibility_update(profile=profile, choices=payload)
    except ValidationError as error:
        return Status(422, {"error": "validation_error", "detail": error.messages})
    return _visibility_payload(profile)


# ---------------------------------------------------------------------------------------
# Sections: positions, education, languages, certifications, volunteering, projects,
# publications; then skills.
# ---------------------------------------------------------------------------------------

# API name -> form field name, per section (read and write use the same API names).
_FIELD_NAMES = {
    "positions": {
        "title": "title",
        "company": "company_name",
        "company_slug": "organization",
        "employment_type": "employment_type",
        "location": "location",
        "start": "start_date",
        "end": "end_date",
        "current": "is_current",
        "description": "description",
    },
    "education": {
        "school": "school_name",
        "school_slug": "organization",
        "degree": "degree",
        "field_of_study": "field_of_study",
        "start_year": "start_year",
        "end_year": "end_year",
        "activities": "activities",
    },
    "languages": {"name": "name", "proficiency": "proficiency"},
    "certifications": {
        "name": "name",
        "authority": "authority",
        "issued": "issued",
        "expires": "expires",
        "credential_id": "credential_id",
        "url": "url",
    },
    "volunteering": {
        "organization": "organization_name",
        "role": "role",
        "cause": "cause",
        "start": "start_date",
        "end": "end_date",
        "description": "description",
    },
    "projects": {"name": "name", "description": "description", "url": "url", "start": "start_date", "end": "end_date"},
    "publications": {
        "title": "title",
        "publisher": "publisher",
        "date": "date",
        "url": "url",
        "description": "description",
    },
}
_SCHEMAS = {
    "positions": (PositionIn, PositionOut),
    "education": (EducationIn, EducationOut),
    "languages": (LanguageIn, LanguageOut),
    "certifications": (CertificationIn, CertificationOut),
    "volunteering": (VolunteeringIn, VolunteeringOut),
    "projects": (ProjectIn, ProjectOut),
    "publications": (PublicationIn, PublicationOut),
}
# The page link fields: changing the typed name without a page address re-resolves the page.
_PAGE_LINKS = {"positions": ("company", "company_slug"), "education": ("school", "school_slug")}


def _own_item(request, section: str, item_id: int):
    item = SECTIONS[section].model.objects.filter(pk=item_id, profile_id=request.user.pk).first()
    if item is None:
        raise Http404
    return item


def _items(profile, section: str) -> list[dict]:
    return [_PAYLOADS[section](item) for item in getattr(profile, section).all()]


def _save_item(request, section: str, payload, item=None):
    """Create (item None) or change an item through the section's form and services."""
    profile = _own_profile(request)
    names = _FIELD_NAMES[section]
    sent = {names[key]: ("" if value is None else value) for key, value in payload.dict(exclude_unset=True).items()}
    data = sent
    if item is not None:
        # A change: start from the item as it is, so the form checks the whole result.
        current = section_form(section, profile=profile, instance=item, prefixed=False)
        data = {name: ("" if current[name].value() is None else current[name].value()) for name in current.fields}
        link = _PAGE_LINKS.get(section)
        if link and item.organization_id and not ({names[link[0]], names[link[1]]} & sent.keys()):
            data["organization"] = item.organization.slug
        data.update(sent)
    form = section_form(section, profile=profile, data=data, instance=item, prefixed=False)
    if not form.is_valid():
        return _validation_failed(form.errors, names)
    try:
        if item is None:
            created = services.section_item_create(profile=profile, section=section, data=section_form_data(form))
            return Status(201, _PAYLOADS[section](created))
        item = services.section_item_update(item=item, data=section_form_data(form))
    except ValidationError as error:
        return _service_error(error)
    return Status(200, _PAYLOADS[section](item))


def _register_section(section: str) -> None:
    schema_in, schema_out = _SCHEMAS[section]
    title = str(SECTIONS[section].title)

    def list_items(request):
        return _items(_own_profile(request), section)

    def create_item(request, payload: schema_in):
        return _save_item(request, section, payload)

    def update_item(request, item_id: int, payload: schema_in):
        return _save_item(request, section, payload, item=_own_item(request, section, item_id))

    def delete_item(request, item_id: int):
        services.section_item_delete(item=_own_item(request, section, item_id))
        return Status(204, None)

    def reorder_items(request, payload: OrderIn):
        profile = _own_profile(request)
        try:
            services.section_items_reorder(profile=profile, section=section, ids=payload.ids)
        except ValidationError as error:
            return Status(422, {"error": "validation_error", "detail": error.messages})
        return _items(selectors.profile_get_by_user(user_id=request.user.pk), section)

    # Annotations are strings here (postponed evaluation): give ninja the real classes.
    create_item.__annotations__["payload"] = schema_in
    update_item.__annotations__["payload"] = schema_in
    update_item.__annotations__["item_id"] = int
    reorder_items.__annotations__["payload"] = OrderIn
    path = f"/me/profile/{section}"
    for func, name in (
        (list_items, "list"),
        (create_item, "create"),
        (update_item, "update"),
        (delete_item, "delete"),
        (reorder_items, "reorder"),
    ):
        func.__name__ = f"{section}_{name}"
    list_items.__doc__ = f"My {title}, in profile order."
    create_item.__doc__ = f"Add to my {title} (the same rules and limits as the profile page)."
    update_item.__doc__ = f"Change an item of my {title}; only the fields sent change."
    delete_item.__doc__ = f"Remove an item from my {title}."
    reorder_items.__doc__ = f"Put my {title} in this order (every id exactly once)."
    router.add_api_operation(path, ["GET"], list_items, response={200: list[schema_out], 401: ErrorOut})
    router.add_api_operation(path, ["POST"], create_item, response={201: schema_out, **_WRITE_ERRORS})
    router.add_api_operation(f"{path}/order", ["PUT"], reorder_items, response={200: list[schema_out], **_WRITE_ERRORS})
    item_path = f"{path}/{{int:item_id}}"
    router.add_api_operation(item_path, ["PATCH"], update_item, response={200: schema_out, **_WRITE_ERRORS})
    router.add_api_operation(item_path, ["DELETE"], delete_item, response={204: None, **_WRITE_ERRORS})


for _section in SECTIONS:
    _register_section(_section)


@router.get("/me/profile/skills", response={200: list[SkillOut], 401: ErrorOut})
def skills_list(request):
    """My skills, in profile order."""
    return [skill_payload(item) for item in _own_profile(request).skills.all()]


@router.post("/me/profile/skills", response={201: SkillOut, **_WRITE_ERRORS})
def skills_add(request, payload: SkillIn):
    """Add a skill from the catalogue (created on first use; accents and case do not count).
    At most 50 skills per profile."""
    form = SkillAddForm({"skills-name": payload.name})
    if not form.is_valid():
        return _validation_failed(form.errors)
    try:
        item = services.profile_skill_add(
            profile=_own_profile(request), name=form.cleaned_data["name"], duplicate_error=True
        )
    except ValidationError as error:
        return _service_error(error)
    return Status(201, skill_payload(item))


@router.delete("/me/profile/skills/{int:item_id}", response={204: None, **_WRITE_ERRORS})
def skills_remove(request, item_id: int):
    """Remove a skill from my profile (it stays in the catalogue)."""
    item = SKILLS.model.objects.filter(pk=item_id, profile_id=request.user.pk).first()
    if item is None:
        raise Http404
    services.profile_skill_remove(item=item)
    return Status(204, None)


@router.put("/me/profile/skills/order", response={200: list[SkillOut], **_WRITE_ERRORS})
def skills_reorder(request, payload: OrderIn):
    """Put my skills in this order (every id exactly once)."""
    try:
        services.section_items_reorder(profile=_own_profile(request), section="skills", ids=payload.ids)
    except ValidationError as error:
        return Status(422, {"error": "validation_error", "detail": error.messages})
    return [skill_payload(item) for item in selectors.profile_get_by_user(user_id=request.user.pk).skills.all()]


@router.get("/skills", response={200: list[SkillOut], 401: ErrorOut})
def skills_catalogue(request, q: str = ""):
    """Skills of the shared catalogue matching `q` (accents and case do not count), for autocomplete."""
    return [{"id": skill.pk, "name": skill.name} for skill in selectors.skill_suggestions(query=q[:100])]
