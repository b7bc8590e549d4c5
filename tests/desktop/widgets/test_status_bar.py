"""The status bar: state in colour, age of the data, account, reconnect."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from godmode_desktop.net.status import ConnectionState, FeedStatus
from godmode_desktop.widgets.status_bar import StatusBar
from godmode_desktop.widgets.style import STATE_COLORS


def test_each_state_has_its_words_and_colour(qtbot: QtBot) -> None:
    now = [1000.0]
    bar = StatusBar(clock=lambda: now[0])
    qtbot.addWidget(bar)
    expected = {
        ConnectionState.LIVE: "Live",
        ConnectionState.POLLING: "Polling",
        ConnectionState.OFFLINE: "Offline",
        ConnectionState.CONNECTING: "Connecting",
        ConnectionState.AUTH_REQUIRED: "Login needed",
    }
    bar.note_data(990.0)  # the newest sample's own time
    for state, words in expected.items():
        bar.show_status(FeedStatus(state, 990.0, "why"))
        assert bar.state_label.text() == f"● {words}"
        assert STATE_COLORS[state].name() in bar.state_label.styleSheet()
        assert bar.age_label.text() == "data from 10 s ago"
    assert not bar.reconnect_button.isEnabled(), "no reconnecting without a login"


def test_data_age_and_account(qtbot: QtBot) -> None:
    now = [1000.0]
    bar = StatusBar(clock=lambda: now[0])
    qtbot.addWidget(bar)
    bar.set_account("http://gm.example:3000", "ana")
    assert bar.age_label.text() == "no data yet"
    bar.note_data(1000.0)
    now[0] = 1125.0
    bar.note_data(1005.0)
    assert bar.age_label.text() == "data from 2 min ago"
    assert bar.account_label.text() == "ana on http://gm.example:3000"


def test_reconnect_now(qtbot: QtBot) -> None:
    bar = StatusBar()
    qtbot.addWidget(bar)
    bar.show_status(FeedStatus(ConnectionState.OFFLINE, None))
    with qtbot.waitSignal(bar.reconnect_requested):
        bar.reconnect_button.click()
