"""The rollups in SQL: kept up to date as samples are archived, and summed into reports.

Maintenance runs in the transaction that inserts the raw samples, so a report never sees a
sample without its summary.  Nodes sharing a PostgreSQL database take a transaction-scoped
advisory lock first: two nodes recomputing the same minute at once would otherwise each see
only their own new samples and the last to write would win.  SQLite allows one writer anyway.

Reports read hour rows for the whole hours inside a period and minute rows at its edges, grouped
by SQL: the rows read grow with rooms × hours, whatever the sampling rate.
"""

from __future__ import annotations

import asyncio
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import (
    ColumnElement,
    case,
    delete,
    func,
    insert,
    select,
    text,
)
from sqlalchemy.engine import Connection, Dialect
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.expression import Executable, TextClause

from godmode_common.protocol import TelemetrySample
from godmode_common.rooms import RoomKey
from godmode_server.reports.earnings import Period, Point, ordered
from godmode_server.reports.rollups import (
    HOUR,
    MINUTE,
    Span,
    Summary,
    affected_span,
    floor_to,
    summarize,
)
from godmode_server.sql.tables import HourRollup, MinuteRollup, SampleRow

#: PostgreSQL advisory lock id held while rollups are rewritten ("ROLLUPS" in ASCII).
ROLLUP_LOCK = 0x524F4C4C555053
#: New samples of a room further apart than this are recomputed as separate spans, so that a
#: late sample from hours ago does not make the archive re-read every sample since.
CLUSTER_GAP = 3600
#: Clusters per rollup update query (three union members each; SQLite allows 500).
CLUSTERS_PER_QUERY = 150

_POINT = (
    SampleRow.timestamp,
    SampleRow.tokens_count,
    SampleRow.tips_count,
    SampleRow.viewers_count,
)


def _room(key: RoomKey) -> list[ColumnElement[bool]]:
    return [SampleRow.platform == key.platform, SampleRow.room_id == key.room_id]


def _point(row: Sequence[Any]) -> Point:
    return Point(int(row[0]), int(row[1]), int(row[2]), int(row[3]))


async def update(
    session: AsyncSession, samples: Sequence[TelemetrySample], online_gap: int
) -> None:
    """Recompute the summaries the just-inserted ``samples`` change (same transaction).

    A batch costs a handful of statements whatever the number of rooms in it (the neighbours
    and the samples of every span in one query each, the deletions and insertions as one
    ``executemany`` each): a statement per room would cost about 10 ms a room on SQLite."""
    if session.get_bind().dialect.name == "postgresql":
        await session.execute(text("SELECT pg_advisory_xact_lock(:id)"), {"id": ROLLUP_LOCK})
    by_room: dict[RoomKey, set[int]] = defaultdict(set)
    for sample in samples:
        by_room[RoomKey(sample.room_id, sample.platform)].add(sample.timestamp)
    clusters = [
        _Cluster(key, low, high)
        for key in sorted(by_room)
        for low, high in _clusters(sorted(by_room[key]))
    ]
    for first in range(0, len(clusters), CLUSTERS_PER_QUERY):
        await _recompute(session, clusters[first : first + CLUSTERS_PER_QUERY], online_gap)


@dataclass(slots=True)
class _Cluster:
    """New samples of one room close together, and what they change."""

    key: RoomKey
    low: int
    high: int
    span: Span | None = None
    before: Point | None = None
    after: Point | None = None
    points: set[Point] = field(default_factory=set)


def _clusters(timestamps: list[int]) -> Iterable[tuple[int, int]]:
    low = previous = timestamps[0]
    for ts in timestamps[1:]:
        if ts - previous > CLUSTER_GAP:
            yield low, previous
            low = ts
        previous = ts
    yield low, previous


