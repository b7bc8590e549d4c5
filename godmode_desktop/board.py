"""The room board: what the dashboard knows about every room, whatever the feed's source.

Snapshots, live updates and poll answers all end up here, so the grid, the totals and the alerts
read one state.  Qt-free: the controller turns the returned :class:`RoomChange` lists into
signals.

A room the board has shown stays on it, with its last values, when a snapshot or a full poll
answer no longer holds it (the server forgets a room an hour after its last sample, and a server
restarted without Redis forgets them all): a manager must see it greyed with its age, not see it
vanish.  It goes after ``forget_after`` seconds of silence (:meth:`RoomBoard.prune`), or at once
when the server says it is no longer this user's to see (a monitor's new scope).
"""

from __future__ import annotations

import operator
import time
from collections import deque
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from godmode_common.rooms import RoomKey
from godmode_desktop.net.protocol import (
    BulkTelemetry,
    LiveRoom,
    Snapshot,
    TelemetrySample,
    TelemetryUpdate,
)

#: Window over which tokens per hour are measured, seconds.
RATE_WINDOW = 3600
#: Shortest span of the dashboard's own samples that gives a meaningful rate (shorter, a few
#: tips extrapolate to thousands an hour); below it the rate is unknown.
MIN_RATE_SPAN = 600
#: Seconds between the points kept for the rate (the newest point always moves with the data).
RATE_RESOLUTION = 10
#: Default seconds a silent room stays on the board: a shift.
FORGET_AFTER = 8 * 3600


#: The :class:`Room` attributes of its :data:`Earned` figures, in order.
EARNED_FIELDS = ("shift_tokens", "shift_tips", "day_tokens", "day_tips", "shift_usd", "day_usd")
_earned_of = operator.attrgetter(*EARNED_FIELDS)


@dataclass(slots=True)
class Room:
    room_id: str
    platform: str
    tokens: int
    tips: int
    viewers: int
    #: The latest sample's own time (Unix seconds, from the collector's clock, which the server
    #: checked): every age, stale mark and "live" count is taken from it.
    timestamp: int
    tokens_delta: int = 0
    tips_delta: int = 0
    viewers_delta: int = 0
    #: Tokens earned in the last 60 whole minutes as the server's reports count them (resets,
    #: gaps, late samples), when the server told (:meth:`RoomBoard.set_last_hour`).
    hour_tokens: int | None = None
    #: What the room earned in the studio's current shift and day, as the server counts them
    #: for its reports (docs/PROTOCOL.md, "Live earnings"); None when the server does not say.
    shift_tokens: int | None = None
    shift_tips: int | None = None
    day_tokens: int | None = None
    day_tips: int | None = None
    #: The shift's and the day's tokens in dollars at the studio's payout rates (exact; None:
    #: no rate set for the room, or a server that does not say).
    shift_usd: Decimal | None = None
    day_usd: Decimal | None = None
    #: ``(timestamp, tokens, earned in all from the first point)`` of the last hour.
    _points: deque[tuple[int, int, int]] = field(default_factory=deque, repr=False)

    @property
    def key(self) -> RoomKey:
        return RoomKey(self.room_id, self.platform)

    @property
    def earned(self) -> Earned:
        """The shift's and the day's figures, in :data:`Earned`'s order."""
        return _earned_of(self)

    def set_earned(self, earned: Earned) -> None:
        for name, value in zip(EARNED_FIELDS, earned, strict=True):
            setattr(self, name, value)

    @property
    def tokens_per_hour(self) -> float | None:
        """The server's count of the last hour when known; else the rate over the samples known
        of the last hour, each reset counted as the reports do (the new counter is earned), or
        ``None`` with less than :data:`MIN_RATE_SPAN` seconds of them.  Constant time: a cell
        is painted, and the column sorted, far more often than a room changes."""
        if self.hour_tokens is not None:
            return float(self.hour_tokens)
        if len(self._points) < 2:
            return None
        (t0, _, earned0), (t1, _, earned1) = self._points[0], self._points[-1]
        if t1 - t0 < MIN_RATE_SPAN:
            return None
        return (earned1 - earned0) * 3600 / (t1 - t0)

    def _record(self) -> None:
        points = self._points
        if points and self.timestamp < points[-1][0]:
            points.clear()  # clock went backwards: start over rather than report nonsense
        earned = _earned_after(points[-1], self.tokens) if points else 0
        if len(points) > 1 and self.timestamp - points[-2][0] < RATE_RESOLUTION:
            # Within RATE_RESOLUTION of the point before: move the newest point instead of adding
            # one, so a room updating ten times a second keeps ~360 points an hour, not 36,000.
            points[-1] = (self.timestamp, self.tokens, earned)
        else:
            points.append((self.timestamp, self.tokens, earned))
        while points and points[0][0] < self.timestamp - RATE_WINDOW:
            points.popleft()


