"""The rooms grid's model: one row per room of the board, repainted at most once per frame.

The controller applies feed events to the :class:`~godmode_desktop.board.RoomBoard` and hands the
resulting changes to :meth:`RoomsModel.apply`.  Nothing is emitted there: changes are collected
and a frame timer turns them, and the flashes still fading, into at most one ``dataChanged`` per
frame, so a burst of thousands of updates costs one repaint.
"""

from __future__ import annotations

import enum
import time
from collections.abc import Callable

from PySide6.QtCore import (
    QAbstractTableModel,
    QLocale,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QFont

from godmode_desktop.board import RoomBoard, RoomChange, RoomKey
from godmode_desktop.i18n import tr

from .flash import FlashTracker
from .style import BUSY_FRAME_MS, BUSY_ROWS, FRAME_MS, RESORT_MS, STALE_TEXT, TOTALS_MS

#: Raw values for sorting (numbers as numbers, missing as -1).
SORT_ROLE = Qt.ItemDataRole.UserRole + 1
#: The row's room key ``(room_id, platform)``.
KEY_ROLE = Qt.ItemDataRole.UserRole + 2
#: All the grid's delegate paints a cell from: ``(text, flash colour or None, stale)``.
CELL_ROLE = Qt.ItemDataRole.UserRole + 3

Index = QModelIndex | QPersistentModelIndex


class Column(enum.IntEnum):
    ROOM = 0
    PLATFORM = 1
    TOKENS = 2
    TIPS = 3
    VIEWERS = 4
    TOKENS_PER_HOUR = 5
    UPDATED = 6


def column_titles() -> dict[Column, str]:
    return {
        Column.ROOM: tr("Room"),
        Column.PLATFORM: tr("Platform"),
        Column.TOKENS: tr("Tokens"),
        Column.TIPS: tr("Tips"),
        Column.VIEWERS: tr("Viewers"),
        Column.TOKENS_PER_HOUR: tr("Tokens/hour"),
        Column.UPDATED: tr("Last update"),
    }


NUMERIC = (Column.TOKENS, Column.TIPS, Column.VIEWERS, Column.TOKENS_PER_HOUR)


def format_age(seconds: float) -> str:
    seconds = max(0, int(seconds))
    if seconds < 60:
        return tr("%1 s ago").replace("%1", str(seconds))
    if seconds < 3600:
        return tr("%1 min ago").replace("%1", str(seconds // 60))
    return tr("%1 h ago").replace("%1", str(seconds // 3600))


class RoomsModel(QAbstractTableModel):
    #: Emitted once per frame in which rooms changed: tokens, tips, viewers, rooms live.
    totals_changed = Signal(int, int, int, int)

    def __init__(
        self,
        board: RoomBoard,
        *,
        stale_after: float = 300.0,
        clock: Callable[[], float] = time.time,
        flash_clock: Callable[[], float] = time.monotonic,
        parent: object = None,
    ) -> None:
        super().__init__(parent)  # type: ignore[arg-type]
        self.board = board
        self.stale_after = stale_after
        self._clock = clock
        self.flashes = FlashTracker(flash_clock)
        self._keys: list[RoomKey] = []
        self._rows: dict[RoomKey, int] = {}
        self._pending: list[RoomChange] = []
        self._repaint: set[RoomKey] = set()
        self._stale: set[RoomKey] = set()
        #: Rooms whose "last update" may say more than "0 s ago" (as of the last second): the
        #: only ones whose age cell an update changes.
        self._aged: set[RoomKey] = set()
        self._locale = QLocale()
        self._stale_font = QFont()
        self._stale_font.setItalic(True)

        self._sort: tuple[Column, Qt.SortOrder] | None = None
        self._resort = QTimer(self)
        self._resort.setSingleShot(True)
        self._resort.setInterval(RESORT_MS)
        self._resort.timeout.connect(self._sort_rows)

        self._totals = QTimer(self)
        self._totals.setSingleShot(True)
        self._totals.setInterval(TOTALS_MS)
        self._totals.timeout.connect(lambda: self.totals_changed.emit(*self.totals()))

        self._frame = QTimer(self)
        self._frame.setInterval(FRAME_MS)
        self._frame.timeout.connect(self.tick)
        # Ages ("12 s ago") and staleness move with the clock, not with events.
        self._second = QTimer(self)
        self._second.setInterval(1000)
        self._second.timeout.connect(self.refresh_clock)
        self._second.start()

    # --- feeding -------------------------------------------------------------------------------

    def apply(self, changes: list[RoomChange]) -> None:
        """Take changes the board has made; they are shown at the next frame."""
        if not changes:
            return
        self._pending.extend(changes)
        for change in changes:
            for column, delta in (
                (Column.TOKENS, change.tokens_delta),
                (Column.TIPS, change.tips_delta),
                (Column.VIEWERS, change.viewers_delta),
            ):
                if delta and not change.added:
                    self.flashes.start(change.key, column, delta > 0)
        if not self._frame.isActive():
            self._frame.start()

    def tick(self) -> None:
        """One frame: apply structural changes, then one ``dataChanged`` for every row to
        repaint (changed, flashing, or whose flash just ended)."""
        pending, self._pending = self._pending, []
        added = [c.key for c in pending if c.added and c.key not in self._rows]
        removed = {c.key for c in pending if c.removed and c.key in self._rows}
        self._remove_rows(removed)
        new_keys = [k for k in dict.fromkeys(added) if self.board.get(*k) is not None]
        self._append_rows(new_keys)
        if new_keys:
            self._sort_rows()  # new rooms take their place at once, not at the next re-sort
        lit = self.flashes.lit_rows()
        changed = {c.key for c in pending} & self._rows.keys()
        # Rows only fading (lit now, or whose flash just ended) change colour, not values: saying
        # so keeps the sorting proxy from re-sorting them every frame.
        fading = ((self._repaint | lit) & self._rows.keys()) - changed
        self._repaint = lit  # repainted once more after their flash ends
        # Many rows lit at once (a busy studio): repaint the grid at a calmer rate; a full-grid
        # repaint costs milliseconds and the eye cannot follow hundreds of flashes anyway.
        self._frame.setInterval(BUSY_FRAME_MS if len(lit) > BUSY_ROWS else FRAME_MS)
        if changed:
            # The numbers; the age only where it said more than "0 s ago" (in a busy studio,
            # almost nowhere): a fifth fewer cells to paint every frame.
            rows = [self._rows[key] for key in changed]
            self.dataChanged.emit(
                self.index(min(rows), Column.TOKENS), self.index(max(rows), Column.TOKENS_PER_HOUR)
            )
            aged = changed & self._aged
            self._aged -= aged
            for key in aged:
                cell = self.index(self._rows[key], Column.UPDATED)
                self.dataChanged.emit(cell, cell)
        if fading:
            rows = [self._rows[key] for key in fading]
            self.dataChanged.emit(
                self.index(min(rows), Column.TOKENS),
                self.index(max(rows), Column.VIEWERS),
                [Qt.ItemDataRole.BackgroundRole],
            )
        if pending:
            if not self._totals.isActive():
                self._totals.start()  # a few times a second is plenty for sums
            if self._sort is not None and not self._resort.isActive():
                self._resort.start()
        if not self._pending and not lit and not self._repaint:
            self._frame.stop()

    def _append_rows(self, keys: list[RoomKey]) -> None:
        if not keys:
            return
        first = len(self._keys)
        self.beginInsertRows(QModelIndex(), first, first + len(keys) - 1)
        for key in keys:
            self._rows[key] = len(self._keys)
            self._keys.append(key)
        self.endInsertRows()

    def _remove_rows(self, keys: set[RoomKey]) -> None:
        for row in sorted((self._rows[k] for k in keys), reverse=True):
            key = self._keys[row]
            self.beginRemoveRows(QModelIndex(), row, row)
            del self._keys[row]
            del self._rows[key]
            self.flashes.forget(key)
            self._stale.discard(key)
            self._aged.discard(key)
            self.endRemoveRows()
        if keys:
            self._rows = {key: row for row, key in enumerate(self._keys)}

    def refresh_clock(self) -> None:
        """Once a second: new ages in the last column, and rooms that went stale (or fresh)."""
        if not self._keys:
            return
        now = self._clock()
        ages = {
            key: now - room.updated_at
            for key in self._keys
            if (room := self.board.get(*key)) is not None
        }
        stale = {key for key, age in ages.items() if age > self.stale_after}
        self._aged = {key for key, age in ages.items() if age >= 1}
        flipped = stale ^ self._stale
        self._stale = stale
        last = len(self._keys) - 1
        self.dataChanged.emit(self.index(0, Column.UPDATED), self.index(last, Column.UPDATED))
        if flipped:
            rows = [self._rows[key] for key in flipped]
            self.dataChanged.emit(self.index(min(rows), 0), self.index(max(rows), Column.UPDATED))

    # --- order -------------------------------------------------------------------------------

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Order the rows by ``column``; they follow changed values every :data:`RESORT_MS`.

        Not on every change: a busy studio changes every row many times a second, and rows
        jumping at that rate cannot be read.  Rooms without a value (tokens/hour not known
        yet) go last either way; ties keep a stable order by room.
        """
        self._sort = (_COLUMNS[column], order) if 0 <= column < len(_COLUMNS) else None
        self._sort_rows()

    def _sort_rows(self) -> None:
        if self._sort is None or not self._keys:
            return
        column, order = self._sort

        def value(key: RoomKey) -> object:
            room = self.board.get(*key)
            raw = None if room is None else _raw(column, room)
            return None if raw == -1 else raw  # -1: not known yet

        values = {key: value(key) for key in self._keys}
        known = sorted(
            (k for k in self._keys if values[k] is not None),
            key=lambda k: (values[k], k),
            reverse=order == Qt.SortOrder.DescendingOrder,
        )
        keys = known + sorted(k for k in self._keys if values[k] is None)
        if keys == self._keys:
            return
        self.layoutAboutToBeChanged.emit()
        old_keys = self._keys
        self._keys = keys
        self._rows = {key: row for row, key in enumerate(keys)}
        persistent = self.persistentIndexList()
        self.changePersistentIndexList(
            persistent,
            [self.index(self._rows[old_keys[i.row()]], i.column()) for i in persistent],
        )
        self.layoutChanged.emit()

    # --- reading -------------------------------------------------------------------------------

    def row_of(self, key: RoomKey) -> int | None:
        return self._rows.get(key)

    def totals(self) -> tuple[int, int, int, int]:
        rooms = list(self.board)
        return (
            sum(r.tokens for r in rooms),
            sum(r.tips for r in rooms),
            sum(r.viewers for r in rooms),
            len(rooms),
        )

    # --- QAbstractTableModel -------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._keys)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else _NCOLUMNS

    def index(self, row: int, column: int, parent: Index = QModelIndex()) -> QModelIndex:  # noqa: B008
        # Qt's version asks rowCount() and columnCount() first: two calls into Python for every
        # index the sorting proxy and the view make (tens of thousands a second when busy).
        if 0 <= row < len(self._keys) and 0 <= column < _NCOLUMNS and not parent.isValid():
            return self.createIndex(row, column)
        return QModelIndex()

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return column_titles()[Column(section)]
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.TextAlignmentRole:
            return _alignment(Column(section))
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        # The view asks for a dozen roles per cell per repaint; most are answered here at once.
        if role not in _ROLES or not index.isValid():
            return None
        key = self._keys[index.row()]
        room = self.board.get(*key)
        if room is None:
            return None
        column = _COLUMNS[index.column()]
        if role == CELL_ROLE:
            return (
                self._display(column, room),
                self.flashes.color(key, column),
                key in self._stale,
            )
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(column, room)
        if role == SORT_ROLE:
            return _raw(column, room)
        if role == KEY_ROLE:
            return key
        if role == Qt.ItemDataRole.BackgroundRole:
            return self.flashes.color(key, column)
        if role == Qt.ItemDataRole.ForegroundRole and key in self._stale:
            return STALE_TEXT
        if role == Qt.ItemDataRole.FontRole and key in self._stale:
            return self._stale_font
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return _alignment(column)
        return None

    def _display(self, column: Column, room: object) -> str:
        raw = _raw(column, room)
        if column in (Column.ROOM, Column.PLATFORM):
            return str(raw)
        if column == Column.UPDATED:
            return format_age(self._clock() - room.updated_at)  # type: ignore[attr-defined]
        if raw is None or raw == -1:
            return "—"
        return self._locale.toString(round(float(raw)))  # type: ignore[arg-type]


_COLUMNS = list(Column)
_NCOLUMNS = len(_COLUMNS)
_ROLES = frozenset(
    {
        CELL_ROLE,
        Qt.ItemDataRole.DisplayRole,
        SORT_ROLE,
        KEY_ROLE,
        Qt.ItemDataRole.BackgroundRole,
        Qt.ItemDataRole.ForegroundRole,
        Qt.ItemDataRole.FontRole,
        Qt.ItemDataRole.TextAlignmentRole,
    }
)


_FIELDS = {
    Column.ROOM: "room_id",
    Column.PLATFORM: "platform",
    Column.TOKENS: "tokens",
    Column.TIPS: "tips",
    Column.VIEWERS: "viewers",
    Column.TOKENS_PER_HOUR: "tokens_per_hour",
    Column.UPDATED: "updated_at",
}


def _raw(column: Column, room: object) -> object:
    result = getattr(room, _FIELDS[column])
    return -1 if result is None else result


def _alignment(column: Column) -> Qt.AlignmentFlag:
    if column in NUMERIC:
        return Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
    return Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter


class RoomsFilter(QSortFilterProxyModel):
    """Filtering by text (room id) and platform; sorting is passed to :class:`RoomsModel`,
    which sorts in one Python ``sorted`` instead of thousands of ``data()`` calls."""

    def __init__(self, parent: object = None) -> None:
        super().__init__(parent)  # type: ignore[arg-type]
        self.setDynamicSortFilter(False)
        self.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.setFilterKeyColumn(Column.ROOM)
        self._platform = ""

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
        self.setFilterFixedString(text)

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:
        if self._platform:
            model = self.sourceModel()
            platform = model.index(source_row, Column.PLATFORM, source_parent).data()
            if platform != self._platform:
                return False
        return super().filterAcceptsRow(source_row, source_parent)
