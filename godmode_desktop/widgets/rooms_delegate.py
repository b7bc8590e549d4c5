"""Paints the rooms grid's cells from one model call each.

Qt's own delegate asks the model for about ten roles per cell (text, font, colours, alignment,
check state, icon, ...) and has the style lay the cell out; at 20 frames a second over a grid
of changing numbers that was most of the app's time (docs/PERFORMANCE.md, "Desktop
absorption"). A cell here is one :data:`~.rooms_model.CELL_ROLE` answer — its text, its flash
colour and whether the room is stale — drawn with a few painter calls. It looks like the
default cell: the same padding, alternating rows, selection colours and elision.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QFont, QFontMetrics, QPainter, QPalette
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem

from .rooms_model import CELL_ROLE, NUMERIC
from .style import STALE_TEXT

#: Space between a cell's edge and its text, as the default delegate leaves with the Fusion style (pixels).
PADDING = 3

_LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
_SELECTED = QStyle.StateFlag.State_Selected
_ALTERNATE = QStyleOptionViewItem.ViewItemFeature.Alternate
#: Widths remembered before starting over (a few screens of rooms, numbers and ages).
_WIDTHS_KEPT = 20_000


class RoomsDelegate(QStyledItemDelegate):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        # Text widths in the view's font: the same numbers and names come back frame after
        # frame, and measuring is a good part of drawing.
        self._font = QFont()
        self._widths: dict[str, int] = {}

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        cell = index.data(CELL_ROLE)
        if cell is None:  # not a rooms model: draw it the usual way
            super().paint(painter, option, index)
            return
        text, flash, stale = cell
        rect = option.rect
        selected = bool(option.state & _SELECTED)
        if selected or option.features & _ALTERNATE:
            role = QPalette.ColorRole.Highlight if selected else QPalette.ColorRole.AlternateBase
            painter.fillRect(rect, option.palette.brush(role))
        if flash is not None:
            painter.fillRect(rect, flash)
        if selected:
            painter.setPen(option.palette.color(QPalette.ColorRole.HighlightedText))
        elif stale:
            painter.setPen(STALE_TEXT)
        else:
            painter.setPen(option.palette.color(QPalette.ColorRole.Text))
        right = index.column() in NUMERIC
        font = option.font
        if stale:  # rare: the slow, general way
            font.setItalic(True)
            painter.setFont(font)
            area = rect.adjusted(PADDING, 0, -PADDING, 0)
            shown = QFontMetrics(font).elidedText(text, Qt.TextElideMode.ElideRight, area.width())
            painter.drawText(area, _RIGHT if right else _LEFT, shown)
            return
        painter.setFont(font)
        metrics = option.fontMetrics
        width = self._width(font, metrics, text)
        room = rect.width() - 2 * PADDING
        if width > room:
            text = metrics.elidedText(text, Qt.TextElideMode.ElideRight, room)
            width = metrics.horizontalAdvance(text)
        x = rect.x() + (rect.width() - PADDING - width if right else PADDING)
        baseline = rect.y() + (rect.height() - metrics.height()) // 2 + metrics.ascent()
        painter.drawText(x, baseline, text)

    def _width(self, font: QFont, metrics: QFontMetrics, text: str) -> int:
        width = self._widths.get(text)
        if width is None:
            if font != self._font or len(self._widths) > _WIDTHS_KEPT:
                self._font = QFont(font)
                self._widths.clear()
            width = self._widths[text] = metrics.horizontalAdvance(text)
        return width
