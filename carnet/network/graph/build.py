"""Build the graph and affiliation indexes from the database.

Edges stream in member order straight into CSR arrays: on PostgreSQL through one binary COPY
of `network_connection` (26 fixed-size bytes per row, parsed by numpy a few megabytes at a
time), elsewhere through a plain cursor in chunks. No ORM object is ever made: at a million
members that is ~50 M rows. The (member, other) unique index gives the order for free.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Callable

import numpy as np
from django.db import connection as default_connection

from carnet.network.graph.affiliations import OPEN_END, AffiliationIndex, Periods
from carnet.network.graph.index import DEFAULT_CACHE_BYTES, GraphIndex

logger = logging.getLogger(__name__)

EPOCH = datetime.date(1970, 1, 1).toordinal()
FETCH_ROWS = 100_000
# PostgreSQL's binary COPY: 11-byte signature, int32 flags, int32 header extension length;
# then per row int16 field count and, per field, int32 length + big-endian int64 value.
_PG_SIGNATURE = b"PGCOPY\n\xff\r\n\x00"
_PG_ROW = np.dtype([("fields", ">i2"), ("len1", ">i4"), ("member", ">i8"), ("len2", ">i4"), ("other", ">i8")])


def day_number(value: datetime.date) -> int:
    return value.toordinal() - EPOCH


def load_edges(*, connection=None, progress: Callable[[int], None] | None = None) -> tuple[np.ndarray, np.ndarray]:
    """(indptr, indices) of the whole connection graph, read in member order."""
    from carnet.network.models import Connection

    connection = connection or default_connection
    table = connection.ops.quote_name(Connection._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT MAX(member_id) FROM {table}")  # noqa: S608 - a model's table name
        (largest,) = cursor.fetchone()
    size = int(largest or 0) + 1
    counts = np.zeros(size, dtype=np.int64)
    chunks: list[np.ndarray] = []
    query = f"SELECT member_id, other_id FROM {table} ORDER BY member_id, other_id"  # noqa: S608
    rows = _copy_binary(connection, query) if connection.vendor == "postgresql" else _fetch(connection, query)
    done = 0
    for members, others in rows:
        counts += np.bincount(members, minlength=size)
        chunks.append(others.astype(np.int32))
        done += len(others)
        if progress:
            progress(done)
    indptr = np.zeros(size + 1, dtype=np.int64)
    np.cumsum(counts, out=indptr[1:])
    indices = np.concatenate(chunks) if chunks else np.empty(0, dtype=np.int32)
    return indptr, indices


def _fetch(connection, query: str):
    with connection.cursor() as cursor:
        cursor.execute(query)
        while True:
            batch = cursor.fetchmany(FETCH_ROWS)
            if not batch:
                return
            pairs = np.array(batch, dtype=np.int64)
            yield pairs[:, 0], pairs[:, 1]


def _copy_binary(connection, query: str):
    connection.ensure_connection()
    with connection.cursor() as wrapper:
        cursor = wrapper.cursor  # psycopg's own cursor: Django's wrapper has no copy()
        with cursor.copy(f"COPY ({query}) TO STDOUT (FORMAT BINARY)") as copy:
            buffer = bytearray()
            header_done = False
            for data in copy:
                buffer += data
                if not header_done:
                    if len(buffer) < 19:
                        continue
                    if bytes(buffer[:11]) != _PG_SIGNATURE:
                        raise ValueError("Unexpected COPY BINARY header")
                    extension = int.from_bytes(buffer[15:19], "big")
                    if len(buffer) < 19 + extension:
                        continue
                    del buffer[: 19 + extension]
                    header_done = True
                if len(buffer) >= 8 * 1024 * 1024:
                    yield _parse_rows(buffer)
            if header_done:
                yield _parse_rows(buffer)


def _parse_rows(buffer: bytearray) -> tuple[np.ndarray, np.ndarray]:
    """Parse and consume the whole rows at the start of `buffer` (the trailer is 2 bytes)."""
    whole = len(buffer) // _PG_ROW.itemsize
    rows = np.frombuffer(bytes(buffer[: whole * _PG_ROW.itemsize]), dtype=_PG_ROW)
    del buffer[: whole * _PG_ROW.itemsize]
    if len(rows) and (rows["fields"] != 2).any():
        raise ValueError("Unexpected COPY BINARY row")
    return rows["member"].astype(np.int64), rows["other"].astype(np.int64)


def load_audiences() -> dict[int, str]:
    """Members who changed who may see their connections list (the others use the default)."""
    from carnet.profiles.models import Profile

    rows = Profile.objects.filter(visibility__has_key="connections").values_list("pk", "visibility")
    return {pk: str(stored.get("connections")) for pk, stored in rows.iterator(chunk_size=5000)}


def _affiliation_rows(member_ids: list[int] | None):
    from carnet.profiles.models import Education, Position

    positions = Position.objects.filter(organization__isnull=False)
    education = Education.objects.filter(organization__isnull=False, end_year__isnull=False)
    if member_ids is not None:
        positions = positions.filter(profile_id__in=member_ids)
        education = education.filter(profile_id__in=member_ids)
    position_rows = positions.values_list("profile_id", "organization_id", "start_date", "end_date", "is_current")
    school_rows = education.values_list("profile_id", "organization_id", "end_year")
    companies = []
    for member, organization, start, end, current in position_rows.order_by("profile_id").iterator(chunk_size=20000):
        # Same reading as the PYMK page: a current position, or one without an end, runs until today.
        running = bool(current or end is None)
        companies.append((member, organization, day_number(start), OPEN_END if running else day_number(end), running))
    schools = [
        (member, organization, year, year, False)
        for member, organization, year in school_rows.order_by("profile_id").iterator(chunk_size=20000)
    ]
    return companies, schools


def load_affiliations() -> AffiliationIndex:
    """Companies (positions) and schools (education with a class year) of every member."""
    companies, schools = _affiliation_rows(None)
    return AffiliationIndex(_periods(companies), _periods(schools))


def member_affiliations(member_ids: list[int]) -> dict[str, dict[int, list[tuple]]]:
    """{"companies"|"schools": {member: [(organisation, start, end, current), ...]}} for the update path."""
    companies, schools = _affiliation_rows(list(member_ids))
    grouped: dict[str, dict[int, list[tuple]]] = {
        "companies": {m: [] for m in member_ids},
        "schools": {m: [] for m in member_ids},
    }
    for kind, rows in (("companies", companies), ("schools", schools)):
        for member, organization, start, end, current in rows:
            grouped[kind][member].append((organization, start, end, current))
    return grouped


def member_audiences(member_ids: list[int]) -> dict[int, str | None]:
    """The stored "connections" audience of each member (None: the default)."""
    from carnet.profiles.models import Profile

    found = dict(Profile.objects.filter(pk__in=list(member_ids)).values_list("pk", "visibility"))
    return {m: ((found.get(m) or {}).get("connections") or None) for m in member_ids}


def _periods(rows: list[tuple]) -> Periods:
    table = np.array([row[:4] for row in rows], dtype=np.int64).reshape(-1, 4)
    current = np.array([row[4] for row in rows], dtype=bool)
    return Periods(table[:, 0], table[:, 1], table[:, 2], table[:, 3], current)


def build_index(
    *, admits=None, cache_bytes: int = DEFAULT_CACHE_BYTES, version: int | None = None, progress=None
) -> tuple[GraphIndex, AffiliationIndex]:
    """Everything the engine needs, from the database."""
    indptr, indices = load_edges(progress=progress)
    index = GraphIndex(
        indptr, indices, audiences=load_audiences(), admits=admits, cache_bytes=cache_bytes, version=version
    )
    return index, load_affiliations()
