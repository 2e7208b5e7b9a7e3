"""Page benchmark: requests per second and latency of the pages a signed-in member sees most,
next to a trivial view on the same server, in the same run.

    python bench/pages.py --members 10000 [--seed 42] [--json out.json] [--duration 10]

- Data: the synthetic network of `carnet seed`, in its own PostgreSQL database
  (carnet_bench_<members>, seeded on first use, reused after).
- Server: `carnet serve` (uvicorn, one process, the production ASGI application with every
  middleware), pinned to core 0 with taskset; the load generator (wrk when installed, else
  keep-alive http.client threads) pinned to core 1.
- Viewers: members drawn across the degree distribution, hubs included; profile pages of
  members inside (a connection, a 2nd-degree member) and outside their network.
- Pages: `home` (/), `profile` (/in/<slug>/ of another member), `connections` (/network/);
  reference `trivial_view` (/bench/trivial, routed only with CARNET_BENCH=1), measured before
  and after the pages. Each page also reports its SQL queries per request (min/max over the
  viewers: a bounded number whatever the viewer's degree) and the checks of its answers.

JSON on standard output (see /docs/performance.md), progress on standard error.
"""

from __future__ import annotations

import http.client
import json
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

from common import (
    PROJECT_DIR,
    bench_parser,
    emit,
    ensure_database,
    ensure_seeded,
    log,
    machine,
    peak_rss_bytes,
    percentiles,
    pin_to_core,
    setup_django,
)

TARGET_RATIO = 0.25  # each page >= 25 % of the trivial view's requests per second
SERVER_CORE, CLIENT_CORE = 0, 1

WRK_SCRIPT = """
local reqs = %s
local i = 0
request = function()
  i = i %% #reqs + 1
  local r = reqs[i]
  return wrk.format("GET", r[1], {["Cookie"] = r[2]})
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'WRKRESULT {"requests": %%d, "duration_us": %%d, "non_2xx": %%d, "socket_errors": %%d, ' ..
    '"p50_us": %%d, "p95_us": %%d, "p99_us": %%d, "max_us": %%d}\\n',
    summary.requests, summary.duration, e.status, e.connect + e.read + e.write + e.timeout,
    latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.max))
end
"""


def main() -> None:
    parser = bench_parser("pages", description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", help="PostgreSQL database to use (default: carnet_bench_<members>)")
    parser.add_argument("--duration", type=float, default=10.0, help="seconds of load per page (10)")
    parser.add_argument("--warmup", type=float, default=2.0, help="seconds of untimed load before each (2)")
    parser.add_argument("--connections", type=int, default=4, help="keep-alive connections of the client (4)")
    parser.add_argument("--viewers", type=int, default=20, help="signed-in members the requests rotate over (20)")
    parser.add_argument("--port", type=int, default=8001)
    parser.add_argument(
        "--workers", type=int, default=1, help="uvicorn processes, all pinned to the server's one core (1)"
    )
    parser.add_argument("--python-client", action="store_true", help="use the Python client even if wrk is there")
    args = parser.parse_args()

    database_url = args.database_url or f"postgres://postgres@127.0.0.1:5432/carnet_bench_{args.members}"
    ensure_database(database_url)
    data_dir = tempfile.mkdtemp(prefix="carnet-bench-pages-")
    env = {
        "DATABASE_URL": database_url,
        "CARNET_DATA_DIR": data_dir,
        "SECRET_KEY": secrets.token_urlsafe(50),
        "CARNET_BENCH": "1",
        "CARNET_TASKS": "immediate",
        "AXES_ENABLED": "False",
        "LOG_LEVEL": "WARNING",
    }
    if args.workers > 1:  # several processes need a shared cache (carnet serve refuses otherwise)
        env["REDIS_URL"] = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/13"
    setup_django(**env)
    try:
        result = run(args, env, database_url)
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)
    emit(result, args.json)


