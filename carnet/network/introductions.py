"""Introductions (cooptation): a member asks a mutual connection to introduce them to someone.

    requester ──asks──▶ intermediary ──forwards (with a note)──▶ target ──accepts──▶ connected

The intermediary must be connected to both the requester and the target, and must let the
requester see their connections list (otherwise the requester could not know they are a
mutual connection). Each step notifies the next person (in-app and by e-mail). A request
that nobody acts on expires after INTRODUCTION_TTL: expired requests cannot be acted on,
whether or not the periodic task has marked them yet. Requests count against the plan's
`introductions_per_month`. Blocking (either way, between any two of the three) stops
everything.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from carnet.core import visibility
from carnet.core.visibility import Relation
from carnet.network.models import Introduction, IntroductionStatus
from carnet.network.relations_support import (
    RelationError,
    any_blocked,
    are_connected,
    blocked_ids,
    mutual_connection_ids,
    notify_named,
)

# How long each step may wait: the intermediary has 14 days to forward, then the target 14
# days from the forwarding to answer (LinkedIn's InMail answers are counted over 14 days too).
INTRODUCTION_TTL = datetime.timedelta(days=14)
MESSAGE_MAX = 1000
OPEN = (IntroductionStatus.REQUESTED, IntroductionStatus.FORWARDED)


# ---------------------------------------------------------------------------------------
# Reads
# ---------------------------------------------------------------------------------------
def introduction_intermediaries(*, requester, target) -> list:
    """The members `requester` may ask to introduce them to `target`, with their profiles."""
    if requester.pk == target.pk:
        return []
    mutual = mutual_connection_ids(requester.pk, target.pk)
    if not mutual:
        return []
    mutual -= blocked_ids(member_id=requester.pk, among=mutual)
    mutual -= blocked_ids(member_id=target.pk, among=mutual)
    users = list(
        get_user_model()
        .objects.filter(pk__in=mutual, is_active=True)
        .select_related("profile")
        .order_by("first_name", "last_name", "id")
    )
    # Only intermediaries whose connections list the requester (their connection) may see:
    # otherwise naming them would reveal that they know the target.
    return [
        user
        for user in users
        if hasattr(user, "profile")
        and "connections" in visibility.visible_fields(user.profile.visibility, Relation.CONNECTION)
    ]


def introduction_is_expired(introduction: Introduction, *, now=None) -> bool:
    now = now or timezone.now()
    return introduction.status == IntroductionStatus.EXPIRED or (
        introduction.status in OPEN and introduction.expires <= now
    )


def introduction_get(*, pk: int, member) -> Introduction | None:
    """An introduction `member` takes part in (as requester, intermediary or target), else None.

    The target only sees it once it was forwarded: before that it is between the other two.
    """
    introduction = (
        Introduction.objects.select_related("requester__profile", "intermediary__profile", "target__profile")
        .filter(pk=pk)
        .filter(Q(requester_id=member.pk) | Q(intermediary_id=member.pk) | Q(target_id=member.pk))
        .first()
    )
    if introduction is None:
        return None
    if introduction.target_id == member.pk and introduction.forwarded is None:
        return None
    others = {introduction.requester_id, introduction.intermediary_id, introduction.target_id} - {member.pk}
    if blocked_ids(member_id=member.pk, among=others):
        return None
    return introduction


@dataclass
class IntroductionItem:
    introduction: Introduction
    role: str  # "requester", "intermediary" or "target"
    requester: object  # ProfileView
    intermediary: object
    target: object
    expired: bool

    @property
    def pk(self) -> int:
        return self.introduction.pk

    @property
    def status(self) -> str:
        return IntroductionStatus.EXPIRED if self.expired else self.introduction.status

    @property
    def status_label(self) -> str:
        return IntroductionStatus(self.status).label

    @property
    def is_open(self) -> bool:
        return not self.expired and self.introduction.status in OPEN

    @property
    def can_forward(self) -> bool:
        return (
            self.role == "intermediary"
            and not self.expired
            and self.introduction.status == IntroductionStatus.REQUESTED
        )

    @property
    def can_answer(self) -> bool:
        return self.role == "target" and not self.expired and self.introduction.status == IntroductionStatus.FORWARDED


def _base():
    return Introduction.objects.select_related(
        "requester__profile", "intermediary__profile", "target__profile"
    ).order_by("-created", "-id")


def introduction_queryset(*, member, box: str):
    """The introductions of one list: "sent" (mine), "to_forward" (asked of me), "received"."""
    if box == "sent":
        rows = _base().filter(requester_id=member.pk)
    elif box == "to_forward":
        rows = _base().filter(intermediary_id=member.pk)
    elif box == "received":
        rows = _base().filter(target_id=member.pk, forwarded__isnull=False)
    else:
        raise ValueError(box)
    blocked = blocked_ids(member_id=member.pk)
    if blocked:
        rows = rows.exclude(Q(requester_id__in=blocked) | Q(intermediary_id__in=blocked) | Q(target_id__in=blocked))
    return rows


def introduction_items(introductions, *, member) -> list[IntroductionItem]:
    """Project a page of introductions for `member`: every person through the policy, in one batch."""
    from carnet.profiles.selectors import profile_cards

    introductions = list(introductions)
    profiles = {}
    for intro in introductions:
        for user in (intro.requester, intro.intermediary, intro.target):
            profiles[user.pk] = user.profile
    views = {view.pk: view for view in profile_cards(list(profiles.values()), viewer=member)}
    now = timezone.now()
    items = []
    for intro in introductions:
        role = (
            "requester"
            if intro.requester_id == member.pk
            else "intermediary"
            if intro.intermediary_id == member.pk
            else "target"
        )
        items.append(
            IntroductionItem(
                introduction=intro,
                role=role,
                requester=views[intro.requester_id],
                intermediary=views[intro.intermediary_id],
                target=views[intro.target_id],
                expired=introduction_is_expired(intro, now=now),
            )
        )
    return items


def introduction_counts(*, member) -> dict[str, int]:
    """How many introductions wait for `member` to act (to forward, to answer)."""
    now = timezone.now()
    return {
        "to_forward": Introduction.objects.filter(
            intermediary_id=member.pk, status=IntroductionStatus.REQUESTED, expires__gt=now
        ).count(),
        "received": Introduction.objects.filter(
            target_id=member.pk, status=IntroductionStatus.FORWARDED, expires__gt=now
        ).count(),
    }


# ---------------------------------------------------------------------------------------
# Writes
# ---------------------------------------------------------------------------------------
def _notify(*, recipient, actor, kind: str, text_for, subject_for, introduction: Introduction) -> None:
    notify_named(
        recipient=recipient,
        actor=actor,
        kind=kind,
        people={
            "requester": introduction.requester,
            "intermediary": introduction.intermediary,
            "target": introduction.target,
        },
        text_for=text_for,
        subject_for=subject_for,
        url=reverse("network:introduction_detail", kwargs={"pk": introduction.pk}),
    )


def _lock(member) -> None:
    # Serialise a member's requests so that two at once cannot both pass the quota check.
    get_user_model().objects.select_for_update().filter(pk=member.pk).first()


def introduction_request(*, requester, intermediary, target, message: str) -> Introduction:
    """Ask `intermediary` to introduce `requester` to `target`. Raises RelationError or QuotaExceeded."""
    from carnet.network.quotas import quota_check

    message = (message or "").strip()
    if not message:
        raise RelationError(_("Write a message for the person you want to meet."))
    if len(message) > MESSAGE_MAX:
        raise RelationError(
            _("The message is too long (%(count)s characters; at most %(limit)s).")
            % {"count": len(message), "limit": MESSAGE_MAX}
        )
    if requester.pk == target.pk or requester.pk == intermediary.pk or intermediary.pk == target.pk:
        raise RelationError(_("An introduction needs three different members."))
    if are_connected(requester.pk, target.pk):
        raise RelationError(_("You are already connected to this member."), code="conflict")
    # Before the block check: intermediaries blocked with either side are not offered, and
    # a different refusal would tell the requester about a block between two other members.
    if intermediary.pk not in {u.pk for u in introduction_intermediaries(requester=requester, target=target)}:
        raise RelationError(_("Only a mutual connection can introduce you."), code="forbidden")
    if any_blocked(requester.pk, intermediary.pk, target.pk):
        raise RelationError(_("This introduction is not possible."), code="forbidden")
    now = timezone.now()
    with transaction.atomic():
        _lock(requester)
        if Introduction.objects.filter(
            requester_id=requester.pk, target_id=target.pk, status__in=OPEN, expires__gt=now
        ).exists():
            raise RelationError(_("You already asked for an introduction to this member."), code="conflict")
        quota_check(requester, "introductions_per_month", now=now)
        introduction = Introduction.objects.create(
            requester=requester,
            intermediary=intermediary,
            target=target,
            message=message,
            expires=now + INTRODUCTION_TTL,
        )
        _notify(
            recipient=intermediary,
            actor=requester,
            kind="introduction_requested",
            text_for=lambda n: _("%(requester)s asks you to introduce them to %(target)s.") % n,
            subject_for=lambda n: _("%(requester)s asks for an introduction") % n,
            introduction=introduction,
        )
    return introduction


def _check_open(introduction: Introduction, *, status: str, actor_id: int, role_id: int) -> None:
    if actor_id != role_id:
        raise RelationError(_("Only the member this introduction waits for can do this."), code="forbidden")
    if introduction_is_expired(introduction):
        raise RelationError(_("This introduction request has expired."), code="conflict")
    if introduction.status != status:
        raise RelationError(_("This introduction was already answered."), code="conflict")
    if any_blocked(introduction.requester_id, introduction.intermediary_id, introduction.target_id):
        raise RelationError(_("This introduction is not possible."), code="forbidden")


def _reload(introduction: Introduction) -> Introduction:
    # Re-read under a row lock: two clicks (or two tabs) must not both act on the same step.
    return (
        Introduction.objects.select_for_update()
        .select_related("requester", "intermediary", "target")
        .get(pk=introduction.pk)
    )


def introduction_forward(*, introduction: Introduction, actor, note: str = "") -> Introduction:
    """The intermediary forwards the request to the target, with a note of their own."""
    note = (note or "").strip()
    if len(note) > MESSAGE_MAX:
        raise RelationError(
            _("The note is too long (%(count)s characters; at most %(limit)s).")
            % {"count": len(note), "limit": MESSAGE_MAX}
        )
    with transaction.atomic():
        introduction = _reload(introduction)
        _check_open(
            introduction, status=IntroductionStatus.REQUESTED, actor_id=actor.pk, role_id=introduction.intermediary_id
        )
        if not (
            are_connected(introduction.intermediary_id, introduction.requester_id)
            and are_connected(introduction.intermediary_id, introduction.target_id)
        ):
            raise RelationError(_("You are no longer connected to both members."), code="conflict")
        now = timezone.now()
        introduction.status = IntroductionStatus.FORWARDED
        introduction.intermediary_note = note
        introduction.forwarded = now
        introduction.expires = now + INTRODUCTION_TTL
        introduction.save(update_fields=["status", "intermediary_note", "forwarded", "expires"])
        _notify(
            recipient=introduction.target,
            actor=introduction.intermediary,
            kind="introduction_forwarded",
            text_for=lambda n: _("%(intermediary)s would like to introduce you to %(requester)s.") % n,
            subject_for=lambda n: _("%(intermediary)s introduces you to %(requester)s") % n,
            introduction=introduction,
        )
        _notify(
            recipient=introduction.requester,
            actor=introduction.intermediary,
            kind="introduction_forwarded",
            text_for=lambda n: _("%(intermediary)s forwarded your introduction request to %(target)s.") % n,
            subject_for=lambda n: _("%(intermediary)s forwarded your introduction request") % n,
            introduction=introduction,
        )
    return introduction


def introduction_decline(*, introduction: Introduction, actor) -> Introduction:
    """The intermediary declines to forward, or the target declines the introduction."""
    with transaction.atomic():
        introduction = _reload(introduction)
        if actor.pk == introduction.intermediary_id:
            _check_open(
                introduction,
                status=IntroductionStatus.REQUESTED,
                actor_id=actor.pk,
                role_id=introduction.intermediary_id,
            )
            introduction.status = IntroductionStatus.DECLINED_BY_INTERMEDIARY
            text_for = lambda n: _("%(intermediary)s could not introduce you to %(target)s.") % n  # noqa: E731
        else:
            _check_open(
                introduction, status=IntroductionStatus.FORWARDED, actor_id=actor.pk, role_id=introduction.target_id
            )
            introduction.status = IntroductionStatus.DECLINED
            text_for = lambda n: _("%(target)s declined the introduction.") % n  # noqa: E731
        introduction.responded = timezone.now()
        introduction.save(update_fields=["status", "responded"])
        _notify(
            recipient=introduction.requester,
            actor=actor,
            kind="introduction_declined",
            text_for=text_for,
            subject_for=lambda n: _("Your introduction request to %(target)s") % n,
            introduction=introduction,
        )
    return introduction


def introduction_accept(*, introduction: Introduction, actor) -> Introduction:
    """The target accepts: requester and target become connected."""
    from carnet.network.services import connection_create

    with transaction.atomic():
        introduction = _reload(introduction)
        _check_open(
            introduction, status=IntroductionStatus.FORWARDED, actor_id=actor.pk, role_id=introduction.target_id
        )
        connection_create(member=introduction.requester, other=introduction.target)
        introduction.status = IntroductionStatus.ACCEPTED
        introduction.responded = timezone.now()
        introduction.save(update_fields=["status", "responded"])
        _notify(
            recipient=introduction.requester,
            actor=introduction.target,
            kind="introduction_accepted",
            text_for=lambda n: _("%(target)s accepted the introduction: you are now connected.") % n,
            subject_for=lambda n: _("You are now connected to %(target)s") % n,
            introduction=introduction,
        )
        _notify(
            recipient=introduction.intermediary,
            actor=introduction.target,
            kind="introduction_accepted",
            text_for=lambda n: _("Thanks to you, %(requester)s and %(target)s are now connected.") % n,
            subject_for=lambda n: _("Your introduction worked") % n,
            introduction=introduction,
        )
    return introduction


def introductions_expire(*, now=None) -> int:
    """Mark the open requests past their expiry as expired. Returns how many."""
    now = now or timezone.now()
    return Introduction.objects.filter(status__in=OPEN, expires__lte=now).update(status=IntroductionStatus.EXPIRED)
