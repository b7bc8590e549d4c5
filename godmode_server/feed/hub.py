"""Fan-out of store events to connected dashboards.

Each event reaches the hub already serialized (see :class:`~.stores.base.LogEntry`); the hub only
puts that one string on every dashboard's bounded queue.  A dashboard's own sender task drains its
queue, so a client that stops reading holds up nobody but itself: when its queue overflows it is
marked and closed with :data:`~godmode_common.protocol.CLOSE_TOO_SLOW`, and since the event log
keeps what it missed, it resumes with ``since`` and loses nothing.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable

from godmode_common.protocol import CLOSE_TOO_SLOW, Heartbeat
from godmode_common.rooms import RoomKey
from godmode_common.tasks import cancel_and_wait
from godmode_server.metrics import Metrics
from godmode_server.serving.ws_protocol import text_frame
from godmode_server.stores.base import LogEntry, Store, event_text

#: Queue items with this ``seq`` are not log events (heartbeats): always delivered, never filtered.
UNSEQUENCED = 0
#: WebSocket close code when the node's epoch changed (standard "service restart"): the dashboard
#: reconnects with ``since``/``epoch`` and, the epoch being unknown, gets a fresh ``SNAPSHOT``.
CLOSE_EPOCH_CHANGED = 1012

#: What :meth:`Subscriber.offer` did with an event.
OVERFLOWED, TAKEN, WRITTEN = 0, 1, 2


class Subscriber:
    """One dashboard's queue.  ``ended`` is set once, when the hub wants the connection closed
    (``close_code``/``close_reason`` say why): its queue overflowed, or the epoch changed.

    The fast path: once the dashboard's first messages are sent (``floor`` known), while its
    sender is waiting on an empty queue, an event is written straight to the socket by
    ``direct`` (no task switch, no ``await``).  Everything before it has then been written, so
    the order holds; when the socket is full the event goes to the queue as usual.
    """

    __slots__ = (
        "close_code",
        "close_reason",
        "collectors",
        "direct",
        "ended",
        "floor",
        "idle",
        "queue",
        "rooms",
    )

    def __init__(self, maxsize: int) -> None:
        self.queue: asyncio.Queue[LogEntry] = asyncio.Queue(maxsize)
        self.ended = asyncio.Event()
        self.close_code = 1000
        self.close_reason = ""
        self.direct: Callable[[bytes], bool] | None = None
        #: Events up to this seq reached the dashboard in its first messages; None until then.
        self.floor: int | None = None
        #: The sender is waiting for the queue (set and cleared by the sender itself).
        self.idle = False
        #: A monitor's rooms: only their events are offered (None: every room).
        self.rooms: frozenset[RoomKey] | None = None
        #: The dashboard asked for collectors' status events (COLLECTOR_STATUS).
        self.collectors = False

    def offer(self, entry: LogEntry, frame: bytes = b"") -> int:
        """Take an event; ``frame`` is its WebSocket frame, built once for all dashboards.

        Returns :data:`WRITTEN`, :data:`TAKEN` (queued, or already sent; both true) or :data:`OVERFLOWED` (false)."""
        if self.idle and self.floor is not None and self.direct is not None and self.queue.empty():
            if entry.seq != UNSEQUENCED and entry.seq <= self.floor:
                return TAKEN  # already in the snapshot or the replay: nothing was written
            if self.direct(frame or text_frame(entry.data)):
                return WRITTEN
        try:
            self.queue.put_nowait(entry)
        except asyncio.QueueFull:
            self.end(CLOSE_TOO_SLOW, "client too slow; reconnect with since")
            return OVERFLOWED
        return TAKEN

    def end(self, code: int, reason: str) -> None:
        if not self.ended.is_set():
            self.close_code, self.close_reason = code, reason
            self.ended.set()


class Hub:
    def __init__(
        self, store: Store, metrics: Metrics, *, queue_size: int, heartbeat_interval: float
    ) -> None:
        self._store = store
        self._metrics = metrics
        self._queue_size = queue_size
        self._heartbeat_interval = heartbeat_interval
        self._subscribers: set[Subscriber] = set()
        self._heartbeat_task: asyncio.Task[None] | None = None
        store.subscribe(self.publish)
        store.on_epoch_change(self.end_all)

    @property
    def connected(self) -> int:
        return len(self._subscribers)

    def attach(self) -> Subscriber:
        """Register a dashboard; from now on it receives every published event."""
        subscriber = Subscriber(self._queue_size)
        self._subscribers.add(subscriber)
        self._metrics.dashboards_connected.set(len(self._subscribers))
        return subscriber

    def detach(self, subscriber: Subscriber) -> None:
        self._subscribers.discard(subscriber)
        self._metrics.dashboards_connected.set(len(self._subscribers))

    def publish(self, entry: LogEntry) -> None:
        """Queue one event for every dashboard.  Never awaits, never blocks on a client."""
        delivered = self._broadcast(entry)
        self._metrics.events_fanned_out.inc(delivered)
        self._metrics.event_seq.set(entry.seq)

    def _broadcast(self, entry: LogEntry) -> int:
        delivered = 0
        written = False
        overflowed: list[Subscriber] = []
        frame = text_frame(entry.data)
        scoped = entry.seq != UNSEQUENCED  # heartbeats reach everyone
        for subscriber in self._subscribers:
            if scoped and subscriber.rooms is not None and entry.key not in subscriber.rooms:
                continue  # a monitor's feed: not one of their rooms
            outcome = subscriber.offer(entry, frame)
            if outcome:
                delivered += 1
                written = written or outcome == WRITTEN
            else:
                overflowed.append(subscriber)
        if written and entry.accepted:
            # Once per event, not per dashboard: the fan-out is the hot path.
            self._metrics.delivery_lag.observe(max(0.0, time.time() - entry.accepted))
        for subscriber in overflowed:
            # Stop offering to it at once; its connection handler closes the socket.
            self.detach(subscriber)
            self._metrics.dashboards_dropped_slow.inc()
        return delivered

    def notify_collectors(self, text: str) -> int:
        """A COLLECTOR_STATUS event to the dashboards that asked for them (outside the log)."""
        entry = LogEntry(seq=UNSEQUENCED, key=RoomKey("", ""), text=text)
        frame = text_frame(entry.data)
        told = 0
        for subscriber in list(self._subscribers):
            if subscriber.collectors and subscriber.offer(entry, frame):
                told += 1
        return told

    def end_all(self, epoch: str) -> None:
        """Close every dashboard: what they hold belongs to an epoch that is over."""
        for subscriber in list(self._subscribers):
            subscriber.end(CLOSE_EPOCH_CHANGED, f"epoch changed to {epoch}; reconnect")
            self.detach(subscriber)

    def heartbeat_entry(self) -> LogEntry:
        beat = Heartbeat(
            seq=self._store.last_seq, epoch=self._store.epoch, timestamp=int(time.time())
        )
        return LogEntry(seq=UNSEQUENCED, key=RoomKey("", ""), text=event_text(beat))

    async def _heartbeats(self) -> None:
        while True:
            await asyncio.sleep(self._heartbeat_interval)
            if self._subscribers:
                self._broadcast(self.heartbeat_entry())

    def start(self) -> None:
        self._heartbeat_task = asyncio.get_running_loop().create_task(self._heartbeats())

    async def stop(self) -> None:
        await cancel_and_wait(self._heartbeat_task)
        self._heartbeat_task = None
