"""The Reports window: what each model earned over a preset or custom range of the studio's
calendar, by day, by shift or in total, as a table, a bar chart and CSV.

It asks for reports through :attr:`ReportsWindow.report_requested` and shows what it is given
(:meth:`show_report`); the app's controller talks to the server.  Days and shifts are the
studio's (its calendar comes from the server), never the PC's time zone.
"""

from __future__ import annotations

import datetime as dt
import time
from collections import defaultdict
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pyqtgraph as pg
from PySide6.QtCore import QDate, QEvent, QLocale, QSize, QSortFilterProxyModel, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from godmode_common.rooms import RoomKey
from godmode_desktop.i18n import tr
from godmode_desktop.net.protocol import EarningsReport, ReportCalendar
from godmode_desktop.report_csv import REPORT_HEADER, report_rows, write_csv
from godmode_desktop.report_ranges import Preset, parse_times, preset_range

from .chart_axes import CountAxis
from .placement import text_size
from .reports_model import KEY_ROLE, SORT_ROLE, ReportsModel, duration_text
from .rooms_format import UNKNOWN, money_text
from .style import FLASH_UP, paint_plot


def preset_labels() -> dict[Preset, str]:
    return {
        Preset.TODAY: tr("Today"),
        Preset.YESTERDAY: tr("Yesterday"),
        Preset.THIS_SHIFT: tr("This shift"),
        Preset.LAST_SHIFT: tr("Last shift"),
        Preset.THIS_WEEK: tr("This week"),
        Preset.LAST_WEEK: tr("Last week"),
        Preset.THIS_MONTH: tr("This month"),
        Preset.LAST_MONTH: tr("Last month"),
        Preset.CUSTOM: tr("Custom dates"),
    }


def group_labels() -> dict[str, str]:
    return {"day": tr("By day"), "shift": tr("By shift"), "total": tr("Whole range")}


def period_label(start: dt.datetime, group: str) -> str:
    """A bar's label in the user's language: "Mon 7" for a day, "7 16:00" for a shift."""
    day = QDate(start.year, start.month, start.day)
    if group == "day":
        return QLocale().toString(day, "ddd d")
    return f"{QLocale().toString(day, 'd')} {start:%H:%M}"


