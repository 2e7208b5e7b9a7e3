"""JSON Resume import and export: every fixture case of the schema's own test suite, the
mapping onto Carnet's profile, the round trip, bad files, and the CLI."""

from __future__ import annotations

import datetime
import json
import os

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from carnet.organizations.models import OrganizationKind
from carnet.profiles.models import LanguageProficiency, Position
from carnet.profiles.portability import jsonresume, selectors, services
from carnet.profiles.portability.report import ImportRefused
from tests.factories import OrganizationFactory, PositionFactory
from tests.profiles.portability_support import JSONRESUME, SAMPLE, dump, new_member, sample_bytes, snapshot

pytestmark = pytest.mark.django_db


# ---------------------------------------------------------------------------------------
# The schema's fixture cases. test_fixtures/<section>.json holds named cases, a
# "<field>Valid" / "<field>Invalid" pair per property (and "valid"/"invalid" in
# schema.json); legacy_examples_2020 holds whole files under valid/ and invalid/. dates.json
# holds bare date strings, not resumes: see test_fixture_dates.
# ---------------------------------------------------------------------------------------
def _kind(name: str) -> str | None:
    if "Invalid" in name or name == "invalid":
        return "invalid"
    if "Valid" in name or name == "valid":
        return "valid"
    return None


def _cases():
    for version in ("resume-schema-1.2.1", "schema-1.3.1"):
        for path in sorted((JSONRESUME / version / "test_fixtures").glob("*.json")):
            if path.name == "dates.json":
                continue
            for name, document in json.loads(path.read_text(encoding="utf-8")).items():
                kind = _kind(name)
                assert kind, f"unclassified case {path.name}:{name}"
                yield pytest.param(document, kind, id=f"{version}/{path.stem}/{name}")
    legacy = JSONRESUME / "resume-schema-1.2.1" / "legacy_examples_2020"
    for kind in ("valid", "invalid"):
        for path in sorted((legacy / kind).glob("*.json")):
            yield pytest.param(json.loads(path.read_text(encoding="utf-8")), kind, id=f"legacy/{kind}/{path.stem}")


CASES = list(_cases())
VALID = [case for case in CASES if case.values[1] == "valid"]
INVALID = [case for case in CASES if case.values[1] == "invalid"]


def _null_paths(value, path=""):
    if value is None:
        return [path]
    if isinstance(value, dict):
        return [p for key, item in value.items() for p in _null_paths(item, f"{path}.{key}" if path else key)]
    if isinstance(value, list):
        return [p for index, item in enumerate(value) for p in _null_paths(item, f"{path}[{index}]")]
    return []


def test_fixture_suite_is_complete():
    # Per schema version 118 valid and 96 invalid named cases (218 with dates.json), plus the
    # 5 legacy files: a changed fixture folder must not go unnoticed.
    assert len(VALID) == 2 * 118 + 3
    assert len(INVALID) == 2 * 96 + 2


@pytest.mark.parametrize(("document", "kind"), VALID)
@pytest.mark.parametrize("strict", [False, True], ids=["tolerant", "strict"])
def test_every_valid_case_imports(document, kind, strict):
    member = new_member()
    report = services.resume_import(user=member, data=dump(document), strict=strict)
    assert report.source == "jsonresume"


@pytest.mark.parametrize(("document", "kind"), INVALID)
def test_every_invalid_case_is_refused_in_strict_mode(document, kind):
    member = new_member()
    before = snapshot(member)
    with pytest.raises(ImportRefused) as refused:
        services.resume_import(user=member, data=dump(document), strict=True)
    assert refused.value.code == "schema"
    assert "not a valid JSON Resume" in refused.value.message
    # Each problem names where it is in the file and what was expected.
    assert refused.value.details
    for line in refused.value.details:
        where, _sep, what = line.partition(": ")
        assert where and what, line
    assert snapshot(member) == before


@pytest.mark.parametrize(("document", "kind"), INVALID)
def test_invalid_cases_by_default_nulls_count_as_absent_and_the_rest_is_refused(document, kind):
    """By default (the issue: "null values count as absent") a case whose only fault is a
    null imports, the null reported at its place; any other fault is refused."""
    member = new_member()
    before = snapshot(member)
    nulls = _null_paths(document)
    if nulls:
        report = services.resume_import(user=member, data=dump(document))
        reported = {skip.where for skip in report.skipped if skip.code == "null"}
        assert set(nulls) <= reported
    else:
        with pytest.raises(ImportRefused) as refused:
            services.resume_import(user=member, data=dump(document))
        assert refused.value.details
        assert snapshot(member) == before


