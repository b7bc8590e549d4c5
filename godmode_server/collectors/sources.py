"""The server-side collectors of one node: started with the app, stopped with it, and what
/readyz and /metrics say about each."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import math
from collections.abc import Awaitable, Callable
from typing import Protocol

import httpx
from aiolimiter import AsyncLimiter

from godmode_common.protocol import TelemetrySample
from godmode_server.collectors.chaturbate_events import ChaturbateEventsCollector
from godmode_server.collectors.chaturbate_stats import ChaturbateStatsCollector, Latest
from godmode_server.collectors.config import CollectorsConfig
from godmode_server.collectors.lease import Leases
from godmode_server.collectors.source_health import SourceHealth
from godmode_server.errors import ApiError
from godmode_server.metrics import Metrics
from godmode_server.sql.database import Database


class _RoomOf(Protocol):
    @property
    def room(self) -> str: ...


class Collector(Protocol):
    """What this module needs of a server-side collector."""

    @property
    def source(self) -> str: ...

    @property
    def room(self) -> _RoomOf: ...

    health: SourceHealth

    async def run(self) -> None: ...


def _health_of(collector: Collector) -> Callable[[], float]:
    """The metric's value: 1 while the collector works or retries, 0 once it gave up."""
    return lambda: 0.0 if collector.health.state == "unhealthy" else 1.0


def _media_tokens_of(collector: ChaturbateEventsCollector) -> Callable[[], float]:
    return lambda: float(collector.media_tokens)


def _balance_of(collector: ChaturbateStatsCollector) -> Callable[[], float]:
    """The account's latest token balance; NaN before the first answer."""
    return lambda: (
        float(collector.figures.token_balance) if collector.figures is not None else math.nan
    )


log = logging.getLogger(__name__)

Ingest = Callable[[TelemetrySample], Awaitable[object]]


class Sources:
    def __init__(
        self,
        config: CollectorsConfig,
        *,
        db: Database,
        metrics: Metrics,
        ingest: Ingest,
        latest: Latest,
        leases: Leases | None = None,
    ) -> None:
        self._config = config
        self._leases = leases
        self._db = db
        self._metrics = metrics
        self._ingest = ingest
        self._latest = latest
        self._collectors: list[Collector] = []
        self._tasks: list[asyncio.Task[None]] = []
        self._http: httpx.AsyncClient | None = None

    def start(self) -> None:
        config = self._config
        if not (config.chaturbate_events or config.chaturbate_stats):
            return
        self._http = http = httpx.AsyncClient(follow_redirects=False)
        # One budget for the whole node: the rate limit is the API's, not a room's.
        limiter = AsyncLimiter(config.events_api_requests_per_minute, 60)
        for room in config.chaturbate_events:
            events = ChaturbateEventsCollector(
                room, http=http, limiter=limiter, db=self._db, ingest=self._take
            )
            self._metrics.source_media_tokens.labels(events.source).set_function(
                _media_tokens_of(events)
            )
            self._add(events)
        for account in config.chaturbate_stats:
            stats = ChaturbateStatsCollector(
                account, http=http, ingest=self._take, latest=self._latest
            )
            self._metrics.source_token_balance.labels(stats.source).set_function(_balance_of(stats))
            self._add(stats)
        log.info("collectors: %s", ", ".join(c.source for c in self._collectors))

    def _add(self, collector: Collector) -> None:
        self._collectors.append(collector)
        self._metrics.source_healthy.labels(collector.source).set_function(_health_of(collector))
        self._tasks.append(asyncio.create_task(self._run(collector), name=collector.source))

    async def _run(self, collector: Collector) -> None:
        if self._leases is None:
            await self._collect(collector)
            return
        name = collector.source
        while True:
            await self._leases.hold(
                name, lambda: collector.health.set("standby", "another node collects")
            )
            collector.health.set("starting")
            collecting = asyncio.create_task(self._collect(collector))
            keeping = asyncio.create_task(self._leases.keep(name))
            try:
                await asyncio.wait({collecting, keeping}, return_when=asyncio.FIRST_COMPLETED)
            finally:
                keeping.cancel()
                if not collecting.done():
                    collecting.cancel()  # the lease went to another node
                await asyncio.gather(collecting, keeping, return_exceptions=True)
            if collecting.done() and not collecting.cancelled():
                # It stopped by itself (a refused token): let another node try, and stop here.
                with contextlib.suppress(Exception):
                    await self._leases.release(name)
                return

    async def _collect(self, collector: Collector) -> None:
        try:
            await collector.run()
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # a bug must show in /readyz, not die silently
            collector.health.set("unhealthy", f"stopped: {type(exc).__name__}")
            log.exception("%s stopped", collector.source)

    async def _take(self, sample: TelemetrySample) -> None:
        try:
            await self._ingest(sample)
        except ApiError as exc:
            log.error("sample from a collector refused: %s", exc.message)

    def stalls(self) -> list[tuple[str, str, float | None, bool]]:
        """Each collector running on this node: (source, room, last good page, stalled), for the
        collector watch.  A standby node's collectors are not listed (another node collects)."""
        return [
            (c.source, c.room.room, c.health.last_ok, c.health.stalled)
            for c in self._collectors
            if c.health.state != "standby"
        ]

    def health(self) -> dict[str, str]:
        """Each collector's state by name, for /readyz."""
        return {c.source: c.health.describe() for c in self._collectors}

    def any_unhealthy(self) -> bool:
        return any(c.health.state == "unhealthy" for c in self._collectors)

    async def close(self) -> None:
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        self._tasks.clear()
        if self._leases is not None:
            for collector in self._collectors:
                with contextlib.suppress(Exception):
                    await self._leases.release(collector.source)  # another node may take over
            await self._leases.close()
        if self._http is not None:
            await self._http.aclose()
