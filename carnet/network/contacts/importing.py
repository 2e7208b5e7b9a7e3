"""Address book import: find members among a member's contacts and invite them, or invite
others by e-mail with the member's explicit consent.

What is stored, and for how long (the page says so too):
- the import itself is a `core.Job` whose report lists the contacts found: members (their id
  and name only) and non-members (name and address, so the member can choose whom to invite);
- the non-members' addresses are erased from the report as soon as the member has sent their
  e-mail invitations or closed the import, and at the latest after IMPORT_KEEP
  (`contacts_scrub`, run by the periodic task);
- what stays is one `EmailInvitation` row per address the member chose to invite.

Nothing else from the file is kept. The import is all-or-nothing: a file that cannot be read
raises ContactFileError and writes nothing; a contact that cannot be used is skipped and the
report says why.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models.functions import Lower
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from carnet.core.models import Job, JobStatus
from carnet.network.contacts.parsing import ParseResult, parse_contacts
from carnet.network.models import EmailInvitation
from carnet.network.relations_support import (
    RelationError,
    blocked_ids,
    connection_ids,
    pending_invitation_ids,
)

IMPORT_KIND = "contacts_import"
# Non-members' addresses are kept this long at most, for the member to choose whom to invite.
IMPORT_KEEP = datetime.timedelta(hours=24)
_CHUNK = 500

Progress = Callable[[int, int], None]


def _member_emails(member) -> set[str]:
    from allauth.account.models import EmailAddress

    own = {member.email.lower()} if member.email else set()
    own |= {e.lower() for e in EmailAddress.objects.filter(user_id=member.pk).values_list("email", flat=True)}
    return own


def _match_members(emails: list[str], progress: Progress | None = None) -> dict[str, int]:
    """Verified e-mail address -> active member id, in chunks (SQLite limits query parameters)."""
    from allauth.account.models import EmailAddress

    found: dict[str, int] = {}
    for start in range(0, len(emails), _CHUNK):
        chunk = emails[start : start + _CHUNK]
        rows = (
            EmailAddress.objects.annotate(address=Lower("email"))
            .filter(address__in=chunk, verified=True, user__is_active=True)
            .values_list("address", "user_id")
        )
        found.update(rows)
        if progress:
            progress(min(start + _CHUNK, len(emails)), len(emails))
    return found


def _classify(member, parsed: ParseResult, progress: Progress | None) -> dict:
    own = _member_emails(member)
    skipped = [{"line": s.line, "reason": s.reason} for s in parsed.skipped]
    seen: dict[str, int] = {}
    contacts = []
    for contact in parsed.contacts:
        if set(contact.emails) & own:
            skipped.append({"line": contact.line, "reason": _("your own address")})
            continue
        duplicate = next((seen[e] for e in contact.emails if e in seen), None)
        if duplicate is not None:
            skipped.append({"line": contact.line, "reason": _("same address as line %(line)s") % {"line": duplicate}})
            continue
        for email in contact.emails:
            seen[email] = contact.line
        contacts.append(contact)
    matched = _match_members(sorted(seen), progress)
    member_ids = set(matched.values())
    blocked = blocked_ids(member_id=member.pk, among=member_ids)
    connected = connection_ids(member_id=member.pk) & member_ids
    pending = pending_invitation_ids(member_id=member.pk, among=member_ids)
    names = dict(
        (user.pk, user.display_name)
        for user in get_user_model()
        .objects.filter(pk__in=member_ids - blocked)
        .only("first_name", "last_name", "email")
    )
    invited = {e.lower() for e in EmailInvitation.objects.filter(sender_id=member.pk).values_list("email", flat=True)}
    members, non_members, listed = [], [], set()
    for contact in contacts:
        user_id = next((matched[e] for e in contact.emails if e in matched), None)
        if user_id is None:
            email = contact.emails[0]
            already = any(e in invited for e in contact.emails)
            non_members.append(
                {
                    "key": len(non_members),
                    "line": contact.line,
                    "name": contact.name,
                    "email": email,
                    "state": "already_invited" if already else "invitable",
                }
            )
            continue
        if user_id == member.pk:
            skipped.append({"line": contact.line, "reason": _("your own address")})
        elif user_id in blocked:
            # Said the same way whoever blocked whom: a block is never revealed.
            skipped.append({"line": contact.line, "reason": _("this member cannot be invited")})
        elif user_id in listed:
            skipped.append({"line": contact.line, "reason": _("the same member as another line")})
        else:
            listed.add(user_id)
            state = "connected" if user_id in connected else "pending" if user_id in pending else "invitable"
            members.append({"id": user_id, "line": contact.line, "name": names.get(user_id, ""), "state": state})
    skipped.sort(key=lambda s: s["line"])
    return {
        "format": parsed.format,
        "read": len(parsed.contacts) + len(parsed.skipped),
        "imported": len(members) + len(non_members),
        "members": members,
        "non_members": non_members,
        "non_member_count": len(non_members),
        "skipped": skipped,
        "invited_members": 0,
        "invited_emails": 0,
        "scrubbed": False,
    }


def contacts_import(*, member, data: bytes, filename: str = "", progress: Progress | None = None) -> Job:
    """Read an address book and record what was found in a Job. Raises ContactFileError."""
    parsed = parse_contacts(data)
    report = _classify(member, parsed, progress)
    report["file"] = (filename or "")[:200]
    with transaction.atomic():
        job = Job.objects.create(
            owner=member,
            kind=IMPORT_KIND,
            status=JobStatus.DONE,
            total=report["read"],
            done=report["read"],
            report=report,
            finished=timezone.now(),
            message=_("%(members)s members and %(others)s other contacts found, %(skipped)s lines skipped.")
            % {
                "members": len(report["members"]),
                "others": len(report["non_members"]),
                "skipped": len(report["skipped"]),
            },
        )
    return job


def contacts_import_get(*, pk: int, member) -> Job | None:
    """One of `member`'s own imports, else None."""
    return Job.objects.filter(pk=pk, owner_id=member.pk, kind=IMPORT_KIND).first()


