"""The earnings definitions (godmode_server/reports/earnings.py), on hand-made samples whose answer is
known, and as properties over any samples."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from godmode_server.reports.earnings import (
    Period,
    Point,
    day_periods,
    earned,
    parse_shifts,
    periods_for,
    shift_periods,
    tally,
)

UTC = ZoneInfo("UTC")
MADRID = ZoneInfo("Europe/Madrid")
GAP = 300
DAY = 86400


def _ts(zone: ZoneInfo, year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> int:
    return int(dt.datetime(year, month, day, hour, minute, tzinfo=zone).timestamp())


def test_a_counter_earns_its_increase_or_its_whole_value_after_a_reset() -> None:
    assert earned(None, 120) == 120, "a room's first sample: its whole counter"
    assert earned(100, 150) == 50
    assert earned(150, 150) == 0
    assert earned(150, 20) == 20, "a new broadcast earned its whole counter"


def test_one_day_with_a_reset_a_gap_and_a_duplicate() -> None:
    t0 = _ts(UTC, 2026, 11, 2, 10, 0)
    points = [
        Point(t0, 100, 5, 10),
        Point(t0 + 60, 150, 7, 30),
        Point(t0 + 60, 150, 7, 30),  # posted twice: counted once
        Point(t0 + 120, 20, 1, 12),  # a reset: a new broadcast
        Point(t0 + 180, 50, 3, 14),
        Point(t0 + 1000, 70, 4, 9),  # 820 s later: off line in between, a new broadcast
    ]
    (day,) = tally(list(reversed(points)), day_periods(t0 - 3600, t0 + 3600, UTC), online_gap=GAP)
    assert day.tokens_earned == 100 + 50 + 20 + 30 + 20
    assert day.tips_earned == 5 + 2 + 1 + 2 + 1
    assert day.online_seconds == 180, "60 + 60 + 60; the 820 s gap is not on line"
    assert day.sessions == 3
    assert day.peak_viewers == 30


def test_a_pair_across_midnight_belongs_to_the_later_day_and_its_time_is_split() -> None:
    midnight = _ts(UTC, 2026, 11, 3)
    before = Point(midnight - 100, 1000, 10, 5)  # the last sample of the day before
    points = [Point(midnight + 100, 1300, 12, 6)]
    first, second = tally(
        points, day_periods(midnight - DAY, midnight + DAY, UTC), online_gap=GAP, before=before
    )
    assert (first.tokens_earned, second.tokens_earned) == (0, 300)
    assert (first.online_seconds, second.online_seconds) == (100, 100)
    assert second.sessions == 1, "the broadcast that began the day before goes on"


def test_madrid_days_across_the_dst_changes_last_23_and_25_hours() -> None:
    spring = day_periods(_ts(MADRID, 2026, 3, 28), _ts(MADRID, 2026, 3, 31), MADRID)
    autumn = day_periods(_ts(MADRID, 2026, 10, 24), _ts(MADRID, 2026, 10, 27), MADRID)
    assert [p.end - p.start for p in spring] == [DAY, 23 * 3600, DAY]
    assert [p.end - p.start for p in autumn] == [DAY, 25 * 3600, DAY]


def test_shifts_cross_midnight_and_follow_the_local_clock() -> None:
    shifts = parse_shifts("22:00, 06:00,14:00")
    start, end = _ts(MADRID, 2026, 10, 24, 6), _ts(MADRID, 2026, 10, 26, 6)
    periods = shift_periods(start, end, MADRID, shifts)
    local = [
        (dt.datetime.fromtimestamp(p.start, MADRID).strftime("%d %H:%M"), (p.end - p.start) // 3600)
        for p in periods
    ]
    assert local == [
        ("24 06:00", 8),
        ("24 14:00", 8),
        ("24 22:00", 9),  # the night the clocks go back: a 9-hour night shift
        ("25 06:00", 8),
        ("25 14:00", 8),
        ("25 22:00", 8),
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "at least one shift"),
        ("06:00,25:00", "'25:00' is not a local time"),
        ("6h", "'6h' is not a local time"),
        ("06:00,06:00", "named twice"),
    ],
)
def test_bad_shift_lists_say_what_is_wrong(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_shifts(text)


samples = st.lists(
    st.builds(
        Point,
        timestamp=st.integers(0, 6 * DAY),
        tokens=st.integers(0, 10_000),
        tips=st.integers(0, 500),
        viewers=st.integers(0, 1000),
    ),
    max_size=60,
)


@settings(max_examples=300, deadline=None)
@given(points=samples, zone=st.sampled_from([UTC, MADRID, ZoneInfo("America/New_York")]))
def test_days_and_shifts_add_up_to_the_whole_range(points: list[Point], zone: ZoneInfo) -> None:
    start, end = 0, 6 * DAY + 1
    (whole,) = tally(points, periods_for("total", start, end, zone, ()), online_gap=GAP)
    for group in ("day", "shift"):
        parts = tally(
            points,
            periods_for(group, start, end, zone, parse_shifts("06:00,14:00,22:00")),
            online_gap=GAP,
        )
        assert sum(p.period.end - p.period.start for p in parts) == end - start
        assert sum(p.tokens_earned for p in parts) == whole.tokens_earned
        assert sum(p.tips_earned for p in parts) == whole.tips_earned
        assert sum(p.online_seconds for p in parts) == whole.online_seconds
        assert max((p.peak_viewers for p in parts), default=0) == whole.peak_viewers


@settings(max_examples=300, deadline=None)
@given(points=samples)
def test_order_and_repetition_of_arrival_change_nothing(points: list[Point]) -> None:
    periods = [Period(0, 6 * DAY + 1)]
    once = tally(points, periods, online_gap=GAP)[0]
    twice = tally(list(reversed(points)) + points, periods, online_gap=GAP)[0]
    assert (once.tokens_earned, once.tips_earned, once.online_seconds, once.sessions) == (
        twice.tokens_earned,
        twice.tips_earned,
        twice.online_seconds,
        twice.sessions,
    )
