"""The Reports window's presets (godmode_desktop/report_ranges.py) in the studio's calendar,
at fixed times: DST days, night shifts across midnight, month and year ends."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from godmode_desktop.report_ranges import Preset, parse_times, preset_range

MADRID = ZoneInfo("Europe/Madrid")
SHIFTS = parse_times(["22:00", "06:00", "14:00"])


def _at(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> int:
    return int(dt.datetime(year, month, day, hour, minute, tzinfo=MADRID).timestamp())


def _local(ts: int) -> str:
    return dt.datetime.fromtimestamp(ts, MADRID).strftime("%Y-%m-%d %H:%M")


def _range(preset: Preset, now: int, **kw: object) -> tuple[str, str]:
    start, end = preset_range(preset, now, MADRID, SHIFTS, **kw)  # type: ignore[arg-type]
    return _local(start), _local(end)


@pytest.mark.parametrize(
    ("preset", "now", "expected"),
    [
        (Preset.TODAY, _at(2026, 10, 25, 12), ("2026-10-25 00:00", "2026-10-26 00:00")),
        (Preset.YESTERDAY, _at(2026, 10, 26, 0, 30), ("2026-10-25 00:00", "2026-10-26 00:00")),
        (Preset.THIS_SHIFT, _at(2026, 11, 3, 23), ("2026-11-03 22:00", "2026-11-04 06:00")),
        (Preset.THIS_SHIFT, _at(2026, 11, 4, 3), ("2026-11-03 22:00", "2026-11-04 06:00")),
        (Preset.LAST_SHIFT, _at(2026, 11, 4, 3), ("2026-11-03 14:00", "2026-11-03 22:00")),
        (Preset.LAST_SHIFT, _at(2026, 11, 4, 7), ("2026-11-03 22:00", "2026-11-04 06:00")),
        (Preset.THIS_WEEK, _at(2026, 11, 1, 12), ("2026-10-26 00:00", "2026-11-02 00:00")),
        (Preset.LAST_WEEK, _at(2026, 11, 2, 0), ("2026-10-26 00:00", "2026-11-02 00:00")),
        (Preset.THIS_MONTH, _at(2026, 11, 30, 23, 59), ("2026-11-01 00:00", "2026-12-01 00:00")),
        (Preset.LAST_MONTH, _at(2027, 1, 15), ("2026-12-01 00:00", "2027-01-01 00:00")),
    ],
)
def test_presets_are_the_studios_days_weeks_months_and_shifts(
    preset: Preset, now: int, expected: tuple[str, str]
) -> None:
    assert _range(preset, now) == expected


def test_the_day_the_clocks_go_back_lasts_25_hours() -> None:
    start, end = preset_range(Preset.TODAY, _at(2026, 10, 25, 12), MADRID, SHIFTS)
    assert end - start == 25 * 3600


def test_a_custom_range_holds_both_days_given_in_any_order() -> None:
    days = (dt.date(2026, 11, 10), dt.date(2026, 11, 3))
    assert _range(Preset.CUSTOM, _at(2026, 11, 30), custom=days) == (
        "2026-11-03 00:00",
        "2026-11-11 00:00",
    )
    with pytest.raises(ValueError, match="custom"):
        preset_range(Preset.CUSTOM, 0, MADRID, SHIFTS)


def test_ranges_are_whole_minutes_as_the_server_requires() -> None:
    shifts = parse_times(["06:30", "18:45"])
    for preset in Preset:
        if preset is not Preset.CUSTOM:
            start, end = preset_range(preset, _at(2026, 11, 4, 19, 7), MADRID, shifts)
            assert start % 60 == 0
            assert end % 60 == 0
            assert start < end
