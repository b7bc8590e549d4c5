"""The system tray for real: run by test_tray.py in a pytest of its own on an Xvfb screen with
trayer (an XEmbed tray) and Qt's xcb platform — the app as a user runs it, not offscreen.

Not collected by the suite's own run (the file name does not start with ``test_``): the
offscreen platform has no tray.
"""

from __future__ import annotations

import os
from pathlib import Path

import httpx
import pytest
import qasync
from PySide6.QtWidgets import QApplication, QLabel, QSystemTrayIcon, QWidget

from godmode_common.rooms import RoomKey
from godmode_desktop.board import Room
from godmode_desktop.settings import AppSettings
from tests.helpers.bodies import sample_json
from tests.helpers.desktop_app import live_app, log_in
from tests.helpers.servers import ServerFactory
from tests.helpers.waiting import until
from tests.helpers.x11 import click, start_trayer, tray_children

pytestmark = pytest.mark.skipif(
    os.environ.get("QT_QPA_PLATFORM") != "xcb", reason="run by test_tray.py on a real X screen"
)
DISPLAY = os.environ.get("DISPLAY", "")


def _balloons() -> list[QWidget]:
    """Qt's notification windows (XEmbed trays have no notification service of their own)."""
    return [
        w
        for w in QApplication.topLevelWidgets()
        if w.metaObject().className() == "QBalloonTip" and w.isVisible()
    ]


def _tokens(room: Room | None) -> int | None:
    return room.tokens if room is not None else None


async def _post(server_url: str, body: dict[str, object]) -> None:
    async with httpx.AsyncClient() as http:
        answer = await http.post(server_url + "/api/tracking/telemetry", json=body)
        assert answer.is_success, answer.text


def _texts(widget: QWidget) -> list[str]:
    return [label.text() for label in widget.findChildren(QLabel)]


def test_a_big_tip_in_the_tray_brings_the_room_forward_and_mute_silences_it(
    qloop: qasync.QEventLoop,
    app_settings: AppSettings,
    make_server: ServerFactory,
    secret_service: Path,
) -> None:
    server = make_server()
    room = sample_json("luna")
    posted: list[int] = []

    async def post(tokens: int) -> None:
        posted.append(tokens)
        async with httpx.AsyncClient() as http:
            # Each a second after the previous, all in the past: every one is the newest.
            body = {
                **room,
                "tokens_count": tokens,
                "timestamp": room["timestamp"] - 60 + len(posted),
            }
            answer = await http.post(server.url + "/api/tracking/telemetry", json=body)
            assert answer.is_success, answer.text

    async def scenario() -> None:
        await post(1000)
        assert QSystemTrayIcon.isSystemTrayAvailable(), "trayer is the tray"
        app = await live_app(app_settings, server.url, use_tray=None)
        window, tray = app.window, app.tray
        assert window is not None
        assert tray is not None, "a tray exists: the app uses it, not the in-window banner"
        await until(
            lambda: tray.isVisible() and tray_children(DISPLAY), what="the icon in the tray"
        )
        key = RoomKey("luna", room["platform"])
        await until(lambda: app.model.row_of(key) is not None, what="luna's row")
        window.hide()  # the manager works in another program

        await post(1600)  # +600: a big tip
        await until(lambda: bool(_balloons()), what="the tray notification")
        [balloon] = _balloons()
        texts = " ".join(_texts(balloon))
        assert "Big tip" in texts, texts
        assert f"+600 tokens in luna ({room['platform']})" in texts, texts
        assert not window.isVisible()
        assert tray.toolTip() == "God Mode — unread alerts: 1", "the unread count in the tooltip"

        # A real click (the X server's pointer) on the notification.
        centre = balloon.mapToGlobal(balloon.rect().center())
        click(DISPLAY, centre.x(), centre.y())
        await until(lambda: window.isVisible(), what="the window brought forward")
        assert window.selected_room == key
        await until(lambda: not _balloons(), what="the notification closed by the click")

        # Muted from the tray's menu: the next big tip shows nothing.
        window.mute_action.trigger()
        assert app.alerts.muted
        await post(2800)  # +1200
        await until(lambda: _tokens(app.board.get(*key)) == 2800, what="the tip applied")
        assert not _balloons(), "muted: no notification"
        await app._shutdown()

    qloop.run_until_complete(scenario())


def test_logging_out_clears_the_trays_unread_count_and_last_alert(
    qloop: qasync.QEventLoop,
    app_settings: AppSettings,
    make_server: ServerFactory,
    secret_service: Path,
) -> None:
    """The tray's tooltip counted the last session's alerts, and clicking its last notification
    brought that session's room forward: neither outlives a log out."""
    server = make_server()
    room = sample_json("stella")

    async def post(tokens: int, at: int) -> None:
        await _post(server.url, {**room, "tokens_count": tokens, "timestamp": at})

    async def scenario() -> None:
        await post(1000, room["timestamp"] - 10)
        app = await live_app(app_settings, server.url, use_tray=None)
        tray = app.tray
        assert tray is not None
        await until(lambda: app.model.rowCount() >= 1, what="stella's row")
        await post(1600, room["timestamp"] - 9)
        await until(lambda: "unread alerts: 1" in tray.toolTip(), what="the unread count")

        await app.logout()
        assert tray.toolTip() == "God Mode"
        await log_in(app, "demo", "demo")
        window = app.window
        assert window is not None
        await until(window.isVisible, what="the window")
        assert tray.toolTip() == "God Mode"
        tray.messageClicked.emit()  # the old notification, clicked after the log out
        assert window.selected_room is None, "it no longer brings a room forward"
        await app._shutdown()

    qloop.run_until_complete(scenario())


def test_a_tray_that_appears_after_the_app_is_docked_into(
    qloop: qasync.QEventLoop,
    app_settings: AppSettings,
    make_server: ServerFactory,
    secret_service: Path,
) -> None:
    """At login the panel often starts after an autostarted app: the app starts with no tray
    (alerts in the window), and docks into the tray once it is there."""
    server = make_server()
    room = sample_json("nova")

    async def post(tokens: int, at: int) -> None:
        await _post(server.url, {**room, "tokens_count": tokens, "timestamp": at})

    async def scenario() -> None:
        assert not QSystemTrayIcon.isSystemTrayAvailable(), "run with no tray at first"
        await post(1000, room["timestamp"] - 10)
        app = await live_app(app_settings, server.url, use_tray=None)
        window = app.window
        assert window is not None
        assert app.tray is None
        await post(1600, room["timestamp"] - 9)
        await until(lambda: window.banner.isVisible(), what="the alert in the window")

        panel = start_trayer(DISPLAY)
        try:
            await until(lambda: app.tray is not None, timeout=15, what="the app docked")
            tray = app.tray
            assert tray is not None
            await until(
                lambda: tray.isVisible() and tray_children(DISPLAY), what="the icon in the tray"
            )
            assert tray.toolTip() == "God Mode — unread alerts: 1", "what was raised before"
            await post(2800, room["timestamp"] - 8)
            await until(lambda: bool(_balloons()), what="the next alert in the tray")
            await app._shutdown()
        finally:
            panel.terminate()
            panel.wait(5)

    qloop.run_until_complete(scenario())
