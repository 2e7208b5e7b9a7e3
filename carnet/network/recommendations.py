"""Recommendations: a connection writes a few words about a member's work.

Life of a recommendation (`Recommendation.status`):

    requested ──author writes──▶ pending ──recipient accepts──▶ accepted ◀──▶ hidden
        │                          │
        └─author declines─▶ declined ◀─recipient declines─┘

A member asks one of their connections for one (requested), or a connection writes one
unasked (pending). Nothing is shown before the recipient accepts it; the recipient may hide
an accepted one later (and show it again). The author may edit the text until it is
accepted. Author and recipient must be connected when the request is made and when the
text is written. Accepted recommendations appear on the profile under the policy's
"recommendations" field.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from carnet.core import visibility
from carnet.core.visibility import Relation
from carnet.network.models import Recommendation, RecommendationRelationship, RecommendationStatus
from carnet.network.relations_support import (
    RelationError,
    any_blocked,
    are_connected,
    blocked_ids,
    notify_named,
)

TEXT_MAX = 3000
CONTEXT_MAX = 200
MESSAGE_MAX = 1000
OPEN = (RecommendationStatus.REQUESTED, RecommendationStatus.PENDING)


# ---------------------------------------------------------------------------------------
# Reads
# ---------------------------------------------------------------------------------------
@dataclass
class RecommendationItem:
    recommendation: Recommendation
    author: object  # ProfileView
    recipient: object  # ProfileView

    @property
    def pk(self) -> int:
        return self.recommendation.pk


def _with_people():
    return Recommendation.objects.select_related("author__profile", "recipient__profile")


def recommendation_items(recommendations, *, viewer) -> list[RecommendationItem]:
    """Project recommendations for `viewer`: authors and recipients through the policy, one batch.
    Recommendations involving a member blocked with the viewer are left out."""
    from carnet.profiles.selectors import profile_cards

    recommendations = list(recommendations)
    profiles = {}
    for rec in recommendations:
        profiles[rec.author_id] = rec.author.profile
        profiles[rec.recipient_id] = rec.recipient.profile
    views = {view.pk: view for view in profile_cards(list(profiles.values()), viewer=viewer)}
    return [
        RecommendationItem(rec, views[rec.author_id], views[rec.recipient_id])
        for rec in recommendations
        if views[rec.author_id].relation != Relation.BLOCKED and views[rec.recipient_id].relation != Relation.BLOCKED
    ]


def recommendations_for_profile(*, profile, viewer, relation: Relation | None = None) -> list[RecommendationItem]:
    """The accepted recommendations `viewer` may see on `profile` (the "recommendations" field)."""
    if relation is None:
        relation = visibility.relation(viewer, profile.pk)
    if "recommendations" not in visibility.visible_fields(profile.visibility, relation):
        return []
    # On a profile page, its buttons' query already says whether there are any (most have none).
    from carnet.network.selectors import profile_page_has

    if not profile_page_has("has_recommendations", viewer=viewer, member_id=profile.pk):
        return []
    rows = _with_people().filter(recipient_id=profile.pk, status=RecommendationStatus.ACCEPTED).order_by("-created")
    return recommendation_items(rows, viewer=viewer)


def recommendation_boxes(*, member) -> dict[str, list[RecommendationItem]]:
    """Everything on the member's recommendations page, in a fixed number of queries."""
    rows = list(
        _with_people()
        .filter(Q(author_id=member.pk) | Q(recipient_id=member.pk))
        .exclude(status=RecommendationStatus.DECLINED)
        .order_by("-updated", "-id")
    )
    items = recommendation_items(rows, viewer=member)
    boxes: dict[str, list[RecommendationItem]] = {
        "to_write": [],  # asked of me
        "to_review": [],  # written for me, waiting for my decision
        "received": [],  # accepted or hidden, on my profile or not
        "asked": [],  # I asked, not written yet
        "given": [],  # I wrote
    }
    for item in items:
        rec = item.recommendation
        mine = rec.recipient_id == member.pk
        if rec.status == RecommendationStatus.REQUESTED:
            boxes["asked" if mine else "to_write"].append(item)
        elif rec.status == RecommendationStatus.PENDING:
            boxes["to_review" if mine else "given"].append(item)
        else:
            boxes["received" if mine else "given"].append(item)
    return boxes


