"""What each room earned in the studio's current day and current shift, live, by exactly the
earnings reports' rules (reports/earnings.py).

One definition: the figures are the archive's, read with the reports' own rollups every few
seconds, plus what the events this node saw since add to them.  So they equal
``GET /api/reports/earnings`` for the day or the shift once the samples are archived (within
about a second), whatever came in between: resets, gaps, duplicates, late and out-of-order
samples (which make no event: the next read counts them), a node that restarted (it reads the
archive again), several nodes (each reads the same archive and sees every event).

An event adds what its sample earned against the room's previous latest sample -- the same
pair the report makes, since the store takes only samples newer than the latest -- to the day
and the shift its sample falls in: a pair across a day's or a shift's start belongs to the new
one, as in the reports.  An event is counted once (by ``seq``), and only when its sample is
newer than the room's newest archived sample the last read saw; older ones are in the archive's
figures.  A room's first sample after it expired from the store (or after a restart) has no
previous one here: it adds nothing until the next read, which pairs it with the archive's.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import time as dt_time
from zoneinfo import ZoneInfo

from godmode_common.protocol import LiveRoom, TelemetrySample
from godmode_common.rooms import RoomKey
from godmode_server.reports.earnings import Period, day_periods, shift_periods
from godmode_server.reports.money import RateBook, dollars
from godmode_server.sql.rollups import RoomPeriod
from godmode_server.stores import StateView
from godmode_server.stores.base import earned_fields

log = logging.getLogger(__name__)

#: The archive's figures for some periods, and each room's newest archived sample from a time
#: on when one is given (Database.earned_now).
ArchiveRead = Callable[
    [Sequence[Period], int | None], Awaitable[tuple[list[RoomPeriod], dict[RoomKey, int]]]
]

#: Events counted per room beyond the archive's figures, at most: a read every few seconds
#: keeps it to a handful, and a database away for long must not grow it without end.
MAX_PENDING = 10_000

#: The figures: day tokens, day tips, shift tokens, shift tips, and the day's and the
#: shift's tokens in dollars (None: no payout rate for the room).
Figures = tuple[int, int, int, int, str | None, str | None]
#: The payout rates, read with the archive (Database.rate_book).
RatesRead = Callable[[], Awaitable[RateBook]]


@dataclass(slots=True)
class _Room:
    #: The archive's figures for the day and the shift read last: (tokens, tips) each.
    day: tuple[int, int] = (0, 0)
    shift: tuple[int, int] = (0, 0)
    #: The newest archived sample those figures hold (0: none).
    as_of: int = 0
    #: Events newer than ``as_of``: (sample time, tokens earned, tips earned).
    pending: list[tuple[int, int, int]] = field(default_factory=list)
    #: What ``pending`` adds to the day's and the shift's tokens and tips, and for which day
    #: and shift (None: to be summed again): kept as events come, so that an event costs the
    #: same however many came since the last read.
    sums: list[int] = field(default_factory=lambda: [0, 0, 0, 0])
    sums_for: tuple[Period, Period] | None = None
    #: The payout rates (× SCALE) of the day and of the shift's first day, for which day and
    #: shift (None: to be looked up).  A read makes new rooms, so a changed rate is taken
    #: within a read.
    rates: tuple[int | None, int | None] = (None, None)
    rates_for: tuple[Period, Period] | None = None

    def pending_sums(self, periods: tuple[Period, Period]) -> list[int]:
        if self.sums_for is not periods:
            self.sums = [0, 0, 0, 0]
            for event in self.pending:
                _count(self.sums, event, periods)
            self.sums_for = periods
        return self.sums


def _count(sums: list[int], event: tuple[int, int, int], periods: tuple[Period, Period]) -> None:
    timestamp, tokens, tips = event
    day, shift = periods
    if day.start <= timestamp < day.end:
        sums[0] += tokens
        sums[1] += tips
    if shift.start <= timestamp < shift.end:
        sums[2] += tokens
        sums[3] += tips


def earned(delta: int, value: int) -> int:
    """A counter's earnings from the store's delta: the rise, or on a reset (the counter went
    down) the whole new value, as reports/earnings.py's ``earned``."""
    return value if delta < 0 else delta


