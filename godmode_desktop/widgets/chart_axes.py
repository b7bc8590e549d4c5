"""A chart's axes in the window's language and number format: counts as "1,500,000", never
"1.5e+06" nor a scale factor beside the axis; dates with the day and month names of the app's
language ("mar 8" in Spanish), not of the C library's locale."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence

import pyqtgraph as pg
from PySide6.QtCore import QLocale


def count_text(value: float, spacing: float) -> str:
    """``value`` as the window writes a number: whole when the ticks are a whole number
    apart, else with as many decimals as the spacing needs."""
    locale = QLocale()
    if spacing >= 1 or spacing <= 0:
        return locale.toString(round(value))
    decimals = min(6, max(1, math.ceil(-math.log10(spacing))))
    return locale.toString(value, "f", decimals)


class CountAxis(pg.AxisItem):  # type: ignore[misc]  # pyqtgraph has no types
    """A left axis of counts (tokens, viewers) in the locale's digits and grouping."""

    def __init__(self, orientation: str = "left", **kwargs: object) -> None:
        super().__init__(orientation, **kwargs)
        self.enableAutoSIPrefix(False)  # no "×1e6" beside the axis: the numbers say it all

    def tickSpacing(self, minVal: float, maxVal: float, size: float) -> list[tuple[float, float]]:
        """Ticks a whole number apart: a count has no "24,196.8" (a flat line of tokens would
        get one otherwise)."""
        levels: list[tuple[float, float]] = super().tickSpacing(minVal, maxVal, size)
        return list(dict.fromkeys((max(1.0, spacing), offset) for spacing, offset in levels))

    def tickStrings(self, values: Sequence[float], scale: float, spacing: float) -> list[str]:
        return [count_text(value * scale, spacing * scale) for value in values]


def _name_map() -> dict[str, str]:
    """The C library's short day and month names (what pyqtgraph's strftime writes) → the app's
    language's."""
    locale = QLocale()
    names = {}
    for day in range(7):  # 2024-01-01 was a Monday, Qt's day 1
        names[dt.date(2024, 1, 1 + day).strftime("%a")] = locale.dayName(
            day + 1, QLocale.FormatType.ShortFormat
        )
    for month in range(1, 13):
        names[dt.date(2024, month, 1).strftime("%b")] = locale.monthName(
            month, QLocale.FormatType.ShortFormat
        )
    return names


class DateAxis(pg.DateAxisItem):  # type: ignore[misc]  # pyqtgraph has no types
    """A time axis as pyqtgraph lays it out, its day and month names in the app's language."""

    def tickStrings(self, values: Sequence[float], scale: float, spacing: float) -> list[str]:
        strings: list[str] = super().tickStrings(values, scale, spacing)
        names = _name_map()
        return [" ".join(names.get(word, word) for word in text.split(" ")) for text in strings]
