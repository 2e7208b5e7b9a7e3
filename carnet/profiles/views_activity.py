"""Who viewed my profile, the profile's timeline controls and the activity settings."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from carnet.core.visibility import Relation
from carnet.profiles import activity
from carnet.profiles.forms_documents import ActivitySettingsForm
from carnet.profiles.models import BrowsingMode
from carnet.profiles.services import profile_create

# The chart's geometry, in SVG user units: bars 100 units tall at most, labels above and below.
BAR_STEP, BAR_WIDTH, BAR_TOP, BAR_MAX = 50, 34, 18, 100


def _chart_bars(weeks) -> list[dict]:
    bars = []
    for index, week in enumerate(weeks):
        x = index * BAR_STEP + (BAR_STEP - BAR_WIDTH) // 2
        height = max(week.height, 1) if week.count else 0
        y = BAR_TOP + BAR_MAX - height
        bars.append(
            {
                "week": week,
                "x": x,
                "y": y,
                "height": height,
                "width": BAR_WIDTH,
                "label_x": x + BAR_WIDTH // 2,
                "count_y": y - 4,
                "date_y": BAR_TOP + BAR_MAX + 16,
            }
        )
    return bars


@login_required
@require_GET
def visits(request):
    profile = profile_create(user=request.user)
    weeks = activity.visits_weekly(profile=profile)
    page = activity.visit_viewers(owner=request.user)
    context = {
        "profile": profile,
        "weeks": weeks,
        "bars": _chart_bars(weeks),
        "chart_width": len(weeks) * BAR_STEP,
        "week_total": sum(week.count for week in weeks),
        "page": page,
        "more": max(0, page.total - page.limit),
        "modes": BrowsingMode,
    }
    return render(request, "profiles/visits.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def activity_settings(request):
    profile = profile_create(user=request.user)
    initial = {"browsing_mode": profile.browsing_mode, "update_reminders": profile.update_reminders}
    form = ActivitySettingsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        activity.activity_settings_update(profile=profile, **form.cleaned_data)
        messages.success(request, _("Your settings were saved."))
        return redirect("profiles:activity_settings")
    status = 400 if request.method == "POST" else 200
    return render(request, "profiles/activity/settings.html", {"form": form, "profile": profile}, status=status)


@login_required
@require_POST
def history_hide(request, pk):
    """Hide (or show again, with hidden=0) one entry of my timeline."""
    hidden = request.POST.get("hidden", "1") != "0"
    entry = activity.history_entry_hide(profile=request.user.profile, entry_id=pk, hidden=hidden)
    if entry is None:
        raise Http404
    if request.headers.get("HX-Request"):
        return render(request, "profiles/activity/_timeline_entry.html", {"entry": entry, "owner": True})
    messages.success(request, _("The entry is hidden from your profile.") if hidden else _("The entry is shown again."))
    return redirect(request.user.profile.get_absolute_url())


def timeline_for(view) -> dict:
    """Context of the timeline block for a profile projection (used by the template tag)."""
    entries = activity.history_visible(profile=view.profile, relation=view.relation)
    return {"entries": entries, "owner": view.relation == Relation.SELF, "latest": entries[0] if entries else None}
