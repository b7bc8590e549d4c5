"""Support: the log file, crashes recorded, errors shown, About and its diagnostics, and no
secret in any of them."""

from __future__ import annotations

import faulthandler
import logging
import os
import stat
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from godmode_common import __version__
from godmode_desktop import support
from godmode_desktop.widgets.about_dialog import AboutDialog
from godmode_desktop.widgets.error_dialog import ErrorDialog

JWT = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhbmEifQ.c2lnbmF0dXJlLXNpZ25hdHVyZQ"
API_KEY = "gm_Zm9vYmFyYmF6cXV4cXV1eGNvcmdl"


@pytest.fixture
def log_file(tmp_path: Path) -> Iterator[Path]:
    path = support.install_logging(tmp_path / "log")
    yield path
    root = logging.getLogger()
    for handler in [h for h in root.handlers if h.get_name() == "godmode-support"]:
        root.removeHandler(handler)
        handler.close()


@pytest.fixture
def excepthooks() -> Iterator[None]:
    yield
    support.uninstall_crash_handlers()
    faulthandler.enable()  # as pytest had it


def test_the_log_file_is_in_the_platforms_folder(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    assert support.log_folder() == tmp_path / "state" / "godmode" / "log"


def test_log_lines_reach_the_file_without_secrets(log_file: Path) -> None:
    log = logging.getLogger("godmode_desktop.test")
    log.info("logged in with %s", JWT)
    log.warning("key %s refused; header Authorization: Bearer %s", API_KEY, "abc.def-123")
    try:
        raise ValueError(f"token {JWT} broke something")
    except ValueError:
        log.exception("while refreshing")
    text = log_file.read_text()
    assert "logged in with ***" in text
    assert "key *** refused; header Authorization: ***" in text
    assert "ValueError: token *** broke something" in text
    for secret in (JWT, API_KEY, "abc.def-123"):
        assert secret not in text


def test_the_log_rotates_and_keeps_five_files(log_file: Path) -> None:
    log = logging.getLogger("godmode_desktop.test")
    line = "x" * 1000
    for _ in range(6 * 1100):  # a little over six files' worth
        log.info(line)
    files = sorted(p.name for p in log_file.parent.glob("godmode.log*"))
    assert files == [
        "godmode.log",
        "godmode.log.1",
        "godmode.log.2",
        "godmode.log.3",
        "godmode.log.4",
    ]
    assert all(p.stat().st_size <= support.MAX_LOG_BYTES for p in log_file.parent.iterdir())


def test_the_log_and_its_folder_are_the_user_s_only(tmp_path: Path) -> None:
    """The log names the studio's rooms, users and server: 0700 and 0600, whatever the umask,
    for the first file and each one a rollover makes, and for the crash log."""
    folder = tmp_path / "log"
    folder.mkdir(mode=0o755)
    old_umask = os.umask(0o022)
    try:
        support.install_logging(folder)
        log = logging.getLogger("godmode_desktop.test")
        for _ in range(1100):
            log.info("x" * 1000)  # past one rollover
        support.install_crash_handlers(None, folder)
    finally:
        os.umask(old_umask)
        support.uninstall_crash_handlers()
        faulthandler.enable()
        root = logging.getLogger()
        for handler in [h for h in root.handlers if h.get_name() == "godmode-support"]:
            root.removeHandler(handler)
            handler.close()
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    files = sorted(folder.iterdir())
    assert {p.name for p in files} >= {"godmode.log", "godmode.log.1", support.CRASH_FILE}
    assert {p.name: stat.S_IMODE(p.stat().st_mode) for p in files} == {p.name: 0o600 for p in files}


@pytest.mark.usefixtures("excepthooks")
def test_an_exception_in_a_slot_is_logged_and_shown(
    qtbot: QtBot, qapp: QApplication, log_file: Path
) -> None:
    shown: list[str] = []
    support.install_crash_handlers(shown.append, log_file.parent)

    def broken() -> None:
        raise RuntimeError(f"the slot failed with {JWT}")

    QTimer.singleShot(0, broken)
    qtbot.waitUntil(lambda: bool(shown), timeout=5000)
    assert "RuntimeError: the slot failed with ***" in shown[0]
    assert JWT not in shown[0]
    assert "uncaught exception" in log_file.read_text()
    assert "RuntimeError: the slot failed with ***" in log_file.read_text()


def test_a_fatal_error_is_written_to_crash_log(tmp_path: Path) -> None:
    code = textwrap.dedent(
        f"""
        import faulthandler
        from pathlib import Path
        from godmode_desktop import support
        support.install_crash_handlers(None, Path({str(tmp_path)!r}))
        faulthandler._sigsegv()
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, timeout=60, check=False
    )
    assert result.returncode != 0
    crash = (tmp_path / support.CRASH_FILE).read_text()
    assert "Fatal Python error: Segmentation fault" in crash


def test_the_error_dialog_offers_the_details_to_copy(qtbot: QtBot) -> None:
    dialog = ErrorDialog("Traceback: RuntimeError: boom", "/tmp/godmode.log")
    qtbot.addWidget(dialog)
    dialog.open()
    assert "/tmp/godmode.log" in dialog.informativeText()
    assert dialog.detailedText() == "Traceback: RuntimeError: boom"
    dialog.copy_button.click()
    assert QGuiApplication.clipboard().text() == "Traceback: RuntimeError: boom"


def test_about_says_what_support_needs_and_copies_it(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    running = {
        "server": f"https://gm.example?token={JWT}",
        "user": "ana",
        "qt_version": "6.10.1",
        "pyside_version": "6.10.1",
    }
    dialog = AboutDialog(support.facts(**running), support.diagnostics(**running))
    qtbot.addWidget(dialog)
    dialog.open()
    shown = {name: label.text() for name, label in dialog.values.items()}
    assert shown["Version"] == f"God Mode {__version__}"
    assert shown["User"] == "ana"
    assert shown["Qt"] == "Qt 6.10.1, PySide6 6.10.1"
    assert shown["Python"].startswith(f"Python {sys.version_info.major}.{sys.version_info.minor}")
    assert shown["Log folder"] == str(tmp_path / "state" / "godmode" / "log")
    assert JWT not in str(shown)
    dialog.copy_button.click()
    copied = QGuiApplication.clipboard().text()
    assert JWT not in copied
    assert "User: ana" in copied
    assert f"Log folder: {tmp_path / 'state' / 'godmode' / 'log'}" in copied
    assert copied.startswith(f"God Mode {__version__}\n")
