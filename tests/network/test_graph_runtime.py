"""The graph engine inside Django: built from the database, agreeing with SQL and networkx,
kept up to date by the on-commit hooks, standing aside for SQL when it cannot answer, and
consistent across processes through Redis pub/sub."""

from __future__ import annotations

import random
import time
import uuid

import networkx as nx
import pytest
from django.conf import settings as django_settings
from django.utils import timezone

from carnet.network import graph
from carnet.network.graph.build import load_edges
from carnet.network.graph.runtime import GraphRuntime, Status, set_runtime
from carnet.network.graph.selectors import connection_chains, mutual_connections
from carnet.network.models import Connection
from carnet.network.selectors import degrees_sql
from carnet.network.services import connection_create, connection_remove
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def runtime():
    """An engine built synchronously from the test database, installed for this process."""
    engine = GraphRuntime(mode="sync")
    previous = set_runtime(engine)
    yield engine
    engine.stop()
    set_runtime(previous)


def _member():
    # No password: hashing one costs a third of a second, and these members never log in.
    return MemberFactory(password=None)


def _random_network(members: int, edges: int, seed: int = 7):
    rng = random.Random(seed)
    people = [_member() for _ in range(members)]
    now = timezone.now()
    pairs = set()
    while len(pairs) < edges:
        a, b = rng.sample(people, 2)
        pairs.add((min(a.pk, b.pk), max(a.pk, b.pk)))
    rows = []
    for a, b in sorted(pairs):
        rows += [Connection(member_id=a, other_id=b, created=now), Connection(member_id=b, other_id=a, created=now)]
    Connection.objects.bulk_create(rows)
    network = nx.Graph()
    network.add_nodes_from(p.pk for p in people)
    network.add_edges_from(pairs)
    return people, network


def _networkx_degrees(network, viewer):
    reach = nx.single_source_shortest_path_length(network, viewer, cutoff=3)
    return {m: d for m, d in reach.items() if m != viewer}


def test_build_streams_the_connection_table_into_csr():
    people, network = _random_network(12, 20)
    indptr, indices = load_edges()
    assert indptr[-1] == len(indices) == 2 * network.number_of_edges()
    for member in people:
        row = indices[indptr[member.pk] : indptr[member.pk + 1]].tolist()
        assert row == sorted(network[member.pk])


def test_engine_sql_and_networkx_agree_on_degrees_chains_and_mutuals(runtime):
    people, network = _random_network(30, 45)
    ids = [p.pk for p in people]
    index = graph.engine()
    assert index is not None and runtime.status == Status.READY
    for viewer in ids:
        expected = _networkx_degrees(network, viewer)
        assert index.degrees(viewer, ids) == expected
        assert degrees_sql(viewer, ids) == expected
    for viewer in ids[:4]:
        for target in ids:
            from_engine = connection_chains(viewer_id=viewer, member_id=target)
            runtime.mode = "off"  # the same selectors, answered by SQL
            from_sql = connection_chains(viewer_id=viewer, member_id=target)
            mutual_sql = mutual_connections(viewer_id=viewer, member_id=target)
            runtime.mode = "sync"
            assert from_engine == from_sql
            assert mutual_connections(viewer_id=viewer, member_id=target) == mutual_sql
            if viewer != target and nx.has_path(network, viewer, target):
                shortest = {tuple(p[1:-1]) for p in nx.all_shortest_paths(network, viewer, target)}
                if len(next(iter(shortest))) <= 2:
                    assert set(from_engine.chains) <= shortest


def test_connect_and_remove_reach_the_engine_after_commit(runtime, django_capture_on_commit_callbacks):
    alice, bob, carol = _member(), _member(), _member()
    with django_capture_on_commit_callbacks(execute=True):
        connection_create(member=alice, other=bob)
    assert graph.engine().degrees(alice.pk, [bob.pk, carol.pk]) == {bob.pk: 1}
    with django_capture_on_commit_callbacks(execute=True):
        connection_create(member=bob, other=carol)
    assert graph.engine().degrees(alice.pk, [carol.pk]) == {carol.pk: 2}
    with django_capture_on_commit_callbacks(execute=True):
        connection_remove(member=carol, other=bob)
    assert graph.engine().degrees(alice.pk, [carol.pk]) == {}
    assert graph.engine().directed_edges == 2