def _earned_after(point: tuple[int, int, int], tokens: int) -> int:
    """What a room had earned in all, counting from its first point, once its counter reads
    ``tokens`` after ``point``: the increase, or the whole new counter after a reset."""
    _, before, earned = point
    return earned + (tokens - before if tokens >= before else tokens)


@dataclass(frozen=True, slots=True)
class RoomChange:
    """One room's change; each ``*_delta`` is signed (0 = unchanged).  ``removed`` means gone."""

    key: RoomKey
    tokens_delta: int = 0
    tips_delta: int = 0
    viewers_delta: int = 0
    added: bool = False
    removed: bool = False
    #: How the tokens of the shift and of the day changed (a tip raises them; a new shift or
    #: day starts them again).
    shift_delta: int = 0
    day_delta: int = 0


#: A room's shift tokens, shift tips, day tokens and day tips, and the shift's and the day's
#: dollars, as the server sent them (:data:`EARNED_FIELDS`).
Earned = tuple[int | None, int | None, int | None, int | None, Decimal | None, Decimal | None]


def _usd(amount: str | None) -> Decimal | None:
    return None if amount is None else Decimal(amount)


def _change(before: int | None, after: int | None) -> int:
    return 0 if before is None or after is None else after - before


class RoomBoard:
    def __init__(
        self, clock: Callable[[], float] = time.time, *, forget_after: float = FORGET_AFTER
    ) -> None:
        """``clock``: the server's time (a :class:`~.net.server_clock.ServerClock`'s ``now``),
        which samples' ages are counted on."""
        self._rooms: dict[RoomKey, Room] = {}
        self._clock = clock
        self.forget_after = forget_after

    def __len__(self) -> int:
        return len(self._rooms)

    def __iter__(self) -> Iterator[Room]:
        return iter(self._rooms.values())

    def get(self, room_id: str, platform: str) -> Room | None:
        return self._rooms.get(RoomKey(room_id, platform))

    def rooms(self) -> list[Room]:
        return sorted(self._rooms.values(), key=lambda r: r.key)

    # --- feeding -------------------------------------------------------------------------------

    def apply_snapshot(self, snapshot: Snapshot) -> list[RoomChange]:
        scope = None
        if snapshot.scope is not None:
            scope = {RoomKey(r.room_id, r.platform) for r in snapshot.scope}
        return self._replace(snapshot.rooms, scope)

    def apply_poll(self, bulk: BulkTelemetry) -> list[RoomChange]:
        if bulk.full:
            return self._replace(bulk.rooms, None)
        return [c for c in (self._merge(s) for s in bulk.rooms) if c is not None]

    def set_last_hour(self, earned: Mapping[RoomKey, int]) -> list[RoomChange]:
        """The server's count of what each room earned in the last hour (a report over it);
        a room on the board it does not list earned nothing.  The changes repaint the rows."""
        changes = []
        for key, room in self._rooms.items():
            tokens = earned.get(key, 0)
            if room.hour_tokens != tokens:
                room.hour_tokens = tokens
                changes.append(RoomChange(key))
        return changes

    def seed_history(self, key: RoomKey, points: Sequence[tuple[int, int]]) -> list[RoomChange]:
        """The room's ``(timestamp, tokens)`` from before this dashboard saw it (the server's
        archive, oldest first), so that its rate is known from the first minutes, not after ten
        of watching.  The change repaints the row."""
        room = self._rooms.get(key)
        if room is None:
            return []
        first = room._points[0][0] if room._points else None
        older = [p for p in points if first is None or p[0] < first]
        if not older:
            return []
        # Counted again from the first seeded point: a few hundred points, once a room.
        samples = [*older, *((t, tokens) for t, tokens, _ in room._points)]
        counted = [(samples[0][0], samples[0][1], 0)]
        for timestamp, tokens in samples[1:]:
            counted.append((timestamp, tokens, _earned_after(counted[-1], tokens)))
        since = room.timestamp - RATE_WINDOW
        room._points = deque(point for point in counted if point[0] >= since)
        return [RoomChange(key)]

    def prune(self) -> list[RoomChange]:
        """Take off the rooms silent for longer than :attr:`forget_after`."""
        now = self._clock()
        gone = [k for k, r in self._rooms.items() if now - r.timestamp > self.forget_after]
        return self._remove(gone)

    def apply_update(self, update: TelemetryUpdate) -> RoomChange | None:
        """Apply a live update; the server's deltas are authoritative (they decide alerts)."""
        data = update.data
        change = self._merge_values(
            RoomKey(update.room_id, data.platform),
            data.tokens,
            data.tips,
            data.viewers,
            data.timestamp,
            None
            if data.shift_tokens is None  # not told (no archive there): the known ones stay
            else (
                data.shift_tokens,
                data.shift_tips,
                data.day_tokens,
                data.day_tips,
                _usd(data.shift_usd),
                _usd(data.day_usd),
            ),
        )
        if change is None:
            return None
        room = self._rooms[change.key]
        room.tokens_delta, room.tips_delta, room.viewers_delta = (
            data.tokens_delta,
            data.tips_delta,
            data.viewers_delta,
        )
        return RoomChange(
            change.key,
            data.tokens_delta,
            data.tips_delta,
            data.viewers_delta,
            change.added,
            shift_delta=change.shift_delta,
            day_delta=change.day_delta,
        )

    def clear(self) -> list[RoomChange]:
        """Forget every room (the session ended); the changes that remove them from a view."""
        changes = [RoomChange(key, removed=True) for key in self._rooms]
        self._rooms.clear()
        return changes

    def _replace(
        self, samples: Sequence[TelemetrySample], scope: set[RoomKey] | None
    ) -> list[RoomChange]:
        """The whole live state: its rooms merged; the board's other rooms kept as they were
        (greyed by their age), except those out of ``scope`` (a monitor's rooms) when given."""
        changes = self._remove([k for k in self._rooms if scope is not None and k not in scope])
        return changes + [c for c in (self._merge(s) for s in samples) if c is not None]

    def _remove(self, keys: list[RoomKey]) -> list[RoomChange]:
        for key in keys:
            del self._rooms[key]
        return [RoomChange(key, removed=True) for key in keys]

    def _merge(self, sample: TelemetrySample) -> RoomChange | None:
        earned = None
        if isinstance(sample, LiveRoom) and sample.shift_tokens is not None:
            earned = (
                sample.shift_tokens,
                sample.shift_tips,
                sample.day_tokens,
                sample.day_tips,
                _usd(sample.shift_usd),
                _usd(sample.day_usd),
            )
        return self._merge_values(
            sample.key,
            sample.tokens_count,
            sample.tips_count,
            sample.viewers_count,
            sample.timestamp,
            earned,
        )

    def _merge_values(
        self,
        key: RoomKey,
        tokens: int,
        tips: int,
        viewers: int,
        timestamp: int,
        earned: Earned | None = None,
    ) -> RoomChange | None:
        """Bring a room to these counters and, when given, its shift's and day's figures
        (``earned``: shift tokens, shift tips, day tokens, day tips, shift and day dollars);
        ``None`` when nothing changed or they are older.

        Plain values, not a model: live updates come through here thousands of times a second.
        """
        room = self._rooms.get(key)
        if room is None:
            room = Room(key[0], key[1], tokens, tips, viewers, timestamp)
            if earned is not None:
                room.set_earned(earned)
            room._record()
            self._rooms[key] = room
            return RoomChange(key, added=True)
        if timestamp < room.timestamp:
            return None
        shift_delta = day_delta = 0
        figures_changed = False
        if earned is not None:
            before = (room.shift_tokens, room.day_tokens)
            if earned != room.earned:
                figures_changed = True
                room.set_earned(earned)
                shift_delta = _change(before[0], room.shift_tokens)
                day_delta = _change(before[1], room.day_tokens)
        deltas = (tokens - room.tokens, tips - room.tips, viewers - room.viewers)
        room.timestamp = timestamp
        room.tokens, room.tips, room.viewers = tokens, tips, viewers
        room._record()
        if deltas == (0, 0, 0):
            # The same counters, new figures (a late sample counted, a new shift): repainted.
            return (
                RoomChange(key, shift_delta=shift_delta, day_delta=day_delta)
                if figures_changed
                else None
            )
        room.tokens_delta, room.tips_delta, room.viewers_delta = deltas
        return RoomChange(key, *deltas, shift_delta=shift_delta, day_delta=day_delta)
