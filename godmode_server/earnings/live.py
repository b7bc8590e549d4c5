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
import contextlib
import logging
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import time as dt_time
from zoneinfo import ZoneInfo

from godmode_common.protocol import LiveRoom, TelemetrySample
from godmode_common.rooms import RoomKey
from godmode_server.reports.earnings import Period, day_periods, shift_periods
from godmode_server.sql.rollups import RoomPeriod
from godmode_server.stores import StateView

log = logging.getLogger(__name__)

#: The archive's figures for some periods and each room's newest archived sample since the
#: first began (Database.earned_now).
ArchiveRead = Callable[[Sequence[Period]], Awaitable[tuple[list[RoomPeriod], dict[RoomKey, int]]]]

#: Events counted per room beyond the archive's figures, at most: a read every few seconds
#: keeps it to a handful, and a database away for long must not grow it without end.
MAX_PENDING = 10_000

#: The four figures: day tokens, day tips, shift tokens, shift tips.
Figures = tuple[int, int, int, int]

#: How long after samples were archived the archive is read again (a burst of writes, one read).
SETTLE = 0.2


@dataclass(slots=True)
class _Room:
    #: The archive's figures for the day and the shift read last: (tokens, tips) each.
    day: tuple[int, int] = (0, 0)
    shift: tuple[int, int] = (0, 0)
    #: The newest archived sample those figures hold (0: none).
    as_of: int = 0
    #: Events newer than ``as_of``: (sample time, tokens earned, tips earned).
    pending: list[tuple[int, int, int]] = field(default_factory=list)


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
    ) -> None:
        self._read_archive = read_archive
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
        self._wake = asyncio.Event()

    @property
    def ready(self) -> bool:
        """Whether the archive was read: the figures are known."""
        return self._read_for is not None

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
        room's figures with it."""
        if seq > self._seq:
            self._seq = seq
            room = self._rooms.get(key)
            if room is None:
                room = self._rooms[key] = _Room()
            if timestamp > room.as_of:
                if deltas == (0, 0, 0):  # the room's first sample here: paired at the next read
                    self._wake.set()
                elif len(room.pending) < MAX_PENDING:
                    tokens, tips = counters
                    room.pending.append(
                        (timestamp, earned(deltas[0], tokens), earned(deltas[1], tips))
                    )
        return self.figures(key)

    def figures(self, key: RoomKey) -> Figures | None:
        """What the room earned in the current day and shift; None until the archive is read."""
        read_for = self._read_for
        if read_for is None:
            return None
        day, shift = self.current()
        room = self._rooms.get(key)
        if room is None:
            return (0, 0, 0, 0)
        day_tokens, day_tips = room.day if read_for[0] == day else (0, 0)
        shift_tokens, shift_tips = room.shift if read_for[1] == shift else (0, 0)
        for timestamp, tokens, tips in room.pending:
            if day.start <= timestamp < day.end:
                day_tokens += tokens
                day_tips += tips
            if shift.start <= timestamp < shift.end:
                shift_tokens += tokens
                shift_tips += tips
        return day_tokens, day_tips, shift_tokens, shift_tips

    # --- reading the archive -------------------------------------------------------------------

    async def read(self) -> None:
        """Take the archive's figures for the current day and shift."""
        periods = self.current()
        found, newest = await self._read_archive(periods)
        summed = {
            (RoomKey(r.room_id, r.platform), r.period): (r.summary.tokens, r.summary.tips)
            for r in found
        }
        rooms: dict[RoomKey, _Room] = {}
        for key in {*self._rooms, *newest, *(k for k, _ in summed)}:
            old = self._rooms.get(key)
            as_of = newest.get(key, 0)
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
        figures = self.figures(sample.key)
        day_tokens, day_tips, shift_tokens, shift_tips = figures or (None, None, None, None)
        return LiveRoom.model_construct(
            **dict(sample),
            day_tokens=day_tokens,
            day_tips=day_tips,
            shift_tokens=shift_tokens,
            shift_tips=shift_tips,
        )

    def view(self, view: StateView) -> StateView:
        """``view`` with each room's figures."""
        return replace(view, rooms=[self.room(sample) for sample in view.rooms])

    def soon(self) -> None:
        """Read the archive again without waiting for the next turn (samples were archived)."""
        self._wake.set()

    async def run(self) -> None:
        """Read the archive now, then every ``every`` seconds, soon after samples were
        archived, and at each day's and shift's start.  A failed read is logged and tried
        again at the next turn; the figures meanwhile are the last read's and the events'."""
        while True:
            try:
                await self.read()
            except Exception as exc:  # the database away
                log.warning("live earnings: the archive could not be read: %s", exc)
            self._wake.clear()
            now = self._clock()
            boundary = min(p.end for p in self.current()) - now
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), max(0.0, min(self._every, boundary)))
            if self._wake.is_set():
                await asyncio.sleep(SETTLE)
