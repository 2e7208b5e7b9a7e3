"""The graph engine against networkx on random graphs (hypothesis): degrees, k shortest chains
with hidden intermediates, updates and compaction, friend-of-friend counts, suggestions."""

from __future__ import annotations

import os

import networkx as nx
import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from carnet.network.graph.affiliations import OPEN_END, AffiliationIndex, Periods
from carnet.network.graph.index import CONNECTION, SECOND, GraphIndex, default_admits
from carnet.network.graph.suggest import rank_suggestions

AUDIENCES = [None, "public", "members", "network", "connections", "only_me"]

# Profiles, chosen with HYPOTHESIS_PROFILE: "default" (60 random graphs per property, as a
# developer runs them), "ci" (fewer and derandomized: every CI run checks the same graphs, fast
# on a shared runner), "thorough" (500, for a change to the engine).
_BASE = {"deadline": None, "suppress_health_check": [HealthCheck.too_slow]}
settings.register_profile("carnet-default", max_examples=60, **_BASE)
settings.register_profile("carnet-ci", max_examples=20, derandomize=True, print_blob=True, **_BASE)
settings.register_profile("carnet-thorough", max_examples=500, **_BASE)
PROFILE = os.environ.get("HYPOTHESIS_PROFILE", "default")
PROPERTY = settings(settings.get_profile(f"carnet-{PROFILE}"))


@st.composite
def graphs(draw, max_members=16):
    n = draw(st.integers(min_value=2, max_value=max_members))
    pairs = st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)).filter(lambda p: p[0] != p[1])
    edges = draw(st.lists(pairs, max_size=n * 3))
    audiences = draw(st.dictionaries(st.integers(0, n - 1), st.sampled_from(AUDIENCES[1:]), max_size=n))
    graph = nx.Graph()
    graph.add_nodes_from(range(n))
    graph.add_edges_from(edges)
    return graph, audiences


def _index(graph: nx.Graph, audiences=None) -> GraphIndex:
    edges = np.array(list(graph.edges()), dtype=np.int64).reshape(-1, 2)
    return GraphIndex.from_edges(edges, size=graph.number_of_nodes(), audiences=audiences)


def _expected_degrees(graph: nx.Graph, viewer: int) -> dict[int, int]:
    reach = nx.single_source_shortest_path_length(graph, viewer, cutoff=3) if viewer in graph else {}
    return {member: length for member, length in reach.items() if member != viewer}


def _expected_chains(graph, audiences, viewer, target, k, exclude=frozenset()):
    """The spec of GraphIndex.chains written the slow, obvious way from networkx."""
    paths = sorted(tuple(path[1:-1]) for path in nx.all_shortest_paths(graph, viewer, target))

    def shown(chain):
        for position, member in enumerate(chain):
            relation = CONNECTION if position == 0 else SECOND
            if member in exclude or not default_admits(audiences.get(member), relation):
                return False
        return True

    allowed = [chain for chain in paths if shown(chain)]
    chosen, rest = [], list(allowed)
    while len(chosen) < k and rest:
        chosen.append(rest[0])
        rest = [chain for chain in rest if not set(chain) & set(chosen[-1])]
    for chain in allowed:
        if len(chosen) >= k:
            break
        if chain not in chosen:
            chosen.append(chain)
    hidden = min(k, len(paths)) > len(chosen)
    return chosen, hidden


@PROPERTY
@given(graphs(), st.booleans())
def test_degrees_match_networkx_cold_and_warm(case, warm):
    graph, _audiences = case
    index = _index(graph)
    everyone = list(graph.nodes()) + [graph.number_of_nodes() + 5]  # and an unknown id
    for viewer in graph.nodes():
        if warm:
            index.warm(viewer)
        assert index.degrees(viewer, everyone) == _expected_degrees(graph, viewer)


@PROPERTY
@given(graphs(), st.integers(min_value=1, max_value=4), st.data())
def test_chains_match_networkx(case, k, data):
    graph, audiences = case
    index = _index(graph, audiences)
    n = graph.number_of_nodes()
    exclude = frozenset(data.draw(st.sets(st.integers(0, n - 1), max_size=2)))
    for viewer in graph.nodes():
        for target in graph.nodes():
            if viewer == target:
                continue
            got = index.chains(viewer, target, k, exclude=exclude)
            if not nx.has_path(graph, viewer, target) or nx.shortest_path_length(graph, viewer, target) > 3:
                assert got.degree is None and got.chains == []
                continue
            degree = nx.shortest_path_length(graph, viewer, target)
            assert got.degree == degree
            if degree == 1:
                assert got.chains == [()]
                continue
            chosen, hidden = _expected_chains(graph, audiences, viewer, target, k, exclude)
            assert got.chains == chosen
            assert got.hidden == hidden
            # Every chain returned is a real shortest path of distinct intermediates.
            for chain in got.chains:
                path = [viewer, *chain, target]
                assert all(graph.has_edge(a, b) for a, b in zip(path, path[1:], strict=False))
            assert len(set(got.chains)) == len(got.chains)


@PROPERTY
@given(graphs(max_members=12), st.lists(st.tuples(st.integers(0, 14), st.integers(0, 14), st.booleans()), max_size=25))
def test_updates_and_compaction_keep_degrees_right(case, changes):
    graph, _audiences = case
    index = _index(graph)
    for viewer in list(graph.nodes())[::2]:
        index.warm(viewer)  # cached reach sets must be invalidated by the changes
    for step, (a, b, present) in enumerate(changes):
        if a == b:
            continue
        if present:
            graph.add_edge(a, b)
        elif graph.has_edge(a, b):
            graph.remove_edge(a, b)
        index.apply([(a, b, present)])
        if step % 7 == 6:
            index.compact()
    assert index.directed_edges == 2 * graph.number_of_edges()
    everyone = list(range(16))
    for viewer in graph.nodes():
        assert index.degrees(viewer, everyone) == _expected_degrees(graph, viewer)


