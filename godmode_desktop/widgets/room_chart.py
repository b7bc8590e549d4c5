"""The selected room's recent history: tokens and viewers over time (pyqtgraph)."""

from __future__ import annotations

from collections.abc import Sequence

import pyqtgraph as pg
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from godmode_desktop.board import RoomKey
from godmode_desktop.i18n import tr
from godmode_desktop.net.protocol import HistoryPoint

from .style import CHART_REDRAW_MS, FLASH_DOWN, FLASH_UP

#: Points kept per curve; older ones scroll out as live updates extend the chart.
MAX_POINTS = 2000


class RoomChart(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.key: RoomKey | None = None
        self._redraw_timer = QTimer(self)
        self._redraw_timer.setSingleShot(True)
        self._redraw_timer.setInterval(CHART_REDRAW_MS)
        self._redraw_timer.timeout.connect(self._redraw)
        self.title = QLabel(tr("Select a room to see its history"))
        self.title.setObjectName("chartTitle")
        axis = {"bottom": pg.DateAxisItem()}
        self.tokens_plot = pg.PlotWidget(axisItems=axis)
        self.tokens_plot.setLabel("left", tr("Tokens"))
        self.viewers_plot = pg.PlotWidget(axisItems={"bottom": pg.DateAxisItem()})
        self.viewers_plot.setLabel("left", tr("Viewers"))
        self.viewers_plot.setXLink(self.tokens_plot)
        for plot in (self.tokens_plot, self.viewers_plot):
            plot.setBackground("w")
            plot.showGrid(x=True, y=True, alpha=0.2)
            plot.setMouseEnabled(x=True, y=False)
        self._tokens = self.tokens_plot.plot(pen=pg.mkPen(FLASH_UP.darker(120), width=2))
        self._viewers = self.viewers_plot.plot(pen=pg.mkPen(FLASH_DOWN, width=2))
        self._times: list[float] = []
        self._token_values: list[float] = []
        self._viewer_values: list[float] = []
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addWidget(self.tokens_plot, 2)
        layout.addWidget(self.viewers_plot, 1)

    @property
    def points(self) -> list[tuple[float, float, float]]:
        """(time, tokens, viewers) as drawn."""
        return list(zip(self._times, self._token_values, self._viewer_values, strict=True))

    def show_room(self, key: RoomKey | None) -> None:
        """Start showing a room (empty until :meth:`set_history`)."""
        self.key = key
        self._times, self._token_values, self._viewer_values = [], [], []
        self.title.setText(
            tr("Select a room to see its history") if key is None else f"{key[0]} · {key[1]}"
        )
        self._redraw()

    def set_history(self, key: RoomKey, points: Sequence[HistoryPoint]) -> None:
        if key != self.key:
            return  # an answer for a room no longer selected
        self._times = [float(p.timestamp) for p in points][-MAX_POINTS:]
        self._token_values = [float(p.tokens_count) for p in points][-MAX_POINTS:]
        self._viewer_values = [float(p.viewers_count) for p in points][-MAX_POINTS:]
        self._redraw()

    def extend(self, key: RoomKey, timestamp: int, tokens: int, viewers: int) -> None:
        """A live update of the shown room."""
        if key != self.key or (self._times and timestamp < self._times[-1]):
            return
        self._times.append(float(timestamp))
        self._token_values.append(float(tokens))
        self._viewer_values.append(float(viewers))
        del self._times[:-MAX_POINTS], self._token_values[:-MAX_POINTS]
        del self._viewer_values[:-MAX_POINTS]
        if not self._redraw_timer.isActive():
            self._redraw_timer.start()  # a busy room's points are drawn a few times a second

    def _redraw(self) -> None:
        self._redraw_timer.stop()
        self._tokens.setData(self._times, self._token_values)
        self._viewers.setData(self._times, self._viewer_values)
