"""/api/v1/relations/: introductions, recommendations, skill endorsements, People You May
Know (+ dismiss), former colleagues, classmates, address book import and export.

Same services, policy and limits as the pages: every member is projected with
profile_cards, anyone blocked either way is answered as missing (404) or left out of lists,
quotas answer 429 with a message naming the limit and when it resets.
"""

from __future__ import annotations

import datetime

from django.http import Http404, StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import File, Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.files import UploadedFile

from carnet.api.auth import optional_auth
from carnet.api.pagination import decode_cursor, encode_cursor, paginate
from carnet.api.schemas import ErrorOut, MemberOut
from carnet.api.serializers import member_payload
from carnet.core import visibility
from carnet.core.visibility import Relation
from carnet.network import endorsements, introductions, recommendations, suggestions
from carnet.network.contacts import exporting, importing
from carnet.network.contacts.parsing import MAX_FILE_BYTES, ContactFileError
from carnet.network.quotas import QuotaExceeded
from carnet.network.relations_support import RelationError
from carnet.profiles.models import Profile
from carnet.profiles.selectors import profile_cards

router = Router(tags=["relations"])

_STATUS = {"invalid": 400, "forbidden": 403, "not_found": 404, "conflict": 409}
_ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 413: ErrorOut, 429: ErrorOut}


def _refused(exc: Exception) -> HttpError:
    if isinstance(exc, QuotaExceeded):
        return HttpError(429, str(exc))
    return HttpError(_STATUS.get(getattr(exc, "code", "invalid"), 400), str(exc))


# ---------------------------------------------------------------------------------------
# Shared shapes
# ---------------------------------------------------------------------------------------
def _member_or_404(slug: str, viewer):
    profile = Profile.objects.select_related("user").filter(slug=slug).first()
    if profile is None or not profile.user.is_active:
        raise Http404
    signed_in = getattr(viewer, "is_authenticated", False)
    if signed_in and viewer.pk != profile.pk and visibility.relation(viewer, profile.pk) == Relation.BLOCKED:
        raise Http404
    return profile.user


# ---------------------------------------------------------------------------------------
# Introductions
# ---------------------------------------------------------------------------------------
class IntroductionOut(Schema):
    id: int
    role: str  # requester, intermediary or target: the caller's part
    status: str
    requester: MemberOut
    intermediary: MemberOut
    target: MemberOut
    message: str
    intermediary_note: str
    created: datetime.datetime
    forwarded: datetime.datetime | None = None
    responded: datetime.datetime | None = None
    expires: datetime.datetime


class IntroductionPage(Schema):
    items: list[IntroductionOut]
    next_cursor: str | None = None


class IntroductionIn(Schema):
    target: str  # profile address (slug) of the member to meet
    intermediary: str  # profile address of the mutual connection asked to introduce
    message: str


class NoteIn(Schema):
    note: str = ""


def _introduction(item: introductions.IntroductionItem, request) -> dict:
    intro = item.introduction
    return {
        "id": intro.pk,
        "role": item.role,
        "status": item.status,
        "requester": member_payload(item.requester, request=request),
        "intermediary": member_payload(item.intermediary, request=request),
        "target": member_payload(item.target, request=request),
        "message": intro.message,
        "intermediary_note": intro.intermediary_note,
        "created": intro.created,
        "forwarded": intro.forwarded,
        "responded": intro.responded,
        "expires": intro.expires,
    }


@router.get("/introductions", response={200: IntroductionPage, **_ERRORS})
def introduction_list(request, box: str = "sent", cursor: str | None = None, limit: int = 20):
    """My introductions: box=sent (I asked), to_forward (asked of me), received (forwarded to me)."""
    if box not in ("sent", "to_forward", "received"):
        # Translators: box, sent, to_forward and received are API names: keep them in English.
        raise HttpError(400, _("box must be sent, to_forward or received."))
    rows, next_cursor = paginate(
        introductions.introduction_queryset(member=request.user, box=box), cursor=cursor, limit=limit
    )
    items = introductions.introduction_items(rows, member=request.user)
    return {"items": [_introduction(item, request) for item in items], "next_cursor": next_cursor}


@router.get("/introductions/intermediaries/{slug}", response={200: list[MemberOut], **_ERRORS})
def introduction_intermediaries(request, slug: str):
    """The mutual connections I may ask to introduce me to this member."""
    target = _member_or_404(slug, request.user)
    users = introductions.introduction_intermediaries(requester=request.user, target=target)
    return [
        member_payload(view, request=request) for view in profile_cards([u.profile for u in users], viewer=request.user)
    ]


