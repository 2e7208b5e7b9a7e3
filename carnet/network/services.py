"""Writes to the connection graph: connections, invitations, follows, blocks, labels, plan grants."""

from __future__ import annotations

import datetime
from functools import partial

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.dispatch import Signal
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from carnet.network import graph, selectors
from carnet.network.models import (
    Block,
    Connection,
    Follow,
    HowMet,
    Invitation,
    InvitationStatus,
    Label,
    PlanGrant,
)
from carnet.network.plans import PLANS
from carnet.network.quotas import quota_check

NOTE_MAX_LENGTH = Invitation._meta.get_field("note").max_length  # 300
LABEL_NAME_MAX_LENGTH = Label._meta.get_field("name").max_length
MAX_LABELS = 100


def connection_create(*, member, other, when=None) -> bool:
    """Connect two members (both directed rows). Returns False if they already were."""
    if member.pk == other.pk:
        raise ValueError("A member cannot connect to themself.")
    when = when or timezone.now()
    try:
        with transaction.atomic():
            Connection.objects.bulk_create(
                [
                    Connection(member_id=member.pk, other_id=other.pk, created=when),
                    Connection(member_id=other.pk, other_id=member.pk, created=when),
                ]
            )
    except IntegrityError:
        return False
    transaction.on_commit(partial(graph.on_connect, member.pk, other.pk))
    return True


def connection_remove(*, member, other) -> None:
    """Remove the connection between two members, both directions."""
    Connection.objects.filter(member_id=member.pk, other_id=other.pk).delete()
    Connection.objects.filter(member_id=other.pk, other_id=member.pk).delete()
    transaction.on_commit(partial(graph.on_disconnect, member.pk, other.pk))


# ---------------------------------------------------------------------------------------
# Invitations, connections, follows, blocks, labels and plan grants (member-facing writes).
# ---------------------------------------------------------------------------------------


class NetworkError(Exception):
    """A network action was refused; `str(exc)` is the message for the member.

    `code` maps to an HTTP status in the API: invalid 400, forbidden 403, not_found 404,
    conflict 409, limit 409 (the connection cap).
    """

    def __init__(self, message: str, *, code: str = "invalid"):
        self.code = code
        super().__init__(message)


def _not_found() -> NetworkError:
    # A blocked member is answered exactly like one that does not exist.
    return NetworkError(_("This member does not exist or is not available."), code="not_found")


def _name(member, *, viewer) -> str:
    """`member`'s name as `viewer` may see it (through the policy), for notification texts."""
    from carnet.profiles.selectors import profile_view

    profile = getattr(member, "profile", None)
    name = profile_view(profile, viewer=viewer, card=True).name if profile else None
    return name or _("A Carnet member")


def _notify(*, recipient, actor, kind: str, text: str, url: str, email_subject: str | None = None) -> None:
    """Notify in the recipient's language (texts are rendered once, for them)."""
    from carnet.notifications.services import notify

    notify(recipient=recipient, actor=actor, kind=kind, text=text, url=url, email_subject=email_subject)


def _lock(member) -> None:
    # Serialises a member's own writes (quota counting, cap checks) on PostgreSQL; SQLite's
    # IMMEDIATE transactions are serial already.
    get_user_model().objects.select_for_update().filter(pk=member.pk).first()


def _check_connection_cap(*, member, other) -> None:
    cap = settings.CARNET_MAX_CONNECTIONS
    limit = formats.number_format(cap, force_grouping=True)
    if selectors.connection_count(member_id=member.pk) >= cap:
        raise NetworkError(
            _(
                "You have reached the limit of %(limit)s connections. Remove some connections "
                "before you add new ones (following members is unlimited)."
            )
            % {"limit": limit},
            code="limit",
        )
    if selectors.connection_count(member_id=other.pk) >= cap:
        raise NetworkError(
            _("%(name)s has reached the limit of %(limit)s connections and cannot add new ones.")
            % {"name": _name(other, viewer=member), "limit": limit},
            code="limit",
        )


