"""The long-term history: every valid sample this node took, written to SQL in batches.

The stores keep a room's *recent* samples for the live chart; this keeps them for days, in the
database every node shares, so ``history?from=`` and the earnings reports answer the same
everywhere.  A sample too old to change the live value (late, or out of order) is archived all
the same: the reports count it in its place.  Only the node that took a sample writes it.
Writing never holds up ingest: samples wait in memory (bounded) and a background task inserts
them about once a second, with the rollups they change (rollup_sql.py); if the database is away
they wait for it.  Samples dropped because the queue was full are recorded (their time span and
number) once the database is back, so that reports over that time say they are incomplete;
so are, by day, the samples refused at ingest as older than the archive keeps.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections import deque

from godmode_common.protocol import TelemetrySample
from godmode_common.tasks import cancel_and_wait
from godmode_server.metrics import Metrics
from godmode_server.sql.database import Database
from godmode_server.stores.packed import PackedSample, pack, timestamp_of, unpack

log = logging.getLogger(__name__)

#: Seconds between inserts, and rows per insert at most.
FLUSH_INTERVAL = 1.0
BATCH_SIZE = 1000
#: Seconds between deletions of samples older than the retention.
PRUNE_INTERVAL = 3600.0
#: Days of samples refused as too old kept in memory between two writes to the database.
MAX_REFUSED_DAYS = 1000


class HistoryArchive:
    def __init__(
        self,
        db: Database,
        metrics: Metrics,
        *,
        retention_days: int,
        rollup_days: int = 400,
        online_gap: int = 300,
        max_pending: int = 100_000,
    ) -> None:
        self._db = db
        self._metrics = metrics
        self._retention = retention_days * 86400
        self._rollup_retention = max(rollup_days, retention_days) * 86400
        self._online_gap = online_gap
        #: Dropped samples not yet recorded in the database: first and last timestamp, count.
        self._dropped: tuple[int, int, int] | None = None
        #: Samples refused as too old, not yet recorded: per day, first and last timestamp and
        #: count (a day each, so that a report names the days that lost them, not a span
        #: between two of them).
        self._too_old: dict[int, tuple[int, int, int]] = {}
        self._pending: deque[PackedSample] = deque()  # packed: see packed.py
        self._max_pending = max_pending
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    @property
    def enabled(self) -> bool:
        return self._retention > 0

    @property
    def retention(self) -> int:
        """Seconds raw samples are kept."""
        return self._retention

    @property
    def rollup_retention(self) -> int:
        """Seconds the rollups (what the earnings reports read) are kept."""
        return self._rollup_retention

    def waiting(self, start: int, end: int) -> tuple[int, int, int] | None:
        """Samples with a timestamp in [start, end) still queued for the database: the first
        and last timestamp and how many, or None."""
        times = [ts for ts in map(timestamp_of, self._pending) if start <= ts < end]
        return (min(times), max(times), len(times)) if times else None

    def too_old(self, timestamp: int, now: float) -> bool:
        """Whether a sample taken at ``timestamp`` is older than the archive keeps (then it is
        refused at ingest: no report could count it)."""
        return self.enabled and timestamp < now - self._retention

    def refused(self, timestamp: int) -> None:
        """A sample taken at ``timestamp`` was refused as too old: recorded (by day, at most
        :data:`MAX_REFUSED_DAYS` days between two flushes) so that a report over its day says
        what it lacks, and why."""
        day = timestamp // 86400
        known = self._too_old.get(day)
        if known is None and len(self._too_old) >= MAX_REFUSED_DAYS:
            return
        first, last, count = known or (timestamp, timestamp, 0)
        self._too_old[day] = (min(first, timestamp), max(last, timestamp), count + 1)

    def record(self, sample: TelemetrySample) -> None:
        """Queue a valid sample for the archive.  Never awaits.

        A sample older than the retention is not archived: its neighbours are gone, so its
        minute's rollup could not be computed again, and it would be pruned within the hour."""
        if not self.enabled or sample.timestamp < time.time() - self._retention:
            return
        if len(self._pending) >= self._max_pending:
            # The database has been away for long; keep what waits (a flush may be writing it).
            self._metrics.archive_dropped.inc()
            ts = sample.timestamp
            first, last, count = self._dropped or (ts, ts, 0)
            self._dropped = (min(first, ts), max(last, ts), count + 1)
            return
        self._pending.append(pack(sample))
        if len(self._pending) >= BATCH_SIZE:
            self._wake.set()

    def start(self) -> None:
        if self.enabled:
            self._task = asyncio.get_running_loop().create_task(self._run(), name="archive")

    async def close(self) -> None:
        await cancel_and_wait(self._task)
        self._task = None
        with contextlib.suppress(Exception):
            await self.flush()  # a last try; what the database refuses now is lost

    async def _run(self) -> None:
        next_prune = time.monotonic()
        while True:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), FLUSH_INTERVAL)
            self._wake.clear()
            try:
                await self.flush()
                if time.monotonic() >= next_prune:
                    await self.prune()
                    next_prune = time.monotonic() + PRUNE_INTERVAL
            except Exception as exc:  # any driver error: keep the samples, try again later
                self._metrics.archive_failures.inc()
                log.warning("archive: the database refused a write (%s); will retry", exc)

    async def prune(self) -> None:
        now = int(time.time())
        removed = await self._db.prune_samples(now - self._retention)
        if removed:
            log.info("archive: removed %d samples older than the retention", removed)
        removed = await self._db.prune_rollups(now - self._rollup_retention)
        if removed:
            log.info("archive: removed %d rollups older than their retention", removed)

    async def flush(self) -> None:
        """Insert what is waiting, in batches; on failure the unwritten samples stay queued."""
        if self._dropped is not None:
            await self._db.record_drop(*self._dropped)
            self._dropped = None
        while self._too_old:
            day = next(iter(self._too_old))
            await self._db.record_drop(*self._too_old[day], reason="too_old")
            del self._too_old[day]
        while self._pending:
            batch = [unpack(self._pending[i]) for i in range(min(BATCH_SIZE, len(self._pending)))]
            await self._db.add_samples(batch, online_gap=self._online_gap)
            for _ in batch:
                self._pending.popleft()
            self._metrics.archive_written.inc(len(batch))