@router.post("/introductions", response={201: IntroductionOut, **_ERRORS})
def introduction_create(request, payload: IntroductionIn):
    target = _member_or_404(payload.target, request.user)
    intermediary = _member_or_404(payload.intermediary, request.user)
    try:
        intro = introductions.introduction_request(
            requester=request.user, intermediary=intermediary, target=target, message=payload.message
        )
    except (RelationError, QuotaExceeded) as exc:
        raise _refused(exc) from exc
    return Status(201, _introduction(introductions.introduction_items([intro], member=request.user)[0], request))


def _introduction_or_404(pk: int, member):
    intro = introductions.introduction_get(pk=pk, member=member)
    if intro is None:
        raise Http404
    return intro


@router.get("/introductions/{pk}", response={200: IntroductionOut, **_ERRORS})
def introduction_detail(request, pk: int):
    intro = _introduction_or_404(pk, request.user)
    return _introduction(introductions.introduction_items([intro], member=request.user)[0], request)


@router.post("/introductions/{pk}/{action}", response={200: IntroductionOut, **_ERRORS})
def introduction_act(request, pk: int, action: str, payload: NoteIn | None = None):
    """forward (the intermediary, with an optional note), decline (intermediary or target), accept (target)."""
    intro = _introduction_or_404(pk, request.user)
    try:
        if action == "forward":
            intro = introductions.introduction_forward(
                introduction=intro, actor=request.user, note=payload.note if payload else ""
            )
        elif action == "decline":
            intro = introductions.introduction_decline(introduction=intro, actor=request.user)
        elif action == "accept":
            intro = introductions.introduction_accept(introduction=intro, actor=request.user)
        else:
            raise Http404
    except RelationError as exc:
        raise _refused(exc) from exc
    intro = _introduction_or_404(intro.pk, request.user)
    return _introduction(introductions.introduction_items([intro], member=request.user)[0], request)


# ---------------------------------------------------------------------------------------
# Recommendations
# ---------------------------------------------------------------------------------------
class RecommendationOut(Schema):
    id: int
    status: str
    author: MemberOut
    recipient: MemberOut
    relationship: str
    context: str
    request_message: str | None = None
    text: str
    created: datetime.datetime
    updated: datetime.datetime


class RecommendationBoxes(Schema):
    to_write: list[RecommendationOut]
    to_review: list[RecommendationOut]
    received: list[RecommendationOut]
    asked: list[RecommendationOut]
    given: list[RecommendationOut]


class RecommendationRequestIn(Schema):
    author: str  # profile address of the connection asked to write it
    relationship: str
    context: str = ""
    message: str = ""


class RecommendationWriteIn(Schema):
    recipient: str  # profile address of the connection recommended
    relationship: str
    context: str = ""
    text: str


class RecommendationEditIn(Schema):
    relationship: str
    context: str = ""
    text: str


def _recommendation(item: recommendations.RecommendationItem, request, *, private: bool = True) -> dict:
    rec = item.recommendation
    return {
        "id": rec.pk,
        "status": rec.status,
        "author": member_payload(item.author, request=request),
        "recipient": member_payload(item.recipient, request=request),
        "relationship": rec.relationship,
        "context": rec.context,
        # The request is between the two members only.
        "request_message": rec.request_message if private else None,
        "text": rec.text,
        "created": rec.created,
        "updated": rec.updated,
    }


@router.get("/recommendations", response={200: RecommendationBoxes, **_ERRORS})
def recommendation_boxes(request):
    """Mine: asked of me (to_write), waiting for my decision (to_review), received, asked, given."""
    boxes = recommendations.recommendation_boxes(member=request.user)
    return {name: [_recommendation(item, request) for item in items] for name, items in boxes.items()}


@router.get("/profiles/{slug}/recommendations", response={200: list[RecommendationOut], **_ERRORS}, auth=optional_auth)
def profile_recommendations(request, slug: str):
    """The accepted recommendations of a profile, as the caller may see them (policy field "recommendations")."""
    member = _member_or_404(slug, request.user)
    items = recommendations.recommendations_for_profile(profile=member.profile, viewer=request.user)
    return [_recommendation(item, request, private=False) for item in items]


def _recommendation_item(rec, request):
    return recommendations.recommendation_items([rec], viewer=request.user)[0]


