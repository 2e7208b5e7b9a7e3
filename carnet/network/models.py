"""The connection graph. A connection is stored as two directed rows (a→b and b→a) so that
"the connections of X" is one index range scan in either direction and recursive SQL
walks stay simple."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Connection(models.Model):
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="connections_out")
    other = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="connections_in")
    created = models.DateTimeField(db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["member", "other"], name="unique_connection"),
            models.CheckConstraint(condition=~models.Q(member=models.F("other")), name="no_self_connection"),
        ]
        indexes = [
            # "My network" lists a member's connections newest first, 25 a page: for a hub (30,000
            # connections) the created index alone walked and filtered ~11,000 rows (16-22 ms on
            # PostgreSQL); this one reads the page as a 25-row range.
            models.Index(fields=["member", "-created", "-id"], name="connection_member_newest"),
        ]

    def __str__(self):
        return f"{self.member_id} -> {self.other_id}"


class HowMet(models.TextChoices):
    COLLEAGUE = "colleague", _("We worked together")
    CLASSMATE = "classmate", _("We studied together")
    OTHER = "other", _("Other")


class InvitationStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    ACCEPTED = "accepted", _("Accepted")
    IGNORED = "ignored", _("Ignored")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Invitation(models.Model):
    sender = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="invitations_sent")
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="invitations_received"
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    how_met = models.CharField(_("how do you know each other?"), max_length=20, choices=HowMet.choices, blank=True)
    # The shared company or school the sender named, when how_met says colleague/classmate.
    organization = models.ForeignKey(
        "organizations.Organization", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    status = models.CharField(max_length=20, choices=InvitationStatus.choices, default=InvitationStatus.PENDING)
    # The recipient said "I don't know this person": counts against the sender's reputation.
    reported = models.BooleanField(default=False)
    created = models.DateTimeField(auto_now_add=True, db_index=True)
    responded = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["sender", "recipient"], condition=models.Q(status="pending"), name="one_pending_invitation"
            )
        ]
        indexes = [
            models.Index(fields=["recipient", "status", "-created"]),
            models.Index(fields=["sender", "status", "-created"]),
        ]

    def __str__(self):
        return f"{self.sender_id} invites {self.recipient_id} ({self.status})"


class EmailInvitation(models.Model):
    """An invitation by e-mail to someone who is not a member yet, sent with the member's consent."""

    sender = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="email_invitations")
    email = models.EmailField()
    name = models.CharField(max_length=200, blank=True)
    created = models.DateTimeField(auto_now_add=True, db_index=True)
    accepted = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["sender", "email"], name="one_email_invitation")]

    def __str__(self):
        return f"{self.sender_id} -> {self.email}"


class Block(models.Model):
    """`blocker` blocked `blocked`: each is hidden from the other everywhere."""

    blocker = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="blocks_made")
    blocked = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="blocks_received")
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["blocker", "blocked"], name="unique_block")]

    def __str__(self):
        return f"{self.blocker_id} blocks {self.blocked_id}"


class Follow(models.Model):
    """One-way: `follower` sees `followed`'s public posts without connecting."""

    follower = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="following")
    followed = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="followers")
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["follower", "followed"], name="unique_follow")]

    def __str__(self):
        return f"{self.follower_id} follows {self.followed_id}"


