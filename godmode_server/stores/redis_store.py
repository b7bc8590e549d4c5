"""The Redis store: state and event log shared by every server node, surviving Redis outages.

Normal operation
    Each ingest is one Lua script (:data:`~.redis_scripts.INGEST`): stale/duplicate check,
    ``seq``, the stream entry, the latest value with its TTL and the room's history, atomically.
    Every node (the one that took the sample included) learns of events only by reading the
    stream with ``XREAD BLOCK``, so all nodes notify their dashboards in the one ``seq`` order.

Epochs
    The epoch lives in Redis.  Whenever this node sees another one (Redis was flushed or lost its
    data, so the log restarted) or changes its own (degraded mode, recovery), it tells its epoch
    listeners first: the hub closes every dashboard, and each one comes back to a ``SNAPSHOT``
    instead of silently missing the events it cannot be given.

Degraded mode
    When Redis fails, the node keeps working alone: it answers from a local copy of the shared
    state (every event it read is also applied to an embedded :class:`~.memory.MemoryStore`),
    takes samples into that local store under a new local epoch, and pushes them to its own
    dashboards.  The accepted samples are kept in order; when Redis answers again they are
    written to it first, then the node rejoins the shared log.  See docs/OPERATIONS.md for what
    is and is not guaranteed meanwhile.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections import deque
from collections.abc import Awaitable, Callable, Sequence
from typing import Any, TypeVar

from redis.asyncio import Redis
from redis.asyncio.retry import Retry
from redis.backoff import NoBackoff
from redis.exceptions import RedisError

from godmode_common.protocol import TelemetrySample
from godmode_common.retry import Backoff
from godmode_common.tasks import cancel_and_wait
from godmode_server.metrics import Metrics
from godmode_server.stores import redis_scripts
from godmode_server.stores.base import EarningsHook, IngestOutcome, LogEntry, StateView, Store
from godmode_server.stores.memory import MemoryStore

log = logging.getLogger(__name__)

T = TypeVar("T")

#: How long the stream reader blocks before it checks the epoch (an idle log cannot tell it that
#: Redis was flushed), milliseconds.
READ_BLOCK_MS = 1000
#: Events read from the stream per call.
READ_BATCH = 1024
#: When the server stops while degraded, how long it may spend writing the accepted samples.
CLOSE_SAVE_TIMEOUT = 5.0


def _new_epoch() -> str:
    return uuid.uuid4().hex[:16]


def _delta(value: str, previous: str) -> int:
    return int(value) - int(previous) if previous else 0


def entry_from_stream(
    entry_id: str, fields: dict[str, str], earnings: Store | None = None
) -> tuple[LogEntry, TelemetrySample]:
    """The event and the sample that one stream entry records (see :mod:`.redis_scripts`),
    with ``earnings``'s live figures."""
    seq = int(entry_id.partition("-")[0])
    sample = TelemetrySample(
        room_id=fields["r"],
        platform=fields["p"],
        tokens_count=int(fields["tk"]),
        tips_count=int(fields["ti"]),
        viewers_count=int(fields["vw"]),
        timestamp=int(fields["ts"]),
    )
    deltas = (
        _delta(fields["tk"], fields["ptk"]),
        _delta(fields["ti"], fields["pti"]),
        _delta(fields["vw"], fields["pvw"]),
    )
    # ``ms``: Redis's clock when the script accepted it (absent in entries of older versions).
    accepted = int(fields.get("ms", 0)) / 1000
    earned = earnings.earned(sample, deltas, seq) if earnings is not None else None
    entry = LogEntry.for_sample(sample, deltas, int(fields["at"]), seq, accepted, earned)
    return entry, sample


def _pairs(flat: Sequence[str]) -> dict[str, str]:
    return dict(zip(flat[::2], flat[1::2], strict=True))


def _samples(bodies: Sequence[str]) -> list[TelemetrySample]:
    samples = [TelemetrySample.model_validate_json(body) for body in bodies]
    samples.sort(key=lambda s: s.key)
    return samples


