"""/api/v1/network/: invitations, connections, follows, blocks, labels, plan and usage.

Same services, policy and limits as the pages: members are projected with profile_cards,
anyone blocked either way is answered as missing (404) or left out of lists, quotas answer
429 with a message naming the limit and when it resets.
"""

from __future__ import annotations

import datetime

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from ninja.errors import HttpError

from carnet.api.pagination import paginate
from carnet.api.schemas import ErrorOut, MemberOut
from carnet.api.serializers import member_payload
from carnet.core import visibility
from carnet.core.visibility import Relation
from carnet.network import selectors, services
from carnet.network.models import HowMet, Invitation, Label
from carnet.network.plans import plan_for
from carnet.network.quotas import QuotaExceeded, quota_usage
from carnet.organizations.models import Organization
from carnet.profiles.models import Profile
from carnet.profiles.selectors import profile_cards, profile_view

router = Router(tags=["network"])

_STATUS = {"invalid": 400, "forbidden": 403, "not_found": 404, "conflict": 409, "limit": 409}


class InvitationOut(Schema):
    id: int
    direction: str  # "sent" or "received", from the caller's side
    status: str
    member: MemberOut  # the other member
    note: str
    how_met: str
    organization: str | None = None
    reported: bool = False
    created: datetime.datetime
    responded: datetime.datetime | None = None


class InvitationIn(Schema):
    member: str  # the profile address (slug) of the member to invite
    note: str = ""
    how_met: str = ""  # colleague, classmate, other
    organization: str | None = None  # the shared company's or school's address (slug)


class HowMetChoiceOut(Schema):
    how_met: str  # colleague, classmate, other
    organization: str | None  # the shared company's or school's address (slug), to send back as is
    label: str


class InvitationPage(Schema):
    items: list[InvitationOut]
    next_cursor: str | None = None


class LabelOut(Schema):
    id: int
    name: str
    size: int | None = None


class LabelIn(Schema):
    name: str


class ConnectionOut(Schema):
    member: MemberOut
    connected: datetime.datetime
    labels: list[LabelOut]


class ConnectionPage(Schema):
    items: list[ConnectionOut]
    next_cursor: str | None = None


class ConnectionFilters(Schema):
    name: str = ""
    company: str = ""
    school: str = ""
    location: str = ""
    skill: str = ""
    since: datetime.date | None = None
    label: int | None = None
    cursor: str | None = None
    limit: int = 25


class FollowOut(Schema):
    member: MemberOut
    since: datetime.datetime


class FollowPage(Schema):
    items: list[FollowOut]
    next_cursor: str | None = None


class QuotaOut(Schema):
    name: str
    label: str
    limit: int
    used: int | None = None
    remaining: int | None = None
    resets_at: datetime.datetime | None = None
    reduced: bool = False


class PlanOut(Schema):
    code: str
    name: str
    usage: list[QuotaOut]


def _cards(rows, member_of, *, request) -> list[tuple[object, dict]]:
    """Each row with its member's payload, leaving out anyone blocked either way."""
    cards = profile_cards([member_of(row).profile for row in rows], viewer=request.user)
    return [
        (row, member_payload(card, request=request))
        for row, card in zip(rows, cards, strict=True)
        if card.relation != Relation.BLOCKED
    ]


def _member(slug: str, *, viewer):
    profile = Profile.objects.select_related("user").filter(slug=slug).first()
    if profile is None or not profile.user.is_active:
        raise Http404
    if profile.pk != viewer.pk and visibility.relation(viewer, profile.pk) == Relation.BLOCKED:
        raise Http404
    return profile.user


def _refused(exc: services.NetworkError) -> HttpError:
    return HttpError(_STATUS.get(exc.code, 400), str(exc))


def _quota_response(exc: QuotaExceeded):
    return Status(429, {"error": "quota_exceeded", "detail": str(exc)})


def _invitation_payload(invitation: Invitation, member: dict, *, viewer) -> dict:
    return {
        "id": invitation.pk,
        "direction": "sent" if invitation.sender_id == viewer.pk else "received",
        "status": invitation.status,
        "member": member,
        "note": invitation.note,
        "how_met": invitation.how_met,
        "organization": invitation.organization.name if invitation.organization_id else None,
        "reported": invitation.reported if invitation.recipient_id == viewer.pk else False,
        "created": invitation.created,
        "responded": invitation.responded,
    }