def recommendation_get(*, pk: int, member) -> Recommendation | None:
    """A recommendation `member` wrote or received (blocked pairs excluded), else None."""
    rec = _with_people().filter(pk=pk).filter(Q(author_id=member.pk) | Q(recipient_id=member.pk)).first()
    if rec is None:
        return None
    other = rec.recipient_id if rec.author_id == member.pk else rec.author_id
    if blocked_ids(member_id=member.pk, among=[other]):
        return None
    return rec


def open_recommendation(*, author_id: int, recipient_id: int) -> Recommendation | None:
    return (
        Recommendation.objects.filter(author_id=author_id, recipient_id=recipient_id, status__in=OPEN)
        .order_by("-id")
        .first()
    )


# ---------------------------------------------------------------------------------------
# Writes
# ---------------------------------------------------------------------------------------
def _clean(*, relationship: str, context: str, text: str | None = None, message: str | None = None) -> dict:
    if relationship not in RecommendationRelationship.values:
        raise RelationError(_("Choose how you know each other."))
    context = (context or "").strip()
    if len(context) > CONTEXT_MAX:
        raise RelationError(_("The context is too long (at most %(limit)s characters).") % {"limit": CONTEXT_MAX})
    cleaned = {"relationship": relationship, "context": context}
    if text is not None:
        text = text.strip()
        if not text:
            raise RelationError(_("Write the recommendation."))
        if len(text) > TEXT_MAX:
            raise RelationError(
                _("The recommendation is too long (%(count)s characters; at most %(limit)s).")
                % {"count": len(text), "limit": TEXT_MAX}
            )
        cleaned["text"] = text
    if message is not None:
        message = message.strip()
        if len(message) > MESSAGE_MAX:
            raise RelationError(_("The message is too long (at most %(limit)s characters).") % {"limit": MESSAGE_MAX})
        cleaned["request_message"] = message
    return cleaned


def _check_pair(author, recipient) -> None:
    if author.pk == recipient.pk:
        raise RelationError(_("You cannot recommend yourself."))
    if any_blocked(author.pk, recipient.pk):
        raise RelationError(_("This is not possible with this member."), code="forbidden")
    if not are_connected(author.pk, recipient.pk):
        raise RelationError(_("Recommendations are between connections only."), code="forbidden")


def _url() -> str:
    return reverse("network:recommendations")


def recommendation_request(*, requester, author, relationship: str, context: str = "", message: str = ""):
    """`requester` asks their connection `author` to recommend them."""
    cleaned = _clean(relationship=relationship, context=context, message=message)
    _check_pair(author, requester)
    with transaction.atomic():
        if open_recommendation(author_id=author.pk, recipient_id=requester.pk):
            raise RelationError(
                _("A recommendation between you two is already waiting (asked or written)."), code="conflict"
            )
        rec = Recommendation.objects.create(
            author=author, recipient=requester, status=RecommendationStatus.REQUESTED, **cleaned
        )
        notify_named(
            recipient=author,
            actor=requester,
            kind="recommendation_requested",
            people={"requester": requester},
            text_for=lambda n: _("%(requester)s asks you for a recommendation.") % n,
            subject_for=lambda n: _("%(requester)s asks you for a recommendation") % n,
            url=_url(),
        )
    return rec


