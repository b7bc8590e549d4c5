"""The dialog an unexpected error opens: what happened, where the log is, the details to copy."""

from __future__ import annotations

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QMessageBox, QWidget

from godmode_desktop.i18n import tr


class ErrorDialog(QMessageBox):
    def __init__(self, details: str, log_file: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setIcon(QMessageBox.Icon.Critical)
        self.setWindowTitle(tr("God Mode: unexpected error"))
        self.setText(
            tr("Something went wrong. God Mode goes on, but it may not work as it should.")
        )
        self.setInformativeText(tr("The details are in the log: %1").replace("%1", log_file))
        self.setDetailedText(details)
        self.details = details
        self.copy_button = self.addButton(tr("Copy details"), QMessageBox.ButtonRole.ActionRole)
        self.copy_button.clicked.connect(self.copy)
        self.addButton(QMessageBox.StandardButton.Close)

    def copy(self) -> None:
        QGuiApplication.clipboard().setText(self.details)
