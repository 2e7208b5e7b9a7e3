"""Network pages: My network, invitations, follows, blocks, labels, plan usage. Thin: parse,
check, call one service or selector, render. Every member shown goes through the policy
(profile_cards / profile_view); members the viewer is blocked with are dropped."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required, user_passes_test
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from carnet.core import fragments, visibility
from carnet.core.compiled import CompiledQuery, compiled
from carnet.core.visibility import Relation
from carnet.network import selectors, services
from carnet.network.forms import (
    ConnectionLabelsForm,
    InvitationForm,
    LabelForm,
    NetworkFilterForm,
    PlanGrantForm,
    unbound_fields_html,
)
from carnet.network.models import Invitation, Label
from carnet.network.plans import plan_for
from carnet.network.quotas import QuotaExceeded, quota_usage
from carnet.profiles.models import Profile
from carnet.profiles.selectors import card_values, profile_cards, profile_view

PAGE_SIZE = 25

# What a row of My network shows: when the member connected, and their card
# (profile_view(card=True) reads only these). Loading whole users and profiles (about, websites,
# every JSON column decoded) was a tenth of the page's CPU.
CONNECTION_ROW_COLUMNS = (
    "id", "member_id", "other_id", "created",
    "other__id", "other__first_name", "other__last_name", "other__email", "other__is_active",
    "other__profile__user_id", "other__profile__slug", "other__profile__headline", "other__profile__photo",
    "other__profile__location", "other__profile__visibility",
)  # fmt: skip


def _member_or_404(slug: str, *, viewer):
    """The member at /in/<slug>/, unless missing or blocked either way (then 404, as their profile)."""
    profile = Profile.objects.select_related("user").filter(slug=slug).first()
    if profile is None or not profile.user.is_active:
        raise Http404
    if viewer.pk != profile.pk and visibility.relation(viewer, profile.pk) == Relation.BLOCKED:
        raise Http404
    return profile.user


def _next_url(request, default: str) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(candidate, {request.get_host()}, request.is_secure()):
        return candidate
    return default


def _cards(rows, member_of, *, viewer):
    """Pair each row with its member's card, dropping anyone the policy says is blocked."""
    profiles = [member_of(row).profile for row in rows]
    cards = profile_cards(profiles, viewer=viewer)
    return [(row, card) for row, card in zip(rows, cards, strict=True) if card.relation != Relation.BLOCKED]


@login_required
def index(request):
    # Read-only: the policy reads the viewer's blocks once, without the page's ids (a shorter
    # query than "which of these 25 members", and the same answer).
    with visibility.one_lookup_per_request():
        return _index(request)


def _index(request):
    labels = list(selectors.label_list(owner_id=request.user.pk))
    first = None if request.GET else _first_page()
    if first is None:
        form = NetworkFilterForm(request.GET or None, labels=labels)
        filters = form.filters()
        rows = selectors.network_list(member_id=request.user.pk, filters=filters, sort=form.sort_order())
        page = Paginator(rows.only(*CONNECTION_ROW_COLUMNS), PAGE_SIZE).get_page(request.GET.get("page"))
        filter_fields = form.fields_html()
    else:
        # The page asked most (no filter, newest first, page 1), from SQL built once (carnet.core.compiled).
        filters = selectors.NetworkFilters()
        paginator = Paginator([], PAGE_SIZE)
        paginator.count = first.count(request.user.pk)  # the paginator's own count, already known
        page = paginator.page(1)
        page.object_list = first.rows(request.user.pk)
        filter_fields = unbound_fields_html(labels)
    items = _cards(list(page.object_list), lambda row: row.other, viewer=request.user)
    member_ids = [row.other_id for row, _card in items]
    labelled = selectors.labels_by_member(owner_id=request.user.pk, member_ids=member_ids) if labels else {}
    items = [(row, card, labelled.get(row.other_id, [])) for row, card in items]
    filtering = filters.active
    # Each row is a fragment cached under the values it shows (carnet.core.fragments).
    next_path = request.get_full_path()
    rows = fragments.render_many(
        "network/_connection_row.html",
        [
            (
                {
                    "view": card,
                    "created": row.created,
                    "member_labels": [lb.name for lb in found],
                    "next_path": next_path,
                },
                (card_values(card), row.created, tuple(lb.name for lb in found), next_path),
            )
            for row, card, found in items
        ],
    )
    context = {
        "filter_fields": filter_fields,
        "page": page,
        "items": items,
        "rows": rows,
        "labels": labels,
        "filtering": filtering,
        # Unfiltered, the paginator already counted the connections.
        "total": page.paginator.count if not filtering else selectors.connection_count(member_id=request.user.pk),
    }
    return render(request, "network/index.html", context)


# Never a member id: it only marks the parameter's place in the compiled first page.
_MEMBER_SENTINEL = -7_000_001


