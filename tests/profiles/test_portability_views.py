"""Portability pages: the import/export page, report and progress pages, and the vCard of
a profile, each with anonymous / another member / owner access."""

from __future__ import annotations

import json
import os

import pytest
import vobject
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from carnet.core.models import Job, JobStatus
from carnet.network.models import Block
from carnet.profiles.portability import services
from tests.factories import PositionFactory
from tests.profiles.portability_support import archive, export_2024, sample_bytes, snapshot

pytestmark = pytest.mark.django_db

INDEX = reverse("profiles:portability")
EXPORT = reverse("profiles:resume_export")
RESUME_IMPORT = reverse("profiles:resume_import")
LINKEDIN_IMPORT = reverse("profiles:linkedin_import")


@pytest.fixture(autouse=True)
def _import_dir(settings, tmp_path):
    settings.CARNET_IMPORT_DIR = tmp_path / "imports"


def _file(data: bytes, name: str = "resume.json", content_type: str = "application/json"):
    return SimpleUploadedFile(name, data, content_type=content_type)


# ---------------------------------------------------------------------------------------
# The page
# ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("url", [INDEX, EXPORT])
def test_anonymous_is_sent_to_sign_in(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_anonymous_cannot_import(client, alice):
    response = client.post(RESUME_IMPORT, {"file": _file(sample_bytes())})
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]
    assert Job.objects.count() == 0


def test_owner_sees_the_page(alice_client, django_assert_max_num_queries):
    with django_assert_max_num_queries(12):
        response = alice_client.get(INDEX)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'enctype="multipart/form-data"' in html
    assert 'for="id_file"' in html
    assert EXPORT in html


def test_the_page_lists_only_my_imports(alice, mallory, client, django_assert_max_num_queries):
    for _ in range(3):
        services.resume_import_recorded(user=alice, data=b'{"basics": {"label": "A"}}')
    services.resume_import_recorded(user=mallory, data=b'{"basics": {"label": "M"}}')
    client.force_login(alice)
    with django_assert_max_num_queries(12):
        response = client.get(INDEX)
    jobs = response.context["jobs"]
    assert len(jobs) == 3 and all(job.owner_id == alice.pk for job in jobs)


def test_settings_link_to_the_page(alice_client):
    from django.template.loader import render_to_string

    html = render_to_string("accounts/_settings_nav.html", {"request": None})
    assert INDEX in html
    assert alice_client.get(reverse("accounts:settings")).status_code == 200


def test_export_downloads_my_json_resume(alice, client):
    services.resume_import(user=alice, data=sample_bytes())
    client.force_login(alice)
    response = client.get(EXPORT)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert response["Content-Disposition"].startswith("attachment;")
    assert "no-store" in response["Cache-Control"]
    document = json.loads(response.content)
    assert document["basics"]["name"] == "Richard Hendriks"
    assert document["basics"]["email"] == "richard.hendriks@mail.com"


def test_another_member_downloads_only_their_own(alice, mallory_client):
    services.resume_import(user=alice, data=sample_bytes())
    document = json.loads(mallory_client.get(EXPORT).content)
    assert document["basics"]["name"] == "Mallory Stranger"
    assert "work" not in document


# ---------------------------------------------------------------------------------------
# JSON Resume import through the page
# ---------------------------------------------------------------------------------------
def test_import_shows_the_report(alice_client, alice):
    response = alice_client.post(RESUME_IMPORT, {"file": _file(sample_bytes())})
    assert response.status_code == 302
    job = Job.objects.get(owner=alice)
    assert response["Location"] == reverse("profiles:import_job", kwargs={"job_id": job.pk})
    page = alice_client.get(response["Location"])
    html = page.content.decode()
    assert "Import report" in html
    assert "Positions: 1" in html
    assert "Carnet has no section for this" in html  # awards
    assert "hx-trigger" not in html  # finished: no polling
    assert alice.profile.positions.get().title == "CEO/President"


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"{[];}", "not valid JSON"),
        ('{"basics": {"name": "Zoé"}}'.encode("latin-1"), "not UTF-8"),
        (b"[1, 2]", "holds a list"),
        (b'{"basics": []}', "not a valid JSON Resume"),
    ],
)
def test_refused_file_shows_why_and_changes_nothing(alice_client, alice, data, words):
    before = snapshot(alice)
    response = alice_client.post(RESUME_IMPORT, {"file": _file(data)})
    assert response.status_code == 400
    assert words in response.content.decode()
    assert snapshot(alice) == before
    assert Job.objects.count() == 0