def _check_how_met(*, sender, recipient, how_met: str, organization) -> None:
    if how_met and how_met not in HowMet.values:
        raise NetworkError(_("Choose how you know each other from the list."))
    if how_met in (HowMet.COLLEAGUE, HowMet.CLASSMATE):
        shared = selectors.shared_organizations(viewer=sender, member=recipient)
        offered = shared.companies if how_met == HowMet.COLLEAGUE else shared.schools
        if organization is None or organization.pk not in {o.pk for o in offered}:
            raise NetworkError(
                _("Choose a company you both worked at.")
                if how_met == HowMet.COLLEAGUE
                else _("Choose a school you both attended.")
            )
    elif organization is not None:
        raise NetworkError(_("A company or school only goes with “colleague” or “classmate”."))


def _ensure_profiles(*members) -> None:
    from carnet.profiles.services import profile_create

    for member in members:
        if not hasattr(member, "profile"):
            profile_create(user=member)


def invitation_send(*, sender, recipient, note: str = "", how_met: str = "", organization=None) -> Invitation:
    """Invite `recipient` to connect, or accept their pending invitation if they invited first.

    Returns the new invitation, or theirs (accepted) in the second case. Raises NetworkError
    or QuotaExceeded with a message for the member.
    """
    note = (note or "").strip()
    if len(note) > NOTE_MAX_LENGTH:
        raise NetworkError(
            _("The note can be at most %(max)s characters long (yours has %(n)s).")
            % {"max": NOTE_MAX_LENGTH, "n": len(note)}
        )
    if sender.pk == recipient.pk:
        raise NetworkError(_("You cannot invite yourself."))
    if not recipient.is_active or selectors.is_blocked(sender.pk, recipient.pk):
        raise _not_found()
    with transaction.atomic():
        _lock(sender)
        if selectors.are_connected(sender.pk, recipient.pk):
            raise NetworkError(_("You are already connected."), code="conflict")
        pending = selectors.invitation_pending_between(sender.pk, recipient.pk)
        if pending is not None and pending.sender_id == recipient.pk:
            return invitation_accept(invitation=pending, member=sender)
        if pending is not None:
            raise NetworkError(_("You already invited this member; the invitation is pending."), code="conflict")
        if Invitation.objects.filter(sender_id=sender.pk, recipient_id=recipient.pk, reported=True).exists():
            raise NetworkError(
                _("This member said they do not know you: you cannot invite them again."), code="forbidden"
            )
        _check_how_met(sender=sender, recipient=recipient, how_met=how_met, organization=organization)
        _check_connection_cap(member=sender, other=recipient)
        quota_check(sender, "invitations_per_week")
        invitation = Invitation.objects.create(
            sender=sender, recipient=recipient, note=note, how_met=how_met, organization=organization
        )
        _ensure_profiles(sender, recipient)
        with translation.override(recipient.language or settings.LANGUAGE_CODE):
            name = _name(sender, viewer=recipient)
            _notify(
                recipient=recipient,
                actor=sender,
                kind="invitation_received",
                text=_("%(name)s wants to connect with you.") % {"name": name},
                url=reverse("network:invitations"),
                email_subject=_("%(name)s wants to connect with you on %(site)s")
                % {"name": name, "site": settings.SITE_NAME},
            )
    return invitation


def _get_pending(invitation: Invitation) -> Invitation:
    # Re-read under lock: two clicks on "Accept" must not connect twice or notify twice.
    current = Invitation.objects.select_for_update().filter(pk=invitation.pk).first()
    if current is None or current.status != InvitationStatus.PENDING:
        raise NetworkError(_("This invitation is no longer pending."), code="conflict")
    return current


