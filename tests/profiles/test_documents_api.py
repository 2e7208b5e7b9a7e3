"""/api/v1/documents: same rules as the pages (content checks, audiences, ownership)."""

from __future__ import annotations

import pytest

from carnet.core.visibility import Audience
from carnet.profiles import documents as docs
from carnet.profiles.models import Document, DocumentKind
from tests.profiles.pdf_samples import HTML_PAGE, make_pdf, pdf_text, upload

pytestmark = pytest.mark.django_db


def _cv(member, audience=Audience.CONNECTIONS, name="CV"):
    return docs.document_create(
        profile=member.profile, kind=DocumentKind.CV, name=name, audience=audience, upload=upload(make_pdf())
    )


def test_upload_list_change_delete(client, alice):
    assert client.get("/api/v1/documents").status_code == 401
    client.force_login(alice)
    response = client.post(
        "/api/v1/documents", {"kind": "cv", "name": "API CV", "audience": "members", "file": upload(make_pdf())}
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["name"], body["audience"], body["is_default"], body["format"]) == ("API CV", "members", True, "pdf")
    response = client.post("/api/v1/documents", {"kind": "cover_letter", "name": "Letter", "text": "Dear team"})
    assert response.status_code == 201 and response.json()["format"] == "text"
    assert [d["name"] for d in client.get("/api/v1/documents").json()] == ["Letter", "API CV"]
    response = client.patch(
        f"/api/v1/documents/{body['id']}", {"audience": "public", "name": "Renamed"}, content_type="application/json"
    )
    assert response.status_code == 200 and response.json()["audience"] == "public"
    assert client.delete(f"/api/v1/documents/{body['id']}").status_code == 204
    assert Document.objects.count() == 1


def test_bad_upload_is_a_400_with_the_reason(client, alice):
    client.force_login(alice)
    response = client.post("/api/v1/documents", {"kind": "cv", "name": "CV", "file": upload(HTML_PAGE)})
    assert response.status_code == 400
    assert response.json()["error"] == "bad_request" and "web page" in response.json()["detail"]
    assert not Document.objects.exists()


def test_others_documents_cannot_be_changed(client, alice, mallory):
    cv = _cv(alice)
    client.force_login(mallory)
    assert client.patch(f"/api/v1/documents/{cv.pk}", {"name": "x"}, content_type="application/json").status_code == 404
    assert client.delete(f"/api/v1/documents/{cv.pk}").status_code == 404
    assert Document.objects.get().name == "CV"


def test_profile_documents_and_file_follow_the_audience(client, alice, bob, mallory):
    public = _cv(alice, Audience.PUBLIC, "Public CV")
    private = _cv(alice, Audience.CONNECTIONS, "Connections CV")
    url = f"/api/v1/documents/profiles/{alice.profile.slug}"
    anonymous = client.get(url).json()
    assert [d["name"] for d in anonymous] == ["Public CV"] and anonymous[0]["audience"] is None
    assert client.get(f"/api/v1/documents/{public.pk}/file").status_code == 200
    assert client.get(f"/api/v1/documents/{private.pk}/file").status_code == 404
    client.force_login(mallory)
    assert client.get(f"/api/v1/documents/{private.pk}/file").status_code == 404
    client.force_login(bob)
    assert {d["name"] for d in client.get(url).json()} == {"Public CV", "Connections CV"}
    response = client.get(f"/api/v1/documents/{private.pk}/file")
    assert (
        response.status_code == 200 and response["Content-Disposition"] == 'attachment; filename="Connections CV.pdf"'
    )
    assert response["X-Content-Type-Options"] == "nosniff"


def test_profile_cv_pdf_api(client, alice, mallory):
    alice.profile.contact_email = "alice.contact@example.org"
    alice.profile.save()
    url = f"/api/v1/documents/profiles/{alice.profile.slug}/cv.pdf"
    assert client.get(url).status_code == 401
    client.force_login(mallory)
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert "Alice Martin" in pdf_text(response.content)
    assert "alice.contact@example.org" not in pdf_text(response.content)
    client.force_login(alice)
    assert "alice.contact@example.org" in pdf_text(client.get(url).content)
