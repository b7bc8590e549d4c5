"""The server closes an idle connection after keepalive.SERVER_SECONDS, and the project's
clients never send on one that old: a real server, a raw socket, and the desktop's client."""

from __future__ import annotations

import socket
import time

from godmode_common import keepalive
from godmode_desktop.net.api import ApiClient
from tests.helpers.servers import ServerProcess


def test_the_server_closes_an_idle_connection_after_its_keep_alive(
    dev_server: ServerProcess,
) -> None:
    with socket.create_connection(("127.0.0.1", dev_server.port), timeout=30) as sock:
        sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        assert sock.recv(4096).startswith(b"HTTP/1.1 200")
        answered = time.monotonic()
        assert sock.recv(4096) == b"", "closed by the server, nothing more sent"
        idle = time.monotonic() - answered

    assert keepalive.SERVER_SECONDS - 0.5 <= idle <= keepalive.SERVER_SECONDS + 2


async def test_the_desktops_client_gives_up_idle_connections_first() -> None:
    client = ApiClient("http://127.0.0.1:1")
    try:
        pool = client._http._transport._pool  # type: ignore[attr-defined]
        assert pool._keepalive_expiry == keepalive.CLIENT_SECONDS
    finally:
        await client.aclose()
    assert keepalive.CLIENT_SECONDS < keepalive.SERVER_SECONDS
