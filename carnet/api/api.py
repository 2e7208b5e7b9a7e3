"""The JSON API, /api/v1/. Routers are thin: parse, check, call a selector or service."""

from __future__ import annotations

from django.http import Http404
from ninja import NinjaAPI, Router
from ninja.errors import AuthenticationError, HttpError, ValidationError

from carnet.api.auth import optional_auth, session_auth, token_auth
from carnet.api.schemas import ErrorOut, MeOut, ProfileOut
from carnet.api.serializers import profile_payload
from carnet.core.visibility import Relation
from carnet.profiles import selectors as profile_selectors
from carnet.profiles.services import profile_create

api = NinjaAPI(
    title="Carnet API",
    version="1",
    urls_namespace="api",
    description="The open API of a Carnet instance. Every field is filtered by the member's visibility settings.",
    auth=[token_auth, session_auth],
)


def _error(request, status: int, error: str, detail=None):
    return api.create_response(request, {"error": error, "detail": detail}, status=status)


@api.exception_handler(ValidationError)
def on_validation_error(request, exc):
    return _error(request, 422, "validation_error", exc.errors)


@api.exception_handler(AuthenticationError)
def on_auth_error(request, exc):
    return _error(request, 401, "not_authenticated", "Sign in or send a valid personal access token.")


@api.exception_handler(HttpError)
def on_http_error(request, exc):
    return _error(request, exc.status_code, _ERROR_CODES.get(exc.status_code, "error"), str(exc))


@api.exception_handler(Http404)
def on_not_found(request, exc):
    return _error(request, 404, "not_found", "Not found.")


_ERROR_CODES = {400: "bad_request", 403: "forbidden", 404: "not_found", 409: "conflict", 429: "rate_limited"}

me_router = Router(tags=["me"])
profiles_router = Router(tags=["profiles"])


@me_router.get("", response={200: MeOut, 401: ErrorOut})
def me(request):
    user = request.user
    profile = profile_create(user=user)
    profile = profile_selectors.profile_get(slug=profile.slug)
    view = profile_selectors.profile_view(profile, viewer=user)
    return {
        "id": user.pk,
        "email": user.email,
        "name": user.display_name,
        "profile": profile_payload(view, request=request),
    }


@profiles_router.get("/{slug}", response={200: ProfileOut, 404: ErrorOut}, auth=optional_auth)
def profile_detail(request, slug: str):
    profile = profile_selectors.profile_get(slug=slug)
    if profile is None:
        raise Http404
    view = profile_selectors.profile_view(profile, viewer=request.user)
    if view.relation == Relation.BLOCKED or view.name is None:
        raise Http404
    return profile_payload(view, request=request)


api.add_router("/me", me_router)
api.add_router("/profiles", profiles_router)
api.add_router("/documents", "carnet.api.documents.router")
api.add_router("/activity", "carnet.api.activity.router")
api.add_router("/", "carnet.api.graph.router")