def _locked_job(job: Job) -> Job:
    return Job.objects.select_for_update().get(pk=job.pk)


def contacts_invite_members(*, member, job: Job, user_ids, progress: Progress | None = None) -> dict:
    """Invite the chosen members found by an import. All of them or none: the batch must fit the
    weekly invitation allowance. Members whose situation changed since (now connected, blocked...)
    are skipped and reported. Returns {"invited": n, "skipped": [{"name", "reason"}]}."""
    from carnet.network.quotas import quota_check
    from carnet.network.services import NetworkError, invitation_send

    wanted = {int(i) for i in user_ids}
    if not wanted:
        raise RelationError(_("Choose at least one member to invite."))
    with transaction.atomic():
        job = _locked_job(job)
        entries = [m for m in job.report.get("members", []) if m["id"] in wanted and m["state"] == "invitable"]
        if len(entries) != len(wanted):
            raise RelationError(_("Some of the chosen members cannot be invited from this import."), code="conflict")
        quota_check(member, "invitations_per_week", amount=len(entries))
        users = get_user_model().objects.in_bulk([m["id"] for m in entries])
        invited, skipped = 0, []
        for index, entry in enumerate(entries, start=1):
            user = users.get(entry["id"])
            try:
                if user is None:
                    raise NetworkError(_("This member does not exist or is not available."), code="not_found")
                invitation_send(sender=member, recipient=user)
            except NetworkError as exc:
                skipped.append({"name": entry["name"], "reason": str(exc)})
                entry["state"] = "unavailable"
            else:
                invited += 1
                entry["state"] = "invited"
            if progress:
                progress(index, len(entries))
        job.report["invited_members"] = job.report.get("invited_members", 0) + invited
        job.save(update_fields=["report"])
    return {"invited": invited, "skipped": skipped}


