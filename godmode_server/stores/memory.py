"""The embedded store: everything in this process, nothing to install.

All operations are plain Python with no ``await`` inside, so on the event loop each one is atomic:
an ingest cannot interleave with a snapshot, and a dashboard registered before a snapshot sees
every later event exactly once.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Sequence

from godmode_common.protocol import TelemetrySample
from godmode_common.rooms import RoomKey
from godmode_server.stores.base import IngestOutcome, LogEntry, StateView, Store
from godmode_server.stores.chunked import ChunkedQueue
from godmode_server.stores.packed import PackedSample, pack, timestamp_of, unpack

#: A room's key as the store holds it: RoomKey's fields in its order, as an exact tuple.  A
#: RoomKey is a tuple *subclass*, which the garbage collector tracks for ever; an exact tuple of
#: strings it stops tracking (and so a tuple holding one), which is what the packing is for.
_Key = tuple[str, str]
#: An event as the log keeps it: a LogEntry's fields in order.
_PackedEntry = tuple[int, _Key, str, bytes, float]

# Why tuples, in chunks: the log (100,000 events) and the histories (1,000 samples for each of
# hundreds of rooms) are most of a long-running server's objects; as instances, every full
# garbage collection would walk each of them while the event loop waits (see packed.py), and
# held one per slot of a deque, it would still visit each (see chunked.py).  Objects are built
# again only when the log or a history is read: a resume, a history request.


def _pack_entry(e: LogEntry) -> _PackedEntry:
    return (e.seq, (e.key.room_id, e.key.platform), e.text, e.data, e.accepted)


class MemoryStore(Store):
    kind = "embedded"

    def __init__(
        self,
        *,
        latest_ttl: float = 3600.0,
        event_log_size: int = 100_000,
        history_size: int = 1000,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        super().__init__()
        self._ttl = latest_ttl
        self._clock = clock
        self._epoch = uuid.uuid4().hex[:16]
        self._seq = 0
        #: Each room's latest sample and when it expires; packed too (a pydantic sample and
        #: its holder are three tracked objects, replaced every few seconds: each promoted by
        #: the young collections towards the next full one).
        self._latest: dict[_Key, tuple[PackedSample, float]] = {}
        self._log: ChunkedQueue[_PackedEntry] = ChunkedQueue(event_log_size)
        self._history_size = history_size
        self._history: dict[_Key, ChunkedQueue[PackedSample]] = {}

    @property
    def epoch(self) -> str:
        return self._epoch

    @property
    def last_seq(self) -> int:
        return self._seq

    def _live(self, key: _Key, now: float) -> PackedSample | None:
        entry = self._latest.get(key)
        if entry is None:
            return None
        if entry[1] <= now:
            del self._latest[key]
            return None
        return entry[0]

    async def ingest(self, sample: TelemetrySample, processed_at: int) -> IngestOutcome:
        now = self._clock()
        key = (sample.room_id, sample.platform)
        previous = self._live(key, now)
        if previous is not None:
            if sample.timestamp < timestamp_of(previous):
                return IngestOutcome(applied=False, reason="stale")
            _, _, tokens, tips, viewers, _ = previous
            deltas = (
                sample.tokens_count - tokens,
                sample.tips_count - tips,
                sample.viewers_count - viewers,
            )
            if deltas == (0, 0, 0):
                # Nothing to tell dashboards, but the room is alive: keep the newer reading.
                self._latest[key] = (pack(sample), now + self._ttl)
                return IngestOutcome(applied=False, reason="duplicate")
        else:
            deltas = (0, 0, 0)

        self._seq += 1
        earned = (
            None
            if self.earnings is None
            else self.earnings(
                key,  # type: ignore[arg-type]  # a plain tuple: RoomKey's equal, cheaper to make
                sample.timestamp,
                (sample.tokens_count, sample.tips_count),
                deltas,
                self._seq,
            )
        )
        entry = LogEntry.for_sample(sample, deltas, processed_at, self._seq, time.time(), earned)
        self.remember(sample)
        self._log.append(_pack_entry(entry))
        self._notify(entry)
        return IngestOutcome(applied=True, seq=self._seq)

    def remember(self, sample: TelemetrySample) -> None:
        """Record ``sample`` as its room's latest value and in its history, with no event.

        The Redis store keeps this process's copy of the shared state this way, so that it can
        answer from it if Redis goes away.
        """
        packed = pack(sample)
        key = (sample.room_id, sample.platform)
        self._latest[key] = (packed, self._clock() + self._ttl)
        history = self._history.get(key)
        if history is None:
            history = self._history[key] = ChunkedQueue(self._history_size)
        history.append(packed)

    def replace_latest(self, samples: list[TelemetrySample]) -> None:
        """Make ``samples`` the live rooms (each with a fresh lifetime); history is kept."""
        expires_at = self._clock() + self._ttl
        self._latest = {(s.room_id, s.platform): (pack(s), expires_at) for s in samples}

    def restart_log(self, *, epoch: str, seq: int) -> None:
        """Begin a new log at ``seq`` in ``epoch``; the latest values and history are kept."""
        self._epoch = epoch
        self._seq = seq
        self._log.clear()

    async def latest(self, room_id: str, platform: str) -> TelemetrySample | None:
        packed = self._live(RoomKey(room_id, platform), self._clock())
        return None if packed is None else unpack(packed)

    def _rooms(self, keys: Sequence[_Key]) -> list[TelemetrySample]:
        now = self._clock()
        rooms = []
        for key in keys:
            packed = self._live(key, now)
            if packed is not None:
                rooms.append(unpack(packed))
        return rooms

    async def snapshot(self) -> StateView:
        rooms = self._rooms(sorted(self._latest))
        return StateView(seq=self._seq, epoch=self._epoch, full=True, rooms=rooms)

    def _entries_since(self, since: int, epoch: str) -> list[LogEntry] | None:
        if epoch != self._epoch or since < 0 or since > self._seq:
            return None
        if since == self._seq:
            return []
        oldest = self._log.first()[0] if self._log else self._seq + 1
        if since < oldest - 1:
            return None
        # seq values in the log are contiguous, so the position is arithmetic.
        return [
            LogEntry(seq, RoomKey(*key), text, data, accepted)
            for seq, key, text, data, accepted in self._log.from_index(since - oldest + 1)
        ]

    async def events_since(self, since: int, epoch: str) -> list[LogEntry] | None:
        return self._entries_since(since, epoch)

    async def changes_since(self, since: int, epoch: str) -> StateView:
        entries = self._entries_since(since, epoch)
        if entries is None:
            return await self.snapshot()
        keys = list(dict.fromkeys(entry.key for entry in entries))
        return StateView(seq=self._seq, epoch=self._epoch, full=False, rooms=self._rooms(keys))

    async def history(self, room_id: str, platform: str, limit: int) -> list[TelemetrySample]:
        samples = self._history.get((room_id, platform))
        if not samples:
            return []
        return [unpack(t) for t in samples.from_index(len(samples) - limit)]

    async def check(self) -> dict[str, str]:
        return {"store": "ok"}