#: Each cluster's nearest other samples: before its first new one, after its last.  Written as
#: the driver's own SQL (see :func:`_union`): ``{p}``, ``{r}`` are the room, ``{a}``, ``{b}``
#: the bounds, each a numbered parameter.
_NEIGHBOURS = (
    "SELECT {i}, "
    "(SELECT max(timestamp) FROM samples WHERE platform = {p} AND room_id = {r} "
    "AND timestamp < {a}), "
    "(SELECT min(timestamp) FROM samples WHERE platform = {p} AND room_id = {r} "
    "AND timestamp > {b})"
)
#: A span's samples (kind 0), the last one before it (1) and the first one after it (2).
_POINTS = (
    "SELECT {i}, 0, timestamp, tokens_count, tips_count, viewers_count FROM samples "
    "WHERE platform = {p} AND room_id = {r} AND timestamp >= {a} AND timestamp < {b} "
    "UNION ALL SELECT {i}, 1, timestamp, tokens_count, tips_count, viewers_count FROM samples "
    "WHERE platform = {p} AND room_id = {r} AND timestamp = (SELECT max(timestamp) FROM "
    "samples WHERE platform = {p} AND room_id = {r} AND timestamp < {a}) "
    "UNION ALL SELECT {i}, 2, timestamp, tokens_count, tips_count, viewers_count FROM samples "
    "WHERE platform = {p} AND room_id = {r} AND timestamp = (SELECT min(timestamp) FROM "
    "samples WHERE platform = {p} AND room_id = {r} AND timestamp >= {b})"
)
_ROOM_SPAN = "platform = :platform AND room_id = :room_id AND start >= :first AND start <= :last"
_DELETE_MINUTES = text(f"DELETE FROM minute_rollups WHERE {_ROOM_SPAN}")
_DELETE_HOURS = text(f"DELETE FROM hour_rollups WHERE {_ROOM_SPAN}")
#: An hour's row from its minutes' (``first_is_start`` of the earliest minute with samples).
_SUM_HOURS = text(
    "INSERT INTO hour_rollups (platform, room_id, start, samples, tokens, tips, online, starts, "
    "first_is_start, peak) SELECT platform, room_id, start - start % 3600, sum(samples), "
    "sum(tokens), sum(tips), sum(online), sum(starts), "
    "coalesce(min(CASE WHEN samples > 0 THEN start * 2 + first_is_start END) % 2, 0), max(peak) "
    "FROM minute_rollups WHERE platform = :platform AND room_id = :room_id "
    "AND start >= :first AND start < :last + 3600 "
    "GROUP BY platform, room_id, start - start % 3600"
)


def _disjoint(
    spans: Iterable[tuple[RoomKey, int, int]],
) -> list[tuple[RoomKey, int, int]]:
    """Each room's spans (first, last inclusive) with the overlapping ones made one."""
    merged: list[tuple[RoomKey, int, int]] = []
    for key, first, last in sorted(spans):
        if merged and merged[-1][0] == key and first <= merged[-1][2]:
            merged[-1] = (key, merged[-1][1], max(last, merged[-1][2]))
        else:
            merged.append((key, first, last))
    return merged


def _merged(clusters: Sequence[_Cluster]) -> list[_Cluster]:
    """One cluster per overlapping set of a room's affected spans, so no minute is written
    twice (two clusters' spans overlap when one reaches the other's samples)."""
    spans = _disjoint((c.key, c.span.first, c.span.last) for c in clusters if c.span is not None)
    return [_Cluster(key, first, last, Span(first, last)) for key, first, last in spans]


#: For a statement whose SQL text changes with its input (a report's periods): SQLAlchemy would
#: keep each text's compiled form in the engine's cache (500 entries) -- objects that every
#: full garbage collection then walks, pausing the event loop (issue 22).
UNCACHED = {"compiled_cache": None}
#: Numbered parameters (``?1`` or ``$1``, each usable many times) by the drivers' paramstyles:
#: SQLite's (aiosqlite) and asyncpg's.  Another driver gets SQLAlchemy's named parameters.
_NUMBERED = {"qmark": "?", "numeric_dollar": "$"}


