"""Routes for bench/pages.py, routed only when CARNET_BENCH=1 (carnet/urls.py), so they never
exist on a real instance.

- `trivial`: the reference page, the cheapest response the full stack can give.
- `graph`: this process's graph engine status (starting it if needed), so the benchmark can
  wait until the pages are served from the index rather than from the SQL fallback.
"""

from django.http import HttpResponse, JsonResponse
from django.urls import path


def trivial(request):
    return HttpResponse("ok", content_type="text/plain")


def graph(request):
    from carnet.network.graph.runtime import get_runtime

    runtime = get_runtime()
    runtime.engine()  # starts the build in the background if it has not started yet
    return JsonResponse(runtime.describe())


urlpatterns = [path("trivial", trivial, name="bench_trivial"), path("graph", graph, name="bench_graph")]
