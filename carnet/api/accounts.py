"""/api/v1/me: the signed-in member, their name, and their personal access tokens."""

from __future__ import annotations

from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Router, Status
from ninja.errors import HttpError

from carnet.accounts import selectors as account_selectors
from carnet.accounts import services as account_services
from carnet.api.auth import is_token_request
from carnet.api.schemas import ErrorOut, MeIn, MeOut, TokenCreatedOut, TokenIn, TokenPage
from carnet.api.serializers import me_payload, token_payload
from carnet.profiles import selectors as profile_selectors
from carnet.profiles.services import profile_create

router = Router(tags=["me"])


def _me(request) -> dict:
    user = request.user
    profile = profile_selectors.profile_queryset().filter(user=user).first() or profile_create(user=user)
    view = profile_selectors.profile_view(profile, viewer=user)
    return me_payload(user, view, request=request)


@router.get("", response={200: MeOut, 401: ErrorOut})
def me(request):
    """The signed-in member (session or token)."""
    return _me(request)


@router.patch("", response={200: MeOut, 401: ErrorOut, 403: ErrorOut, 422: ErrorOut})
def me_update(request, payload: MeIn):
    """Change the member's first and/or last name (needs a read and write token, or the session)."""
    fields = payload.dict(exclude_unset=True, exclude_none=True)
    try:
        account_services.member_update_name(user=request.user, **fields)
    except ValueError as exc:
        raise HttpError(422, str(exc)) from exc
    return _me(request)


@router.get("/tokens", response={200: TokenPage, 401: ErrorOut})
def token_list(request):
    """The member's personal access tokens (never their secrets), revoked ones included."""
    return {"items": [token_payload(t) for t in account_selectors.token_list(user=request.user)]}


@router.post("/tokens", response={201: TokenCreatedOut, 401: ErrorOut, 403: ErrorOut, 409: ErrorOut, 422: ErrorOut})
def token_create(request, payload: TokenIn):
    """Create a token; its secret is in this answer only. Signed-in sessions only: a leaked token
    must not be able to mint new ones that would outlive its revocation."""
    if is_token_request(request):
        raise HttpError(403, _("Tokens are created from a signed-in session, not with another token."))
    try:
        token, secret = account_services.token_create(user=request.user, name=payload.name, scope=payload.scope)
    except account_services.TokenLimitReached as exc:
        raise HttpError(409, str(exc)) from exc
    return Status(201, {**token_payload(token), "secret": secret})


@router.delete("/tokens/{token_id}", response={204: None, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut})
def token_revoke(request, token_id: int):
    """Revoke one of the member's active tokens (a token may revoke itself)."""
    if not account_services.token_revoke(user=request.user, token_id=token_id):
        raise Http404
    return Status(204, None)