def run(args, env: dict, database_url: str) -> dict:
    from django.core.management import call_command
    from django.db import connection

    seeded = ensure_seeded(members=args.members, seed=args.seed)
    call_command("collectstatic", interactive=False, verbosity=0)
    viewers = pick_viewers(args.viewers, seed=args.seed)
    log(f"pages: {len(viewers)} viewers, degrees {sorted(v['degree'] for v in viewers)}")
    workloads, checks = prepare(viewers)
    connection.close()

    client = "wrk" if shutil.which("wrk") and not args.python_client else "python"
    server = start_server(args.port, env, workers=args.workers)
    try:
        pin_to_core(CLIENT_CORE)
        base = f"http://127.0.0.1:{args.port}"
        runs = {}
        for name in ("trivial_view", "home", "profile", "connections", "trivial_view_after"):
            workload = workloads["trivial_view" if name.startswith("trivial") else name]
            log(f"pages: {name}: {args.warmup:g} s warm-up, {args.duration:g} s of load ({client})")
            load(client, base, workload, args.warmup, args.connections)
            runs[name] = load(client, base, workload, args.duration, args.connections)
            log(f"pages: {name}: {runs[name]['rps']} req/s, p99 {runs[name].get('p99_ms')} ms")
        server_memory = peak_rss_bytes(server.pid)
        graph_status = getattr(server, "graph_status", {})
    finally:
        stop_server(server)

    trivial_rps = (runs["trivial_view"]["rps"] + runs["trivial_view_after"]["rps"]) / 2
    queries = {}
    for name in ("home", "profile", "connections"):
        entry = dict(runs[name])
        entry["ratio_to_trivial"] = round(entry["rps"] / trivial_rps, 3) if trivial_rps else None
        entry["sql_queries"] = checks[name]["sql_queries"]
        queries[name] = entry
    agree = all(c["ok"] for c in checks.values()) and all(
        r.get("n", 0) > 0 and r.get("non_2xx", 0) == 0 and r.get("socket_errors", 0) == 0 for r in runs.values()
    )
    targets = {f"{name}.ratio_to_trivial": TARGET_RATIO for name in queries}
    return {
        "bench": "pages",
        "members": args.members,
        "edges": seeded.get("connections"),
        "seed": args.seed,
        "server": f"carnet serve (uvicorn, {args.workers} process(es), core {SERVER_CORE}), PostgreSQL",
        "client": f"{client}, {args.connections} keep-alive connections, core {CLIENT_CORE}",
        "viewers": [{"id": v["id"], "degree": v["degree"]} for v in viewers],
        "memory_bytes": server_memory,
        "graph_engine": {k: graph_status.get(k) for k in ("status", "build_seconds", "members", "error")},
        "queries": queries,
        "reference": {
            "trivial_view": {
                **runs["trivial_view"],
                "rps_after": runs["trivial_view_after"]["rps"],
                "rps_mean": round(trivial_rps, 1),
            }
        },
        "checks": {name: c for name, c in checks.items()},
        "agree": agree,
        "targets": targets,
        "meets_targets": all((queries[n]["ratio_to_trivial"] or 0) >= TARGET_RATIO for n in queries),
        "machine": machine(),
        "database": database_url.rsplit("/", 1)[-1],
    }


def pick_viewers(count: int, *, seed: int) -> list[dict]:
    """Members across the degree distribution (quantiles), plus the two biggest hubs."""
    import numpy as np
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT u.id, COUNT(c.id) FROM accounts_user u LEFT JOIN network_connection c ON c.member_id = u.id "
            "WHERE u.is_active GROUP BY u.id ORDER BY 2, 1"
        )
        rows = cursor.fetchall()
    if not rows:
        raise SystemExit("pages: the database has no members")
    hubs = rows[-2:]
    quantiles = np.linspace(0.05, 0.95, max(1, count - len(hubs)))
    picked = {rows[int(q * (len(rows) - 1))] for q in quantiles} | set(hubs)
    return [{"id": member_id, "degree": degree} for member_id, degree in sorted(picked, key=lambda r: r[1])]


def prepare(viewers: list[dict]) -> tuple[dict, dict]:
    """Session cookies, the request lists of each page, and the checks made in-process: status,
    content and SQL queries per request for every viewer."""
    import random

    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from carnet.accounts.models import User
    from carnet.network.models import Connection

    rng = random.Random(0)
    users = User.objects.in_bulk([v["id"] for v in viewers])
    profiles = dict(User.objects.filter(profile__isnull=False).values_list("id", "profile__slug"))
    member_ids = list(profiles)
    workloads: dict[str, list] = {"trivial_view": [], "home": [], "profile": [], "connections": []}
    checks = {name: {"ok": True, "sql_queries": {"min": None, "max": None}, "failures": []} for name in workloads}

    def record(name: str, response, count: int, expect: str | None, viewer_id: int) -> None:
        check = checks[name]
        q = check["sql_queries"]
        q["min"] = count if q["min"] is None else min(q["min"], count)
        q["max"] = count if q["max"] is None else max(q["max"], count)
        body = response.content.decode(errors="replace")
        if response.status_code != 200 or (expect and expect not in body):
            check["ok"] = False
            check["failures"].append({"viewer": viewer_id, "status": response.status_code, "expected": expect})

    for viewer in viewers:
        user = users[viewer["id"]]
        client = Client()
        client.force_login(user)
        cookie = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
        friends = list(Connection.objects.filter(member_id=user.pk).values_list("other_id", flat=True)[:50])
        second = list(
            Connection.objects.filter(member_id__in=friends[:10])
            .exclude(other_id__in=[*friends, user.pk])
            .values_list("other_id", flat=True)[:20]
        )
        outside = [m for m in rng.sample(member_ids, min(8, len(member_ids))) if m != user.pk]
        targets = [t for t in (friends[:1] + second[:1] + outside[:2]) if t in profiles]

        for name, path in (("trivial_view", "/bench/trivial"), ("home", "/")):
            workloads[name].append((path, cookie))
            with CaptureQueriesContext(connection) as captured:
                response = client.get(path)
            record(name, response, len(captured), "ok" if name == "trivial_view" else "<main", user.pk)

        with CaptureQueriesContext(connection) as captured:
            response = client.get("/network/")
        # The page lists the most recent connections first (the default sort).
        latest = (
            Connection.objects.filter(member_id=user.pk).order_by("-created", "-id").values_list("other_id", flat=True)
        )
        named = User.objects.get(pk=latest[0]).first_name if friends else None
        workloads["connections"].append(("/network/", cookie))
        record("connections", response, len(captured), named, user.pk)

        for target in targets:
            path = f"/in/{profiles[target]}/"
            workloads["profile"].append((path, cookie))
            with CaptureQueriesContext(connection) as captured:
                response = client.get(path)
            record("profile", response, len(captured), User.objects.get(pk=target).first_name, user.pk)
    for check in checks.values():
        check["failures"] = check["failures"][:5]
    return workloads, checks


