"""Light or dark, and how large the text: the app follows the system's colour scheme (and its
changes while running), or the user's choice in the settings; and its text is the system's
size, or larger or smaller by the user's choice (View → Text size, or the settings).  Every colour of the interface comes from the palette (see
widgets/style.py for the few that mean something: flashes, connection states), so changing the
palette is all a scheme change takes.

The platform's own palette is kept for the scheme it had when the app started (GNOME, KDE,
Windows and macOS give one); for the other scheme — the user forced it, or the system switched
while the app runs — a Fusion palette is used (its light one, or :func:`dark_palette`).
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QColor, QFont, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication

#: The settings' choices.
SCHEMES = ("system", "light", "dark")
#: The application's property holding the system's font.
_SYSTEM_FONT = "godmode_system_font"
#: Text sizes offered, in percent of the system's.
TEXT_SIZES = (90, 100, 115, 130, 150, 175, 200)


def text_size_step(current: int, step: int) -> int:
    """The text size one step larger (``step`` 1) or smaller (-1) than ``current``, or the
    system's (0); the largest and smallest stay where they are."""
    if step == 0:
        return 100
    sizes = list(TEXT_SIZES)
    at = min(range(len(sizes)), key=lambda i: abs(sizes[i] - current))
    return sizes[max(0, min(len(sizes) - 1, at + step))]


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
        self,
        app: QApplication,
        scheme: str = "system",
        parent: QObject | None = None,
        *,
        text_size: int = 100,
    ) -> None:
        super().__init__(parent)
        self._app = app
        self._system_palette = QPalette(app.palette())
        #: The system's font, which the text size scales: as the application started (kept on
        #: it, for an Appearance made after the text size was set, as on a second login).
        kept = app.property(_SYSTEM_FONT)
        self._system_font = kept if isinstance(kept, QFont) else QFont(app.font())
        app.setProperty(_SYSTEM_FONT, self._system_font)
        self.scheme = scheme if scheme in SCHEMES else "system"
        self.text_size = 100
        QGuiApplication.styleHints().colorSchemeChanged.connect(self.follow_system)
        self.apply()
        self.set_text_size(text_size)

    def set_text_size(self, percent: int) -> None:
        """Every window's text at ``percent`` of the system's size (one of TEXT_SIZES); the
        windows lay themselves out again for it."""
        self.text_size = percent if percent in TEXT_SIZES else 100
        font = QFont(self._system_font)
        if font.pointSizeF() > 0:
            font.setPointSizeF(font.pointSizeF() * self.text_size / 100)
        else:  # a font given in pixels
            font.setPixelSize(round(font.pixelSize() * self.text_size / 100))
        if font != self._app.font():
            self._app.setFont(font)

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
