"""The rooms grid's model: one row per room of the board, repainted at most once per frame.

The controller applies feed events to the :class:`~godmode_desktop.board.RoomBoard` and hands the
resulting changes to :meth:`RoomsModel.apply`.  Nothing is emitted there: changes are collected
and a frame timer turns them, and the flashes still fading, into a few ``dataChanged`` per frame
(planned by :mod:`.rooms_repaint`), so a burst of thousands of updates costs one repaint.  The
columns are :mod:`.rooms_columns`' definitions, written by :mod:`.rooms_format`; the filter is
:mod:`.rooms_filter`.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from PySide6.QtCore import (
    QAbstractTableModel,
    QLocale,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QFont, QGuiApplication

from godmode_common.rooms import RoomKey
from godmode_desktop.board import Room, RoomBoard, RoomChange
from godmode_desktop.i18n import tr

from .flash import FlashTracker
from .rooms_columns import DEFAULT_COLUMNS, ColumnLayout, ColumnSpec
from .rooms_format import alignment, cell_text, raw_value
from .rooms_repaint import Repaint, RepaintScheduler
from .style import BUSY_FRAME_MS, BUSY_ROWS, FRAME_MS, RESORT_MS, TOTALS_MS, stale_text

#: Raw values for sorting (numbers as numbers, missing as -1).
SORT_ROLE = Qt.ItemDataRole.UserRole + 1
#: The row's room key ``(room_id, platform)``.
KEY_ROLE = Qt.ItemDataRole.UserRole + 2
#: All the grid's delegate paints a cell from: ``(text, flash colour or None, stale, numeric)``.
CELL_ROLE = Qt.ItemDataRole.UserRole + 3

Index = QModelIndex | QPersistentModelIndex


class RoomsModel(QAbstractTableModel):
    #: Emitted once per frame in which rooms changed: the :class:`Totals` of every room.
    totals_changed = Signal(object)

    def __init__(
        self,
        board: RoomBoard,
        *,
        stale_after: float = 300.0,
        clock: Callable[[], float] = time.time,
        flash_clock: Callable[[], float] = time.monotonic,
        columns: Sequence[ColumnSpec] = DEFAULT_COLUMNS,
        parent: object = None,
    ) -> None:
        super().__init__(parent)  # type: ignore[arg-type]
        self.board = board
        self.columns = ColumnLayout.of(columns)
        self._specs = self.columns.specs
        self._width = len(self._specs)
        self._repaints: RepaintScheduler[RoomKey] = RepaintScheduler(self.columns)
        self.stale_after = stale_after
        self._clock = clock
        self.flashes: FlashTracker[RoomKey] = FlashTracker(flash_clock)
        self._keys: list[RoomKey] = []
        self._rows: dict[RoomKey, int] = {}
        self._pending: list[RoomChange] = []
        self._stale: set[RoomKey] = set()
        self._locale = QLocale()
        #: Rooms whose alerts are muted: their name says so.
        self.muted: frozenset[RoomKey] = frozenset()
        #: The shift and day columns show dollars instead of tokens (View → Show money).
        self.money = False

        self._sort: tuple[ColumnSpec, Qt.SortOrder] | None = None
        self._resort = QTimer(self)
        self._resort.setSingleShot(True)
        self._resort.setInterval(RESORT_MS)
        self._resort.timeout.connect(self._sort_rows)

        self._totals = QTimer(self)
        self._totals.setSingleShot(True)
        self._totals.setInterval(TOTALS_MS)
        self._totals.timeout.connect(lambda: self.totals_changed.emit(self.totals()))

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
            if change.added:
                continue
            for column, attribute in self.columns.flashing:
                delta = getattr(change, attribute)
                if delta:
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
        # A new row is grey at its first paint if its sample is old, and a grey one with news
        # is fresh again at once (the others are looked at once a second, not every frame).
        self._restale(set(new_keys) | (changed & self._stale))
        # Many rows lit at once (a busy studio): repaint the grid at a calmer rate; a full-grid
        # repaint costs milliseconds and the eye cannot follow hundreds of flashes anyway.
        self._frame.setInterval(BUSY_FRAME_MS if len(lit) > BUSY_ROWS else FRAME_MS)
        self._emit(self._repaints.frame(changed, lit, self._rows))
        if pending:
            if not self._totals.isActive():
                self._totals.start()  # a few times a second is plenty for sums
            if self._sort is not None and not self._resort.isActive():
                self._resort.start()
        if not self._pending and not self._repaints.fading:
            self._frame.stop()

    def _emit(self, plan: list[Repaint]) -> None:
        for repaint in plan:
            (top, bottom), (left, right) = repaint.rows, repaint.columns
            self.dataChanged.emit(
                self.index(top, left), self.index(bottom, right), list(repaint.roles)
            )

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
            self._repaints.forget(key)
            self.endRemoveRows()
        if keys:
            self._rows = {key: row for row, key in enumerate(self._keys)}

    def refresh_clock(self) -> None:
        """Once a second: new ages in the last column, and rooms that went stale (or fresh)."""
        if not self._keys:
            return
        now = self._clock()
        ages = {
            key: now - room.timestamp
            for key in self._keys
            if (room := self.board.get(*key)) is not None
        }
        stale = {key for key, age in ages.items() if age > self.stale_after}
        self._repaints.aged = {key for key, age in ages.items() if age >= 1}
        flipped = stale ^ self._stale
        self._stale = stale
        self._emit(self._repaints.clock(len(self._keys), [self._rows[key] for key in flipped]))
        if flipped and not self._totals.isActive():
            self._totals.start()  # "Rooms live" counts what is not grey

    def _restale(self, keys: set[RoomKey]) -> None:
        """Whether each of ``keys`` is stale now (their sample changed, or they are new)."""
        if not keys:
            return
        oldest = self._clock() - self.stale_after
        for key in keys:
            room = self.board.get(*key)
            if room is not None and room.timestamp < oldest:
                self._stale.add(key)
            else:
                self._stale.discard(key)

    # --- order -------------------------------------------------------------------------------

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Order the rows by ``column``; they follow changed values every :data:`RESORT_MS`.

        Not on every change: a busy studio changes every row many times a second, and rows
        jumping at that rate cannot be read.  Rooms without a value (tokens/hour not known
        yet) go last either way; ties keep a stable order by room.
        """
        self._sort = (self._specs[column], order) if 0 <= column < self._width else None
        self._sort_rows()

    def _sort_rows(self) -> None:
        if self._sort is None or not self._keys:
            return
        column, order = self._sort

        def value(key: RoomKey) -> object:
            room = self.board.get(*key)
            raw = None if room is None else raw_value(column, room, self.money)
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

    def set_money(self, on: bool) -> None:
        """Show the shift and day columns (and the totals) in dollars, or in tokens."""
        if on == self.money:
            return
        self.money = on
        columns = [i for i, spec in enumerate(self._specs) if spec.money_field]
        if columns:
            self.headerDataChanged.emit(Qt.Orientation.Horizontal, min(columns), max(columns))
            if self._keys:
                self.dataChanged.emit(
                    self.index(0, min(columns)), self.index(len(self._keys) - 1, max(columns))
                )
        self._sort_rows()
        self.totals_changed.emit(self.totals())

    def totals(self, shown: Callable[[RoomKey], bool] | None = None) -> Totals:
        """What the rooms shown (every room, or those ``shown`` accepts: the filter's) earned
        this shift and today, in tokens and in dollars, their viewers, and how many are live:
        not stale by their latest sample's age, the same test that greys a row."""
        rooms = [r for r in self.board if shown is None or shown(r.key)]
        return Totals(
            shift_tokens=sum(r.shift_tokens or 0 for r in rooms),
            day_tokens=sum(r.day_tokens or 0 for r in rooms),
            viewers=sum(r.viewers for r in rooms),
            live=sum(1 for r in rooms if r.key not in self._stale),
            shift_usd=_money_total([r.shift_usd for r in rooms if r.shift_tokens]),
            day_usd=_money_total([r.day_usd for r in rooms if r.day_tokens]),
        )

    # --- QAbstractTableModel -------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._keys)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self._width

    def index(self, row: int, column: int, parent: Index = QModelIndex()) -> QModelIndex:  # noqa: B008
        # Qt's version asks rowCount() and columnCount() first: two calls into Python for every
        # index the sorting proxy and the view make (tens of thousands a second when busy).
        if 0 <= row < len(self._keys) and 0 <= column < self._width and not parent.isValid():
            return self.createIndex(row, column)
        return QModelIndex()

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < self._width:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            spec = self._specs[section]
            if self.money and spec.money_field:
                return tr("%1 ($)").replace("%1", spec.title())
            return spec.title()
        if role == Qt.ItemDataRole.ToolTipRole:
            tooltip = self._specs[section].tooltip
            return tooltip() if tooltip is not None else None
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return alignment(self._specs[section])
        return None

    def set_muted(self, keys: frozenset[RoomKey]) -> None:
        """Mark the rooms whose alerts are muted (and unmark the others)."""
        changed = keys ^ self.muted
        self.muted = frozenset(keys)
        column = next((i for i, c in enumerate(self._specs) if c.field == "room_id"), None)
        if column is None:
            return
        for key in changed:
            row = self._rows.get(key)
            if row is not None:
                self.dataChanged.emit(self.index(row, column), self.index(row, column))

    def _text(self, spec: ColumnSpec, key: RoomKey, room: Room) -> str:
        text = cell_text(spec, room, self._locale, self._clock(), self.money)
        if key in self.muted and spec.field == "room_id":
            return tr("%1 · muted").replace("%1", text)
        return text

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        # The view asks for a dozen roles per cell per repaint; most are answered here at once.
        if role not in _ROLES or not index.isValid():
            return None
        key = self._keys[index.row()]
        room = self.board.get(*key)
        if room is None:
            return None
        column = index.column()
        spec = self._specs[column]
        if role == Qt.ItemDataRole.ToolTipRole:
            if spec.field == "room_id" and key in self.muted:
                return tr("This room's alerts are muted (Settings → Muted rooms).")
            if self.money and spec.money_field and raw_value(spec, room, True) == -1:
                return tr("No payout rate is set for this room's tokens (Administration → Rates).")
            return None
        if role == CELL_ROLE:
            return (
                self._text(spec, key, room),
                self.flashes.color(key, column),
                key in self._stale,
                spec.numeric,
                self.flashes.rising(key, column),
            )
        if role == Qt.ItemDataRole.AccessibleTextRole:
            text = self._text(spec, key, room)
            rising = self.flashes.rising(key, column)
            if rising is None:
                return text
            direction = tr("up") if rising else tr("down")
            return f"{text}, {direction}"
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(spec, key, room)
        if role == SORT_ROLE:
            return raw_value(spec, room, self.money)
        if role == KEY_ROLE:
            return key
        if role == Qt.ItemDataRole.BackgroundRole:
            return self.flashes.color(key, column)
        if role == Qt.ItemDataRole.ForegroundRole and key in self._stale:
            return stale_text(QGuiApplication.palette())
        if role == Qt.ItemDataRole.FontRole and key in self._stale:
            font = QFont(QGuiApplication.font())  # the text size of the moment
            font.setItalic(True)
            return font
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return alignment(spec)
        return None


@dataclass(frozen=True, slots=True)
class Totals:
    """The grid's totals line: what the rooms shown earned, their audience, how many are live."""

    shift_tokens: int
    day_tokens: int
    viewers: int
    live: int
    #: In dollars; None when a room that earned has no payout rate (no total of partial money).
    shift_usd: Decimal | None
    day_usd: Decimal | None


def _money_total(amounts: list[Decimal | None]) -> Decimal | None:
    if any(amount is None for amount in amounts):
        return None
    return sum((a for a in amounts if a is not None), Decimal("0.00"))


_ROLES = frozenset(
    {
        CELL_ROLE,
        Qt.ItemDataRole.ToolTipRole,
        Qt.ItemDataRole.DisplayRole,
        Qt.ItemDataRole.AccessibleTextRole,
        SORT_ROLE,
        KEY_ROLE,
        Qt.ItemDataRole.BackgroundRole,
        Qt.ItemDataRole.ForegroundRole,
        Qt.ItemDataRole.FontRole,
        Qt.ItemDataRole.TextAlignmentRole,
    }
)
