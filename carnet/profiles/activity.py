"""How a profile lives over time: its history (timeline), who viewed it, and the reminder to
keep it current. Writes (services) and reads (selectors) of those three, in one module
because they share their tables and their rules.

What a viewer sees of a history entry is decided by the policy
(`visibility.field_item_visible`): the audience of the field that changed, plus the item's
own audience (a CV's). Who viewed a profile is shown within the owner's plan
(`plan_for(owner).profile_viewers_visible`) and, for named viewers, through `profile_cards`.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import Count, Exists, Max, OuterRef, Q
from django.utils import timezone

from carnet.core import visibility
from carnet.core.visibility import Relation
from carnet.profiles.models import (
    BrowsingMode,
    HistoryEntry,
    HistoryKind,
    Position,
    Profile,
    ProfileVisit,
    UpdateReminder,
)

# Repeated edits of the same kind within this window update one entry instead of flooding
# the timeline (five skills added in a sitting are one "new skills" entry).
COALESCE_WINDOW = datetime.timedelta(hours=12)
COALESCED_KINDS = {HistoryKind.NEW_SKILL, HistoryKind.HEADLINE}
REMINDER_AFTER = datetime.timedelta(days=30)
CHART_WEEKS = 12
TIMELINE_LENGTH = 10


# ---------------------------------------------------------------------------------------
# History
# ---------------------------------------------------------------------------------------
def history_record(
    *,
    profile: Profile,
    kind: str,
    field: str,
    summary: str,
    item_audience: str = "",
    document=None,
    now: datetime.datetime | None = None,
) -> HistoryEntry:
    """Record a meaningful change on the profile's timeline and mark the profile as updated.

    `field` says whose audience the entry follows (a key of PROFILE_FIELD_DEFAULTS, or
    "documents"); `summary` is the member's own words (a title, a skill), never UI text, so
    the timeline renders in each reader's language.
    """
    if field not in visibility.PROFILE_FIELD_DEFAULTS and field not in visibility.ITEM_ONLY_SECTIONS:
        raise ValueError(f"Unknown profile field {field!r}")
    now = now or timezone.now()
    summary = summary.strip()[:300]
    with transaction.atomic():
        entry = None
        if kind in COALESCED_KINDS:
            entry = (
                HistoryEntry.objects.select_for_update()
                .filter(profile=profile, kind=kind, hidden=False, created__gte=now - COALESCE_WINDOW)
                .first()
            )
        if entry is not None:
            if kind == HistoryKind.NEW_SKILL and summary.casefold() not in entry.summary.casefold().split(", "):
                entry.summary = f"{entry.summary}, {summary}"[:300]
            elif kind == HistoryKind.HEADLINE:
                entry.summary = summary
            entry.save(update_fields=["summary"])
        else:
            entry = HistoryEntry.objects.create(
                profile=profile,
                kind=kind,
                field=field,
                summary=summary,
                item_audience=item_audience,
                document=document,
            )
        # A queryset update: the profile's other fields (and its `updated` stamp) are not ours to write.
        Profile.objects.filter(pk=profile.pk).update(last_meaningful_update=now)
        profile.last_meaningful_update = now
    return entry


def _same_employer(a: Position, b: Position) -> bool:
    if a.organization_id and b.organization_id:
        return a.organization_id == b.organization_id
    return bool(a.employer_name) and a.employer_name.casefold() == b.employer_name.casefold()


def history_record_position(*, position: Position) -> HistoryEntry | None:
    """A current position just added: a promotion when the member already held another
    title at the same employer, a new position otherwise. Past positions filled in later are
    not news and are not recorded."""
    if position.end_date is not None and not position.is_current:
        return None
    earlier = (
        Position.objects.filter(profile_id=position.profile_id).exclude(pk=position.pk).select_related("organization")
    )
    promoted = any(
        _same_employer(position, other) and other.title.casefold() != position.title.casefold() for other in earlier
    )
    summary = f"{position.title} · {position.employer_name}" if position.employer_name else position.title
    return history_record(
        profile=position.profile,
        kind=HistoryKind.PROMOTION if promoted else HistoryKind.NEW_POSITION,
        # Positions without an end date are shown under the "current position" audience.
        field="current_position",
        summary=summary,
    )


def history_record_headline(*, profile: Profile, old: str, new: str) -> HistoryEntry | None:
    """The headline changed (an emptied headline is not news)."""
    if not new.strip() or new.strip() == (old or "").strip():
        return None
    return history_record(profile=profile, kind=HistoryKind.HEADLINE, field="headline", summary=new)


def history_record_skill(*, profile: Profile, name: str) -> HistoryEntry:
    return history_record(profile=profile, kind=HistoryKind.NEW_SKILL, field="skills", summary=name)


def history_record_certification(*, certification) -> HistoryEntry:
    summary = certification.name
    if certification.authority:
        summary = f"{summary} · {certification.authority}"
    return history_record(
        profile=certification.profile, kind=HistoryKind.CERTIFICATION, field="certifications", summary=summary
    )


def history_record_education(*, education) -> HistoryEntry:
    parts = [part for part in (education.degree, education.field_of_study) if part]
    summary = ", ".join(parts)
    if education.institution_name:
        summary = f"{summary} · {education.institution_name}" if summary else education.institution_name
    return history_record(profile=education.profile, kind=HistoryKind.EDUCATION, field="education", summary=summary)


def history_on_profile_changed(sender=None, *, profile, section, item=None, created=False, previous=None, **kwargs):
    """Turn a profile change (profiles.signals.profile_changed, sent after commit) into
    timeline entries: a new position or promotion, skill, certification, education, headline."""
    previous = previous or {}
    if section == "profile" and "headline" in previous:
        history_record_headline(profile=profile, old=previous["headline"], new=profile.headline)
    elif not created or item is None:
        return
    elif section == "positions":
        history_record_position(position=item)
    elif section == "skills":
        history_record_skill(profile=profile, name=item.skill.name)
    elif section == "certifications":
        history_record_certification(certification=item)
    elif section == "education":
        history_record_education(education=item)


def history_entry_hide(*, profile: Profile, entry_id: int, hidden: bool = True) -> HistoryEntry | None:
    """The owner hides (or shows again) one entry of their timeline. None if it is not theirs."""
    entry = HistoryEntry.objects.filter(profile=profile, pk=entry_id).first()
    if entry is None:
        return None
    entry.hidden = hidden
    entry.save(update_fields=["hidden"])
    return entry


def history_visible(*, profile: Profile, relation: Relation, limit: int = TIMELINE_LENGTH) -> list[HistoryEntry]:
    """The timeline as a viewer in `relation` may see it, newest first. The owner also sees
    hidden entries (flagged `hidden`), to show them again."""
    # The timeline as a whole is the "activity" field; each entry also follows its own field.
    if not visibility.allows(visibility.field_audience(profile.visibility, "activity"), relation):
        return []
    if not getattr(profile, "has_history", True):
        return []  # read with the profile (selectors.profile_get_bare): nothing to show
    entries = HistoryEntry.objects.filter(profile=profile).order_by("-created", "-id")
    if relation != Relation.SELF:
        entries = entries.filter(hidden=False)
    # Entries are filtered by the policy in Python: it reads the owner's settings, not a column.
    # A bounded slice keeps the page cheap; an owner with mostly private entries sees fewer.
    window = list(entries[: limit * 5])
    return [
        entry
        for entry in window
        if visibility.field_item_visible(profile.visibility, entry.field, entry.item_audience, relation)
    ][:limit]


# ---------------------------------------------------------------------------------------
# Who viewed my profile
# ---------------------------------------------------------------------------------------
def _viewer_company(viewer, relation: Relation) -> str:
    """The viewer's current employer, as the owner may see it on the viewer's profile."""
    viewer_profile = Profile.objects.filter(pk=viewer.pk).first()
    if viewer_profile is None:
        return ""
    # Degrees are symmetric: the owner stands to the viewer as the viewer stands to the owner.
    audience = visibility.field_audience(viewer_profile.visibility, "current_position")
    if not visibility.allows(audience, relation):
        return ""
    current = (
        Position.objects.filter(profile=viewer_profile)
        .filter(Q(is_current=True) | Q(end_date__isnull=True))
        .select_related("organization")
        .order_by("-start_date")
        .first()
    )
    return current.employer_name[:200] if current else ""


def visit_record(*, profile: Profile, viewer, relation: Relation | None = None, today=None) -> bool:
    """Record that `viewer` opened `profile` today. Never the owner's own visits, nor an
    anonymous visitor's, nor a blocked member's; at most one per viewer per day.

    Returns True when a new visit was stored. The viewer's browsing mode (and, in
    semi-private mode, their company) is frozen on the row.
    """
    if viewer is None or not getattr(viewer, "is_authenticated", False) or viewer.pk == profile.pk:
        return False
    today = today or timezone.localdate()
    key = f"profiles:visit:{profile.pk}:{viewer.pk}:{today.isoformat()}"
    if cache.get(key):
        return False
    if relation is None:
        relation = visibility.relation(viewer, profile.pk)
    if relation == Relation.BLOCKED:
        return False
    created = False
    if not ProfileVisit.objects.filter(profile=profile, viewer=viewer, day=today).exists():
        mode = (
            Profile.objects.filter(pk=viewer.pk).values_list("browsing_mode", flat=True).first() or BrowsingMode.NAMED
        )
        company = _viewer_company(viewer, relation) if mode == BrowsingMode.SEMI_PRIVATE else ""
        try:
            with transaction.atomic():
                ProfileVisit.objects.create(
                    profile=profile, viewer=viewer, day=today, mode=mode, viewer_company=company
                )
            created = True
        except IntegrityError:
            # Two tabs opened the profile at once: the other request stored today's visit.
            created = False
    cache.set(key, True, 60 * 60 * 24)
    return created


@dataclass
class WeekCount:
    start: datetime.date
    count: int
    height: int = 0  # bar height in chart units (0..100), set by visits_weekly


def visits_weekly(*, profile: Profile, weeks: int = CHART_WEEKS, today=None) -> list[WeekCount]:
    """Visits per week (Monday to Sunday) for the last `weeks` weeks, oldest first, in one query."""
    today = today or timezone.localdate()
    this_monday = today - datetime.timedelta(days=today.weekday())
    first_monday = this_monday - datetime.timedelta(weeks=weeks - 1)
    per_day = (
        ProfileVisit.objects.filter(profile=profile, day__gte=first_monday, day__lte=today)
        .values("day")
        .annotate(n=Count("id"))
        .order_by()
    )
    buckets = [WeekCount(start=first_monday + datetime.timedelta(weeks=i), count=0) for i in range(weeks)]
    for row in per_day:
        buckets[(row["day"] - first_monday).days // 7].count += row["n"]
    peak = max((bucket.count for bucket in buckets), default=0)
    for bucket in buckets:
        bucket.height = round(100 * bucket.count / peak) if peak else 0
    return buckets


@dataclass
class Viewer:
    """One line of "who viewed my profile": a member card, "someone at <company>" or anonymous."""

    day: datetime.date
    mode: str
    card: object | None = None  # a ProfileView card for named viewers
    company: str = ""


@dataclass
class ViewersPage:
    viewers: list[Viewer]
    total: int  # distinct viewers in the window, shown or not
    limit: int  # what the owner's plan shows
    private_mode: bool  # the owner browses privately, so cannot see who viewed them


VIEWERS_WINDOW = datetime.timedelta(days=365)


def visit_viewers(*, owner, today=None) -> ViewersPage:
    """Who viewed the owner's profile (newest first, one line per viewer), within their plan.

    Named viewers come through `profile_cards`, so their own visibility settings apply.
    A member browsing in private mode sees nobody, as on LinkedIn.
    """
    # Plans live in network (which imports profiles): read lazily, at call time.
    from carnet.network.plans import plan_for
    from carnet.profiles.selectors import profile_cards

    today = today or timezone.localdate()
    profile = Profile.objects.filter(pk=owner.pk).only("pk", "browsing_mode").first()
    limit = plan_for(owner).profile_viewers_visible
    private_mode = profile is None or profile.browsing_mode == BrowsingMode.PRIVATE
    visits = ProfileVisit.objects.filter(profile_id=owner.pk, day__gte=today - VIEWERS_WINDOW)
    # One line per viewer: their latest visit (rows are written as visits happen, so the
    # highest id of a viewer is their latest row), most recent day first.
    latest = visits.values("viewer_id").annotate(last=Max("id"), last_day=Max("day")).order_by("-last_day", "-last")
    total = latest.count()
    if private_mode or not limit or not total:
        return ViewersPage(viewers=[], total=total, limit=limit, private_mode=private_mode)
    last_ids = [row["last"] for row in latest[:limit]]
    rows = list(ProfileVisit.objects.filter(id__in=last_ids).select_related("viewer__profile").order_by("-day", "-id"))
    named = [row.viewer.profile for row in rows if row.mode == BrowsingMode.NAMED and hasattr(row.viewer, "profile")]
    cards = {card.pk: card for card in profile_cards(named, viewer=owner)}
    viewers = []
    for row in rows:
        if row.mode == BrowsingMode.NAMED:
            card = cards.get(row.viewer_id)
            if card is None or card.relation == Relation.BLOCKED:
                continue
            viewers.append(Viewer(day=row.day, mode=row.mode, card=card))
        elif row.mode == BrowsingMode.SEMI_PRIVATE:
            viewers.append(Viewer(day=row.day, mode=row.mode, company=row.viewer_company))
        else:
            viewers.append(Viewer(day=row.day, mode=BrowsingMode.PRIVATE))
    return ViewersPage(viewers=viewers, total=total, limit=limit, private_mode=private_mode)


def activity_settings_update(*, profile: Profile, browsing_mode: str, update_reminders: bool) -> Profile:
    """How the member appears in others' "who viewed" and whether they get update reminders."""
    if browsing_mode not in BrowsingMode.values:
        raise ValueError(f"Unknown browsing mode {browsing_mode!r}")
    profile.browsing_mode = browsing_mode
    profile.update_reminders = update_reminders
    # Not a profile update: leave `updated` (which the reminder reads) alone.
    profile.save(update_fields=["browsing_mode", "update_reminders"])
    return profile


