"""The God Mode window: totals, filters, the rooms grid, the selected room's chart, alerts and
the status bar.  It shows what it is given and says what the user wants through signals."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from decimal import Decimal
from functools import partial
from pathlib import Path

from PySide6.QtCore import (
    QByteArray,
    QEvent,
    QItemSelectionModel,
    QLocale,
    QModelIndex,
    QPoint,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import QAction, QCloseEvent, QFont, QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMenu,
    QMessageBox,
    QSplitter,
    QStyle,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from godmode_common.rooms import RoomKey
from godmode_desktop.alerts import Alert
from godmode_desktop.i18n import tr
from godmode_desktop.net.protocol import Account
from godmode_desktop.report_csv import write_csv

from .alert_banner import AlertBanner
from .alerts_panel import AlertsPanel
from .placement import place, text_size
from .room_chart import RoomChart, span_labels
from .rooms_columns import Column, Follows
from .rooms_delegate import RoomsDelegate
from .rooms_filter import RoomsFilter
from .rooms_format import UNKNOWN, money_text
from .rooms_model import KEY_ROLE, SORT_ROLE, RoomsModel, Totals
from .status_bar import StatusBar, state_names

#: Row densities: the space above and below a row's text, in pixels.  Compact fits 40 rooms
#: on a 1366×768 laptop at the system's usual text size.
DENSITIES = {"comfortable": 10, "compact": 1}
#: The chart is not shown beside the grid when it would get fewer average characters than
#: this (the grid keeps the width its columns need first).
CHART_MIN_COLUMNS = 40
#: A text column (room, platform) is this many average characters wide before rows arrive.
TEXT_COLUMN_CHARS = 12
#: The window's preferred size, in average characters and text lines (see placement.py).
WINDOW_COLUMNS, WINDOW_LINES = 210, 60


class MainWindow(QMainWindow):
    room_selected = Signal(object)  # RoomKey or None
    logout_requested = Signal()
    settings_requested = Signal()
    test_alert_requested = Signal()
    quit_requested = Signal()
    about_requested = Signal()
    reports_requested = Signal()
    password_requested = Signal()
    admin_requested = Signal()
    #: The window's close button: the app quits, or keeps running in the tray.
    close_requested = Signal()
    #: A room's alerts muted or not (RoomKey, bool); its goal set (RoomKey, tokens; 0: none).
    room_mute_changed = Signal(object, bool)
    room_goal_changed = Signal(object, int)
    #: The user changed the rows' density ("comfortable" or "compact") from the View menu.
    density_changed = Signal(str)
    #: The user showed or hid the chart from the View menu.
    chart_toggled = Signal(bool)
    #: The user chose money (True) or tokens in the grid, from the View menu.
    money_toggled = Signal(bool)
    #: The user asked for larger (+1), smaller (-1) or the default (0) text size.
    text_size_requested = Signal(int)

    def __init__(
        self,
        model: RoomsModel,
        platforms: list[str],
        parent: QWidget | None = None,
        *,
        clock: Callable[[], float] = time.time,
    ):
        """``clock``: the server's time, which the status bar ages the newest sample on."""
        super().__init__(parent)
        self.model = model
        self._unread = 0
        self.proxy = RoomsFilter(self)
        self.proxy.setSourceModel(model)
        self._selected: RoomKey | None = None
        self.density = "comfortable"

        self.totals_label = QLabel()
        self.totals_label.setObjectName("totals")
        self.totals_label.setContentsMargins(4, 4, 4, 4)
        self._scale_totals()
        self.filter_edit = QLineEdit()
        self.filter_edit.setPlaceholderText(tr("Filter rooms…"))
        self.filter_edit.setClearButtonEnabled(True)
        self.filter_edit.setMinimumWidth(
            self.filter_edit.fontMetrics().horizontalAdvance(self.filter_edit.placeholderText())
            + 2 * self.filter_edit.fontMetrics().averageCharWidth()
            + self.filter_edit.sizeHint().height()  # the clear button
        )
        self.filter_edit.setAccessibleName(tr("Filter rooms"))
        self.filter_edit.textChanged.connect(self.proxy.set_text)
        # Type to find a room, Enter (or Down) to go to it: the keyboard's way to a room.
        self.filter_edit.returnPressed.connect(self.focus_rooms)
        QShortcut(
            QKeySequence(Qt.Key.Key_Down),
            self.filter_edit,
            self.focus_rooms,
            context=Qt.ShortcutContext.WidgetShortcut,
        )
        self.platform_box = QComboBox()
        self.platform_box.setAccessibleName(tr("Platform"))
        self.platform_box.addItem(tr("All platforms"), "")
        for platform in platforms:
            self.platform_box.addItem(platform.capitalize(), platform)
        self.platform_box.currentIndexChanged.connect(
            lambda _: self.proxy.set_platform(self.platform_box.currentData())
        )

        self.table = QTableView()
        self.table.setAccessibleName(tr("Rooms"))
        self.table.setModel(self.proxy)
        self.table.setItemDelegate(RoomsDelegate(self.table))
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(Column.SHIFT, Qt.SortOrder.DescendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.setAlternatingRowColors(True)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setDefaultSectionSize(
            self.fontMetrics().averageCharWidth() * TEXT_COLUMN_CHARS
        )
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.horizontalHeader().setSectionsMovable(True)
        for column, spec in enumerate(model.columns.specs):
            self.table.horizontalHeader().setSectionHidden(column, spec.hidden)
        # The header's own menu: which columns the grid shows.
        self.table.horizontalHeader().setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.horizontalHeader().customContextMenuRequested.connect(self._column_menu)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.customContextMenuRequested.connect(self._room_menu)
        #: What the room menu shows as set (the app keeps them in step with the settings).
        self.goals: dict[RoomKey, int] = {}
        self.alerts_panel: AlertsPanel | None = None
        # A selected room that a filter hid comes back selected when it shows again.
        self.proxy.rowsInserted.connect(self._restore_selection)
        self.proxy.layoutChanged.connect(self._restore_selection)

        self.chart = RoomChart()
        self.banner = AlertBanner()
        self.banner.clicked.connect(lambda alert: self.bring_up(alert.key))
        self.status = StatusBar(self, clock)
        self.setStatusBar(self.status)
        self.status.state_shown.connect(self._show_title)
        for signal in (model.rowsInserted, model.rowsRemoved, model.modelReset):
            signal.connect(self._show_title)
        self._show_title()

        filters = self._filters = QHBoxLayout()
        filters.addWidget(self.filter_edit, 1)
        filters.addWidget(self.platform_box)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addLayout(filters)
        left_layout.addWidget(self.table)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(left)
        self.splitter.addWidget(self.chart)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        #: Whether the splitter's sizes were set (restored or shared out on the first show).
        self._split = False
        central = QWidget()
        layout = self._layout = QVBoxLayout(central)
        layout.addWidget(self.banner)
        layout.addWidget(self.totals_label)
        layout.addWidget(self.splitter, 1)
        self.setCentralWidget(central)

        self.mute_action = QAction(tr("Mute alerts"), self)
        self.mute_action.setCheckable(True)
        self.compact_action = QAction(tr("&Compact rows"), self)
        self.compact_action.setCheckable(True)
        self.compact_action.setShortcut(QKeySequence("Ctrl+Shift+D"))
        self.compact_action.triggered.connect(
            lambda on: self._density_chosen("compact" if on else "comfortable")
        )
        self.chart_action = QAction(tr("Show the c&hart"), self)
        self.chart_action.setCheckable(True)
        self.chart_action.setChecked(True)
        self.chart_action.setShortcut(QKeySequence("Ctrl+Shift+H"))
        self.chart_action.triggered.connect(self._chart_chosen)
        self.money_action = QAction(tr("Show &money"), self)
        self.money_action.setCheckable(True)
        self.money_action.setShortcut(QKeySequence("Ctrl+Shift+M"))
        self.money_action.setToolTip(
            tr("This shift, Today and the totals in US dollars at the studio's payout rates")
        )
        self.money_action.toggled.connect(self._money_chosen)
        self._build_menus()
        model.totals_changed.connect(self._refresh_totals)
        self.filter_edit.textChanged.connect(self._refresh_totals)
        self.platform_box.currentIndexChanged.connect(self._refresh_totals)
        model.rowsInserted.connect(self._first_rows)
        self._refresh_totals()
        self.set_density("comfortable")
        self.fit_columns()
        place(self, text_size(self, WINDOW_COLUMNS, WINDOW_LINES))

    def _build_menus(self) -> None:
        # Explicit key sequences: Qt's standard keys for Preferences and Quit are unbound on
        # Windows.  ("Ctrl" is the Command key on macOS.)
        app_menu = self.menuBar().addMenu(tr("&God Mode"))
        settings = app_menu.addAction(tr("&Settings…"), self.settings_requested.emit)
        settings.setShortcut(QKeySequence("Ctrl+,"))
        settings.setMenuRole(QAction.MenuRole.PreferencesRole)
        app_menu.addAction(tr("&Export grid as CSV…"), self._ask_export_grid)
        app_menu.addAction(tr("&Log out"), self.logout_requested.emit)
        app_menu.addSeparator()
        quit_action = app_menu.addAction(tr("&Quit"), self.quit_requested.emit)
        quit_action.setShortcut(QKeySequence("Ctrl+Q"))
        quit_action.setMenuRole(QAction.MenuRole.QuitRole)
        account_menu = self.menuBar().addMenu(tr("A&ccount"))
        account_menu.addAction(tr("Change &password…"), self.password_requested.emit)
        self.admin_action = account_menu.addAction(
            tr("&Administration…"), self.admin_requested.emit
        )
        self.admin_action.setVisible(False)  # for admins (show_account)
        view_menu = self.menuBar().addMenu(tr("&View"))
        self.find_action = view_menu.addAction(tr("&Filter rooms"), self.focus_filter)
        self.find_action.setShortcut(QKeySequence("Ctrl+F"))
        self.clear_filter_action = view_menu.addAction(tr("&Clear filter"), self.clear_filter)
        self.clear_filter_action.setShortcut(QKeySequence("Esc"))
        view_menu.addSeparator()
        view_menu.addAction(self.money_action)
        self.columns_menu = view_menu.addMenu(tr("C&olumns"))
        self.columns_menu.aboutToShow.connect(lambda: self._fill_column_menu(self.columns_menu))
        view_menu.addAction(self.compact_action)
        view_menu.addAction(self.chart_action)
        text_menu = view_menu.addMenu(tr("&Text size"))
        for label, step, keys in (
            (tr("&Larger"), 1, "Ctrl++"),
            (tr("&Smaller"), -1, "Ctrl+-"),
            (tr("&Default"), 0, "Ctrl+0"),
        ):
            action = text_menu.addAction(label, partial(self.text_size_requested.emit, step))
            action.setShortcut(QKeySequence(keys))
        view_menu.addSeparator()
        self.reports_action = view_menu.addAction(tr("&Reports…"), self.reports_requested.emit)
        self.reports_action.setShortcut(QKeySequence("Ctrl+R"))
        alerts_menu = self.alerts_menu = self.menuBar().addMenu(tr("&Alerts"))
        self.mute_action.setShortcut(QKeySequence("Ctrl+M"))
        alerts_menu.addAction(self.mute_action)
        alerts_menu.addAction(tr("Send &test alert"), self.test_alert_requested.emit)
        connection = self.menuBar().addMenu(tr("&Connection"))
        reconnect = connection.addAction(tr("&Reconnect now"), self.status.reconnect_requested.emit)
        reconnect.setShortcut(QKeySequence("F5"))
        help_menu = self.menuBar().addMenu(tr("&Help"))
        about = help_menu.addAction(tr("&About God Mode"), self.about_requested.emit)
        about.setMenuRole(QAction.MenuRole.AboutRole)

    def grid_rows(self) -> tuple[list[str], list[list[object]]]:
        """The grid as shown (its columns in their order, its rows filtered and sorted), with
        numbers as numbers and the last update as an ISO time: for a spreadsheet."""
        header = self.table.horizontalHeader()
        columns = [
            header.logicalIndex(visual)
            for visual in range(header.count())
            if not header.isSectionHidden(header.logicalIndex(visual))
        ]
        names = [str(self.proxy.headerData(c, Qt.Orientation.Horizontal)) for c in columns]
        rows: list[list[object]] = []
        for row in range(self.proxy.rowCount()):
            values: list[object] = []
            for column in columns:
                index = self.proxy.index(row, column)
                spec = self.model.columns.specs[column]
                raw = index.data(SORT_ROLE)
                if spec.follows is Follows.CLOCK:
                    values.append(dt.datetime.fromtimestamp(float(raw)).astimezone().isoformat())
                elif isinstance(raw, Decimal):
                    values.append(str(raw))  # dollars, exactly
                elif spec.numeric:
                    values.append("" if raw is None or raw == -1 else round(float(raw)))
                else:
                    values.append(raw)
            rows.append(values)
        return names, rows

    def export_grid(self, path: Path) -> str | None:
        """Write :meth:`grid_rows` as CSV (report_csv.py); the error, if it could not be."""
        try:
            write_csv(path, *self.grid_rows())
        except OSError as exc:
            return str(exc)
        return None

    def _ask_export_grid(self) -> None:
        name = f"godmode-grid-{dt.datetime.now():%Y-%m-%d-%H%M}.csv"
        path, _ = QFileDialog.getSaveFileName(
            self, tr("Export grid as CSV"), str(Path.home() / name), tr("CSV files (*.csv)")
        )
        if path:
            error = self.export_grid(Path(path))
            if error is not None:
                QMessageBox.warning(
                    self,
                    tr("Export grid as CSV"),
                    tr("The file could not be written: {0}").format(error),
                )

    def show_account(self, account: Account) -> None:
        """What the logged-in user may do: the Reports window only when they are open to them
        (a monitor's role says which rooms the grid holds; the server sends only those)."""
        self.reports_action.setEnabled(account.reports)
        self.admin_action.setVisible(account.role == "admin")
        self.reports_action.setToolTip(
            "" if account.reports else tr("Reports are not open to your account")
        )

    def focus_filter(self) -> None:
        self.filter_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.filter_edit.selectAll()

    def clear_filter(self) -> None:
        self.filter_edit.clear()

    def focus_rooms(self) -> None:
        """The grid takes the keyboard, its first room selected unless one shown already is."""
        self.table.setFocus(Qt.FocusReason.ShortcutFocusReason)
        if not self.table.selectionModel().hasSelection() and self.proxy.rowCount():
            first = self.proxy.index(0, 0)
            self.table.setCurrentIndex(first)
            self.select_room(first.data(KEY_ROLE))

    # --- showing -------------------------------------------------------------------------------

    def _refresh_totals(self, *_: object) -> None:
        """The totals of the rooms shown: every room, or those the filter lets through."""
        filtered = self.proxy.active
        self.show_totals(self.model.totals(self.proxy.accepts if filtered else None), filtered)

    def show_totals(self, totals: Totals, filtered: bool = False) -> None:
        locale = QLocale()
        text = (
            tr("Shown: shift %1 · today %2 · viewers %3 · live %4")
            if filtered
            else tr("Shift %1 · Today %2 · Viewers %3 · Live %4")
        )
        if self.model.money:
            shift, day = (
                UNKNOWN if amount is None else money_text(amount, locale)
                for amount in (totals.shift_usd, totals.day_usd)
            )
        else:
            shift, day = locale.toString(totals.shift_tokens), locale.toString(totals.day_tokens)
        self.totals_label.setText(
            text.replace("%1", shift)
            .replace("%2", day)
            .replace("%3", locale.toString(totals.viewers))
            .replace("%4", locale.toString(totals.live))
        )

    def show_alert_in_window(self, alert: Alert, duration_ms: int) -> None:
        self.banner.show_alert(alert, duration_ms)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.FontChange:
            # The text size changed (the system's, or the app's setting): what is measured in
            # text follows.
            self._scale_totals()
            self.set_density(self.density)
            self.fit_columns()
        super().changeEvent(event)

    # --- the view kept across restarts ---------------------------------------------------------

    def view_state(self) -> dict[str, object]:
        """What the user set up to look at (besides the columns and the splitter, which Qt
        saves): the selected room, the filters, the chart's range."""
        key = self.selected_room
        return {
            "selected": f"{key[0]}@{key[1]}" if key is not None else "",
            "filter": self.filter_edit.text(),
            "platform": str(self.platform_box.currentData() or ""),
            "chart_span": self.chart.span,
            "chart_fixed": list(self.chart.fixed) if self.chart.fixed else None,
        }

    def restore_view(self, state: dict[str, object]) -> None:
        """The view as :meth:`view_state` left it; what no longer makes sense is skipped."""
        text = state.get("filter")
        if isinstance(text, str):
            self.filter_edit.setText(text[:200])
        platform = self.platform_box.findData(state.get("platform") or "")
        self.platform_box.setCurrentIndex(max(0, platform))
        span, fixed = state.get("chart_span"), state.get("chart_fixed")
        if isinstance(fixed, list) and len(fixed) == 2 and all(isinstance(t, int) for t in fixed):
            self.chart.set_fixed(min(fixed), max(fixed))
        elif isinstance(span, int) and span in span_labels():
            self.chart.set_span(span)
        selected = state.get("selected")
        if isinstance(selected, str) and "@" in selected:
            room, _, platform_name = selected.rpartition("@")
            self.select_room(RoomKey(room, platform_name))  # once its row arrives
        header = self.table.horizontalHeader()
        self.table.sortByColumn(header.sortIndicatorSection(), header.sortIndicatorOrder())

    # --- layout: density, columns, the chart ---------------------------------------------------

    def _money_chosen(self, on: bool) -> None:
        self.model.set_money(on)
        self._refresh_totals()
        self.fit_columns()  # "$12,345.00" is wider than "12,345"
        self.money_toggled.emit(on)

    def set_money(self, on: bool) -> None:
        """Tokens or dollars in the shift and day columns and the totals (the saved choice)."""
        self.money_action.setChecked(on)  # (toggled: _money_chosen, when it changes)

    def _fill_column_menu(self, menu: QMenu) -> None:
        """One checkable entry per column; the room's name cannot be hidden."""
        menu.clear()
        header = self.table.horizontalHeader()
        for column, spec in enumerate(self.model.columns.specs):
            action = menu.addAction(str(self.proxy.headerData(column, Qt.Orientation.Horizontal)))
            action.setCheckable(True)
            action.setChecked(not header.isSectionHidden(column))
            action.setEnabled(spec.field != "room_id")
            if spec.tooltip is not None:
                action.setToolTip(spec.tooltip())
            action.toggled.connect(partial(self.show_column, column))
        menu.setToolTipsVisible(True)

    def _column_menu(self, position: QPoint) -> None:
        menu = QMenu(self)
        self._fill_column_menu(menu)
        menu.exec(self.table.horizontalHeader().mapToGlobal(position))

    def show_column(self, column: int, shown: bool) -> None:
        """Show or hide one of the grid's columns (kept with the header's state)."""
        self.table.horizontalHeader().setSectionHidden(column, not shown)
        if shown:
            self.fit_columns()

    def set_density(self, density: str) -> None:
        """Rows as tall as the text and ``DENSITIES[density]`` pixels of space; compact also
        puts the totals on the filters' line, in the window's font, and narrows the margins,
        for every pixel of height to go to rooms."""
        self.density = density if density in DENSITIES else "comfortable"
        compact = self.density == "compact"
        self.compact_action.setChecked(compact)
        rows = self.table.verticalHeader()
        height = self.table.fontMetrics().height() + DENSITIES[self.density]
        rows.setMinimumSectionSize(height)
        rows.setDefaultSectionSize(height)
        if compact and self._filters.indexOf(self.totals_label) < 0:
            self._layout.removeWidget(self.totals_label)
            self._filters.insertWidget(0, self.totals_label)
        elif not compact and self._layout.indexOf(self.totals_label) < 0:
            self._filters.removeWidget(self.totals_label)
            self._layout.insertWidget(self._layout.indexOf(self.banner) + 1, self.totals_label)
        margin = 2 if compact else self.style().pixelMetric(QStyle.PixelMetric.PM_LayoutLeftMargin)
        self._layout.setContentsMargins(margin, margin, margin, margin)
        self.totals_label.setContentsMargins(*(((0, 0, 8, 0)) if compact else (4, 4, 4, 4)))
        self._scale_totals()

    def _density_chosen(self, density: str) -> None:
        self.set_density(density)
        self.density_changed.emit(self.density)

    def fit_columns(self) -> None:
        """Widen every column that is narrower than its header or the rows on screen (never
        narrow one: a width the user chose stays)."""
        header = self.table.horizontalHeader()
        widened = False
        for column in range(header.count()):
            need = max(
                header.sectionSizeFromContents(column).width(),
                self.table.sizeHintForColumn(column) if self.proxy.rowCount() else 0,
                self._typical_width(column),
            )
            if header.sectionSize(column) < need:
                header.resizeSection(column, need)
                widened = True
        if widened and self._split and self.chart.isVisible():
            self.share_width()  # the wider grid first, the chart what is left

    def _typical_width(self, column: int) -> int:
        """Room for a typical value of ``column`` before any row is there."""
        spec = self.model.columns.specs[column]
        metrics = self.table.fontMetrics()
        margin = 2 * metrics.averageCharWidth()
        if spec.numeric:
            return metrics.horizontalAdvance(QLocale().toString(8_888_888)) + margin
        if spec.follows is Follows.CLOCK:
            return metrics.horizontalAdvance(tr("%1 min ago").replace("%1", "88")) + margin
        return metrics.averageCharWidth() * TEXT_COLUMN_CHARS + margin

    def grid_width(self) -> int:
        """The width the grid needs to show every column without scrolling sideways."""
        header = self.table.horizontalHeader()
        columns = sum(
            header.sectionSize(c) for c in range(header.count()) if not header.isSectionHidden(c)
        )
        frame = 2 * self.table.frameWidth()
        return columns + frame + self.table.verticalScrollBar().sizeHint().width()

    def _first_rows(self, _parent: QModelIndex, first: int, last: int) -> None:
        """The grid filled (a login, a snapshot): its columns fit what it shows."""
        if first == 0 and self.model.rowCount() == last + 1:
            self.fit_columns()

    def set_chart_visible(self, visible: bool) -> None:
        self.chart_action.setChecked(visible)
        self.chart.setVisible(visible)

    def _chart_chosen(self, visible: bool) -> None:
        self.set_chart_visible(visible)
        if visible:
            self.share_width()
        self.chart_toggled.emit(visible)

    def restore_split(self, state: object) -> bool:
        """The splitter as the user left it (a ``saveState()``); False when there is none."""
        if isinstance(state, QByteArray) and self.splitter.restoreState(state):
            self._split = True
        return self._split

    def share_width(self) -> None:
        """The grid gets the width its columns need, the chart the rest; a chart that would
        be too narrow to read is not shown (View → Show the chart brings it back)."""
        total = self.splitter.width() or self.width()
        grid = min(total, self.grid_width())
        chart = total - grid - self.splitter.handleWidth()
        if chart < self.fontMetrics().averageCharWidth() * CHART_MIN_COLUMNS:
            self.chart_action.setChecked(False)
            self.chart.hide()
            return
        self.splitter.setSizes([grid, chart])

    def showEvent(self, event: QShowEvent) -> None:
        if not self._split and self.chart.isVisibleTo(self):
            self._split = True
            self._layout.activate()  # the splitter's width, before it is first shown
            self.share_width()
        super().showEvent(event)

    def sizeHint(self) -> QSize:
        return text_size(self, WINDOW_COLUMNS, WINDOW_LINES)

    def _scale_totals(self) -> None:
        """The totals a quarter larger than the window's font, whatever size that is (the
        window's own size when the rows are compact)."""
        font = QFont(self.font())
        if self.density != "compact":
            font.setPointSizeF(font.pointSizeF() * 1.25)
        font.setBold(True)
        self.totals_label.setFont(font)

    # --- alerts: the panel, the unread count, a room's mute and goal -----------------------------

    def add_alerts_panel(self, panel: AlertsPanel) -> None:
        self.alerts_panel = panel
        self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, panel)
        toggle = panel.toggleViewAction()
        toggle.setText(tr("Alerts &panel"))
        toggle.setShortcut(QKeySequence("Ctrl+L"))
        self.alerts_menu.addAction(toggle)
        panel.room_activated.connect(self.bring_up)

    @property
    def muted_rooms(self) -> frozenset[RoomKey]:
        """Rooms whose alerts are muted: checked in their menu, marked in the grid."""
        return self.model.muted

    @muted_rooms.setter
    def muted_rooms(self, rooms: frozenset[RoomKey]) -> None:
        self.model.set_muted(frozenset(rooms))
        self.fit_columns()  # a room's name says "muted" now

    def show_unread(self, unread: int) -> None:
        """The count of alerts not seen yet, in the title (the taskbar shows it)."""
        self._unread = unread
        self._show_title()

    def _show_title(self, *_: object) -> None:
        """What the taskbar shows of the window: the unread alerts first (a taskbar cuts the
        end), then the feed's state, how many rooms, and the room selected."""
        parts = [
            tr("God Mode (unread alerts: %1)").replace("%1", str(self._unread))
            if self._unread
            else "God Mode",
            state_names()[self.status.state],
        ]
        if rooms := self.model.rowCount():
            parts.append(tr("rooms: %1").replace("%1", QLocale().toString(rooms)))
        if (key := self._selected) is not None:
            parts.append(f"{key[0]} ({key[1]})")
        title = " — ".join(parts)
        if title != self.windowTitle():
            self.setWindowTitle(title)

    def room_menu(self, key: RoomKey) -> QMenu:
        """The grid's menu for a room: mute its alerts, set its goal."""
        menu = QMenu(self)
        mute = menu.addAction(tr("&Mute this room's alerts"))
        mute.setCheckable(True)
        mute.setChecked(key in self.muted_rooms)
        mute.toggled.connect(lambda on: self.room_mute_changed.emit(key, on))
        goal = self.goals.get(key, 0)
        label = tr("Set &goal…") if not goal else tr("&Goal: %1 tokens…").replace("%1", str(goal))
        menu.addAction(label, lambda: self._ask_goal(key))
        return menu

    def _room_menu(self, position: QPoint) -> None:
        key = self.table.indexAt(position).data(KEY_ROLE)
        if key is not None:
            self.room_menu(key).popup(self.table.viewport().mapToGlobal(position))

    def _ask_goal(self, key: RoomKey) -> None:
        tokens, ok = QInputDialog.getInt(
            self,
            tr("Goal"),
            tr("Tokens %1 should earn in a broadcast (0: no goal):").replace("%1", key[0]),
            self.goals.get(key, 0),
            0,
            100_000_000,
        )
        if ok:
            self.room_goal_changed.emit(key, tokens)

    def bring_up(self, key: RoomKey | None = None) -> None:
        """Show and raise the window, with ``key``'s room selected (an alert was clicked)."""
        self.showNormal()
        self.raise_()
        self.activateWindow()
        if key is not None:
            self.select_room(key)

    def forget_session(self) -> None:
        """What the window shows of a session that ended goes with it: the selected room and
        its chart, the filter typed (a room's name, and the next user's grid would show
        nothing), an alert on screen, the unread count (the grid empties with its model)."""
        self._selected = None
        self.filter_edit.clear()
        self.table.clearSelection()
        self.chart.show_room(None)
        self.banner.dismiss()
        self.show_unread(0)
        self.status.forget_data()

    # --- selection -----------------------------------------------------------------------------

    @property
    def selected_room(self) -> RoomKey | None:
        return self._selected

    def select_room(self, key: RoomKey) -> bool:
        """Select a room's row; ``False`` when it is not on screen (unknown or filtered out)."""
        self._selected = key
        row = self.model.row_of(key)
        if row is None:
            return False
        index = self.proxy.mapFromSource(self.model.index(row, 0))
        if not index.isValid():
            return False
        self.table.selectionModel().select(
            index,
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )
        self.table.scrollTo(index)
        return True

    def _selection_changed(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        if rows:
            key = rows[0].data(KEY_ROLE)
            if key != self._selected or self.chart.key != key:
                self._selected = key
                self.chart.show_room(key)
                self._show_title()
                self.room_selected.emit(key)

    def _restore_selection(self, *_: QModelIndex | int) -> None:
        if self._selected is not None and not self.table.selectionModel().hasSelection():
            self.select_room(self._selected)

    # --- closing -------------------------------------------------------------------------------

    def closeEvent(self, event: QCloseEvent) -> None:
        # The app decides (hide to the tray, or quit); either way it hides the window itself.
        event.ignore()
        self.close_requested.emit()
