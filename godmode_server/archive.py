"""The long-term history: every sample this node applied, written to SQL in batches.

The stores keep a room's *recent* samples for the live chart; this keeps them for days, in the
database every node shares, so ``history?from=`` answers the same everywhere.  Only the node that
took a sample writes it, so nothing is written twice.  Writing never holds up ingest: samples
wait in memory (bounded) and a background task inserts them about once a second; if the
database is away they wait for it.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections import deque

from godmode_common.protocol import TelemetrySample
from godmode_common.tasks import cancel_and_wait

from .db import Database
from .metrics import Metrics

log = logging.getLogger(__name__)

#: Seconds between inserts, and rows per insert at most.
FLUSH_INTERVAL = 1.0
BATCH_SIZE = 1000
#: Seconds between deletions of samples older than the retention.
PRUNE_INTERVAL = 3600.0


class HistoryArchive:
    def __init__(
        self, db: Database, metrics: Metrics, *, retention_days: int, max_pending: int = 100_000
    ) -> None:
        self._db = db
        self._metrics = metrics
        self._retention = retention_days * 86400
        self._pending: deque[TelemetrySample] = deque()
        self._max_pending = max_pending
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    @property
    def enabled(self) -> bool:
        return self._retention > 0

    def record(self, sample: TelemetrySample) -> None:
        """Queue an applied sample for the archive.  Never awaits."""
        if not self.enabled:
            return
        if len(self._pending) >= self._max_pending:
            # The database has been away for long; keep what waits (a flush may be writing it).
            self._metrics.archive_dropped.inc()
            return
        self._pending.append(sample)
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
                    removed = await self._db.prune_samples(int(time.time()) - self._retention)
                    next_prune = time.monotonic() + PRUNE_INTERVAL
                    if removed:
                        log.info("archive: removed %d samples older than the retention", removed)
            except Exception as exc:  # any driver error: keep the samples, try again later
                self._metrics.archive_failures.inc()
                log.warning("archive: the database refused a write (%s); will retry", exc)

    async def flush(self) -> None:
        """Insert what is waiting, in batches; on failure the unwritten samples stay queued."""
        while self._pending:
            batch = [self._pending[i] for i in range(min(BATCH_SIZE, len(self._pending)))]
            await self._db.add_samples(batch)
            for _ in batch:
                self._pending.popleft()
            self._metrics.archive_written.inc(len(batch))
