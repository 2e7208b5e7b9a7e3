"""LinkedIn data-export import: archives built from the real header lines of 2018, 2023 and
2024 exports with made-up rows, bad archives, the background job, and the CLI."""

from __future__ import annotations

import datetime
import io
import os
import zipfile

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from carnet.core.models import Job, JobStatus
from carnet.profiles.models import LanguageProficiency
from carnet.profiles.portability import linkedin, linkedin_csv, services, uploads
from carnet.profiles.portability.report import ImportRefused
from tests.factories import OrganizationFactory
from tests.profiles.portability_support import archive, csv_file, export_2024, header_bytes, snapshot

pytestmark = pytest.mark.django_db


def _import(user, data: bytes, **kwargs):
    return services.linkedin_import(user=user, archive=io.BytesIO(data), **kwargs)


def test_2024_full_export_imports_the_profile(alice):
    acme = OrganizationFactory(name="Acme Logiciels", slug="acme-logiciels")
    report = _import(alice, archive(export_2024()))
    alice.refresh_from_db()
    profile = alice.profile
    profile.refresh_from_db()
    assert (alice.first_name, alice.last_name) == ("Zoé", "Lefèvre")
    assert profile.headline == "Ingénieure logiciel · Python, Django"
    assert profile.about == "Je construis des services web sobres.\nEt je les maintiens."
    assert profile.industry == "Software Development"
    assert profile.location == "Lyon, Auvergne-Rhône-Alpes, France"
    assert profile.websites == [
        {"url": "https://example.org/zoe", "label": "Company"},
        {"url": "https://zoe.example.net", "label": "Portfolio"},
        {"url": "https://twitter.com/zoe_codes", "label": "Twitter"},
    ]

    positions = list(profile.positions.order_by("order"))
    assert [(p.title, p.employer_name) for p in positions] == [
        ("Lead developer", "Acme Logiciels"),
        ("Developer", "Initech"),
        ("Intern", "Vandelay"),
    ]
    assert positions[0].organization == acme
    assert positions[0].is_current and positions[0].end_date is None
    assert positions[0].start_date == datetime.date(2021, 1, 1)
    assert positions[0].description == "• API design\n• Mentoring"
    assert (positions[1].start_date, positions[1].end_date) == (datetime.date(2016, 9, 1), datetime.date(2020, 12, 1))
    assert (positions[2].start_date, positions[2].end_date) == (datetime.date(2015, 1, 1), datetime.date(2015, 1, 1))

    education = profile.education.get()
    assert (education.school_name, education.degree, education.start_year, education.end_year) == (
        "INSA Lyon",
        "Diplôme d'ingénieur",
        2011,
        2016,
    )
    assert education.activities == "Robotics club"
    assert sorted(s.skill.name for s in profile.skills.select_related("skill")) == ["Django", "PostgreSQL", "Python"]
    assert {lang.name: lang.proficiency for lang in profile.languages.all()} == {
        "French": LanguageProficiency.NATIVE,
        "English": LanguageProficiency.FULL,
        "Spanish": LanguageProficiency.LIMITED,
    }
    cert = profile.certifications.get()
    assert (cert.name, cert.authority, cert.issued, cert.expires, cert.credential_id, cert.url) == (
        "Certified Kubernetes Administrator",
        "The Linux Foundation",
        datetime.date(2022, 3, 1),
        datetime.date(2025, 3, 1),
        "LF-123",
        "https://example.org/cka/123",
    )
    assert profile.projects.get().start_date == datetime.date(2024, 6, 1)
    assert profile.publications.get().date == datetime.date(2023, 4, 3)

    skipped = {(s.where, s.code) for s in report.skipped}
    assert ("Connections.csv", "file_contacts") in skipped
    assert ("messages.csv", "file_not_imported") in skipped
    assert ("Registration.csv", "file_not_imported") in skipped
    assert ("Profile.csv line 2: Birth Date", "not_stored") in skipped
    assert ("Profile.csv line 2: Zip Code", "not_stored") in skipped
    assert ("Education.csv line 2: Notes", "not_stored") in skipped
    assert not [s for s in report.skipped if s.code == "file_missing"]