def test_schema_errors_are_listed(alice_client):
    response = alice_client.post(RESUME_IMPORT, {"file": _file(b'{"basics": {"email": "nope"}, "work": {}}')})
    html = response.content.decode()
    assert "basics.email: &quot;nope&quot; is not an e-mail address." in html
    assert "work: expected a list" in html


def test_oversized_file_is_refused_on_the_server(alice_client, alice):
    before = snapshot(alice)
    response = alice_client.post(RESUME_IMPORT, {"file": _file(os.urandom(50 * 1024 * 1024))})
    assert response.status_code == 400
    assert "too large" in response.content.decode()
    assert snapshot(alice) == before


def test_form_without_file(alice_client):
    response = alice_client.post(RESUME_IMPORT, {})
    assert response.status_code == 400
    assert "This field is required" in response.content.decode()


def test_import_page_rejects_get(alice_client):
    assert alice_client.get(RESUME_IMPORT).status_code == 405


# ---------------------------------------------------------------------------------------
# LinkedIn import through the page: upload, progress, report
# ---------------------------------------------------------------------------------------
def test_linkedin_upload_runs_and_reports(alice_client, alice, django_capture_on_commit_callbacks):
    upload = _file(archive(export_2024()), "Basic_LinkedInDataExport.zip", "application/zip")
    with django_capture_on_commit_callbacks(execute=True):
        response = alice_client.post(LINKEDIN_IMPORT, {"file": upload})
    assert response.status_code == 302
    job = Job.objects.get(owner=alice)
    assert job.status == JobStatus.DONE
    html = alice_client.get(response["Location"]).content.decode()
    assert "Positions: 3" in html
    assert "address book import" in html  # Connections.csv
    assert alice.profile.positions.count() == 3


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (os.urandom(100_000), "not a zip archive"),
        (archive({"cat.jpg": b"\xff\xd8\xff"}), "not a LinkedIn data export"),
    ],
)
def test_linkedin_bad_upload_is_refused_at_once(alice_client, alice, data, words):
    before = snapshot(alice)
    response = alice_client.post(LINKEDIN_IMPORT, {"file": _file(data, "export.zip", "application/zip")})
    assert response.status_code == 400
    assert words in response.content.decode()
    assert Job.objects.count() == 0
    assert snapshot(alice) == before


def test_linkedin_fifty_megabytes_of_garbage(alice_client, alice):
    response = alice_client.post(
        LINKEDIN_IMPORT, {"file": _file(os.urandom(50 * 1024 * 1024), "x.zip", "application/zip")}
    )
    assert response.status_code == 400
    assert "too large" in response.content.decode()
    assert Job.objects.count() == 0


def test_one_linkedin_import_at_a_time(alice_client, alice):
    services.job_create(owner=alice, kind=services.JOB_KIND_LINKEDIN)
    upload = _file(archive(export_2024()), "export.zip", "application/zip")
    response = alice_client.post(LINKEDIN_IMPORT, {"file": upload})
    assert response.status_code == 409
    assert "already running" in response.content.decode()


def test_progress_page_polls_while_running(alice_client, alice):
    job = services.job_create(owner=alice, kind=services.JOB_KIND_LINKEDIN)
    services.job_progress(job=job, done=3, total=10)
    url = reverse("profiles:import_job_progress", kwargs={"job_id": job.pk})
    html = alice_client.get(url).content.decode()
    assert 'hx-trigger="every 1s"' in html
    assert f'hx-get="{url}"' in html
    assert '<progress aria-labelledby="import-job-title" max="10" value="3">30%</progress>' in html
    page = alice_client.get(reverse("profiles:import_job", kwargs={"job_id": job.pk})).content.decode()
    assert 'aria-live="polite"' in page and "<progress" in page


