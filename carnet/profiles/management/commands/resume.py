"""carnet resume import FILE --member EMAIL [--strict] | carnet resume export --member EMAIL [--output FILE]

JSON Resume (https://jsonresume.org) import and export of a member's profile. An import is
all or nothing and prints its report; a refused file exits with status 1 and changes nothing.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from carnet.profiles.portability import jsonresume, selectors, services
from carnet.profiles.portability.report import ImportRefused, ImportReport


def member_get(email: str):
    user = get_user_model().objects.filter(email__iexact=email.strip()).first()
    if user is None:
        raise CommandError(f"No member with the e-mail address {email!r}.")
    return user


def report_write(out, report: ImportReport) -> None:
    """The report of an import as plain text."""
    imported = report.imported_lines()
    if report.updated:
        out.write(f"Profile details updated: {', '.join(report.updated_labels())}")
    for label, count in imported:
        out.write(f"Imported {label}: {count}")
    if not imported and not report.updated:
        out.write("Nothing new to import.")
    for skip in report.skipped:
        out.write(f"Skipped {skip.where}: {skip.message}")


class Command(BaseCommand):
    help = "Import a JSON Resume file into a member's profile, or export a member's profile as JSON Resume."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True, metavar="{import,export}")
        importing = sub.add_parser("import", help="Import FILE into the member's profile (all or nothing).")
        importing.add_argument("file", help="A JSON Resume file, or - for standard input.")
        importing.add_argument("--member", required=True, help="The member's e-mail address.")
        importing.add_argument(
            "--strict",
            action="store_true",
            help="Refuse null values (the schema forbids them) instead of ignoring them.",
        )
        exporting = sub.add_parser("export", help="Write the member's profile as JSON Resume.")
        exporting.add_argument("--member", required=True, help="The member's e-mail address.")
        exporting.add_argument("--output", "-o", help="Write to this file instead of standard output.")

    def handle(self, *args, action, member, **options):
        user = member_get(member)
        if action == "export":
            self._export(user, options.get("output"))
        else:
            self._import(user, options["file"], strict=options["strict"])

    def _export(self, user, output: str | None) -> None:
        text = json.dumps(selectors.resume_export_for_member(user=user), ensure_ascii=False, indent=2) + "\n"
        if output:
            Path(output).write_text(text, encoding="utf-8")
            self.stderr.write(f"Wrote {output}.")
        else:
            self.stdout.write(text, ending="")

    def _import(self, user, file: str, *, strict: bool) -> None:
        limit = jsonresume.max_bytes()
        try:
            if file == "-":
                data = sys.stdin.buffer.read(limit + 1)
            else:
                path = Path(file)
                if not path.is_file():
                    raise CommandError(f"{file}: no such file.")
                with path.open("rb") as handle:
                    data = handle.read(limit + 1)
            report = services.resume_import(user=user, data=data, strict=strict)
        except ImportRefused as refused:
            raise CommandError(f"{file}: {refused}") from refused
        report_write(self.stdout, report)
