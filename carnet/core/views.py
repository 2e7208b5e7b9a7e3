from __future__ import annotations

import time

from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from carnet.feed.selectors import post_list_for_home


def home(request):
    posts = post_list_for_home(viewer=request.user, limit=20)
    return render(request, "core/home.html", {"posts": posts})


@never_cache
def healthz(request):
    """Liveness and readiness for load balancers: database and cache, as JSON."""
    checks: dict[str, dict] = {}
    started = time.perf_counter()
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        checks["database"] = {"ok": True, "vendor": connection.vendor}
    except Exception as exc:  # noqa: BLE001 - a health check reports every failure
        checks["database"] = {"ok": False, "error": exc.__class__.__name__}
    try:
        cache.set("healthz", "1", 5)
        checks["cache"] = {"ok": cache.get("healthz") == "1"}
    except Exception as exc:  # noqa: BLE001
        checks["cache"] = {"ok": False, "error": exc.__class__.__name__}
    ok = all(check["ok"] for check in checks.values())
    body = {"status": "ok" if ok else "error", "checks": checks, "ms": round((time.perf_counter() - started) * 1000, 2)}
    return JsonResponse(body, status=200 if ok else 503)


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


def server_error(request):
    return render(request, "500.html", status=500)


def jobs(request):
    from django.utils.translation import gettext as _

    return render(
        request,
        "core/placeholder.html",
        {"heading": _("Jobs"), "text": _("Job offers and recruiting arrive in a coming version of Carnet.")},
    )


def messaging(request):
    from django.utils.translation import gettext as _

    return render(
        request,
        "core/placeholder.html",
        {"heading": _("Messaging"), "text": _("Instant messaging arrives in a coming version of Carnet.")},
    )
