from __future__ import annotations

import logging
import time

from django.core.cache import cache
from django.db import connection
from django.http import HttpResponsePermanentRedirect, HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.templatetags.static import static
from django.utils import timezone
from django.utils.timesince import timesince
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import requires_csrf_token

from carnet.core import fragments, visibility
from carnet.feed.selectors import post_list_for_home
from carnet.profiles.selectors import card_values

logger = logging.getLogger(__name__)


def home(request):
    # Read-only: the policy reads the viewer's blocks once, without the candidates' ids (a
    # shorter query than "which of these 60 members", and the same answer).
    with visibility.one_lookup_per_request():
        items = post_list_for_home(viewer=request.user, limit=20)
    # Each post is a fragment cached under the values it shows (carnet.core.fragments): its
    # text, its age as words, and its author's card as the policy projected it for this viewer.
    now = timezone.now()
    posts = fragments.render_many(
        "core/_post.html",
        [
            (
                {"item": item, "ago": ago},
                (item["post"].pk, item["post"].body, item["post"].created, ago, card_values(item["author"])),
            )
            for item in items
            for ago in [timesince(item["post"].created, now)]
        ],
    )
    return render(request, "core/home.html", {"posts": posts, "items": items})


def _check_database() -> dict:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return {"ok": True, "vendor": connection.vendor}


def _check_cache() -> dict:
    cache.set("carnet:healthz", "1", 5)
    return {"ok": cache.get("carnet:healthz") == "1", "backend": cache.__class__.__name__}


@never_cache
def healthz(request):
    """Liveness and readiness for load balancers: database and cache, as JSON (503 when one fails)."""
    checks: dict[str, dict] = {}
    started = time.perf_counter()
    for name, check in (("database", _check_database), ("cache", _check_cache)):
        try:
            checks[name] = check()
        except Exception as exc:  # noqa: BLE001 - a health check reports every failure instead of raising
            logger.warning("healthz: %s check failed: %r", name, exc)
            checks[name] = {"ok": False, "error": exc.__class__.__name__}
    ok = all(check["ok"] for check in checks.values())
    body = {"status": "ok" if ok else "error", "checks": checks, "ms": round((time.perf_counter() - started) * 1000, 2)}
    return JsonResponse(body, status=200 if ok else 503)


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


@requires_csrf_token
def server_error(request):
    # Rendered without the request's context processors: the error may be the database or the
    # cache being down, and the page that says so must not need them.
    try:
        html = loader.get_template("500.html").render({"LANGUAGE_CODE": get_language() or "en"})
    except Exception:  # noqa: BLE001 - the last resort must not fail in turn
        logger.exception("The 500 page itself failed to render")
        html = "<!DOCTYPE html><title>Server error</title><h1>Something went wrong</h1>"
    return HttpResponseServerError(html)


def _coming_soon(request, heading: str, text: str):
    return render(request, "core/placeholder.html", {"heading": heading, "text": text})


def jobs(request):
    return _coming_soon(request, _("Jobs"), _("Job offers and recruiting arrive in a coming version of Carnet."))


def messaging(request):
    return _coming_soon(request, _("Messaging"), _("Instant messaging arrives in a coming version of Carnet."))


def favicon(request):
    """/favicon.ico, for clients that do not read the page's <link rel="icon">."""
    return HttpResponsePermanentRedirect(static("carnet/img/favicon.svg"))