def invitation_email(*, member, name: str = "") -> tuple[str, str]:
    """Subject and body of the e-mail sent to a contact, as previewed to the member before consent."""
    context = {
        "sender_name": member.display_name,
        "contact_name": name,
        "site_name": settings.SITE_NAME,
        "signup_url": f"{settings.SITE_URL}/accounts/signup/",
    }
    subject = _("%(name)s invites you to join %(site)s") % {"name": member.display_name, "site": settings.SITE_NAME}
    return subject, render_to_string("network/contacts/invitation_email.txt", context).strip()


def contacts_invite_emails(*, member, job: Job, keys, consent: bool) -> int:
    """With the member's explicit consent, invite chosen non-members by e-mail (all or none,
    within the weekly invitation allowance), then erase the non-members' addresses from the import."""
    from carnet.network.quotas import quota_check
    from carnet.notifications.tasks import send_rendered_email

    if not consent:
        raise RelationError(_("Tick the box to confirm that these people may receive an e-mail from us."))
    wanted = {int(k) for k in keys}
    if not wanted:
        raise RelationError(_("Choose at least one contact to invite."))
    with transaction.atomic():
        job = _locked_job(job)
        if job.report.get("scrubbed"):
            raise RelationError(
                _("The addresses of this import were erased: import the file again to invite people."),
                code="conflict",
            )
        entries = [c for c in job.report.get("non_members", []) if c["key"] in wanted and c["state"] == "invitable"]
        if len(entries) != len(wanted):
            raise RelationError(_("Some of the chosen contacts cannot be invited from this import."), code="conflict")
        get_user_model().objects.select_for_update().filter(pk=member.pk).first()
        quota_check(member, "invitations_per_week", amount=len(entries))
        # Invited since the import (another tab, another import): never e-mail anyone twice.
        already = set(
            EmailInvitation.objects.filter(sender_id=member.pk, email__in=[c["email"] for c in entries]).values_list(
                "email", flat=True
            )
        )
        for entry in entries:
            if entry["email"] in already:
                entry["state"] = "already_invited"
        entries = [c for c in entries if c["email"] not in already]
        try:
            with transaction.atomic():
                EmailInvitation.objects.bulk_create(
                    [EmailInvitation(sender=member, email=c["email"], name=c["name"][:200]) for c in entries]
                )
        except IntegrityError as exc:
            raise RelationError(
                _("Some of these contacts were invited at the same moment: try again."), code="conflict"
            ) from exc
        messages = []
        for entry in entries:
            subject, body = invitation_email(member=member, name=entry["name"])
            messages.append({"subject": subject, "body": body, "to": [entry["email"]]})
        transaction.on_commit(lambda: [send_rendered_email.enqueue(**message) for message in messages])
        job.report["invited_emails"] = job.report.get("invited_emails", 0) + len(entries)
        _scrub(job)
        job.save(update_fields=["report"])
    return len(entries)


def _scrub(job: Job) -> None:
    report = job.report
    report["non_members"] = []
    report["scrubbed"] = True


def contacts_import_close(*, member, job: Job) -> None:
    """The member is done with an import: erase the non-members' addresses now."""
    with transaction.atomic():
        job = _locked_job(job)
        if job.owner_id != member.pk:
            raise RelationError(_("Not your import."), code="forbidden")
        _scrub(job)
        job.save(update_fields=["report"])


def contacts_scrub(*, now=None) -> int:
    """Erase the non-members' addresses of imports older than IMPORT_KEEP. Returns how many."""
    now = now or timezone.now()
    count = 0
    stale = Job.objects.filter(kind=IMPORT_KIND, created__lte=now - IMPORT_KEEP).exclude(report__scrubbed=True)
    for job in stale.iterator():
        with transaction.atomic():
            job = _locked_job(job)
            _scrub(job)
            job.save(update_fields=["report"])
            count += 1
    return count