def test_a_change_before_commit_is_not_seen_and_a_hook_replays_the_database(runtime):
    alice, bob = _member(), _member()
    index = graph.engine()
    connection_create(member=alice, other=bob)  # the hook waits for the commit
    assert index.degrees(alice.pk, [bob.pk]) == {}
    # Hooks only say "look again": a duplicate or stale one re-reads the same truth.
    graph.on_connect(alice.pk, bob.pk)
    graph.on_disconnect(alice.pk, bob.pk)
    assert graph.engine().degrees(alice.pk, [bob.pk]) == {bob.pk: 1}


def test_block_hook_removes_the_connection(runtime, django_capture_on_commit_callbacks):
    alice, bob = _member(), _member()
    connection_create(member=alice, other=bob)
    assert graph.engine().degrees(alice.pk, [bob.pk]) == {bob.pk: 1}
    Connection.objects.filter(member_id__in=[alice.pk, bob.pk]).delete()  # as the block service does
    graph.on_block(alice, bob)
    assert graph.engine().degrees(alice.pk, [bob.pk]) == {}


def test_hidden_connections_list_is_read_again_when_the_profile_changes(runtime, django_capture_on_commit_callbacks):
    alice, bob, carol = _member(), _member(), _member()
    connection_create(member=alice, other=bob)
    connection_create(member=bob, other=carol)
    assert connection_chains(viewer_id=alice.pk, member_id=carol.pk).chains == [(bob.pk,)]
    with django_capture_on_commit_callbacks(execute=True):
        profile = bob.profile
        profile.visibility = {"connections": "only_me"}
        profile.save(update_fields=["visibility"])
    assert not graph.engine().shows_connections(bob.pk, "connection")
    chains = connection_chains(viewer_id=alice.pk, member_id=carol.pk)
    assert chains.degree == 2 and chains.chains == [] and chains.hidden
    assert mutual_connections(viewer_id=alice.pk, member_id=carol.pk).ids == []
    assert mutual_connections(viewer_id=alice.pk, member_id=carol.pk).total == 1


def test_a_stale_audience_in_the_engine_is_caught_before_showing(runtime):
    alice, bob, carol = _member(), _member(), _member()
    connection_create(member=alice, other=bob)
    connection_create(member=bob, other=carol)
    graph.engine()
    # Changed behind the engine's back (no signal): the database check still hides bob.
    type(bob.profile).objects.filter(pk=bob.pk).update(visibility={"connections": "only_me"})
    assert connection_chains(viewer_id=alice.pk, member_id=carol.pk).chains == []