def test_strict_refusal_of_a_null_says_where_and_what():
    member = new_member()
    with pytest.raises(ImportRefused) as refused:
        services.resume_import(user=member, data=dump({"work": [{"endDate": None}]}), strict=True)
    assert refused.value.details == ["work[0].endDate: expected text, found null."]


def test_fixture_dates():
    cases = json.loads((JSONRESUME / "schema-1.3.1" / "test_fixtures" / "dates.json").read_text())
    assert jsonresume.parse_date(cases["yearMonthDay"]) == datetime.date(2013, 12, 2)
    assert jsonresume.parse_date(cases["yearMonth"]) == datetime.date(2013, 12, 1)
    assert jsonresume.parse_date(cases["year"]) == datetime.date(2013, 1, 1)
    with pytest.raises(ValueError):
        jsonresume.parse_date(cases["invalid"])
    with pytest.raises(ImportRefused) as refused:
        services.resume_import(user=new_member(), data=dump({"work": [{"startDate": cases["invalid"]}]}))
    assert "work[0].startDate" in refused.value.details[0]
    assert "YYYY, YYYY-MM or YYYY-MM-DD" in refused.value.details[0]


def test_schema_1_3_1_accepts_and_refuses_the_same_documents_as_the_packaged_1_2_1():
    """Only 1.2.1 is packaged: 1.3.1 differs by dropping "additionalItems" beside
    single-schema "items", which draft-07 ignores."""
    packaged = json.loads(jsonresume.SCHEMA_PATH.read_text())
    assert packaged == json.loads((JSONRESUME / "resume-schema-1.2.1" / "schema.json").read_text())
    newer = json.loads((JSONRESUME / "schema-1.3.1" / "schema.json").read_text())

    def without_additional_items(node):
        if isinstance(node, dict):
            return {k: without_additional_items(v) for k, v in node.items() if k != "additionalItems"}
        if isinstance(node, list):
            return [without_additional_items(v) for v in node]
        return node

    assert without_additional_items(packaged) == without_additional_items(newer)


# ---------------------------------------------------------------------------------------
# Mapping
# ---------------------------------------------------------------------------------------
def test_sample_resume_maps_onto_the_profile(alice):
    acme = OrganizationFactory(name="PIED PIPER", slug="pied-piper")
    report = services.resume_import(user=alice, data=sample_bytes())
    alice.refresh_from_db()
    profile = alice.profile
    profile.refresh_from_db()
    assert (alice.first_name, alice.last_name) == ("Richard", "Hendriks")
    assert profile.headline == "Programmer"
    assert profile.about.startswith("Richard hails from Tulsa.")
    assert profile.location == "San Francisco, California, US"
    assert profile.contact_email == "richard.hendriks@mail.com"
    assert profile.phone == "(912) 555-4321"
    assert profile.websites == [
        {"url": "http://richardhendricks.example.com", "label": ""},
        {"url": "https://www.twitter.com", "label": "Twitter"},
        {"url": "https://soundcloud.example.com/dandymusicnl", "label": "SoundCloud"},
    ]

    position = profile.positions.get()
    assert position.organization == acme  # linked by case-insensitive name
    assert position.title == "CEO/President"
    assert position.location == "Palo Alto, CA"
    assert (position.start_date, position.end_date, position.is_current) == (
        datetime.date(2013, 12, 1),
        datetime.date(2014, 12, 1),
        False,
    )
    assert "• Successfully won Techcrunch Disrupt" in position.description

    education = profile.education.get()
    assert (education.school_name, education.degree, education.field_of_study) == (
        "University of Oklahoma",
        "Bachelor",
        "Information Technology",
    )
    assert (education.start_year, education.end_year) == (2011, 2014)
    assert education.organization is None  # no school page of that name: free text

    assert [s.skill.name for s in profile.skills.select_related("skill")] == [
        "Web Development",
        "HTML",
        "CSS",
        "Javascript",
        "Compression",
        "Mpeg",
        "MP4",
        "GIF",
    ]
    language = profile.languages.get()
    assert (language.name, language.proficiency) == ("English", LanguageProficiency.NATIVE)
    assert profile.volunteering.get().role == "Teacher"
    publication = profile.publications.get()
    assert (publication.title, publication.date) == ("Video compression for 3d media", datetime.date(2014, 10, 1))
    project = profile.projects.get()
    assert (project.name, project.url) == ("Miss Direction", "http://missdirection.example.com")

    assert report.imported == {
        "positions": 1,
        "education": 1,
        "languages": 1,
        "volunteering": 1,
        "projects": 1,
        "publications": 1,
        "skills": 8,
    }
    skipped = {(s.where, s.code) for s in report.skipped}
    for expected in [
        ("awards", "no_section"),
        ("interests", "no_section"),
        ("references", "no_section"),
        ("meta", "metadata"),
        ("basics.location.address", "not_stored"),
        ("basics.location.postalCode", "not_stored"),
        ("work[0].url", "not_stored"),
        ("work[0].highlights", "merged"),
        ("education[0].score", "not_stored"),
        ("education[0].courses", "not_stored"),
        ("skills[0].level", "not_stored"),
        ("projects[0].roles", "not_stored"),
    ]:
        assert expected in skipped, expected


