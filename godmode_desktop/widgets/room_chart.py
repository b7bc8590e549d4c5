"""The selected room's history over a chosen range: tokens and viewers over time (pyqtgraph).

The range is the last hour, day, week or month, which stays live (new samples extend it at the
right, old ones leave at the left), or fixed dates.  The window asks the server for the range
(:attr:`RoomChart.range_changed`) in a few hundred points, which the server chooses so that no
spike disappears.
"""

from __future__ import annotations

import time
from collections.abc import Sequence

import pyqtgraph as pg
from PySide6.QtCore import QDateTime, QEvent, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from godmode_common.rooms import RoomKey
from godmode_desktop.i18n import tr
from godmode_desktop.net.protocol import HistoryPoint

from .chart_axes import CountAxis, DateAxis
from .style import CHART_REDRAW_MS, FLASH_DOWN, FLASH_UP, paint_plot

#: Points kept per curve; older ones scroll out as live updates extend the chart.
MAX_POINTS = 2000
#: Points asked of the server for a range: about one per pixel column of a wide chart.
RANGE_POINTS = 800


def span_labels() -> dict[int, str]:
    return {3600: tr("1 h"), 86400: tr("24 h"), 7 * 86400: tr("7 d"), 30 * 86400: tr("30 d")}


class ChartRangeDialog(QDialog):
    """Fixed dates for the chart: from and to, local time."""

    def __init__(self, start: int, end: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("Chart range"))
        self.start_edit = QDateTimeEdit(QDateTime.fromSecsSinceEpoch(start))
        self.end_edit = QDateTimeEdit(QDateTime.fromSecsSinceEpoch(end))
        for edit in (self.start_edit, self.end_edit):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd HH:mm")
        self.start_edit.setAccessibleName(tr("From"))
        self.end_edit.setAccessibleName(tr("To"))
        form = QFormLayout(self)
        form.addRow(tr("From"), self.start_edit)
        form.addRow(tr("To"), self.end_edit)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def chosen(self) -> tuple[int, int]:
        start = self.start_edit.dateTime().toSecsSinceEpoch()
        end = self.end_edit.dateTime().toSecsSinceEpoch()
        return (min(start, end), max(start, end))