def _union(
    dialect: Dialect,
    template: str,
    clusters: Sequence[_Cluster],
    bounds: Sequence[tuple[int, int]],
) -> tuple[str, list[object]]:
    """The clusters' ``template`` s as one query, and its parameters in order.

    A batch's query has a text of its own (its number of clusters); compiled by SQLAlchemy it
    took 9-14 ms of the event loop's thread a batch -- a stall of every delivery once a second
    at 300 samples/s -- and cached, it held thousands of objects.  So it is written in the
    driver's own SQL and handed over as it is: nothing to compile, nothing kept.
    """
    mark = _NUMBERED.get(dialect.paramstyle, ":p")  # :p1, :p2... named, for the others
    params: list[object] = []
    members = []
    for i, (c, (a, b)) in enumerate(zip(clusters, bounds, strict=True)):
        n = len(params)
        params += [c.key.platform, c.key.room_id, a, b]
        names = {k: f"{mark}{n + j}" for j, k in enumerate("prab", start=1)}
        members.append(template.format(i=i, **names))
    return " UNION ALL ".join(members), params


async def _rows(
    session: AsyncSession, dialect: Dialect, query: tuple[str, list[object]]
) -> list[tuple[Any, ...]]:
    """Run a query of :func:`_union` written for ``dialect``."""
    sql, params = query
    if not sql:
        return []
    if dialect.paramstyle in _NUMBERED:
        connection = await session.connection()
        return [tuple(row) for row in await connection.exec_driver_sql(sql, tuple(params))]
    named = {f"p{n}": value for n, value in enumerate(params, start=1)}
    return [tuple(r) for r in await session.execute(text(sql), named, execution_options=UNCACHED)]


async def _recompute(session: AsyncSession, clusters: Sequence[_Cluster], online_gap: int) -> None:
    dialect = session.get_bind().dialect
    query = _union(dialect, _NEIGHBOURS, clusters, [(c.low, c.high) for c in clusters])
    for i, previous, following in await _rows(session, dialect, query):
        c = clusters[i]
        c.span = affected_span(c.low, c.high, previous, following, online_gap)
    clusters = _merged(clusters)
    spans = [c.span for c in clusters if c.span is not None]
    query = _union(dialect, _POINTS, clusters, [(s.first, s.last + MINUTE) for s in spans])
    for i, kind, *values in await _rows(session, dialect, query):
        c, point = clusters[i], _point(values)
        if kind == 0:
            c.points.add(point)
        elif kind == 1:
            c.before = point if c.before is None else max(c.before, point)
        else:
            c.after = point if c.after is None else min(c.after, point)
    minutes: list[dict[str, object]] = []
    for c, span in zip(clusters, spans, strict=True):
        summaries = summarize(
            ordered(c.points),
            before=c.before,
            after=c.after,
            first=span.first,
            last=span.last,
            online_gap=online_gap,
        )
        minutes += [_values(c.key.platform, c.key.room_id, m) for m in summaries]
    minute_spans = [
        {"platform": c.key.platform, "room_id": c.key.room_id, "first": s.first, "last": s.last}
        for c, s in zip(clusters, spans, strict=True)
    ]
    hour_spans = [
        {"platform": key.platform, "room_id": key.room_id, "first": first, "last": last}
        for key, first, last in _disjoint(
            (c.key, floor_to(s.first, HOUR), floor_to(s.last, HOUR))
            for c, s in zip(clusters, spans, strict=True)
        )
    ]
    await session.execute(_DELETE_MINUTES, minute_spans)
    if minutes:
        await session.execute(insert(MinuteRollup), minutes)
    await session.execute(_DELETE_HOURS, hour_spans)
    await session.execute(_SUM_HOURS, hour_spans)


async def _one(session: AsyncSession, query: Executable) -> Point | None:
    row = (await session.execute(query)).first()
    return None if row is None else _point(row)


def _values(platform: str, room_id: str, s: Summary) -> dict[str, object]:
    return {
        "platform": platform,
        "room_id": room_id,
        "start": s.start,
        "samples": s.samples,
        "tokens": s.tokens,
        "tips": s.tips,
        "online": s.online,
        "starts": s.starts,
        "first_is_start": int(s.first_is_start),
        "peak": s.peak,
        "last": s.last,
    }