def test_unknown_properties_are_ignored_and_reported(alice):
    document = {
        "basics": {"name": "Alice Martin", "pronouns": "she/her", "location": {"city": "Lyon", "planet": "Earth"}},
        "work": [{"name": "Acme", "position": "Dev", "startDate": "2020", "team": "Core"}],
        "hobbies": ["chess"],
        "meta": {"theme": "elegant"},
    }
    report = services.resume_import(user=alice, data=dump(document))
    unknown = {s.where for s in report.skipped if s.code == "unknown_property"}
    assert unknown == {"basics.pronouns", "basics.location.planet", "work[0].team", "hobbies", "meta.theme"}
    assert alice.profile.positions.count() == 1
    assert all("not part of the JSON Resume schema" in s.message for s in report.skipped if s.where in unknown)


def test_nulls_count_as_absent_in_real_files(alice):
    """A real theme fixture writes "endDate": null for current jobs."""
    path = JSONRESUME / "schema-1.3.1" / "other_fixtures" / "theme-reference_complete-resume.json"
    report = services.resume_import(user=alice, data=path.read_bytes())
    nulls = [s.where for s in report.skipped if s.code == "null"]
    assert "work[0].endDate" in nulls
    current = alice.profile.positions.get(company_name="TechCorp Inc")
    assert current.is_current and current.end_date is None


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2019", datetime.date(2019, 1, 1)),
        ("2019-07", datetime.date(2019, 7, 1)),
        ("2019-07-14", datetime.date(2019, 7, 14)),
    ],
)
def test_the_three_date_forms(alice, value, expected):
    services.resume_import(user=alice, data=dump({"work": [{"name": "Acme", "position": "Dev", "startDate": value}]}))
    assert alice.profile.positions.get().start_date == expected


def test_a_date_that_does_not_exist_refuses_the_file(alice):
    before = snapshot(alice)
    document = {
        "basics": {"label": "Changed"},
        "work": [{"name": "Acme", "position": "Dev", "startDate": "2019-02-30"}],
    }
    with pytest.raises(ImportRefused) as refused:
        services.resume_import(user=alice, data=dump(document))
    assert refused.value.details == ["work[0].startDate: 2019-02-30 is not a real date."]
    assert snapshot(alice) == before


@pytest.mark.parametrize(
    ("fluency", "level"),
    [
        ("Native speaker", LanguageProficiency.NATIVE),
        ("Fluent", LanguageProficiency.FULL),
        ("C1", LanguageProficiency.FULL),
        ("Professional working proficiency", LanguageProficiency.PROFESSIONAL),
        ("Full professional proficiency", LanguageProficiency.FULL),
        ("Limited working proficiency", LanguageProficiency.LIMITED),
        ("Intermediate", LanguageProficiency.LIMITED),
        ("Beginner", LanguageProficiency.ELEMENTARY),
        ("Elementary proficiency", LanguageProficiency.ELEMENTARY),
    ],
)
def test_fluency_maps_to_proficiency(alice, fluency, level):
    services.resume_import(user=alice, data=dump({"languages": [{"language": "German", "fluency": fluency}]}))
    assert alice.profile.languages.get().proficiency == level


def test_unknown_fluency_keeps_the_language_and_says_so(alice):
    report = services.resume_import(user=alice, data=dump({"languages": [{"language": "Klingon", "fluency": "Qapla"}]}))
    assert alice.profile.languages.get().proficiency == ""
    assert [(s.where, s.code) for s in report.skipped] == [("languages[0].fluency", "unknown_fluency")]