class RoomChart(QWidget):
    #: The user chose another range: the shown room's history must be asked for again.
    range_changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.key: RoomKey | None = None
        #: The live range shown, in seconds back from now, or None for :attr:`fixed`.
        self.span: int | None = 3600
        #: Fixed dates shown (start, end), when not live.
        self.fixed: tuple[int, int] | None = None
        self.range_box = QComboBox()
        self.range_box.setAccessibleName(tr("Chart range"))
        for seconds, label in span_labels().items():
            self.range_box.addItem(label, seconds)
        self.range_box.addItem(tr("Custom…"), 0)
        self.range_box.activated.connect(self._range_chosen)
        self._redraw_timer = QTimer(self)
        self._redraw_timer.setSingleShot(True)
        self._redraw_timer.setInterval(CHART_REDRAW_MS)
        self._redraw_timer.timeout.connect(self._redraw)
        self.title = QLabel()
        self.title.setObjectName("chartTitle")
        self.placeholder = QLabel(tr("Select a room to see its history"))
        self.placeholder.setObjectName("chartPlaceholder")
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.placeholder.setWordWrap(True)
        self.tokens_plot = pg.PlotWidget(axisItems={"bottom": DateAxis(), "left": CountAxis()})
        self.tokens_plot.setLabel("left", tr("Tokens"))
        self.viewers_plot = pg.PlotWidget(axisItems={"bottom": DateAxis(), "left": CountAxis()})
        self.viewers_plot.setLabel("left", tr("Viewers"))
        self.viewers_plot.setXLink(self.tokens_plot)
        for plot in (self.tokens_plot, self.viewers_plot):
            plot.showGrid(x=True, y=True, alpha=0.2)
            plot.setMouseEnabled(x=True, y=False)
            # pyqtgraph's own right-click menu speaks English only, and its plot options are
            # not the app's: the range box above is the way to another span.
            plot.setMenuEnabled(False)
        self._tokens = self.tokens_plot.plot()
        self._viewers = self.viewers_plot.plot()
        self._follow_palette()
        self._times: list[float] = []
        self._token_values: list[float] = []
        self._viewer_values: list[float] = []
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        header = QHBoxLayout()
        header.addWidget(self.title, 1)
        header.addWidget(self.range_box)
        layout.addLayout(header)
        plots = QWidget()
        plots_layout = QVBoxLayout(plots)
        plots_layout.setContentsMargins(0, 0, 0, 0)
        plots_layout.addWidget(self.tokens_plot, 2)
        plots_layout.addWidget(self.viewers_plot, 1)
        # No room selected: a sentence that says what to do, not two empty plots.
        self.pages = QStackedWidget()
        self.pages.addWidget(self.placeholder)
        self.pages.addWidget(plots)
        layout.addWidget(self.pages, 1)

    def changeEvent(self, event: QEvent) -> None:
        """Light or dark changed (the system's scheme, or the settings): the plots follow."""
        if event.type() == QEvent.Type.PaletteChange:
            self._follow_palette()
        super().changeEvent(event)

    def _follow_palette(self) -> None:
        """The plots' colours from the palette: background, axes and text, and lines that stand
        out on either (the tokens' green darker on light, lighter on dark)."""
        for plot in (self.tokens_plot, self.viewers_plot):
            dark = paint_plot(plot, self.palette())
        tokens = FLASH_UP.lighter(110) if dark else FLASH_UP.darker(120)
        self._tokens.setPen(pg.mkPen(tokens, width=2))
        self._viewers.setPen(pg.mkPen(FLASH_DOWN.lighter(115) if dark else FLASH_DOWN, width=2))

    @property
    def points(self) -> list[tuple[float, float, float]]:
        """(time, tokens, viewers) as drawn."""
        return list(zip(self._times, self._token_values, self._viewer_values, strict=True))

    def show_room(self, key: RoomKey | None) -> None:
        """Start showing a room (empty until :meth:`set_history`)."""
        self.key = key
        self._times, self._token_values, self._viewer_values = [], [], []
        self.title.setText("" if key is None else f"{key[0]} · {key[1]}")
        self.pages.setCurrentIndex(0 if key is None else 1)
        self._redraw()

    def set_history(self, key: RoomKey, points: Sequence[HistoryPoint]) -> None:
        if key != self.key:
            return  # an answer for a room no longer selected
        self._times = [float(p.timestamp) for p in points][-MAX_POINTS:]
        self._token_values = [float(p.tokens_count) for p in points][-MAX_POINTS:]
        self._viewer_values = [float(p.viewers_count) for p in points][-MAX_POINTS:]
        self._redraw()

    def time_range(self, now: float | None = None) -> tuple[int, int]:
        """The range to show: [start, end] in Unix seconds."""
        if self.span is None and self.fixed is not None:
            return self.fixed
        now = time.time() if now is None else now
        return int(now) - (self.span or 3600), int(now) + 60

    def set_span(self, span: int) -> None:
        """Show the last ``span`` seconds, live."""
        self.span, self.fixed = span, None
        self.range_box.setCurrentIndex(self.range_box.findData(span))
        self.range_changed.emit()

    def set_fixed(self, start: int, end: int) -> None:
        """Show fixed dates (live only while ``end`` is in the future)."""
        self.span, self.fixed = None, (start, end)
        self.range_box.setCurrentIndex(self.range_box.findData(0))
        self.range_changed.emit()

    def _range_chosen(self, index: int) -> None:
        span = int(self.range_box.itemData(index))
        if span:
            self.set_span(span)
            return
        dialog = ChartRangeDialog(*self.time_range(), parent=self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.set_fixed(*dialog.chosen())
        else:  # back to what was shown
            self.range_box.setCurrentIndex(self.range_box.findData(self.span or 0))

    def extend(self, key: RoomKey, timestamp: int, tokens: int, viewers: int) -> None:
        """A live update of the shown room: drawn at the right end while the range is live (one
        point a second, its latest values); points older than a live range leave at the left."""
        if key != self.key or (self._times and timestamp < self._times[-1]):
            return
        if self.fixed is not None and not self.fixed[0] <= timestamp <= self.fixed[1]:
            return
        if self.span is not None:
            oldest = timestamp - self.span
            drop = 0
            while drop < len(self._times) and self._times[drop] < oldest:
                drop += 1
            del self._times[:drop], self._token_values[:drop], self._viewer_values[:drop]
        if self._times and self._times[-1] == timestamp:
            # The same second again (a busy room sends ten a second): its latest values.
            self._token_values[-1], self._viewer_values[-1] = float(tokens), float(viewers)
        else:
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
