"""The graph engine inside one process: when it is built, how it stays in step with the
database across processes and servers, and when it stands aside for SQL.

- **Build**: lazily, on the first read in each process (in a background thread with mode
  "auto", in the caller with "sync"), or at `carnet serve` start through `warm_up()`. Until it
  is ready, readers get None and the callers answer from SQL (`degrees_sql`...).
- **Changes are invalidations, the database is the truth.** A committed connect/remove/block
  or a changed profile marks a pair or a member "pending" (on_commit hooks in
  carnet.network.services and signals); the next read re-reads just those rows from the
  database and applies them, so events can arrive late, twice or out of order and the index
  still converges to the database.
- **Several processes** (REDIS_URL set): each change is also published on a Redis channel with
  a version number, INCR and PUBLISH in one Lua script so numbers and messages have the same
  order. Every process subscribes; a gap in the numbers, a lost connection to Redis or a
  "rebuild" event makes that process answer from SQL until it has rebuilt. Without Redis the
  engine assumes one process (the laptop's `carnet serve`) and rebuilds after `max_age`.
"""

from __future__ import annotations

import logging
import os
import queue
import threading
import time
from enum import StrEnum
from urllib.parse import urlsplit

from django.conf import settings
from django.db import connections

from carnet.network.graph.affiliations import AffiliationIndex
from carnet.network.graph.index import DEFAULT_CACHE_BYTES, GraphIndex

logger = logging.getLogger(__name__)

# INCR and PUBLISH together: a subscriber sees version numbers in the order they were given.
_PUBLISH_SCRIPT = "local v = redis.call('INCR', KEYS[1]) redis.call('PUBLISH', ARGV[1], v .. ' ' .. ARGV[2]) return v"
# Overlay rows after which the index folds them back into its arrays (a few MB of small arrays).
COMPACT_ROWS = 20_000
RESOLVE_BATCH = 500


class Status(StrEnum):
    EMPTY = "empty"  # never built in this process
    BUILDING = "building"
    READY = "ready"
    STALE = "stale"  # missed changes (event gap, Redis down): answers come from SQL until rebuilt
    FAILED = "failed"
    OFF = "off"


def policy_admits(audience: str | None, relation: str) -> bool:
    """The visibility policy's verdict on a member's connections list, for the engine."""
    from carnet.core import visibility
    from carnet.core.visibility import Relation
    from carnet.network.graph.index import CONNECTION

    chosen = {"connections": audience} if audience else {}
    viewer = Relation.CONNECTION if relation == CONNECTION else Relation.SECOND_DEGREE
    return visibility.allows(visibility.field_audience(chosen, "connections"), viewer)


def default_channel(redis_url: str) -> str:
    # Pub/sub channels are shared by every database of a Redis server: name ours after the
    # database number and the cache prefix, so two instances on one server stay apart.
    path = urlsplit(redis_url).path.strip("/") or "0"
    return f"{getattr(settings, 'CACHE_KEY_PREFIX', None) or 'carnet'}:graph:{path}"