def test_items_carnet_cannot_hold_are_skipped_with_a_reason(alice):
    document = {
        "work": [
            {"name": "Acme", "startDate": "2020"},
            {"position": "Dev", "startDate": "2020"},
            {"name": "Acme", "position": "Dev"},
            {"name": "Acme", "position": "Dev", "startDate": "2020-01", "endDate": "2019-01"},
        ],
        "certificates": [{"name": "CKA", "url": "not a url"}],
    }
    report = services.resume_import(user=alice, data=dump(document))
    reasons = {s.where: s for s in report.skipped}
    assert "position title" in reasons["work[0]"].message
    assert "company name" in reasons["work[1]"].message
    assert "start date" in reasons["work[2]"].message
    assert reasons["work[3]"].code == "invalid" and "end date" in reasons["work[3]"].message.lower()
    assert reasons["certificates[0].url"].code == "invalid_url"
    assert alice.profile.positions.count() == 0
    assert alice.profile.certifications.get().url == ""


def test_long_text_is_shortened_and_reported(alice):
    report = services.resume_import(user=alice, data=dump({"basics": {"label": "x" * 500}}))
    alice.profile.refresh_from_db()
    assert len(alice.profile.headline) == 220
    assert ("basics.label", "truncated") in {(s.where, s.code) for s in report.skipped}


def test_importing_twice_duplicates_nothing(alice):
    services.resume_import(user=alice, data=sample_bytes())
    before = snapshot(alice)
    report = services.resume_import(user=alice, data=sample_bytes())
    assert snapshot(alice) == before
    assert report.imported == {}
    assert {s.code for s in report.skipped} >= {"duplicate"}


def test_import_adds_to_what_is_there_in_the_file_order(alice):
    PositionFactory(profile=alice.profile, title="Existing", organization=None, company_name="Old Co")
    document = {
        "work": [
            {"name": "B Co", "position": "Newest", "startDate": "2022"},
            {"name": "A Co", "position": "Older", "startDate": "2018", "endDate": "2021"},
        ]
    }
    services.resume_import(user=alice, data=dump(document))
    titles = list(alice.profile.positions.order_by("order").values_list("title", flat=True))
    assert titles == ["Newest", "Older", "Existing"]


