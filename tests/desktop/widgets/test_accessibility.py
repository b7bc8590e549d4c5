"""Every control of the app's windows has a name for screen readers (Qt's accessibility
interface answers one: its text, its form label, or an accessible name set on it)."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QComboBox,
    QHeaderView,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)
from pytestqt.qtbot import QtBot

from godmode_desktop.alert_log import AlertLog
from godmode_desktop.alerts import DEFAULT_TIERS
from godmode_desktop.board import RoomBoard
from godmode_desktop.widgets.admin_window import AdminWindow
from godmode_desktop.widgets.alerts_model import AlertsModel
from godmode_desktop.widgets.alerts_panel import AlertsPanel
from godmode_desktop.widgets.login_dialog import LoginDialog
from godmode_desktop.widgets.main_window import MainWindow
from godmode_desktop.widgets.password_dialog import PasswordDialog
from godmode_desktop.widgets.reports_window import ReportsWindow
from godmode_desktop.widgets.rooms_model import RoomsModel
from godmode_desktop.widgets.settings_dialog import SettingsDialog

CONTROLS = (
    QAbstractButton,
    QLineEdit,
    QComboBox,
    QAbstractSpinBox,
    QAbstractItemView,
    QPlainTextEdit,
)


def _main_window() -> QWidget:
    window = MainWindow(RoomsModel(RoomBoard()), ["chaturbate", "stripchat"])
    window.add_alerts_panel(AlertsPanel(AlertsModel(AlertLog())))
    window.alerts_panel.show()  # type: ignore[union-attr]
    return window


WINDOWS = {
    "main window": _main_window,
    "settings": lambda: SettingsDialog(
        server="http://127.0.0.1:3000",
        tiers=list(DEFAULT_TIERS),
        stale_after=60,
        poll_interval=3,
        language="",
    ),
    "administration": AdminWindow,
    "reports": ReportsWindow,
    "login": lambda: LoginDialog(server="http://127.0.0.1:3000", user="demo"),
    "password": PasswordDialog,
}


@pytest.mark.parametrize("name", WINDOWS)
def test_every_control_has_an_accessible_name(qtbot: QtBot, name: str) -> None:
    top = WINDOWS[name]()
    qtbot.addWidget(top)
    top.show()
    unnamed = []
    for control in top.findChildren(QWidget):
        if not isinstance(control, CONTROLS) or isinstance(control, QHeaderView):
            continue
        if control.objectName().startswith("qt_") or not control.isVisibleTo(top):
            continue  # a part of a Qt control (a spin box's editor), or not shown
        interface = QAccessible.queryAccessibleInterface(control)
        if interface is None or not interface.text(QAccessible.Text.Name).strip():
            unnamed.append(f"{type(control).__name__} {control.objectName()!r}")
    assert unnamed == [], f"{name}: controls without a name: {unnamed}"
