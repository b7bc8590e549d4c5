"""The rooms grid's filter: by text (room id) and platform."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QSortFilterProxyModel, Qt

from godmode_common.rooms import RoomKey

from .rooms_columns import Column
from .rooms_model import RoomsModel

Index = QModelIndex | QPersistentModelIndex


class RoomsFilter(QSortFilterProxyModel):
    """Filtering by text (room id) and platform; sorting is passed to :class:`RoomsModel`,
    which sorts in one Python ``sorted`` instead of thousands of ``data()`` calls."""

    def __init__(self, parent: object = None) -> None:
        super().__init__(parent)  # type: ignore[arg-type]
        self.setDynamicSortFilter(False)
        self.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.setFilterKeyColumn(Column.ROOM)
        self._platform = ""
        self._text = ""

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        model = self.sourceModel()
        if isinstance(model, RoomsModel):
            model.sort(column, order)
        else:
            super().sort(column, order)

    @property
    def platform(self) -> str:
        return self._platform

    def set_platform(self, platform: str) -> None:
        """Show one platform only; ``""`` shows all."""
        self.beginFilterChange()
        self._platform = platform
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def set_text(self, text: str) -> None:
        self._text = text.casefold()
        self.setFilterFixedString(text)

    @property
    def active(self) -> bool:
        """Whether some rooms are filtered out."""
        return bool(self._text or self._platform)

    def accepts(self, key: RoomKey) -> bool:
        """Whether the room is shown: the same test as the rows', on the key alone (the
        totals sum what is shown without going through the view)."""
        if self._platform and key.platform != self._platform:
            return False
        return self._text in key.room_id.casefold()

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:
        if self._platform:
            model = self.sourceModel()
            platform = model.index(source_row, Column.PLATFORM, source_parent).data()
            if platform != self._platform:
                return False
        return super().filterAcceptsRow(source_row, source_parent)
