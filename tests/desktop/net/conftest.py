"""A sink that records what the feed delivers, proxies between feed and server, and a real
Secret Service."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable

import pytest

from godmode_desktop.board import RoomBoard
from godmode_desktop.net.feed import ConnectionState, FeedStatus
from godmode_desktop.net.protocol import BulkTelemetry, Snapshot, TelemetryUpdate
from tests.desktop.proxy import TcpProxy


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