class RedisStore(Store):
    kind = "redis"

    def __init__(
        self,
        url: str,
        *,
        prefix: str = "godmode:",
        latest_ttl: float = 3600.0,
        event_log_size: int = 100_000,
        history_size: int = 1000,
        history_ttl: float = 7 * 24 * 3600.0,
        timeout: float = 2.0,
        reconnect_base: float = 0.25,
        reconnect_cap: float = 5.0,
        metrics: Metrics | None = None,
    ) -> None:
        super().__init__()
        self._prefix = prefix
        self._ttl_ms = max(1, round(latest_ttl * 1000))
        self._log_size = event_log_size
        self._history_size = history_size
        self._history_ttl_ms = max(1, round(history_ttl * 1000))
        self._metrics = metrics or Metrics()
        self._backoff = Backoff(reconnect_base, reconnect_cap)
        # One immediate retry covers a pooled connection that died with a Redis restart; more
        # would only delay the switch to degraded mode while Redis is really away.
        self._redis = Redis.from_url(
            url,
            decode_responses=True,
            socket_timeout=timeout,
            socket_connect_timeout=timeout,
            retry=Retry(NoBackoff(), 1),
        )
        # The stream reader blocks, so it has a connection of its own with a longer timeout.
        self._reader_redis = Redis.from_url(
            url,
            decode_responses=True,
            socket_timeout=timeout + READ_BLOCK_MS / 1000,
            socket_connect_timeout=timeout,
            retry=Retry(NoBackoff(), 0),
        )
        self._ingest_script = self._redis.register_script(redis_scripts.INGEST)
        self._snapshot_script = self._redis.register_script(redis_scripts.SNAPSHOT)
        self._since_script = self._redis.register_script(redis_scripts.SINCE)
        self._epoch_script = self._redis.register_script(redis_scripts.ENSURE_EPOCH)

        self._local = MemoryStore(
            latest_ttl=latest_ttl, event_log_size=event_log_size, history_size=history_size
        )
        self._local.subscribe(self._notify)  # only the degraded mode ingests into it
        self._epoch = ""
        self._last = 0
        self._degraded: str | None = None
        self._pending: deque[tuple[TelemetrySample, int]] = deque()
        self._reader: asyncio.Task[None] | None = None
        self._recovery: asyncio.Task[None] | None = None
        self._closing = False

    # --- keys ----------------------------------------------------------------------------------

    def set_earnings(self, hook: EarningsHook) -> None:
        super().set_earnings(hook)
        self._local.set_earnings(hook)  # its events in the degraded mode carry them too

    def _key(self, name: str) -> str:
        return self._prefix + name

    @staticmethod
    def _member(room_id: str, platform: str) -> str:
        return f"{platform}:{room_id}"

    # --- life cycle ----------------------------------------------------------------------------

    async def start(self) -> None:
        try:
            await self._join()
        except RedisError as exc:
            # Starting while Redis is away is an outage like any other: serve alone, recover.
            self._degrade(exc)

    async def close(self) -> None:
        self._closing = True
        for task in (self._reader, self._recovery):
            # redis-py can swallow a cancellation that lands while it is connecting; the loops
            # also check ``_closing``, so the task ends by the next read timeout.
            await cancel_and_wait(task)
        self._reader = self._recovery = None
        if self._pending:
            await self._save_pending()
        await self._redis.aclose()
        await self._reader_redis.aclose()

    async def _save_pending(self) -> None:
        """On the way out, one last try to write what was accepted while degraded: after this
        process is gone, nothing else holds those samples."""
        waiting = len(self._pending)
        try:
            async with asyncio.timeout(CLOSE_SAVE_TIMEOUT):
                while self._pending:
                    sample, processed_at = self._pending[0]
                    await self._run_ingest(sample, processed_at)
                    self._pending.popleft()
        except (RedisError, TimeoutError) as exc:
            log.error(
                "%d of %d samples accepted while Redis was away are lost with this process (%s)",
                len(self._pending),
                waiting,
                type(exc).__name__,
            )
        else:
            log.info("%d samples accepted while Redis was away written to it", waiting)

    async def _join(self) -> None:
        """Load the shared state and follow the shared log from its current position.

        The reader's connection is set up first, so that the reader asks for the entries after
        the snapshot's ``seq`` at once: set up in the background, on a slow connection, it let
        a busy log be trimmed past that position before its first read, and every dashboard of
        the node was sent back to a snapshot for events it had never missed.
        """
        await self._reader_redis.ping()
        epoch, seq, bodies = await self._snapshot_raw()
        self._local.replace_latest(_samples(bodies))
        self._epoch, self._last = epoch, seq
        self._metrics.event_seq.set(seq)
        self._reader = asyncio.get_running_loop().create_task(self._follow(), name="redis-reader")
        log.info("following the Redis event log: epoch %s at seq %d", epoch, seq)

    # --- properties ----------------------------------------------------------------------------

    @property
    def epoch(self) -> str:
        return self._epoch

    @property
    def last_seq(self) -> int:
        return self._local.last_seq if self._degraded else self._last

    @property
    def degraded(self) -> str | None:
        """Why the node works alone, or ``None`` while Redis is in use."""
        return self._degraded

    # --- the shared log ------------------------------------------------------------------------

    async def _follow(self) -> None:
        key = self._key("log")
        try:
            while not self._closing:
                # (redis-py types replies loosely; XREAD's shape is [[key, [(id, fields)...]]])
                reply: Any = await self._reader_redis.xread(
                    {key: f"{self._last}-0"}, count=READ_BATCH, block=READ_BLOCK_MS
                )
                if not reply:
                    epoch, seq = await self._epoch_script(
                        keys=[self._key("epoch"), self._key("seq")],
                        args=[_new_epoch()],
                        client=self._reader_redis,
                    )
                    if epoch != self._epoch:
                        self._switch_epoch(epoch, int(seq), "the Redis event log was reset")
                    continue
                for entry_id, fields in reply[0][1]:
                    self._take(entry_id, fields)
        except RedisError as exc:
            self._degrade(exc)

    def _take(self, entry_id: str, fields: dict[str, str]) -> None:
        seq = int(entry_id.partition("-")[0])
        if fields["e"] != self._epoch:
            self._switch_epoch(fields["e"], seq - 1, "the Redis event log was reset")
        if seq <= self._last:
            return
        if seq != self._last + 1:
            # Trimmed before this node could read it: its dashboards cannot be told what it was.
            log.error("event log gap after seq %d (next held: %d)", self._last, seq)
            self._switch_epoch(self._epoch, seq - 1, "events were lost before delivery")
        entry, sample = entry_from_stream(entry_id, fields, self)
        self._local.remember(sample)
        self._last = seq
        self._metrics.event_seq.set(seq)
        self._notify(entry)

    def _switch_epoch(self, epoch: str, position: int, why: str) -> None:
        """Continue after ``position`` in ``epoch``; every dashboard has to start afresh."""
        log.warning("epoch %s → %s at seq %d: %s", self._epoch, epoch, position, why)
        self._epoch, self._last = epoch, position
        self._metrics.epoch_changes.inc()
        self._notify_epoch_change(epoch)

    def _observe(self, epoch: str, seq: int) -> None:
        """A reply named the current epoch; switch now if it is not the one being followed."""
        if self._degraded is None and epoch != self._epoch:
            self._switch_epoch(epoch, seq, "the Redis event log was reset")

    # --- degraded mode -------------------------------------------------------------------------

    def _degrade(self, exc: BaseException) -> None:
        if self._degraded is not None:
            return
        self._degraded = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
        log.error("Redis failed (%s): working alone until it answers again", self._degraded)
        if self._reader is not None and self._reader is not asyncio.current_task():
            self._reader.cancel()
        self._reader = None
        epoch = _new_epoch()
        self._local.restart_log(epoch=epoch, seq=self._last)
        self._epoch = epoch
        self._metrics.store_degraded.set(1)
        self._metrics.store_failures.inc()
        self._metrics.epoch_changes.inc()
        self._notify_epoch_change(epoch)
        self._backoff.reset()
        self._recovery = asyncio.get_running_loop().create_task(
            self._recover(), name="redis-recovery"
        )

    async def _recover(self) -> None:
        while not self._closing:
            await asyncio.sleep(self._backoff.next_delay())
            try:
                await self._reader_redis.ping()  # the reader's connection first (see _join)
                epoch, seq, bodies = await self._catch_up()
            except RedisError as exc:
                log.info("Redis still unavailable: %s", exc)
                continue
            self._local.replace_latest(_samples(bodies))
            self._degraded = None
            self._metrics.store_degraded.set(0)
            self._recovery = None
            self._switch_epoch(epoch, seq, "Redis is back")
            self._reader = asyncio.get_running_loop().create_task(
                self._follow(), name="redis-reader"
            )
            return

    async def _catch_up(self) -> tuple[str, int, list[str]]:
        """Write what was accepted while degraded, in order, and read the shared state.

        Samples keep arriving meanwhile (into the local store and the queue); this returns only
        once the queue was empty when the state was read, and the caller switches over without
        awaiting, so none is left behind.
        """
        await self._redis.ping()
        while True:
            while self._pending:
                sample, processed_at = self._pending[0]
                await self._run_ingest(sample, processed_at)
                self._pending.popleft()
                self._metrics.samples_replayed.inc()
                self._metrics.replay_pending.set(len(self._pending))
            state = await self._snapshot_raw()
            if not self._pending:
                return state

    async def _shared(
        self, read: Callable[[], Awaitable[T]], local: Callable[[], Awaitable[T]]
    ) -> T:
        """``read()`` from Redis, or ``local()`` while degraded (entering it if Redis fails)."""
        if self._degraded is None:
            try:
                return await read()
            except RedisError as exc:
                self._degrade(exc)
        return await local()

    # --- the Store operations ------------------------------------------------------------------

    async def _run_ingest(self, sample: TelemetrySample, processed_at: int) -> list[object]:
        member = self._member(sample.room_id, sample.platform)
        reply: list[object] = await self._ingest_script(
            keys=[
                self._key("latest:" + member),
                self._key("rooms"),
                self._key("seq"),
                self._key("epoch"),
                self._key("log"),
                self._key("history:" + member),
            ],
            args=[
                sample.model_dump_json(),
                sample.timestamp,
                sample.tokens_count,
                sample.tips_count,
                sample.viewers_count,
                self._ttl_ms,
                self._log_size,
                _new_epoch(),
                processed_at,
                sample.room_id,
                sample.platform,
                member,
                self._history_size,
                self._history_ttl_ms,
            ],
        )
        return reply

    async def ingest(self, sample: TelemetrySample, processed_at: int) -> IngestOutcome:
        if self._degraded is None:
            try:
                applied, detail, _epoch = await self._run_ingest(sample, processed_at)
            except RedisError as exc:
                # Whether the script ran is unknown; replaying it later is harmless, because a
                # sample Redis already holds comes back "duplicate" and makes no event.
                self._degrade(exc)
            else:
                if applied:
                    assert isinstance(detail, int)
                    return IngestOutcome(applied=True, seq=detail)
                assert detail in ("stale", "duplicate")
                return IngestOutcome(applied=False, reason=detail)
        outcome = await self._local.ingest(sample, processed_at)
        if outcome.applied:
            if len(self._pending) >= self._log_size:
                self._pending.popleft()
                self._metrics.replay_dropped.inc()
                log.warning("degraded for too long: the oldest unsaved sample was dropped")
            self._pending.append((sample, processed_at))
            self._metrics.replay_pending.set(len(self._pending))
        return outcome

    async def _snapshot_raw(self) -> tuple[str, int, list[str]]:
        reply = await self._snapshot_script(
            keys=[self._key("rooms"), self._key("seq"), self._key("epoch")],
            args=[self._key("latest:"), _new_epoch()],
        )
        return reply[0], int(reply[1]), reply[2:]

    async def snapshot(self) -> StateView:
        async def read() -> StateView:
            epoch, seq, bodies = await self._snapshot_raw()
            self._observe(epoch, seq)
            return StateView(seq=seq, epoch=epoch, full=True, rooms=_samples(bodies))

        return await self._shared(read, self._local.snapshot)

    async def _since(self, since: int, epoch: str, mode: str) -> list[object]:
        reply: list[object] = await self._since_script(
            keys=[self._key("log"), self._key("seq"), self._key("epoch")],
            args=[since, epoch, _new_epoch(), mode, self._key("latest:")],
        )
        self._observe(str(reply[0]), int(str(reply[1])))
        return reply

    async def events_since(self, since: int, epoch: str) -> list[LogEntry] | None:
        async def read() -> list[LogEntry] | None:
            reply = await self._since(since, epoch, "events")
            if not reply[2]:
                return None
            entries = reply[3]
            assert isinstance(entries, list)
            return [entry_from_stream(i, _pairs(f), self)[0] for i, f in entries]

        return await self._shared(read, lambda: self._local.events_since(since, epoch))

    async def changes_since(self, since: int, epoch: str) -> StateView:
        async def read() -> StateView:
            reply = await self._since(since, epoch, "changes")
            if not reply[2]:
                return await self.snapshot()
            bodies = [str(b) for b in reply[3:]]
            seq = int(str(reply[1]))
            return StateView(seq=seq, epoch=str(reply[0]), full=False, rooms=_samples(bodies))

        return await self._shared(read, lambda: self._local.changes_since(since, epoch))

    async def latest(self, room_id: str, platform: str) -> TelemetrySample | None:
        async def read() -> TelemetrySample | None:
            key = self._key("latest:" + self._member(room_id, platform))
            body = await self._redis.hget(key, "body")
            return TelemetrySample.model_validate_json(body) if body else None

        return await self._shared(read, lambda: self._local.latest(room_id, platform))

    async def history(self, room_id: str, platform: str, limit: int) -> list[TelemetrySample]:
        async def read() -> list[TelemetrySample]:
            key = self._key("history:" + self._member(room_id, platform))
            bodies = await self._redis.lrange(key, -limit, -1)
            return [TelemetrySample.model_validate_json(body) for body in bodies]

        return await self._shared(read, lambda: self._local.history(room_id, platform, limit))

    async def check(self) -> dict[str, str]:
        if self._degraded is None:
            try:
                await self._redis.ping()
            except RedisError as exc:
                self._degrade(exc)
        if self._degraded is not None:
            return {"redis": f"degraded: {self._degraded}"}
        return {"redis": "ok"}
