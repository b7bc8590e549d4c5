"""Collectors' health as they report it themselves: ``POST /api/collectors/health`` keeps the
latest report per ingest key (in the database, so every node and the administration API see the
same), and the metrics show each key's selector misses, refused posts and queue.

A report is small and bounded (:data:`~godmode_common.protocol.MAX_HEALTH_REPORT_BYTES`, at most
50 rooms and 50 misses); a malformed or oversized one is refused whole (422 / 413) and nothing is
kept.  The metrics are refreshed from the database every :data:`REFRESH_INTERVAL` seconds, so a
report received by another node shows on this one's ``/metrics`` too.
"""

from __future__ import annotations

import hashlib
import logging
import time

from godmode_common.protocol import CollectorHealthReport
from godmode_common.tasks import Periodic
from godmode_server.metrics import Metrics
from godmode_server.sql.database import Database

log = logging.getLogger(__name__)

REFRESH_INTERVAL = 30.0
#: The key name a report is kept under when a dev server took it without a key.
ANONYMOUS = "(no key)"


def metric_label(key: str, *, named: bool) -> str:
    """A key's ``key`` label in /metrics: its name where names may be shown
    (``GODMODE_METRICS_KEY_NAMES``, dev mode), else a stable pseudonym: /metrics is public, and a
    list of every reporting key's name tells an outsider which PCs to go after.  The pseudonym is
    ``key-`` and the first 12 hex digits of the name's SHA-256 (``godmode-server key list``
    prints them)."""
    if named:
        return key
    return "key-" + hashlib.sha256(key.encode()).hexdigest()[:12]


class CollectorHealthBoard:
    def __init__(
        self,
        db: Database,
        metrics: Metrics,
        *,
        interval: float = REFRESH_INTERVAL,
        key_names: bool = False,
    ) -> None:
        self._db = db
        self._metrics = metrics
        self._key_names = key_names
        self._shown: set[str] = set()
        self._periodic = Periodic(
            self.refresh, interval, what="refreshing the collector health metrics", log=log
        )

    async def keep(self, key: str | None, report: CollectorHealthReport) -> None:
        name = key or ANONYMOUS
        now = int(time.time())
        await self._db.save_collector_health(name, now, report.model_dump_json())
        self._show(name, now, report)

    def _show(self, name: str, received_at: int, report: CollectorHealthReport) -> None:
        m = self._metrics
        key = metric_label(name, named=self._key_names)
        m.collector_report_time.labels(key).set(received_at)
        m.collector_selector_misses.labels(key).set(
            sum(miss.count for miss in report.selector_misses)
        )
        m.collector_refused_posts.labels(key).set(report.refused_posts)
        m.collector_queue_length.labels(key).set(report.queue_length)
        self._shown.add(name)

    async def refresh(self) -> None:
        kept = await self._db.collector_health()
        for key, (received_at, text) in kept.items():
            try:
                self._show(key, received_at, CollectorHealthReport.model_validate_json(text))
            except ValueError:
                log.warning("collector health of key %r no longer reads; left out", key)
        for name in self._shown - kept.keys():
            key = metric_label(name, named=self._key_names)
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
