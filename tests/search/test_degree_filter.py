"""The degree filter of the people search answered by the graph engine and by SQL: the same
members, in the same order, with the same counts, pages and limits, for every combination of
degrees; blocked members left out both ways; chunks of candidates smaller than a page."""

from __future__ import annotations

import dataclasses
import itertools

import pytest

from carnet.network import plans
from carnet.network.graph.runtime import GraphRuntime, set_runtime
from carnet.network.quotas import QuotaExceeded
from carnet.network.services import block_create, connection_create
from carnet.search import degrees as degree_module
from carnet.search import selectors
from carnet.search.engines import PeopleQuery
from carnet.search.selectors import people_search
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db

# Degree subsets a member can tick: every non-empty combination of 1st, 2nd and 3rd+.
COMBINATIONS = [frozenset(c) for n in (1, 2, 3) for c in itertools.combinations((1, 2, 3), n)]
# First names in an order unrelated to creation (ids), so the rank order is not the id order.
NAMES = [f"{a}{b}" for a, b in itertools.product("QDMAZKTB", "uoeia")]


@pytest.fixture
def grid(alice, bob, reindex):
    """alice's network with members named Grid at every degree, blocked ones, and strangers.

    1st: 5 Grids (and bob); 2nd: 8 (connections of a 1st or of bob); 3rd: 6 (connections of a
    2nd); out of network: 6 (4 alone, 2 connected to each other); blocked by alice: 2 (one who
    was 2nd degree); who blocked alice: 2. alice's own headline says "grid" too (never listed
    by a degree filter)."""
    names = iter(NAMES[::-1])

    def grid_member():
        return MemberFactory(first_name=next(names), last_name="Grid")

    first = [grid_member() for _ in range(5)]
    for member in first:
        connection_create(member=alice, other=member)
    second = [grid_member() for _ in range(8)]
    for i, member in enumerate(second):
        connection_create(member=first[i % 5] if i % 3 else bob, other=member)
    third = [grid_member() for _ in range(6)]
    for i, member in enumerate(third):
        connection_create(member=second[i], other=member)
    strangers = [grid_member() for _ in range(6)]
    connection_create(member=strangers[4], other=strangers[5])
    blocked = [grid_member() for _ in range(2)]
    connection_create(member=first[0], other=blocked[0])
    for member in blocked:
        block_create(blocker=alice, blocked=member)
    blockers = [grid_member() for _ in range(2)]
    connection_create(member=first[1], other=blockers[0])
    for member in blockers:
        block_create(blocker=member, blocked=alice)
    alice.profile.headline = "Grid operator"
    alice.profile.save()
    reindex()
    by_degree = {
        1: {m.pk for m in first} | {bob.pk},
        2: {m.pk for m in second},
        3: {m.pk for m in third + strangers},
    }
    grids = {m.pk for m in first + second + third + strangers}
    return {"alice": alice, "by_degree": by_degree, "grids": grids, "blocked": {m.pk for m in blocked + blockers}}


def _runtime(mode):
    runtime = GraphRuntime(mode=mode)
    previous = set_runtime(runtime)
    return runtime, previous


@pytest.fixture
def tiny_chunks(monkeypatch):
    """Three candidates per chunk: every page and count crosses chunk boundaries."""
    monkeypatch.setattr(degree_module, "CHUNK_SIZE", 3)


def _answers(viewer, query, *, page=4):
    """Every page of the search as (ids, total, capped), and the error raised past the depth."""
    pages, offset = [], 0
    while True:
        try:
            results = people_search(viewer=viewer, query=query, offset=offset, limit=page)
        except QuotaExceeded:
            return pages, "depth"
        pages.append(([c.pk for c in results.cards], results.total, results.capped))
        if not results.has_more:
            return pages, None
        offset += page


def _both_paths(viewer, query, monkeypatch):
    """The answers with the graph engine (SQL degree filter forbidden), the viewer's reach set
    cold then cached (the same answers), and with SQL alone."""
    import carnet.network.selectors as network_selectors

    runtime, previous = _runtime("sync")
    try:
        with monkeypatch.context() as patched:
            if query.degrees and query.degrees != {1}:

                def refused(**kwargs):
                    raise AssertionError("the degree filter went to SQL while the graph engine was ready")

                patched.setattr(network_selectors, "degree_filter_q", refused)
            engine = _answers(viewer, query)  # cold: from the engine's adjacency
            index = runtime.engine()
            index.warm(viewer.pk)
            assert index.is_cached(viewer.pk)
            warm = _answers(viewer, query)  # warm: the batched degree call on the cached reach set
            assert warm == engine
    finally:
        runtime.stop()
        set_runtime(previous)
    runtime, previous = _runtime("off")
    try:
        sql = _answers(viewer, query)
    finally:
        set_runtime(previous)
    return engine, sql


@pytest.mark.parametrize("wanted", COMBINATIONS, ids=lambda c: "+".join(map(str, sorted(c))))
def test_every_degree_combination_gives_the_same_pages_on_both_paths(grid, wanted, tiny_chunks, monkeypatch):
    alice, by_degree = grid["alice"], grid["by_degree"]
    expected = set().union(*(by_degree[d] for d in wanted))
    for text in ("grid", "grid operator", ""):
        query = PeopleQuery(text=text, degrees=wanted)
        engine, sql = _both_paths(alice, query, monkeypatch)
        assert engine == sql, (text, wanted)
        pages, error = engine
        listed = [pk for ids, _total, _capped in pages for pk in ids]
        assert len(listed) == len(set(listed))
        assert alice.pk not in listed
        assert not set(listed) & grid["blocked"]
        if text == "grid":
            assert set(listed) == expected & grid["grids"]
            assert pages[0][1] == len(listed) and not pages[0][2]
        elif text == "":
            assert set(listed) == expected  # bob too, and every member at those degrees
        else:
            assert listed == []  # "operator" matches alice alone, who is never listed
        assert error is None


