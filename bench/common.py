"""Shared helpers for Carnet's benchmarks (see docs/performance.md and benchmarks.md).

Every script under bench/ accepts --members, --seed and --json, prints one JSON object on
standard output and its progress on standard error. A script run as `python bench/<name>.py`
has bench/ on its path, so it imports these helpers as `common`:

    from common import bench_parser, emit, ensure_seeded, log, percentiles, setup_django

    args = bench_parser("graph", default_members=100_000).parse_args()
    setup_django(database_url=...)        # before importing models
    ensure_seeded(members=args.members, seed=args.seed)
    ...
    emit({"bench": "graph", "members": args.members, "queries": {...}}, args.json)
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import resource
import sys
import time
from collections.abc import Iterable
from contextlib import contextmanager
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent
if str(PROJECT_DIR) not in sys.path:
    # `python bench/x.py` puts bench/ first on the path, not the project.
    sys.path.insert(0, str(PROJECT_DIR))

DEFAULT_SEED = 42
SIZES = {"S": 10_000, "M": 100_000, "L": 1_000_000}


def log(*parts: object) -> None:
    """Progress for humans: standard error, so standard output stays one JSON object."""
    print(*parts, file=sys.stderr, flush=True)


def bench_parser(name: str, *, default_members: int = SIZES["M"], description: str = "") -> argparse.ArgumentParser:
    """An argument parser with the options every benchmark accepts."""

    def members(value: str) -> int:
        return SIZES[value.upper()] if value.upper() in SIZES else int(value.replace("_", "").replace(",", ""))

    parser = argparse.ArgumentParser(prog=f"bench/{name}.py", description=description or None)
    parser.add_argument(
        "--members", type=members, default=default_members, help="network size: a number or S, M, L (%(default)s)"
    )
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="seed of the synthetic network (%(default)s)")
    parser.add_argument("--json", metavar="PATH", help="also write the JSON result to this file")
    return parser


def percentiles(samples_s: Iterable[float]) -> dict:
    """{"n", "p50_ms", "p95_ms", "p99_ms", "max_ms"} of durations given in seconds.

    Nearest-rank percentiles: the reported value is one that was actually measured.
    """
    values = sorted(samples_s)
    n = len(values)
    if not n:
        return {"n": 0}

    def rank(p: float) -> float:
        index = max(0, min(n - 1, int(-(-p * n // 100)) - 1))
        return round(values[index] * 1000, 3)

    return {"n": n, "p50_ms": rank(50), "p95_ms": rank(95), "p99_ms": rank(99), "max_ms": round(values[-1] * 1000, 3)}


@contextmanager
def timer():
    """`with timer() as t: ...` then `t()` gives the elapsed seconds (frozen at exit)."""
    started = time.perf_counter()
    end: list[float] = []
    yield lambda: (end[0] if end else time.perf_counter()) - started
    end.append(time.perf_counter())


def sample(fn, inputs: Iterable, *, warmup: int = 20) -> list[float]:
    """Call fn(x) for each input after `warmup` untimed calls; the durations in seconds."""
    inputs = list(inputs)
    for x in inputs[:warmup]:
        fn(x)
    durations = []
    for x in inputs:
        started = time.perf_counter()
        fn(x)
        durations.append(time.perf_counter() - started)
    return durations


def peak_rss_bytes(pid: int | None = None) -> int:
    """Peak resident memory of this process (or of another one by pid, Linux only)."""
    if pid is None:
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    return _proc_status_kb(pid, "VmHWM") * 1024


def rss_bytes(pid: int | None = None) -> int:
    """Current resident memory of this process or another one (Linux /proc)."""
    return _proc_status_kb(pid or os.getpid(), "VmRSS") * 1024


def _proc_status_kb(pid: int, field: str) -> int:
    try:
        text = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0
    match = re.search(rf"^{field}:\s+(\d+) kB", text, re.MULTILINE)
    return int(match.group(1)) if match else 0


def machine() -> dict:
    """Cores, memory and versions, to record next to every figure."""
    memory = 0
    try:
        match = re.search(r"^MemTotal:\s+(\d+) kB", Path("/proc/meminfo").read_text(), re.MULTILINE)
        memory = int(match.group(1)) * 1024 if match else 0
    except OSError:
        pass
    cpu = platform.processor()
    try:
        match = re.search(r"^model name\s*:\s*(.+)$", Path("/proc/cpuinfo").read_text(), re.MULTILINE)
        cpu = match.group(1).strip() if match else cpu
    except OSError:
        pass
    info = {
        "cores": os.cpu_count(),
        "memory_bytes": memory,
        "cpu": cpu,
        "python": platform.python_version(),
        "platform": platform.platform(terse=True),
    }
    try:
        import django

        info["django"] = django.get_version()
    except ImportError:
        pass
    return info


def pin_to_core(core: int, pid: int = 0) -> bool:
    """Pin a process (this one by default) to one CPU core; False where that is impossible."""
    cores = os.cpu_count() or 1
    try:
        os.sched_setaffinity(pid, {core % cores})
    except (AttributeError, OSError):
        return False
    return True


def setup_django(*, database_url: str | None = None, data_dir: str | None = None, **env: str) -> None:
    """Configure Django for a benchmark: optional DATABASE_URL / data directory, then setup()."""
    if database_url is not None:
        os.environ["DATABASE_URL"] = database_url
    if data_dir is not None:
        os.environ["CARNET_DATA_DIR"] = data_dir
    os.environ.update(env)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "carnet.settings")
    os.environ.setdefault("CARNET_TASKS", "immediate")
    import django

    django.setup()


def ensure_database(database_url: str) -> None:
    """Create the PostgreSQL database named in the URL if it does not exist yet."""
    from urllib.parse import urlsplit, urlunsplit

    import psycopg

    parts = urlsplit(database_url)
    name = parts.path.lstrip("/")
    admin_url = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin_url, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            log(f"bench: creating database {name}")
            conn.execute(f'CREATE DATABASE "{name}"')


def ensure_seeded(*, members: int, seed: int, **seed_options) -> dict:
    """Migrate, and seed the synthetic network unless the database already holds this size and
    seed (a previous `carnet seed` recorded them). Django must be set up. Returns the seed's report."""
    from django.core.management import call_command

    from carnet.core.seed import seeded_network

    call_command("migrate", interactive=False, verbosity=0)
    existing = seeded_network()
    if existing and existing.get("members") == members and existing.get("seed") == seed:
        log(f"bench: reusing the seeded network ({members} members, seed {seed})")
        return existing
    if existing:
        raise SystemExit(
            f"bench: the database holds another network ({existing.get('members')} members, seed "
            f"{existing.get('seed')}); use a fresh database for {members} members, seed {seed}."
        )
    log(f"bench: seeding {members} members (seed {seed})")
    call_command("seed", members=members, seed=seed, **seed_options)
    return seeded_network() or {}


def emit(result: dict, json_path: str | None = None) -> None:
    """Print the result as one JSON object on standard output (and to --json PATH)."""
    text = json.dumps(result, indent=2, sort_keys=False, default=str)
    print(text, flush=True)
    if json_path:
        Path(json_path).write_text(text + "\n")