class GraphRuntime:
    def __init__(
        self,
        *,
        mode: str = "auto",
        redis_url: str | None = None,
        channel: str | None = None,
        cache_bytes: int = DEFAULT_CACHE_BYTES,
        max_age: float | None = None,
    ):
        if mode not in ("auto", "sync", "off"):
            raise ValueError(f"Unknown graph engine mode {mode!r}")
        self.mode = mode
        self.redis_url = redis_url or None
        self.channel = channel or (default_channel(redis_url) if redis_url else "carnet:graph")
        self.version_key = f"{self.channel}:version"
        self.cache_bytes = cache_bytes
        self.max_age = max_age
        self.index: GraphIndex | None = None
        self.affiliations: AffiliationIndex | None = None
        self.status = Status.OFF if mode == "off" else Status.EMPTY
        self.error: str | None = None
        self.built_at: float | None = None
        self.build_seconds: float | None = None
        self.pid = os.getpid()
        self._lock = threading.RLock()  # guards the fields below
        self._apply_lock = threading.Lock()  # one resolver at a time
        self._build_lock = threading.Lock()
        self._pending_pairs: set[tuple[int, int]] = set()
        self._pending_members: set[int] = set()
        self._replay_pairs: set[tuple[int, int]] | None = None  # changes seen while a build runs
        self._replay_members: set[int] | None = None
        self._rebuild_wanted = 0  # bumped by gaps/"rebuild" events; a build clears what it saw
        self._last_version: int | None = None
        self._subscribed = threading.Event()
        self._connected = redis_url is None
        self._stop = threading.Event()
        self._started = False
        self._listener: threading.Thread | None = None
        self._builder: threading.Thread | None = None
        self._compactor: threading.Thread | None = None
        self._warm_queue: queue.SimpleQueue[int] = queue.SimpleQueue()
        self._warming: set[int] = set()
        self._warmer: threading.Thread | None = None
        self._publisher = None

    # ---------------------------------------------------------------------------------
    # Reading
    # ---------------------------------------------------------------------------------
    def engine(self) -> GraphIndex | None:
        """The index, up to date with every change seen so far; None when SQL must answer."""
        if self.mode == "off":
            return None
        self.start()
        if self._must_rebuild():
            self._request_build(keep_serving=False)
        if self.status != Status.READY or not self._connected or self.index is None:
            return None
        if self._pending_pairs or self._pending_members:
            try:
                self.apply_pending()
            except Exception:
                logger.exception("graph: could not apply pending changes; answering from SQL")
                return None
        if self.max_age and self.built_at and time.monotonic() - self.built_at > self.max_age:
            self._request_build(keep_serving=True)
        return self.index

    def after_read(self, viewer_id: int) -> None:
        """A viewer was served cold: build their reach set off the request path (mode auto)."""
        index = self.index
        if self.mode != "auto" or index is None or index.is_cached(viewer_id) or viewer_id in self._warming:
            return
        self._warming.add(viewer_id)
        self._warm_queue.put(viewer_id)
        if self._warmer is None or not self._warmer.is_alive():
            self._warmer = threading.Thread(target=self._warm_loop, name="graph-warmer", daemon=True)
            self._warmer.start()

    def describe(self) -> dict:
        index = self.index
        info = {
            "mode": self.mode,
            "status": str(self.status),
            "redis": bool(self.redis_url),
            "channel": self.channel if self.redis_url else None,
            "version": self._last_version,
            "error": self.error,
            "build_seconds": self.build_seconds,
            "pending": len(self._pending_pairs) + len(self._pending_members),
        }
        if index is not None:
            edges = index.directed_edges
            info.update(
                members=index.members,
                directed_edges=edges,
                index_bytes=index.nbytes(),
                bytes_per_directed_edge=round(index.nbytes() / edges, 2) if edges else None,
                affiliation_bytes=self.affiliations.nbytes() if self.affiliations else 0,
                reach_cache_bytes=index.cache_nbytes(),
                overlay_rows=index.overlay_size(),
            )
        return info

    # ---------------------------------------------------------------------------------
    # Changes
    # ---------------------------------------------------------------------------------
    def notify_pair(self, a: int, b: int) -> None:
        """The connection between a and b may have changed (committed)."""
        if self.mode != "off":
            with self._lock:
                self._pending_pairs.add((min(a, b), max(a, b)))
        self._publish(f"pair {min(a, b)} {max(a, b)}")

    def notify_member(self, member: int) -> None:
        """A member's connections audience, positions or education may have changed."""
        if self.mode != "off":
            with self._lock:
                self._pending_members.add(int(member))
        self._publish(f"member {int(member)}")

    def request_rebuild(self) -> None:
        """Every process (this one included) rebuilds from the database."""
        with self._lock:
            self._rebuild_wanted += 1
        self._publish("rebuild")

    def apply_pending(self) -> None:
        """Re-read the pending pairs and members from the database into the index."""
        with self._apply_lock:
            with self._lock:
                pairs, members = self._pending_pairs, self._pending_members
                self._pending_pairs, self._pending_members = set(), set()
                if self._replay_pairs is not None:
                    self._replay_pairs |= pairs
                    self._replay_members |= members
                index, affiliations = self.index, self.affiliations
            if index is None:
                return
            try:
                _resolve(index, affiliations, pairs, members)
            except Exception:
                with self._lock:
                    self._pending_pairs |= pairs
                    self._pending_members |= members
                raise
            if index.overlay_size() > COMPACT_ROWS:
                self._compact(index)

    # ---------------------------------------------------------------------------------
    # Building
    # ---------------------------------------------------------------------------------
    def start(self) -> None:
        """Subscribe to changes and start the first build (once per process)."""
        if self._started or self.mode == "off":
            return
        with self._lock:
            if self._started:
                return
            self._started = True
        if self.redis_url:
            self._listener = threading.Thread(target=self._listen, name="graph-listener", daemon=True)
            self._listener.start()
        self._request_build(keep_serving=False)

    def build(self) -> None:
        """Build from the database now, in this thread."""
        from carnet.network.graph.build import build_index

        if self.redis_url and not self._subscribed.wait(timeout=10):
            raise RuntimeError("graph: no subscription to the change channel; not building")
        with self._build_lock:
            with self._lock:
                wanted = self._rebuild_wanted
                version = self._last_version
                self._replay_pairs, self._replay_members = set(), set()
                if self.index is None or self.status != Status.READY:
                    self.status = Status.BUILDING
            started = time.perf_counter()
            try:
                index, affiliations = build_index(admits=policy_admits, cache_bytes=self.cache_bytes, version=version)
                with self._apply_lock:
                    with self._lock:
                        pairs = self._replay_pairs | self._pending_pairs
                        members = self._replay_members | self._pending_members
                        self._pending_pairs, self._pending_members = set(), set()
                        self._replay_pairs = self._replay_members = None
                    # Changes applied to the old index while this one was read may be missing
                    # from the snapshot: replay them from the database.
                    _resolve(index, affiliations, pairs, members)
                    with self._lock:
                        self.index, self.affiliations = index, affiliations
                        self.built_at = time.monotonic()
                        self.build_seconds = round(time.perf_counter() - started, 3)
                        self.error = None
                        if self._rebuild_wanted == wanted:
                            self._rebuild_wanted = 0
                        self.status = Status.READY if not self._rebuild_wanted else Status.STALE
                logger.info("graph: built in %.1f s (%s)", self.build_seconds, self.describe())
            except Exception as exc:
                with self._lock:
                    self._replay_pairs = self._replay_members = None
                    self.error = f"{type(exc).__name__}: {exc}"
                    if self.index is None or self.status != Status.READY:
                        self.status = Status.FAILED
                logger.exception("graph: build failed; pages answer from SQL")
                raise

    def _must_rebuild(self) -> bool:
        return bool(self._rebuild_wanted) or self.status == Status.STALE

    def _request_build(self, *, keep_serving: bool) -> None:
        if self.mode == "sync":
            if self._build_lock.locked():
                return
            try:
                self.build()
            except Exception:  # noqa: BLE001, S110 - logged by build(); readers fall back to SQL
                pass
            return
        with self._lock:
            if self._builder is not None and self._builder.is_alive():
                return
            if not keep_serving and self.status == Status.READY:
                self.status = Status.STALE
            self._builder = threading.Thread(target=self._build_in_background, name="graph-builder", daemon=True)
            self._builder.start()

    def _build_in_background(self) -> None:
        try:
            self.build()
        except Exception:  # noqa: BLE001, S110 - logged by build(); readers fall back to SQL
            pass
        finally:
            connections.close_all()

    def _compact(self, index: GraphIndex) -> None:
        if self.mode == "sync":
            index.compact()
            return
        if self._compactor is not None and self._compactor.is_alive():
            return
        self._compactor = threading.Thread(target=index.compact, name="graph-compactor", daemon=True)
        self._compactor.start()

    def _warm_loop(self) -> None:
        while not self._stop.is_set():
            try:
                viewer = self._warm_queue.get(timeout=30)
            except queue.Empty:
                return
            try:
                index = self.index
                if index is not None:
                    index.warm(viewer)
            except Exception:  # noqa: BLE001 - a failed warm-up only costs speed
                logger.exception("graph: warming viewer %s failed", viewer)
            finally:
                self._warming.discard(viewer)

    # ---------------------------------------------------------------------------------
    # Redis
    # ---------------------------------------------------------------------------------
    def _client(self):
        import redis

        if self._publisher is None:
            self._publisher = redis.Redis.from_url(self.redis_url, socket_timeout=2, socket_connect_timeout=2)
        return self._publisher

    def _publish(self, payload: str) -> None:
        if not self.redis_url:
            return
        try:
            self._client().eval(_PUBLISH_SCRIPT, 1, self.version_key, self.channel, payload)
        except Exception:  # noqa: BLE001 - the write is committed; other processes catch up by max_age
            logger.exception("graph: could not publish %r; other processes will miss it", payload)

    def _listen(self) -> None:
        import redis

        backoff = 0.5
        while not self._stop.is_set():
            pubsub = None
            try:
                client = redis.Redis.from_url(self.redis_url, socket_connect_timeout=5, health_check_interval=30)
                pubsub = client.pubsub()
                pubsub.subscribe(self.channel)
                # Wait for the server's confirmation before reading the version: from then on
                # every change is either in the version we read (and in a build started after)
                # or in a message we will receive.
                confirmed = None
                deadline = time.monotonic() + 10
                while confirmed is None and time.monotonic() < deadline:
                    message = pubsub.get_message(timeout=1.0)
                    if message and message["type"] == "subscribe":
                        confirmed = message
                if confirmed is None:
                    raise redis.ConnectionError("no subscription confirmation")
                self._on_subscribed(int(client.get(self.version_key) or 0))
                backoff = 0.5
                while not self._stop.is_set():
                    message = pubsub.get_message(timeout=1.0)
                    if message and message["type"] == "message":
                        self._on_message(message["data"])
            except Exception:  # noqa: BLE001 - any failure: stand aside, reconnect, compare versions
                logger.warning("graph: lost the change channel; answering from SQL", exc_info=True)
                with self._lock:
                    self._connected = False
                self._stop.wait(backoff)
                backoff = min(backoff * 2, 30)
            finally:
                if pubsub is not None:
                    try:
                        pubsub.close()
                    except Exception:  # noqa: BLE001, S110 - closing a dead connection
                        pass

    def _on_subscribed(self, version: int) -> None:
        with self._lock:
            if self._last_version is not None and version != self._last_version:
                # Changes went by while we were not listening.
                self._rebuild_wanted += 1
            self._last_version = version
            self._connected = True
        self._subscribed.set()

    def _on_message(self, data: bytes | str) -> None:
        text = data.decode() if isinstance(data, bytes) else data
        try:
            number, kind, *ids = text.split()
            version = int(number)
            values = [int(x) for x in ids]
        except ValueError:
            logger.warning("graph: ignoring malformed event %r", text)
            return
        with self._lock:
            last = self._last_version
            if last is not None and version <= last:
                return  # already covered by the version we started from
            if last is not None and version != last + 1:
                logger.warning("graph: missed events %s..%s; rebuilding", last + 1, version - 1)
                self._rebuild_wanted += 1
            self._last_version = version
            if kind == "pair" and len(values) == 2:
                self._pending_pairs.add((min(values), max(values)))
            elif kind == "member" and len(values) == 1:
                self._pending_members.add(values[0])
            elif kind == "rebuild":
                self._rebuild_wanted += 1

    def stop(self) -> None:
        self._stop.set()