@dataclass(frozen=True)
class _FirstPage:
    """My network's first page (no filter, newest first) and its count, from SQL built once
    (carnet.core.compiled) and run with the member's id: building the two queries cost
    the ORM ~0.8 ms of CPU per page, more than running them. tests/network/test_views_first_page.py
    compares them with the ORM's."""

    page: CompiledQuery
    total: CompiledQuery

    def rows(self, member_id: int) -> list:
        return self.page.run(member_id)

    def count(self, member_id: int) -> int:
        return self.total.count(member_id)


def _first_page() -> _FirstPage | None:
    """The compiled first page, or None when the selector's query no longer has the member's id
    as its one parameter (the page then takes the ORM's path)."""
    member = _MEMBER_SENTINEL
    page = compiled(
        "network.first_page",
        lambda: CompiledQuery(
            selectors.network_list(member_id=member).only(*CONNECTION_ROW_COLUMNS)[:PAGE_SIZE], [member]
        ),
    )
    # What Paginator.count asks: how many rows the same selector gives (whatever it filters).
    total = compiled(
        "network.first_page_count",
        lambda: CompiledQuery(selectors.network_list(member_id=member), [member], count=True),
    )
    return _FirstPage(page, total) if page is not None and total is not None else None


@login_required
def invitations(request):
    page = Paginator(selectors.invitation_list_received(member_id=request.user.pk), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    items = _cards(list(page.object_list), lambda inv: inv.sender, viewer=request.user)
    return render(request, "network/invitations.html", {"page": page, "items": items, "tab": "received"})


@login_required
def invitations_sent(request):
    page = Paginator(selectors.invitation_list_sent(member_id=request.user.pk), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    items = _cards(list(page.object_list), lambda inv: inv.recipient, viewer=request.user)
    return render(request, "network/invitations.html", {"page": page, "items": items, "tab": "sent"})


@login_required
@require_http_methods(["GET", "POST"])
def invite(request, slug):
    member = _member_or_404(slug, viewer=request.user)
    if member.pk == request.user.pk:
        raise Http404
    view = profile_view(member.profile, viewer=request.user, card=True)
    shared = selectors.shared_organizations(viewer=request.user, member=member)
    form = InvitationForm(request.POST or None, shared=shared, name=view.name or _("this member"))
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                invitation = services.invitation_send(
                    sender=request.user,
                    recipient=member,
                    note=form.cleaned_data["note"],
                    how_met=form.cleaned_data["how_met"],
                    organization=form.cleaned_data.get("organization"),
                )
            except (services.NetworkError, QuotaExceeded) as exc:
                form.add_error(None, str(exc))
            else:
                if invitation.sender_id == member.pk:
                    messages.success(
                        request, _("%(name)s had invited you: you are now connected.") % {"name": view.name}
                    )
                else:
                    messages.success(request, _("Invitation sent to %(name)s.") % {"name": view.name})
                return redirect(_next_url(request, member.profile.get_absolute_url()))
        status = 400
    context = {"form": form, "view": view, "member": member, "next": _next_url(request, "")}
    return render(request, "network/invite.html", context, status=status)


def _invitation_action(request, pk, action, done_message):
    invitation = get_object_or_404(Invitation.objects.select_related("sender__profile", "recipient__profile"), pk=pk)
    if request.user.pk not in (invitation.sender_id, invitation.recipient_id):
        raise Http404
    try:
        action(invitation=invitation, member=request.user)
    except services.NetworkError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, done_message)
    return redirect(_next_url(request, reverse("network:invitations")))


@login_required
@require_POST
def invitation_accept(request, pk):
    return _invitation_action(request, pk, services.invitation_accept, _("Invitation accepted: you are now connected."))


@login_required
@require_POST
def invitation_ignore(request, pk):
    return _invitation_action(request, pk, services.invitation_ignore, _("Invitation ignored."))


@login_required
@require_POST
def invitation_report(request, pk):
    return _invitation_action(
        request, pk, services.invitation_report, _("Thank you. The invitation is ignored and the sender is limited.")
    )


@login_required
@require_POST
def invitation_withdraw(request, pk):
    return _invitation_action(request, pk, services.invitation_withdraw, _("Invitation withdrawn."))


@login_required
@require_http_methods(["GET", "POST"])
def connection_remove(request, slug):
    member = _member_or_404(slug, viewer=request.user)
    if not selectors.are_connected(request.user.pk, member.pk):
        raise Http404
    view = profile_view(member.profile, viewer=request.user, card=True)
    if request.method == "POST":
        services.connection_end(member=request.user, other=member)
        messages.success(request, _("%(name)s was removed from your connections.") % {"name": view.name})
        return redirect(_next_url(request, reverse("network:index")))
    return render(request, "network/remove.html", {"view": view, "next": _next_url(request, "")})


@login_required
@require_http_methods(["GET", "POST"])
def connection_labels(request, slug):
    member = _member_or_404(slug, viewer=request.user)
    if not selectors.are_connected(request.user.pk, member.pk):
        raise Http404
    labels = list(selectors.label_list(owner_id=request.user.pk))
    current = selectors.labels_by_member(owner_id=request.user.pk, member_ids=[member.pk]).get(member.pk, [])
    form = ConnectionLabelsForm(request.POST or None, labels=labels, initial={"labels": [lb.pk for lb in current]})
    if request.method == "POST" and form.is_valid():
        services.labels_set(owner=request.user, member=member, labels=form.chosen())
        messages.success(request, _("Labels saved."))
        return redirect(_next_url(request, reverse("network:index")))
    view = profile_view(member.profile, viewer=request.user, card=True)
    return render(request, "network/connection_labels.html", {"form": form, "view": view, "labels": labels})


@login_required
@require_POST
def follow(request, slug):
    member = _member_or_404(slug, viewer=request.user)
    try:
        services.follow_create(follower=request.user, followed=member)
    except services.NetworkError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("You now follow this member's posts."))
    return redirect(_next_url(request, member.profile.get_absolute_url()))


