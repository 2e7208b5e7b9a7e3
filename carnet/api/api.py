"""The JSON API, /api/v1/. Routers are thin: parse, check, call a selector or service.

Each area has its router module (carnet/api/<area>.py) registered with one line at the end of
this file. Every error answers with the same body, {"error": code, "detail": ...}, whatever
raised it: ninja (401, 405, 422, 429), a router (HttpError, Http404, PermissionDenied) or a bug
(500, logged with its traceback).
"""

from __future__ import annotations

import logging

from asgiref.sync import iscoroutinefunction, markcoroutinefunction
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render
from django.urls import re_path
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, Throttled, ValidationError
from ninja.openapi.docs import DocsBase

from carnet.api.auth import MemberRateThrottle, session_auth, token_auth

logger = logging.getLogger("django.request")

ERROR_CODES = {
    400: "bad_request",
    401: "not_authenticated",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "too_large",
    422: "validation_error",
    429: "rate_limited",
    500: "server_error",
}


class SwaggerDocs(DocsBase):
    """Swagger UI from our own static files: an instance works offline, and the
    Content-Security-Policy allows neither a CDN nor an inline script."""

    def render_page(self, request, api, **kwargs):
        settings = {
            "url": self.get_openapi_url(api, kwargs),
            "layout": "BaseLayout",
            "deepLinking": True,
            "validatorUrl": None,
        }
        context = {"swagger_settings": settings, "openapi_url": settings["url"], "api": api}
        return render(request, "api/docs.html", context)


class CarnetAPI(NinjaAPI):
    """NinjaAPI whose every answer under /api/v1/ is JSON, unknown paths and methods included."""

    def _get_urls(self):
        urls = [_json_method_not_allowed(pattern) for pattern in super()._get_urls()]
        urls.append(re_path(r"^.*$", _unknown_path, name="api-not-found"))
        return urls


def _json_method_not_allowed(pattern):
    # ninja answers a wrong method with a plain-text 405 from inside its view; rewrap it.
    view = pattern.callback

    def _convert(request, response):
        if response.status_code == 405 and not response.get("Content-Type", "").startswith("application/json"):
            allowed = response.get("Allow", "")
            # Translators: the HTTP methods, e.g. "GET, POST".
            converted = error_response(request, 405, _("Allowed methods: %(methods)s.") % {"methods": allowed})
            converted["Allow"] = allowed
            return converted
        return response

    if iscoroutinefunction(view):

        async def wrapped(request, *args, **kwargs):
            return _convert(request, await view(request, *args, **kwargs))

        markcoroutinefunction(wrapped)
    else:

        def wrapped(request, *args, **kwargs):
            return _convert(request, view(request, *args, **kwargs))

    wrapped.csrf_exempt = getattr(view, "csrf_exempt", False)
    pattern.callback = wrapped
    return pattern


def _unknown_path(request, *args, **kwargs):
    return error_response(request, 404, _("No such API endpoint."))


api = CarnetAPI(
    title="Carnet API",
    version="1",
    urls_namespace="api",
    description=(
        "The open API of a Carnet instance. Every field is filtered by the member's visibility settings. "
        "Authenticate with the browser session (send the CSRF token on writes) or with a personal access "
        "token: `Authorization: Bearer carnet_...` (created in Settings → API tokens; a read token cannot "
        'write). Errors answer `{"error": code, "detail": ...}`. Lists are cursor-paginated: pass '
        "`next_cursor` back as `cursor`."
    ),
    auth=[token_auth, session_auth],
    throttle=[MemberRateThrottle()],
    docs=SwaggerDocs(),
)


def error_response(request, status: int, detail=None, error: str | None = None):
    return api.create_response(
        request, {"error": error or ERROR_CODES.get(status, "error"), "detail": detail}, status=status
    )


@api.exception_handler(ValidationError)
def on_validation_error(request, exc):
    return error_response(request, 422, exc.errors)


@api.exception_handler(AuthenticationError)
def on_auth_error(request, exc):
    return error_response(request, 401, _("Sign in or send a valid personal access token."))


@api.exception_handler(HttpError)
def on_http_error(request, exc):
    if isinstance(exc, Throttled):
        # ninja's own message is in English; the wait is in the Retry-After header.
        return error_response(request, 429, _("Too many requests."))
    return error_response(request, exc.status_code, str(exc))


@api.exception_handler(Http404)
def on_not_found(request, exc):
    return error_response(request, 404, _("Not found."))


@api.exception_handler(PermissionDenied)
def on_permission_denied(request, exc):
    return error_response(request, 403, str(exc) or _("You may not do this."))


@api.exception_handler(Exception)
def on_server_error(request, exc):
    logger.error("API error on %s %s", request.method, request.path, exc_info=exc)
    return error_response(request, 500, _("Something went wrong on our side; it was recorded."))


api.add_router("/me", "carnet.api.accounts.router")
api.add_router("/notifications", "carnet.api.notifications.router")
api.add_router("/", "carnet.api.profiles.router")
api.add_router("/network", "carnet.api.network.router")
api.add_router("/documents", "carnet.api.documents.router")
api.add_router("/activity", "carnet.api.activity.router")
api.add_router("/relations", "carnet.api.relations.router")
api.add_router("/", "carnet.api.portability.router")
api.add_router("/", "carnet.api.graph.router")
api.add_router("/search", "carnet.api.search.router")
