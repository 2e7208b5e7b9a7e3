"""carnet contacts import FILE --member EMAIL [--invite-members]

Import an address book (vCard, CSV, LinkedIn Connections.csv or its ZIP archive) for a
member, print the report (members found, other contacts, skipped lines and why) and, with
--invite-members, invite every member found who can be invited (all or none, within the
member's weekly invitation allowance). Contacts who are not members are never e-mailed from
the command line: that needs the member's own consent, on the page or through the API.
"""

from __future__ import annotations

import sys
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from carnet.network.contacts import importing
from carnet.network.contacts.parsing import MAX_FILE_BYTES, ContactFileError
from carnet.network.quotas import QuotaExceeded
from carnet.network.relations_support import RelationError


class Command(BaseCommand):
    help = "Import an address book for a member: carnet contacts import FILE --member EMAIL [--invite-members]"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        add = sub.add_parser("import", help="Import a vCard, CSV or LinkedIn Connections.csv file.")
        add.add_argument("file", help="The address book file.")
        add.add_argument("--member", required=True, help="The member's e-mail address.")
        add.add_argument("--invite-members", action="store_true", help="Invite every member found who can be invited.")

    def handle(self, *args, action, file, member, invite_members=False, **options):
        user = get_user_model().objects.filter(email__iexact=member.strip()).first()
        if user is None:
            raise CommandError(f"No member with the e-mail address {member}.")
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"No such file: {file}")
        if path.stat().st_size > MAX_FILE_BYTES:
            raise CommandError(f"The file is too large; the limit is {MAX_FILE_BYTES // 1_048_576} MB.")
        with tqdm(desc="Matching members", unit="address", file=sys.stderr, disable=None) as bar:

            def progress(done, total):
                bar.total = total
                bar.n = done
                bar.refresh()

            try:
                job = importing.contacts_import(
                    member=user, data=path.read_bytes(), filename=path.name, progress=progress
                )
            except ContactFileError as exc:
                raise CommandError(str(exc)) from exc
        report = job.report
        self.stdout.write(
            f"Format: {report['format']}. Contacts read: {report['read']}, imported: {report['imported']}, "
            f"members found: {len(report['members'])}, other contacts: {report['non_member_count']}, "
            f"skipped: {len(report['skipped'])}. Import #{job.pk}."
        )
        for skipped in report["skipped"]:
            self.stdout.write(f"  line {skipped['line']}: {skipped['reason']}")
        if invite_members:
            ids = [m["id"] for m in report["members"] if m["state"] == "invitable"]
            if not ids:
                self.stdout.write("No member to invite.")
            else:
                with tqdm(total=len(ids), desc="Inviting", unit="member", file=sys.stderr, disable=None) as bar:
                    try:
                        result = importing.contacts_invite_members(
                            member=user, job=job, user_ids=ids, progress=lambda done, total: bar.update(1)
                        )
                    except (RelationError, QuotaExceeded) as exc:
                        raise CommandError(str(exc)) from exc
                self.stdout.write(f"Invitations sent: {result['invited']}.")
                for skipped in result["skipped"]:
                    self.stdout.write(f"  {skipped['name']}: {skipped['reason']}")
        # The command line never e-mails non-members: their addresses are erased right away.
        importing.contacts_import_close(member=user, job=job)