@router.post("/recommendations/requests", response={201: RecommendationOut, **_ERRORS})
def recommendation_request(request, payload: RecommendationRequestIn):
    author = _member_or_404(payload.author, request.user)
    try:
        rec = recommendations.recommendation_request(
            requester=request.user,
            author=author,
            relationship=payload.relationship,
            context=payload.context,
            message=payload.message,
        )
    except RelationError as exc:
        raise _refused(exc) from exc
    return Status(201, _recommendation(_recommendation_item(rec, request), request))


@router.post("/recommendations", response={201: RecommendationOut, **_ERRORS})
def recommendation_write(request, payload: RecommendationWriteIn):
    recipient = _member_or_404(payload.recipient, request.user)
    try:
        rec = recommendations.recommendation_write(
            author=request.user,
            recipient=recipient,
            relationship=payload.relationship,
            context=payload.context,
            text=payload.text,
        )
    except RelationError as exc:
        raise _refused(exc) from exc
    return Status(201, _recommendation(_recommendation_item(rec, request), request))


def _recommendation_or_404(pk: int, member):
    rec = recommendations.recommendation_get(pk=pk, member=member)
    if rec is None:
        raise Http404
    return rec


@router.patch("/recommendations/{pk}", response={200: RecommendationOut, **_ERRORS})
def recommendation_edit(request, pk: int, payload: RecommendationEditIn):
    """The author writes a requested recommendation, or edits theirs before it is accepted."""
    rec = _recommendation_or_404(pk, request.user)
    try:
        rec = recommendations.recommendation_update(
            recommendation=rec,
            author=request.user,
            relationship=payload.relationship,
            context=payload.context,
            text=payload.text,
        )
    except RelationError as exc:
        raise _refused(exc) from exc
    return _recommendation(_recommendation_item(_recommendation_or_404(pk, request.user), request), request)


@router.post("/recommendations/{pk}/{action}", response={200: RecommendationOut, **_ERRORS})
def recommendation_act(request, pk: int, action: str):
    """accept, decline, hide, show (the recipient); decline_request (the author)."""
    rec = _recommendation_or_404(pk, request.user)
    if action not in recommendations.ACTIONS:
        raise Http404
    try:
        recommendations.recommendation_transition(recommendation=rec, actor=request.user, action=action)
    except RelationError as exc:
        raise _refused(exc) from exc
    return _recommendation(_recommendation_item(_recommendation_or_404(pk, request.user), request), request)


# ---------------------------------------------------------------------------------------
# Skill endorsements
# ---------------------------------------------------------------------------------------
class SkillOut(Schema):
    id: int  # the profile skill: endorse it with POST /relations/skills/{id}/endorsement
    name: str
    endorsements: int
    endorsers: list[MemberOut]
    colleagues: int
    company: str | None = None
    endorsed_by_me: bool


class ProfileSkillsOut(Schema):
    can_endorse: bool
    skills: list[SkillOut]


def _skill(skill: endorsements.SkillEndorsements, request) -> dict:
    return {
        "id": skill.pk,
        "name": skill.name,
        "endorsements": skill.count,
        "endorsers": [member_payload(view, request=request) for view in skill.endorsers],
        "colleagues": skill.colleagues,
        "company": skill.company or None,
        "endorsed_by_me": skill.endorsed_by_viewer,
    }


@router.get("/profiles/{slug}/skills", response={200: ProfileSkillsOut, **_ERRORS}, auth=optional_auth)
def profile_skills(request, slug: str):
    """A profile's skills ranked by endorsements, with "endorsed by N colleagues from <company>"."""
    member = _member_or_404(slug, request.user)
    data = endorsements.profile_endorsements(profile=member.profile, viewer=request.user)
    return {"can_endorse": data.can_endorse, "skills": [_skill(s, request) for s in data.skills]}


def _profile_skill_or_404(pk: int, viewer):
    item = endorsements.profile_skill_get(pk=pk)
    if item is None or visibility.relation(viewer, item.profile_id) == Relation.BLOCKED:
        raise Http404
    return item


@router.post("/skills/{pk}/endorsement", response={200: SkillOut, **_ERRORS})
def endorsement_add(request, pk: int):
    item = _profile_skill_or_404(pk, request.user)
    try:
        endorsements.endorsement_add(endorser=request.user, profile_skill=item)
    except RelationError as exc:
        raise _refused(exc) from exc
    return _skill(endorsements.skill_endorsements(profile_skill=item, viewer=request.user), request)