def start_server(port: int, env: dict, *, workers: int = 1) -> subprocess.Popen:
    command = [sys.executable, "-c", "from carnet.cli import main; main()", "serve", "--port", str(port),
               "--no-task-worker", "--no-access-log", "--workers", str(workers)]  # fmt: skip
    if shutil.which("taskset"):
        command = ["taskset", "-c", str(SERVER_CORE), *command]
    server = subprocess.Popen(
        command,
        env={**os.environ, **env},
        cwd=PROJECT_DIR,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"pages: the server stopped: {server.stderr.read()[-2000:]}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as response:
                if response.status == 200:
                    break
        except OSError:
            time.sleep(0.3)
    else:
        stop_server(server)
        raise SystemExit("pages: the server did not answer /healthz within 60 s")
    # Measure the pages as a running instance serves them: from the graph index, not from the
    # SQL fallback used while it is being built (which also takes the server's core meanwhile).
    deadline = time.monotonic() + 600
    status = {}
    settled = 0  # with several processes, each answers for its own engine: ask until many agree
    while time.monotonic() < deadline:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/bench/graph", timeout=30) as response:
            status = json.loads(response.read())
        settled = settled + 1 if status.get("status") in ("ready", "failed", "off") else 0
        if settled >= (1 if workers == 1 else 10 * workers):
            break
        time.sleep(1 if settled == 0 else 0.05)
    log(f"pages: graph engine {status.get('status')} (built in {status.get('build_seconds')} s)")
    server.graph_status = status
    return server


def stop_server(server: subprocess.Popen) -> None:
    server.terminate()
    try:
        server.wait(timeout=20)
    except subprocess.TimeoutExpired:
        server.kill()


def load(client: str, base: str, workload: list, duration: float, connections: int) -> dict:
    if client == "wrk":
        return load_wrk(base, workload, duration, connections)
    return load_python(base, workload, duration, connections)


def load_wrk(base: str, workload: list, duration: float, connections: int) -> dict:
    script = WRK_SCRIPT % ("{" + ", ".join(f"{{{json.dumps(p)}, {json.dumps(c)}}}" for p, c in workload) + "}")
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as handle:
        handle.write(script)
    try:
        command = ["wrk", "-t1", f"-c{connections}", f"-d{max(1, round(duration))}s", "--latency", "-s", handle.name,
                   base + "/"]  # fmt: skip
        if shutil.which("taskset"):
            command = ["taskset", "-c", str(CLIENT_CORE), *command]
        output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    finally:
        Path(handle.name).unlink(missing_ok=True)
    line = next(line for line in output.splitlines() if line.startswith("WRKRESULT "))
    raw = json.loads(line.split(" ", 1)[1])
    seconds = raw["duration_us"] / 1e6
    return {
        "rps": round(raw["requests"] / seconds, 1),
        "n": raw["requests"],
        "p50_ms": round(raw["p50_us"] / 1000, 3),
        "p95_ms": round(raw["p95_us"] / 1000, 3),
        "p99_ms": round(raw["p99_us"] / 1000, 3),
        "max_ms": round(raw["max_us"] / 1000, 3),
        "non_2xx": raw["non_2xx"],
        "socket_errors": raw["socket_errors"],
    }


def load_python(base: str, workload: list, duration: float, connections: int) -> dict:
    """Keep-alive http.client threads: each sends requests back to back until the time is up."""
    host, port = base.removeprefix("http://").split(":")
    stop_at = time.monotonic() + duration
    samples: list[list[float]] = [[] for _ in range(connections)]
    errors = [0] * connections

    def worker(k: int) -> None:
        conn = http.client.HTTPConnection(host, int(port), timeout=30)
        i = k
        while time.monotonic() < stop_at:
            path, cookie = workload[i % len(workload)]
            i += connections
            started = time.perf_counter()
            conn.request("GET", path, headers={"Cookie": cookie})
            response = conn.getresponse()
            response.read()
            samples[k].append(time.perf_counter() - started)
            errors[k] += response.status != 200
        conn.close()

    started = time.monotonic()
    threads = [threading.Thread(target=worker, args=(k,)) for k in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    flat = [s for chunk in samples for s in chunk]
    return {"rps": round(len(flat) / elapsed, 1), **percentiles(flat), "non_2xx": sum(errors), "socket_errors": 0}


if __name__ == "__main__":
    main()
