"""Every API error has the same body, {"error": code, "detail": ...}, whatever raised it."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from carnet.profiles.portability import services
from tests.api.conftest import bearer
from tests.profiles.portability_support import archive, export_2024

pytestmark = pytest.mark.django_db


def _error(response, status: int, code: str):
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert body["error"] == code
    assert "detail" in body
    return body


def test_401(client):
    _error(client.get("/api/v1/me"), 401, "not_authenticated")


def test_403(client, read_token):
    _error(client.patch("/api/v1/me", {}, content_type="application/json", **bearer(read_token)), 403, "forbidden")


def test_404_unknown_endpoint_and_unknown_object(alice_client):
    _error(alice_client.get("/api/v1/no/such/thing"), 404, "not_found")
    _error(alice_client.get("/api/v1/profiles/nobody-here"), 404, "not_found")


def test_405_wrong_method_says_which_are_allowed(alice_client):
    response = alice_client.delete("/api/v1/me")
    _error(response, 405, "method_not_allowed")
    assert set(response["Allow"].replace(" ", "").split(",")) == {"GET", "PATCH"}


def test_422_lists_what_is_wrong(alice_client):
    body = _error(
        alice_client.patch("/api/v1/me", {"first_name": 12}, content_type="application/json"), 422, "validation_error"
    )
    assert body["detail"][0]["loc"][-1] == "first_name"


def test_400_malformed_json(alice_client):
    _error(alice_client.patch("/api/v1/me", "{not json", content_type="application/json"), 400, "bad_request")


def test_429_after_the_budget_with_retry_after(client, settings, read_token):
    settings.CARNET_API_RATE = "3/min"
    for _ in range(3):
        assert client.get("/api/v1/me", **bearer(read_token)).status_code == 200
    response = client.get("/api/v1/me", **bearer(read_token))
    _error(response, 429, "rate_limited")
    assert 0 < int(response["Retry-After"]) <= 60


def test_budgets_are_per_caller(client, settings, alice, mallory, read_token):
    from carnet.accounts.services import token_create

    settings.CARNET_API_RATE = "2/min"
    mallory_token = token_create(user=mallory, name="m")[1]
    for _ in range(2):
        client.get("/api/v1/me", **bearer(read_token))
    assert client.get("/api/v1/me", **bearer(read_token)).status_code == 429
    assert client.get("/api/v1/me", **bearer(mallory_token)).status_code == 200


def test_anonymous_budget_is_per_address(client, settings, alice):
    settings.CARNET_API_ANON_RATE = "2/min"
    url = f"/api/v1/profiles/{alice.profile.slug}"
    assert [client.get(url).status_code for _ in range(3)] == [200, 200, 429]
    assert client.get(url, REMOTE_ADDR="10.0.0.9").status_code == 200


def test_500_is_logged_and_answered_with_our_body(alice_client, monkeypatch, caplog):
    def broken(request):
        raise RuntimeError("boom")

    monkeypatch.setattr("carnet.api.accounts._me", broken)
    response = alice_client.get("/api/v1/me")
    body = _error(response, 500, "server_error")
    assert "boom" not in str(body)
    assert any(record.exc_info and "boom" in str(record.exc_info[1]) for record in caplog.records)


@pytest.mark.parametrize(
    ("language", "busy", "websites"),
    [
        ("en", "An import is already running", "You can list at most 5 websites."),
        ("fr", "Un import est déjà en cours", "Vous pouvez indiquer 5 sites web au maximum."),
    ],
)
def test_errors_answer_in_the_callers_language(alice, alice_client, settings, tmp_path, language, busy, websites):
    """The locale middleware covers /api/v1/: `Accept-Language: fr` gets the messages in French."""
    settings.CARNET_IMPORT_DIR = tmp_path
    services.job_create(owner=alice, kind=services.JOB_KIND_LINKEDIN)
    upload = SimpleUploadedFile("export.zip", archive(export_2024()), content_type="application/zip")
    response = alice_client.post("/api/v1/me/linkedin-import", {"file": upload}, HTTP_ACCEPT_LANGUAGE=language)
    assert _error(response, 409, "busy")["detail"].startswith(busy)
    assert response["Content-Language"] == language

    sites = [{"url": f"https://example.org/{n}"} for n in range(6)]
    response = alice_client.patch(
        "/api/v1/me/profile", {"websites": sites}, content_type="application/json", HTTP_ACCEPT_LANGUAGE=language
    )
    assert _error(response, 422, "validation_error")["detail"] == {"websites": [websites]}
