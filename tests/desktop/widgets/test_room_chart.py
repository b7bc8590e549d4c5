"""The selected room's chart on its own: live points, one a second, drawn a second at most late."""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

from PySide6.QtCore import QLocale
from pytestqt.qtbot import QtBot

from godmode_common.rooms import RoomKey
from godmode_desktop.widgets.room_chart import RoomChart
from godmode_desktop.widgets.style import CHART_REDRAW_MS

KEY = RoomKey("luna", "chaturbate")


def _drawn(chart: RoomChart) -> list[float]:
    _, tokens = chart._tokens.getData()
    return [] if tokens is None else [float(t) for t in tokens]


def test_a_busy_room_gets_one_point_a_second_with_its_latest_values(qtbot: QtBot) -> None:
    chart = RoomChart()
    qtbot.addWidget(chart)
    chart.show_room(KEY)
    now = int(time.time())
    for n in range(10):  # ten samples within one second
        chart.extend(KEY, now, 100 + n, 50 - n)
    chart.extend(KEY, now + 1, 200, 60)
    assert chart.points == [(now, 109.0, 41.0), (now + 1, 200.0, 60.0)]
    chart.extend(KEY, now, 999, 1)
    assert chart.points[-1] == (now + 1, 200.0, 60.0), "an older second does not go back"

    qtbot.waitUntil(lambda: _drawn(chart) == [109.0, 200.0], timeout=CHART_REDRAW_MS + 1000)


def test_the_axes_read_in_the_app_s_language_and_number_format(qtbot: QtBot) -> None:
    chart = RoomChart()
    qtbot.addWidget(chart)
    chart.show_room(RoomKey("luna", "chaturbate"))
    chart.resize(700, 400)
    chart.show()
    qtbot.waitExposed(chart)
    chart.grab()  # drawn once: the axes know their font
    counts: Any = chart.tokens_plot.getAxis("left")
    assert counts.tickStrings([2_000_000.0], 1.0, 1_000_000.0) == ["2,000,000"]
    for plot in (chart.tokens_plot, chart.viewers_plot):
        assert not plot.getPlotItem().menuEnabled(), "no menu in pyqtgraph's English"
    flat = [v for _, values in counts.tickValues(24_196.6, 24_197.4, 300) for v in values]
    assert flat == [24_197.0], "a flat line of tokens: whole numbers only"
    dates: Any = chart.tokens_plot.getAxis("bottom")
    midnight = dt.datetime(2026, 12, 8).timestamp()  # a Tuesday, the PC's midnight
    spanish = QLocale(QLocale.Language.Spanish, QLocale.Country.Spain)
    previous = QLocale()
    QLocale.setDefault(spanish)
    try:
        ticks = dates.tickValues(midnight - 3600, midnight + 3600, 600)
        shown = [
            text for spacing, values in ticks for text in dates.tickStrings(values, 1, spacing)
        ]
    finally:
        QLocale.setDefault(previous)
    assert "mar 08" in shown, shown  # a day's first tick names the day: in Spanish
    assert not any("Tue" in text for text in shown)