@router.delete("/skills/{pk}/endorsement", response={200: SkillOut, **_ERRORS})
def endorsement_withdraw(request, pk: int):
    item = _profile_skill_or_404(pk, request.user)
    endorsements.endorsement_withdraw(endorser=request.user, profile_skill=item)
    return _skill(endorsements.skill_endorsements(profile_skill=item, viewer=request.user), request)


# ---------------------------------------------------------------------------------------
# People You May Know, colleagues, classmates
# ---------------------------------------------------------------------------------------
class PersonOut(Schema):
    member: MemberOut
    reasons: list[str]
    state: str  # connect, pending, connected


class PeoplePage(Schema):
    items: list[PersonOut]
    next_cursor: str | None = None


def _people(request, candidates, cursor: str | None, limit: int) -> dict:
    limit = max(1, min(limit, 100))
    offset = 0
    if cursor:
        values = decode_cursor(cursor)
        if len(values) != 2 or values[0] != "offset" or not isinstance(values[1], int) or values[1] < 0:
            raise HttpError(400, _("Invalid cursor."))
        offset = values[1]
    page = candidates[offset : offset + limit]
    items = suggestions.candidates_project(page, viewer=request.user)
    next_cursor = encode_cursor(["offset", offset + limit]) if offset + limit < len(candidates) else None
    return {
        "items": [
            {"member": member_payload(c.view, request=request), "reasons": c.reasons, "state": c.state} for c in items
        ],
        "next_cursor": next_cursor,
    }


@router.get("/suggestions", response={200: PeoplePage, **_ERRORS})
def suggestion_list(request, cursor: str | None = None, limit: int = 20):
    """People You May Know, ranked, each with the reasons it may be shown."""
    return _people(request, suggestions.suggestion_list(member=request.user), cursor, limit)


@router.post("/suggestions/{slug}/dismiss", response={204: None, **_ERRORS})
def suggestion_dismiss(request, slug: str):
    member = _member_or_404(slug, request.user)
    try:
        suggestions.suggestion_dismiss(member=request.user, dismissed=member)
    except RelationError as exc:
        raise _refused(exc) from exc
    return Status(204, None)


@router.get("/colleagues", response={200: PeoplePage, **_ERRORS})
def colleague_list(request, cursor: str | None = None, limit: int = 20):
    """Members who were at one of my companies at the same time as me."""
    return _people(request, suggestions.colleague_list(member=request.user), cursor, limit)


@router.get("/classmates", response={200: PeoplePage, **_ERRORS})
def classmate_list(request, cursor: str | None = None, limit: int = 20):
    """Members of my schools whose class year is within two years of mine."""
    return _people(request, suggestions.classmate_list(member=request.user), cursor, limit)


# ---------------------------------------------------------------------------------------
# Address book import and export
# ---------------------------------------------------------------------------------------
class ImportMemberOut(Schema):
    member: MemberOut
    state: str  # invitable, connected, pending, invited, unavailable


class ImportContactOut(Schema):
    key: int
    name: str
    email: str
    state: str  # invitable, already_invited


class SkippedOut(Schema):
    line: int
    reason: str


class ImportOut(Schema):
    id: int
    format: str
    file: str
    read: int
    imported: int
    members: list[ImportMemberOut]
    non_members: list[ImportContactOut]
    non_member_count: int
    skipped: list[SkippedOut]
    invited_members: int
    invited_emails: int
    addresses_erased: bool
    addresses_erased_at: datetime.datetime


class InviteMembersIn(Schema):
    members: list[str]  # profile addresses (slugs) among the import's invitable members


class InviteMembersOut(Schema):
    invited: int
    skipped: list[dict]


class InviteEmailsIn(Schema):
    keys: list[int] | None = None  # the contacts' keys in the import; omit with all=true
    all: bool = False
    consent: bool = False  # must be true: the member confirms these people welcome the e-mail


class InviteEmailsOut(Schema):
    invited: int


