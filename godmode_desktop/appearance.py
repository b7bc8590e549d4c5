"""Light or dark: the app follows the system's colour scheme (and its changes while running), or
the user's choice in the settings.  Every colour of the interface comes from the palette (see
widgets/style.py for the few that mean something: flashes, connection states), so changing the
palette is all a scheme change takes.

The platform's own palette is kept for the scheme it had when the app started (GNOME, KDE,
Windows and macOS give one); for the other scheme — the user forced it, or the system switched
while the app runs — a Fusion palette is used (its light one, or :func:`dark_palette`).
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication

#: The settings' choices.
SCHEMES = ("system", "light", "dark")


def dark_palette() -> QPalette:
    """A dark palette in the spirit of Fusion's (whose own is light)."""
    palette = QPalette()
    window, base, text = QColor(45, 45, 48), QColor(30, 30, 32), QColor(230, 230, 230)
    roles = {
        QPalette.ColorRole.Window: window,
        QPalette.ColorRole.WindowText: text,
        QPalette.ColorRole.Base: base,
        QPalette.ColorRole.AlternateBase: QColor(40, 40, 43),
        QPalette.ColorRole.ToolTipBase: window,
        QPalette.ColorRole.ToolTipText: text,
        QPalette.ColorRole.Text: text,
        QPalette.ColorRole.Button: window,
        QPalette.ColorRole.ButtonText: text,
        QPalette.ColorRole.BrightText: QColor(255, 80, 80),
        QPalette.ColorRole.Highlight: QColor(42, 130, 218),
        QPalette.ColorRole.HighlightedText: QColor(255, 255, 255),
        QPalette.ColorRole.Link: QColor(90, 160, 255),
        QPalette.ColorRole.PlaceholderText: QColor(150, 150, 150),
        QPalette.ColorRole.Mid: QColor(70, 70, 74),
        QPalette.ColorRole.Dark: QColor(20, 20, 22),
        QPalette.ColorRole.Light: QColor(80, 80, 84),
    }
    for role, color in roles.items():
        palette.setColor(role, color)
    for role in (
        QPalette.ColorRole.Text,
        QPalette.ColorRole.ButtonText,
        QPalette.ColorRole.WindowText,
    ):
        palette.setColor(QPalette.ColorGroup.Disabled, role, QColor(120, 120, 120))
    return palette


def is_dark(palette: QPalette) -> bool:
    return palette.color(QPalette.ColorRole.Window).lightness() < 128


class Appearance(QObject):
    """Keeps the application's palette to the chosen scheme, following the system's changes."""

    def __init__(
        self, app: QApplication, scheme: str = "system", parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._app = app
        self._system_palette = QPalette(app.palette())
        self.scheme = scheme if scheme in SCHEMES else "system"
        QGuiApplication.styleHints().colorSchemeChanged.connect(self.follow_system)
        self.apply()

    def set_scheme(self, scheme: str) -> None:
        self.scheme = scheme if scheme in SCHEMES else "system"
        self.apply()

    def follow_system(self, scheme: Qt.ColorScheme) -> None:
        """The system changed its scheme while the app runs."""
        if self.scheme == "system":
            self.apply(scheme)

    def apply(self, system: Qt.ColorScheme | None = None) -> None:
        if system is None:
            system = QGuiApplication.styleHints().colorScheme()
        wanted = self.scheme
        if wanted == "system":
            wanted = "dark" if system is Qt.ColorScheme.Dark else "light"
        if (wanted == "dark") == is_dark(self._system_palette):
            palette = QPalette(self._system_palette)
        else:
            palette = dark_palette() if wanted == "dark" else self._app.style().standardPalette()
        if palette != self._app.palette():
            self._app.setPalette(palette)