def test_2018_export_without_certifications_and_with_old_columns(alice):
    e = "2018-11_full_export"
    files = {
        "Profile.csv": csv_file(
            e,
            "Profile.csv",
            [
                {
                    "First Name": "Abe",
                    "Last Name": "Old",
                    "Headline": "Engineer",
                    "Country": "India",
                    "Websites": "PORTFOLIO:http://abe.example.com, PORTFOLIO:https://abe.example.org",
                }
            ],
        ),
        "Positions.csv": csv_file(
            e, "Positions.csv", [{"Company Name": "Globex", "Title": "Engineer", "Started On": "Jun 2017"}]
        ),
        "Education.csv": csv_file(
            e, "Education.csv", [{"School Name": "IIT", "Start Date": "2012", "End Date": "2016"}]
        ),
        "Skills.csv": csv_file(e, "Skills.csv", [{"Name": "Java"}]),
        "Languages.csv": csv_file(e, "Languages.csv", [{"Name": "Hindi", "Proficiency": ""}]),
        "Projects.csv": csv_file(
            e, "Projects.csv", [{"Title": "Old thing", "Start Date": "Jan 2016", "End Date": "Mar 2016"}]
        ),
        "Connections.csv": csv_file(
            e, "Connections.csv", [{"First Name": "X", "Last Name": "Y", "Connected On": "1/8/18, 6:14 PM"}]
        ),
        # 2018 wrote some files as UTF-16 with tabs: not ours to import, and not an error.
        "Logins.csv": header_bytes(e, "Logins.csv"),
    }
    report = _import(alice, archive(files))
    profile = alice.profile
    profile.refresh_from_db()
    assert profile.headline == "Engineer"
    assert [w["url"] for w in profile.websites] == ["http://abe.example.com", "https://abe.example.org"]
    assert profile.positions.get().is_current
    project = profile.projects.get()
    assert (project.start_date, project.end_date) == (datetime.date(2016, 1, 1), datetime.date(2016, 3, 1))
    skipped = {(s.where, s.code) for s in report.skipped}
    assert ("Certifications.csv", "file_missing") in skipped
    assert ("Logins.csv", "file_not_imported") in skipped
    assert ("Profile.csv line 2: Country", "not_stored") in skipped


def test_files_in_a_folder_of_the_zip_are_found(alice):
    _import(alice, archive(export_2024(), folder="Complete_LinkedInDataExport_12-01-2024/"))
    assert alice.profile.positions.count() == 3


def test_missing_files_are_reported_not_fatal(alice):
    e = "2023-07_basic_export"
    files = {"Skills.csv": csv_file(e, "Skills.csv", [{"Name": "Rust"}]), "Rich Media.csv": b"x"}
    report = _import(alice, archive(files))
    assert alice.profile.skills.count() == 1
    missing = {s.where for s in report.skipped if s.code == "file_missing"}
    assert missing == {"Profile.csv", "Positions.csv", "Education.csv", "Languages.csv", "Certifications.csv"}
    assert ("Rich Media.csv", "file_not_imported") in {(s.where, s.code) for s in report.skipped}


def test_windows_1252_files_are_read_and_reported(alice):
    e = "2024-12_full_export"
    files = {
        "Positions.csv": csv_file(
            e,
            "Positions.csv",
            [{"Company Name": "Société Générale", "Title": "Analyste – marchés", "Started On": "Feb 2019"}],
            encoding="cp1252",
        )
    }
    report = _import(alice, archive(files))
    assert alice.profile.positions.get().company_name == "Société Générale"
    assert alice.profile.positions.get().title == "Analyste – marchés"
    note = next(s for s in report.skipped if s.code == "encoding")
    assert note.where == "Positions.csv"
    assert "Windows-1252" in note.message


