"""Pages for introductions, recommendations, endorsements, People You May Know, former
colleagues and classmates, and address book import/export. Thin: parse, check, call one
service or selector, render. Every member shown goes through the policy (profile_cards)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods, require_POST

from carnet.core import visibility
from carnet.core.visibility import Relation
from carnet.network import endorsements, introductions, recommendations, suggestions
from carnet.network.contacts import exporting, importing
from carnet.network.contacts.parsing import MAX_FILE_BYTES, ContactFileError
from carnet.network.forms_relations import (
    ContactsUploadForm,
    IntroductionForwardForm,
    IntroductionRequestForm,
    RecommendationRequestForm,
    RecommendationWriteForm,
)
from carnet.network.quotas import QuotaExceeded, quota_status
from carnet.network.relations_support import RelationError, names_for
from carnet.network.views import _member_or_404, _next_url
from carnet.profiles.models import Profile
from carnet.profiles.selectors import profile_cards

PAGE_SIZE = 20
REFUSED = (RelationError, QuotaExceeded)


def _card(user, *, viewer):
    return profile_cards([user.profile], viewer=viewer)[0]


# ---------------------------------------------------------------------------------------
# Introductions
# ---------------------------------------------------------------------------------------
INTRODUCTION_BOXES = ("to_forward", "received", "sent")


@login_required
def introduction_list(request):
    counts = introductions.introduction_counts(member=request.user)
    box = request.GET.get("box") or (
        "to_forward" if counts["to_forward"] else "received" if counts["received"] else "sent"
    )
    if box not in INTRODUCTION_BOXES:
        raise Http404
    rows = introductions.introduction_queryset(member=request.user, box=box)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    items = introductions.introduction_items(page.object_list, member=request.user)
    return render(
        request,
        "network/introductions/list.html",
        {"page": page, "items": items, "box": box, "counts": counts, "boxes": INTRODUCTION_BOXES},
    )


@login_required
@require_http_methods(["GET", "POST"])
def introduction_new(request, slug):
    target = _member_or_404(slug, viewer=request.user)
    if target.pk == request.user.pk:
        raise Http404
    target_view = _card(target, viewer=request.user)
    intermediaries = introductions.introduction_intermediaries(requester=request.user, target=target)
    names = names_for(intermediaries, viewer=request.user)
    form = IntroductionRequestForm(request.POST or None, intermediaries=intermediaries, names=names)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                introductions.introduction_request(
                    requester=request.user,
                    intermediary=form.cleaned_data["intermediary"],
                    target=target,
                    message=form.cleaned_data["message"],
                )
            except REFUSED as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(
                    request,
                    _("Your request was sent to %(name)s.") % {"name": names[form.cleaned_data["intermediary"].pk]},
                )
                return redirect(f"{reverse('network:introductions')}?box=sent")
        status = 400
    quota = quota_status(request.user, "introductions_per_month")
    context = {"form": form, "target": target_view, "intermediaries": intermediaries, "quota": quota}
    return render(request, "network/introductions/new.html", context, status=status)


def _introduction_or_404(pk: int, member):
    introduction = introductions.introduction_get(pk=pk, member=member)
    if introduction is None:
        raise Http404
    return introduction


@login_required
def introduction_detail(request, pk):
    introduction = _introduction_or_404(pk, request.user)
    item = introductions.introduction_items([introduction], member=request.user)[0]
    return render(
        request, "network/introductions/detail.html", {"item": item, "forward_form": IntroductionForwardForm()}
    )


@login_required
@require_POST
def introduction_action(request, pk, action):
    introduction = _introduction_or_404(pk, request.user)
    try:
        if action == "forward":
            form = IntroductionForwardForm(request.POST)
            if not form.is_valid():
                raise RelationError(" ".join(str(e) for e in form.errors.get("note", [])) or _("Check the note."))
            introductions.introduction_forward(
                introduction=introduction, actor=request.user, note=form.cleaned_data["note"]
            )
            messages.success(request, _("Introduction forwarded."))
        elif action == "decline":
            introductions.introduction_decline(introduction=introduction, actor=request.user)
            messages.success(request, _("Introduction declined."))
        elif action == "accept":
            introductions.introduction_accept(introduction=introduction, actor=request.user)
            messages.success(request, _("You are now connected."))
        else:
            raise Http404
    except RelationError as exc:
        messages.error(request, str(exc))
        return redirect("network:introduction_detail", pk=introduction.pk)
    return redirect("network:introduction_detail", pk=introduction.pk)


# ---------------------------------------------------------------------------------------
# Recommendations
# ---------------------------------------------------------------------------------------
@login_required
def recommendation_list(request):
    boxes = recommendations.recommendation_boxes(member=request.user)
    return render(request, "network/recommendations/list.html", {"boxes": boxes})


@login_required
@require_http_methods(["GET", "POST"])
def recommendation_ask(request, slug):
    author = _member_or_404(slug, viewer=request.user)
    if author.pk == request.user.pk:
        raise Http404
    form = RecommendationRequestForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                recommendations.recommendation_request(requester=request.user, author=author, **form.cleaned_data)
            except RelationError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("Your request was sent."))
                return redirect("network:recommendations")
        status = 400
    context = {"form": form, "member": _card(author, viewer=request.user), "mode": "ask"}
    return render(request, "network/recommendations/form.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def recommendation_write(request, slug):
    recipient = _member_or_404(slug, viewer=request.user)
    if recipient.pk == request.user.pk:
        raise Http404
    request_row = recommendations.open_recommendation(author_id=request.user.pk, recipient_id=recipient.pk)
    if request_row is not None:
        # They asked, or I already wrote one: both are edited in place.
        return redirect("network:recommendation_edit", pk=request_row.pk)
    form = RecommendationWriteForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                recommendations.recommendation_write(author=request.user, recipient=recipient, **form.cleaned_data)
            except RelationError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("Your recommendation was sent. It will show once accepted."))
                return redirect("network:recommendations")
        status = 400
    context = {"form": form, "member": _card(recipient, viewer=request.user), "mode": "write"}
    return render(request, "network/recommendations/form.html", context, status=status)


def _recommendation_or_404(pk: int, member):
    rec = recommendations.recommendation_get(pk=pk, member=member)
    if rec is None:
        raise Http404
    return rec


@login_required
@require_http_methods(["GET", "POST"])
def recommendation_edit(request, pk):
    rec = _recommendation_or_404(pk, request.user)
    if rec.author_id != request.user.pk or rec.status not in recommendations.OPEN:
        raise Http404
    initial = {"relationship": rec.relationship, "context": rec.context, "text": rec.text}
    form = RecommendationWriteForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                recommendations.recommendation_update(recommendation=rec, author=request.user, **form.cleaned_data)
            except RelationError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("Your recommendation was saved. It will show once accepted."))
                return redirect("network:recommendations")
        status = 400
    context = {
        "form": form,
        "member": _card(rec.recipient, viewer=request.user),
        "mode": "edit",
        "recommendation": rec,
    }
    return render(request, "network/recommendations/form.html", context, status=status)


@login_required
@require_POST
def recommendation_action(request, pk, action):
    rec = _recommendation_or_404(pk, request.user)
    if action not in recommendations.ACTIONS:
        raise Http404
    try:
        recommendations.recommendation_transition(recommendation=rec, actor=request.user, action=action)
    except RelationError as exc:
        messages.error(request, str(exc))
    else:
        done = {
            "accept": _("The recommendation is now on your profile."),
            "decline": _("Recommendation declined."),
            "hide": _("The recommendation is hidden from your profile."),
            "show": _("The recommendation is shown on your profile again."),
            "decline_request": _("Request declined."),
        }
        messages.success(request, done[action])
    return redirect(_next_url(request, reverse("network:recommendations")))


# ---------------------------------------------------------------------------------------
# Endorsements
# ---------------------------------------------------------------------------------------
@login_required
@require_POST
def endorse(request, pk, action):
    item = endorsements.profile_skill_get(pk=pk)
    if item is None or visibility.relation(request.user, item.profile_id) == Relation.BLOCKED:
        raise Http404
    try:
        if action == "add":
            endorsements.endorsement_add(endorser=request.user, profile_skill=item)
        elif action == "withdraw":
            endorsements.endorsement_withdraw(endorser=request.user, profile_skill=item)
        else:
            raise Http404
    except RelationError as exc:
        if request.headers.get("HX-Request"):
            return HttpResponse(str(exc), status=403 if exc.code == "forbidden" else 400)
        messages.error(request, str(exc))
    if request.headers.get("HX-Request"):
        skill = endorsements.skill_endorsements(profile_skill=item, viewer=request.user)
        return render(request, "network/_endorse_skill.html", {"skill": skill, "can_endorse": True})
    return redirect(item.profile.get_absolute_url())


# ---------------------------------------------------------------------------------------
# People You May Know, colleagues, classmates
# ---------------------------------------------------------------------------------------
def _people_page(request, candidates, template: str, extra: dict):
    page = Paginator(candidates, PAGE_SIZE).get_page(request.GET.get("page"))
    items = suggestions.candidates_project(list(page.object_list), viewer=request.user)
    return render(request, template, {"page": page, "items": items, **extra})


@login_required
def suggestion_list(request):
    return _people_page(
        request, suggestions.suggestion_list(member=request.user), "network/suggestions/list.html", {"kind": "pymk"}
    )


@login_required
def colleague_list(request):
    return _people_page(
        request,
        suggestions.colleague_list(member=request.user),
        "network/suggestions/people.html",
        {"kind": "colleagues"},
    )


@login_required
def classmate_list(request):
    return _people_page(
        request,
        suggestions.classmate_list(member=request.user),
        "network/suggestions/people.html",
        {"kind": "classmates"},
    )


@login_required
@require_POST
def suggestion_dismiss(request, slug):
    member = _member_or_404(slug, viewer=request.user)
    try:
        suggestions.suggestion_dismiss(member=request.user, dismissed=member)
    except RelationError as exc:
        messages.error(request, str(exc))
    if request.headers.get("HX-Request"):
        # The card disappears; htmx swaps it for nothing.
        return HttpResponse("")
    return redirect(_next_url(request, reverse("network:suggestions")))


# ---------------------------------------------------------------------------------------
# Address book import and export
# ---------------------------------------------------------------------------------------
class _LimitedUploadHandler(FileUploadHandler):
    """Stops reading an upload as soon as it is larger than the limit (nothing kept)."""

    def __init__(self, request, limit: int):
        super().__init__(request)
        self.limit = limit
        self.exceeded = False

    def receive_data_chunk(self, raw_data, start):
        if start + len(raw_data) > self.limit:
            self.exceeded = True
            raise StopUpload(connection_reset=False)
        return raw_data

    def file_complete(self, file_size):
        return None


# Room for the multipart envelope and the other fields around the file.
_ENVELOPE = 64 * 1024


@csrf_exempt
@login_required
def contacts(request):
    """Upload an address book. The size is checked before the body is read (CSRF is checked
    right after, by `_contacts`: Django needs upload handlers set before it reads the body)."""
    if request.method == "POST":
        if int(request.META.get("CONTENT_LENGTH") or 0) > MAX_FILE_BYTES + _ENVELOPE:
            return _contacts_page(request, ContactsUploadForm(), error=_too_large(), status=413)
        handler = _LimitedUploadHandler(request, MAX_FILE_BYTES)
        request.upload_handlers.insert(0, handler)
        request._carnet_upload_handler = handler
    return _contacts(request)


def _too_large() -> str:
    return _("The file is too large; the limit is %(limit)s MB. Export it without photos.") % {
        "limit": MAX_FILE_BYTES // 1_048_576
    }


@csrf_protect
def _contacts(request):
    if request.method != "POST":
        return _contacts_page(request, ContactsUploadForm())
    data, files = request.POST, request.FILES  # parses the body, through the limited handler
    handler = getattr(request, "_carnet_upload_handler", None)
    if handler is not None and handler.exceeded:
        return _contacts_page(request, ContactsUploadForm(), error=_too_large(), status=413)
    form = ContactsUploadForm(data, files)
    if not form.is_valid():
        return _contacts_page(request, form, status=400)
    upload = form.cleaned_data["file"]
    try:
        job = importing.contacts_import(member=request.user, data=upload.read(), filename=upload.name)
    except ContactFileError as exc:
        return _contacts_page(request, form, error=str(exc), status=400)
    return redirect("network:contacts_import", pk=job.pk)


def _contacts_page(request, form, *, error: str = "", status: int = 200):
    recent = importing.Job.objects.filter(owner=request.user, kind=importing.IMPORT_KIND).order_by("-created")[:5]
    context = {"form": form, "error": error, "recent": recent}
    return render(request, "network/contacts/index.html", context, status=status)


def _import_or_404(pk: int, member):
    job = importing.contacts_import_get(pk=pk, member=member)
    if job is None:
        raise Http404
    return job


@login_required
def contacts_import(request, pk):
    job = _import_or_404(pk, request.user)
    report = job.report
    member_ids = [m["id"] for m in report.get("members", [])]
    profiles = {p.pk: p for p in Profile.objects.select_related("user").filter(pk__in=member_ids)}
    views = {v.pk: v for v in profile_cards([profiles[i] for i in member_ids if i in profiles], viewer=request.user)}
    members = [
        (entry, views[entry["id"]])
        for entry in report.get("members", [])
        if entry["id"] in views and views[entry["id"]].relation != Relation.BLOCKED
    ]
    subject, body = importing.invitation_email(member=request.user, name=_("(their name)"))
    context = {
        "job": job,
        "report": report,
        "members": members,
        "invitable_members": [v for entry, v in members if entry["state"] == "invitable"],
        "non_members": report.get("non_members", []),
        "invitable_contacts": [c for c in report.get("non_members", []) if c["state"] == "invitable"],
        "email_subject": subject,
        "email_body": body,
        "quota": quota_status(request.user, "invitations_per_week"),
        "expires": job.created + importing.IMPORT_KEEP,
        "now": timezone.now(),
    }
    return render(request, "network/contacts/import.html", context)


@login_required
@require_POST
def contacts_invite_members(request, pk):
    job = _import_or_404(pk, request.user)
    ids = [value for value in request.POST.getlist("member") if value.isdigit()]
    try:
        result = importing.contacts_invite_members(member=request.user, job=job, user_ids=ids)
    except REFUSED as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("%(count)s invitations sent.") % {"count": result["invited"]})
        for skipped in result["skipped"]:
            messages.warning(request, f"{skipped['name']}: {skipped['reason']}")
    return redirect("network:contacts_import", pk=job.pk)


@login_required
@require_POST
def contacts_invite_emails(request, pk):
    job = _import_or_404(pk, request.user)
    if request.POST.get("all"):
        keys = [c["key"] for c in job.report.get("non_members", []) if c["state"] == "invitable"]
    else:
        keys = [value for value in request.POST.getlist("contact") if value.isdigit()]
    try:
        count = importing.contacts_invite_emails(
            member=request.user, job=job, keys=keys, consent=request.POST.get("consent") == "on"
        )
    except REFUSED as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            _("%(count)s invitations are on their way by e-mail. The other addresses were erased.") % {"count": count},
        )
    return redirect("network:contacts_import", pk=job.pk)


@login_required
@require_POST
def contacts_import_close(request, pk):
    job = _import_or_404(pk, request.user)
    importing.contacts_import_close(member=request.user, job=job)
    messages.success(request, _("Done. The addresses of contacts who are not members were erased."))
    return redirect("network:contacts")


@login_required
def contacts_export(request, fmt):
    if fmt == "vcf":
        stream, content_type = exporting.connections_vcard(member=request.user), "text/vcard; charset=utf-8"
    elif fmt == "csv":
        stream, content_type = exporting.connections_csv(member=request.user), "text/csv; charset=utf-8"
    else:
        raise Http404
    response = StreamingHttpResponse(stream, content_type=content_type)
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="carnet-connections-{stamp}.{fmt}"'
    response["Cache-Control"] = "private, no-store"
    return response
