"""A TCP proxy that can refuse or cut WebSocket connections while HTTP goes through, and a sink
that records what the feed delivers."""

from __future__ import annotations

import asyncio
import contextlib
import os
import shutil
import subprocess
import tempfile
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path

import keyring
import pytest
from jeepney import DBusAddress, DBusErrorResponse, new_method_call
from jeepney.bus_messages import message_bus
from jeepney.io.blocking import open_dbus_connection
from keyring.backends import SecretService

from godmode_desktop.board import RoomBoard
from godmode_desktop.net.feed import ConnectionState, FeedStatus
from godmode_desktop.net.protocol import BulkTelemetry, Snapshot, TelemetryUpdate
from tests.conftest import wait_until


class TcpProxy:
    """Forwards loopback connections to ``target_port``.

    ``block_websockets`` refuses WebSocket upgrades (closing the connection), and
    :meth:`cut_websockets` drops the open ones: the network failing for the live link only.
    ``freeze_websockets`` silently discards their traffic without closing anything, like a
    laptop whose Wi-Fi went away: only a heartbeat watchdog notices.
    """

    def __init__(self, target_port: int) -> None:
        self.target_port = target_port
        self.block_websockets = False
        self.freeze_websockets = False
        self._websockets: set[asyncio.StreamWriter] = set()
        self._connections: set[asyncio.StreamWriter] = set()
        self._handlers: set[asyncio.Task[None]] = set()
        self._server: asyncio.Server | None = None
        self.port = 0

    async def start(self) -> TcpProxy:
        self._server = await asyncio.start_server(self._handle, "127.0.0.1", 0)
        self.port = self._server.sockets[0].getsockname()[1]
        return self

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    async def close(self) -> None:
        """Stop listening and drop every connection, so nothing outlives the test's loop."""
        if self._server is not None:
            self._server.close()
        for writer in list(self._connections):
            writer.transport.abort()
        if self._handlers:
            await asyncio.wait(self._handlers, timeout=5)
        if self._server is not None:
            await self._server.wait_closed()

    def cut_websockets(self) -> None:
        for writer in list(self._websockets):
            writer.transport.abort()
        self._websockets.clear()

    async def _handle(self, client_r: asyncio.StreamReader, client_w: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._handlers.add(task)
        self._connections.add(client_w)
        try:
            await self._forward(client_r, client_w)
        finally:
            client_w.transport.abort()
            self._connections.discard(client_w)
            self._handlers.discard(task)

    async def _forward(
        self, client_r: asyncio.StreamReader, client_w: asyncio.StreamWriter
    ) -> None:
        head = await client_r.read(65536)
        is_websocket = b"upgrade: websocket" in head.lower()
        if not head or (is_websocket and self.block_websockets):
            client_w.transport.abort()
            return
        try:
            server_r, server_w = await asyncio.open_connection("127.0.0.1", self.target_port)
        except OSError:
            client_w.transport.abort()
            return
        self._connections.add(server_w)
        if is_websocket:
            self._websockets.update((client_w, server_w))
        try:
            server_w.write(head)
            frozen = (lambda: self.freeze_websockets) if is_websocket else (lambda: False)
            await asyncio.gather(
                _pipe(client_r, server_w, frozen), _pipe(server_r, client_w, frozen)
            )
        finally:
            server_w.transport.abort()
            self._connections.discard(server_w)
            self._websockets.discard(client_w)
            self._websockets.discard(server_w)


async def _pipe(
    reader: asyncio.StreamReader, writer: asyncio.StreamWriter, frozen: Callable[[], bool]
) -> None:
    with contextlib.suppress(OSError, asyncio.IncompleteReadError):
        while data := await reader.read(65536):
            if not frozen():
                writer.write(data)
                await writer.drain()
    writer.transport.abort()


class Recorder:
    """A feed sink that keeps a board and remembers states and update seqs."""

    def __init__(self) -> None:
        self.board = RoomBoard()
        self.states: list[ConnectionState] = []
        self.update_seqs: list[int] = []
        self.snapshots: list[Snapshot] = []
        self.polls: list[BulkTelemetry] = []
        self._changed = asyncio.Event()

    def feed_snapshot(self, snapshot: Snapshot) -> None:
        self.snapshots.append(snapshot)
        self.board.apply_snapshot(snapshot)
        self._changed.set()

    def feed_update(self, update: TelemetryUpdate) -> None:
        self.update_seqs.append(update.seq)
        self.board.apply_update(update)
        self._changed.set()

    def feed_poll(self, bulk: BulkTelemetry) -> None:
        self.polls.append(bulk)
        self.board.apply_poll(bulk)
        self._changed.set()

    def feed_status(self, status: FeedStatus) -> None:
        self.states.append(status.state)
        self._changed.set()

    @property
    def state(self) -> ConnectionState | None:
        return self.states[-1] if self.states else None

    def tokens(self, room: str, platform: str = "chaturbate") -> int | None:
        found = self.board.get(room, platform)
        return found.tokens if found else None

    async def wait_for(
        self, predicate: Callable[[], object], timeout: float = 10.0, what: str = ""
    ) -> None:
        """Return once ``predicate()`` holds after some delivery; fail after ``timeout``."""
        try:
            async with asyncio.timeout(timeout):
                while not predicate():
                    self._changed.clear()
                    await self._changed.wait()
        except TimeoutError:
            pytest.fail(f"timed out after {timeout} s waiting for {what}; states: {self.states}")


@pytest.fixture
def recorder() -> Recorder:
    return Recorder()


@pytest.fixture
async def proxy_factory() -> AsyncIterator[Callable[[int], asyncio.Future[TcpProxy]]]:
    proxies: list[TcpProxy] = []

    async def make(target_port: int) -> TcpProxy:
        proxy = await TcpProxy(target_port).start()
        proxies.append(proxy)
        return proxy

    yield make  # type: ignore[misc]
    for proxy in proxies:
        await proxy.close()


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
