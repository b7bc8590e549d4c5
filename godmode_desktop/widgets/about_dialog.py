"""*Help → About God Mode*: what is running, where its log is, and the details support asks for."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from godmode_desktop.i18n import tr


def fact_names() -> dict[str, str]:
    """The names of support.facts() as the user reads them."""
    return {
        "Version": tr("Version"),
        "Server": tr("Server"),
        "User": tr("User"),
        "Qt": tr("Qt"),
        "Python": tr("Python"),
        "System": tr("System"),
        "Log folder": tr("Log folder"),
    }


class AboutDialog(QDialog):
    """``facts``: what is running and where, by name (support.facts), shown in the user's
    language; ``diagnostics``: the same in English, for support (*Copy diagnostics*)."""

    def __init__(
        self, facts: dict[str, str], diagnostics: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("About God Mode"))
        self.diagnostics = diagnostics
        title = QLabel("<b>God Mode</b>")
        title.setTextFormat(Qt.TextFormat.RichText)
        form = QFormLayout()
        names = fact_names()
        self.values: dict[str, QLabel] = {}
        for name, value in facts.items():
            label = self.values[name] = QLabel(value)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            form.addRow(names.get(name, name), label)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.copy_button = QPushButton(tr("Copy diagnostics"))
        buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.copy_button.clicked.connect(self.copy)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addLayout(form)
        layout.addWidget(buttons)

    def copy(self) -> None:
        QGuiApplication.clipboard().setText(self.diagnostics)
