"""What a room earned, how long it was on line and how many broadcasts it made, per period.

The definitions are the contract of the earnings reports (docs/PROTOCOL.md, "Earnings"):

* A room's samples are taken in timestamp order; a sample posted twice (same timestamp and
  counters) counts once.
* Counters belong to a broadcast and restart with the next one.  For consecutive samples,
  tokens earned = ``tokens_i - tokens_(i-1)`` when that is not negative, else ``tokens_i`` (a
  reset: the new broadcast earned its whole counter); tips the same.  A room's very first sample
  counts as a reset.  A pair's earnings belong to the period of the later sample, so a period's
  first sample is paired with the last one before the period (the caller passes it).
* Online time is the sum of the intervals between consecutive samples at most ``online_gap``
  seconds apart; an interval that crosses a period boundary is split at it.
* A broadcast (session) starts with the room's first sample, at a reset of either counter, or
  after a gap longer than ``online_gap``; a period's ``sessions`` counts the broadcasts with a
  sample in it.  ``peak_viewers`` is the highest viewer count among its samples.
* Periods are in the studio's time zone: calendar days (23 or 25 hours across a DST change),
  shifts starting at given local times (a shift may cross midnight), or the whole range.

Pure functions over plain values: the HTTP routes, the rollups and the tests share them.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Literal
from zoneinfo import ZoneInfo

Group = Literal["day", "shift", "total"]


@dataclass(frozen=True, slots=True, order=True)
class Point:
    """One sample of a room, as far as earnings go."""

    timestamp: int
    tokens: int
    tips: int
    viewers: int


@dataclass(frozen=True, slots=True)
class Period:
    start: int  #: Unix seconds, included
    end: int  #: Unix seconds, excluded


@dataclass(slots=True)
class Tally:
    """What one room did in one period."""

    period: Period
    tokens_earned: int = 0
    tips_earned: int = 0
    online_seconds: int = 0
    peak_viewers: int = 0
    #: Broadcasts with a sample in the period (their ordinal numbers within the computation).
    session_ids: set[int] = field(default_factory=set)

    @property
    def sessions(self) -> int:
        return len(self.session_ids)


def earned(previous: int | None, current: int) -> int:
    """A counter's earnings between two consecutive samples (see the module's definitions)."""
    if previous is None or current < previous:
        return current
    return current - previous


def begins_broadcast(previous: Point | None, point: Point, online_gap: int) -> bool:
    """Whether ``point`` starts a broadcast: the room's first sample, a reset of a counter, or
    the first after a gap longer than ``online_gap``."""
    return (
        previous is None
        or point.timestamp - previous.timestamp > online_gap
        or point.tokens < previous.tokens
        or point.tips < previous.tips
    )


def ordered(points: Iterable[Point]) -> list[Point]:
    """Timestamp order, each distinct sample once."""
    return sorted(set(points))


def tally(
    points: Sequence[Point],
    periods: Sequence[Period],
    *,
    online_gap: int,
    before: Point | None = None,
    after: Point | None = None,
) -> list[Tally]:
    """One :class:`Tally` per period for one room.

    ``points`` are the room's samples in the periods' range; ``before`` is its last sample
    before the range (None when it has none: its first sample in the range is then a reset),
    ``after`` its first one after (the interval to it may be on line time in the range).
    ``periods`` must be in order and not overlap.
    """
    tallies = [Tally(period) for period in periods]
    if not tallies:
        return tallies
    samples = ordered(points)
    previous = before
    #: The current broadcast's ordinal (0: one that began before the range).
    session = 0
    for point in samples:
        index = _period_index(periods, point.timestamp)
        if previous is not None and point.timestamp - previous.timestamp <= online_gap:
            _add_online(tallies, previous.timestamp, point.timestamp)
        if begins_broadcast(previous, point, online_gap):
            session += 1
        if index is None:
            previous = point
            continue
        t = tallies[index]
        t.tokens_earned += earned(previous.tokens if previous else None, point.tokens)
        t.tips_earned += earned(previous.tips if previous else None, point.tips)
        t.peak_viewers = max(t.peak_viewers, point.viewers)
        t.session_ids.add(session)
        previous = point
    if previous and after and after.timestamp - previous.timestamp <= online_gap:
        _add_online(tallies, previous.timestamp, after.timestamp)
    return tallies


def _period_index(periods: Sequence[Period], timestamp: int) -> int | None:
    low, high = 0, len(periods)
    while low < high:
        middle = (low + high) // 2
        if periods[middle].end <= timestamp:
            low = middle + 1
        else:
            high = middle
    if low < len(periods) and periods[low].start <= timestamp < periods[low].end:
        return low
    return None


def _add_online(tallies: list[Tally], start: int, end: int) -> None:
    """Add the interval [start, end) to the periods it overlaps, split at their boundaries."""
    for t in tallies:
        overlap = min(end, t.period.end) - max(start, t.period.start)
        if overlap > 0:
            t.online_seconds += overlap


# --- periods -------------------------------------------------------------------------------


def local_midnight(day: dt.date, zone: ZoneInfo) -> int:
    """When ``day`` begins in ``zone``, Unix seconds."""
    return int(dt.datetime.combine(day, dt.time(), tzinfo=zone).timestamp())


def day_periods(start: int, end: int, zone: ZoneInfo) -> list[Period]:
    """The calendar days of ``zone`` that overlap [start, end), clipped to it."""
    first = dt.datetime.fromtimestamp(start, zone).date()
    last = dt.datetime.fromtimestamp(max(start, end - 1), zone).date()
    periods = []
    day = first
    while day <= last:
        begin = max(start, local_midnight(day, zone))
        finish = min(end, local_midnight(day + dt.timedelta(days=1), zone))
        if begin < finish:
            periods.append(Period(begin, finish))
        day += dt.timedelta(days=1)
    return periods


def shift_periods(start: int, end: int, zone: ZoneInfo, shifts: Sequence[dt.time]) -> list[Period]:
    """The shifts (each from its local start time to the next one's) that overlap [start, end),
    clipped to it.  ``shifts`` are distinct local times; the last one runs to the first one of
    the next day."""
    starts = sorted(shifts)
    first = dt.datetime.fromtimestamp(start, zone).date() - dt.timedelta(days=1)
    last = dt.datetime.fromtimestamp(max(start, end - 1), zone).date()
    boundaries = []
    day = first
    while day <= last + dt.timedelta(days=1):
        boundaries += [int(dt.datetime.combine(day, s, tzinfo=zone).timestamp()) for s in starts]
        day += dt.timedelta(days=1)
    periods = []
    for begin, finish in itertools.pairwise(boundaries):
        clipped = Period(max(start, begin), min(end, finish))
        if clipped.start < clipped.end:
            periods.append(clipped)
    return periods


def periods_for(
    group: Group, start: int, end: int, zone: ZoneInfo, shifts: Sequence[dt.time]
) -> list[Period]:
    if group == "day":
        return day_periods(start, end, zone)
    if group == "shift":
        return shift_periods(start, end, zone, shifts)
    return [Period(start, end)] if start < end else []


def parse_shifts(text: str) -> tuple[dt.time, ...]:
    """``"06:00,14:00,22:00"`` → the shifts' local start times; ValueError with the reason."""
    times = []
    for part in (p.strip() for p in text.split(",")):
        if not part:
            continue
        try:
            hours, minutes = part.split(":")
            times.append(dt.time(int(hours), int(minutes)))
        except ValueError as exc:
            raise ValueError(f"{part!r} is not a local time like 06:00") from exc
    if not times:
        raise ValueError("name at least one shift start, e.g. 06:00,14:00,22:00")
    if len(set(times)) != len(times):
        raise ValueError("a shift start is named twice")
    return tuple(sorted(times))


@dataclass(slots=True)
class Broadcast:
    """One broadcast of a room, as far as its samples in a range show it."""

    start: int
    end: int
    tokens_earned: int = 0
    tips_earned: int = 0
    peak_viewers: int = 0
    began_before: bool = False


def broadcasts(
    points: Sequence[Point], *, online_gap: int, before: Point | None
) -> list[Broadcast]:
    """The broadcasts among ``points`` (a room's samples in a range), oldest first.

    ``before`` is the room's last sample before the range: when the first sample continues its
    broadcast, that broadcast is marked ``began_before`` and only its earnings in the range
    are counted (the pair across ``from`` belongs to the range, as in the earnings report)."""
    found: list[Broadcast] = []
    previous = before
    for point in ordered(points):
        starts = begins_broadcast(previous, point, online_gap)
        if starts or not found:
            found.append(Broadcast(point.timestamp, point.timestamp, began_before=not starts))
        current = found[-1]
        current.end = point.timestamp
        current.tokens_earned += earned(previous.tokens if previous else None, point.tokens)
        current.tips_earned += earned(previous.tips if previous else None, point.tips)
        current.peak_viewers = max(current.peak_viewers, point.viewers)
        previous = point
    return found
