"""What one client may make the server hold: the request head's size, its deadline, and the
number of open connections (godmode_server/serving/http_guard.py), on a real server over raw sockets."""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager

import httpx

from benchmarks.harness import rss_mb
from tests.helpers.servers import ServerFactory, ServerProcess
from tests.helpers.waiting import wait_until


@contextmanager
def raw(server: ServerProcess) -> Iterator[socket.socket]:
    sock = socket.create_connection(("127.0.0.1", server.port), timeout=10)
    try:
        yield sock
    finally:
        sock.close()


def answer(sock: socket.socket) -> bytes:
    """Everything the server sends until it closes the connection."""
    data = b""
    while chunk := sock.recv(65536):
        data += chunk
    return data


def test_an_oversized_header_is_refused_before_it_is_read(make_server: ServerFactory) -> None:
    server = make_server()
    assert server.proc is not None
    before = rss_mb(server.proc.pid)
    with raw(server) as sock:
        sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Junk: ")
        sent = 0
        try:  # the server stops reading after its limit: sending then fails or blocks
            sock.settimeout(2)
            while sent < 50 * 1024 * 1024:
                sent += sock.send(b"a" * 65536)
        except OSError:
            pass
        sock.settimeout(10)
        reply = answer(sock)

    assert reply.startswith(b"HTTP/1.1 431 ")
    assert b"exceed 32768 bytes" in reply
    assert rss_mb(server.proc.pid) - before < 20
    assert httpx.get(server.url + "/healthz").status_code == 200


def test_too_many_headers_are_refused(make_server: ServerFactory) -> None:
    server = make_server(GODMODE_MAX_HEADERS="20")
    headers = "".join(f"X-H{n}: v\r\n" for n in range(30))
    with raw(server) as sock:
        sock.sendall(f"GET /healthz HTTP/1.1\r\nHost: x\r\n{headers}\r\n".encode())
        reply = answer(sock)
    assert reply.startswith(b"HTTP/1.1 431 ")
    assert b"more than 20 headers" in reply


def test_a_request_head_that_never_ends_is_timed_out(make_server: ServerFactory) -> None:
    """Slowloris, on a plain request and on a WebSocket upgrade: closed at the deadline."""
    server = make_server(GODMODE_HEADER_TIMEOUT="1")
    heads = [
        b"GET /healthz HTTP/1.1\r\nHost: x\r\n",
        b"GET /ws/dashboard HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n",
        b"",  # connected, nothing sent
    ]
    with ExitStack() as stack:
        socks = [stack.enter_context(raw(server)) for _ in heads]
        started = time.monotonic()
        for sock, head in zip(socks, heads, strict=True):
            sock.sendall(head)
        replies = [answer(sock) for sock in socks]
        elapsed = time.monotonic() - started

    assert all(reply.startswith(b"HTTP/1.1 408 ") for reply in replies), replies
    assert 0.9 < elapsed < 3


def test_connections_over_the_cap_are_refused_with_503(make_server: ServerFactory) -> None:
    server = make_server(GODMODE_MAX_CONNECTIONS="10")
    with ExitStack() as stack:
        idle = [stack.enter_context(raw(server)) for _ in range(10)]
        with raw(server) as extra:
            refused = answer(extra)
        assert refused.startswith(b"HTTP/1.1 503 ")
        assert b"retry-after: 5" in refused.lower()
        idle[0].close()
        idle[1].close()
        # Once connections go, clients are served again.
        wait_until(lambda: _healthz(server) == 200, 5, "a free connection")


def _healthz(server: ServerProcess) -> int:
    try:
        return httpx.get(server.url + "/healthz", timeout=2).status_code
    except httpx.TransportError:
        return 0
