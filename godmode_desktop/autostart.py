"""*Start God Mode when I log in*: the desktop's own way of starting a program at login.

Linux (every XDG desktop): ``~/.config/autostart/godmode.desktop``.  Windows: the user's
``Run`` registry key.  macOS: a LaunchAgent in ``~/Library/LaunchAgents``.  The command is the
one running now: the bundle's executable, or this Python with ``-m godmode_desktop``.
"""

from __future__ import annotations

import contextlib
import os
import plistlib
import shlex
import sys
from pathlib import Path

NAME = "godmode"
_RUN_KEY = r"Software\Microsoft\Windows\CurrentVersion\Run"


def launch_command() -> list[str]:
    """How this installation opens the window."""
    if getattr(sys, "frozen", False):
        return [sys.executable]
    return [sys.executable, "-m", "godmode_desktop"]


def _desktop_entry() -> Path:
    config = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(config) / "autostart" / f"{NAME}.desktop"


def _launch_agent() -> Path:
    return Path.home() / "Library" / "LaunchAgents" / "org.godmode.app.plist"


def is_enabled() -> bool:
    if sys.platform == "win32":
        import winreg

        try:
            with winreg.OpenKey(winreg.HKEY_CURRENT_USER, _RUN_KEY) as key:
                winreg.QueryValueEx(key, NAME)
        except OSError:
            return False
        return True
    if sys.platform == "darwin":
        return _launch_agent().is_file()
    return _desktop_entry().is_file()


def set_enabled(enabled: bool) -> None:
    """Start God Mode at login from now on, or no longer."""
    command = launch_command()
    if sys.platform == "win32":
        import winreg

        with winreg.CreateKey(winreg.HKEY_CURRENT_USER, _RUN_KEY) as key:
            if enabled:
                line = " ".join(f'"{part}"' for part in command)
                winreg.SetValueEx(key, NAME, 0, winreg.REG_SZ, line)
            else:
                with contextlib.suppress(OSError):  # not there: nothing to undo
                    winreg.DeleteValue(key, NAME)
        return
    path = _launch_agent() if sys.platform == "darwin" else _desktop_entry()
    if not enabled:
        path.unlink(missing_ok=True)
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    if sys.platform == "darwin":
        agent = {"Label": "org.godmode.app", "ProgramArguments": command, "RunAtLoad": True}
        path.write_bytes(plistlib.dumps(agent))
        return
    path.write_text(
        "[Desktop Entry]\n"
        "Type=Application\n"
        "Name=God Mode\n"
        "Comment=Live tracking of webcam rooms\n"
        f"Exec={shlex.join(command)}\n"
        "Terminal=false\n"
        "X-GNOME-Autostart-enabled=true\n",
        encoding="utf-8",
    )
