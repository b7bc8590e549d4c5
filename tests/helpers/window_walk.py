"""Every window of the real app, in English and Spanish, light and dark, checked for clipped
text (tests/helpers/fits.py), for fitting the screen, and in Spanish for English left on screen
(a text the catalogue translates, shown untranslated): run as a program, on the screen Qt's
platform is given (``QT_QPA_PLATFORM=offscreen:configfile=…``, see :func:`screen_config`).

``python -m tests.helpers.window_walk SERVER_URL OUT_DIR`` logs in as ``demo`` (a ``--dev``
server with rooms posted), opens each window the way the menus do, and prints one JSON object:
each combination's problems, by window.  ``--shots`` also saves each window's picture under
``OUT_DIR/<language>-<scheme>/``.

A separate process because the text size under test is the system's (``QT_FONT_DPI``, Qt's
logical DPI: 144 is "150 % text"), which Qt reads once, when the application starts.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import time
import xml.etree.ElementTree as ET
from collections.abc import Awaitable, Callable
from pathlib import Path

import qasync
from PySide6.QtCore import QCoreApplication, QSettings
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QComboBox,
    QDialog,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTabBar,
    QTableView,
    QTabWidget,
    QWidget,
)

from godmode_desktop import resources
from godmode_desktop.alerts import DEFAULT_TIERS, Alert, AlertKind
from godmode_desktop.app import GodModeApp, install_translator
from godmode_desktop.net.protocol import CreatedKey
from godmode_desktop.net.status import ConnectionState
from godmode_desktop.settings import AppSettings
from godmode_desktop.widgets.error_dialog import ErrorDialog
from godmode_desktop.widgets.room_chart import ChartRangeDialog

from .desktop_app import log_in, new_app, state
from .fits import clipped, off_screen, over
from .waiting import until

#: A laptop's screen, the common size in the studios.
LAPTOP = (1366, 768)
COMBINATIONS = [(lang, scheme) for lang in ("en", "es") for scheme in ("light", "dark")]


def screen_config(path: Path, dpi: int, size: tuple[int, int] = LAPTOP) -> str:
    """The value of ``QT_QPA_PLATFORM`` for an offscreen screen of ``size`` at ``dpi`` (96:
    100 % text; 144: 150 %, as a system's large-text setting gives)."""
    width, height = size
    screen = {
        "name": "laptop",
        "x": 0,
        "y": 0,
        "width": width,
        "height": height,
        "logicalDpi": dpi,
        "logicalBaseDpi": 96,
        "dpr": 1,
    }
    path.write_text(json.dumps({"windowFrameMargins": True, "screens": [screen]}))
    return f"offscreen:configfile={path}"


#: Qt's own standard buttons in English (its catalogue translates them).
QT_BUTTONS = {"OK", "Cancel", "Close", "Apply", "Save", "Open", "Yes", "No", "Help", "Reset"}


def english_texts(language: str) -> set[str]:
    """The interface's English texts that ``language``'s catalogue translates otherwise: one of
    them on screen in that language was not put through the translator."""
    if language == "en":
        return set()
    catalogue = ET.parse(resources.translations() / f"godmode_{language}.ts")
    return QT_BUTTONS | {
        source.replace("&", "")
        for message in catalogue.getroot().iter("message")
        if (source := message.findtext("source") or "")
        and (message.findtext("translation") or "") not in ("", source)
        and len(source) > 3  # "Qt", "1 h": the same in every language
    }


def texts(window: QWidget) -> list[str]:
    """What ``window`` shows in words: titles, labels, buttons, tabs, headers, placeholders."""
    shown = [window.windowTitle()]
    for widget in [window, *window.findChildren(QWidget)]:
        if not widget.isVisible():
            continue
        if isinstance(widget, QLabel | QAbstractButton):
            shown.append(widget.text())
        elif isinstance(widget, QLineEdit):
            shown.append(widget.placeholderText())
        elif isinstance(widget, QTabBar):
            shown += [widget.tabText(i) for i in range(widget.count())]
        elif isinstance(widget, QComboBox):
            shown += [widget.itemText(i) for i in range(widget.count())]
        elif isinstance(widget, QHeaderView) and widget.model() is not None:
            model = widget.model()
            shown += [
                str(model.headerData(i, widget.orientation()) or "") for i in range(widget.count())
            ]
    return [text.replace("&", "") for text in shown if text]


class Walk:
    """One language and scheme: what each window gets wrong."""

    def __init__(self, app: GodModeApp, shots: Path | None, language: str = "en") -> None:
        self.app = app
        self.shots = shots
        self.problems: dict[str, list[str]] = {}
        self._english = english_texts(language)
        #: Rooms wholly in sight in the maximised window with compact rows.
        self.compact_rows = 0

    def check(self, name: str, window: QWidget, main: QWidget | None = None) -> None:
        found = clipped(window)
        found += [f"not translated: {t!r}" for t in texts(window) if t in self._english]
        for problem in (off_screen(window), over(window, main) if main is not None else None):
            if problem:
                found.append(problem)
        if found:
            self.problems[name] = found
        if self.shots is not None:
            self.shots.mkdir(parents=True, exist_ok=True)
            window.grab().save(str(self.shots / f"{name}.png"))

    async def tabs(self, name: str, window: QWidget, main: QWidget | None = None) -> None:
        """Check ``window`` on each page of its tabs."""
        tabs = window.findChild(QTabWidget)
        if tabs is None:
            self.check(name, window, main)
            return
        for index in range(tabs.count()):
            tabs.setCurrentIndex(index)
            await settle()
            self.check(f"{name}-{index + 1}", window, main)


async def settle() -> None:
    """Have Qt lay out what was just shown or changed, now: the layout requests and resizes
    it posted are delivered at once (no waiting for the loop to come round to them)."""
    for _ in range(3):  # a layout done can post another (a resized child's own layout)
        QCoreApplication.sendPostedEvents()


async def dialog(walk: Walk, name: str, make: Callable[[], QDialog | None]) -> None:
    shown = make()
    assert shown is not None, name
    await until(shown.isVisible, what=name)
    await settle()
    await walk.tabs(name, shown, walk.app.window)
    shown.reject()


async def walk_windows(walk: Walk, server: str) -> None:
    app = walk.app
    app.start()
    login = app.login_dialog
    assert login is not None
    await until(login.isVisible, what="the login dialog")
    await settle()
    walk.check("login", login)
    login.server_edit.setText("http://127.0.0.1:1")
    await log_in(app, "demo", "wrong")
    await until(login.error_label.isVisible, what="the login error")
    await settle()
    walk.check("login-error", login)
    login.server_edit.setText(server)
    await log_in(app, "demo", "demo")
    await until(lambda: state(app) is ConnectionState.LIVE, what="Live")
    window = app.window
    assert window is not None
    await until(lambda: app.model.rowCount() >= 20, what="the rooms")
    window.table.selectRow(0)
    first = window.selected_room
    assert first is not None
    window.muted_rooms = frozenset({first})
    for alert in (
        Alert(first.room_id, first.platform, 5000, DEFAULT_TIERS[2]),
        Alert(first.room_id, first.platform, 600, DEFAULT_TIERS[1]),
        Alert(first.room_id, first.platform, 300, kind=AlertKind.OFFLINE),
        Alert(first.room_id, first.platform, 60, kind=AlertKind.COLLECTOR_SILENT),
    ):
        app.alerts.alert_raised.emit(alert)
    await settle()
    walk.check("main", window)
    panel = window.alerts_panel
    assert panel is not None
    panel.show()
    await settle()
    walk.check("main-alerts", window)
    panel.hide()
    window.set_density("compact")
    await settle()
    walk.check("main-compact", window)
    window.showMaximized()
    area = window.screen().availableGeometry()
    await until(
        lambda: window.isMaximized() and window.frameGeometry().height() >= area.height() - 1,
        what="the window maximised to the screen's height",
    )
    await settle()
    walk.check("main-compact-maximised", window)
    walk.compact_rows = rows_in_sight(window.table)
    window.showNormal()
    window.set_density("comfortable")

    await dialog(walk, "settings", app.open_settings)
    app.open_about()
    await dialog(walk, "about", lambda: app.about_dialog)
    await dialog(walk, "password", app.open_password_dialog)
    now = int(time.time())
    await dialog(walk, "chart-range", lambda: _opened(ChartRangeDialog(now - 3600, now, window)))
    await dialog(
        walk, "error", lambda: _opened(ErrorDialog("Traceback: …", "/tmp/godmode.log", window))
    )

    reports = app.open_reports()
    assert reports is not None
    await until(lambda: reports.report is not None and reports.busy.isHidden(), what="a report")
    reports.table.selectRow(0)
    await settle()
    walk.check("reports", reports, window)
    reports.close()

    admin = app.open_admin()
    assert admin is not None
    await until(lambda: bool(admin.users_tab.users), what="the users")
    admin.users_tab.select_user("demo")
    await settle()
    await walk.tabs("admin", admin, window)
    created = CreatedKey(name="front-desk-pc", key="gmk_" + "x" * 40)
    await dialog(walk, "created-key", lambda: admin.show_key_created(created))
    admin.close()


def rows_in_sight(table: QTableView) -> int:
    """Rows of ``table`` shown whole (not cut at the bottom)."""
    height = table.viewport().height()
    return sum(
        1
        for row in range(table.model().rowCount())
        if table.rowViewportPosition(row) >= 0
        and table.rowViewportPosition(row) + table.rowHeight(row) <= height
    )


def _opened(shown: QDialog) -> QDialog:
    shown.open()
    return shown


Results = dict[str, dict[str, object]]


async def run(server: str, out: Path, shots: bool) -> Results:
    """Each combination's ``problems`` (by window) and ``compact_rows``."""
    qapp = QApplication.instance()
    assert isinstance(qapp, QApplication)
    results: Results = {}
    for language, scheme in COMBINATIONS:
        translators = install_translator(qapp, language)
        settings = AppSettings(
            QSettings(str(out / f"{language}-{scheme}.ini"), QSettings.Format.IniFormat)
        )
        settings.server, settings.language, settings.scheme = server, language, scheme
        app = new_app(settings)
        walk = Walk(app, out / f"{language}-{scheme}" if shots else None, language)
        try:
            await walk_windows(walk, server)
        finally:
            await _close(app)
            for translator in translators:
                qapp.removeTranslator(translator)
        results[f"{language}-{scheme}"] = {
            "problems": walk.problems,
            "compact_rows": walk.compact_rows,
        }
    return results


async def _close(app: GodModeApp) -> None:
    app.quit()
    await asyncio.wait_for(app.finished, 10)
    for window in (app.reports, app.admin, app.window, app.login_dialog):
        if window is not None:
            window.deleteLater()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("server")
    parser.add_argument("out", type=Path)
    parser.add_argument("--shots", action="store_true")
    args = parser.parse_args(argv)
    qapp = QApplication(sys.argv[:1])
    qapp.setQuitOnLastWindowClosed(False)
    loop = qasync.QEventLoop(qapp)
    asyncio.set_event_loop(loop)
    task: Awaitable[Results] = run(args.server, args.out, args.shots)
    with loop:
        results = loop.run_until_complete(task)
    print(json.dumps(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
