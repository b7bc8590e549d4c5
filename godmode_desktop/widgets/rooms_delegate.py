"""Paints the rooms grid's cells from one model call each.

Qt's own delegate asks the model for about ten roles per cell (text, font, colours, alignment,
check state, icon, ...) and has the style lay the cell out; at 20 frames a second over a grid
of changing numbers that was most of the app's time (docs/PERFORMANCE.md, "Desktop
absorption"). A cell here is one :data:`~.rooms_model.CELL_ROLE` answer — its text, its flash
colour, whether the room is stale and whether it is a number — drawn with a few painter calls. It looks like the
default cell: the same padding, alternating rows, selection colours and elision.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QObject, QPersistentModelIndex, QPoint, QRect, Qt
from PySide6.QtGui import (
    QFont,
    QFontMetrics,
    QPainter,
    QPalette,
    QPolygon,
    QStaticText,
    QTransform,
)
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem

from .rooms_model import CELL_ROLE
from .style import stale_text

#: Space between a cell's edge and its text, as the default delegate leaves with the Fusion style (pixels).
PADDING = 3

#: The up/down mark of a flashing number: a triangle this wide, at the cell's left.
MARK_WIDTH = 7

_LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
_SELECTED = QStyle.StateFlag.State_Selected
_ALTERNATE = QStyleOptionViewItem.ViewItemFeature.Alternate
#: Texts kept laid out before starting over (a few screens of rooms, numbers and ages).
_TEXTS_KEPT = 2_000


class RoomsDelegate(QStyledItemDelegate):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._font = QFont()
        self._texts: dict[str, tuple[int, QStaticText]] = {}

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
        text, flash, stale, right, rising = cell
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
            painter.setPen(stale_text(option.palette))
        else:
            painter.setPen(option.palette.color(QPalette.ColorRole.Text))
        if rising is not None:
            _draw_mark(painter, rect, rising)
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
        width, laid_out = self._text(font, metrics, text)
        room = rect.width() - 2 * PADDING
        top = rect.y() + (rect.height() - metrics.height()) // 2
        if width > room:
            shown = metrics.elidedText(text, Qt.TextElideMode.ElideRight, room)
            painter.drawText(rect.x() + PADDING, top + metrics.ascent(), shown)
            return
        x = rect.x() + (rect.width() - PADDING - width if right else PADDING)
        painter.drawStaticText(x, top, laid_out)

    def _text(self, font: QFont, metrics: QFontMetrics, text: str) -> tuple[int, QStaticText]:
        """The text's width and its laid-out glyphs, kept: most cells show the same text as in
        the last frame, and laying text out is most of drawing it."""
        known = self._texts.get(text)
        if known is None:
            if font != self._font or len(self._texts) > _TEXTS_KEPT:
                self._font = QFont(font)
                self._texts.clear()
            laid_out = QStaticText(text)
            laid_out.setTextFormat(Qt.TextFormat.PlainText)
            laid_out.prepare(QTransform(), font)
            known = self._texts[text] = (metrics.horizontalAdvance(text), laid_out)
        return known


def _draw_mark(painter: QPainter, rect: QRect, rising: bool) -> None:
    """▲ or ▼ in the pen's colour, left of the (right-aligned) number while it flashes."""
    half = MARK_WIDTH // 2
    left = rect.x() + PADDING + 1
    middle = rect.y() + rect.height() // 2
    top, bottom = middle - half, middle + half
    if rising:
        points = [
            QPoint(left, bottom),
            QPoint(left + MARK_WIDTH - 1, bottom),
            QPoint(left + half, top),
        ]
    else:
        points = [
            QPoint(left, top),
            QPoint(left + MARK_WIDTH - 1, top),
            QPoint(left + half, bottom),
        ]
    painter.setBrush(painter.pen().color())
    painter.drawPolygon(QPolygon(points))
    painter.setBrush(Qt.BrushStyle.NoBrush)
