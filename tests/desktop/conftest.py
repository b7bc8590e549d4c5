"""Qt on an asyncio loop for the window's tests (qasync, as the app itself runs), settings in a
file of the test's own, and a real Secret Service for the keyring."""

from __future__ import annotations

import asyncio
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest
import qasync
from jeepney import DBusAddress, DBusErrorResponse, new_method_call
from jeepney.bus_messages import message_bus
from jeepney.io.blocking import open_dbus_connection
from keyring.backends import SecretService
from PySide6.QtCore import QLocale, QSettings
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication

from godmode_desktop.settings import AppSettings
from tests.helpers.waiting import wait_until


@pytest.fixture(autouse=True)
def english_numbers() -> Iterator[None]:
    """Numbers formatted as in English (1,500) whatever the machine's locale."""
    previous = QLocale()
    QLocale.setDefault(QLocale(QLocale.Language.English, QLocale.Country.UnitedStates))
    yield
    QLocale.setDefault(previous)


@pytest.fixture(autouse=True)
def system_text_size() -> Iterator[None]:
    """A test that changed the text size (View → Text size) leaves the next one the system's."""
    yield
    app = QApplication.instance()
    font = app.property("godmode_system_font") if isinstance(app, QApplication) else None
    if isinstance(app, QApplication) and isinstance(font, QFont) and app.font() != font:
        app.setFont(font)


@pytest.fixture
def qloop(qapp: QApplication) -> Iterator[qasync.QEventLoop]:
    """An asyncio loop that is Qt's event loop: run a scenario with ``run_until_complete``."""
    qapp.setQuitOnLastWindowClosed(False)  # as in the app: GodModeApp decides when to quit
    loop = qasync.QEventLoop(qapp)
    asyncio.set_event_loop(loop)
    yield loop
    # A scenario that failed half-way leaves tasks behind: end them while the loop exists.
    pending = [task for task in asyncio.all_tasks(loop) if not task.done()]
    for task in pending:
        task.cancel()
    if pending:
        loop.run_until_complete(asyncio.wait(pending, timeout=5))
    loop.run_until_complete(loop.shutdown_asyncgens())
    asyncio.set_event_loop(None)
    loop.close()


@pytest.fixture
def app_settings(tmp_path: Path) -> AppSettings:
    """Settings in a file of the test's own, never the user's."""
    return AppSettings(QSettings(str(tmp_path / "godmode.ini"), QSettings.Format.IniFormat))


# A session bus with no service directories: nothing is D-Bus-activated on it.  With the
# standard configuration, a probe that arrives before our daemon has registered makes the bus
# start a second, locked gnome-keyring (and a GTK prompter that cannot open a display), and the
# keyring then stays unusable: seen on a cold CI machine.
_BUS_CONFIG = """<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:dir={dir}</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
"""
_SECRETS = "org.freedesktop.secrets"


@pytest.fixture
def secret_service(monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A real Secret Service: a private D-Bus session bus with gnome-keyring on it, unlocked.

    The keyring library then talks to it exactly as on a desktop.  Yields the HOME the keyring
    keeps its files in.  The directory is made under
    /tmp rather than pytest's tmp_path because unix socket paths are limited to 107 bytes.
    """
    if not (shutil.which("dbus-daemon") and shutil.which("gnome-keyring-daemon")):
        pytest.fail("dbus-daemon and gnome-keyring-daemon are needed (make test installs them)")
    with tempfile.TemporaryDirectory(prefix="gm-keyring-", dir="/tmp") as tmp:
        home = Path(tmp)
        runtime = home / "run"
        runtime.mkdir(mode=0o700)
        config = home / "bus.conf"
        config.write_text(_BUS_CONFIG.format(dir=tmp))
        env = dict(os.environ, HOME=tmp, XDG_DATA_HOME=str(home / "data"))
        env["XDG_RUNTIME_DIR"] = str(runtime)
        logs = (home / "bus.log").open("w"), (home / "keyring.log").open("w")
        processes: list[subprocess.Popen[bytes]] = []
        previous = keyring.get_keyring()
        try:
            bus = subprocess.Popen(
                ["dbus-daemon", "--nofork", f"--config-file={config}", "--print-address=1"],
                stdout=subprocess.PIPE,
                stderr=logs[0],
                env=env,
            )
            processes.append(bus)
            assert bus.stdout is not None
            env["DBUS_SESSION_BUS_ADDRESS"] = bus.stdout.readline().decode().strip()
            bus.stdout.close()
            daemon = subprocess.Popen(
                ["gnome-keyring-daemon", "--foreground", "--unlock", "--components=secrets"],
                stdin=subprocess.PIPE,
                stdout=subprocess.DEVNULL,
                stderr=logs[1],
                env=env,
            )
            processes.append(daemon)
            assert daemon.stdin is not None
            daemon.stdin.write(b"keyring-test-password")  # --unlock reads the login password
            daemon.stdin.close()
            for name in ("HOME", "XDG_DATA_HOME", "XDG_RUNTIME_DIR", "DBUS_SESSION_BUS_ADDRESS"):
                monkeypatch.setenv(name, env[name])
            try:
                wait_until(_login_keyring_ready, timeout=30, what="the Secret Service")
            except pytest.fail.Exception:
                for log in logs:
                    log.flush()
                raise pytest.fail.Exception(
                    f"gnome-keyring did not come up (exit status {daemon.poll()}); its log:\n"
                    + (home / "keyring.log").read_text()
                ) from None
            keyring.set_keyring(SecretService.Keyring())
            yield home
        finally:
            keyring.set_keyring(previous)
            for proc in reversed(processes):
                proc.terminate()
                proc.wait(timeout=10)
            for log in logs:
                log.close()


def _login_keyring_ready() -> bool:
    """True once our daemon owns the Secret Service name and its default collection exists.

    Asked with plain D-Bus calls that have no side effects: the keyring library itself would
    try to *create* a default collection (a prompt) if asked too early.
    """
    try:
        with open_dbus_connection(bus="SESSION") as connection:
            owned = connection.send_and_get_reply(message_bus.NameHasOwner(_SECRETS)).body[0]
            if not owned:
                return False
            service = DBusAddress(
                "/org/freedesktop/secrets", _SECRETS, "org.freedesktop.Secret.Service"
            )
            reply = connection.send_and_get_reply(
                new_method_call(service, "ReadAlias", "s", ("default",))
            )
            return reply.body[0] != "/"
    except (OSError, DBusErrorResponse):
        return False
