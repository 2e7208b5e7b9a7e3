"""The portability API (/api/v1/me/resume, /me/linkedin-import, /jobs/{id}): anonymous callers
are refused, a read token cannot import, refused files answer 400/413 with the reason and
change nothing, one LinkedIn import at a time (409), and a job is only its owner's."""

from __future__ import annotations

import os

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from carnet.core.models import Job
from carnet.profiles.portability import services
from tests.api.conftest import bearer
from tests.profiles.portability_support import archive, export_2024, sample_bytes, snapshot

pytestmark = pytest.mark.django_db

RESUME = "/api/v1/me/resume"
LINKEDIN = "/api/v1/me/linkedin-import"


@pytest.fixture(autouse=True)
def _import_dir(settings, tmp_path):
    settings.CARNET_IMPORT_DIR = tmp_path / "imports"


def _zip(data: bytes, name: str = "export.zip"):
    return SimpleUploadedFile(name, data, content_type="application/zip")


def test_anonymous_and_read_only_callers_cannot_import(alice, read_token):
    assert Client().post(RESUME, data=sample_bytes(), content_type="application/json").status_code == 401
    response = Client().post(RESUME, data=sample_bytes(), content_type="application/json", **bearer(read_token))
    assert response.status_code == 403
    assert Client().post(LINKEDIN, {"file": _zip(archive(export_2024()))}).status_code == 401
    assert not alice.profile.positions.exists()
    assert Job.objects.count() == 0


def test_owner_imports_a_json_resume(alice_client, alice):
    response = alice_client.post(RESUME, data=sample_bytes(), content_type="application/json")
    assert response.status_code == 200
    assert response.json()["imported"]["positions"] == 1
    assert alice.profile.positions.get().title == "CEO/President"


def test_refused_resume_says_why_and_changes_nothing(alice_client, alice):
    before = snapshot(alice)
    response = alice_client.post(RESUME, data=b"{[];}", content_type="application/json")
    assert response.status_code == 400
    body = response.json()
    assert body["error"] == "not_json" and "not valid JSON" in body["detail"]
    assert snapshot(alice) == before


def test_oversized_resume_is_413(alice_client, alice, settings):
    settings.CARNET_RESUME_MAX_BYTES = 100
    response = alice_client.post(RESUME, data=b" " * 101 + b"{}", content_type="application/json")
    assert response.status_code == 413
    assert response.json()["error"] == "too_large"


def test_linkedin_import_is_queued(alice_client, alice):
    response = alice_client.post(LINKEDIN, {"file": _zip(archive(export_2024()))})
    assert response.status_code == 202
    job = Job.objects.get(owner=alice)
    assert response.json()["id"] == job.pk
    assert response.json()["url"].endswith(f"/api/v1/jobs/{job.pk}")


def test_linkedin_garbage_is_400(alice_client, alice):
    response = alice_client.post(LINKEDIN, {"file": _zip(os.urandom(10_000))})
    assert response.status_code == 400
    assert "not a zip archive" in response.json()["detail"]
    assert Job.objects.count() == 0


def test_one_linkedin_import_at_a_time(alice_client, alice):
    services.job_create(owner=alice, kind=services.JOB_KIND_LINKEDIN)
    response = alice_client.post(LINKEDIN, {"file": _zip(archive(export_2024()))})
    assert response.status_code == 409
    assert response.json()["error"] == "busy"
    assert Job.objects.filter(owner=alice).count() == 1


def test_a_job_is_only_its_owners(alice, mallory_client):
    job = services.job_create(owner=alice, kind=services.JOB_KIND_LINKEDIN)
    url = f"/api/v1/jobs/{job.pk}"
    assert Client().get(url).status_code == 401
    assert mallory_client.get(url).status_code == 404
    owner = Client()
    owner.force_login(alice)
    assert owner.get(url).json()["status"] == job.status
