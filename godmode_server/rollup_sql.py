"""The rollups in SQL: kept up to date as samples are archived, and summed into reports.

Maintenance runs in the transaction that inserts the raw samples, so a report never sees a
sample without its summary.  Nodes sharing a PostgreSQL database take a transaction-scoped
advisory lock first: two nodes recomputing the same minute at once would otherwise each see
only their own new samples and the last to write would win.  SQLite allows one writer anyway.

Reports read hour rows for the whole hours inside a period and minute rows at its edges, grouped
by SQL: the rows read grow with rooms × hours, whatever the sampling rate.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    ColumnElement,
    case,
    delete,
    func,
    insert,
    literal,
    select,
    text,
    union_all,
)
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.expression import Executable

from godmode_common.protocol import TelemetrySample

from .db import HourRollup, MinuteRollup, SampleRow
from .earnings import Period, Point, ordered
from .rollups import HOUR, MINUTE, Summary, affected_span, floor_to, summarize

#: PostgreSQL advisory lock id held while rollups are rewritten ("ROLLUPS" in ASCII).
ROLLUP_LOCK = 0x524F4C4C555053
#: New samples of a room further apart than this are recomputed as separate spans, so that a
#: late sample from hours ago does not make the archive re-read every sample since.
CLUSTER_GAP = 3600
#: Union members per report query (SQLite allows 500 in one compound SELECT).
PARTS_PER_QUERY = 150

RoomKey = tuple[str, str]  # (platform, room_id)
_POINT = (
    SampleRow.timestamp,
    SampleRow.tokens_count,
    SampleRow.tips_count,
    SampleRow.viewers_count,
)


def _room(key: RoomKey) -> list[ColumnElement[bool]]:
    return [SampleRow.platform == key[0], SampleRow.room_id == key[1]]


def _point(row: Sequence[Any]) -> Point:
    return Point(int(row[0]), int(row[1]), int(row[2]), int(row[3]))


async def update(
    session: AsyncSession, samples: Sequence[TelemetrySample], online_gap: int
) -> None:
    """Recompute the summaries the just-inserted ``samples`` change (same transaction)."""
    if session.get_bind().dialect.name == "postgresql":
        await session.execute(text("SELECT pg_advisory_xact_lock(:id)"), {"id": ROLLUP_LOCK})
    by_room: dict[RoomKey, set[int]] = defaultdict(set)
    for sample in samples:
        by_room[(sample.platform, sample.room_id)].add(sample.timestamp)
    for key in sorted(by_room):
        for low, high in _clusters(sorted(by_room[key])):
            await _recompute(session, key, low, high, online_gap)


def _clusters(timestamps: list[int]) -> Iterable[tuple[int, int]]:
    low = previous = timestamps[0]
    for ts in timestamps[1:]:
        if ts - previous > CLUSTER_GAP:
            yield low, previous
            low = ts
        previous = ts
    yield low, previous


async def _recompute(
    session: AsyncSession, key: RoomKey, low: int, high: int, online_gap: int
) -> None:
    room = _room(key)
    neighbours = select(
        select(func.max(SampleRow.timestamp))
        .where(*room, SampleRow.timestamp < low)
        .scalar_subquery(),
        select(func.min(SampleRow.timestamp))
        .where(*room, SampleRow.timestamp > high)
        .scalar_subquery(),
    )
    previous, following = (await session.execute(neighbours)).one()
    span = affected_span(low, high, previous, following, online_gap)
    begin, end = span.first, span.last + MINUTE
    before = await _one(
        session,
        select(*_POINT)
        .where(*room, SampleRow.timestamp < begin)
        .order_by(*(c.desc() for c in _POINT))
        .limit(1),
    )
    after = await _one(
        session,
        select(*_POINT).where(*room, SampleRow.timestamp >= end).order_by(*_POINT).limit(1),
    )
    rows = await session.execute(
        select(*_POINT).where(*room, SampleRow.timestamp >= begin, SampleRow.timestamp < end)
    )
    points = ordered(_point(row) for row in rows)
    minutes = summarize(
        points, before=before, after=after, first=span.first, last=span.last, online_gap=online_gap
    )
    platform, room_id = key
    await session.execute(
        delete(MinuteRollup).where(
            MinuteRollup.platform == platform,
            MinuteRollup.room_id == room_id,
            MinuteRollup.start >= span.first,
            MinuteRollup.start <= span.last,
        )
    )
    if minutes:
        await session.execute(
            insert(MinuteRollup), [_values(platform, room_id, m) for m in minutes]
        )
    await _rebuild_hours(session, key, floor_to(span.first, HOUR), floor_to(span.last, HOUR))


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
    }


async def _rebuild_hours(session: AsyncSession, key: RoomKey, first: int, last: int) -> None:
    for statement in _hours_statements(key, first, last):
        await session.execute(statement)


def _hours_statements(key: RoomKey, first: int, last: int) -> tuple[Executable, Executable]:
    """Rewrite hour rows ``first`` … ``last`` (inclusive) as the sums of their minute rows."""
    platform, room_id = key
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
        key = (platform, room_id)
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


async def summaries(session: AsyncSession, periods: Sequence[Period]) -> list[RoomPeriod]:
    """Every room's summary of each period (minute-aligned); rooms with nothing left out."""
    found: dict[tuple[int, str, str], Summary] = {}
    earliest: dict[tuple[int, str, str], int] = {}
    parts = _parts(periods)
    for first in range(0, len(parts), PARTS_PER_QUERY):
        chunk = parts[first : first + PARTS_PER_QUERY]
        for row in await session.execute(_grouped(chunk)):
            index, platform, room_id, samples, tokens, tips, online, starts, first, peak = tuple(
                row
            )
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


def _grouped(parts: Sequence[_Part]) -> Executable:
    members = []
    for part in parts:
        t = HourRollup if part.hours else MinuteRollup
        members.append(
            select(
                literal(part.period).label("period"),
                t.platform,
                t.room_id,
                t.samples,
                t.tokens,
                t.tips,
                t.online,
                t.starts,
                case((t.samples > 0, t.start * 2 + t.first_is_start)).label("first_key"),
                t.peak,
            ).where(t.start >= part.start, t.start < part.end)
        )
    rows = union_all(*members).subquery() if len(members) > 1 else members[0].subquery()
    c = rows.c
    return select(
        c.period,
        c.platform,
        c.room_id,
        func.sum(c.samples),
        func.sum(c.tokens),
        func.sum(c.tips),
        func.sum(c.online),
        func.sum(c.starts),
        func.min(c.first_key),
        func.max(c.peak),
    ).group_by(c.period, c.platform, c.room_id)


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
