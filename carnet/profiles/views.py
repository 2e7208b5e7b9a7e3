"""The profile page and its inline editors.

Every editor works twice: with htmx it swaps its form into the section card and the saved
card back in (the request carries HX-Request); without JavaScript the same URL is a full
page with the form, and a successful POST redirects to the profile.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from carnet.core import fragments, visibility
from carnet.core.visibility import Relation
from carnet.profiles import activity, selectors, seo, services
from carnet.profiles.forms import (
    AboutForm,
    ContactForm,
    ImageForm,
    IntroForm,
    SkillAddForm,
    VisibilityForm,
    section_form,
    section_form_data,
)
from carnet.profiles.registry import MAX_SKILLS, REORDERABLE, SECTIONS, SKILLS


def detail(request, slug):
    # A read-only page whose blocks (buttons, endorsements, recommendations, how you're connected)
    # each check blocks between the viewer and the members they show: one lookup serves them all.
    with visibility.one_lookup_per_request():
        return _detail(request, slug)


def _detail(request, slug):
    profile = selectors.profile_get_bare(slug=slug)
    if profile is None:
        return seo.former_slug_redirect(slug)  # 301 to the member's new address, or 404
    relation, degree = visibility.relations_with_degrees(request.user, [profile.pk])[profile.pk]
    if relation == Relation.SELF:
        return _own_detail(request, selectors.profile_sections_load(profile))
    # Another member's profile (or an anonymous visitor): the card projection is enough for the
    # title and the viewer's own blocks (buttons, endorsements, how you're connected...).
    view = selectors.profile_view(profile, relation=relation, degree=degree, card=True)
    if relation == Relation.BLOCKED or (view.name is None and relation == Relation.ANONYMOUS):
        # Nothing public to show: anonymous visitors are asked to sign in, blocked members see nothing.
        if relation == Relation.ANONYMOUS:
            return redirect(f"{reverse('account_login')}?next={request.path}")
        raise Http404
    activity.visit_record(profile=profile, viewer=request.user, relation=relation)  # "who viewed my profile"
    context = {"profile": profile, "view": view, "owner": False, "sections": SECTIONS, "parts": _parts(profile, view)}
    return render(request, "profiles/detail.html", context)


# The parts of another member's profile page that show only the projected profile.
PARTS = ("intro", "top", "more", "contact")


def _parts(profile, card_view) -> dict:
    """The intro, sections, contact card and search-engine tags of `profile` as the viewer's
    relation projects them, from fragments cached under (carnet.core.fragments):

    - the profile's and account's rows and a digest of every row its sections show
      (selectors.profile_stamp, one query), so any edit gives new keys;
    - the viewer's relation and degree, so an entry only serves the audience it was projected for.

    The sections are loaded (8 queries) and projected only when a fragment must be rendered.
    """
    stamp = (selectors.profile_stamp(profile), selectors.row_values(profile))
    audience = (int(card_view.relation), card_view.degree)
    projected = {}

    def full_view():
        if "view" not in projected:
            selectors.profile_sections_load(profile)
            projected["view"] = selectors.profile_view(profile, relation=card_view.relation, degree=card_view.degree)
        return projected["view"]

    def part_context(part):
        return lambda: {"view": full_view(), "sections": SECTIONS, "part": part}

    html = fragments.render_many(
        "profiles/_parts.html", [(part_context(part), (part, stamp, audience)) for part in PARTS]
    )
    parts = dict(zip(PARTS, html, strict=True))
    # Search engines' tags come from the anonymous projection: the same for every viewer.
    parts["seo"] = fragments.render(
        "profiles/activity/_seo_meta.html",
        lambda: {"meta": seo.profile_meta(selectors.profile_sections_load(profile))},
        (stamp, settings.SITE_URL, settings.SITE_NAME),
    )
    return parts


def _own_detail(request, profile):
    """The owner's own profile, with its editors, or previewed as another audience ("view my
    profile as"). Rendered for each request: it holds forms and the owner's controls."""
    view = selectors.profile_view(profile, viewer=request.user)
    context = {"profile": profile, "view": view, "owner": True, "sections": SECTIONS}
    # "View my profile as": the same template, projected for the chosen audience. Only
    # the owner can ask; for anyone else `as` is ignored (it must never widen a view).
    preview = visibility.VIEW_AS_KEYS.get(request.GET.get("as", ""))
    if preview is not None:
        context["view"] = selectors.profile_view(profile, relation=preview, preview=True)
    else:
        context["strength"] = selectors.profile_strength(profile)
    context["view_as_choices"] = [
        (key, relation.label, relation == preview) for key, relation in visibility.VIEW_AS_KEYS.items()
    ]
    return render(request, "profiles/detail.html", context)


