"""The status bar: the live feed's state in colour, how old the newest data is, server and user,
and "Reconnect now"."""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QLabel, QPushButton, QStatusBar, QWidget

from godmode_desktop.i18n import tr
from godmode_desktop.net.status import ConnectionState, FeedStatus

from .rooms_format import format_age
from .style import STATE_COLORS


def state_names() -> dict[ConnectionState, str]:
    return {
        ConnectionState.CONNECTING: tr("Connecting"),
        ConnectionState.LIVE: tr("Live"),
        ConnectionState.POLLING: tr("Polling"),
        ConnectionState.OFFLINE: tr("Offline"),
        ConnectionState.AUTH_REQUIRED: tr("Login needed"),
    }


class StatusBar(QStatusBar):
    reconnect_requested = Signal()
    #: A state was shown (the window's title says it too).
    state_shown = Signal()

    def __init__(
        self, parent: QWidget | None = None, clock: Callable[[], float] = time.time
    ) -> None:
        """``clock``: the server's time (a ServerClock's ``now``), which samples are aged on."""
        super().__init__(parent)
        self._clock = clock
        self._status = FeedStatus(ConnectionState.CONNECTING, None)
        #: The newest sample's own time (Unix seconds), once one arrived.
        self._newest: float | None = None
        self.state_label = QLabel()
        self.state_label.setObjectName("feedState")
        self.age_label = QLabel()
        self.account_label = QLabel()
        self.reconnect_button = QPushButton(tr("Reconnect now"))
        self.reconnect_button.setFlat(True)
        self.reconnect_button.clicked.connect(self.reconnect_requested)
        self.addWidget(self.state_label)
        self.addWidget(self.age_label)
        self.addPermanentWidget(self.account_label)
        self.addPermanentWidget(self.reconnect_button)
        self._ticker = QTimer(self)
        self._ticker.setInterval(1000)
        self._ticker.timeout.connect(self._show_age)
        self._ticker.start()
        self.show_status(self._status)

    @property
    def state(self) -> ConnectionState:
        return self._status.state

    def set_account(self, server: str, user: str) -> None:
        self.account_label.setText(tr("%1 on %2").replace("%1", user).replace("%2", server))

    def show_status(self, status: FeedStatus) -> None:
        self._status = status
        color = STATE_COLORS[status.state].name()
        text = state_names()[status.state]
        if status.detail and status.state is not ConnectionState.LIVE:
            self.state_label.setToolTip(status.detail)
        else:
            self.state_label.setToolTip("")
        self.state_label.setText(f"● {text}")
        self.state_label.setStyleSheet(f"color: {color}; font-weight: bold;")
        self.reconnect_button.setEnabled(status.state is not ConnectionState.AUTH_REQUIRED)
        self._show_age()
        self.state_shown.emit()

    def note_data(self, sampled_at: float) -> None:
        """Samples arrived, the newest taken at ``sampled_at``."""
        self._newest = max(sampled_at, self._newest or sampled_at)
        self._show_age()

    def forget_data(self) -> None:
        """Another session starts: its data is not this one's."""
        self._newest = None
        self._show_age()

    def _show_age(self) -> None:
        newest = self._newest
        if newest is None:
            self.age_label.setText(tr("no data yet"))
        else:
            self.age_label.setText(
                tr("data from %1").replace("%1", format_age(self._clock() - newest))
            )
