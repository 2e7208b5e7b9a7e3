"""/api/v1/activity: who viewed my profile, profile timelines, activity settings and the
public address. Same services, policy and plan limits as the pages."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Router, Schema
from ninja.errors import HttpError

from carnet.api.auth import optional_auth
from carnet.api.schemas import ErrorOut
from carnet.core.visibility import Relation
from carnet.profiles import activity, seo
from carnet.profiles import selectors as profile_selectors
from carnet.profiles.models import BrowsingMode
from carnet.profiles.services import profile_create

router = Router(tags=["activity"])


class WeekOut(Schema):
    week_start: str
    views: int


class ViewerOut(Schema):
    day: str
    mode: str  # named, semi_private or private
    label: str  # the name, "Someone at <company>" or "Anonymous member"
    slug: str | None = None
    headline: str | None = None
    company: str | None = None


class ProfileViewsOut(Schema):
    weeks: list[WeekOut]
    total_viewers: int
    limit: int
    private_mode: bool
    viewers: list[ViewerOut]


class HistoryOut(Schema):
    id: int
    kind: str
    label: str
    summary: str
    created: str
    hidden: bool


class HideIn(Schema):
    hidden: bool = True


class SettingsOut(Schema):
    browsing_mode: str
    update_reminders: bool
    slug: str
    public_url: str


class SettingsIn(Schema):
    browsing_mode: str | None = None
    update_reminders: bool | None = None
    slug: str | None = None


def _viewer_out(viewer) -> dict:
    if viewer.mode == BrowsingMode.NAMED:
        card = viewer.card
        return {
            "day": viewer.day.isoformat(),
            "mode": viewer.mode,
            "label": card.name or _("Carnet member"),
            "slug": card.slug,
            "headline": card.headline or None,
        }
    if viewer.mode == BrowsingMode.SEMI_PRIVATE and viewer.company:
        label = _("Someone at %(company)s") % {"company": viewer.company}
    else:
        label = _("Anonymous member")
    return {"day": viewer.day.isoformat(), "mode": viewer.mode, "label": label, "company": viewer.company or None}


@router.get("/profile-views", response={200: ProfileViewsOut, 401: ErrorOut})
def profile_views(request):
    """Views of my profile per week (12 weeks) and, within my plan, who viewed it."""
    profile = profile_create(user=request.user)
    weeks = activity.visits_weekly(profile=profile)
    page = activity.visit_viewers(owner=request.user)
    return {
        "weeks": [{"week_start": w.start.isoformat(), "views": w.count} for w in weeks],
        "total_viewers": page.total,
        "limit": page.limit,
        "private_mode": page.private_mode,
        "viewers": [_viewer_out(v) for v in page.viewers],
    }


@router.get("/history/{slug}", auth=optional_auth, response={200: list[HistoryOut], 404: ErrorOut})
def history(request, slug: str):
    """A profile's timeline as the caller may see it (the owner also sees hidden entries)."""
    profile = profile_selectors.profile_get(slug=slug)
    if profile is None:
        raise Http404
    view = profile_selectors.profile_view(profile, viewer=request.user, card=True)
    if view.relation == Relation.BLOCKED or not view.name:
        raise Http404
    entries = activity.history_visible(profile=profile, relation=view.relation)
    return [
        {
            "id": e.pk,
            "kind": e.kind,
            "label": e.get_kind_display(),
            "summary": e.summary,
            "created": e.created.isoformat(),
            "hidden": e.hidden,
        }
        for e in entries
    ]


@router.post("/history/{entry_id}/hide", response={200: HistoryOut, 401: ErrorOut, 404: ErrorOut})
def history_hide(request, entry_id: int, payload: HideIn):
    profile = profile_create(user=request.user)
    entry = activity.history_entry_hide(profile=profile, entry_id=entry_id, hidden=payload.hidden)
    if entry is None:
        raise Http404
    return {
        "id": entry.pk,
        "kind": entry.kind,
        "label": entry.get_kind_display(),
        "summary": entry.summary,
        "created": entry.created.isoformat(),
        "hidden": entry.hidden,
    }


def _settings_out(profile) -> dict:
    return {
        "browsing_mode": profile.browsing_mode,
        "update_reminders": profile.update_reminders,
        "slug": profile.slug,
        "public_url": seo.absolute(profile.get_absolute_url()),
    }


@router.get("/settings", response={200: SettingsOut, 401: ErrorOut})
def settings_get(request):
    return _settings_out(profile_create(user=request.user))


@router.patch("/settings", response={200: SettingsOut, 400: ErrorOut, 401: ErrorOut})
def settings_change(request, payload: SettingsIn):
    """Browsing mode, update reminders and public address (the old address redirects)."""
    profile = profile_create(user=request.user)
    if payload.browsing_mode is not None and payload.browsing_mode not in BrowsingMode.values:
        # Translators: browsing_mode and the choices are API names: keep them in English.
        raise HttpError(400, _("browsing_mode: one of %(choices)s.") % {"choices": ", ".join(BrowsingMode.values)})
    if payload.slug is not None:
        try:
            profile = seo.profile_slug_change(profile=profile, slug=payload.slug)
        except ValidationError as exc:
            # Translators: an API error about one field (named in English), e.g. "slug: This address is taken."
            message = _("%(field)s: %(errors)s") % {"field": "slug", "errors": " ".join(exc.messages)}
            raise HttpError(400, message) from exc
    if payload.browsing_mode is not None or payload.update_reminders is not None:
        profile = activity.activity_settings_update(
            profile=profile,
            browsing_mode=payload.browsing_mode or profile.browsing_mode,
            update_reminders=profile.update_reminders if payload.update_reminders is None else payload.update_reminders,
        )
    return _settings_out(profile)
