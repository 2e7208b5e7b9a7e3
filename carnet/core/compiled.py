"""Querysets whose SQL is built once, then run again with new values for some parameters.

On the pages members open most, building a query's SQL costs the ORM more CPU than the database
takes to answer it: 0.3-0.9 ms for a query with joins and subqueries (the profile page's main
query: ~0.7 ms to build, ~0.15 ms to run and make instances). A hot, fixed-shape query is built
once with *sentinels* — values no real parameter has, which only mark where the
varying values go — and then run with the request's values. Rows become instances exactly as
QuerySet iteration makes them (django.db.models.query.ModelIterable: the same converters,
deferred columns, related objects and annotations); each caller's tests compare the two paths.

Per process, not per thread: under ASGI every request runs in a thread of its own, so a
per-thread copy would be built again on every request. The compiler kept for making instances
belongs to the thread that built it; it only lends its converters (pure functions of the
backend), the SQL runs on the current thread's connection.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence

from django.db import connection, connections

logger = logging.getLogger(__name__)


class CompiledQuery:
    """The SQL of `queryset`, with each of `sentinels` marking one parameter to fill at run time.

    Every other parameter is frozen into the SQL: compile only querysets whose other values
    never change (no "now", no setting). `count=True` compiles `SELECT COUNT(*)` over the
    queryset instead (what Paginator.count asks, whatever the queryset filters). Raises
    ValueError when a sentinel is not exactly one of the query's parameters: the caller then
    keeps the ORM's path."""

    def __init__(self, queryset, sentinels: Sequence, *, count: bool = False):
        self.db = queryset.db
        if count:
            inner_sql, inner_params = queryset.order_by().values("pk").query.get_compiler(using=self.db).as_sql()
            self.sql, params = f"SELECT COUNT(*) FROM ({inner_sql}) counted", inner_params  # noqa: S608 - the ORM's own SQL
            self.compiler = None
        else:
            self.compiler = queryset.query.get_compiler(using=self.db)
            self.sql, params = self.compiler.as_sql()
        self.params = list(params)
        if any(self.params.count(sentinel) != 1 for sentinel in sentinels):
            raise ValueError("each sentinel must be exactly one of the query's parameters")
        self.slots = [self.params.index(sentinel) for sentinel in sentinels]
        if self.compiler is not None:
            from django.db.models.query import get_related_populators

            select, klass_info = self.compiler.select, self.compiler.klass_info
            self.model = klass_info["model"]
            start, end = klass_info["select_fields"][0], klass_info["select_fields"][-1] + 1
            self.model_slice = slice(start, end)
            self.init_list = [column[0].target.attname for column in select[start:end]]
            self.related_populators = get_related_populators(klass_info, select, self.db)
            self.annotation_col_map = dict(self.compiler.annotation_col_map)

    def _fetch(self, values) -> list[tuple]:
        params = list(self.params)
        for slot, value in zip(self.slots, values, strict=True):
            params[slot] = value
        with connections[self.db].cursor() as cursor:
            cursor.execute(self.sql, params)
            return cursor.fetchall()

    def run(self, *values) -> list:
        """The instances the queryset would give with `values` in place of the sentinels."""
        found = []
        for row in self.compiler.results_iter([self._fetch(values)]):
            obj = self.model.from_db(self.db, self.init_list, row[self.model_slice])
            for populator in self.related_populators:
                populator.populate(row, obj)
            for name, position in self.annotation_col_map.items():
                setattr(obj, name, row[position])
            found.append(obj)
        return found

    def count(self, *values) -> int:
        """For a `count=True` query: how many rows the queryset gives with `values`."""
        return self._fetch(values)[0][0]


_queries: dict = {}
_lock = threading.Lock()


def compiled(name: str, build: Callable[[], CompiledQuery]) -> CompiledQuery | None:
    """This process's compiled query `name` for the current database, built by `build()` on
    first use; None (logged once) when it cannot be compiled: use the ORM then."""
    key = (name, connection.alias, connection.vendor)
    found = _queries.get(key, _lock)  # the lock object as "not built yet"
    if found is not _lock:
        return found
    with _lock:
        if key not in _queries:
            try:
                _queries[key] = build()
            except ValueError as exc:
                logger.warning("compiled query %s: %s; using the ORM's path", name, exc)
                _queries[key] = None
        return _queries[key]