def recommendation_write(*, author, recipient, relationship: str, context: str = "", text: str):
    """`author` writes a recommendation for their connection `recipient` (fulfilling their request
    if they asked for one). It waits for the recipient's approval."""
    cleaned = _clean(relationship=relationship, context=context, text=text)
    _check_pair(author, recipient)
    with transaction.atomic():
        rec = open_recommendation(author_id=author.pk, recipient_id=recipient.pk)
        if rec is not None and rec.status == RecommendationStatus.PENDING:
            raise RelationError(
                _("You already wrote a recommendation that is waiting for approval: edit it instead."),
                code="conflict",
            )
        if rec is None:
            rec = Recommendation(author=author, recipient=recipient)
        for name, value in cleaned.items():
            setattr(rec, name, value)
        rec.status = RecommendationStatus.PENDING
        rec.save()
        _notify_written(rec)
    return rec


def _notify_written(rec: Recommendation) -> None:
    notify_named(
        recipient=rec.recipient,
        actor=rec.author,
        kind="recommendation_written",
        people={"author": rec.author},
        text_for=lambda n: _("%(author)s wrote a recommendation for you: accept it to show it on your profile.") % n,
        subject_for=lambda n: _("%(author)s recommended you") % n,
        url=_url(),
    )


def _locked(rec: Recommendation) -> Recommendation:
    return Recommendation.objects.select_for_update().select_related("author", "recipient").get(pk=rec.pk)


def recommendation_update(*, recommendation: Recommendation, author, relationship: str, context: str, text: str):
    """The author writes a requested recommendation, or edits theirs before it is accepted."""
    cleaned = _clean(relationship=relationship, context=context, text=text)
    with transaction.atomic():
        rec = _locked(recommendation)
        if rec.author_id != author.pk:
            raise RelationError(_("Only its author can edit a recommendation."), code="forbidden")
        if rec.status not in OPEN:
            raise RelationError(_("This recommendation can no longer be edited."), code="conflict")
        _check_pair(rec.author, rec.recipient)
        was_requested = rec.status == RecommendationStatus.REQUESTED
        for name, value in cleaned.items():
            setattr(rec, name, value)
        rec.status = RecommendationStatus.PENDING
        rec.save(update_fields=[*cleaned.keys(), "status", "updated"])
        if was_requested:
            _notify_written(rec)
    return rec


_TRANSITIONS = {
    # action: (who acts, from statuses, to status)
    "accept": ("recipient", (RecommendationStatus.PENDING,), RecommendationStatus.ACCEPTED),
    "decline": ("recipient", (RecommendationStatus.PENDING,), RecommendationStatus.DECLINED),
    "hide": ("recipient", (RecommendationStatus.ACCEPTED,), RecommendationStatus.HIDDEN),
    "show": ("recipient", (RecommendationStatus.HIDDEN,), RecommendationStatus.ACCEPTED),
    "decline_request": ("author", (RecommendationStatus.REQUESTED,), RecommendationStatus.DECLINED),
}
ACTIONS = tuple(_TRANSITIONS)


def recommendation_transition(*, recommendation: Recommendation, actor, action: str) -> Recommendation:
    """accept / decline / hide / show (the recipient), decline_request (the author)."""
    if action not in _TRANSITIONS:
        raise RelationError(_("Unknown action."))
    role, sources, target = _TRANSITIONS[action]
    with transaction.atomic():
        rec = _locked(recommendation)
        if getattr(rec, f"{role}_id") != actor.pk:
            raise RelationError(_("You cannot do this with this recommendation."), code="forbidden")
        if rec.status not in sources:
            raise RelationError(_("This recommendation was already answered."), code="conflict")
        if action == "accept" and any_blocked(rec.author_id, rec.recipient_id):
            raise RelationError(_("This is not possible with this member."), code="forbidden")
        rec.status = target
        rec.save(update_fields=["status", "updated"])
        if action == "accept":
            notify_named(
                recipient=rec.author,
                actor=rec.recipient,
                kind="recommendation_accepted",
                people={"recipient": rec.recipient},
                text_for=lambda n: _("%(recipient)s accepted your recommendation: it is on their profile.") % n,
                url=rec.recipient.profile.get_absolute_url(),
            )
    return rec