def _resolve(index: GraphIndex, affiliations: AffiliationIndex | None, pairs, members) -> None:
    """Set the given pairs and members to what the database says now."""
    from django.db.models import Q

    from carnet.network.graph.build import member_affiliations, member_audiences
    from carnet.network.models import Connection

    pairs = sorted(pairs)
    for start in range(0, len(pairs), RESOLVE_BATCH):
        batch = pairs[start : start + RESOLVE_BATCH]
        condition = Q()
        for a, b in batch:
            condition |= Q(member_id=a, other_id=b)
        present = set(Connection.objects.filter(condition).values_list("member_id", "other_id"))
        index.apply([(a, b, (a, b) in present) for a, b in batch])
    members = sorted(members)
    for start in range(0, len(members), RESOLVE_BATCH):
        batch = members[start : start + RESOLVE_BATCH]
        for member, audience in member_audiences(batch).items():
            index.set_audience(member, audience)
        if affiliations is not None:
            rows = member_affiliations(batch)
            for member in batch:
                affiliations.companies.replace(member, rows["companies"][member])
                affiliations.schools.replace(member, rows["schools"][member])


_runtime: GraphRuntime | None = None
_runtime_lock = threading.Lock()


def configured_mode() -> str:
    """auto, sync or off (CARNET_GRAPH_ENGINE: off under pytest unless a test says otherwise)."""
    return settings.CARNET_GRAPH_ENGINE


def get_runtime() -> GraphRuntime:
    """This process's runtime (a forked worker gets its own: threads do not survive a fork)."""
    global _runtime
    runtime = _runtime
    if runtime is not None and runtime.pid == os.getpid():
        return runtime
    with _runtime_lock:
        if _runtime is None or _runtime.pid != os.getpid():
            _runtime = GraphRuntime(
                mode=configured_mode(),
                redis_url=getattr(settings, "REDIS_URL", "") or None,
                cache_bytes=settings.CARNET_GRAPH_CACHE_MB * 1024 * 1024,
                max_age=float(settings.CARNET_GRAPH_MAX_AGE),
            )
        return _runtime


def set_runtime(runtime: GraphRuntime | None) -> GraphRuntime | None:
    """Install a runtime for this process (tests); returns the previous one."""
    global _runtime
    with _runtime_lock:
        previous, _runtime = _runtime, runtime
    return previous
