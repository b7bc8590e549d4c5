"""*Account → Change password*: the current password and the new one twice.

It checks what it can before asking (the new password long enough, typed the same twice) and
says what the server answered; the change itself is the app's (:attr:`change_requested`).
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QWidget,
)

from godmode_desktop.i18n import tr

#: The server's minimum (docs/PROTOCOL.md).
MIN_LENGTH = 8


class PasswordDialog(QDialog):
    #: The user asks for the change: old password, new password.
    change_requested = Signal(str, str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("Change password"))
        self.old_edit = QLineEdit()
        self.new_edit = QLineEdit()
        self.again_edit = QLineEdit()
        for edit, name in (
            (self.old_edit, tr("Current password")),
            (self.new_edit, tr("New password")),
            (self.again_edit, tr("New password again")),
        ):
            edit.setEchoMode(QLineEdit.EchoMode.Password)
            edit.setAccessibleName(name)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self._ask)
        self.buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow(tr("Current password"), self.old_edit)
        form.addRow(tr("New password"), self.new_edit)
        form.addRow(tr("New password again"), self.again_edit)
        form.addRow(self.message)
        form.addRow(self.buttons)

    def _ask(self) -> None:
        old, new = self.old_edit.text(), self.new_edit.text()
        if len(new) < MIN_LENGTH:
            self.message.setText(tr("The new password needs at least 8 characters."))
        elif new != self.again_edit.text():
            self.message.setText(tr("The two new passwords differ."))
        elif not old:
            self.message.setText(tr("Type your current password."))
        else:
            self.message.setText(tr("Changing…"))
            self.buttons.setEnabled(False)
            self.change_requested.emit(old, new)

    def failed(self, why: str) -> None:
        """The server said no: say why, and let the user try again."""
        self.message.setText(why)
        self.buttons.setEnabled(True)
        self.old_edit.setFocus()

    def done_changing(self) -> None:
        self.accept()