def test_order_follows_the_rank_not_the_ids(grid, tiny_chunks, monkeypatch):
    query = PeopleQuery(text="grid", degrees=frozenset({2, 3}))
    (pages, _error), _sql = _both_paths(grid["alice"], query, monkeypatch)
    listed = [pk for ids, _total, _capped in pages for pk in ids]
    assert listed != sorted(listed)
    assert len(listed) == 8 + 6 + 6


@pytest.mark.parametrize("count_limit", [1, 4, 5, 7])
def test_count_cap_and_pages_across_chunks(grid, tiny_chunks, monkeypatch, count_limit):
    # As in production, the count goes as far as the deepest plan (here, the Free plan's).
    monkeypatch.setattr(selectors, "COUNT_LIMIT", count_limit)
    monkeypatch.setattr(plans, "FREE", dataclasses.replace(plans.FREE, search_depth=count_limit))
    for wanted in (frozenset({2}), frozenset({3}), frozenset({1, 3}), frozenset({2, 3})):
        query = PeopleQuery(text="grid", degrees=wanted)
        engine, sql = _both_paths(grid["alice"], query, monkeypatch)
        assert engine == sql, wanted
        pages, _error = engine
        assert all(total == count_limit and capped for _ids, total, capped in pages)
        assert sum(len(ids) for ids, _total, _capped in pages) == count_limit


@pytest.mark.parametrize("chunk", [1, 2, 3, 4, 7, 1000])
def test_depth_limit_on_both_paths(grid, monkeypatch, chunk):
    monkeypatch.setattr(degree_module, "CHUNK_SIZE", chunk)
    monkeypatch.setattr(plans, "FREE", dataclasses.replace(plans.FREE, search_depth=6))
    query = PeopleQuery(text="grid", degrees=frozenset({2, 3}))
    engine, sql = _both_paths(grid["alice"], query, monkeypatch)
    assert engine == sql
    pages, error = engine
    # 20 matches, 6 shown (pages of 4: 4 + 2), then the depth refuses the next page.
    assert [len(ids) for ids, _total, _capped in pages] == [4, 2]
    assert pages[0][1] == 20 and error is None


def test_past_the_depth_both_paths_refuse(grid, monkeypatch):
    monkeypatch.setattr(plans, "FREE", dataclasses.replace(plans.FREE, search_depth=6))
    query = PeopleQuery(text="grid", degrees=frozenset({3}))
    for mode in ("sync", "off"):
        runtime, previous = _runtime(mode)
        try:
            with pytest.raises(QuotaExceeded):
                people_search(viewer=grid["alice"], query=query, offset=6, limit=4)
        finally:
            runtime.stop()
            set_runtime(previous)


def test_a_block_leaves_the_member_out_of_both_paths(grid, bob, monkeypatch, reindex):
    query = PeopleQuery(text="", degrees=frozenset({1}))
    engine, sql = _both_paths(grid["alice"], query, monkeypatch)
    assert engine == sql
    assert bob.pk in [pk for ids, *_rest in engine[0] for pk in ids]
    block_create(blocker=bob, blocked=grid["alice"])
    for wanted in COMBINATIONS:
        query = PeopleQuery(text="", degrees=wanted)
        engine, sql = _both_paths(grid["alice"], query, monkeypatch)
        assert engine == sql
        assert bob.pk not in [pk for ids, *_rest in engine[0] for pk in ids]


def test_filters_without_words_and_other_columns(grid, tiny_chunks, monkeypatch, reindex):
    first_grid = next(iter(sorted(grid["by_degree"][2])))
    from carnet.profiles.models import Profile

    Profile.objects.filter(pk=first_grid).update(location="Lyon")
    reindex()
    for wanted in COMBINATIONS:
        query = PeopleQuery(location="lyon", degrees=wanted)
        engine, sql = _both_paths(grid["alice"], query, monkeypatch)
        assert engine == sql
        listed = [pk for ids, *_rest in engine[0] for pk in ids]
        assert listed == ([first_grid] if 2 in wanted else [])


def test_page_with_the_graph_filter_reads_no_connection_row(client, grid):
    """The graph path's page: no more queries than the SQL path's, none on the connection table."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(grid["alice"])
    params = {"q": "grid", "degree": ["2", "3"]}
    counts = {}
    for mode in ("off", "sync"):
        runtime, previous = _runtime(mode)
        try:
            client.get("/search/", params)  # builds the index, warms the session
            with CaptureQueriesContext(connection) as captured:
                response = client.get("/search/", params)
        finally:
            runtime.stop()
            set_runtime(previous)
        assert response.status_code == 200
        assert response.context["results"].total == 20
        assert "2nd" in response.content.decode()
        counts[mode] = len(captured.captured_queries)
        on_connections = [q["sql"] for q in captured.captured_queries if "network_connection" in q["sql"]]
        assert bool(on_connections) == (mode == "off")
    assert counts["sync"] <= counts["off"] <= 16
