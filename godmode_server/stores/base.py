"""The store interface: latest sample per room, the ordered event log, and event notification.

Every implementation keeps the same promises, which the hub and the HTTP routes rely on:

* :meth:`Store.ingest` is **one atomic step**: compare the timestamp with the stored sample, compute
  the deltas, store the new latest value, assign the next ``seq``, append the event to the log and
  notify listeners.  The embedded store does it without awaiting; the Redis store in one script.
* ``seq`` strictly increases across the deployment; ``epoch`` changes whenever the log is lost, so
  a ``since`` from before the loss is never misread as a position in the new log.
* Listeners are called in ``seq`` order with the event already serialized, exactly once per event,
  so the hub can fan out bytes without re-encoding per client.
* When this node's ``epoch`` changes (the Redis store lost its log, fell back to local operation or
  came back from it), epoch listeners are told *before* any event of the new epoch is notified:
  a dashboard streaming the old epoch must start again from a ``SNAPSHOT``.
"""

from __future__ import annotations

import abc
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import BaseModel

from godmode_common.protocol import TelemetryData, TelemetrySample, TelemetryUpdate
from godmode_common.rooms import RoomKey


@dataclass(frozen=True, slots=True)
class LogEntry:
    """One event of the log: its order, the room it concerns, and its wire text (encoded once,
    as ``str`` for the ASGI send and as UTF-8 ``data`` for direct writes).

    ``accepted`` is when the store took the sample (Unix seconds; 0 when unknown, as for events
    replayed from the log): the start of the delivery lag the metrics measure."""

    seq: int
    key: RoomKey
    text: str
    data: bytes = b""
    accepted: float = 0.0

    def __post_init__(self) -> None:
        if not self.data:
            object.__setattr__(self, "data", self.text.encode())

    @classmethod
    def for_sample(
        cls,
        sample: TelemetrySample,
        deltas: tuple[int, int, int],
        processed_at: int,
        seq: int,
        accepted: float = 0.0,
        earned: Earned | None = None,
    ) -> LogEntry:
        """The TELEMETRY_UPDATE that applying ``sample`` makes (deltas: tokens, tips, viewers;
        ``earned``: the room's day and shift figures, see :data:`EarningsHook`)."""
        # Spelled out, not earned_fields(): this runs for every event, and building the keyword
        # dictionary cost 0.6-1 µs an event more (measured).
        day_tokens, day_tips, shift_tokens, shift_tips, day_usd, shift_usd = earned or (None,) * 6
        update = TelemetryUpdate(
            room_id=sample.room_id,
            data=TelemetryData(
                platform=sample.platform,
                tokens=sample.tokens_count,
                tips=sample.tips_count,
                viewers=sample.viewers_count,
                timestamp=sample.timestamp,
                tokens_delta=deltas[0],
                tips_delta=deltas[1],
                viewers_delta=deltas[2],
                day_tokens=day_tokens,
                day_tips=day_tips,
                shift_tokens=shift_tokens,
                shift_tips=shift_tips,
                day_usd=day_usd,
                shift_usd=shift_usd,
            ),
            timestamp=processed_at,
            seq=seq,
        )
        return cls.from_update(update, accepted)

    @classmethod
    def from_update(cls, update: TelemetryUpdate, accepted: float = 0.0) -> LogEntry:
        text = event_text(update)
        key = RoomKey(update.room_id, update.data.platform)
        return cls(seq=update.seq, key=key, text=text, accepted=accepted)


def event_text(event: BaseModel) -> str:
    """A dashboard event as the WebSocket text every dashboard is sent (a field not known,
    such as the live earnings before the archive was read, is left out rather than null)."""
    # pydantic's own encoder (Rust): the same text as orjson over model_dump, 0.6 µs sooner an
    # event (measured for a TELEMETRY_UPDATE with the live figures).
    return event.model_dump_json(exclude_none=True)


@dataclass(frozen=True, slots=True)
class IngestOutcome:
    applied: bool
    seq: int | None = None
    reason: Literal["stale", "duplicate"] | None = None


@dataclass(frozen=True, slots=True)
class StateView:
    """Rooms as of ``seq`` in ``epoch``; ``full`` means "replace", otherwise "merge"."""

    seq: int
    epoch: str
    full: bool
    rooms: list[TelemetrySample]


