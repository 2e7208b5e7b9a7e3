"""People-search benchmark: the search results page for signed-in members, in process, and the
share of its server time spent in the graph engine (the degree badges of a page of results).

    python bench/search.py [--members 100000] [--database-url postgres://.../carnet_bench]
                           [--samples 200] [--viewers 20] [--json out.json]

- Data: the synthetic network of `carnet seed`. By default in its own PostgreSQL database
  (carnet_bench_<members>: migrated, seeded and indexed on first use, reused after). With
  --database-url, a database prepared by someone else, used read only: it must hold a seeded
  network and its search index (`carnet search reindex`), nothing is migrated or written.
  Measuring never writes: every request runs in a transaction that is rolled back, sessions
  are signed cookies.
- Viewers: members across the degree distribution (quantiles) plus the two biggest hubs.
  Queries: typical searches (a name, a job title, a skill, a company, a word prefix, a place)
  and the same with the degree filter (1st, 2nd, 3rd+) and filters only.
- Each sample is one GET /search/?... through Django's full handler (middleware, view,
  template), timed in process; the degree provider of the visibility policy is wrapped to time
  the graph calls made within it (one per page). The graph index is built before measuring,
  and every viewer has one untimed request first (then the engine's reach cache is warm, as
  it is for a member paging through results).
- References, same run: `trivial_degrees` (the same pages with a degree provider that answers
  "out of network" at once: the page without graph work) and `sql` (the engine's query alone:
  count and ids of the page, no rendering). Checks: the same members in the same order with and
  without graph work, and the engine's degrees equal to the SQL fallback's for every card.

- Degree filter, graph engine vs SQL (`degree_filter_paths`): the pages with the degree filter
  (the queries above plus the worst ones for a hub: "2nd" and "3rd+" with no words) answered
  by the graph engine (search.degrees: ranked candidates kept by degree) and by the SQL
  subqueries (the fallback, `degree_filter_q`), timed for the hubs (--hub-samples each) and
  for all viewers; the SQL path's 5 s give-ups (CARNET_SEARCH_TIMEOUT_MS) are counted. Check:
  both paths list the same members in the same order with the same count, for every viewer
  and query that SQL answered in time. `--degree-filter-only` measures just this.

Target (issue 4, item 11): graph work <= 10 % of a search page's server time.
JSON on standard output, progress on standard error.
"""

from __future__ import annotations

import time
from urllib.parse import urlencode

from common import (
    bench_parser,
    emit,
    ensure_database,
    ensure_seeded,
    log,
    machine,
    peak_rss_bytes,
    percentiles,
    setup_django,
)

TARGET_SHARE = 0.10
QUERIES = [
    {"q": "smith"},
    {"q": "software engineer"},
    {"q": "ingenieur logiciel"},
    {"q": "negotiation"},
    {"q": "autocad lyon"},
    {"q": "dev"},
    {"q": "project management", "location": "paris"},
    {"q": "pharmacien"},
]
DEGREE_QUERIES = [
    {"q": "software", "degree": "1"},
    {"q": "negotiation", "degree": "2"},
    {"q": "smith", "degree": "3"},
    {"degree": "1"},
    {"degree": "2", "location": "lyon"},
]
# The worst for a hub's SQL path: every member a candidate, checked against a 2-hop set of most
# of the network (3rd+ alone ran for a minute before the 5 s timeout).
WORST_DEGREE_QUERIES = [
    {"degree": "3"},
    {"degree": "2"},
    {"q": "dev", "degree": ["2", "3"]},
]
HUB_DEGREE = 10_000  # viewers with at least this many connections are timed as hubs