@transaction.atomic
def invitation_accept(*, invitation: Invitation, member) -> Invitation:
    """The recipient accepts: the two members become connected and the sender is told."""
    if invitation.recipient_id != member.pk:
        raise NetworkError(_("Only the invited member can accept this invitation."), code="forbidden")
    invitation = _get_pending(invitation)
    sender = invitation.sender
    if selectors.is_blocked(sender.pk, member.pk):
        raise _not_found()
    _check_connection_cap(member=member, other=sender)
    connection_create(member=sender, other=member)
    now = timezone.now()
    invitation.status, invitation.responded = InvitationStatus.ACCEPTED, now
    invitation.save(update_fields=["status", "responded"])
    # Had they invited each other (a race past invitation_send's check), both are settled.
    Invitation.objects.filter(sender_id=member.pk, recipient_id=sender.pk, status=InvitationStatus.PENDING).update(
        status=InvitationStatus.ACCEPTED, responded=now
    )
    _ensure_profiles(sender, member)
    with translation.override(sender.language or settings.LANGUAGE_CODE):
        name = _name(member, viewer=sender)
        _notify(
            recipient=sender,
            actor=member,
            kind="invitation_accepted",
            text=_("%(name)s accepted your invitation. You are now connected.") % {"name": name},
            url=member.profile.get_absolute_url(),
            email_subject=_("%(name)s accepted your invitation") % {"name": name},
        )
    return invitation


@transaction.atomic
def invitation_ignore(*, invitation: Invitation, member, report: bool = False) -> Invitation:
    """The recipient ignores the invitation (the sender is not told); `report` also says
    "I don't know this person", which counts against the sender's invitation limit."""
    if invitation.recipient_id != member.pk:
        raise NetworkError(_("Only the invited member can answer this invitation."), code="forbidden")
    current = Invitation.objects.select_for_update().filter(pk=invitation.pk).first()
    allowed = {InvitationStatus.PENDING} | ({InvitationStatus.IGNORED} if report else set())
    if current is None or current.status not in allowed:
        raise NetworkError(_("This invitation is no longer pending."), code="conflict")
    if current.status == InvitationStatus.PENDING:
        current.status, current.responded = InvitationStatus.IGNORED, timezone.now()
    current.reported = current.reported or report
    current.save(update_fields=["status", "responded", "reported"])
    return current


def invitation_report(*, invitation: Invitation, member) -> Invitation:
    """ "I don't know this person": ignore the invitation and flag it against the sender."""
    return invitation_ignore(invitation=invitation, member=member, report=True)


@transaction.atomic
def invitation_withdraw(*, invitation: Invitation, member) -> Invitation:
    """The sender takes back a pending invitation (it still counts in their weekly allowance)."""
    if invitation.sender_id != member.pk:
        raise NetworkError(_("Only the member who sent this invitation can withdraw it."), code="forbidden")
    invitation = _get_pending(invitation)
    invitation.status, invitation.responded = InvitationStatus.WITHDRAWN, timezone.now()
    invitation.save(update_fields=["status", "responded"])
    return invitation


def _forget_labels(*, member, other) -> None:
    # A label is for one's connections: ending the connection takes the member off both sides' labels.
    through = Label.members.through.objects
    through.filter(label__owner_id=member.pk, user_id=other.pk).delete()
    through.filter(label__owner_id=other.pk, user_id=member.pk).delete()


@transaction.atomic
def connection_end(*, member, other) -> None:
    """`member` removes `other` from their connections (both directions). The other is not told."""
    if not selectors.are_connected(member.pk, other.pk):
        raise NetworkError(_("You are not connected with this member."), code="not_found")
    connection_remove(member=member, other=other)
    _forget_labels(member=member, other=other)


@transaction.atomic
def follow_create(*, follower, followed) -> Follow:
    """`follower` sees `followed`'s public posts without connecting. Unlimited, one way."""
    if follower.pk == followed.pk:
        raise NetworkError(_("You cannot follow yourself."))
    if not followed.is_active or selectors.is_blocked(follower.pk, followed.pk):
        raise _not_found()
    follow, created = Follow.objects.get_or_create(follower=follower, followed=followed)
    if created:
        _ensure_profiles(follower, followed)
        with translation.override(followed.language or settings.LANGUAGE_CODE):
            _notify(
                recipient=followed,
                actor=follower,
                kind="new_follower",
                text=_("%(name)s started following you.") % {"name": _name(follower, viewer=followed)},
                url=follower.profile.get_absolute_url(),
            )
    return follow


