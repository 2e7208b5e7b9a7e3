"""LinkedIn's data export ("Get a copy of your data"): read the zip into an `ImportPlan`.

Only the few CSV files that describe the profile are read (Profile, Positions, Education,
Skills, Languages, Certifications, Projects, Publications); the others are listed in the
report as not imported. The archive is never extracted to disk: each file is read from the
zip, after its declared size is checked and with a bounded read (a header may lie), so a
zip bomb costs at most the caps below. Header lines and date styles of 2018 to 2024 exports
are known (see tests/fixtures/linkedin/LINKEDIN_HEADERS.md).
"""

from __future__ import annotations

import re
import struct
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from carnet.profiles.portability import linkedin_csv
from carnet.profiles.portability.linkedin_csv import CsvError, CsvTable
from carnet.profiles.portability.plan import (
    CertificationIn,
    EducationIn,
    ImportPlan,
    LanguageIn,
    PositionIn,
    ProjectIn,
    PublicationIn,
    WebsiteIn,
    proficiency_from_text,
)
from carnet.profiles.portability.report import ImportRefused, ImportReport

# Once uncompressed, per file read and for all files read together.
MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_TOTAL_BYTES = 30 * 1024 * 1024
# A real export holds fewer than a hundred files.
MAX_ENTRIES = 10_000


def max_upload_bytes() -> int:
    return settings.CARNET_LINKEDIN_MAX_BYTES


@dataclass(frozen=True)
class FileSpec:
    name: str
    required: frozenset[str]
    expected: bool  # reported as missing when absent


FILES = {
    spec.name.casefold(): spec
    for spec in (
        FileSpec("Profile.csv", frozenset({"First Name", "Last Name", "Headline"}), True),
        FileSpec("Profile Summary.csv", frozenset({"Profile Summary"}), False),
        FileSpec("Positions.csv", frozenset({"Company Name", "Title", "Started On"}), True),
        FileSpec("Education.csv", frozenset({"School Name"}), True),
        FileSpec("Skills.csv", frozenset({"Name"}), True),
        FileSpec("Languages.csv", frozenset({"Name"}), True),
        FileSpec("Certifications.csv", frozenset({"Name", "Authority"}), True),
        FileSpec("Projects.csv", frozenset({"Title"}), False),
        FileSpec("Publications.csv", frozenset({"Name"}), False),
    )
}
CONTACTS_FILE = "connections.csv"

# Columns of Profile.csv that hold private details Carnet does not keep.
_PROFILE_NOT_STORED = (
    "Maiden Name",
    "Address",
    "Birth Date",
    "Contact Instructions",
    "Country",
    "Zip Code",
    "Instant Messengers",
)


def _refuse_damaged() -> ImportRefused:
    return ImportRefused(
        _(
            "This file is not a zip archive, or the archive is damaged: nothing was imported. "
            "Upload the .zip file LinkedIn sent you, unchanged."
        ),
        code="not_zip",
    )


def _open(archive) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(archive)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError, struct.error) as exc:
        raise _refuse_damaged() from exc


def _members(zf: zipfile.ZipFile, report: ImportReport | None) -> dict[str, zipfile.ZipInfo]:
    """The archive's files we read, by lower-case base name; the others are reported."""
    try:
        entries = zf.infolist()
    except (zipfile.BadZipFile, OSError) as exc:
        raise _refuse_damaged() from exc
    if len(entries) > MAX_ENTRIES:
        raise ImportRefused(
            _("This archive holds %(count)s files: it is not a LinkedIn export.") % {"count": len(entries)},
            code="not_linkedin",
        )
    found: dict[str, zipfile.ZipInfo] = {}
    others: list[str] = []
    for info in entries:
        if info.is_dir():
            continue
        base = info.filename.replace("\\", "/").rsplit("/", 1)[-1]
        key = base.casefold()
        if key in FILES:
            if key in found:
                if report is not None:
                    report.skip(info.filename, "file_duplicate")
                continue
            found[key] = info
        elif key == CONTACTS_FILE:
            if report is not None:
                report.skip(base, "file_contacts")
        else:
            others.append(info.filename)
    if not found:
        raise ImportRefused(
            _(
                "This zip is not a LinkedIn data export: it has none of Profile.csv, Positions.csv, "
                "Education.csv, Skills.csv, Languages.csv or Certifications.csv. Nothing was imported."
            ),
            code="not_linkedin",
        )
    if report is not None:
        for name in sorted(others, key=str.casefold):
            report.skip(name, "file_not_imported")
        for key, spec in FILES.items():
            if spec.expected and key not in found:
                report.skip(spec.name, "file_missing")
    too_big = [info for info in found.values() if info.file_size > MAX_FILE_BYTES]
    if too_big or sum(info.file_size for info in found.values()) > MAX_TOTAL_BYTES:
        info = too_big[0] if too_big else max(found.values(), key=lambda i: i.file_size)
        raise _too_big(info.filename, info.file_size)
    return found