def _containing(periods: Sequence[Period], timestamp: int) -> Period:
    return next(p for p in periods if p.start <= timestamp < p.end)


class LiveEarnings:
    """The figures every room sent carries (``day_tokens`` …), kept by this node."""

    def __init__(
        self,
        read_archive: ArchiveRead,
        *,
        zone: ZoneInfo,
        shifts: Sequence[dt_time],
        every: float = 5.0,
        clock: Callable[[], float] = time.time,
        read_rates: RatesRead | None = None,
    ) -> None:
        self._read_archive = read_archive
        self._read_rates = read_rates
        #: The rates as last read (none set: no money figures).
        self._book = RateBook()
        self._zone = zone
        self._shifts = tuple(shifts)
        self._every = every
        self._clock = clock
        self._rooms: dict[RoomKey, _Room] = {}
        #: The newest seq counted: an event given again (a replay of the log) adds nothing.
        self._seq = 0
        #: The day and shift the archive's figures are for (None: not read yet).
        self._read_for: tuple[Period, Period] | None = None
        #: The day and shift now, until the first of them ends.
        self._now: tuple[Period, Period] = self.periods_at(int(clock()))

    def periods_at(self, timestamp: int) -> tuple[Period, Period]:
        """The studio's whole day and shift that ``timestamp`` falls in."""
        around = (timestamp - 2 * 86400, timestamp + 2 * 86400)
        return (
            _containing(day_periods(*around, self._zone), timestamp),
            _containing(shift_periods(*around, self._zone, self._shifts), timestamp),
        )

    def current(self) -> tuple[Period, Period]:
        """The day and shift now (computed again only when one of them ended)."""
        now = int(self._clock())
        day, shift = self._now
        if not (day.start <= now < day.end and shift.start <= now < shift.end):
            self._now = self.periods_at(now)
        return self._now

    # --- events --------------------------------------------------------------------------------

    def on_event(
        self,
        key: RoomKey,
        timestamp: int,
        counters: tuple[int, int],
        deltas: tuple[int, int, int],
        seq: int,
    ) -> Figures | None:
        """An event of the store (``counters``: its tokens and tips): counted once, and the
        room's figures with it.  On every event of the feed: kept to a few dictionary and
        tuple operations (an event costs about 1.5 µs here)."""
        room = self._rooms.get(key)
        if room is None:
            room = self._rooms[key] = _Room()
        periods = self.current()
        if seq > self._seq:
            self._seq = seq
            # A room's first sample here (no deltas) adds nothing: the next read pairs it
            # with the archive's previous one.
            if timestamp > room.as_of and deltas != (0, 0, 0) and len(room.pending) < MAX_PENDING:
                tokens = counters[0] if deltas[0] < 0 else deltas[0]  # earned(): a reset's all
                tips = counters[1] if deltas[1] < 0 else deltas[1]
                event = (timestamp, tokens, tips)
                room.pending.append(event)
                if room.sums_for is periods:
                    _count(room.sums, event, periods)
        return self._figures(room, periods, key)

    def figures(self, key: RoomKey) -> Figures | None:
        """What the room earned in the current day and shift; None until the archive is read."""
        room = self._rooms.get(key)
        if room is None:
            if self._read_for is None:
                return None
            room = _Room()  # nothing earned here yet
        return self._figures(room, self.current(), key)

    def _money(
        self, room: _Room, key: RoomKey, periods: tuple[Period, Period], day: int, shift: int
    ) -> tuple[str | None, str | None]:
        """The day's and the shift's tokens in dollars, each token at the rate of the day it
        was earned: a shift that began yesterday earned its tokens before midnight at
        yesterday's rate (reports/money.py)."""
        if room.rates_for is not periods:
            today = dt.datetime.fromtimestamp(periods[0].start, self._zone).date()
            first = dt.datetime.fromtimestamp(periods[1].start, self._zone).date()
            book = self._book
            rate = book.usd_per_token(key[0], key[1], today)  # (a plain tuple from a store)
            room.rates = (rate, rate if first == today else book.usd_per_token(*key, first))
            room.rates_for = periods
        rate, first_rate = room.rates
        if rate is None and first_rate is None:
            return None, None
        # On every event: integer arithmetic and one format each (dollars(): the reports' rule).
        if periods[1].start >= periods[0].start:  # the shift began today
            if rate is None:
                return None, None
            return dollars(day * rate), dollars(shift * rate)
        before = max(0, shift - day)
        if (before and first_rate is None) or ((shift - before) and rate is None):
            return (None if rate is None else dollars(day * rate)), None
        return (
            None if rate is None else dollars(day * rate),
            dollars(before * (first_rate or 0) + (shift - before) * (rate or 0)),
        )

    def _figures(self, room: _Room, periods: tuple[Period, Period], key: RoomKey) -> Figures | None:
        read_for = self._read_for
        if read_for is None:
            return None
        if read_for is periods:  # the usual case: the day and shift the archive was read for
            (day_tokens, day_tips), (shift_tokens, shift_tips) = room.day, room.shift
        else:
            day_tokens, day_tips = room.day if read_for[0] == periods[0] else (0, 0)
            shift_tokens, shift_tips = room.shift if read_for[1] == periods[1] else (0, 0)
        more = room.sums if room.sums_for is periods else room.pending_sums(periods)
        day, shift = day_tokens + more[0], shift_tokens + more[2]
        day_usd, shift_usd = self._money(room, key, periods, day, shift)
        return (day, day_tips + more[1], shift, shift_tips + more[3], day_usd, shift_usd)

    # --- reading the archive -------------------------------------------------------------------

    async def read(self) -> None:
        """Take the archive's figures for the current day and shift."""
        periods = self.current()
        # How far the archive reaches matters only for the events not yet counted in it: the
        # newest samples are looked up from the oldest of those on (a few minutes' rollups).
        waiting = [p[0] for room in self._rooms.values() for p in room.pending[:1]]
        found, newest = await self._read_archive(periods, min(waiting, default=None))
        if self._read_rates is not None:
            self._book = await self._read_rates()
        summed = {
            (RoomKey(r.room_id, r.platform), r.period): (r.summary.tokens, r.summary.tips)
            for r in found
        }
        rooms: dict[RoomKey, _Room] = {}
        for key in {*self._rooms, *newest, *(k for k, _ in summed)}:
            old = self._rooms.get(key)
            as_of = max(newest.get(key, 0), old.as_of if old is not None else 0)
            rooms[key] = _Room(
                day=summed.get((key, 0), (0, 0)),
                shift=summed.get((key, 1), (0, 0)),
                as_of=as_of,
                pending=[p for p in old.pending if p[0] > as_of] if old is not None else [],
            )
        self._rooms = rooms
        self._read_for = periods

    def new_epoch(self) -> None:
        """The store's log began again: its seqs may start over, and each is a new event."""
        self._seq = 0

    def room(self, sample: TelemetrySample) -> LiveRoom:
        """``sample`` as a room is sent, with its figures (none while not known)."""
        return LiveRoom.model_construct(**dict(sample), **earned_fields(self.figures(sample.key)))

    def view(self, view: StateView) -> StateView:
        """``view`` with each room's figures."""
        return replace(view, rooms=[self.room(sample) for sample in view.rooms])

    async def run(self) -> None:
        """Read the archive now, then every ``every`` seconds and at each day's and shift's
        start.  A failed read is logged and tried again at the next turn; the figures
        meanwhile are the last read's and the events'."""
        while True:
            try:
                await self.read()
            except Exception as exc:  # the database away
                log.warning("live earnings: the archive could not be read: %s", exc)
            boundary = min(p.end for p in self.current()) - self._clock()
            await asyncio.sleep(max(0.0, min(self._every, boundary)))
