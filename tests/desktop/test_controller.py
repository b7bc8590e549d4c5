"""The controller's own timers (godmode_desktop/controller.py) outside a session's loop."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from godmode_desktop.alert_center import AlertCenter
from godmode_desktop.board import RoomBoard
from godmode_desktop.controller import Controller
from godmode_desktop.net.api import ApiClient
from godmode_desktop.net.session import Session, TokenVault
from godmode_desktop.widgets.rooms_model import RoomsModel


def test_a_timer_that_outlives_its_session_s_loop_stops_quietly(qtbot: QtBot) -> None:
    """The last hour's refresh fires once a minute; an app left behind without being shut
    down (its asyncio loop gone) raised "no running event loop" into whatever Qt loop ran next:
    a later test failed on it."""
    board = RoomBoard()
    controller = Controller(
        ApiClient("http://127.0.0.1:9"),
        Session("http://127.0.0.1:9", "demo", TokenVault(use_keyring=False)),
        board,
        RoomsModel(board),
        AlertCenter(),
    )
    controller._last_hour.start()
    controller._last_hour.setInterval(10)
    qtbot.waitUntil(lambda: not controller._last_hour.isActive(), timeout=2000)