def test_bad_rows_are_skipped_with_their_line(alice):
    e = "2024-12_full_export"
    files = {
        "Positions.csv": csv_file(
            e,
            "Positions.csv",
            [
                {"Company Name": "Acme", "Title": "Dev", "Started On": "Someday"},
                {"Company Name": "Acme", "Title": "", "Started On": "Jan 2020"},
                {"Company Name": "Acme", "Title": "Dev", "Started On": ""},
                {"Company Name": "Acme", "Title": "Ok", "Started On": "Jan 2020"},
            ],
        )
    }
    report = _import(alice, archive(files))
    assert list(alice.profile.positions.values_list("title", flat=True)) == ["Ok"]
    reasons = {s.where: s.code for s in report.skipped}
    assert reasons["Positions.csv line 2: Started On"] == "invalid_date"
    assert reasons["Positions.csv line 3"] == "missing"
    assert reasons["Positions.csv line 4"] == "missing"


def test_progress_is_reported(alice):
    calls = []
    _import(alice, archive(export_2024()), progress=lambda done, total: calls.append((done, total)))
    assert calls
    assert calls[-1][0] == calls[-1][1]
    assert [done for done, _total in calls] == sorted(done for done, _total in calls)


def test_a_failure_while_writing_rolls_everything_back(alice, monkeypatch):
    before = snapshot(alice)

    def explode(**kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(services.profile_services, "profile_skill_add", explode)
    with pytest.raises(RuntimeError):
        _import(alice, archive(export_2024()))
    assert snapshot(alice) == before


# ---------------------------------------------------------------------------------------
# Bad archives: a clear message, nothing changed
# ---------------------------------------------------------------------------------------
def _bomb() -> bytes:
    buffer = io.BytesIO()
    with (
        zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as zf,
        zf.open("Positions.csv", "w") as member,
    ):
        member.write(header_bytes("2024-12_full_export", "Positions.csv"))
        chunk = b"A" * (1024 * 1024)
        for _ in range(200):  # 200 MB uncompressed, ~200 KB compressed
            member.write(chunk)
    return buffer.getvalue()


def _encrypted_flag() -> bytes:
    """An archive whose member is marked as encrypted (bit 0 of the general-purpose flags, in
    the local header and the central directory): zipfile cannot write one itself."""
    data = bytearray(archive({"Skills.csv": b"Name\nPython\n"}))
    local = data.index(b"PK\x03\x04")
    central = data.index(b"PK\x01\x02")
    data[local + 6] |= 0x1
    data[central + 8] |= 0x1
    return bytes(data)


def _truncated() -> bytes:
    data = archive(export_2024())
    return data[: len(data) // 2]


def _corrupted_member() -> bytes:
    data = bytearray(archive({"Skills.csv": b"Name\n" + b"Python\n" * 2000}))
    data[60:80] = b"\x00" * 20  # inside the compressed data of the only member
    return bytes(data)


BAD_ARCHIVES = {
    "garbage": (lambda: os.urandom(300_000), "not_zip", "not a zip archive"),
    "truncated": (_truncated, "not_zip", "damaged"),
    "corrupted_member": (_corrupted_member, "not_zip", "damaged"),
    "empty": (lambda: b"", "not_zip", "not a zip archive"),
    "not_linkedin": (
        lambda: archive({"holiday.jpg": b"\xff\xd8\xff", "notes.txt": b"hi"}),
        "not_linkedin",
        "not a LinkedIn",
    ),
    "bomb": (_bomb, "too_large", "once uncompressed"),
    "encrypted": (_encrypted_flag, "encrypted", "password"),
    "binary_csv": (lambda: archive({"Skills.csv": b"Name\n\x00\x01\x02binary"}), "bad_csv", "binary data"),
    "wrong_header": (lambda: archive({"Positions.csv": b"Foo,Bar\n1,2\n"}), "bad_csv", "header line"),
    "utf16_without_bom": (lambda: archive({"Skills.csv": "Name\nPython\n".encode("utf-16-le")}), "bad_csv", None),
}


@pytest.mark.parametrize("case", list(BAD_ARCHIVES), ids=list(BAD_ARCHIVES))
def test_bad_archives_get_a_clear_message_and_change_nothing(alice, case):
    build, code, words = BAD_ARCHIVES[case]
    before = snapshot(alice)
    with pytest.raises(ImportRefused) as refused:
        _import(alice, build())
    assert refused.value.code == code
    if words:
        assert words in refused.value.message
    assert "nothing was imported" in refused.value.message.lower()
    assert snapshot(alice) == before


def test_fifty_megabytes_of_garbage(alice):
    before = snapshot(alice)
    with pytest.raises(ImportRefused) as refused:
        _import(alice, os.urandom(50 * 1024 * 1024))
    assert refused.value.code == "not_zip"
    assert snapshot(alice) == before


def test_check_refuses_before_anything_is_queued():
    with pytest.raises(ImportRefused):
        linkedin.check(io.BytesIO(b"PK\x03\x04 not really"))
    linkedin.check(io.BytesIO(archive(export_2024())))


# ---------------------------------------------------------------------------------------
# The background job
# ---------------------------------------------------------------------------------------
@pytest.fixture
def import_dir(settings, tmp_path):
    settings.CARNET_IMPORT_DIR = tmp_path / "imports"
    return settings.CARNET_IMPORT_DIR


class _Upload(io.BytesIO):
    def chunks(self):
        yield self.getvalue()


def test_job_runs_the_import_and_keeps_the_report(alice, import_dir, django_capture_on_commit_callbacks):
    path = uploads.stash(_Upload(archive(export_2024())))
    with django_capture_on_commit_callbacks(execute=True):
        job = services.linkedin_import_start(user=alice, path=str(path))
    job.refresh_from_db()
    assert job.status == JobStatus.DONE
    assert job.report["imported"]["positions"] == 3
    assert job.done == job.total and job.percent == 100
    assert not path.exists()
    assert alice.profile.positions.count() == 3


def test_job_of_a_refused_archive_fails_with_the_message(alice, import_dir, django_capture_on_commit_callbacks):
    path = uploads.stash(_Upload(archive({"Positions.csv": b"Foo,Bar\n"})))
    with django_capture_on_commit_callbacks(execute=True):
        job = services.linkedin_import_start(user=alice, path=str(path))
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert "header line" in job.message
    assert not path.exists()


def test_job_refuses_a_path_outside_the_import_folder(alice, import_dir, tmp_path):
    from carnet.profiles.portability.tasks import linkedin_import_run

    elsewhere = tmp_path / "secret.zip"
    elsewhere.write_bytes(archive(export_2024()))
    job = services.job_create(owner=alice, kind=services.JOB_KIND_LINKEDIN)
    linkedin_import_run.call(job_id=job.pk, path=str(elsewhere))
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert elsewhere.exists()
    assert alice.profile.positions.count() == 0
    assert Job.objects.filter(owner=alice).count() == 1


# ---------------------------------------------------------------------------------------
# CLI
# ---------------------------------------------------------------------------------------
def test_cli_import(alice, tmp_path, capsys):
    path = tmp_path / "Basic_LinkedInDataExport.zip"
    path.write_bytes(archive(export_2024()))
    call_command("linkedin", "import", str(path), "--member", "alice@example.org")
    out = capsys.readouterr().out
    assert "Imported Positions: 3" in out
    assert "Skipped Connections.csv" in out
    assert alice.profile.positions.count() == 3


def test_cli_refused_archive(alice, tmp_path):
    path = tmp_path / "garbage.zip"
    path.write_bytes(os.urandom(10_000))
    before = snapshot(alice)
    with pytest.raises(CommandError, match="not a zip archive"):
        call_command("linkedin", "import", str(path), "--member", "alice@example.org")
    assert snapshot(alice) == before


# ---------------------------------------------------------------------------------------
# The CSV helpers (shared with the address-book import)
# ---------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Jan 2019", datetime.date(2019, 1, 1)),
        ("Sept 2019", datetime.date(2019, 9, 1)),
        ("November 2022", datetime.date(2022, 11, 1)),
        ("2019", datetime.date(2019, 1, 1)),
        ("Apr 3, 2023", datetime.date(2023, 4, 3)),
        ("04 Jul 2023", datetime.date(2023, 7, 4)),
        ("1/8/18, 6:14 PM", datetime.date(2018, 1, 8)),
        ("10/25/17, 4:50 PM", datetime.date(2017, 10, 25)),
        ("04/15/24, 09:25 PM", datetime.date(2024, 4, 15)),
        ("2023/07/04 12:00:00 UTC", datetime.date(2023, 7, 4)),
        ("2023-07-04", datetime.date(2023, 7, 4)),
        ("Tue Jun 20 12:25:51 UTC 2023", datetime.date(2023, 6, 20)),
        ("", None),
    ],
)
def test_linkedin_dates(text, expected):
    assert linkedin_csv.parse_date(text, today=datetime.date(2025, 1, 1)) == expected


