"""One God Mode per user: a second launch brings the running window to the front and exits.

The first instance listens on a local socket named after the user (a Unix socket in the
runtime folder, a named pipe on Windows: ``QLocalServer``).  A later launch connects to it,
says ``raise`` and ends; only when nobody answers does it become the instance itself (a socket
left by a crashed instance is removed first).  So two windows never run two feeds, two tray
icons and two sets of alerts for one manager.
"""

from __future__ import annotations

import getpass
import logging
import os
import re

from PySide6.QtCore import QObject, Signal
from PySide6.QtNetwork import QLocalServer, QLocalSocket

log = logging.getLogger(__name__)

#: What a second launch says to the first.
RAISE = b"raise\n"
CONNECT_TIMEOUT_MS = 1000


#: Environment variable that names the instance otherwise (two separate instances on purpose,
#: or a test of its own).
INSTANCE_ENV = "GODMODE_INSTANCE"


def server_name() -> str:
    """The socket's name: per user, unless $GODMODE_INSTANCE names it."""
    named = os.environ.get(INSTANCE_ENV)
    user = named or f"godmode-{getpass.getuser()}"
    return re.sub(r"[^A-Za-z0-9_.-]", "_", user)


def ask_running_instance(name: str) -> bool:
    """Tell a running instance to show its window; ``False`` when none answers."""
    socket = QLocalSocket()
    socket.connectToServer(name)
    if not socket.waitForConnected(CONNECT_TIMEOUT_MS):
        return False
    socket.write(RAISE)
    socket.waitForBytesWritten(CONNECT_TIMEOUT_MS)
    socket.disconnectFromServer()
    return True


class SingleInstance(QObject):
    """The running instance's side: ``raise_requested`` when a second launch asks for it."""

    raise_requested = Signal()

    def __init__(self, name: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.name = name
        self._server = QLocalServer(self)
        self._server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        self._server.newConnection.connect(self._connected)

    def listen(self) -> bool:
        """Become the instance; ``False`` if the name cannot be taken."""
        if not self._server.listen(self.name):
            QLocalServer.removeServer(self.name)  # left behind by an instance that crashed
        if self._server.isListening() or self._server.listen(self.name):
            log.info("single instance: listening as %s", self.name)
            return True
        log.warning(
            "single instance: cannot listen as %s: %s", self.name, self._server.errorString()
        )
        return False

    def _connected(self) -> None:
        while (socket := self._server.nextPendingConnection()) is not None:
            socket.readyRead.connect(lambda s=socket: self._read(s))
            socket.disconnected.connect(socket.deleteLater)
            if socket.bytesAvailable():
                self._read(socket)

    def _read(self, socket: QLocalSocket) -> None:
        if RAISE.strip() in bytes(socket.readAll().data()):
            log.info("a second launch asked for the window")
            self.raise_requested.emit()

    def close(self) -> None:
        self._server.close()
