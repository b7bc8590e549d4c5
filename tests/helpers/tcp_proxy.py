"""A TCP proxy that can refuse or cut WebSocket connections while HTTP goes through."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable


class TcpProxy:
    """Forwards loopback connections to ``target_port``.

    ``block_websockets`` refuses WebSocket upgrades (closing the connection), and
    :meth:`cut_websockets` drops the open ones: the network failing for the live link only.
    ``freeze_websockets`` silently discards their traffic without closing anything, like a
    laptop whose Wi-Fi went away: only a heartbeat watchdog notices.  ``connect_delay`` holds
    each new connection's first bytes that long: a slow network at connection time.
    """

    def __init__(self, target_port: int) -> None:
        self.target_port = target_port
        self.block_websockets = False
        self.freeze_websockets = False
        self.connect_delay = 0.0
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
        await asyncio.sleep(self.connect_delay)
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
