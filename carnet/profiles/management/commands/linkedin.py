"""carnet linkedin import ZIP --member EMAIL

Import a LinkedIn data-export archive into a member's profile, all or nothing, with a
progress bar on standard error and the report on standard output. A refused archive exits
with status 1 and changes nothing.
"""

from __future__ import annotations

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from carnet.profiles.management.commands.resume import member_get, report_write
from carnet.profiles.portability import linkedin, services
from carnet.profiles.portability.report import ImportRefused


class Command(BaseCommand):
    help = "Import a LinkedIn data-export archive (the zip LinkedIn sends) into a member's profile."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True, metavar="{import}")
        importing = sub.add_parser("import", help="Import ZIP into the member's profile (all or nothing).")
        importing.add_argument("zip", help="The archive LinkedIn sent (Basic_LinkedInDataExport_....zip).")
        importing.add_argument("--member", required=True, help="The member's e-mail address.")

    def handle(self, *args, action, member, zip, **options):
        user = member_get(member)
        path = Path(zip)
        if not path.is_file():
            raise CommandError(f"{zip}: no such file.")
        limit = linkedin.max_upload_bytes()
        size = path.stat().st_size
        if size > limit:
            raise CommandError(f"{zip}: the archive is too large ({size} bytes; the limit is {limit}).")
        bar = tqdm(total=1, file=sys.stderr, unit="row", desc="Reading", disable=None)

        def progress(done: int, total: int) -> None:
            bar.total = total
            bar.n = done
            bar.refresh()

        try:
            with path.open("rb") as archive:
                report = services.linkedin_import(user=user, archive=archive, progress=progress)
        except ImportRefused as refused:
            raise CommandError(f"{zip}: {refused}") from refused
        finally:
            bar.close()
        report_write(self.stdout, report)