def _one_invitation(request, invitation: Invitation) -> dict:
    invitation = Invitation.objects.select_related("sender__profile", "recipient__profile", "organization").get(
        pk=invitation.pk
    )
    other = invitation.recipient if invitation.sender_id == request.user.pk else invitation.sender
    items = _cards([invitation], lambda _inv: other, request=request)
    if not items:
        raise Http404
    return _invitation_payload(invitation, items[0][1], viewer=request.user)


@router.get("/invitations", response={200: InvitationPage, 400: ErrorOut, 401: ErrorOut})
def invitation_list(request, direction: str = "received", cursor: str | None = None, limit: int = 25):
    """Pending invitations received (default) or sent."""
    if direction not in ("received", "sent"):
        # Translators: direction, received and sent are API names: keep them in English.
        raise HttpError(400, _("direction must be 'received' or 'sent'."))
    if direction == "sent":
        rows, member_of = selectors.invitation_list_sent(member_id=request.user.pk), (lambda inv: inv.recipient)
    else:
        rows, member_of = selectors.invitation_list_received(member_id=request.user.pk), (lambda inv: inv.sender)
    page, next_cursor = paginate(rows, cursor=cursor, limit=limit, key="created")
    items = [_invitation_payload(inv, m, viewer=request.user) for inv, m in _cards(page, member_of, request=request)]
    return {"items": items, "next_cursor": next_cursor}


@router.get("/invitations/how-met/{slug}", response={200: list[HowMetChoiceOut], 401: ErrorOut, 404: ErrorOut})
def invitation_how_met_choices(request, slug: str):
    """The "how do you know each other?" choices for inviting this member: the companies and
    schools you share (as far as their profile lets you see), then "other"."""
    member = _member(slug, viewer=request.user)
    if member.pk == request.user.pk:
        raise Http404
    shared = selectors.shared_organizations(viewer=request.user, member=member)
    choices = [
        {
            "how_met": HowMet.COLLEAGUE,
            "organization": org.slug,
            "label": _("We worked together at %(org)s") % {"org": org.name},
        }
        for org in shared.companies
    ]
    choices += [
        {
            "how_met": HowMet.CLASSMATE,
            "organization": org.slug,
            "label": _("We studied together at %(org)s") % {"org": org.name},
        }
        for org in shared.schools
    ]
    choices.append({"how_met": HowMet.OTHER, "organization": None, "label": str(HowMet.OTHER.label)})
    return choices


@router.post(
    "/invitations",
    response={
        201: InvitationOut,
        400: ErrorOut,
        401: ErrorOut,
        403: ErrorOut,
        404: ErrorOut,
        409: ErrorOut,
        429: ErrorOut,
    },
)
def invitation_send(request, payload: InvitationIn):
    """Invite a member to connect (or accept their pending invitation, if they invited you first)."""
    member = _member(payload.member, viewer=request.user)
    organization = None
    if payload.organization:
        organization = Organization.objects.filter(slug=payload.organization).first()
        if organization is None:
            raise HttpError(400, _("Unknown company or school."))
    try:
        invitation = services.invitation_send(
            sender=request.user,
            recipient=member,
            note=payload.note,
            how_met=payload.how_met,
            organization=organization,
        )
    except services.NetworkError as exc:
        raise _refused(exc)
    except QuotaExceeded as exc:
        return _quota_response(exc)
    return Status(201, _one_invitation(request, invitation))


def _answer(request, invitation_id: int, action):
    invitation = get_object_or_404(Invitation, pk=invitation_id)
    if request.user.pk not in (invitation.sender_id, invitation.recipient_id):
        raise Http404
    try:
        invitation = action(invitation=invitation, member=request.user)
    except services.NetworkError as exc:
        raise _refused(exc)
    return _one_invitation(request, invitation)


_ANSWER_RESPONSES = {200: InvitationOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut}