Listener = Callable[[LogEntry], None]
EpochListener = Callable[[str], None]
#: A room's day tokens, day tips, shift tokens and shift tips, and the day's and the shift's
#: tokens in dollars (None: no payout rate) (earnings/live.py), in :data:`EARNED_NAMES`' order.
Earned = tuple[int, int, int, int, str | None, str | None]
#: The wire's names of :data:`Earned`'s figures (TelemetryData, LiveRoom).
EARNED_NAMES = ("day_tokens", "day_tips", "shift_tokens", "shift_tips", "day_usd", "shift_usd")


def earned_fields(earned: Earned | None) -> dict[str, Any]:
    """The figures as the wire models' keyword arguments (none while not known): for the reads
    and snapshots; LogEntry.for_sample spells them out, on every event."""
    return {} if earned is None else dict(zip(EARNED_NAMES, earned, strict=True))


#: What adds an event's live earnings as it is made (earnings/live.py's ``on_event``): the
#: room, its sample's time, tokens and tips, the deltas, the seq; the figures, or None while
#: not known.  Called once for each event a store makes, and again for one made again from the
#: log (a replay): the hook counts each seq once.
EarningsHook = Callable[[RoomKey, int, tuple[int, int], tuple[int, int, int], int], Earned | None]


class Store(abc.ABC):
    """Latest values, event log and notification; see the module docstring for the contract."""

    #: Short name shown in ``/readyz`` and the metrics.
    kind: str

    def __init__(self) -> None:
        self._listeners: list[Listener] = []
        self._epoch_listeners: list[EpochListener] = []
        self.earnings: EarningsHook | None = None

    def set_earnings(self, hook: EarningsHook) -> None:
        """Each event made from now on carries the room's live earnings from ``hook``."""
        self.earnings = hook

    def earned(
        self, sample: TelemetrySample, deltas: tuple[int, int, int], seq: int
    ) -> Earned | None:
        """The live earnings an event of ``sample`` carries (None without a hook)."""
        if self.earnings is None:
            return None
        counters = (sample.tokens_count, sample.tips_count)
        return self.earnings(sample.key, sample.timestamp, counters, deltas, seq)

    def subscribe(self, listener: Listener) -> None:
        self._listeners.append(listener)

    def on_epoch_change(self, listener: EpochListener) -> None:
        self._epoch_listeners.append(listener)

    def _notify(self, entry: LogEntry) -> None:
        for listener in self._listeners:
            listener(entry)

    def _notify_epoch_change(self, epoch: str) -> None:
        for listener in self._epoch_listeners:
            listener(epoch)

    async def start(self) -> None:  # noqa: B027 - optional hook
        """Open connections and background tasks."""

    async def close(self) -> None:  # noqa: B027 - optional hook
        """Release what :meth:`start` opened."""

    @property
    @abc.abstractmethod
    def epoch(self) -> str: ...

    @property
    @abc.abstractmethod
    def last_seq(self) -> int:
        """The newest ``seq`` this node has notified."""

    @abc.abstractmethod
    async def ingest(self, sample: TelemetrySample, processed_at: int) -> IngestOutcome: ...

    @abc.abstractmethod
    async def latest(self, room_id: str, platform: str) -> TelemetrySample | None: ...

    @abc.abstractmethod
    async def snapshot(self) -> StateView:
        """Every live room, consistent with the returned ``seq``."""

    @abc.abstractmethod
    async def changes_since(self, since: int, epoch: str) -> StateView:
        """Rooms changed after ``since``; a full snapshot when that cannot be answered."""

    @abc.abstractmethod
    async def events_since(self, since: int, epoch: str) -> list[LogEntry] | None:
        """The events after ``since`` in order, or ``None`` when they are no longer held or
        ``epoch`` is not the current one."""

    @abc.abstractmethod
    async def history(self, room_id: str, platform: str, limit: int) -> list[TelemetrySample]:
        """The room's most recent samples, oldest first, at most ``limit``."""

    @abc.abstractmethod
    async def check(self) -> dict[str, str]:
        """Health of the store's dependencies, ``{"name": "ok" | problem}``."""