def _hours_statements(key: RoomKey, first: int, last: int) -> tuple[Executable, Executable]:
    """Rewrite hour rows ``first`` … ``last`` (inclusive) as the sums of their minute rows."""
    room_id, platform = key
    remove = delete(HourRollup).where(
        HourRollup.platform == platform,
        HourRollup.room_id == room_id,
        HourRollup.start >= first,
        HourRollup.start <= last,
    )
    m = MinuteRollup
    hour = (m.start - m.start % HOUR).label("hour")
    earliest = func.min(case((m.samples > 0, m.start * 2 + m.first_is_start)))
    sums = (
        select(
            m.platform,
            m.room_id,
            hour,
            func.sum(m.samples),
            func.sum(m.tokens),
            func.sum(m.tips),
            func.sum(m.online),
            func.sum(m.starts),
            func.coalesce(earliest % 2, 0),
            func.max(m.peak),
        )
        .where(m.platform == platform, m.room_id == room_id, m.start >= first)
        .where(m.start < last + HOUR)
        .group_by(m.platform, m.room_id, hour)
    )
    columns = ["platform", "room_id", "start", "samples", "tokens", "tips", "online", "starts"]
    add = insert(HourRollup).from_select([*columns, "first_is_start", "peak"], sums)
    return remove, add


def rebuild_all(connection: Connection, online_gap: int) -> None:
    """Build every room's rollups from the archived samples (a migration, or after a change of
    the online gap): room by room, a day of samples at a time."""
    connection.execute(delete(MinuteRollup))
    connection.execute(delete(HourRollup))
    rooms = connection.execute(select(SampleRow.platform, SampleRow.room_id).distinct()).all()
    for platform, room_id in rooms:
        key = RoomKey(room_id, platform)
        room = _room(key)
        low, high = connection.execute(
            select(func.min(SampleRow.timestamp), func.max(SampleRow.timestamp)).where(*room)
        ).one()
        before: Point | None = None
        day = floor_to(low, 86400)
        while day <= high:
            end = day + 86400
            rows = connection.execute(
                select(*_POINT).where(*room, SampleRow.timestamp >= day, SampleRow.timestamp < end)
            )
            day_points = ordered(_point(row) for row in rows)
            following = connection.execute(
                select(*_POINT).where(*room, SampleRow.timestamp >= end).order_by(*_POINT).limit(1)
            ).first()
            minutes = summarize(
                day_points,
                before=before,
                after=None if following is None else _point(following),
                first=day,
                last=end - MINUTE,
                online_gap=online_gap,
            )
            if minutes:
                connection.execute(
                    insert(MinuteRollup), [_values(platform, room_id, m) for m in minutes]
                )
            if day_points:
                before = day_points[-1]
            day = end
        for statement in _hours_statements(key, floor_to(low, HOUR), floor_to(high, HOUR)):
            connection.execute(statement)


# --- reports ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Part:
    period: int  #: index of the period it belongs to
    hours: bool  #: read hour rows (else minute rows)
    start: int
    end: int