def main() -> None:
    parser = bench_parser("search", description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", help="an already seeded and indexed database, used read only")
    parser.add_argument("--samples", type=int, default=200, help="timed pages per measure (200)")
    parser.add_argument("--viewers", type=int, default=20, help="signed-in members drawn (20)")
    parser.add_argument("--hub-samples", type=int, default=5, help="timed pages per hub, query and path (5)")
    parser.add_argument(
        "--degree-filter-only", action="store_true", help="measure only the degree filter, graph engine vs SQL"
    )
    args = parser.parse_args()
    prepare = not args.database_url
    database_url = args.database_url or f"postgres://postgres@127.0.0.1:5432/carnet_bench_{args.members}"
    if prepare:
        ensure_database(database_url)
    setup_django(
        database_url=database_url,
        AXES_ENABLED="False",
        CARNET_TASKS="immediate",
        LOG_LEVEL="WARNING",
        CARNET_PLAIN_STATIC="True",
    )
    if prepare:
        ensure_seeded(members=args.members, seed=args.seed)
    emit(run(args, prepare=prepare), args.json)


class Timed:
    """A provider wrapped to add up the time spent in it (one call per page)."""

    def __init__(self, fn):
        self.fn, self.calls, self.seconds, self.cpu_seconds = fn, 0, 0.0, 0.0

    def __call__(self, *a, **kw):
        started, cpu = time.perf_counter(), time.thread_time()
        try:
            return self.fn(*a, **kw)
        finally:
            self.seconds += time.perf_counter() - started
            self.cpu_seconds += time.thread_time() - cpu
            self.calls += 1


def run(args, *, prepare: bool) -> dict:
    import random

    from django.conf import settings
    from django.contrib.auth.models import update_last_login
    from django.contrib.auth.signals import user_logged_in
    from django.db import transaction

    from carnet.core.seed import seeded_network
    from carnet.search.models import SearchDocument

    seeded = seeded_network() or {}
    if not seeded:
        raise SystemExit("search: this database holds no seeded network (run carnet seed).")
    if seeded.get("members") != args.members:
        raise SystemExit(f"search: the database holds {seeded.get('members')} members, not {args.members}.")
    documents = SearchDocument.objects.count()
    if documents < 0.99 * seeded["members"] and prepare:
        from carnet.search.services import reindex_all

        log("search: building the search index")
        reindex_all()
        documents = SearchDocument.objects.count()
    if documents < 0.99 * seeded["members"]:
        raise SystemExit(f"search: the index holds {documents} documents: run `carnet search reindex` first.")
    # Read only: signed-cookie sessions, no last-login update, every request rolled back.
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.signed_cookies"
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    settings.SECURE_SSL_REDIRECT = False
    user_logged_in.disconnect(update_last_login, dispatch_uid="update_last_login")
    rng = random.Random(args.seed)
    with transaction.atomic():
        result = measure(args, seeded, documents, rng)
        transaction.set_rollback(True)
    return result


def wait_for_graph(viewer_ids: list[int] | None = None, timeout: float = 900) -> dict:
    """Build the graph index (and, given viewers, let the warmer cache their reach sets)."""
    from carnet.network import graph
    from carnet.network.graph.runtime import get_runtime

    runtime = get_runtime()
    deadline = time.monotonic() + timeout
    while graph.engine() is None:
        if time.monotonic() > deadline:
            raise SystemExit(f"search: the graph index is not ready: {runtime.describe()}")
        time.sleep(0.5)
    index = graph.engine()
    while viewer_ids and not all(index.is_cached(v) for v in viewer_ids) and time.monotonic() < deadline:
        time.sleep(0.2)
    return runtime.describe()


def measure(args, seeded: dict, documents: int, rng) -> dict:
    from django.db import connection
    from django.http import QueryDict
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from pages import pick_viewers

    from carnet.accounts.models import User
    from carnet.core import visibility
    from carnet.network import graph
    from carnet.network.selectors import blocked_among, blocked_ids, degrees_sql
    from carnet.search.engines import get_engine
    from carnet.search.forms import PeopleSearchForm
    from carnet.search.selectors import COUNT_LIMIT, PAGE_SIZE, people_search

    log("search: building the graph index")
    started = time.perf_counter()
    wait_for_graph()
    build_s = round(time.perf_counter() - started, 2)
    viewers = pick_viewers(args.viewers, seed=args.seed)
    users = User.objects.in_bulk([v["id"] for v in viewers])
    log(f"search: graph ready in {build_s} s; {len(viewers)} viewers, degrees {[v['degree'] for v in viewers]}")
    clients = {}
    for v in viewers:
        clients[v["id"]] = Client()
        clients[v["id"]].force_login(users[v["id"]])

    def workload(queries: list[dict]) -> list[tuple[int, dict]]:
        pairs = [(v["id"], q) for v in viewers for q in queries]
        rng.shuffle(pairs)
        return [pairs[i % len(pairs)] for i in range(max(args.samples, len(pairs)))]

    def form_query(params: dict):
        form = PeopleSearchForm(QueryDict(urlencode(params, doseq=True)))
        assert form.is_valid(), form.errors
        return form.people_query()

    degrees = Timed(graph.degrees)
    blocks = Timed(blocked_among)

    def pages(work, *, label: str) -> dict:
        totals, graph_s, block_s, cpu_s, graph_cpu_s = [], [], [], [], []
        for viewer_id, params in work:
            d0, b0, c0 = degrees.seconds, blocks.seconds, degrees.cpu_seconds
            started, cpu = time.perf_counter(), time.thread_time()
            response = clients[viewer_id].get("/search/?" + urlencode(params, doseq=True))
            totals.append(time.perf_counter() - started)
            cpu_s.append(time.thread_time() - cpu)
            graph_cpu_s.append(degrees.cpu_seconds - c0)
            graph_s.append(degrees.seconds - d0)
            block_s.append(blocks.seconds - b0)
            if response.status_code != 200:
                raise SystemExit(f"search: {label} {params} answered {response.status_code}")
        entry = percentiles(totals)
        entry["graph"] = percentiles(graph_s)
        entry["blocks"] = percentiles(block_s)
        entry["graph_share"] = round(sum(graph_s) / sum(totals), 4)
        # The same on this thread's CPU time: on a shared machine, waits for a core and for
        # PostgreSQL (another process) inflate wall time, not the work done here.
        entry["cpu"] = percentiles(cpu_s)
        entry["graph_cpu"] = percentiles(graph_cpu_s)
        entry["graph_share_cpu"] = round(sum(graph_cpu_s) / sum(cpu_s), 4)
        shares = sorted(g / t for g, t in zip(graph_s, totals, strict=True))
        entry["graph_share_p50"] = round(shares[len(shares) // 2], 4)
        entry["graph_share_p99"] = round(shares[min(len(shares) - 1, int(0.99 * len(shares)))], 4)
        log(f"search: {label}: p50 {entry['p50_ms']} ms, p99 {entry['p99_ms']} ms, graph {entry['graph_share']:.1%}")
        return entry

    visibility.register_degree_provider(degrees, blocks=blocks)
    # One untimed request per viewer and query: reach sets cached, templates compiled.
    warm = DEGREE_QUERIES if args.degree_filter_only else QUERIES + DEGREE_QUERIES
    for viewer_id, params in workload(warm)[: len(viewers) * len(warm)]:
        clients[viewer_id].get("/search/?" + urlencode(params, doseq=True))
    graph_status = wait_for_graph([v["id"] for v in viewers])

    # Checks (untimed): the same members with and without graph work, degrees equal to SQL's,
    # and the number of SQL queries of a page.
    checks = {"same_results": True, "degrees_agree": True, "sql_queries": {"min": None, "max": None}, "failures": []}
    trivial = (lambda viewer_id, ids: {}, lambda viewer_id, ids: set())
    for v in [] if args.degree_filter_only else viewers:
        user = users[v["id"]]
        for params in QUERIES + DEGREE_QUERIES:
            query = form_query(params)
            with CaptureQueriesContext(connection) as captured:
                clients[v["id"]].get("/search/?" + urlencode(params, doseq=True))
            q = checks["sql_queries"]
            q["min"] = min(q["min"] or 10**9, len(captured.captured_queries))
            q["max"] = max(q["max"] or 0, len(captured.captured_queries))
            real = people_search(viewer=user, query=query)
            visibility.register_degree_provider(*trivial[:1], blocks=trivial[1])
            plain = people_search(viewer=user, query=query)
            visibility.register_degree_provider(degrees, blocks=blocks)
            if [c.pk for c in real.cards] != [c.pk for c in plain.cards]:
                checks["same_results"] = False
                checks["failures"].append({"viewer": v["id"], "query": params, "check": "same_results"})
            expected = degrees_sql(user.pk, [c.pk for c in real.cards if c.pk != user.pk])
            got = {c.pk: c.degree for c in real.cards if c.pk != user.pk and c.degree is not None}
            if got != expected:
                checks["degrees_agree"] = False
                checks["failures"].append({"viewer": v["id"], "query": params, "check": "degrees"})
    log(f"search: checks {checks}")
    degree_paths = degree_filter_paths(args, viewers, users, clients, form_query)
    agree = checks["same_results"] and checks["degrees_agree"] and degree_paths["checks"]["same_results"]
    run = {
        "bench": "search",
        "members": seeded.get("members"),
        "edges": seeded.get("connections"),
        "seed": seeded.get("seed"),
        "documents": documents,
        "vendor": connection.vendor,
        "viewers": [{"id": v["id"], "degree": v["degree"]} for v in viewers],
        "graph_engine": {"build_s": build_s, **{k: graph_status.get(k) for k in ("status", "members", "mode")}},
    }
    ending = {
        "degree_filter_paths": degree_paths,
        "checks": checks,
        "agree": agree,
        "machine": machine(),
        "database": connection.settings_dict["NAME"],
    }
    if args.degree_filter_only:
        return {**run, **ending}

    plain_work = workload(QUERIES)
    result_queries = {
        "search_page": pages(plain_work, label="search_page"),
        "search_page_degree_filter": pages(workload(DEGREE_QUERIES), label="search_page_degree_filter"),
    }

    # Reference 1: the same pages with a degree provider that does no work.
    visibility.register_degree_provider(*trivial[:1], blocks=trivial[1])
    reference_trivial = pages(plain_work, label="trivial_degrees")
    for key in ("graph", "blocks", "graph_share", "graph_share_p50", "graph_share_p99", "graph_cpu", "graph_share_cpu"):
        reference_trivial.pop(key)
    visibility.register_degree_provider(graph.degrees, blocks=blocked_among)

    # Reference 2: the engine's SQL alone (count + the page's ids), no projection, no template.
    engine = get_engine()
    sql_s = []
    for viewer_id, params in plain_work:
        query = form_query(params)
        started = time.perf_counter()
        engine.search(
            query,
            viewer_id=viewer_id,
            exclude=blocked_ids(member_id=viewer_id),
            offset=0,
            limit=PAGE_SIZE,
            count_limit=COUNT_LIMIT,
        )
        sql_s.append(time.perf_counter() - started)
    reference_sql = percentiles(sql_s)
    log(f"search: sql: p50 {reference_sql['p50_ms']} ms, p99 {reference_sql['p99_ms']} ms")

    page = result_queries["search_page"]
    ratios = {
        "search_page_p50_over_trivial_degrees_p50": round(page["p50_ms"] / reference_trivial["p50_ms"], 3),
        "search_page_p50_over_sql_p50": round(page["p50_ms"] / reference_sql["p50_ms"], 3),
    }
    return {
        **run,
        "engine": engine.name,
        "mode": "in process: Django test client through the full middleware stack, one thread",
        "page_size": PAGE_SIZE,
        "typical_queries": QUERIES,
        "degree_queries": DEGREE_QUERIES,
        "memory_bytes": peak_rss_bytes(),
        "queries": result_queries,
        "reference": {"trivial_degrees": reference_trivial, "sql": reference_sql},
        "ratios": ratios,
        **ending,
        "targets": {"search_page.graph_share": TARGET_SHARE},
        "meets_targets": page["graph_share"] <= TARGET_SHARE,
    }


def degree_filter_paths(args, viewers, users, clients, form_query) -> dict:
    """The degree-filter pages answered by the graph engine and by SQL (the fallback), timed for
    the hubs and for every viewer, and the check that both paths give the same results."""
    import contextlib
    from urllib.parse import urlencode

    from carnet.search import degrees as search_degrees
    from carnet.search.engines import SearchTimeout
    from carnet.search.selectors import TOO_BROAD, people_search

    original = search_degrees.graph_degree_filter

    @contextlib.contextmanager
    def path(name: str):
        if name == "sql":
            search_degrees.graph_degree_filter = lambda viewer_id, degrees: None
        try:
            yield
        finally:
            search_degrees.graph_degree_filter = original

    queries = DEGREE_QUERIES + WORST_DEGREE_QUERIES
    checks = {"same_results": True, "compared": 0, "sql_timeouts": 0, "failures": []}
    for v in viewers:
        for params in queries:
            query = form_query(params)
            answers = {}
            for name in ("graph", "sql"):
                with path(name):
                    try:
                        r = people_search(viewer=users[v["id"]], query=query)
                        answers[name] = ([c.pk for c in r.cards], r.total, r.capped)
                    except SearchTimeout:
                        answers[name] = None
            if answers["sql"] is None:
                checks["sql_timeouts"] += 1
                continue
            checks["compared"] += 1
            if answers["graph"] != answers["sql"]:
                checks["same_results"] = False
                checks["failures"].append({"viewer": v["id"], "query": params})
    log(f"search: degree filter paths, checks {checks}")

    def timed(viewer_ids: list[int], name: str, samples: int) -> dict:
        out, every = {}, []
        if not viewer_ids:  # a small network has no hub
            return {"all": percentiles(every), "timeouts": 0, "by_query": out}
        for params in queries:
            times, timeouts = [], 0
            for _ in range(samples):
                for viewer_id in viewer_ids:
                    with path(name):
                        started = time.perf_counter()
                        response = clients[viewer_id].get("/search/?" + urlencode(params, doseq=True))
                        times.append(time.perf_counter() - started)
                    if response.status_code != 200:
                        raise SystemExit(f"search: degree filter {params} answered {response.status_code}")
                    timeouts += str(TOO_BROAD).encode() in response.content  # the page's give-up message
            every.extend(times)
            entry = percentiles(times)
            entry["timeouts"] = timeouts
            out[urlencode(params, doseq=True)] = entry
            log(f"search: {name} {params}: p50 {entry['p50_ms']} ms, max {entry['max_ms']} ms, {timeouts} timeouts")
        return {"all": percentiles(every), "timeouts": sum(e["timeouts"] for e in out.values()), "by_query": out}

    hubs = [v["id"] for v in viewers if v["degree"] >= HUB_DEGREE]
    others = [v["id"] for v in viewers if v["degree"] < HUB_DEGREE]
    result = {"queries": queries, "hubs": hubs, "checks": checks}
    for name in ("graph", "sql"):
        result[f"hubs_{name}"] = timed(hubs, name, args.hub_samples)
        result[f"others_{name}"] = timed(others, name, 1)
    return result


if __name__ == "__main__":
    main()
