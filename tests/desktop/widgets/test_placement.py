"""Windows open no larger than their screen and over the main window (widgets/placement.py)."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QSize
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from godmode_desktop.widgets.placement import keep_on_screen, place, text_size


def test_a_window_restored_larger_than_the_screen_is_cut_down_and_moved_onto_it(
    qtbot: QtBot,
) -> None:
    area = QGuiApplication.primaryScreen().availableGeometry()
    window = QWidget()
    qtbot.addWidget(window)
    window.resize(area.width() * 3, area.height() * 2)  # saved on a much larger monitor
    window.move(area.right() + 500, area.bottom() + 300)  # where that monitor was
    keep_on_screen(window)
    window.show()
    qtbot.waitExposed(window)
    assert area.contains(window.frameGeometry())


def test_a_window_opens_centred_over_the_main_window_and_inside_the_screen(
    qtbot: QtBot,
) -> None:
    area = QGuiApplication.primaryScreen().availableGeometry()
    main = QWidget()
    qtbot.addWidget(main)
    main.resize(area.width() // 2, area.height() // 2)
    main.move(area.topLeft() + QPoint(10, 10))
    main.show()
    qtbot.waitExposed(main)
    other = QWidget()
    qtbot.addWidget(other)
    place(other, QSize(area.width() // 3, area.height() // 3), main)
    assert main.frameGeometry().contains(other.frameGeometry().center())
    # Asked for more than the screen: it gets the screen's (its share of it).
    place(other, QSize(area.width() * 2, 10_000), main)
    other.show()
    qtbot.waitExposed(other)
    assert area.contains(other.frameGeometry())


def test_a_window_s_size_in_text_grows_with_the_font(qtbot: QtBot) -> None:
    widget = QWidget()
    qtbot.addWidget(widget)
    small = text_size(widget, 80, 20)
    font = widget.font()
    font.setPointSizeF(font.pointSizeF() * 1.5)
    widget.setFont(font)
    large = text_size(widget, 80, 20)
    assert large.width() > small.width() * 1.3
    assert large.height() > small.height() * 1.3
