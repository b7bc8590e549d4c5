"""The long-term sample archive in SQL: samples, their rollups, and the drops a node recorded."""

from __future__ import annotations

import time
from collections.abc import Sequence

from sqlalchemy import (
    CursorResult,
    delete,
    func,
    insert,
    select,
)

from godmode_common.protocol import TelemetrySample
from godmode_common.rooms import RoomKey
from godmode_server.reports.downsample import Series
from godmode_server.reports.earnings import Period, Point
from godmode_server.sql import rollups as rollup_sql
from godmode_server.sql.engine import Engine
from godmode_server.sql.rollups import RoomPeriod
from godmode_server.sql.tables import (
    ArchiveDrop,
    MinuteRollup,
    SampleRow,
)


class Samples(Engine):
    """The archive of samples, the rollups kept beside it, and what could not be archived."""

    async def add_samples(self, samples: list[TelemetrySample], *, online_gap: int = 300) -> None:
        """Archive ``samples`` and bring the rollups they change up to date, in one transaction
        (see rollup_sql.py)."""
        if not samples:
            return
        async with self._session.begin() as session:
            await session.execute(insert(SampleRow), [s.model_dump() for s in samples])
            await rollup_sql.update(session, samples, online_gap)

    async def record_drop(
        self, first_ts: int, last_ts: int, samples: int, reason: str = "dropped"
    ) -> None:
        """Note samples (timestamps ``first_ts`` … ``last_ts``) missing from the archive, and
        why (``dropped`` or ``too_old``)."""
        async with self._session.begin() as session:
            session.add(
                ArchiveDrop(
                    first_ts=first_ts,
                    last_ts=last_ts,
                    samples=samples,
                    recorded_at=int(time.time()),
                    reason=reason,
                )
            )

    async def drops_between(self, start: int, end: int) -> list[tuple[int, int, int, str]]:
        """Recorded drops overlapping [start, end): (first_ts, last_ts, samples, reason) each."""
        query = (
            select(
                ArchiveDrop.first_ts, ArchiveDrop.last_ts, ArchiveDrop.samples, ArchiveDrop.reason
            )
            .where(ArchiveDrop.last_ts >= start, ArchiveDrop.first_ts < end)
            .order_by(ArchiveDrop.first_ts)
        )
        async with self._session() as session:
            return [
                (int(a), int(b), int(n), str(why)) for a, b, n, why in await session.execute(query)
            ]

    async def summaries(self, periods: Sequence[Period]) -> list[RoomPeriod]:
        """Each room's earnings summary per period (minute-aligned periods; rollup_sql.py)."""
        async with self._session() as session:
            return await rollup_sql.summaries(session, periods)

    async def earned_now(
        self, periods: Sequence[Period], since: int | None
    ) -> tuple[list[RoomPeriod], dict[RoomKey, int]]:
        """What every room earned in each of ``periods`` (the live earnings' current day and
        shift: they may overlap), and, when ``since`` is given, the newest archived sample of
        each room with one from that time on (from the minute rollups' ``last``: a few
        minutes' rows, never the samples).  The figures are read first: a sample archived
        between the two reads is then in neither or in the newest only, so the live figures
        are short of it until the next read, never counting it twice."""
        found: list[RoomPeriod] = []
        newest: dict[RoomKey, int] = {}
        async with self._session() as session:
            for index, period in enumerate(periods):
                found += [
                    RoomPeriod(r.platform, r.room_id, index, r.summary)
                    for r in await rollup_sql.summaries(session, [period])
                ]
            if since is not None:
                m = MinuteRollup
                query = (
                    select(m.platform, m.room_id, func.max(m.last))
                    .where(m.start >= since - since % 60)
                    .group_by(m.platform, m.room_id)
                )
                newest = {
                    RoomKey(room_id, platform): int(last)
                    for platform, room_id, last in await session.execute(query)
                }
        return found, newest

    async def room_points(
        self, room_id: str, platform: str, start: int, end: int
    ) -> tuple[Point | None, list[Point]]:
        """The room's last sample before ``start`` and its distinct samples in [start, end)."""
        async with self._session() as session:
            return await rollup_sql.points(session, RoomKey(room_id, platform), start, end)

    async def prune_rollups(self, before: int) -> int:
        """Delete rollups of minutes and hours that ended before ``before``; how many went."""
        async with self._session.begin() as session:
            return await rollup_sql.prune(session, before)

    async def samples_between(
        self, room_id: str, platform: str, start: int, end: int, limit: int
    ) -> list[TelemetrySample]:
        """The room's archived samples with ``start <= timestamp <= end``: the latest ``limit``
        of them, oldest first."""
        query = (
            select(SampleRow)
            .where(
                SampleRow.platform == platform,
                SampleRow.room_id == room_id,
                SampleRow.timestamp >= start,
                SampleRow.timestamp <= end,
            )
            .order_by(SampleRow.timestamp.desc(), SampleRow.id.desc())
            .limit(limit)
        )
        async with self._session() as session:
            rows = list(await session.scalars(query))
        return [
            TelemetrySample(
                room_id=r.room_id,
                platform=r.platform,
                tokens_count=r.tokens_count,
                tips_count=r.tips_count,
                viewers_count=r.viewers_count,
                timestamp=r.timestamp,
            )
            for r in reversed(rows)
        ]

    async def series_between(self, room_id: str, platform: str, start: int, end: int) -> Series:
        """Every distinct archived sample of the room with ``start <= timestamp <= end``, in
        order, compactly (for downsampling)."""
        query = (
            select(
                SampleRow.timestamp,
                SampleRow.tokens_count,
                SampleRow.tips_count,
                SampleRow.viewers_count,
            )
            .where(
                SampleRow.platform == platform,
                SampleRow.room_id == room_id,
                SampleRow.timestamp >= start,
                SampleRow.timestamp <= end,
            )
            .order_by(
                SampleRow.timestamp,
                SampleRow.tokens_count,
                SampleRow.tips_count,
                SampleRow.viewers_count,
            )
        )
        async with self._session() as session:
            result = await session.execute(query)
            return Series((int(a), int(b), int(c), int(d)) for a, b, c, d in result)

    async def prune_samples(self, before: int) -> int:
        """Delete archived samples older than ``before``; how many went."""
        async with self._session.begin() as session:
            result = await session.execute(delete(SampleRow).where(SampleRow.timestamp < before))
        assert isinstance(result, CursorResult)  # a DELETE's result says how many rows went
        return int(result.rowcount or 0)
