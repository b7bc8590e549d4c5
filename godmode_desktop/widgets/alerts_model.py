"""The alerts panel's table: the session's alerts (newest first) over an AlertLog, and a filter
by kind and room text."""

from __future__ import annotations

import time
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)

from godmode_desktop.alert_log import AlertLog, LoggedAlert
from godmode_desktop.alerts import AlertKind
from godmode_desktop.i18n import tr

from .alert_banner import alert_text, alert_title

Index = QModelIndex | QPersistentModelIndex
#: The entry of a row (for the panel: click → its room).
ENTRY_ROLE = Qt.ItemDataRole.UserRole + 1


class AlertsModel(QAbstractTableModel):
    def __init__(self, log: AlertLog, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.log = log
        self._headers = [tr("Time"), tr("Room"), tr("Alert"), tr("Details")]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.log)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._headers)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if orientation is Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self._headers[section]
        return None

    def entry(self, row: int) -> LoggedAlert:
        return self.log.entries[len(self.log) - 1 - row]  # newest first

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        entry = self.entry(index.row())
        if role == ENTRY_ROLE:
            return entry
        if role == Qt.ItemDataRole.DisplayRole:
            alert = entry.alert
            return [
                time.strftime("%H:%M:%S", time.localtime(entry.at)),
                f"{alert.room_id} ({alert.platform})",
                alert_title(alert) + (tr(" (muted)") if entry.silenced else ""),
                alert_text(alert),
            ][index.column()]
        return None

    def clear(self) -> None:
        """No alerts any more (a session ended: its alerts go with it)."""
        self.beginResetModel()
        self.log.clear()
        self.endResetModel()

    def add(self, entry: LoggedAlert) -> None:
        """A new alert at the top (the oldest forgotten past the log's bound)."""
        if len(self.log) == self.log.entries.maxlen:
            last = len(self.log) - 1
            self.beginRemoveRows(QModelIndex(), last, last)
            self.log.entries.popleft()
            self.endRemoveRows()
        self.beginInsertRows(QModelIndex(), 0, 0)
        self.log.add(entry)
        self.endInsertRows()


class AlertsFilter(QSortFilterProxyModel):
    """Rows of one kind (``None``: all) whose room contains the text."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._kinds: set[AlertKind] | None = None
        self._text = ""

    def set_kinds(self, kinds: set[AlertKind] | None) -> None:
        self.beginFilterChange()
        self._kinds = kinds
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def set_text(self, text: str) -> None:
        self.beginFilterChange()
        self._text = text.strip().lower()
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:
        model = self.sourceModel()
        assert isinstance(model, AlertsModel)
        alert = model.entry(source_row).alert
        if self._kinds is not None and alert.kind not in self._kinds:
            return False
        return not self._text or self._text in f"{alert.room_id} {alert.platform}".lower()