def test_a_failure_while_writing_rolls_everything_back(alice, monkeypatch):
    before = snapshot(alice)

    def explode(**kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(services.profile_services, "profile_skill_add", explode)
    with pytest.raises(RuntimeError):
        services.resume_import(user=alice, data=sample_bytes())
    assert snapshot(alice) == before


# ---------------------------------------------------------------------------------------
# Bad files: a clear message, nothing written
# ---------------------------------------------------------------------------------------
BAD_FILES = {
    "broken_json": ((JSONRESUME / "resume-cli" / "resume_bad.json").read_bytes(), "not_json", "not valid JSON"),
    "latin1": ('{"basics": {"name": "Zoé Lefèvre"}}'.encode("latin-1"), "encoding", "not UTF-8"),
    "array": (b'[{"basics": {}}]', "not_object", "holds a list"),
    "string": (b'"resume"', "not_object", "holds text"),
    "empty": (b"  \n", "empty", "empty"),
    "nan": (b'{"basics": {"name": NaN}}', "not_json", "NaN"),
    "garbage": (os.urandom(200_000), None, None),
}


@pytest.mark.parametrize("case", list(BAD_FILES), ids=list(BAD_FILES))
def test_bad_files_get_a_clear_message_and_change_nothing(alice, case):
    data, code, words = BAD_FILES[case]
    before = snapshot(alice)
    with pytest.raises(ImportRefused) as refused:
        services.resume_import(user=alice, data=data)
    if code:
        assert refused.value.code == code
        assert words in refused.value.message
    else:
        assert refused.value.code in {"encoding", "not_json", "not_object"}
    assert snapshot(alice) == before


def test_broken_json_says_where(alice):
    with pytest.raises(ImportRefused) as refused:
        services.resume_import(user=alice, data=b'{"basics": {"name": "A",}}')
    assert "line 1, column 25" in refused.value.message


def test_fifty_megabytes_of_garbage_are_refused_by_size(alice):
    before = snapshot(alice)
    with pytest.raises(ImportRefused) as refused:
        services.resume_import(user=alice, data=os.urandom(50 * 1024 * 1024))
    assert refused.value.code == "too_large"
    assert "too large" in refused.value.message
    assert snapshot(alice) == before


# ---------------------------------------------------------------------------------------
# Export and round trip
# ---------------------------------------------------------------------------------------
def _comparable(document: dict) -> dict:
    """The fields both the schema and Carnet hold: everything but the file's metadata and
    the photo (an image URL Carnet does not download)."""
    document = json.loads(json.dumps(document))
    document.pop("meta", None)
    document.get("basics", {}).pop("image", None)
    return document


def test_export_is_a_valid_json_resume(alice):
    services.resume_import(user=alice, data=sample_bytes())
    document = selectors.resume_export_for_member(user=alice)
    jsonresume.validate(document)
    assert document["basics"]["name"] == "Richard Hendriks"
    assert document["work"][0]["position"] == "CEO/President"
    assert document["languages"] == [{"language": "English", "fluency": "Native or bilingual proficiency"}]


def test_round_trip_loses_no_shared_field(alice, mallory):
    OrganizationFactory(name="Pied Piper", slug="pied-piper", website="https://piedpiper.example.com")
    OrganizationFactory(name="University of Oklahoma", slug="ou", kind=OrganizationKind.SCHOOL)
    services.resume_import(user=alice, data=sample_bytes())
    first = selectors.resume_export_for_member(user=alice)
    services.resume_import(user=mallory, data=json.dumps(first).encode())
    second = selectors.resume_export_for_member(user=mallory)
    assert _comparable(second) == _comparable(first)

    # And what the export holds is what the sample held, for the shared fields.
    sample = json.loads(SAMPLE.read_text())
    assert first["basics"]["location"] == {"city": "San Francisco", "region": "California", "countryCode": "US"}
    assert first["education"][0]["startDate"] == "2011"
    assert first["work"][0]["startDate"] == sample["work"][0]["startDate"]
    assert first["work"][0]["endDate"] == sample["work"][0]["endDate"]
    assert first["publications"][0]["releaseDate"] == sample["publications"][0]["releaseDate"]


def test_round_trip_of_every_real_example(alice):
    for path in sorted((JSONRESUME / "schema-1.3.1" / "examples").glob("*.json")):
        member, other = new_member(), new_member()
        services.resume_import(user=member, data=path.read_bytes())
        first = selectors.resume_export_for_member(user=member)
        services.resume_import(user=other, data=json.dumps(first).encode())
        assert _comparable(selectors.resume_export_for_member(user=other)) == _comparable(first), path.name


def test_export_for_another_viewer_goes_through_the_policy(alice, bob, mallory):
    alice.profile.contact_email = "alice@work.example"
    alice.profile.save()
    PositionFactory(profile=alice.profile, title="CTO")
    own = selectors.resume_export(profile=alice.profile, viewer=alice)
    to_connection = selectors.resume_export(profile=alice.profile, viewer=bob)
    to_stranger = selectors.resume_export(profile=alice.profile, viewer=mallory)
    assert own["basics"]["email"] == "alice@work.example"
    assert to_connection["basics"]["email"] == "alice@work.example"
    assert "email" not in to_stranger["basics"]
    assert to_stranger["work"][0]["position"] == "CTO"  # positions are public by default


# ---------------------------------------------------------------------------------------
# CLI
# ---------------------------------------------------------------------------------------
def test_cli_import_prints_the_report(alice, capsys):
    call_command("resume", "import", str(SAMPLE), "--member", "ALICE@example.org")
    out = capsys.readouterr().out
    assert "Imported Positions: 1" in out
    assert "Skipped awards: Carnet has no section for this" in out
    assert Position.objects.filter(profile=alice.profile, title="CEO/President").exists()


def test_cli_refused_file_exits_non_zero_and_changes_nothing(alice, monkeypatch, capsys):
    from carnet.cli import main

    before = snapshot(alice)
    bad = JSONRESUME / "resume-cli" / "resume_bad.json"
    # run_from_argv closes the connections when it ends; keep the test's transaction open.
    monkeypatch.setattr("django.db.connections.close_all", lambda: None)
    with pytest.raises(SystemExit) as exited:
        main(["resume", "import", str(bad), "--member", "alice@example.org"])
    assert exited.value.code == 1
    assert "not valid JSON" in capsys.readouterr().err
    assert snapshot(alice) == before


def test_cli_unknown_member(db):
    with pytest.raises(CommandError, match="No member"):
        call_command("resume", "export", "--member", "nobody@example.org")


def test_cli_export_to_stdout_and_file(alice, tmp_path, capsys):
    services.resume_import(user=alice, data=sample_bytes())
    call_command("resume", "export", "--member", "alice@example.org")
    printed = json.loads(capsys.readouterr().out)
    assert printed["basics"]["name"] == "Richard Hendriks"
    target = tmp_path / "out.json"
    call_command("resume", "export", "--member", "alice@example.org", "--output", str(target))
    assert json.loads(target.read_text()) == printed
