"""A chart's count axis in the grid's number format: "1,500,000", never "1.5e+06" nor a
scale factor beside the axis; the same digit grouping as every number of the window."""

from __future__ import annotations

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

    def tickStrings(self, values: Sequence[float], scale: float, spacing: float) -> list[str]:
        return [count_text(value * scale, spacing * scale) for value in values]