class ReportsWindow(QWidget):
    #: The user wants a report: start, end (Unix seconds), group.
    report_requested = Signal(int, int, str)
    #: Loading started (True) or ended (False).
    busy_changed = Signal(bool)

    def __init__(
        self, parent: QWidget | None = None, *, clock: Callable[[], float] = time.time
    ) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setWindowTitle(tr("God Mode — Reports"))
        self.setObjectName("reportsWindow")
        self._clock = clock
        self.calendar: ReportCalendar | None = None
        self.report: EarningsReport | None = None
        self.totals: EarningsReport | None = None

        self.preset = QComboBox()
        self.preset.setAccessibleName(tr("Range"))
        for preset, label in preset_labels().items():
            self.preset.addItem(label, preset.value)
        self.first_day = QDateEdit()
        self.last_day = QDateEdit()
        for edit, name in ((self.first_day, tr("First day")), (self.last_day, tr("Last day"))):
            # Typed (digits, arrows) or picked in the calendar; a date changed by hand makes
            # the range custom.  A preset's dates are shown in them.
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
            edit.setAccessibleName(name)
            edit.setDate(QDate.currentDate())
            edit.setToolTip(tr("Type a date or pick one: the range becomes custom"))
        self.group = QComboBox()
        self.group.setAccessibleName(tr("Group"))
        for value, label in group_labels().items():
            self.group.addItem(label, value)
        self.refresh_button = QPushButton(tr("&Refresh"))
        self.money_box = QCheckBox(tr("Show &money"))
        self.money_box.setToolTip(
            tr("The chart in the studio's currency at its payout rates, instead of tokens")
        )
        self.export_button = QPushButton(tr("&Export CSV…"))
        self.export_button.setEnabled(False)
        self.busy = QProgressBar()
        self.busy.setRange(0, 0)  # indeterminate: the server does not say how long
        self.busy.setMaximumWidth(120)
        self.busy.setAccessibleName(tr("Loading"))
        self.busy.hide()
        controls = QHBoxLayout()
        for control in (self.preset, self.first_day, self.last_day, self.group):
            controls.addWidget(control)
        controls.addStretch(1)
        for widget in (self.busy, self.refresh_button, self.export_button):
            controls.addWidget(widget)

        self.range_label = QLabel()
        self.range_label.setObjectName("reportRange")
        self.status_label = QLabel()
        self.status_label.setWordWrap(True)
        self.model = ReportsModel(self)
        self.sorted = QSortFilterProxyModel(self)
        self.sorted.setSourceModel(self.model)
        self.sorted.setSortRole(SORT_ROLE)
        self.table = QTableView()
        self.table.setModel(self.sorted)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(2, Qt.SortOrder.DescendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        # Every column as wide as its header and values; the model's name takes what is left.
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.setAccessibleName(tr("Earnings per model"))
        self.totals_label = QLabel()
        self.chart = pg.PlotWidget(axisItems={"left": CountAxis()})
        paint_plot(self.chart, self.palette())
        self.chart.setLabel("left", tr("Tokens"))
        self.chart.setMouseEnabled(x=False, y=False)
        self.chart.setMenuEnabled(False)  # pyqtgraph's menu: English only, not the app's
        self.chart_title = QLabel()
        self.chart_title.setWordWrap(True)  # "… (rooms with no payout rate left out)"
        self.chart_empty = QLabel(tr("Nothing earned in this range."))
        self.chart_empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.chart_pages = QStackedWidget()
        self.chart_pages.addWidget(self.chart)
        self.chart_pages.addWidget(self.chart_empty)
        #: The chart's bars: each period's start and its tokens, or its money (exact).
        self.bars: list[tuple[int, int | Decimal]] = []

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.table, 1)
        left_layout.addWidget(self.totals_label)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        chart_line = QHBoxLayout()  # the switch beside what it changes
        chart_line.addWidget(self.chart_title, 1)
        chart_line.addWidget(self.money_box)
        right_layout.addLayout(chart_line)
        right_layout.addWidget(self.chart_pages, 1)
        # The table above the chart: each gets the window's whole width (its columns need it
        # on a laptop at a large text size), the table the larger share of its height.
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.addLayout(controls)
        layout.addWidget(self.range_label)
        layout.addWidget(self.status_label)
        layout.addWidget(splitter, 1)

        self.preset.currentIndexChanged.connect(self._preset_changed)
        self.group.currentIndexChanged.connect(self.request)
        self.first_day.dateChanged.connect(self._custom_changed)
        self.last_day.dateChanged.connect(self._custom_changed)
        self.refresh_button.clicked.connect(self.request)
        self.export_button.clicked.connect(self._ask_export)
        QShortcut(QKeySequence("F5"), self, self.request)
        self.table.selectionModel().selectionChanged.connect(self._draw_bars)
        self.money_box.toggled.connect(self._draw_bars)
        self._preset_changed()

    def sizeHint(self) -> QSize:
        return text_size(self, 150, 48)

    def changeEvent(self, event: QEvent) -> None:
        """Light or dark changed (the system's scheme, or the settings): the chart follows."""
        if event.type() == QEvent.Type.PaletteChange:
            paint_plot(self.chart, self.palette())
        super().changeEvent(event)

    # --- asking --------------------------------------------------------------------------------

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.calendar.timezone if self.calendar else "UTC")

    def set_calendar(self, calendar: ReportCalendar) -> None:
        """The studio's calendar arrived: presets can be computed; ask for the report."""
        self.calendar = calendar
        self.request()

    def current_range(self) -> tuple[int, int]:
        preset = Preset(self.preset.currentData())
        shifts = parse_times(self.calendar.shifts) if self.calendar else [dt.time()]
        first, last = self.first_day.date(), self.last_day.date()
        custom = (
            dt.date(first.year(), first.month(), first.day()),
            dt.date(last.year(), last.month(), last.day()),
        )
        return preset_range(preset, int(self._clock()), self.zone, shifts, custom)

    def request(self) -> None:
        if self.calendar is None:
            return  # asked again once the calendar is known
        start, end = self.current_range()
        self._show_dates(start, end)
        self.report_requested.emit(start, end, str(self.group.currentData()))

    def _show_dates(self, start: int, end: int) -> None:
        """The range's first and last day in the date fields (a preset's, as it resolved)."""
        first = dt.datetime.fromtimestamp(start, self.zone).date()
        last = dt.datetime.fromtimestamp(max(start, end - 1), self.zone).date()
        for edit, day in ((self.first_day, first), (self.last_day, last)):
            edit.blockSignals(True)
            edit.setDate(QDate(day.year, day.month, day.day))
            edit.blockSignals(False)

    def _preset_changed(self) -> None:
        self.request()

    def _custom_changed(self) -> None:
        """A date typed or picked: the range is those dates from now on."""
        if Preset(self.preset.currentData()) is not Preset.CUSTOM:
            self.preset.blockSignals(True)
            self.preset.setCurrentIndex(self.preset.findData(Preset.CUSTOM.value))
            self.preset.blockSignals(False)
        self.request()

    # --- showing -------------------------------------------------------------------------------

    def show_loading(self) -> None:
        self.busy.show()
        self.refresh_button.setEnabled(False)
        self.busy_changed.emit(True)

    def _loaded(self) -> None:
        self.busy.hide()
        self.refresh_button.setEnabled(True)
        self.busy_changed.emit(False)

    def show_error(self, message: str) -> None:
        self._loaded()
        self.status_label.setText(tr("The report could not be loaded: {0}").format(message))

    def show_report(self, report: EarningsReport, totals: EarningsReport) -> None:
        """``report``: grouped as asked (the chart and the CSV); ``totals``: the same range
        in total (the table's one row per model)."""
        self.report, self.totals = report, totals
        self._loaded()
        zone = ZoneInfo(report.timezone)
        locale = QLocale()
        first = dt.datetime.fromtimestamp(report.start, zone)
        last = dt.datetime.fromtimestamp(report.end - 1, zone)
        self.range_label.setText(
            tr("{0} to {1} ({2})").format(
                first.strftime("%Y-%m-%d %H:%M"), last.strftime("%Y-%m-%d %H:%M"), report.timezone
            )
        )
        # The days shown, in the title too: the taskbar tells one report window from another.
        days = " – ".join(dict.fromkeys((f"{first:%Y-%m-%d}", f"{last:%Y-%m-%d}")))
        self.setWindowTitle(tr("God Mode — Reports — {0}").format(days))
        reasons = sorted({g.reason for g in report.gaps})
        texts = {
            "open": tr("still running: its last minutes may change"),
            "waiting": tr("samples are still being written"),
            "dropped": tr("samples were lost while the database was away"),
            "too_old": tr("samples were refused: older than the server keeps (they came too late)"),
        }
        self.status_label.setText(
            ""
            if report.complete
            else tr("Not final: {0}.").format("; ".join(texts[r] for r in reasons))
        )
        self.model.set_rows(totals.rows, totals.currency)
        t = totals.totals
        earned = (
            UNKNOWN
            if t.earned_local is None
            else money_text(Decimal(t.earned_local), locale, totals.currency or "USD")
        )
        self.totals_label.setText(
            tr("All models: {0} tokens ({1}), {2} tips, {3} on line, {4} broadcasts").format(
                locale.toString(t.tokens_earned),
                earned,
                locale.toString(t.tips_earned),
                duration_text(t.online_seconds),
                locale.toString(t.sessions),
            )
        )
        self.export_button.setEnabled(bool(report.rows))
        self._draw_bars()

    def selected_room(self) -> RoomKey | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        key = self.sorted.data(rows[0], KEY_ROLE)
        return RoomKey(*key) if isinstance(key, tuple) else None

    def _draw_bars(self) -> None:
        """Tokens per period, or money with *Show money*: of the selected model, or of every
        model together (in money, the rows without a rate are left out, and the title says
        so)."""
        self.chart.clear()
        report = self.report
        if report is None:
            self.chart_pages.setCurrentWidget(self.chart_empty)
            return
        room = self.selected_room()
        money = self.money_box.isChecked()
        currency = report.currency or "USD"
        per_period: dict[int, int | Decimal] = defaultdict(int)
        unpriced = False
        for row in report.rows:
            if room is None or (row.room_id, row.platform) == room:
                if not money:
                    per_period[row.period_start] += row.tokens_earned
                elif row.earned_local is None:
                    unpriced = unpriced or row.tokens_earned > 0
                else:
                    per_period[row.period_start] += Decimal(row.earned_local)
        self.bars = sorted(per_period.items())
        who = room[0] if room else tr("all models")
        if money:
            title = tr("Earned per period ({0}): {1}").format(currency, who)
            if unpriced:
                title += " " + tr("(rooms with no payout rate left out)")
        else:
            title = tr("Tokens per period: {0}").format(who)
        self.chart_title.setText(title)
        self.chart.setLabel(
            "left", tr("Earned (%1)").replace("%1", currency) if money else tr("Tokens")
        )
        if not self.bars or not any(tokens for _, tokens in self.bars):
            self.chart_pages.setCurrentWidget(self.chart_empty)
            return
        self.chart_pages.setCurrentWidget(self.chart)
        zone = ZoneInfo(report.timezone)
        ticks = [
            (i, period_label(dt.datetime.fromtimestamp(start, zone), report.group))
            for i, (start, _) in enumerate(self.bars)
        ]
        self.chart.addItem(
            pg.BarGraphItem(
                x=list(range(len(self.bars))),
                height=[float(value) for _, value in self.bars],  # drawn only: never summed
                width=0.7,
                brush=FLASH_UP,
            )
        )
        self.chart.getAxis("bottom").setTicks([ticks])
        # The scale of these bars, not of the last range shown.
        self.chart.setXRange(-0.5, len(self.bars) - 0.5, padding=0.02)
        self.chart.setYRange(0, float(max(value for _, value in self.bars)), padding=0.05)

    # --- exporting -----------------------------------------------------------------------------

    def _ask_export(self) -> None:
        if self.report is None:
            return
        name = f"godmode-earnings-{self.report.group}-{dt.date.today().isoformat()}.csv"
        path, _ = QFileDialog.getSaveFileName(
            self, tr("Export CSV"), str(Path.home() / name), tr("CSV files (*.csv)")
        )
        if path:
            self.export(Path(path))

    def export(self, path: Path) -> None:
        """The report as CSV: one row per model per period (see report_csv.py)."""
        if self.report is None:
            return
        try:
            write_csv(path, REPORT_HEADER, report_rows(self.report))
        except OSError as exc:
            self.status_label.setText(tr("The file could not be written: {0}").format(exc))
            return
        self.status_label.setText(tr("Saved to {0}").format(path))