class Label(models.Model):
    """A private label a member puts on their contacts ("personal", "clients"...). Only its owner sees it."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="labels")
    name = models.CharField(_("name"), max_length=50)
    members = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="+", blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["owner", "name"], name="unique_label")]

    def __str__(self):
        return self.name


class IntroductionStatus(models.TextChoices):
    REQUESTED = "requested", _("Waiting for the intermediary")
    FORWARDED = "forwarded", _("Forwarded")
    DECLINED_BY_INTERMEDIARY = "declined_by_intermediary", _("Declined by the intermediary")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    EXPIRED = "expired", _("Expired")


class Introduction(models.Model):
    """Cooptation: `requester` asks `intermediary` (a mutual connection) to introduce them to `target`."""

    requester = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="intros_requested")
    intermediary = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="intros_to_forward"
    )
    target = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="intros_received")
    message = models.TextField(_("message"), max_length=1000)
    intermediary_note = models.TextField(_("note from the intermediary"), max_length=1000, blank=True)
    status = models.CharField(max_length=30, choices=IntroductionStatus.choices, default=IntroductionStatus.REQUESTED)
    created = models.DateTimeField(auto_now_add=True, db_index=True)
    forwarded = models.DateTimeField(null=True, blank=True)
    responded = models.DateTimeField(null=True, blank=True)
    expires = models.DateTimeField()

    class Meta:
        ordering = ["-created", "-id"]
        indexes = [models.Index(fields=["requester", "-created"]), models.Index(fields=["intermediary", "status"])]

    def __str__(self):
        return f"{self.requester_id} -> {self.intermediary_id} -> {self.target_id} ({self.status})"


class RecommendationRelationship(models.TextChoices):
    MANAGED = "managed", _("Managed them directly")
    REPORTED = "reported", _("Reported to them directly")
    SAME_TEAM = "same_team", _("Worked on the same team")
    DIFFERENT_TEAMS = "different_teams", _("Worked with them in different teams")
    CLIENT = "client", _("Was their client")
    TEACHER = "teacher", _("Taught them")
    STUDIED = "studied", _("Studied together")
    OTHER = "other", _("Other")


class RecommendationStatus(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    PENDING = "pending", _("Waiting for approval")
    ACCEPTED = "accepted", _("Shown on the profile")
    DECLINED = "declined", _("Declined")
    HIDDEN = "hidden", _("Hidden")


class Recommendation(models.Model):
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="recommendations_given")
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="recommendations_received"
    )
    relationship = models.CharField(_("relationship"), max_length=20, choices=RecommendationRelationship.choices)
    # The position (of either member) the recommendation speaks of, free text as LinkedIn shows it.
    context = models.CharField(_("context"), max_length=200, blank=True)
    request_message = models.TextField(_("request message"), max_length=1000, blank=True)
    text = models.TextField(_("recommendation"), max_length=3000, blank=True)
    status = models.CharField(max_length=20, choices=RecommendationStatus.choices, default=RecommendationStatus.PENDING)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-updated", "-id"]
        indexes = [models.Index(fields=["recipient", "status"])]

    def __str__(self):
        return f"{self.author_id} recommends {self.recipient_id} ({self.status})"


class Endorsement(models.Model):
    """A connection vouches for one of a member's skills."""

    endorser = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="endorsements_given")
    profile_skill = models.ForeignKey("profiles.ProfileSkill", on_delete=models.CASCADE, related_name="endorsements")
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["endorser", "profile_skill"], name="unique_endorsement")]

    def __str__(self):
        return f"{self.endorser_id} endorses {self.profile_skill_id}"


class SuggestionDismissal(models.Model):
    """A "People you may know" suggestion the member dismissed: never suggested again."""

    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    dismissed = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["member", "dismissed"], name="unique_dismissal")]

    def __str__(self):
        return f"{self.member_id} dismissed {self.dismissed_id}"


class PlanGrant(models.Model):
    """A plan given to a member or to every member of a company, for a period.

    Site admins create grants by hand today; a payment provider creates them through
    network.services.plan_grant() when it is plugged in (`source`, `reference`).
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="plan_grants"
    )
    organization = models.ForeignKey(
        "organizations.Organization", on_delete=models.CASCADE, null=True, blank=True, related_name="plan_grants"
    )
    plan = models.CharField(max_length=20)
    starts = models.DateTimeField()
    ends = models.DateTimeField(null=True, blank=True)
    source = models.CharField(max_length=30, default="admin")
    reference = models.CharField(max_length=200, blank=True)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(user__isnull=False) | models.Q(organization__isnull=False), name="grant_has_holder"
            )
        ]

    def __str__(self):
        return f"{self.plan} for {self.user_id or self.organization_id}"
