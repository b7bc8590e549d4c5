"""The alerts panel: every alert of the session (time, room, kind, details), newest first,
filtered by kind and room; activating one selects its room.  A dock of the main window."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QSize, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDockWidget,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from godmode_desktop.alerts import AlertKind
from godmode_desktop.i18n import tr

from .alerts_model import ENTRY_ROLE, AlertsFilter, AlertsModel
from .placement import text_size


#: The kind filter's entries: (label, kinds shown; None for all).
def _kind_choices() -> list[tuple[str, set[AlertKind] | None]]:
    return [
        (tr("All alerts"), None),
        (tr("Tips"), {AlertKind.TIP, AlertKind.TIPS}),
        (tr("Off line / back"), {AlertKind.OFFLINE, AlertKind.ONLINE}),
        (tr("Audience drops"), {AlertKind.AUDIENCE_DROP}),
        (tr("Goals"), {AlertKind.GOAL}),
        (tr("Collectors"), {AlertKind.COLLECTOR_SILENT, AlertKind.COLLECTOR_BACK}),
    ]


class AlertsPanel(QDockWidget):
    room_activated = Signal(object)  # RoomKey

    def __init__(self, model: AlertsModel, parent: QWidget | None = None) -> None:
        super().__init__(tr("Alerts"), parent)
        self.setObjectName("alertsPanel")
        self.model = model
        self.proxy = AlertsFilter(self)
        self.proxy.setSourceModel(model)
        self.kind_box = QComboBox()
        self.kind_box.setAccessibleName(tr("Show alerts of kind"))
        self._choices = _kind_choices()
        for label, _ in self._choices:
            self.kind_box.addItem(label)
        self.kind_box.currentIndexChanged.connect(
            lambda i: self.proxy.set_kinds(self._choices[i][1] if i >= 0 else None)
        )
        self.room_edit = QLineEdit()
        self.room_edit.setPlaceholderText(tr("Filter by room…"))
        self.room_edit.setAccessibleName(tr("Filter alerts by room"))
        self.room_edit.setClearButtonEnabled(True)
        self.room_edit.textChanged.connect(self.proxy.set_text)
        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setAccessibleName(tr("Alerts of this session"))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.setWordWrap(False)  # "Big tip" on one line: the column is as wide as it
        self.table.activated.connect(self._activated)
        filters = QHBoxLayout()
        filters.addWidget(self.kind_box)
        filters.addWidget(self.room_edit, 1)
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        self.setWidget(body)

    def sizeHint(self) -> QSize:
        """A few alerts' height below the grid, which keeps most of the window."""
        return text_size(self, 100, 10)

    def rows(self) -> list[list[str]]:
        """What the table shows, as text (for tests and a quick look)."""
        return [
            [str(self.proxy.index(r, c).data()) for c in range(self.proxy.columnCount())]
            for r in range(self.proxy.rowCount())
        ]

    def _activated(self, index: QModelIndex) -> None:
        entry = index.data(ENTRY_ROLE)
        if entry is not None and not entry.alert.test:
            self.room_activated.emit(entry.alert.key)
