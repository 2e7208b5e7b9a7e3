from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from carnet.core.visibility import Relation
from carnet.profiles import activity, selectors, seo, services
from carnet.profiles.forms import IntroForm


def detail(request, slug):
    profile = selectors.profile_get(slug=slug)
    if profile is None:
        return seo.former_slug_redirect(slug)  # 301 to the member's new address, or 404
    view = selectors.profile_view(profile, viewer=request.user)
    if view.relation == Relation.BLOCKED or (view.name is None and view.relation == Relation.ANONYMOUS):
        # Nothing public to show: anonymous visitors are asked to sign in, blocked members see nothing.
        if view.relation == Relation.ANONYMOUS:
            return redirect(f"{_login_url()}?next={request.path}")
        raise Http404
    activity.visit_record(profile=profile, viewer=request.user, relation=view.relation)  # "who viewed my profile"
    return render(request, "profiles/detail.html", {"view": view, "profile": profile})


def _login_url():
    from django.urls import reverse

    return reverse("account_login")


@login_required
def me(request):
    profile = services.profile_create(user=request.user)
    return redirect(profile.get_absolute_url())


@login_required
@require_http_methods(["GET", "POST"])
def edit_intro(request):
    profile = services.profile_create(user=request.user)
    form = IntroForm(request.POST or None, instance=profile)
    if request.method == "POST" and form.is_valid():
        services.profile_update(profile=profile, **{name: form.cleaned_data[name] for name in form.changed_data})
        messages.success(request, _("Your profile was saved."))
        if request.headers.get("HX-Request"):
            return render(
                request, "profiles/_intro.html", {"view": selectors.profile_view(profile, viewer=request.user)}
            )
        return redirect(profile.get_absolute_url())
    return render(request, "profiles/edit_intro.html", {"form": form, "profile": profile})
