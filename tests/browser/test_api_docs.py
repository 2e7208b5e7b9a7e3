"""The API docs page runs Swagger UI from our static files under the Content-Security-Policy."""

import pytest

pytestmark = pytest.mark.django_db(transaction=True)


def test_swagger_ui_renders_without_csp_violations(page, live_server):
    problems = []
    page.on("console", lambda msg: problems.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda error: problems.append(str(error)))
    outside = []
    page.on(
        "request", lambda request: outside.append(request.url) if not request.url.startswith(live_server.url) else None
    )

    page.goto("/api/v1/docs")
    page.locator(".swagger-ui .opblock-tag", has_text="me").first.wait_for()
    assert page.locator(".swagger-ui .opblock-summary-path", has_text="/api/v1/me/tokens").first.is_visible()
    page.locator(".swagger-ui .opblock-summary-path", has_text="/api/v1/notifications").first.wait_for()
    assert outside == [], "the docs page must work offline"
    assert problems == [], problems