@login_required
def me(request):
    profile = services.profile_create(user=request.user)
    return redirect(profile.get_absolute_url())


# ---------------------------------------------------------------------------------------
# Helpers shared by the editors.
# ---------------------------------------------------------------------------------------


def _is_htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true"


def _own_profile(request):
    services.profile_create(user=request.user)
    return selectors.profile_get_by_user(user_id=request.user.pk)


def _own_view(request, profile=None):
    profile = selectors.profile_get_by_user(user_id=request.user.pk) if profile is None else profile
    return selectors.profile_view(profile, viewer=request.user)


def _add_service_errors(form, error: ValidationError) -> None:
    """Attach a service's ValidationError to the form, on the fields it names when the form has them."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def _card(request, template: str, context: dict, *, anchor: str):
    """After a successful save: the card for htmx, a redirect to the profile otherwise."""
    if _is_htmx(request):
        response = render(request, template, context)
        # The strength meter listens for this to refresh itself.
        response["HX-Trigger"] = "profileSaved"
        return response
    messages.success(request, _("Your profile was saved."))
    return redirect(f"{context['view'].profile.get_absolute_url()}#{anchor}")


def _editor(request, *, card_template: str, page_title: str, context: dict):
    """A form: inside its card for htmx, on a page of its own otherwise."""
    if _is_htmx(request):
        return render(request, card_template, context)
    return render(request, "profiles/edit.html", {**context, "card_template": card_template, "page_title": page_title})


# ---------------------------------------------------------------------------------------
# Intro, about, contact info, photo and banner.
# ---------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def edit_intro(request):
    profile = _own_profile(request)
    form = IntroForm(request.POST or None, instance=profile)
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in IntroForm._meta.fields}
        try:
            services.profile_intro_update(
                profile=profile,
                first_name=form.cleaned_data["first_name"],
                last_name=form.cleaned_data["last_name"],
                **fields,
            )
        except ValidationError as error:
            _add_service_errors(form, error)
        else:
            return _card(request, "profiles/_intro.html", {"view": _own_view(request)}, anchor="intro")
    profile.refresh_from_db()
    context = {"view": _own_view(request, profile), "form": form, "profile": profile}
    return _editor(request, card_template="profiles/_intro.html", page_title=_("Edit intro"), context=context)


@login_required
@require_http_methods(["GET", "POST"])
def edit_about(request):
    profile = _own_profile(request)
    form = AboutForm(request.POST or None, instance=profile)
    if request.method == "POST" and form.is_valid():
        try:
            services.profile_update(profile=profile, about=form.cleaned_data["about"])
        except ValidationError as error:
            _add_service_errors(form, error)
        else:
            return _card(request, "profiles/sections/_about.html", {"view": _own_view(request)}, anchor="section-about")
    profile.refresh_from_db()
    context = {"view": _own_view(request, profile), "form": form}
    return _editor(request, card_template="profiles/sections/_about.html", page_title=_("Edit about"), context=context)


@login_required
@require_http_methods(["GET", "POST"])
def edit_contact(request):
    profile = _own_profile(request)
    form = ContactForm(request.POST or None, profile=profile)
    if request.method == "POST" and form.is_valid():
        try:
            services.profile_update(
                profile=profile,
                contact_email=form.cleaned_data["contact_email"],
                phone=form.cleaned_data["phone"],
                websites=form.cleaned_data["websites"],
            )
        except ValidationError as error:
            _add_service_errors(form, error)
        else:
            return _card(
                request, "profiles/sections/_contact.html", {"view": _own_view(request)}, anchor="section-contact"
            )
    profile.refresh_from_db()
    context = {"view": _own_view(request, profile), "form": form}
    return _editor(
        request, card_template="profiles/sections/_contact.html", page_title=_("Edit contact info"), context=context
    )


@login_required
@require_http_methods(["GET", "POST"])
def edit_image(request, kind):
    if kind not in services.PROFILE_IMAGE_FIELDS:
        raise Http404
    profile = _own_profile(request)
    form = ImageForm(request.POST or None, request.FILES or None, kind=kind)
    if request.method == "POST":
        if request.POST.get("remove"):
            services.profile_image_remove(profile=profile, kind=kind)
            return _card(request, "profiles/_intro.html", {"view": _own_view(request)}, anchor="intro")
        if form.is_valid():
            services.profile_image_set(profile=profile, kind=kind, image=form.cleaned_data["image"])
            return _card(request, "profiles/_intro.html", {"view": _own_view(request)}, anchor="intro")
    context = {"view": _own_view(request, profile), "image_form": form, "image_kind": kind, "profile": profile}
    title = _("Change your photo") if kind == "photo" else _("Change your banner")
    return _editor(request, card_template="profiles/_intro.html", page_title=title, context=context)


# ---------------------------------------------------------------------------------------
# List sections: positions, education, languages, certifications, projects, volunteering,
# publications.
# ---------------------------------------------------------------------------------------


def _spec(section):
    spec = SECTIONS.get(section)
    if spec is None:
        raise Http404
    return spec


def _own_item(request, spec, pk):
    item = spec.model.objects.filter(pk=pk, profile_id=request.user.pk).first()
    if item is None:
        # Someone else's item or none at all: the same answer, so ids reveal nothing.
        raise Http404
    return item


def _section_context(request, spec, **extra):
    view = _own_view(request)
    return {"view": view, "spec": spec, "items": view.section_items(spec.key), **extra}


@login_required
@require_GET
def card(request, name):
    """A card of the owner's profile as it shows on the page: the editors' Cancel button and
    the strength meter's refresh after a save."""
    if not _is_htmx(request):
        return redirect(
            f"{_own_profile(request).get_absolute_url()}#{'intro' if name == 'intro' else 'section-' + name}"
        )
    if name == "strength":
        profile = _own_profile(request)
        return render(request, "profiles/_strength.html", {"strength": selectors.profile_strength(profile)})
    if name in CARD_TEMPLATES:
        return render(request, CARD_TEMPLATES[name], {"view": _own_view(request)})
    return render(request, "profiles/sections/_list.html", _section_context(request, _spec(name)))