@transaction.atomic
def follow_delete(*, follower, followed) -> bool:
    """Stop following. Returns False if `follower` was not following."""
    deleted, _rows = Follow.objects.filter(follower_id=follower.pk, followed_id=followed.pk).delete()
    return bool(deleted)


@transaction.atomic
def block_create(*, blocker, blocked) -> Block:
    """Block a member: the connection, pending invitations and follows go, both ways, and each
    is hidden from the other everywhere (the visibility policy sees Relation.BLOCKED)."""
    if blocker.pk == blocked.pk:
        raise NetworkError(_("You cannot block yourself."))
    block, _created = Block.objects.get_or_create(blocker=blocker, blocked=blocked)
    if selectors.are_connected(blocker.pk, blocked.pk):
        connection_remove(member=blocker, other=blocked)
    _forget_labels(member=blocker, other=blocked)
    now = timezone.now()
    pending = Invitation.objects.filter(status=InvitationStatus.PENDING)
    # Theirs to the blocker counts as ignored (a block is a clear "no"); the blocker's own is withdrawn.
    pending.filter(sender_id=blocked.pk, recipient_id=blocker.pk).update(status=InvitationStatus.IGNORED, responded=now)
    pending.filter(sender_id=blocker.pk, recipient_id=blocked.pk).update(
        status=InvitationStatus.WITHDRAWN, responded=now
    )
    Follow.objects.filter(
        Q(follower_id=blocker.pk, followed_id=blocked.pk) | Q(follower_id=blocked.pk, followed_id=blocker.pk)
    ).delete()
    from carnet.notifications.services import notifications_forget_between

    notifications_forget_between(member_id=blocker.pk, other_id=blocked.pk)
    return block


@transaction.atomic
def block_delete(*, blocker, blocked) -> bool:
    """Unblock. Nothing that the block removed comes back. Returns False if there was no block."""
    deleted, _rows = Block.objects.filter(blocker_id=blocker.pk, blocked_id=blocked.pk).delete()
    return bool(deleted)


def _clean_label_name(name: str) -> str:
    name = " ".join((name or "").split())
    if not name:
        raise NetworkError(_("Give the label a name."))
    if len(name) > LABEL_NAME_MAX_LENGTH:
        raise NetworkError(_("A label name can be at most %(max)s characters long.") % {"max": LABEL_NAME_MAX_LENGTH})
    return name


def _check_label_name_free(*, owner, name: str, exclude_pk=None) -> None:
    if Label.objects.filter(owner_id=owner.pk, name__iexact=name).exclude(pk=exclude_pk).exists():
        raise NetworkError(_("You already have a label called “%(name)s”.") % {"name": name}, code="conflict")


@transaction.atomic
def label_create(*, owner, name: str) -> Label:
    """A new private label. Only its owner ever sees it."""
    name = _clean_label_name(name)
    _lock(owner)
    if Label.objects.filter(owner_id=owner.pk).count() >= MAX_LABELS:
        raise NetworkError(_("You can have at most %(max)s labels.") % {"max": MAX_LABELS}, code="limit")
    _check_label_name_free(owner=owner, name=name)
    return Label.objects.create(owner=owner, name=name)


@transaction.atomic
def label_rename(*, label: Label, name: str) -> Label:
    name = _clean_label_name(name)
    _check_label_name_free(owner=label.owner, name=name, exclude_pk=label.pk)
    label.name = name
    label.save(update_fields=["name"])
    return label


@transaction.atomic
def label_delete(*, label: Label) -> None:
    label.delete()


@transaction.atomic
def label_add_member(*, label: Label, member) -> None:
    """Put a label on one of the owner's connections."""
    if not selectors.are_connected(label.owner_id, member.pk):
        raise NetworkError(_("Labels go on your connections only."), code="invalid")
    label.members.add(member)


@transaction.atomic
def label_remove_member(*, label: Label, member) -> None:
    label.members.remove(member)


