"""The live feed: one WebSocket to ``/ws/dashboard`` that keeps itself alive, and REST polling
while it cannot.

Guarantees, whatever the link does:

* each update is delivered to the sink once, in ``seq`` order: the feed keeps a cursor
  (``seq``/``epoch``), skips what it already has, resumes with ``since`` after a drop, and treats a
  hole (an update or heartbeat beyond the cursor) as a reason to resume at once;
* when the events cannot be replayed the server sends a ``SNAPSHOT`` (or the poll answers
  ``full``), and the sink is told to replace its state rather than merge;
* a token the server refuses stops the feed in ``AUTH_REQUIRED``: no retry loop with a dead token.

Reconnecting: the first attempt after a drop is immediate, then exponential backoff with full
jitter (0.25 s doubling up to 10 s), reset once a connection has stayed live for
``healthy_after`` seconds (not merely opened: a server that closes after every first message
would otherwise be asked again at once, thousands of times a minute).  A skipped ``seq`` or a
changed epoch resumes at once, at most ``max_resyncs`` times a minute; past that the feed waits
its backoff like after a drop.  After ``poll_after`` seconds without a live link the bulk
endpoint is polled every ``poll_interval`` seconds, until the WebSocket is live again.

What a server sends is bounded like the REST answers (see api.py): a message of at most
:data:`~.api.MAX_ANSWER_BYTES`, a snapshot of at most :data:`~.api.MAX_ROOMS` rooms; a message
that is not protocol v1 is ignored and logged at most once a minute.

Pure asyncio: the sink is called on the event loop, and the Qt controller turns its calls into
signals.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import logging
import time
from dataclasses import dataclass
from typing import Protocol

from pydantic import ValidationError
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed, InvalidHandshake, InvalidStatus

from godmode_common.retry import Backoff
from godmode_common.tasks import cancel_and_wait

from .api import MAX_ANSWER_BYTES, ApiClient, check_room_count, websocket_url
from .errors import NetError, TokenExpired
from .protocol import (
    CLOSE_AUTH_REQUIRED,
    CLOSE_SCOPE_CHANGED,
    CLOSE_TOO_SLOW,
    BulkTelemetry,
    CollectorStatus,
    Heartbeat,
    Resume,
    Snapshot,
    TelemetryUpdate,
    parse_dashboard_event,
)
from .server_clock import ServerClock
from .status import ConnectionState, FeedStatus
from .throttled_log import ThrottledLog

log = logging.getLogger(__name__)
warnings = ThrottledLog(log)


class FeedSink(Protocol):
    """Where the feed delivers; every call happens on the event loop, in order."""

    def feed_snapshot(self, snapshot: Snapshot) -> None:
        """Replace everything with ``snapshot.rooms``."""

    def feed_update(self, update: TelemetryUpdate) -> None:
        """Apply one change (never a duplicate, never out of order)."""

    def feed_poll(self, bulk: BulkTelemetry) -> None:
        """A poll answer: replace when ``bulk.full``, else merge ``bulk.rooms``."""

    def feed_collector(self, status: CollectorStatus) -> None:
        """A collector went silent or posts again (the server decides; not in the log)."""

    def feed_status(self, status: FeedStatus) -> None:
        """The connection state changed."""


@dataclass(frozen=True, slots=True)
class FeedConfig:
    #: No message for this long (about three server heartbeats) means the link is dead.
    heartbeat_timeout: float = 15.0
    poll_after: float = 2.0
    poll_interval: float = 3.0
    backoff_base: float = 0.25
    backoff_cap: float = 10.0
    open_timeout: float = 5.0
    #: A connection live this long counts as healthy: the next drop starts the backoff afresh.
    healthy_after: float = 10.0
    #: Immediate resumes (a skipped seq, a new epoch) allowed a minute; then the backoff applies.
    max_resyncs: int = 3
    #: Full jitter on the backoff delays (off only where a test times them).
    jitter: bool = True


class _Resync(Exception):
    """The stream skipped a ``seq``: resume with ``since`` at once."""


class _AuthRefused(Exception):
    pass


class LiveFeed:
    def __init__(
        self,
        api: ApiClient,
        sink: FeedSink,
        config: FeedConfig | None = None,
        server_clock: ServerClock | None = None,
    ) -> None:
        self.api = api
        self.sink = sink
        self.config = config or FeedConfig()
        #: The server's time, set from what it stamps fresh (snapshots, heartbeats, polls).
        self.server_clock = server_clock or ServerClock()
        self.seq: int | None = None
        #: The server limits this feed to some rooms (a monitor's): seqs have gaps.
        self.scoped = False
        self.epoch: str | None = None
        #: WebSocket connection attempts so far (what a reconnect storm would inflate).
        self.attempts = 0
        self.newest_data_at: float | None = None
        self._state: ConnectionState | None = None
        self._backoff = Backoff(
            self.config.backoff_base, self.config.backoff_cap, jitter=self.config.jitter
        )
        self._poller: asyncio.Task[None] | None = None
        #: When the current connection went live (monotonic), while it is.
        self._live_since: float | None = None
        #: When the latest immediate resumes happened (monotonic), at most ``max_resyncs``.
        self._resyncs: collections.deque[float] = collections.deque(maxlen=self.config.max_resyncs)
        self._wake = asyncio.Event()
        self._stopped = False
        self._task: asyncio.Task[None] | None = None

    @property
    def state(self) -> ConnectionState | None:
        return self._state

    def stop(self) -> None:
        """End :meth:`run` (which then returns normally), wherever it is waiting."""
        self._stopped = True
        if self._task is not None and self._task is not asyncio.current_task():
            self._task.cancel()

    def reconnect_now(self) -> None:
        """Skip the current backoff wait (the UI's "reconnect now")."""
        self._backoff.reset()
        self._wake.set()

    async def run(self) -> None:
        """Follow the server until :meth:`stop` or until it refuses the token."""
        self._task = asyncio.current_task()
        self._set_state(ConnectionState.CONNECTING)
        try:
            await self._run()
        except asyncio.CancelledError:
            if not self._stopped:
                raise
        finally:
            self._task = None
            await self._stop_polling()

    async def _run(self) -> None:
        while not self._stopped:
            try:
                await self._connect_once()
            except _AuthRefused:
                self._set_state(ConnectionState.AUTH_REQUIRED, "the server refused the token")
                return
            except _Resync:
                self._ended_connection()
                if self._resync_allowed():
                    continue  # at once, with the cursor as it is
                warnings.warning("resyncs", "the server keeps breaking the event order")
            except (OSError, TimeoutError, ConnectionClosed, InvalidHandshake, NetError) as exc:
                log.info("live link down: %r", exc)
                self._ended_connection()
            if self._stopped:
                return
            self._link_down()
            await self._pause(self._backoff.next_delay())

    def _ended_connection(self) -> None:
        """A connection ended: if it had been live long enough, the backoff starts afresh."""
        if (
            self._live_since is not None
            and time.monotonic() - self._live_since >= self.config.healthy_after
        ):
            self._backoff.reset()
        self._live_since = None

    def _resync_allowed(self) -> bool:
        now = time.monotonic()
        if len(self._resyncs) == self._resyncs.maxlen and now - self._resyncs[0] < 60:
            return False
        self._resyncs.append(now)
        return True

    # --- the WebSocket -------------------------------------------------------------------------

    async def _connect_once(self) -> None:
        # Collectors' status events too (a server that does not know the parameter ignores it).
        url = websocket_url(self.api.server_url) + "?collectors=1"
        if self.seq is not None and self.epoch is not None:
            url += f"&since={self.seq}&epoch={self.epoch}"
        token = self.api.token
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        self.attempts += 1
        try:
            async with connect(
                url,
                additional_headers=headers,
                open_timeout=self.config.open_timeout,
                close_timeout=self.config.open_timeout,
                ping_interval=None,  # the server's heartbeats are the liveness check
                max_size=MAX_ANSWER_BYTES,
                ssl=self.api.tls if url.startswith("wss://") else None,
            ) as ws:
                await self._follow(ws)
        except InvalidStatus as exc:
            if exc.response.status_code in (401, 403):
                raise _AuthRefused from exc
            raise
        except ConnectionClosed as exc:
            if exc.rcvd is not None and exc.rcvd.code == CLOSE_AUTH_REQUIRED:
                if self.api.token != token:
                    # The token changed while connected (a password change answers a new one
                    # and ends the old): resume at once with the new token.
                    raise _Resync from exc
                raise _AuthRefused from exc
            if exc.rcvd is not None and exc.rcvd.code == CLOSE_SCOPE_CHANGED:
                self.seq = self.epoch = None  # the new rooms' state: a fresh snapshot
                raise _Resync from exc
            if exc.rcvd is not None and exc.rcvd.code == CLOSE_TOO_SLOW:
                raise _Resync from exc  # it fell behind; the server holds what it missed
            raise

    async def _follow(self, ws: ClientConnection) -> None:
        first = await asyncio.wait_for(ws.recv(), self.config.open_timeout)
        self._handle(first)
        self._went_live()
        while not self._stopped:
            try:
                message = await asyncio.wait_for(ws.recv(), self.config.heartbeat_timeout)
            except TimeoutError:
                # A silent link would also swallow a polite close: drop it on the spot.
                log.info(
                    "no message for %.1f s: link considered dead", self.config.heartbeat_timeout
                )
                ws.transport.abort()
                raise
            self._handle(message)

    def _handle(self, raw: str | bytes) -> None:
        try:
            event = parse_dashboard_event(raw)
        except ValidationError:
            warnings.warning(
                "not-v1", "ignored a message that is not a protocol v1 event: %.200r", raw
            )
            return
        self.newest_data_at = time.time()
        if isinstance(event, Snapshot | Resume | Heartbeat):
            self.server_clock.observe(event.timestamp)  # before the rooms are aged by it
        if isinstance(event, Snapshot):
            check_room_count(self.api.server_url, len(event.rooms))
            self.seq, self.epoch = event.seq, event.epoch
            self.scoped = event.scope is not None
            self.sink.feed_snapshot(event)
        elif isinstance(event, Resume):
            if event.epoch != self.epoch or event.seq != self.seq:
                self.seq = self.epoch = None
                raise _Resync
        elif isinstance(event, TelemetryUpdate):
            if self.seq is not None and event.seq <= self.seq:
                return  # already applied (a replay overlapping a poll, or a duplicate)
            if self.seq is not None and event.seq != self.seq + 1 and not self.scoped:
                raise _Resync  # a monitor's feed skips other rooms' seqs: not a loss
            self.seq = event.seq
            self.sink.feed_update(event)
        elif isinstance(event, CollectorStatus):
            self.sink.feed_collector(event)
        elif isinstance(event, Heartbeat):
            if event.epoch != self.epoch:
                raise _Resync
            if self.seq is not None and event.seq > self.seq:
                if not self.scoped:
                    raise _Resync
                # A monitor's feed: everything of their rooms up to here has arrived (one
                # ordered stream), so a resume may start from here.
                self.seq = event.seq

    # --- states and polling --------------------------------------------------------------------

    def _set_state(self, state: ConnectionState, detail: str = "") -> None:
        if state is not self._state:
            self._state = state
            self.sink.feed_status(FeedStatus(state, self.newest_data_at, detail))

    def _went_live(self) -> None:
        self._live_since = time.monotonic()
        if self._poller is not None:
            self._poller.cancel()
            self._poller = None
        self._set_state(ConnectionState.LIVE)

    def _link_down(self) -> None:
        if self._state is ConnectionState.LIVE:
            self._set_state(ConnectionState.CONNECTING)
        if self._poller is None:
            self._poller = asyncio.create_task(self._poll())

    async def _poll(self) -> None:
        await asyncio.sleep(self.config.poll_after)
        while not self._stopped:
            try:
                bulk = await self.api.bulk(self.seq, self.epoch)
            except TokenExpired:
                self._set_state(ConnectionState.AUTH_REQUIRED, "the server refused the token")
                self.stop()
                return
            except NetError as exc:
                self._set_state(ConnectionState.OFFLINE, str(exc))
            else:
                self.newest_data_at = time.time()
                self.server_clock.observe(bulk.timestamp)
                if bulk.epoch != self.epoch or self.seq is None or bulk.seq > self.seq:
                    self.seq, self.epoch = bulk.seq, bulk.epoch
                    self.sink.feed_poll(bulk)
                self._set_state(ConnectionState.POLLING)
            await asyncio.sleep(self.config.poll_interval)

    async def _stop_polling(self) -> None:
        await cancel_and_wait(self._poller)
        self._poller = None

    async def _pause(self, delay: float) -> None:
        self._wake.clear()
        if delay > 0:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), delay)