def _import(job, request) -> dict:
    report = job.report
    ids = [m["id"] for m in report.get("members", [])]
    profiles = {p.pk: p for p in Profile.objects.select_related("user").filter(pk__in=ids)}
    views = {v.pk: v for v in profile_cards([profiles[i] for i in ids if i in profiles], viewer=request.user)}
    return {
        "id": job.pk,
        "format": report.get("format", ""),
        "file": report.get("file", ""),
        "read": report.get("read", 0),
        "imported": report.get("imported", 0),
        "members": [
            {"member": member_payload(views[m["id"]], request=request), "state": m["state"]}
            for m in report.get("members", [])
            if m["id"] in views and views[m["id"]].relation != Relation.BLOCKED
        ],
        "non_members": [
            {"key": c["key"], "name": c["name"], "email": c["email"], "state": c["state"]}
            for c in report.get("non_members", [])
        ],
        "non_member_count": report.get("non_member_count", 0),
        "skipped": report.get("skipped", []),
        "invited_members": report.get("invited_members", 0),
        "invited_emails": report.get("invited_emails", 0),
        "addresses_erased": bool(report.get("scrubbed")),
        "addresses_erased_at": job.created + importing.IMPORT_KEEP,
    }


@router.post("/contacts/imports", response={201: ImportOut, **_ERRORS})
def contacts_import(request, file: UploadedFile = File(...)):  # noqa: B008 - ninja's way of declaring a file
    """Upload a vCard, CSV or LinkedIn Connections.csv. Nothing is written if the file is unusable."""
    if file.size is not None and file.size > MAX_FILE_BYTES:
        raise HttpError(
            413,
            _("The file is too large; the limit is %(limit)s MB. Export it without photos.")
            % {"limit": MAX_FILE_BYTES // 1_048_576},
        )
    try:
        job = importing.contacts_import(member=request.user, data=file.read(MAX_FILE_BYTES + 1), filename=file.name)
    except ContactFileError as exc:
        raise HttpError(400, str(exc)) from exc
    return Status(201, _import(job, request))


def _import_or_404(pk: int, member):
    job = importing.contacts_import_get(pk=pk, member=member)
    if job is None:
        raise Http404
    return job


@router.get("/contacts/imports/{pk}", response={200: ImportOut, **_ERRORS})
def contacts_import_detail(request, pk: int):
    return _import(_import_or_404(pk, request.user), request)


@router.post("/contacts/imports/{pk}/invite-members", response={200: InviteMembersOut, **_ERRORS})
def contacts_invite_members(request, pk: int, payload: InviteMembersIn):
    """Invite members found by the import (all or none, within the weekly invitation allowance)."""
    job = _import_or_404(pk, request.user)
    ids = list(Profile.objects.filter(slug__in=payload.members).values_list("pk", flat=True))
    if len(ids) != len(set(payload.members)):
        raise HttpError(400, _("Unknown member."))
    try:
        return importing.contacts_invite_members(member=request.user, job=job, user_ids=ids)
    except (RelationError, QuotaExceeded) as exc:
        raise _refused(exc) from exc


@router.post("/contacts/imports/{pk}/invite-emails", response={200: InviteEmailsOut, **_ERRORS})
def contacts_invite_emails(request, pk: int, payload: InviteEmailsIn):
    """With consent, invite contacts who are not members by e-mail; their addresses are then erased."""
    job = _import_or_404(pk, request.user)
    if payload.all:
        keys = [c["key"] for c in job.report.get("non_members", []) if c["state"] == "invitable"]
    else:
        keys = payload.keys or []
    try:
        count = importing.contacts_invite_emails(member=request.user, job=job, keys=keys, consent=payload.consent)
    except (RelationError, QuotaExceeded) as exc:
        raise _refused(exc) from exc
    return {"invited": count}


@router.post("/contacts/imports/{pk}/close", response={204: None, **_ERRORS})
def contacts_import_close(request, pk: int):
    """Done with this import: erase the non-members' addresses now."""
    importing.contacts_import_close(member=request.user, job=_import_or_404(pk, request.user))
    return Status(204, None)


@router.get("/contacts/export", response={200: None, **_ERRORS})
def contacts_export(request, format: str = Query("vcard")):  # noqa: A002 - the public parameter name
    """My connections as vCard 4.0 (format=vcard) or CSV (format=csv), fields through the policy."""
    if format == "vcard":
        stream, content_type, ext = exporting.connections_vcard(member=request.user), "text/vcard; charset=utf-8", "vcf"
    elif format == "csv":
        stream, content_type, ext = exporting.connections_csv(member=request.user), "text/csv; charset=utf-8", "csv"
    else:
        # Translators: format, vcard and csv are API names: keep them in English.
        raise HttpError(400, _("format must be vcard or csv."))
    response = StreamingHttpResponse(stream, content_type=content_type)
    response["Content-Disposition"] = (
        f'attachment; filename="carnet-connections-{timezone.localdate().isoformat()}.{ext}"'
    )
    return response
