"""The report window's presets as ranges of the studio's calendar (not the PC's).

"Today" is the studio's day: a manager in another time zone, or a PC whose zone is wrong, still
gets the days and shifts the server sums.  Weeks begin on Monday.  Ranges are [start, end) in
Unix seconds, on whole minutes (local midnights and ``HH:MM`` shift starts always are).
Qt-free, so the presets are tested with a fixed clock.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Sequence
from enum import StrEnum
from zoneinfo import ZoneInfo


class Preset(StrEnum):
    TODAY = "today"
    YESTERDAY = "yesterday"
    THIS_SHIFT = "this_shift"
    LAST_SHIFT = "last_shift"
    THIS_WEEK = "this_week"
    LAST_WEEK = "last_week"
    THIS_MONTH = "this_month"
    LAST_MONTH = "last_month"
    CUSTOM = "custom"


def _midnight(day: dt.date, zone: ZoneInfo) -> int:
    return int(dt.datetime.combine(day, dt.time(), tzinfo=zone).timestamp())


def parse_times(shifts: Sequence[str]) -> list[dt.time]:
    """``["06:00", "14:00"]`` → local times, in order."""
    return sorted(dt.time.fromisoformat(s) for s in shifts)


def shift_bounds(now: int, zone: ZoneInfo, shifts: Sequence[dt.time]) -> list[tuple[int, int]]:
    """The shifts around ``now``: from two days before to the day after, in order."""
    today = dt.datetime.fromtimestamp(now, zone).date()
    starts = [
        int(dt.datetime.combine(today + dt.timedelta(days=d), t, tzinfo=zone).timestamp())
        for d in range(-2, 2)
        for t in sorted(shifts)
    ]
    return list(itertools.pairwise(starts))


def preset_range(
    preset: Preset,
    now: int,
    zone: ZoneInfo,
    shifts: Sequence[dt.time],
    custom: tuple[dt.date, dt.date] | None = None,
) -> tuple[int, int]:
    """[start, end) of a preset at ``now``; ``custom`` is (first day, last day), inclusive."""
    today = dt.datetime.fromtimestamp(now, zone).date()
    day = dt.timedelta(days=1)
    if preset is Preset.TODAY:
        return _midnight(today, zone), _midnight(today + day, zone)
    if preset is Preset.YESTERDAY:
        return _midnight(today - day, zone), _midnight(today, zone)
    if preset in (Preset.THIS_SHIFT, Preset.LAST_SHIFT):
        bounds = shift_bounds(now, zone, shifts)
        current = next(i for i, (a, b) in enumerate(bounds) if a <= now < b)
        return bounds[current if preset is Preset.THIS_SHIFT else current - 1]
    if preset in (Preset.THIS_WEEK, Preset.LAST_WEEK):
        monday = today - dt.timedelta(days=today.weekday())
        if preset is Preset.LAST_WEEK:
            monday -= dt.timedelta(days=7)
        return _midnight(monday, zone), _midnight(monday + dt.timedelta(days=7), zone)
    if preset in (Preset.THIS_MONTH, Preset.LAST_MONTH):
        first = today.replace(day=1)
        if preset is Preset.LAST_MONTH:
            first = (first - day).replace(day=1)
        following = (first + dt.timedelta(days=32)).replace(day=1)
        return _midnight(first, zone), _midnight(following, zone)
    if custom is None:
        raise ValueError("a custom range needs its first and last day")
    first_day, last_day = sorted(custom)
    return _midnight(first_day, zone), _midnight(last_day + day, zone)
