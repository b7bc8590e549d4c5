"""Alert sounds.  QtMultimedia (in ``PySide6-Addons``) plays the tier's WAV file when it is
installed; otherwise the desktop's beep is the sound, so an alert is never silent."""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, QUrl
from PySide6.QtWidgets import QApplication

from . import resources

log = logging.getLogger(__name__)


class SoundPlayer(QObject):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._effects: dict[str, object] = {}
        try:
            from PySide6.QtMultimedia import QSoundEffect
        except ImportError:
            self._effect_type = None
        else:
            self._effect_type = QSoundEffect

    def play(self, name: str) -> None:
        if self._effect_type is None:
            QApplication.beep()
            return
        effect = self._effects.get(name)
        if effect is None:
            effect = self._effect_type(self)
            effect.setSource(QUrl.fromLocalFile(str(resources.sound(name))))
            self._effects[name] = effect
        effect.play()  # type: ignore[attr-defined]
