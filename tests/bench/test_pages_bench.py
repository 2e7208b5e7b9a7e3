"""bench/pages.py and bench/search.py on small networks: their JSON has the shape of
benchmarks.md and every answer they measured was checked (the right member's page, status 200,
the same members on both search paths). No timing is asserted.

Both need PostgreSQL (their own carnet_bench_<members> database, seeded on first use), as
`make bench` does; without a server on 127.0.0.1:5432 they are skipped."""

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parents[2]


def _postgres_up() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 5432), timeout=1):
            return True
    except OSError:
        return False


pytestmark = pytest.mark.skipif(not _postgres_up(), reason="the benchmarks need PostgreSQL on 127.0.0.1:5432")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _run(script: str, members: int, *options: str, tmp_path) -> dict:
    out = tmp_path / "result.json"
    # Without --database-url each script uses (and seeds on first use) carnet_bench_<members>.
    command = [sys.executable, script, "--members", str(members), "--json", str(out), *options]
    # Not under test settings (carnet.settings.TESTING reads PYTEST_VERSION): the benchmark
    # serves as an instance does, graph engine included.
    env = {key: value for key, value in os.environ.items() if not key.startswith("PYTEST_")}
    completed = subprocess.run(command, cwd=PROJECT, env=env, capture_output=True, text=True, timeout=600, check=False)
    assert completed.returncode == 0, completed.stderr[-3000:]
    printed = json.loads(completed.stdout)
    assert printed == json.loads(out.read_text())
    return printed


def test_pages_bench_measures_checked_pages_next_to_the_trivial_view(tmp_path):
    result = _run("bench/pages.py", 300, "--duration", "1", "--warmup", "0.5", "--viewers", "4",
                  "--port", str(_free_port()), tmp_path=tmp_path)  # fmt: skip
    assert result["bench"] == "pages" and result["members"] == 300
    assert set(result["queries"]) == {"home", "profile", "connections"}
    trivial = result["reference"]["trivial_view"]
    assert trivial["rps"] > 0 and trivial["rps_after"] > 0
    for name, figures in result["queries"].items():
        assert figures["n"] > 0 and figures["rps"] > 0, name
        assert figures["non_2xx"] == 0 and figures["socket_errors"] == 0, name
        assert figures["p50_ms"] <= figures["p99_ms"], name
        assert figures["ratio_to_trivial"] == round(figures["rps"] / trivial["rps_mean"], 3)
        assert 0 < figures["sql_queries"]["min"] <= figures["sql_queries"]["max"], name
        assert result["checks"][name]["ok"], result["checks"][name]
    assert result["targets"] == {f"{name}.ratio_to_trivial": 0.25 for name in result["queries"]}
    assert isinstance(result["meets_targets"], bool)
    assert result["graph_engine"]["status"] == "ready"
    assert result["agree"] is True


def test_search_bench_paths_agree(tmp_path):
    result = _run("bench/search.py", 400, "--samples", "10", "--viewers", "4", "--hub-samples", "1",
                  tmp_path=tmp_path)  # fmt: skip
    assert result["bench"] == "search" and result["members"] == 400
    assert result["agree"] is True, result.get("checks")
    assert isinstance(result["meets_targets"], bool)
