"""Dashboards that connect at the same moment share one snapshot.

After an epoch change or a node's restart, every dashboard comes back at once and asks for a
``SNAPSHOT``: with Redis, a script reading every live room, then parsing and encoding hundreds
of rooms — a thousand times over, for the same answer. Here concurrent requests share one read
and one encoding.

The one rule that keeps exactly-once delivery: a dashboard is registered with the hub *before*
it asks, and the events published before that are in neither its queue nor any snapshot read
that began earlier. So a request never joins a read already running; it waits for the next one,
which starts after it — a burst of a thousand requests costs two or three reads.

And when nothing was published since the last read (the same epoch, no newer seq out of the
hub), that read is still the state, so a dashboard that asks within :data:`REUSE_SECONDS` of it
gets it without a read at all: a reconnect storm spread over seconds (a thousand handshakes
take that long) costs a read or two instead of one per wave.  The limit bounds what a reused
snapshot can be behind on without an event saying so: a room expiring, the timestamp.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable

import orjson

from godmode_common.protocol import RoomRef, Snapshot
from godmode_common.rooms import RoomKey
from godmode_server.stores import StateView

#: An encoded ``SNAPSHOT`` message, the ``seq`` the live stream continues after, and the state
#: it was made of (a monitor's snapshot is that state's share of their rooms).
Encoded = tuple[int, str, StateView]

#: How long a snapshot may be given again while nothing was published since it was read.
REUSE_SECONDS = 1.0


class SharedSnapshots:
    def __init__(
        self,
        read: Callable[[], Awaitable[StateView]],
        published: Callable[[], tuple[str, int]] | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        """``published``: the epoch and the newest seq the hub has published (none: every
        request reads)."""
        self._read = read
        self._published = published
        self._clock = clock
        self._next: asyncio.Future[Encoded] | None = None  # the read the next callers wait for
        self._running: asyncio.Task[None] | None = None
        self._last: tuple[Encoded, float] | None = None  # the newest read and when it ended
        #: How many times the store was read (for tests and the curious).
        self.reads = 0

    async def get(self) -> Encoded:
        """A snapshot read after this call began, or one read before with nothing published
        since, encoded; shared with whoever asked meanwhile."""
        if self._last is not None and self._published is not None:
            encoded, made = self._last
            epoch, seq = self._published()
            if (
                self._clock() - made < REUSE_SECONDS
                and epoch == encoded[2].epoch
                and seq <= encoded[0]
            ):
                return encoded
        if self._next is None:
            self._next = asyncio.get_running_loop().create_future()
            self._next.add_done_callback(_retrieve)
        waiting = self._next
        if self._running is None:
            self._running = asyncio.create_task(self._serve())
        return await asyncio.shield(waiting)

    async def _serve(self) -> None:
        serving: asyncio.Future[Encoded] | None = None
        try:
            while self._next is not None:
                serving, self._next = self._next, None
                self.reads += 1
                try:
                    view = await self._read()
                    body = Snapshot(
                        seq=view.seq, epoch=view.epoch, rooms=view.rooms, timestamp=int(time.time())
                    )
                    encoded = (view.seq, snapshot_text(body), view)
                    self._last = (encoded, self._clock())
                    serving.set_result(encoded)
                except Exception as exc:  # every waiter sees it, as each would have alone
                    serving.set_exception(exc)
        except asyncio.CancelledError:  # the server is stopping: nobody waits forever
            for future in (serving, self._next):
                if future is not None:
                    future.cancel()
            raise
        finally:
            self._running = None


def _retrieve(future: asyncio.Future[Encoded]) -> None:
    """Mark a failed read's error as seen even when every waiter has gone away meanwhile."""
    if not future.cancelled():
        future.exception()


def scoped_snapshot(view: StateView, rooms: frozenset[RoomKey]) -> str:
    """A monitor's ``SNAPSHOT``: the rooms of ``view`` they look after, and which those are."""
    body = Snapshot(
        seq=view.seq,
        epoch=view.epoch,
        rooms=[r for r in view.rooms if (r.room_id, r.platform) in rooms],
        timestamp=int(time.time()),
        scope=[RoomRef(room_id=r, platform=p) for r, p in sorted(rooms)],
    )
    return snapshot_text(body)


def snapshot_text(body: Snapshot) -> str:
    """The wire text of a ``SNAPSHOT`` (``scope`` only when there is one: the seed's clients
    see the message they always did)."""
    return orjson.dumps(body.model_dump(exclude_none=True)).decode()
