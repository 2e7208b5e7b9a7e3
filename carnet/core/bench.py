"""The reference page of bench/pages.py: the cheapest response the full stack can give.

Routed only when CARNET_BENCH=1 (carnet/urls.py), so it never exists on a real instance.
"""

from django.http import HttpResponse
from django.urls import path


def trivial(request):
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("trivial", trivial, name="bench_trivial")]