@pytest.mark.parametrize("text", ["Someday", "Foo 2019", "13/45/19", "Mar 14"])
def test_linkedin_non_dates(text):
    with pytest.raises(ValueError):
        linkedin_csv.parse_date(text)


def test_two_digit_years_pivot_on_today():
    assert linkedin_csv.parse_date("1/1/70", today=datetime.date(2025, 1, 1)) == datetime.date(1970, 1, 1)
    assert linkedin_csv.parse_date("1/1/26", today=datetime.date(2025, 1, 1)) == datetime.date(2026, 1, 1)


@pytest.mark.parametrize("export", ["2023-07_basic_export", "2024-12_full_export"])
def test_read_table_skips_the_notes_preamble(export):
    data = (
        header_bytes(export, "Connections.csv")
        + b"Bob,Durand,https://www.linkedin.com/in/bob,,Initech,Dev,04 Jul 2023\n"
    )
    table = linkedin_csv.read_table(data, name="Connections.csv", required={"First Name", "Last Name"})
    assert table.header[:3] == ["First Name", "Last Name", "URL"]
    assert table.rows == [
        (
            5,
            {
                "First Name": "Bob",
                "Last Name": "Durand",
                "URL": "https://www.linkedin.com/in/bob",
                "Email Address": "",
                "Company": "Initech",
                "Position": "Dev",
                "Connected On": "04 Jul 2023",
            },
        )
    ]


def test_read_table_reads_2018_utf16_tab_files():
    data = header_bytes("2018-11_full_export", "Logins.csv")
    data += '"2018-11-01 10:00:00 UTC"\t"1.2.3.4"\t"Firefox"\t"WEB"\n'.encode("utf-16-le")
    table = linkedin_csv.read_table(data, name="Logins.csv", required={"Login Date", "IP Address"})
    assert table.encoding == "utf-16"
    assert table.header == ["Login Date", "IP Address", "User Agent", "Login Type"]
    assert table.rows[0][1]["User Agent"] == "Firefox"


def test_decode_falls_back_and_says_so():
    assert linkedin_csv.decode("Zoé".encode()) == ("Zoé", "utf-8")
    assert linkedin_csv.decode(b"\xef\xbb\xbfZo\xc3\xa9") == ("Zoé", "utf-8")
    assert linkedin_csv.decode("Zoé – ok".encode("cp1252")) == ("Zoé – ok", "cp1252")
    assert linkedin_csv.decode(b"Zo\xe9 \x81") == ("Zoé \x81", "latin-1")
    with pytest.raises(linkedin_csv.CsvError):
        linkedin_csv.decode(b"Name\n\x00\x00")
