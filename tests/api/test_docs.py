"""The OpenAPI schema and the docs page, served from our own files under our CSP."""

import re

import pytest
from django.contrib.staticfiles import finders

pytestmark = pytest.mark.django_db


def test_openapi_schema_lists_the_endpoints(client):
    schema = client.get("/api/v1/openapi.json").json()
    for path in ("/api/v1/me", "/api/v1/me/tokens", "/api/v1/notifications", "/api/v1/profiles/{slug}"):
        assert path in schema["paths"]
    schemes = schema["components"]["securitySchemes"].values()
    assert {"type": "http", "scheme": "bearer"} in schemes
    assert any(s.get("in") == "cookie" for s in schemes)


def test_docs_page_loads_swagger_from_our_static_files_without_inline_script(client):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    html = response.content.decode()
    sources = re.findall(r'<script[^>]*src="([^"]+)"', html)
    assert "/static/carnet/vendor/swagger-ui/swagger-ui-bundle.js" in sources
    assert "/static/carnet/js/api-docs.js" in sources
    assert all(src.startswith("/static/") for src in sources)
    for script in re.findall(r"<script(?![^>]*\bsrc=)([^>]*)>", html):
        assert 'type="application/json"' in script  # data, never executed
    assert "style=" not in html
    assert "cdn" not in html.lower()
    for path in ("carnet/vendor/swagger-ui/swagger-ui-bundle.js", "carnet/vendor/swagger-ui/swagger-ui.css"):
        assert finders.find(path)
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
