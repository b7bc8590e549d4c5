"""Where a window opens and how big: no larger than the screen it opens on, and over the main
window (a window that opens at the screen's edge, or runs off its bottom, is the first thing a
manager on a 1366×768 laptop sees).

A window's preferred size is in text lines and characters, not pixels, so it grows with the
font (the system's text size, or the app's own setting) instead of clipping.
"""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRect, QSize
from PySide6.QtGui import QGuiApplication, QScreen
from PySide6.QtWidgets import QWidget

#: Of the screen's free area, at most this share is taken by a window opening on it.
SCREEN_SHARE = 0.94


def text_size(widget: QWidget, columns: float, lines: float) -> QSize:
    """A size of ``columns`` average characters by ``lines`` lines of ``widget``'s font."""
    metrics = widget.fontMetrics()
    return QSize(round(metrics.averageCharWidth() * columns), round(metrics.lineSpacing() * lines))


def _screen(widget: QWidget, near: QWidget | None) -> QScreen:
    for candidate in (near, widget):
        if candidate is not None and candidate.isVisible() and candidate.screen() is not None:
            return candidate.screen()
    return QGuiApplication.primaryScreen()


#: The window manager's frame (borders, title bar) assumed before a window has one.
FRAME_GUESS = QSize(8, 36)


def _frame(widget: QWidget) -> QSize:
    """The window manager's frame around ``widget`` (title bar, borders): its own once shown,
    a typical one before."""
    frame, inner = widget.frameGeometry(), widget.geometry()
    size = QSize(frame.width() - inner.width(), frame.height() - inner.height())
    return size if size.width() > 0 or size.height() > 0 else FRAME_GUESS


def fit_size(widget: QWidget, wanted: QSize, near: QWidget | None = None) -> QSize:
    """``wanted`` cut down to the free area of the screen the window opens on (its frame
    included), but never below what its layout needs."""
    area = _screen(widget, near).availableGeometry()
    frame = _frame(widget)
    most = QSize(
        int(area.width() * SCREEN_SHARE) - frame.width(),
        int(area.height() * SCREEN_SHARE) - frame.height(),
    )
    least = widget.minimumSizeHint().expandedTo(widget.minimumSize())
    return wanted.boundedTo(most).expandedTo(least)


def place(widget: QWidget, wanted: QSize, near: QWidget | None = None) -> None:
    """Size ``widget`` to ``wanted`` as the screen allows and centre it over ``near`` (the main
    window), or the screen when there is none; kept inside the screen's free area."""
    widget.resize(fit_size(widget, wanted, near))
    area = _screen(widget, near).availableGeometry()
    anchor = near.frameGeometry().center() if near is not None and near.isVisible() else None
    centre = anchor if anchor is not None else area.center()
    frame = _frame(widget)
    outer = QRect(QPoint(0, 0), widget.size() + frame)
    outer.moveCenter(centre)
    widget.move(_inside(outer, area).topLeft())


def _inside(rect: QRect, area: QRect) -> QRect:
    """``rect`` moved (not resized) to lie in ``area`` as far as it can, its top left first."""
    moved = QRect(rect)
    if moved.right() > area.right():
        moved.moveRight(area.right())
    if moved.bottom() > area.bottom():
        moved.moveBottom(area.bottom())
    if moved.left() < area.left():
        moved.moveLeft(area.left())
    if moved.top() < area.top():
        moved.moveTop(area.top())
    return moved


def keep_on_screen(widget: QWidget) -> None:
    """A window restored where it was last (perhaps on a larger or a missing screen) cut
    down to the screen it is on now and moved inside it, where it stays if it already was."""
    widget.resize(fit_size(widget, widget.size()))
    area = _screen(widget, None).availableGeometry()
    outer = QRect(widget.pos(), widget.size() + _frame(widget))
    widget.move(_inside(outer, area).topLeft())