def test_progress_page_stops_polling_and_shows_a_failure(alice_client, alice):
    from carnet.profiles.portability.report import ImportRefused

    job = services.job_create(owner=alice, kind=services.JOB_KIND_LINKEDIN)
    services.job_fail(job=job, refused=ImportRefused("This zip is not a LinkedIn data export.", code="not_linkedin"))
    html = alice_client.get(reverse("profiles:import_job_progress", kwargs={"job_id": job.pk})).content.decode()
    assert "hx-trigger" not in html
    assert "Nothing was imported" in html
    assert "not a LinkedIn data export" in html


@pytest.mark.parametrize("name", ["profiles:import_job", "profiles:import_job_progress"])
def test_a_job_is_only_its_owners(client, alice, mallory, name):
    job = services.resume_import_recorded(user=alice, data=b'{"basics": {"label": "Secret headline"}}')
    url = reverse(name, kwargs={"job_id": job.pk})
    anonymous = client.get(url)
    assert anonymous.status_code == 302 and reverse("account_login") in anonymous["Location"]
    client.force_login(mallory)
    assert client.get(url).status_code == 404
    client.force_login(alice)
    assert client.get(url).status_code == 200


# ---------------------------------------------------------------------------------------
# vCard
# ---------------------------------------------------------------------------------------
@pytest.fixture
def alice_card(alice):
    profile = alice.profile
    profile.headline = "Engineering manager"
    profile.contact_email = "alice@work.example"
    profile.phone = "+33 6 12 34 56 78"
    profile.websites = [{"url": "https://alice.example.net", "label": "Blog"}]
    profile.location = "Lyon, France"
    profile.save()
    PositionFactory(profile=profile, title="CTO", organization__name="Acme", organization__slug="acme")
    return alice


def _card(response):
    assert response.status_code == 200
    assert response["Content-Type"] == "text/vcard; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="alice-martin.vcf"'
    assert "no-store" in response["Cache-Control"]
    card = vobject.readOne(response.content.decode())
    assert card.version.value == "4.0"
    return card


def _vcard_url(user):
    return reverse("profiles:vcard", kwargs={"slug": user.profile.slug})


def test_vcard_for_the_owner_holds_everything(alice_card, alice_client):
    card = _card(alice_client.get(_vcard_url(alice_card)))
    assert card.fn.value == "Alice Martin"
    assert (card.n.value.given, card.n.value.family) == ("Alice", "Martin")
    assert card.title.value == "Engineering manager"
    assert card.org.value == ["Acme"]
    assert card.role.value == "CTO"
    assert card.email.value == "alice@work.example"
    assert card.tel.value == "+33 6 12 34 56 78"
    urls = [u.value for u in card.contents["url"]]
    assert urls == ["http://127.0.0.1:8000/in/alice-martin/", "https://alice.example.net"]


def test_vcard_for_a_connection_has_contact_info(alice_card, bob, client):
    client.force_login(bob)
    card = _card(client.get(_vcard_url(alice_card)))
    assert card.email.value == "alice@work.example"


def test_vcard_for_a_stranger_has_no_hidden_contact_info(alice_card, mallory_client):
    response = mallory_client.get(_vcard_url(alice_card))
    card = _card(response)
    assert card.fn.value == "Alice Martin"
    assert card.title.value == "Engineering manager"
    for hidden in ("email", "tel"):
        assert hidden not in card.contents
    assert [u.value for u in card.contents["url"]] == ["http://127.0.0.1:8000/in/alice-martin/"]
    body = response.content.decode()
    assert "alice@work.example" not in body and "alice.example.net" not in body


def test_vcard_for_anonymous_visitors_follows_public_fields(alice_card, client):
    card = _card(client.get(_vcard_url(alice_card)))
    assert "email" not in card.contents


def test_vcard_follows_the_members_choices(alice_card, client, mallory):
    alice_card.profile.visibility = {"name": "members", "headline": "connections"}
    alice_card.profile.save()
    anonymous = client.get(_vcard_url(alice_card))
    assert anonymous.status_code == 302
    client.force_login(mallory)
    card = _card(client.get(_vcard_url(alice_card)))
    assert "title" not in card.contents


def test_vcard_of_a_blocking_member_is_not_found(alice_card, mallory_client, mallory):
    Block.objects.create(blocker=alice_card, blocked=mallory)
    assert mallory_client.get(_vcard_url(alice_card)).status_code == 404


def test_vcard_of_an_unknown_profile(client, db):
    assert client.get(reverse("profiles:vcard", kwargs={"slug": "nobody"})).status_code == 404
