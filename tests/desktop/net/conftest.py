"""A TCP proxy that can refuse or cut WebSocket connections while HTTP goes through, and a sink
that records what the feed delivers."""

from __future__ import annotations

import asyncio
import contextlib
import os
import shutil
import subprocess
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path

import keyring
import pytest
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
        self.cut_websockets()
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()

    def cut_websockets(self) -> None:
        for writer in list(self._websockets):
            writer.transport.abort()
        self._websockets.clear()

    async def _handle(self, client_r: asyncio.StreamReader, client_w: asyncio.StreamWriter) -> None:
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
        if is_websocket:
            self._websockets.update((client_w, server_w))
        server_w.write(head)
        frozen = (lambda: self.freeze_websockets) if is_websocket else (lambda: False)
        await asyncio.gather(_pipe(client_r, server_w, frozen), _pipe(server_r, client_w, frozen))
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


@pytest.fixture
def secret_service(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """A real Secret Service: a private D-Bus session bus with gnome-keyring on it, unlocked.

    The keyring library then talks to it exactly as on a desktop.
    """
    if not (shutil.which("dbus-daemon") and shutil.which("gnome-keyring-daemon")):
        pytest.fail("dbus-daemon and gnome-keyring-daemon are needed (make test installs them)")
    runtime = tmp_path / "run"
    runtime.mkdir(mode=0o700)
    env = dict(os.environ, HOME=str(tmp_path), XDG_DATA_HOME=str(tmp_path / "data"))
    env["XDG_RUNTIME_DIR"] = str(runtime)
    bus = subprocess.Popen(
        ["dbus-daemon", "--session", "--nofork", "--print-address=1"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env=env,
    )
    assert bus.stdout is not None
    env["DBUS_SESSION_BUS_ADDRESS"] = bus.stdout.readline().strip()
    daemon = subprocess.Popen(
        ["gnome-keyring-daemon", "--foreground", "--unlock", "--components=secrets"],
        stdin=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=env,
    )
    assert daemon.stdin is not None
    daemon.stdin.write(b"keyring-test-password")  # --unlock reads the login password here
    daemon.stdin.close()
    for name in ("HOME", "XDG_DATA_HOME", "XDG_RUNTIME_DIR", "DBUS_SESSION_BUS_ADDRESS"):
        monkeypatch.setenv(name, env[name])
    previous = keyring.get_keyring()
    backend = SecretService.Keyring()
    keyring.set_keyring(backend)
    wait_until(lambda: _answers(backend), timeout=10, what="the Secret Service")
    yield
    keyring.set_keyring(previous)
    for proc in (daemon, bus):
        proc.terminate()
        proc.wait(timeout=10)
    bus.stdout.close()


def _answers(backend: SecretService.Keyring) -> bool:
    try:
        backend.get_password("godmode-test", "probe")
    except Exception:
        return False
    return True