@router.post("/invitations/{invitation_id}/accept", response=_ANSWER_RESPONSES)
def invitation_accept(request, invitation_id: int):
    return _answer(request, invitation_id, services.invitation_accept)


@router.post("/invitations/{invitation_id}/ignore", response=_ANSWER_RESPONSES)
def invitation_ignore(request, invitation_id: int):
    return _answer(request, invitation_id, services.invitation_ignore)


@router.post("/invitations/{invitation_id}/report", response=_ANSWER_RESPONSES)
def invitation_report(request, invitation_id: int):
    """ "I don't know this person": ignore and flag against the sender."""
    return _answer(request, invitation_id, services.invitation_report)


@router.post("/invitations/{invitation_id}/withdraw", response=_ANSWER_RESPONSES)
def invitation_withdraw(request, invitation_id: int):
    return _answer(request, invitation_id, services.invitation_withdraw)


@router.get("/connections", response={200: ConnectionPage, 400: ErrorOut, 401: ErrorOut})
def connection_list(request, filters: Query[ConnectionFilters]):
    """My connections, newest first, with the same filters as My network."""
    rows = selectors.network_list(
        member_id=request.user.pk,
        filters=selectors.NetworkFilters(
            name=filters.name.strip(),
            company=filters.company.strip(),
            school=filters.school.strip(),
            location=filters.location.strip(),
            skill=filters.skill.strip(),
            since=filters.since,
            label_id=filters.label,
        ),
    )
    page, next_cursor = paginate(rows, cursor=filters.cursor, limit=filters.limit, key="created")
    items = _cards(page, lambda row: row.other, request=request)
    labelled = selectors.labels_by_member(owner_id=request.user.pk, member_ids=[row.other_id for row, _m in items])
    return {
        "items": [
            {
                "member": member,
                "connected": row.created,
                "labels": [{"id": lb.pk, "name": lb.name} for lb in labelled.get(row.other_id, [])],
            }
            for row, member in items
        ],
        "next_cursor": next_cursor,
    }


@router.delete("/connections/{slug}", response={204: None, 401: ErrorOut, 404: ErrorOut})
def connection_remove(request, slug: str):
    member = _member(slug, viewer=request.user)
    try:
        services.connection_end(member=request.user, other=member)
    except services.NetworkError as exc:
        raise _refused(exc)
    return Status(204, None)


def _follow_page(request, rows, member_of, cursor, limit):
    page, next_cursor = paginate(rows, cursor=cursor, limit=limit, key="created")
    items = [{"member": m, "since": f.created} for f, m in _cards(page, member_of, request=request)]
    return {"items": items, "next_cursor": next_cursor}


@router.get("/following", response={200: FollowPage, 400: ErrorOut, 401: ErrorOut})
def following_list(request, cursor: str | None = None, limit: int = 25):
    rows = selectors.following_list(member_id=request.user.pk)
    return _follow_page(request, rows, lambda f: f.followed, cursor, limit)


@router.get("/followers", response={200: FollowPage, 400: ErrorOut, 401: ErrorOut})
def follower_list(request, cursor: str | None = None, limit: int = 25):
    rows = selectors.follower_list(member_id=request.user.pk)
    return _follow_page(request, rows, lambda f: f.follower, cursor, limit)


@router.put("/following/{slug}", response={204: None, 400: ErrorOut, 401: ErrorOut, 404: ErrorOut})
def follow(request, slug: str):
    """Follow a member (one way: their public posts in your feed)."""
    member = _member(slug, viewer=request.user)
    try:
        services.follow_create(follower=request.user, followed=member)
    except services.NetworkError as exc:
        raise _refused(exc)
    return Status(204, None)


@router.delete("/following/{slug}", response={204: None, 401: ErrorOut, 404: ErrorOut})
def unfollow(request, slug: str):
    member = _member(slug, viewer=request.user)
    services.follow_delete(follower=request.user, followed=member)
    return Status(204, None)


class BlockOut(Schema):
    slug: str
    name: str | None = None
    since: datetime.datetime


class BlockPage(Schema):
    items: list[BlockOut]
    next_cursor: str | None = None


