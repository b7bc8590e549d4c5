"""Collectors' health as they report it themselves: ``POST /api/collectors/health`` keeps the
latest report per ingest key (in the database, so every node and the administration API see the
same), and the metrics show each key's selector misses, refused posts and queue.

A report is small and bounded (:data:`~godmode_common.protocol.MAX_HEALTH_REPORT_BYTES`, at most
50 rooms and 50 misses); a malformed or oversized one is refused whole (422 / 413) and nothing is
kept.  The metrics are refreshed from the database every :data:`REFRESH_INTERVAL` seconds, so a
report received by another node shows on this one's ``/metrics`` too.
"""

from __future__ import annotations

import logging
import time

from godmode_common.protocol import CollectorHealthReport
from godmode_common.tasks import Periodic

from ..db import Database
from ..metrics import Metrics

log = logging.getLogger(__name__)

REFRESH_INTERVAL = 30.0
#: The key name a report is kept under when a dev server took it without a key.
ANONYMOUS = "(no key)"


class CollectorHealthBoard:
    def __init__(
        self, db: Database, metrics: Metrics, *, interval: float = REFRESH_INTERVAL
    ) -> None:
        self._db = db
        self._metrics = metrics
        self._shown: set[str] = set()
        self._periodic = Periodic(
            self.refresh, interval, what="refreshing the collector health metrics", log=log
        )

    async def keep(self, key: str | None, report: CollectorHealthReport) -> None:
        name = key or ANONYMOUS
        now = int(time.time())
        await self._db.save_collector_health(name, now, report.model_dump_json())
        self._show(name, now, report)

    def _show(self, key: str, received_at: int, report: CollectorHealthReport) -> None:
        m = self._metrics
        m.collector_report_time.labels(key).set(received_at)
        m.collector_selector_misses.labels(key).set(
            sum(miss.count for miss in report.selector_misses)
        )
        m.collector_refused_posts.labels(key).set(report.refused_posts)
        m.collector_queue_length.labels(key).set(report.queue_length)
        self._shown.add(key)

    async def refresh(self) -> None:
        kept = await self._db.collector_health()
        for key, (received_at, text) in kept.items():
            try:
                self._show(key, received_at, CollectorHealthReport.model_validate_json(text))
            except ValueError:
                log.warning("collector health of key %r no longer reads; left out", key)
        for key in self._shown - kept.keys():
            for gauge in (
                self._metrics.collector_report_time,
                self._metrics.collector_selector_misses,
                self._metrics.collector_refused_posts,
                self._metrics.collector_queue_length,
            ):
                gauge.remove(key)
        self._shown &= kept.keys()

    def start(self) -> None:
        self._periodic.start()

    async def close(self) -> None:
        await self._periodic.close()