def _too_big(name: str, size: int) -> ImportRefused:
    return ImportRefused(
        _(
            "%(name)s would take %(size)s once uncompressed (the limit is %(limit)s): this is not a "
            "LinkedIn export. Nothing was imported."
        )
        % {"name": name, "size": filesizeformat(size), "limit": filesizeformat(MAX_FILE_BYTES)},
        code="too_large",
    )


def check(archive) -> None:
    """Refuse at once (ImportRefused) an upload that cannot be a usable LinkedIn archive:
    not a zip, damaged, no profile files, or files too large once uncompressed."""
    zf = _open(archive)
    with zf:
        _members(zf, None)


def _read_member(zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    if info.flag_bits & 0x1:
        raise ImportRefused(
            _("%(name)s is protected by a password: nothing was imported. Upload the archive as LinkedIn sent it.")
            % {"name": info.filename},
            code="encrypted",
        )
    try:
        with zf.open(info) as member:
            data = member.read(MAX_FILE_BYTES + 1)
    except (zipfile.BadZipFile, zlib.error, NotImplementedError, RuntimeError, EOFError, OSError) as exc:
        raise ImportRefused(
            _("%(name)s cannot be read from the archive: the archive is damaged. Nothing was imported.")
            % {"name": info.filename},
            code="not_zip",
        ) from exc
    if len(data) > MAX_FILE_BYTES:
        raise _too_big(info.filename, len(data))
    return data


def _date(row: dict, column: str, where: str, report: ImportReport) -> tuple[bool, object]:
    """(ok, date or None) for a date column; a cell that is not a date is reported."""
    try:
        return True, linkedin_csv.parse_date(row.get(column, ""))
    except ValueError:
        report.skip(f"{where}: {column}", "invalid_date", value=row.get(column, "")[:40])
        return False, None


def _first(row: dict, *columns: str) -> str:
    return next((row[c] for c in columns if row.get(c)), "")


_WEBSITE = re.compile(r"(?:\b([A-Za-z_]+):)?(https?://[^\s,\]\[]+)")


def _profile(table: CsvTable, plan: ImportPlan, report: ImportReport) -> None:
    if not table.rows:
        return
    line, row = table.rows[0]
    where = f"{table.name} line {line}"
    if row.get("First Name"):
        plan.basics["first_name"] = (row["First Name"], where)
    if row.get("Last Name"):
        plan.basics["last_name"] = (row["Last Name"], where)
    for column, target in (
        ("Headline", "headline"),
        ("Summary", "about"),
        ("Industry", "industry"),
        ("Geo Location", "location"),
    ):
        if row.get(column):
            plan.basics[target] = (row[column], f"{where}: {column}")
    for label, url in _WEBSITE.findall(row.get("Websites", "")):
        plan.websites.append(WebsiteIn(f"{where}: Websites", url, label.replace("_", " ").capitalize()))
    for handle in re.split(r"[,\s]+", row.get("Twitter Handles", "").strip("[] ")):
        handle = handle.strip("[]@ ")
        if re.fullmatch(r"\w{1,30}", handle):
            plan.websites.append(WebsiteIn(f"{where}: Twitter Handles", f"https://twitter.com/{handle}", "Twitter"))
    for column in _PROFILE_NOT_STORED:
        if row.get(column):
            report.skip(f"{where}: {column}", "not_stored")


def _summary(table: CsvTable, plan: ImportPlan, report: ImportReport) -> None:
    if table.rows and table.rows[0][1].get("Profile Summary") and "about" not in plan.basics:
        line, row = table.rows[0]
        plan.basics["about"] = (row["Profile Summary"], f"{table.name} line {line}")


def _positions(table: CsvTable, plan: ImportPlan, report: ImportReport) -> None:
    for line, row in table.rows:
        where = f"{table.name} line {line}"
        ok_start, start = _date(row, "Started On", where, report)
        ok_end, end = _date(row, "Finished On", where, report)
        if not (ok_start and ok_end):
            continue
        if not row.get("Title"):
            report.skip(where, "missing", what=_("position title"))
        elif not row.get("Company Name"):
            report.skip(where, "missing", what=_("company name"))
        elif start is None:
            report.skip(where, "missing", what=_("start date"))
        else:
            plan.positions.append(
                PositionIn(
                    where,
                    company=row["Company Name"],
                    title=row["Title"],
                    start=start,
                    end=end,
                    location=row.get("Location", ""),
                    description=row.get("Description", ""),
                )
            )


def _education(table: CsvTable, plan: ImportPlan, report: ImportReport) -> None:
    for line, row in table.rows:
        where = f"{table.name} line {line}"
        ok_start, start = _date(row, "Start Date", where, report)
        ok_end, end = _date(row, "End Date", where, report)
        if not row.get("School Name"):
            report.skip(where, "missing", what=_("school name"))
            continue
        if row.get("Notes"):
            report.skip(f"{where}: Notes", "not_stored")
        plan.education.append(
            EducationIn(
                where,
                school=row["School Name"],
                degree=row.get("Degree Name", ""),
                start_year=start.year if ok_start and start else None,
                end_year=end.year if ok_end and end else None,
                activities=row.get("Activities", ""),
            )
        )


def _skills(table: CsvTable, plan: ImportPlan, report: ImportReport) -> None:
    for line, row in table.rows:
        if row.get("Name"):
            plan.skills.append((row["Name"], f"{table.name} line {line}"))


def _languages(table: CsvTable, plan: ImportPlan, report: ImportReport) -> None:
    for line, row in table.rows:
        where = f"{table.name} line {line}"
        if not row.get("Name"):
            report.skip(where, "missing", what=_("language"))
            continue
        text = row.get("Proficiency", "")
        level = proficiency_from_text(text) if text else None
        if text and level is None:
            report.skip(f"{where}: Proficiency", "unknown_fluency", value=text[:60])
        plan.languages.append(LanguageIn(where, row["Name"], level or ""))


def _certifications(table: CsvTable, plan: ImportPlan, report: ImportReport) -> None:
    for line, row in table.rows:
        where = f"{table.name} line {line}"
        if not row.get("Name"):
            report.skip(where, "missing", what=_("name"))
            continue
        _ok, issued = _date(row, "Started On", where, report)
        _ok, expires = _date(row, "Finished On", where, report)
        plan.certifications.append(
            CertificationIn(
                where,
                row["Name"],
                authority=row.get("Authority", ""),
                issued=issued,
                expires=expires,
                credential_id=row.get("License Number", ""),
                url=row.get("Url", ""),
            )
        )


def _projects(table: CsvTable, plan: ImportPlan, report: ImportReport) -> None:
    # 2018 exports name the date columns "Start Date"/"End Date"; later ones "Started On"/"Finished On".
    start_column = "Started On" if "Started On" in table.header else "Start Date"
    end_column = "Finished On" if "Finished On" in table.header else "End Date"
    for line, row in table.rows:
        where = f"{table.name} line {line}"
        if not row.get("Title"):
            report.skip(where, "missing", what=_("name"))
            continue
        _ok, start = _date(row, start_column, where, report)
        _ok, end = _date(row, end_column, where, report)
        plan.projects.append(ProjectIn(where, row["Title"], row.get("Description", ""), row.get("Url", ""), start, end))


def _publications(table: CsvTable, plan: ImportPlan, report: ImportReport) -> None:
    for line, row in table.rows:
        where = f"{table.name} line {line}"
        if not row.get("Name"):
            report.skip(where, "missing", what=_("name"))
            continue
        _ok, published = _date(row, "Published On", where, report)
        plan.publications.append(
            PublicationIn(
                where,
                row["Name"],
                publisher=row.get("Publisher", ""),
                date=published,
                url=row.get("Url", ""),
                description=row.get("Description", ""),
            )
        )


_ENCODING_NAMES = {"cp1252": "Windows-1252", "latin-1": "Latin-1 (ISO-8859-1)"}

_READERS: dict[str, Callable[[CsvTable, ImportPlan, ImportReport], None]] = {
    "profile.csv": _profile,
    "profile summary.csv": _summary,
    "positions.csv": _positions,
    "education.csv": _education,
    "skills.csv": _skills,
    "languages.csv": _languages,
    "certifications.csv": _certifications,
    "projects.csv": _projects,
    "publications.csv": _publications,
}


def read(archive, *, report: ImportReport, progress: Callable[[int, int], None] | None = None) -> ImportPlan:
    """A LinkedIn export (a binary file object holding the zip) as an import plan.
    Raises ImportRefused when the archive cannot be used; writes nothing."""
    zf = _open(archive)
    with zf:
        members = _members(zf, report)
        tables: list[tuple[str, CsvTable]] = []
        # Profile.csv first: Profile Summary.csv only fills a summary Profile.csv left empty.
        for key in sorted(members, key=list(FILES).index):
            info, spec = members[key], FILES[key]
            data = _read_member(zf, info)
            try:
                table = linkedin_csv.read_table(data, name=spec.name, required=spec.required)
            except CsvError as exc:
                raise ImportRefused(_("%(error)s Nothing was imported.") % {"error": exc}, code="bad_csv") from exc
            if table.fell_back:
                report.skip(spec.name, "encoding", value=_ENCODING_NAMES[table.encoding])
            tables.append((key, table))
    total = sum(len(table.rows) for _key, table in tables) or 1
    done = 0
    plan = ImportPlan()
    for key, table in tables:
        _READERS[key](table, plan, report)
        done += len(table.rows)
        if progress is not None:
            progress(done, total)
    return plan