def _parts(periods: Sequence[Period]) -> list[_Part]:
    """Each period as whole hours inside it plus the minutes at its edges."""
    parts = []
    for index, period in enumerate(periods):
        first_hour = -(-period.start // HOUR) * HOUR
        last_hour = floor_to(period.end, HOUR)
        if first_hour < last_hour:
            spans = [
                (False, period.start, first_hour),
                (True, first_hour, last_hour),
                (False, last_hour, period.end),
            ]
        else:
            spans = [(False, period.start, period.end)]
        parts += [_Part(index, hours, a, b) for hours, a, b in spans if a < b]
    return parts


@dataclass(frozen=True, slots=True)
class RoomPeriod:
    platform: str
    room_id: str
    period: int  #: index into the periods asked for
    summary: Summary


#: Rows of a report's query fetched (and made into Python objects, on the event loop) at a time.
FETCH_SLICE = 1000


async def summaries(session: AsyncSession, periods: Sequence[Period]) -> list[RoomPeriod]:
    """Every room's summary of each period (minute-aligned); rooms with nothing left out.

    The rows are summed in a worker thread: a year by shift of many rooms is tens of thousands
    of rows, and summing them on the event loop delayed every feed (reports.py bounds how many
    run at once)."""
    rows: list[Any] = []
    # Fetched a slice at a time (the loop turns between slices), summed in a worker thread.
    result = await session.stream(_grouped(_parts(periods)), execution_options=UNCACHED)
    async for part in result.partitions(FETCH_SLICE):
        rows += part
    return await asyncio.to_thread(_summed, rows, periods)


def _summed(rows: Sequence[Any], periods: Sequence[Period]) -> list[RoomPeriod]:
    found: dict[tuple[int, str, str], Summary] = {}
    earliest: dict[tuple[int, str, str], int] = {}
    for row in rows:
        index, platform, room_id, samples, tokens, tips, online, starts, first, peak = tuple(row)
        group = (index, platform, room_id)
        s = found.setdefault(group, Summary(periods[index].start))
        s.samples += int(samples)
        s.tokens += int(tokens)
        s.tips += int(tips)
        s.online += int(online)
        s.starts += int(starts)
        s.peak = max(s.peak, int(peak))
        if first is not None and int(first) < earliest.get(group, first + 1):
            earliest[group] = int(first)
            s.first_is_start = bool(int(first) % 2)
    return [
        RoomPeriod(platform, room_id, index, s)
        for (index, platform, room_id), s in sorted(found.items())
        if s.samples or s.online
    ]


def _grouped(parts: Sequence[_Part]) -> TextClause:
    """One query: the parts as a table of (period, start, end) joined to the rollups, grouped
    by period and room.  The parts are integers this module computed, written as literals (a
    VALUES list of parameters would need their types spelled out for PostgreSQL)."""
    ctes, selects = [], []
    for name, table, hours in (("hp", "hour_rollups", True), ("mp", "minute_rollups", False)):
        chosen = [p for p in parts if p.hours is hours]
        if not chosen:
            continue
        values = ", ".join(f"({int(p.period)}, {int(p.start)}, {int(p.end)})" for p in chosen)
        ctes.append(f"{name}(period, a, b) AS (VALUES {values})")
        selects.append(
            f"SELECT {name}.period, r.platform, r.room_id, sum(r.samples), sum(r.tokens), "
            "sum(r.tips), sum(r.online), sum(r.starts), "
            "min(CASE WHEN r.samples > 0 THEN r.start * 2 + r.first_is_start END), max(r.peak) "
            f"FROM {name} JOIN {table} AS r ON r.start >= {name}.a AND r.start < {name}.b "
            f"GROUP BY {name}.period, r.platform, r.room_id"
        )
    if not selects:
        return text("SELECT 0, '', '', 0, 0, 0, 0, 0, NULL, 0 WHERE 1 = 0")
    return text(f"WITH {', '.join(ctes)} " + " UNION ALL ".join(selects))


async def points(
    session: AsyncSession, key: RoomKey, start: int, end: int
) -> tuple[Point | None, list[Point]]:
    """A room's last sample before ``start`` and its distinct samples in [start, end)."""
    room = _room(key)
    before = await _one(
        session,
        select(*_POINT)
        .where(*room, SampleRow.timestamp < start)
        .order_by(*(c.desc() for c in _POINT))
        .limit(1),
    )
    rows = await session.execute(
        select(*_POINT).where(*room, SampleRow.timestamp >= start, SampleRow.timestamp < end)
    )
    return before, ordered(_point(row) for row in rows)


async def prune(session: AsyncSession, before: int) -> int:
    """Delete summaries of minutes and hours that ended before ``before``; how many went."""
    removed = 0
    for table, span in ((MinuteRollup, MINUTE), (HourRollup, HOUR)):
        result = await session.execute(delete(table).where(table.start + span <= before))
        removed += int(getattr(result, "rowcount", 0) or 0)
    return removed