@login_required
@require_POST
def unfollow(request, slug):
    member = _member_or_404(slug, viewer=request.user)
    services.follow_delete(follower=request.user, followed=member)
    messages.success(request, _("You no longer follow this member."))
    return redirect(_next_url(request, member.profile.get_absolute_url()))


def _follow_page(request, rows, member_of, tab):
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    items = _cards(list(page.object_list), member_of, viewer=request.user)
    return render(request, "network/follows.html", {"page": page, "items": items, "tab": tab})


@login_required
def followers(request):
    return _follow_page(request, selectors.follower_list(member_id=request.user.pk), lambda f: f.follower, "followers")


@login_required
def following(request):
    return _follow_page(request, selectors.following_list(member_id=request.user.pk), lambda f: f.followed, "following")


@login_required
@require_http_methods(["GET", "POST"])
def block(request, slug):
    member = _member_or_404(slug, viewer=request.user)
    if member.pk == request.user.pk:
        raise Http404
    view = profile_view(member.profile, viewer=request.user, card=True)
    if request.method == "POST":
        services.block_create(blocker=request.user, blocked=member)
        messages.success(
            request, _("%(name)s is blocked. You will not see each other on Carnet.") % {"name": view.name}
        )
        return redirect("network:blocked")
    return render(request, "network/block.html", {"view": view})


@login_required
@require_POST
def unblock(request, slug):
    profile = get_object_or_404(Profile.objects.select_related("user"), slug=slug)
    if services.block_delete(blocker=request.user, blocked=profile.user):
        messages.success(request, _("The member is unblocked."))
    return redirect("network:blocked")


@login_required
def blocked(request):
    page = Paginator(selectors.block_list(member_id=request.user.pk), PAGE_SIZE).get_page(request.GET.get("page"))
    # The blocker still needs to recognise whom they blocked: show what any member would see.
    items = [(b, profile_view(b.blocked.profile, relation=Relation.MEMBER, card=True)) for b in page.object_list]
    return render(request, "network/blocked.html", {"page": page, "items": items})


@login_required
@require_http_methods(["GET", "POST"])
def labels(request):
    form = LabelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.label_create(owner=request.user, name=form.cleaned_data["name"])
        except services.NetworkError as exc:
            form.add_error("name", str(exc))
        else:
            messages.success(request, _("Label created."))
            return redirect("network:labels")
    items = selectors.label_list(owner_id=request.user.pk)
    return render(request, "network/labels.html", {"form": form, "items": items}, status=400 if form.errors else 200)


def _own_label(request, pk) -> Label:
    # Someone else's label is answered like a missing one: labels are private.
    return get_object_or_404(Label, pk=pk, owner_id=request.user.pk)


@login_required
@require_POST
def label_rename(request, pk):
    label = _own_label(request, pk)
    form = LabelForm(request.POST)
    if form.is_valid():
        try:
            services.label_rename(label=label, name=form.cleaned_data["name"])
        except services.NetworkError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("Label renamed."))
    else:
        messages.error(request, _("Give the label a name of at most 50 characters."))
    return redirect("network:labels")


@login_required
@require_POST
def label_delete(request, pk):
    services.label_delete(label=_own_label(request, pk))
    messages.success(request, _("Label deleted."))
    return redirect("network:labels")


@login_required
def plan(request):
    context = {"plan": plan_for(request.user), "usage": quota_usage(request.user)}
    return render(request, "network/plan.html", context)


def _staff(user) -> bool:
    if user.is_authenticated and not user.is_staff:
        raise PermissionDenied
    return user.is_authenticated


@user_passes_test(_staff)
@require_http_methods(["GET", "POST"])
def plan_grants(request):
    form = PlanGrantForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        ends = timezone.now() + timedelta(days=data["days"]) if data.get("days") else None
        services.plan_grant(
            plan=data["plan"],
            user=data.get("user"),
            organization=data.get("organization"),
            ends=ends,
            reference=data.get("reference", ""),
            granted_by=request.user,
        )
        messages.success(request, _("Plan granted."))
        return redirect("network:plan_grants")
    context = {"form": form, "grants": selectors.plan_grant_list()}
    return render(request, "network/plan_grants.html", context, status=400 if form.errors else 200)
