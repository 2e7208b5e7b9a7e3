"""Helpers of the portability tests: fixture paths, a snapshot of everything an import may
write (to prove a refused file changed nothing), and LinkedIn archives built in memory from
the real header lines of tests/fixtures/linkedin/real_export_headers with made-up rows."""

from __future__ import annotations

import csv
import io
import json
import uuid
import zipfile
from pathlib import Path

from carnet.accounts.models import User
from carnet.organizations.models import Organization
from carnet.profiles.models import (
    Certification,
    Education,
    Language,
    Position,
    Profile,
    ProfileSkill,
    Project,
    Publication,
    Skill,
    Volunteering,
)

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
JSONRESUME = FIXTURES / "jsonresume"
LINKEDIN_HEADERS = FIXTURES / "linkedin" / "real_export_headers"
SAMPLE = JSONRESUME / "resume-schema-1.2.1" / "sample.resume.json"


def new_member() -> User:
    """A member with a profile, without hashing a password (hundreds of cases create one)."""
    from carnet.accounts.services import member_create

    return member_create(email=f"member-{uuid.uuid4().hex[:12]}@example.org")


def sample_bytes() -> bytes:
    return SAMPLE.read_bytes()


def dump(document) -> bytes:
    return json.dumps(document).encode()


def snapshot(user: User) -> dict:
    """Everything an import may write for `user` (and the shared catalogues), comparable."""
    user.refresh_from_db()
    profile = Profile.objects.get(pk=user.pk)
    fields = ("headline", "about", "location", "industry", "contact_email", "phone", "websites")
    return {
        "user": (user.first_name, user.last_name),
        "profile": {name: getattr(profile, name) for name in fields},
        "counts": {
            model.__name__: model.objects.filter(profile=profile).count()
            for model in (
                Position,
                Education,
                ProfileSkill,
                Language,
                Certification,
                Volunteering,
                Project,
                Publication,
            )
        },
        "skills": Skill.objects.count(),
        "organizations": Organization.objects.count(),
    }


# ---------------------------------------------------------------------------------------
# LinkedIn archives
# ---------------------------------------------------------------------------------------
def header_bytes(export: str, name: str) -> bytes:
    """The exact bytes LinkedIn wrote up to and including the header line."""
    return (LINKEDIN_HEADERS / export / name).read_bytes()


def header_columns(export: str, name: str) -> list[str]:
    data = header_bytes(export, name)
    text = data.decode("utf-16") if data.startswith(b"\xff\xfe") else data.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    return [cell for cell in rows[-1]]


def csv_file(export: str, name: str, rows: list[dict], *, encoding: str = "utf-8") -> bytes:
    """A file made of LinkedIn's real header bytes followed by `rows` (missing columns empty)."""
    columns = header_columns(export, name)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    for row in rows:
        unknown = set(row) - set(columns)
        assert not unknown, f"{name} of {export} has no column {unknown}"
        writer.writerow([row.get(column, "") for column in columns])
    head = header_bytes(export, name)
    if encoding != "utf-8":
        head = head.decode("utf-8").encode(encoding)
    if not head.endswith(b"\n"):
        head += b"\n"
    return head + out.getvalue().encode(encoding)


def archive(files: dict[str, bytes], *, folder: str = "") -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, data in files.items():
            zf.writestr(f"{folder}{name}", data)
    return buffer.getvalue()


def export_2024() -> dict[str, bytes]:
    """A 2024-style full export: Profile, Positions, Education, Skills, Languages,
    Certifications, Projects, Publications, Connections and a few files we do not import."""
    e = "2024-12_full_export"
    return {
        "Profile.csv": csv_file(
            e,
            "Profile.csv",
            [
                {
                    "First Name": "Zoé",
                    "Last Name": "Lefèvre",
                    "Headline": "Ingénieure logiciel · Python, Django",
                    "Summary": "Je construis des services web sobres.\nEt je les maintiens.",
                    "Industry": "Software Development",
                    "Geo Location": "Lyon, Auvergne-Rhône-Alpes, France",
                    "Birth Date": "Mar 14",
                    "Zip Code": "69003",
                    "Websites": "[COMPANY:https://example.org/zoe,PORTFOLIO:https://zoe.example.net]",
                    "Twitter Handles": "[zoe_codes]",
                }
            ],
        ),
        "Positions.csv": csv_file(
            e,
            "Positions.csv",
            [
                {
                    "Company Name": "Acme Logiciels",
                    "Title": "Lead developer",
                    "Description": "• API design\n• Mentoring",
                    "Location": "Lyon, France",
                    "Started On": "Jan 2021",
                    "Finished On": "",
                },
                {
                    "Company Name": "Initech",
                    "Title": "Developer",
                    "Description": "",
                    "Location": "Paris",
                    "Started On": "Sep 2016",
                    "Finished On": "Dec 2020",
                },
                {
                    "Company Name": "Vandelay",
                    "Title": "Intern",
                    "Started On": "2015",
                    "Finished On": "2015",
                },
            ],
        ),
        "Education.csv": csv_file(
            e,
            "Education.csv",
            [
                {
                    "School Name": "INSA Lyon",
                    "Start Date": "2011",
                    "End Date": "2016",
                    "Notes": "Major in distributed systems",
                    "Degree Name": "Diplôme d'ingénieur",
                    "Activities": "Robotics club",
                }
            ],
        ),
        "Skills.csv": csv_file(e, "Skills.csv", [{"Name": "Python"}, {"Name": "Django"}, {"Name": "PostgreSQL"}]),
        "Languages.csv": csv_file(
            e,
            "Languages.csv",
            [
                {"Name": "French", "Proficiency": "Native or bilingual proficiency"},
                {"Name": "English", "Proficiency": "Full professional proficiency"},
                {"Name": "Spanish", "Proficiency": "Limited working proficiency"},
            ],
        ),
        "Certifications.csv": csv_file(
            e,
            "Certifications.csv",
            [
                {
                    "Name": "Certified Kubernetes Administrator",
                    "Url": "https://example.org/cka/123",
                    "Authority": "The Linux Foundation",
                    "Started On": "Mar 2022",
                    "Finished On": "Mar 2025",
                    "License Number": "LF-123",
                }
            ],
        ),
        "Projects.csv": csv_file(
            e,
            "Projects.csv",
            [{"Title": "Carnet", "Description": "A professional network", "Started On": "Jun 2024"}],
        ),
        "Publications.csv": csv_file(
            e,
            "Publications.csv",
            [{"Name": "Sober web services", "Published On": "Apr 3, 2023", "Publisher": "Blog"}],
        ),
        "Connections.csv": header_bytes(e, "Connections.csv")
        + b"Bob,Durand,https://www.linkedin.com/in/bob,,Initech,Developer,04 Jul 2023\n",
        "messages.csv": header_bytes(e, "messages.csv"),
        "Registration.csv": header_bytes(e, "Registration.csv"),
    }
