"""bench/graph.py on a small network: the JSON has the shape of benchmarks.md and every engine
(the graph index, networkx, the independent walk) gives the same answers. No timing is asserted."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parents[2]
QUERIES = {"degree_25_warm", "degree_25_cold", "chains", "chains_out_of_network", "suggestions"}


@pytest.fixture(scope="module")
def result(tmp_path_factory):
    out = tmp_path_factory.mktemp("bench") / "graph.json"
    # --exact-up-to 20000: the hubs of this small network rank from a sample, as hubs do at a
    # million members, so both paths of the suggestions are checked.
    command = [sys.executable, "bench/graph.py", "--members", "2000", "--viewers", "20", "--samples", "200",
               "--no-sql", "not in tests", "--exact-up-to", "20000", "--json", str(out)]  # fmt: skip
    completed = subprocess.run(command, cwd=PROJECT, capture_output=True, text=True, timeout=300, check=False)
    assert completed.returncode == 0, completed.stderr[-2000:]
    printed = json.loads(completed.stdout)
    assert printed == json.loads(out.read_text())
    return printed


def test_shape(result):
    assert result["bench"] == "graph"
    assert result["members"] == 2000
    assert result["edges"] > 0 and result["memory_bytes"] > 0 and result["bytes_per_edge"] > 0
    assert set(result["queries"]) >= QUERIES
    for name in QUERIES:
        figures = result["queries"][name]
        assert figures["n"] >= 200
        assert figures["p50_ms"] <= figures["p95_ms"] <= figures["p99_ms"]
    assert result["reference"]["sql"] == {"skipped": "not in tests"}
    assert set(result["reference"]["networkx"]["queries"]) == QUERIES
    assert "networkx" in result["ratios"]
    assert isinstance(result["meets_targets"], bool)


def test_every_engine_agrees(result):
    checks = result["checks"]
    assert {"carnet_vs_independent_walk", "networkx.mixed", "networkx.chains", "networkx.suggestions"} <= set(checks)
    assert all(check["agree"] for check in checks.values()), checks
    assert result["agree"] is True


def test_suggestions_are_checked_exact_and_sampled(result):
    checks = result["checks"]
    assert result["suggestions_exact_up_to"] == 20000
    # Every list shown has exact scores and mutual counts (independent walk over raw arrays)...
    assert checks["carnet.suggestions_shown_exact"]["agree"] is True
    walk = checks["carnet.suggestions_vs_independent_walk"]
    # ...viewers below the budget get exactly the walk's top 20, hubs were ranked from a sample.
    assert walk["agree"] is True and walk["n"] > 0 and walk["sampled_viewers"] > 0
    assert 0 <= walk["sampled_recall"]["min"] <= walk["sampled_recall"]["mean"] <= 1
    # networkx compares the exact rankings and says how many sampled ones it left to the walk.
    networkx = checks["networkx.suggestions"]
    assert networkx["n"] > 0 and networkx["sampled_viewers_not_compared"] > 0


def test_inputs_cover_the_network(result):
    inputs = result["inputs"]
    assert inputs["pages_in_network"] > 0 and inputs["pages_out_of_network"] > 0
    assert inputs["chains_3rd_degree"] > 0 and inputs["chains_out_of_network"] > 0
    # Hubs (at the cap) and isolated members are among the viewers.
    assert max(inputs["viewer_degrees"]) == result["degree_distribution"]["cap"]
    assert min(inputs["viewer_degrees"]) == 0


def test_reference_chain_choice():
    sys.path.insert(0, str(PROJECT / "bench"))
    try:
        from graph import pick_reference_chains
    finally:
        sys.path.remove(str(PROJECT / "bench"))
    # Disjoint intermediates first, in ascending order, then the remaining distinct chains.
    assert pick_reference_chains([(1, 5), (1, 6), (2, 5), (3, 7)], 3) == [(1, 5), (3, 7), (1, 6)]
    assert pick_reference_chains([(4,), (2,), (9,), (3,)], 3) == [(2,), (3,), (4,)]
    assert pick_reference_chains([], 3) == []
