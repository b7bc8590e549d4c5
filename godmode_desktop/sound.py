"""Alert sounds, played with what every desktop already has.

The tier's WAV file is handed to the operating system's own player, so a default install plays
it with no extra package: ``winsound`` (the standard library) on Windows, ``afplay`` on macOS,
and on Linux the first of PipeWire's ``pw-play``, PulseAudio's ``paplay`` and ALSA's ``aplay``
found.  Without any of them, QtMultimedia plays it when ``PySide6-Addons`` is installed;
failing that, or when the player fails (no sound device), the desktop's beep is the sound, so
an alert is never silent.
"""

from __future__ import annotations

import logging
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QTimer, QUrl, Signal
from PySide6.QtWidgets import QApplication

from . import resources

log = logging.getLogger(__name__)

#: How often a running player is checked for its end, milliseconds.
POLL_MS = 100
#: Linux players, best first.
LINUX_PLAYERS = ("pw-play", "paplay", "aplay")


def system_player() -> str | None:
    """The command that plays a WAV file here, or None."""
    if sys.platform == "win32":
        return "winsound"
    if sys.platform == "darwin":
        return shutil.which("afplay")
    for name in LINUX_PLAYERS:
        found = shutil.which(name)
        if found:
            return found
    return None


class SoundPlayer(QObject):
    #: A sound finished: its file, and whether the player said it played (exit status 0).
    played = Signal(str, bool)

    def __init__(self, parent: QObject | None = None, player: str | None = None) -> None:
        super().__init__(parent)
        self.player = player if player is not None else system_player()
        #: Players still playing, and their files.
        self._running: dict[subprocess.Popen[bytes], str] = {}
        self._poll = QTimer(self)
        self._poll.setInterval(POLL_MS)
        self._poll.timeout.connect(self._check_players)
        self._effects: dict[str, Any] = {}
        #: The cause of the player's failures since it last played, once logged.
        self._failing: str | None = None
        self._effect_type: type | None = None
        if self.player is None:
            try:
                from PySide6.QtMultimedia import QSoundEffect
            except ImportError:
                log.info("no sound player found: alerts beep")
            else:
                self._effect_type = QSoundEffect

    @staticmethod
    def path_of(name: str) -> str:
        """A built-in sound's file, or the user's own (an absolute path to a .wav).  A user's file
        that is gone falls back to the built-in tip sound, and the log says so."""
        if Path(name).is_absolute():
            if Path(name).is_file():
                return name
            log.warning("alert sound %s not found: the built-in tip sound plays instead", name)
            return str(resources.sound("tip"))
        return str(resources.sound(name))

    def play(self, name: str) -> None:
        path = self.path_of(name)
        if self.player == "winsound" and sys.platform == "win32":
            import winsound

            winsound.PlaySound(path, winsound.SND_FILENAME | winsound.SND_ASYNC)
            self.played.emit(path, True)
        elif self.player is not None:
            self._run_player(path)
        elif self._effect_type is not None:
            effect = self._effects.get(name)
            if effect is None:
                effect = self._effect_type(self)
                effect.setSource(QUrl.fromLocalFile(path))
                self._effects[name] = effect
            effect.play()
            self.played.emit(path, True)
        else:
            QApplication.beep()

    def _run_player(self, path: str) -> None:
        """Start the player; :meth:`_check_players` reports its end (a few times a second: the
        window never waits for a sound)."""
        assert self.player is not None
        try:
            process = subprocess.Popen(
                [self.player, path],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
            )
        except OSError as exc:
            self._finished(path, False, str(exc))
            return
        self._running[process] = path
        if not self._poll.isActive():
            self._poll.start()

    def _check_players(self) -> None:
        for process, path in list(self._running.items()):
            if process.poll() is None:
                continue
            del self._running[process]
            output = b""
            if process.stdout is not None:
                output = process.stdout.read()
                process.stdout.close()
            self._finished(path, process.returncode == 0, output.decode(errors="replace").strip())
        if not self._running:
            self._poll.stop()

    def _finished(self, path: str, ok: bool, output: str) -> None:
        """The player ended.  A failure is logged once with its cause, not once per alert (with
        no sound device each alert's four lines of ALSA errors pushed everything else out of the
        log); it is logged again only when the cause changes, and its end once."""
        if ok:
            if self._failing is not None:
                log.info("%s plays again", self.player)
                self._failing = None
        else:
            # The player's last words say what failed (ALSA's first lines are its search for a
            # card); all of them go to the debug log.
            lines = [line.strip() for line in output.splitlines() if line.strip()]
            cause = lines[-1] if lines else ""
            log.debug("%s said: %s", self.player, " | ".join(lines))
            if cause != self._failing:
                log.warning(
                    "%s could not play %s (the desktop's beep plays instead; said once): %s",
                    self.player,
                    path,
                    cause or "no reason given",
                )
                self._failing = cause
            QApplication.beep()  # an alert is never silent
        self.played.emit(path, ok)