def test_pages_answer_from_sql_while_the_engine_builds_or_after_it_failed(runtime, monkeypatch):
    alice, bob, carol = _member(), _member(), _member()
    connection_create(member=alice, other=bob)
    connection_create(member=bob, other=carol)

    def broken(**kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr("carnet.network.graph.build.build_index", broken)
    assert graph.engine() is None
    assert runtime.status == Status.FAILED and "database went away" in runtime.error
    calls = []
    monkeypatch.setattr("carnet.network.selectors.degrees_sql", lambda v, ids: calls.append(v) or {carol.pk: 2})
    assert graph.degrees(alice.pk, [carol.pk]) == {carol.pk: 2}
    assert calls == [alice.pk]
    runtime.status = Status.BUILDING
    assert graph.engine() is None


def test_the_provider_is_registered_and_gives_the_same_relations(runtime):
    from carnet.core import visibility
    from carnet.core.visibility import Relation

    alice, bob, carol, dave, erin = (_member() for _ in range(5))
    connection_create(member=alice, other=bob)
    connection_create(member=bob, other=carol)
    connection_create(member=carol, other=dave)
    got = visibility.relations_with_degrees(alice, [bob.pk, carol.pk, dave.pk, erin.pk])
    assert got == {
        bob.pk: (Relation.CONNECTION, 1),
        carol.pk: (Relation.SECOND_DEGREE, 2),
        dave.pk: (Relation.MEMBER, 3),
        erin.pk: (Relation.MEMBER, None),
    }
    assert runtime.index is not None  # answered by the engine


def test_a_version_gap_makes_the_process_rebuild(runtime):
    alice, bob = _member(), _member()
    graph.engine()
    runtime._on_subscribed(10)
    runtime._on_message(b"11 pair 1 2")
    assert not runtime._must_rebuild()
    Connection.objects.bulk_create(
        [
            Connection(member_id=alice.pk, other_id=bob.pk, created=timezone.now()),
            Connection(member_id=bob.pk, other_id=alice.pk, created=timezone.now()),
        ]
    )
    runtime._on_message(b"14 pair 5 6")  # 12 and 13 were lost
    assert runtime._must_rebuild()
    index = graph.engine()  # sync mode: rebuilt from the database right away
    assert index.degrees(alice.pk, [bob.pk]) == {bob.pk: 1}
    assert not runtime._must_rebuild()


def test_compaction_folds_the_overlay(runtime, django_capture_on_commit_callbacks, monkeypatch):
    monkeypatch.setattr("carnet.network.graph.runtime.COMPACT_ROWS", 2)
    people = [_member() for _ in range(4)]
    graph.engine()
    with django_capture_on_commit_callbacks(execute=True):
        connection_create(member=people[0], other=people[1])
        connection_create(member=people[2], other=people[3])
    index = graph.engine()
    assert index.overlay_size() == 0
    assert index.degrees(people[0].pk, [p.pk for p in people]) == {people[1].pk: 1}


def _redis_url() -> str:
    import redis

    url = "redis://127.0.0.1:6379/6"
    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except redis.RedisError:
        pytest.skip("Redis is not running on 127.0.0.1:6379")
    return url


def _wait_for(condition, seconds=20.0):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.02)
    return False


def test_two_processes_stay_consistent_through_redis(django_capture_on_commit_callbacks):
    """Two engines (two web processes) on one channel: a change committed by one reaches the other."""
    url = _redis_url()
    channel = f"test-graph-{uuid.uuid4().hex}"
    first = GraphRuntime(mode="sync", redis_url=url, channel=channel)
    second = GraphRuntime(mode="sync", redis_url=url, channel=channel)
    alice, bob, carol = _member(), _member(), _member()
    previous = set_runtime(first)
    try:
        first.start()
        second.start()
        assert first.engine() is not None and second.engine() is not None
        with django_capture_on_commit_callbacks(execute=True):
            connection_create(member=alice, other=bob)  # committed "in the first process"
        assert first.engine().degrees(alice.pk, [bob.pk]) == {bob.pk: 1}  # its own writes at once
        assert _wait_for(lambda: second._pending_pairs)
        assert second.engine().degrees(alice.pk, [bob.pk]) == {bob.pk: 1}
        assert _wait_for(lambda: first._last_version == second._last_version == 1)

        # The second process misses an event (say it was disconnected): it stands aside, rebuilds.
        with django_capture_on_commit_callbacks(execute=True):
            connection_create(member=bob, other=carol)
        assert _wait_for(lambda: second._last_version == first._last_version)
        second._last_version -= 1
        with django_capture_on_commit_callbacks(execute=True):
            connection_remove(member=alice, other=bob)
        assert _wait_for(lambda: second._must_rebuild())
        index = second.engine()
        assert index.degrees(alice.pk, [bob.pk, carol.pk]) == {}
        assert index.degrees(bob.pk, [carol.pk]) == {carol.pk: 1}
    finally:
        set_runtime(previous)
        first.stop()
        second.stop()


def test_without_the_change_channel_the_engine_stands_aside():
    runtime = GraphRuntime(mode="sync", redis_url="redis://127.0.0.1:1/0", channel="nowhere")
    previous = set_runtime(runtime)
    try:
        runtime._subscribed.set()  # pretend the subscription happened, then lost
        runtime._connected = False
        assert runtime.engine() is None
    finally:
        set_runtime(previous)
        runtime.stop()


def test_default_mode_is_off_in_tests_and_configurable(settings):
    from carnet.network.graph.runtime import configured_mode

    assert django_settings.TESTING
    assert configured_mode() == "off"
    settings.CARNET_GRAPH_ENGINE = "auto"
    assert configured_mode() == "auto"