@transaction.atomic
def labels_set(*, owner, member, labels) -> None:
    """Make `labels` (the owner's own) exactly the labels `owner` puts on connection `member`."""
    labels = list(labels)
    if any(label.owner_id != owner.pk for label in labels):
        raise NetworkError(_("Unknown label."), code="not_found")
    if labels and not selectors.are_connected(owner.pk, member.pk):
        raise NetworkError(_("Labels go on your connections only."), code="invalid")
    through = Label.members.through.objects
    through.filter(label__owner_id=owner.pk, user_id=member.pk).exclude(label_id__in=[lb.pk for lb in labels]).delete()
    existing = set(through.filter(label__owner_id=owner.pk, user_id=member.pk).values_list("label_id", flat=True))
    through.bulk_create([through.model(label_id=lb.pk, user_id=member.pk) for lb in labels if lb.pk not in existing])


# Plan grants. This is the interface a payment provider plugs into: on a paid or renewed
# subscription it calls plan_grant(user=..., plan="premium", ends=..., source="<provider>",
# reference="<its subscription id>") — the same (source, reference) updates the same grant, so
# webhook retries and renewals are safe — and on cancellation or refund plan_grant_end(source=...,
# reference=...). Apps that must react (a receipt, a welcome message) connect to the
# `plan_grant_changed` signal, sent once the transaction commits.
plan_grant_changed = Signal()  # sender=PlanGrant, grant=<PlanGrant>


def _grant_changed(grant: PlanGrant) -> None:
    transaction.on_commit(lambda: plan_grant_changed.send(sender=PlanGrant, grant=grant))


@transaction.atomic
def plan_grant(
    *,
    plan: str,
    user=None,
    organization=None,
    ends: datetime.datetime | None = None,
    starts: datetime.datetime | None = None,
    source: str = "admin",
    reference: str = "",
    granted_by=None,
) -> PlanGrant:
    """Give `plan` to a member, or to every member currently at a company, until `ends` (None: no end)."""
    if plan not in PLANS:
        raise NetworkError(_("Unknown plan “%(plan)s”.") % {"plan": plan})
    if (user is None) == (organization is None):
        raise NetworkError(_("A plan goes either to a member or to a company."))
    starts = starts or timezone.now()
    if ends is not None and ends <= starts:
        raise NetworkError(_("The end of a grant must come after its start."))
    fields = {
        "plan": plan,
        "user": user,
        "organization": organization,
        "starts": starts,
        "ends": ends,
        "granted_by": granted_by,
    }
    if reference and source != "admin":
        grant, _created = PlanGrant.objects.update_or_create(source=source, reference=reference, defaults=fields)
    else:
        grant = PlanGrant.objects.create(source=source, reference=reference, **fields)
    if user is not None and plan != "free":
        _ensure_profiles(user)
        with translation.override(user.language or settings.LANGUAGE_CODE):
            plan_name = PLANS[plan].name
            text = (
                _("You now have %(plan)s until %(when)s.")
                % {"plan": plan_name, "when": formats.date_format(timezone.localtime(ends), "j F Y")}
                if ends
                else _("You now have %(plan)s.") % {"plan": plan_name}
            )
            _notify(recipient=user, actor=None, kind="plan_granted", text=text, url=reverse("network:plan"))
    _grant_changed(grant)
    return grant


@transaction.atomic
def plan_grant_end(
    *, grant: PlanGrant | None = None, source: str = "", reference: str = "", when: datetime.datetime | None = None
) -> int:
    """End a grant now (or at `when`): by object, or by the provider's (source, reference). Returns how many."""
    when = when or timezone.now()
    if grant is not None:
        grants = PlanGrant.objects.filter(pk=grant.pk)
    elif source and reference:
        grants = PlanGrant.objects.filter(source=source, reference=reference)
    else:
        raise NetworkError(_("Say which grant to end."))
    ended = list(grants.filter(Q(ends__isnull=True) | Q(ends__gt=when)))
    for item in ended:
        item.ends = max(when, item.starts)
        item.save(update_fields=["ends"])
        _grant_changed(item)
    return len(ended)