CARD_TEMPLATES = {
    "intro": "profiles/_intro.html",
    "about": "profiles/sections/_about.html",
    "contact": "profiles/sections/_contact.html",
    "skills": "profiles/sections/_skills.html",
}


@login_required
@require_http_methods(["GET", "POST"])
def section_add(request, section):
    spec = _spec(section)
    profile = _own_profile(request)
    return _section_form(request, spec, profile, item=None)


@login_required
@require_http_methods(["GET", "POST"])
def section_edit(request, section, pk):
    spec = _spec(section)
    item = _own_item(request, spec, pk)
    return _section_form(request, spec, _own_profile(request), item=item)


def _section_form(request, spec, profile, *, item):
    form = section_form(spec.key, profile=profile, data=request.POST or None, instance=item)
    if request.method == "POST" and form.is_valid():
        data = section_form_data(form)
        try:
            if item is None:
                services.section_item_create(profile=profile, section=spec.key, data=data)
            else:
                services.section_item_update(item=item, data=data)
        except ValidationError as error:
            _add_service_errors(form, error)
        else:
            return _card(
                request, "profiles/sections/_list.html", _section_context(request, spec), anchor=f"section-{spec.key}"
            )
    context = _section_context(request, spec, form=form, editing=item.pk if item else "new", item=item)
    title = spec.add_label if item is None else _("Edit %(item)s") % {"item": item}
    return _editor(request, card_template="profiles/sections/_list.html", page_title=title, context=context)


