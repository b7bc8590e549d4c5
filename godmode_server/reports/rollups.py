"""Per-minute summaries of a room's samples that add up to any minute-aligned period's earnings.

A report over a month of 200 rooms sampled every 5 s would read about 100 M samples; it reads
summaries instead, whose number grows with rooms × minutes (or hours), not samples.  Each
summary holds what earnings.py's definitions give, attributed so that a period's figures are
plain sums of its minutes':

* ``tokens``/``tips``: earnings of each pair of consecutive samples, in the minute of the later
  sample (the pair may start in an earlier minute);
* ``online``: the seconds of the minute covered by an interval between consecutive samples at
  most ``online_gap`` apart (so an interval is split at minute boundaries, as at periods');
* ``starts``: samples of the minute that begin a broadcast; ``first_is_start`` whether the
  minute's first sample does (a period whose first sample does not begin one also counts the
  broadcast already running: ``sessions = starts + (not first_is_start)``);
* ``peak``: the highest viewer count among its samples; ``samples``: how many distinct ones;
  ``last`` (minutes only): the newest one's time.

A summary depends on the minute's samples, the one before and the one after it: when a sample
arrives (even late, or out of order) the archive recomputes the minutes around it from the raw
samples (:func:`affected_span`).  Hours are sums of their minutes, kept too so that long reports
read 60 times fewer rows.  Pure functions; db.py stores and queries them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from godmode_server.reports.earnings import Point, begins_broadcast, earned

MINUTE = 60
HOUR = 3600


@dataclass(slots=True)
class Summary:
    """One room's minute (or hour, or period): additive except ``peak`` (max) and the
    ``first_*`` fields (those of the earliest part with samples)."""

    start: int
    samples: int = 0
    tokens: int = 0
    tips: int = 0
    online: int = 0
    starts: int = 0
    first_is_start: bool = False
    peak: int = 0
    #: Its newest sample's time (0: none): what the live earnings were read "as of".
    last: int = 0

    @property
    def sessions(self) -> int:
        """Broadcasts with a sample in the span (see the module docstring)."""
        if not self.samples:
            return 0
        return self.starts + (0 if self.first_is_start else 1)


def floor_to(timestamp: int, span: int) -> int:
    return timestamp - timestamp % span


def summarize(
    points: Sequence[Point],
    *,
    before: Point | None,
    after: Point | None,
    first: int,
    last: int,
    online_gap: int,
) -> list[Summary]:
    """The minutes ``first`` … ``last`` (their start times, inclusive) of one room.

    ``points``: the room's distinct samples in those minutes, in order; ``before``: its last
    sample before them, ``after``: its first after them (None when there is none).  Minutes with
    neither samples nor online time are left out.
    """
    minutes: dict[int, Summary] = {}

    def minute(start: int) -> Summary:
        summary = minutes.get(start)
        if summary is None:
            summary = minutes[start] = Summary(start)
        return summary

    previous = before
    for point in points:
        m = minute(floor_to(point.timestamp, MINUTE))
        starts = begins_broadcast(previous, point, online_gap)
        if not m.samples:
            m.first_is_start = starts
        m.samples += 1
        m.starts += starts
        m.tokens += earned(previous.tokens if previous else None, point.tokens)
        m.tips += earned(previous.tips if previous else None, point.tips)
        m.peak = max(m.peak, point.viewers)
        m.last = max(m.last, point.timestamp)
        if previous is not None:
            _online(minute, previous.timestamp, point.timestamp, first, last, online_gap)
        previous = point
    if previous is not None and after is not None:
        _online(minute, previous.timestamp, after.timestamp, first, last, online_gap)
    return [minutes[start] for start in sorted(minutes)]


def _online(
    minute: Callable[[int], Summary], begin: int, end: int, first: int, last: int, online_gap: int
) -> None:
    """Spread the interval [begin, end) over the minutes in [first, last] it covers."""
    if end - begin > online_gap:
        return
    start = max(floor_to(begin, MINUTE), first)
    while start <= last and start < end:
        overlap = min(end, start + MINUTE) - max(begin, start)
        if overlap > 0:
            minute(start).online += overlap
        start += MINUTE


def combine(parts: Sequence[Summary], start: int) -> Summary:
    """The summary of consecutive spans (in order) as one span beginning at ``start``."""
    total = Summary(start)
    for part in parts:
        if part.samples and not total.samples:
            total.first_is_start = part.first_is_start
        total.samples += part.samples
        total.tokens += part.tokens
        total.tips += part.tips
        total.online += part.online
        total.starts += part.starts
        total.peak = max(total.peak, part.peak)
        total.last = max(total.last, part.last)
    return total


@dataclass(frozen=True, slots=True)
class Span:
    """Minutes to recompute: the start times of the first and the last, inclusive."""

    first: int
    last: int


def affected_span(
    low: int, high: int, previous: int | None, following: int | None, online_gap: int
) -> Span:
    """The minutes whose summaries change when samples with timestamps in [low, high] arrive.

    ``previous``/``following``: the room's nearest other samples before ``low`` and after
    ``high``.  The new samples' own minutes change; so does the following sample's (its pair's
    earnings), the minutes an online interval to either neighbour covers, and the previous
    sample's minute when that interval starts there.
    """
    first = low
    if previous is not None and low - previous <= online_gap:
        first = previous
    last = high if following is None else following
    return Span(floor_to(first, MINUTE), floor_to(last, MINUTE))
