"""carnet/core/bench.py: the bench-only routes exist only with CARNET_BENCH=1; `/bench/graph`
reports this process's graph engine (bench/pages.py waits on it before measuring)."""

from __future__ import annotations

import importlib

import pytest
from django.urls import clear_url_caches

import carnet.urls
from carnet.network.graph.runtime import GraphRuntime, set_runtime
from carnet.network.services import connection_create

pytestmark = pytest.mark.django_db


def _reload_urls() -> None:
    importlib.reload(carnet.urls)
    clear_url_caches()


@pytest.fixture
def bench_routes(settings):
    """The URLconf as a CARNET_BENCH=1 process builds it; the normal one again afterwards."""
    settings.CARNET_BENCH = True
    _reload_urls()
    yield
    settings.CARNET_BENCH = False
    _reload_urls()


@pytest.fixture
def engine():
    runtime = GraphRuntime(mode="sync")
    previous = set_runtime(runtime)
    yield runtime
    runtime.stop()
    set_runtime(previous)


def test_bench_routes_do_not_exist_on_a_normal_instance(client, settings):
    assert not settings.CARNET_BENCH
    assert client.get("/bench/graph").status_code == 404
    assert client.get("/bench/trivial").status_code == 404


@pytest.mark.parametrize("who", ["anonymous", "mallory", "alice"])
def test_graph_status_reports_the_built_engine(bench_routes, engine, client, alice, mallory, who):
    """Anyone may read it (it says how big the index is, nothing about members): the route is
    only ever routed on a benchmark server."""
    connection_create(member=alice, other=mallory)
    if who != "anonymous":
        client.force_login(alice if who == "alice" else mallory)
    response = client.get("/bench/graph")
    assert response.status_code == 200
    body = response.json()
    assert body["mode"] == "sync" and body["status"] == "ready"
    assert body["directed_edges"] == 2
    assert body["members"] >= 2 and body["index_bytes"] > 0


def test_graph_status_without_an_engine_says_so(bench_routes, client):
    # Tests run with the engine off: the route still answers, with the status the page shows.
    previous = set_runtime(GraphRuntime(mode="off"))
    try:
        body = client.get("/bench/graph").json()
    finally:
        set_runtime(previous)
    assert body["mode"] == "off" and body["status"] == "off" and "members" not in body


def test_trivial_route_answers_ok(bench_routes, client):
    response = client.get("/bench/trivial")
    assert response.status_code == 200 and response.content == b"ok"