@router.get("/blocks", response={200: BlockPage, 400: ErrorOut, 401: ErrorOut})
def block_list(request, cursor: str | None = None, limit: int = 25):
    """The members I blocked, named as any member would see them (so I can unblock them)."""
    page, next_cursor = paginate(
        selectors.block_list(member_id=request.user.pk), cursor=cursor, limit=limit, key="created"
    )
    items = []
    for block in page:
        view = profile_view(block.blocked.profile, relation=Relation.MEMBER, card=True)
        items.append({"slug": view.slug, "name": view.name, "since": block.created})
    return {"items": items, "next_cursor": next_cursor}


@router.put("/blocks/{slug}", response={204: None, 400: ErrorOut, 401: ErrorOut, 404: ErrorOut})
def block(request, slug: str):
    """Block a member: connection, invitations and follows go, and each is hidden from the other."""
    profile = Profile.objects.select_related("user").filter(slug=slug).first()
    if profile is None:
        raise Http404
    try:
        services.block_create(blocker=request.user, blocked=profile.user)
    except services.NetworkError as exc:
        raise _refused(exc)
    return Status(204, None)


@router.delete("/blocks/{slug}", response={204: None, 401: ErrorOut, 404: ErrorOut})
def unblock(request, slug: str):
    profile = Profile.objects.select_related("user").filter(slug=slug).first()
    if profile is None or not services.block_delete(blocker=request.user, blocked=profile.user):
        raise Http404
    return Status(204, None)


def _own_label(request, label_id: int) -> Label:
    # Another member's label answers 404: labels are private.
    return get_object_or_404(Label, pk=label_id, owner_id=request.user.pk)


@router.get("/labels", response={200: list[LabelOut], 401: ErrorOut})
def label_list(request):
    return [{"id": lb.pk, "name": lb.name, "size": lb.size} for lb in selectors.label_list(owner_id=request.user.pk)]


@router.post("/labels", response={201: LabelOut, 400: ErrorOut, 401: ErrorOut, 409: ErrorOut})
def label_create(request, payload: LabelIn):
    try:
        label = services.label_create(owner=request.user, name=payload.name)
    except services.NetworkError as exc:
        raise _refused(exc)
    return Status(201, {"id": label.pk, "name": label.name, "size": 0})


@router.patch(
    "/labels/{label_id}", response={200: LabelOut, 400: ErrorOut, 401: ErrorOut, 404: ErrorOut, 409: ErrorOut}
)
def label_rename(request, label_id: int, payload: LabelIn):
    label = _own_label(request, label_id)
    try:
        label = services.label_rename(label=label, name=payload.name)
    except services.NetworkError as exc:
        raise _refused(exc)
    return {"id": label.pk, "name": label.name}


@router.delete("/labels/{label_id}", response={204: None, 401: ErrorOut, 404: ErrorOut})
def label_delete(request, label_id: int):
    services.label_delete(label=_own_label(request, label_id))
    return Status(204, None)


@router.put("/labels/{label_id}/members/{slug}", response={204: None, 400: ErrorOut, 401: ErrorOut, 404: ErrorOut})
def label_add_member(request, label_id: int, slug: str):
    """Put a label on one of my connections."""
    label = _own_label(request, label_id)
    member = _member(slug, viewer=request.user)
    try:
        services.label_add_member(label=label, member=member)
    except services.NetworkError as exc:
        raise _refused(exc)
    return Status(204, None)


@router.delete("/labels/{label_id}/members/{slug}", response={204: None, 401: ErrorOut, 404: ErrorOut})
def label_remove_member(request, label_id: int, slug: str):
    label = _own_label(request, label_id)
    member = _member(slug, viewer=request.user)
    services.label_remove_member(label=label, member=member)
    return Status(204, None)


@router.get("/plan", response={200: PlanOut, 401: ErrorOut})
def plan(request):
    """My plan and every limit: allowed, used, remaining, when it resets."""
    current = plan_for(request.user)
    usage = [
        {
            "name": q.name,
            "label": q.label,
            "limit": q.limit,
            "used": q.used,
            "remaining": q.remaining,
            "resets_at": q.resets_at,
            "reduced": q.reduced,
        }
        for q in quota_usage(request.user)
    ]
    return {"code": current.code, "name": str(current.name), "usage": usage}
