import pytest
from django.conf import settings


def test_tasks_run_inline_in_tests():
    assert "Immediate" in settings.TASKS["default"]["BACKEND"]


@pytest.mark.django_db
def test_healthz_reports_database_and_cache(client):
    body = client.get("/healthz").json()
    assert body["status"] == "ok"
    assert body["checks"]["database"]["ok"] and body["checks"]["cache"]["ok"]


@pytest.mark.django_db
def test_htmx_wires_swapped_content_in_the_same_task_as_the_swap(client):
    """htmx 2 attaches the triggers of swapped-in content only when it settles, after
    `defaultSettleDelay` (20 ms by default). In that window a form is already on screen but its
    fields are dead: a suggestion typed at once was never asked for, and an upload clicked at
    once was a plain form post. The browser journeys hit it now and then; a fast member could
    too. With no settle delay the content is wired in the same task that inserts it."""
    import json
    import re

    html = client.get("/accounts/login/").content.decode()
    config = json.loads(re.search(r"<meta name=\"htmx-config\" content='([^']+)'>", html).group(1))
    assert config["defaultSettleDelay"] == 0
    assert config["allowEval"] is False and config["allowScriptTags"] is False
