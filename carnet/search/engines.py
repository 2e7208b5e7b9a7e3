"""The search interface and its engines.

An engine stores members' search documents and answers a people query with an ordered page of
member ids and a (bounded) count. Everything around it — the visibility policy (documents hold
only what members may see, see documents.py), blocks, plan depth, degree badges — is done by
the selectors and services, so another engine (OpenSearch, Meilisearch...) plugs in by
implementing the three methods of `SearchEngine` and being named in CARNET_SEARCH_ENGINE.

`DatabaseEngine` is the one shipped: PostgreSQL full-text search (a weighted tsvector with a GIN
index, 'simple' configuration over text normalised without accents or case, word-prefix
matching) on PostgreSQL; on SQLite, the same word-prefix matching by LIKE over the normalised
denormalised column — a scan, fine for the embedded scale.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from typing import Protocol

from django.conf import settings
from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import OperationalError, connection, transaction
from django.db.models import Case, F, IntegerField, Q, Value, When

from carnet.search.documents import DocumentFields, normalize, terms


@dataclass(frozen=True)
class PeopleQuery:
    """What a member asks for: words, filters on visible fields and degrees (1, 2, 3 = 3rd+)."""

    text: str = ""
    company: str = ""
    school: str = ""
    location: str = ""
    degrees: frozenset[int] = field(default_factory=frozenset)

    @property
    def words(self) -> list[str]:
        return terms(self.text)

    @property
    def is_empty(self) -> bool:
        """Nothing to search for: no word, no filter (the page then asks for one)."""
        return not (
            self.words or normalize(self.company) or normalize(self.school) or normalize(self.location) or self.degrees
        )


class SearchTimeout(Exception):
    """The engine gave up on a query that would take too long (too broad for its filters)."""


@dataclass
class Hits:
    ids: list[int]  # member ids of the page, best first
    total: int  # matching members, counted up to the engine's `count_limit`
    capped: bool = False  # True when there are more than `total`


class SearchEngine(Protocol):
    name: str

    def index(self, documents: Mapping[int, DocumentFields]) -> None:
        """Store (insert or replace) the documents of these members."""

    def delete(self, member_ids: Iterable[int]) -> None:
        """Forget these members."""

    def search(
        self,
        query: PeopleQuery,
        *,
        viewer_id: int,
        exclude: Iterable[int],
        offset: int,
        limit: int,
        count_limit: int,
    ) -> Hits:
        """One page of members matching `query` for the viewer, never one of `exclude`."""


_FIELDS = ("name", "sort_name", "headline", "positions", "companies", "schools", "location", "skills")


def _vector():
    return (
        SearchVector("name", weight="A", config="simple")
        + SearchVector("headline", "positions", "companies", weight="B", config="simple")
        + SearchVector("skills", "schools", "location", weight="C", config="simple")
    )


class DatabaseEngine:
    """Documents in the `search_searchdocument` table of the site's own database."""

    name = "database"

    @staticmethod
    def _postgres() -> bool:
        return connection.vendor == "postgresql"

    def index(self, documents: Mapping[int, DocumentFields]) -> None:
        from carnet.search.models import SearchDocument

        if not documents:
            return
        rows = [
            SearchDocument(member_id=member_id, document=fields.document, **asdict(fields))
            for member_id, fields in documents.items()
        ]
        SearchDocument.objects.bulk_create(
            rows,
            update_conflicts=True,
            unique_fields=["member"],
            update_fields=[*_FIELDS, "document", "updated"],
            batch_size=500,
        )
        if self._postgres():
            SearchDocument.objects.filter(member_id__in=list(documents)).update(vector=_vector())

    def delete(self, member_ids: Iterable[int]) -> None:
        from carnet.search.models import SearchDocument

        member_ids = list(member_ids)
        if member_ids:
            SearchDocument.objects.filter(member_id__in=member_ids).delete()

    def search(self, query, *, viewer_id, exclude, offset, limit, count_limit) -> Hits:
        return self._bounded(lambda: self._search(query, viewer_id, exclude, offset, limit, count_limit))

    def search_kept(self, query, *, viewer_id, exclude, offset, limit, count_limit, keep, chunk_size) -> Hits:
        """Like `search`, with the degree filter applied by `keep` instead of the database.

        The matches of the other criteria are read in rank order, `chunk_size` ids at a time
        (one query: a server-side cursor on PostgreSQL), and `keep(ids)` returns those to keep,
        in the same order; reading stops once `count_limit` + 1 are kept (the count is then
        capped) and the page is filled, or the matches run out. The viewer is never kept,
        as with the database's degree filter.
        """
        return self._bounded(
            lambda: self._search_kept(query, viewer_id, exclude, offset, limit, count_limit, keep, chunk_size)
        )

    def _bounded(self, run) -> Hits:
        if not self._postgres():
            return run()
        # A few filter combinations have no good plan (the 3rd+ filter alone for a member with
        # tens of thousands of connections when the graph engine is not ready: every member is a
        # candidate, each checked against a 2-hop set of millions of rows). The database gives up
        # after a bounded time and the member is asked to narrow the search, instead of a
        # request that runs for a minute.
        milliseconds = int(settings.CARNET_SEARCH_TIMEOUT_MS)
        try:
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(
                    "SELECT current_setting('statement_timeout'), set_config('statement_timeout', %s, true)",
                    [str(milliseconds)],
                )
                previous = cursor.fetchone()[0]
                hits = run()
                cursor.execute("SELECT set_config('statement_timeout', %s, true)", [previous])
                return hits
        except OperationalError as exc:
            if getattr(exc.__cause__, "sqlstate", None) == "57014":  # query_canceled
                raise SearchTimeout from exc
            raise

    def _matches(self, query, viewer_id, exclude, *, degrees: bool):
        """The matching rows (the degree filter in SQL only with `degrees`) and their order."""
        from carnet.network.selectors import degree_filter_q
        from carnet.search.models import SearchDocument

        rows = SearchDocument.objects.filter(member__is_active=True)
        words = query.words
        ordering: list = ["sort_name", "member_id"]
        rank = None
        if words and self._postgres():
            # Every word, as a prefix: "dev acm" finds "Developer at Acme". The words are
            # normalised letters and digits only, so the raw tsquery cannot be malformed.
            tsquery = SearchQuery(" & ".join(f"{w}:*" for w in words), config="simple", search_type="raw")
            rows = rows.filter(vector=tsquery)
            rank = SearchRank(F("vector"), tsquery)
        elif words:
            name_hit = Q()
            for word in words:
                rows = rows.filter(document__contains=" " + word)
                name_hit &= Q(name__contains=" " + word)
            # No ranking function here: members whose name holds every word come first.
            rank = Case(When(name_hit, then=Value(1)), default=Value(0), output_field=IntegerField())
        for column, value in (("companies", query.company), ("schools", query.school), ("location", query.location)):
            value = normalize(value)
            if value:
                rows = rows.filter(**{f"{column}__contains": " " + value})
        if degrees and query.degrees:
            rows = rows.filter(degree_filter_q(viewer_id=viewer_id, degrees=query.degrees, field="member_id"))
        exclude = list(exclude)
        if exclude:
            rows = rows.exclude(member_id__in=exclude)
        if rank is not None:
            ordering = ["-rank", *ordering]
        return rows, rank, ordering

    def _search(self, query, viewer_id, exclude, offset, limit, count_limit) -> Hits:
        rows, rank, ordering = self._matches(query, viewer_id, exclude, degrees=True)
        # The count reads the matches only (no ranking), and stops past count_limit.
        total = rows.order_by()[: count_limit + 1].count()
        if rank is not None:
            rows = rows.annotate(rank=rank)
        ids = list(rows.order_by(*ordering).values_list("member_id", flat=True)[offset : offset + limit])
        return Hits(ids=ids, total=min(total, count_limit), capped=total > count_limit)

    def _search_kept(self, query, viewer_id, exclude, offset, limit, count_limit, keep, chunk_size) -> Hits:
        rows, rank, ordering = self._matches(query, viewer_id, exclude, degrees=False)
        rows = rows.exclude(member_id=viewer_id)
        if rank is not None:
            rows = rows.annotate(rank=rank)
        candidates = rows.order_by(*ordering).values_list("member_id", flat=True).iterator(chunk_size=chunk_size)
        enough = max(count_limit + 1, offset + limit)
        kept: list[int] = []
        chunk: list[int] = []
        for member_id in candidates:
            chunk.append(member_id)
            if len(chunk) >= chunk_size:
                kept.extend(keep(chunk))
                chunk = []
                if len(kept) >= enough:
                    break
        else:
            if chunk:
                kept.extend(keep(chunk))
        candidates.close()
        total = len(kept)
        return Hits(ids=kept[offset : offset + limit], total=min(total, count_limit), capped=total > count_limit)


ENGINES = {"database": DatabaseEngine}


def get_engine() -> SearchEngine:
    """The configured engine (CARNET_SEARCH_ENGINE, "database" by default)."""
    return ENGINES[getattr(settings, "CARNET_SEARCH_ENGINE", "database")]()
