import pytest
from django.conf import settings


def test_tasks_run_inline_in_tests():
    assert "Immediate" in settings.TASKS["default"]["BACKEND"]


@pytest.mark.django_db
def test_healthz_reports_database_and_cache(client):
    body = client.get("/healthz").json()
    assert body["status"] == "ok"
    assert body["checks"]["database"]["ok"] and body["checks"]["cache"]["ok"]