# ---------------------------------------------------------------------------------------
# "Keep your profile up to date" reminders
# ---------------------------------------------------------------------------------------
def profiles_due_reminder(*, now: datetime.datetime | None = None):
    """Members who opted in, whose profile has not changed for 30 days, and who were not
    reminded in the last 30 days."""
    now = now or timezone.now()
    cutoff = now - REMINDER_AFTER
    recent_reminder = UpdateReminder.objects.filter(profile=OuterRef("pk"), sent__gte=cutoff)
    return (
        Profile.objects.filter(update_reminders=True, user__is_active=True, updated__lt=cutoff)
        .filter(Q(last_meaningful_update__isnull=True) | Q(last_meaningful_update__lt=cutoff))
        .exclude(Exists(recent_reminder))
        .select_related("user")
        .order_by("pk")
    )


def reminder_send(*, profile: Profile, now: datetime.datetime | None = None) -> bool:
    """Remind one member to update their profile: in-app notification and e-mail. False if
    today's reminder was already sent (the unique row makes concurrent runs harmless)."""
    from django.utils import translation
    from django.utils.translation import gettext as _

    from carnet.notifications.services import notify

    now = now or timezone.now()
    try:
        with transaction.atomic():
            UpdateReminder.objects.create(profile=profile, day=timezone.localdate(now))
            with translation.override(profile.user.language or None):
                notify(
                    recipient=profile.user,
                    kind="profile_update_reminder",
                    text=_(
                        "Your profile has not changed for a month. A new skill, position or CV keeps it "
                        "useful to the people who look you up. (You can turn these reminders off in your "
                        "profile settings.)"
                    ),
                    url=profile.get_absolute_url(),
                    email_subject=_("Keep your profile up to date"),
                )
    except IntegrityError:
        return False
    return True