@PROPERTY
@given(graphs(), st.data())
def test_friend_of_friend_counts_and_suggestions(case, data):
    graph, _audiences = case
    index = _index(graph)
    n = graph.number_of_nodes()
    today = 20_000
    rows = data.draw(
        st.lists(
            st.tuples(st.integers(0, n - 1), st.integers(1, 3), st.integers(0, 19_000), st.integers(-1, 3000)),
            max_size=2 * n,
        )
    )
    companies = [(m, o, s, OPEN_END if length < 0 else s + length) for m, o, s, length in rows]
    schools = data.draw(st.lists(st.tuples(st.integers(0, n - 1), st.integers(1, 2), st.integers(2000, 2008))))
    table = np.array(companies, dtype=np.int64).reshape(-1, 4)
    school_table = np.array(schools, dtype=np.int64).reshape(-1, 3)
    affiliations = AffiliationIndex(
        Periods(table[:, 0], table[:, 1], table[:, 2], table[:, 3]),
        Periods(school_table[:, 0], school_table[:, 1], school_table[:, 2], school_table[:, 2]),
    )
    for viewer in graph.nodes():
        mutual = {}
        for a in graph[viewer]:
            for c in graph[a]:
                if c != viewer and not graph.has_edge(viewer, c):
                    mutual[c] = mutual.get(c, 0) + 1
        ids, counts = index.friend_of_friend_counts(viewer)
        assert dict(zip(ids.tolist(), counts.tolist(), strict=True)) == mutual

        colleagues = set()
        for m, o, s, e in companies:
            if m != viewer:
                continue
            for m2, o2, s2, e2 in companies:
                ends = (today if e == OPEN_END else e, today if e2 == OPEN_END else e2)
                if m2 != viewer and o2 == o and max(s, s2) <= min(ends):
                    colleagues.add(m2)
        classmates = {
            m2
            for m, o, y in schools
            if m == viewer
            for m2, o2, y2 in schools
            if m2 != viewer and o2 == o and abs(y - y2) <= 2
        }
        exclude = {data.draw(st.integers(0, n - 1))}
        score = {}
        for member in set(mutual) | colleagues | classmates:
            if member in exclude or member == viewer or graph.has_edge(viewer, member):
                continue
            score[member] = mutual.get(member, 0) + 8 * (member in colleagues) + 5 * (member in classmates)
        expected = sorted(score.items(), key=lambda item: (-item[1], -item[0]))[:10]
        got = rank_suggestions(index, affiliations, viewer, limit=10, exclude=exclude, today=today)
        assert [(s.member_id, s.score) for s in got] == expected
        for suggestion in got:
            assert suggestion.mutual == mutual.get(suggestion.member_id, 0)
            assert (suggestion.colleague is not None) == (suggestion.member_id in colleagues)
            assert (suggestion.classmate is not None) == (suggestion.member_id in classmates)


@PROPERTY
@given(graphs(), st.data())
def test_sampled_suggestions_are_exact_where_shown(case, data):
    """Past the exact budget (forced to 0 here) the counts come from a sample of the viewer's
    connections: a suggestion may be missing, but every one shown has its exact score and
    mutual count, they come in ranking order, and none is barred."""
    graph, _audiences = case
    index = _index(graph)
    n = graph.number_of_nodes()
    sample = data.draw(st.integers(1, 12))
    pool = data.draw(st.integers(1, 6))
    for viewer in graph.nodes():
        exact = rank_suggestions(index, None, viewer, limit=5, today=0, exact_up_to=None)
        got = rank_suggestions(index, None, viewer, limit=5, today=0, exact_up_to=0, sample=sample, pool=pool)
        assert exact.exact
        assert got.exact == (graph.degree(viewer) == 0)
        mutual = {c: len(set(graph[viewer]) & set(graph[c])) for c in range(n)}
        for suggestion in got:
            assert suggestion.member_id != viewer and not graph.has_edge(viewer, suggestion.member_id)
            assert suggestion.mutual == suggestion.score == mutual[suggestion.member_id] > 0
        keys = [(s.score, s.member_id) for s in got]
        assert keys == sorted(keys, reverse=True)
        # With a pool as big as every candidate and a sample of everything, nothing is missed.
        full = rank_suggestions(index, None, viewer, limit=5, today=0, exact_up_to=0, sample=10**6, pool=n)
        assert [(s.member_id, s.score) for s in full] == [(s.member_id, s.score) for s in exact]


@PROPERTY
@given(graphs(), st.data())
def test_mutual_count_array_matches_networkx(case, data):
    graph, _audiences = case
    index = _index(graph)
    n = graph.number_of_nodes()
    changes = data.draw(st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1), st.booleans()), max_size=6))
    for a, b, present in changes:  # some rows in the overlay, some in the CSR arrays
        if a != b:
            index.apply([(a, b, present)])
            if present:
                graph.add_edge(a, b)
            elif graph.has_edge(a, b):
                graph.remove_edge(a, b)
    targets = np.array(data.draw(st.lists(st.integers(0, n + 2), max_size=n + 3, unique=True)), dtype=np.int64)
    for viewer in graph.nodes():
        expected = [len(set(graph[viewer]) & set(graph[t])) if t in graph else 0 for t in targets.tolist()]
        assert index.mutual_count_array(viewer, targets).tolist() == expected
