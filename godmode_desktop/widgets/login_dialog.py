"""The login dialog: server, user, password.  It asks; the application logs in and answers with
:meth:`LoginDialog.show_error` or by closing it."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLayout,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from godmode_desktop.i18n import tr

#: The server field is wide enough for an address of this many characters, and for the one
#: it holds (up to twice as many).
SERVER_COLUMNS = 36


class LoginDialog(QDialog):
    #: server URL, user name, password
    login_requested = Signal(str, str, str)

    def __init__(self, server: str, user: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("God Mode — log in"))
        self.server_edit = QLineEdit(server)
        self.server_edit.setPlaceholderText("https://godmode.example.com")
        metrics = self.server_edit.fontMetrics()
        wide = metrics.horizontalAdvance(server) + metrics.averageCharWidth() * 2
        self.server_edit.setMinimumWidth(
            min(
                max(metrics.averageCharWidth() * SERVER_COLUMNS, wide),
                metrics.averageCharWidth() * SERVER_COLUMNS * 2,
            )
        )
        self.user_edit = QLineEdit(user)
        self.password_edit = QLineEdit()
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.error_label = QLabel()
        self.error_label.setObjectName("loginError")
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet("color: #c0392b;")
        self.error_label.hide()
        form = QFormLayout()
        form.addRow(tr("Server"), self.server_edit)
        form.addRow(tr("User"), self.user_edit)
        form.addRow(tr("Password"), self.password_edit)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(tr("Log in"))
        self.buttons.accepted.connect(self._submit)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        # The dialog grows with what it holds (an error of several lines) instead of squeezing
        # the fields, and is never shrunk below it.
        layout.setSizeConstraint(QLayout.SizeConstraint.SetMinimumSize)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)
        (self.password_edit if user else self.user_edit).setFocus()

    def _submit(self) -> None:
        server, user = self.server_edit.text().strip(), self.user_edit.text().strip()
        if not server or not user or not self.password_edit.text():
            self.show_error(tr("Fill in the server, the user and the password."))
            return
        self.set_busy(True)
        self.login_requested.emit(server, user, self.password_edit.text())

    def set_busy(self, busy: bool) -> None:
        self.buttons.setEnabled(not busy)
        if busy:
            self.error_label.hide()

    def show_error(self, message: str) -> None:
        self.set_busy(False)
        self.error_label.setText(message)
        self.error_label.show()
        self.password_edit.selectAll()
        self.password_edit.setFocus()