@login_required
@require_http_methods(["GET", "POST"])
def section_delete(request, section, pk):
    spec = _spec(section)
    item = _own_item(request, spec, pk)
    if request.method == "POST":
        services.section_item_delete(item=item)
        if _is_htmx(request):
            return render(request, "profiles/sections/_list.html", _section_context(request, spec))
        messages.success(request, _("“%(item)s” was removed from your profile.") % {"item": item})
        return redirect(f"{_own_profile(request).get_absolute_url()}#section-{spec.key}")
    # Without JavaScript, a page asks for confirmation.
    return render(request, "profiles/confirm_delete.html", {"spec": spec, "item": item})


@login_required
@require_POST
def section_move(request, section, pk):
    """Move an item up or down (`direction` = up | down): buttons, so keyboards can do it."""
    spec = REORDERABLE.get(section)
    if spec is None:
        raise Http404
    offset = {"up": -1, "down": 1}.get(request.POST.get("direction", ""))
    if offset is None:
        return HttpResponse(_("Say up or down."), status=400)
    try:
        services.section_item_move(profile=_own_profile(request), section=section, item_id=pk, offset=offset)
    except spec.model.DoesNotExist:
        raise Http404
    if _is_htmx(request):
        if section == "skills":
            return render(request, "profiles/sections/_skills.html", _skills_context(request))
        return render(request, "profiles/sections/_list.html", _section_context(request, spec))
    return redirect(f"{_own_profile(request).get_absolute_url()}#section-{section}")


# ---------------------------------------------------------------------------------------
# Skills.
# ---------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def edit_skills(request):
    profile = _own_profile(request)
    form = SkillAddForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.profile_skill_add(profile=profile, name=form.cleaned_data["name"], duplicate_error=True)
        except ValidationError as error:
            _add_service_errors(form, error)
        else:
            if not _is_htmx(request):
                messages.success(request, _("Skill added."))
                return redirect(reverse("profiles:edit_skills"))
            # Keep the form open: members add skills several in a row.
            form = SkillAddForm()
    context = _skills_context(request, form=form)
    return _editor(request, card_template="profiles/sections/_skills.html", page_title=_("Skills"), context=context)


def _skills_context(request, form=None):
    return {"view": _own_view(request), "form": form or SkillAddForm(), "max_skills": MAX_SKILLS, "spec": SKILLS}


@login_required
@require_POST
def skill_remove(request, pk):
    item = _own_item(request, SKILLS, pk)
    services.profile_skill_remove(item=item)
    if _is_htmx(request):
        return render(request, "profiles/sections/_skills.html", _skills_context(request))
    return redirect(reverse("profiles:edit_skills"))


@login_required
@require_GET
def skill_suggestions(request):
    """<option>s of catalogue skills matching what the member typed, for a <datalist>."""
    query = request.GET.get("q") or next((v for v in request.GET.values() if v), "")
    skills = selectors.skill_suggestions(query=query)
    return render(request, "profiles/_options.html", {"options": [s.name for s in skills]})


@login_required
@require_GET
def organization_suggestions(request, kind):
    query = request.GET.get("q") or next((v for v in request.GET.values() if v), "")
    organizations = selectors.organization_suggestions(query=query, kind=kind)
    return render(request, "profiles/_options.html", {"options": [o.name for o in organizations]})


# ---------------------------------------------------------------------------------------
# Visibility settings.
# ---------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def edit_visibility(request):
    profile = _own_profile(request)
    form = VisibilityForm(request.POST or None, profile=profile)
    if request.method == "POST" and form.is_valid():
        try:
            services.profile_visibility_update(profile=profile, choices=form.cleaned_data)
        except ValidationError as error:
            _add_service_errors(form, error)
        else:
            messages.success(request, _("Your visibility settings were saved."))
            return redirect(reverse("profiles:edit_visibility"))
    return render(request, "profiles/visibility.html", {"form": form, "profile": profile})
