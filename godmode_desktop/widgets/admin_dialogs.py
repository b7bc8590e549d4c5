"""The Administration's dialogs: a new user, and a new key shown this once."""

from __future__ import annotations

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from godmode_desktop.i18n import tr
from godmode_desktop.net.protocol import CreatedKey

#: The roles an admin can give, as the server names them.
ROLES = ("admin", "manager", "monitor")


class NewUserDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("Add user"))
        self.name_edit = QLineEdit()
        self.password_edit = QLineEdit()
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.role_box = QComboBox()
        for role in ROLES:
            self.role_box.addItem(role, role)
        self.role_box.setCurrentIndex(ROLES.index("monitor"))
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow(tr("User name"), self.name_edit)
        form.addRow(tr("Password"), self.password_edit)
        form.addRow(tr("Role"), self.role_box)
        form.addRow(buttons)


class CreatedKeyDialog(QDialog):
    """A new key, shown this once, with a copy button."""

    def __init__(self, created: CreatedKey, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("Key {0}").format(created.name))
        self.key_edit = QLineEdit(created.key)
        self.key_edit.setReadOnly(True)
        self.key_edit.setAccessibleName(tr("The new key"))
        # The whole key in sight: it is read (and checked) character by character.
        metrics = self.key_edit.fontMetrics()
        self.key_edit.setMinimumWidth(
            metrics.horizontalAdvance(created.key) + 2 * metrics.averageCharWidth()
        )
        copy = QPushButton(tr("Copy"))
        copy.clicked.connect(lambda: QGuiApplication.clipboard().setText(created.key))
        warning = QLabel(
            tr("This key is shown once: copy it into the collector now. It cannot be shown again.")
        )
        warning.setWordWrap(True)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        row = QHBoxLayout()
        row.addWidget(self.key_edit, 1)
        row.addWidget(copy)
        layout = QVBoxLayout(self)
        layout.addWidget(warning)
        layout.addLayout(row)
        layout.addWidget(close)
