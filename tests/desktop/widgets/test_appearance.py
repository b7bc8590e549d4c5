"""Light and dark (godmode_desktop/appearance.py): the app follows the system's scheme and its
changes while running, or the user's choice; the grid, the stale rooms and the chart take their
colours from the palette."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import shiboken6
from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QFont, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from godmode_desktop.appearance import Appearance, is_dark
from godmode_desktop.board import RoomBoard
from godmode_desktop.widgets.main_window import MainWindow
from godmode_desktop.widgets.reports_window import ReportsWindow
from godmode_desktop.widgets.rooms_model import RoomsModel
from godmode_desktop.widgets.style import stale_text


@pytest.fixture
def owner(qapp: QApplication) -> Iterator[QObject]:
    """Parent of the test's Appearance; the palette is put back afterwards."""
    before = QPalette(qapp.palette())
    parent = QObject()
    yield parent
    shiboken6.delete(parent)  # its Appearance with it: no longer following the system
    qapp.setPalette(before)
    QApplication.processEvents()


def _window(qtbot: QtBot) -> MainWindow:
    window = MainWindow(RoomsModel(RoomBoard()), ["chaturbate"])
    qtbot.addWidget(window)
    window.show()
    return window


def test_the_system_switching_to_dark_and_back_is_followed(
    qtbot: QtBot, qapp: QApplication, owner: QObject
) -> None:
    appearance = Appearance(qapp, "system", owner)
    window = _window(qtbot)
    assert not is_dark(qapp.palette()), "this machine's system scheme is light (or unknown)"
    hints = QGuiApplication.styleHints()
    hints.colorSchemeChanged.emit(Qt.ColorScheme.Dark)  # what the platform sends
    QApplication.processEvents()  # the widgets' palette-change events
    assert is_dark(qapp.palette())
    base = window.palette().color(QPalette.ColorRole.Base)
    plot = window.chart.tokens_plot
    assert plot.backgroundBrush().color() == base, "the chart follows"
    assert base.lightness() < 60
    stale = stale_text(window.palette())
    assert (
        base.lightness()
        < stale.lightness()
        < window.palette().color(QPalette.ColorRole.Text).lightness()
    )
    hints.colorSchemeChanged.emit(Qt.ColorScheme.Light)
    QApplication.processEvents()
    assert not is_dark(qapp.palette())
    assert window.chart.tokens_plot.backgroundBrush().color().lightness() > 200
    assert appearance.scheme == "system"


def test_a_chosen_scheme_wins_over_the_system(
    qtbot: QtBot, qapp: QApplication, owner: QObject
) -> None:
    appearance = Appearance(qapp, "dark", owner)
    window = _window(qtbot)
    assert is_dark(qapp.palette())
    # What the system's switch calls (the signal itself would also reach the apps that
    # earlier tests left behind, which follow the system).
    appearance.follow_system(Qt.ColorScheme.Light)
    assert is_dark(qapp.palette()), "the user chose dark"
    appearance.set_scheme("light")
    QApplication.processEvents()
    assert not is_dark(window.palette())
    appearance.set_scheme("no such scheme")
    assert appearance.scheme == "system"


def test_the_reports_chart_follows_the_scheme_too(
    qtbot: QtBot, qapp: QApplication, owner: QObject
) -> None:
    appearance = Appearance(qapp, "dark", owner)
    reports = ReportsWindow()
    qtbot.addWidget(reports)
    base = reports.palette().color(QPalette.ColorRole.Base)
    assert base.lightness() < 60
    assert reports.chart.backgroundBrush().color() == base, "dark when opened dark"
    appearance.set_scheme("light")
    QApplication.processEvents()
    assert reports.chart.backgroundBrush().color().lightness() > 200, "and light after"
    text = reports.palette().color(QPalette.ColorRole.Text)
    assert reports.chart.getAxis("left").textPen().color() == text


def test_text_scales_with_the_system_font(qtbot: QtBot, qapp: QApplication) -> None:
    window = _window(qtbot)
    before = QFont(qapp.font())
    try:
        base = window.font().pointSizeF()
        assert window.totals_label.font().pointSizeF() == pytest.approx(base * 1.25)
        larger = QFont(before)
        larger.setPointSizeF(before.pointSizeF() * 1.5)
        qapp.setFont(larger)  # what a larger system font does
        QApplication.processEvents()
        assert window.font().pointSizeF() == pytest.approx(base * 1.5)
        assert window.totals_label.font().pointSizeF() == pytest.approx(base * 1.5 * 1.25)
        assert window.totals_label.font().bold()
    finally:
        qapp.setFont(before)
