"""Errors a client causes are answered, or logged in one line, never as a traceback."""

from __future__ import annotations

import socket

from tests.helpers.servers import ServerFactory
from tests.helpers.waiting import wait_until


def test_a_client_gone_mid_body_is_one_log_line(make_server: ServerFactory) -> None:
    server = make_server()
    with socket.create_connection(("127.0.0.1", server.port)) as sock:
        sock.sendall(
            b"POST /api/tracking/telemetry HTTP/1.1\r\nHost: x\r\n"
            b"Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n"
            b'{"room_id": "r'
        )
    wait_until(
        lambda: "client went away during POST /api/tracking/telemetry" in server.log(),
        5,
        "the server to notice",
    )
    assert "Traceback" not in server.log()
