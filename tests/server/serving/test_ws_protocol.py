"""What one dashboard's socket may make the server do (godmode_server/serving/ws_protocol.py): a budget
of messages, pongs that do not pile up for a peer that never reads, the handshake's deadline,
and sockets aborted once closed for slowness.  Real server, real sockets."""

from __future__ import annotations

import asyncio
import base64
import contextlib
import os
import socket
from collections.abc import Awaitable, Callable
from typing import Any

import httpx
import pytest
from websockets.exceptions import ConnectionClosed
from websockets.frames import Frame, Opcode

from benchmarks.harness import metric, rss_mb
from godmode_common.protocol import CLOSE_TOO_MANY_MESSAGES
from godmode_server.serving.ws_protocol import PROTOCOL_INTERNALS, direct_send_supported, text_frame
from tests.helpers.bodies import sample_json
from tests.helpers.dashboards import next_event, recv, ws_connect
from tests.helpers.servers import ServerFactory, ServerProcess
from tests.helpers.waiting import wait_until

#: Linux TCP states (tcp_states.h) as TCP_INFO reports them.
TCP_ESTABLISHED, TCP_CLOSE = 1, 7


def tcp_state(sock: socket.socket) -> int:
    return sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_INFO, 8)[0]


def holds(pid: int, server_port: int, client: socket.socket) -> bool:
    """Whether process ``pid`` still has its end of ``client``'s connection open (a socket the
    kernel keeps after the process let go of it has no inode)."""
    client_port = client.getsockname()[1]
    inodes = set()
    with open("/proc/net/tcp") as table:
        for line in table.readlines()[1:]:
            fields = line.split()
            local, remote, inode = fields[1], fields[2], fields[9]
            if int(local.split(":")[1], 16) == server_port and (
                int(remote.split(":")[1], 16) == client_port
            ):
                inodes.add(inode)
    sockets = set()
    for fd in os.listdir(f"/proc/{pid}/fd"):
        # The server opens and closes files meanwhile (its database polls): one listed may be
        # gone by the time it is read, and was not the socket looked for.
        with contextlib.suppress(FileNotFoundError):
            sockets.add(os.readlink(f"/proc/{pid}/fd/{fd}"))
    return any(f"socket:[{inode}]" in sockets for inode in inodes if inode != "0")


def raw_dashboard(server: ServerProcess, token: str, rcvbuf: int = 0) -> socket.socket:
    """A dashboard's socket after its handshake, left to the test to read (or not)."""
    sock = socket.socket()
    if rcvbuf:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
    sock.settimeout(10)
    sock.connect(("127.0.0.1", server.port))
    key = base64.b64encode(os.urandom(16)).decode()
    sock.sendall(
        (
            "GET /ws/dashboard HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
            f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n"
            f"Authorization: Bearer {token}\r\n\r\n"
        ).encode()
    )
    head = b""
    while not head.endswith(b"\r\n\r\n"):
        head += sock.recv(1)  # byte by byte: what follows the head stays unread
    assert head.startswith(b"HTTP/1.1 101 "), head
    return sock


def drain(sock: socket.socket) -> None:
    while sock.recv(65536):
        pass


async def closed_with(ws: Any, flood: Callable[[], Awaitable[object]], times: int) -> int:
    """Call ``flood`` ``times`` times, then read: the code the server closed the socket with."""

    async def flood_then_read() -> None:
        for _ in range(times):
            await flood()
        while True:
            await recv(ws)

    with pytest.raises(ConnectionClosed) as closed:
        await flood_then_read()
    assert closed.value.rcvd is not None, closed.value
    return closed.value.rcvd.code


async def test_a_dashboard_flooding_pings_is_closed_1008(dev_server: ServerProcess) -> None:
    token = dev_server.login()
    async with ws_connect(dev_server, token) as ws:
        await next_event(ws, "SNAPSHOT")
        assert await closed_with(ws, ws.ping, 100) == CLOSE_TOO_MANY_MESSAGES


async def test_a_dashboard_flooding_messages_is_closed_1008(dev_server: ServerProcess) -> None:
    token = dev_server.login()
    async with ws_connect(dev_server, token) as ws:
        await next_event(ws, "SNAPSHOT")
        assert await closed_with(ws, lambda: ws.send("hello"), 100) == CLOSE_TOO_MANY_MESSAGES


async def test_a_few_pings_and_messages_are_fine(
    dev_server: ServerProcess, http: httpx.AsyncClient, room: str
) -> None:
    token = dev_server.login()
    async with ws_connect(dev_server, token) as ws:
        await next_event(ws, "SNAPSHOT")
        for _ in range(5):
            await asyncio.wait_for(await ws.ping(), 5)  # each answered
        await ws.send("hello")
        posted = await http.post(dev_server.url + "/api/tracking/telemetry", json=sample_json(room))
        assert posted.status_code == 200
        assert (await next_event(ws, "TELEMETRY_UPDATE"))["room_id"] == room


def test_pings_from_a_peer_that_never_reads_hold_no_memory(make_server: ServerFactory) -> None:
    """Pings sent as fast as the socket takes them, nothing read: the server answers the first
    few, closes the connection and lets go of its socket; its memory does not grow."""
    server = make_server()
    assert server.proc is not None
    pid = server.proc.pid
    with contextlib.closing(raw_dashboard(server, server.login(), rcvbuf=4096)) as sock:
        assert holds(pid, server.port, sock)
        before = rss_mb(pid)
        pings = Frame(Opcode.PING, b"0123456789").serialize(mask=True) * 1000
        sock.settimeout(0.5)
        try:
            for _ in range(2000):  # up to 2M pings
                sock.sendall(pings)
        except OSError:  # refused or reset: the server has given up on it
            pass
        wait_until(lambda: not holds(pid, server.port, sock), 10, "the server to let go of it")
    assert rss_mb(pid) - before < 20


async def test_a_socket_closed_for_slowness_is_aborted_after_its_timeout(
    make_server: ServerFactory, http: httpx.AsyncClient
) -> None:
    server = make_server(
        GODMODE_WS_QUEUE_SIZE="64",
        GODMODE_WS_SEND_BUFFER="4096",
        GODMODE_WS_SLOW_CLOSE_TIMEOUT="1",
        GODMODE_HEARTBEAT_INTERVAL="60",
    )
    sock = raw_dashboard(server, server.login(), rcvbuf=2048)  # and never read
    for batch in range(200):  # bounded: far more than the buffers hold
        bodies = [sample_json("slow", tokens_count=batch * 20 + i) for i in range(20)]
        await asyncio.gather(
            *(http.post(server.url + "/api/tracking/telemetry", json=b) for b in bodies)
        )
        if metric(server.url, "godmode_dashboards_dropped_slow_total") >= 1:
            break
    assert metric(server.url, "godmode_dashboards_dropped_slow_total") == 1
    assert tcp_state(sock) == TCP_ESTABLISHED  # still waiting for the client to read

    # The close frame cannot be written while the client does not read: after the slow-close
    # timeout and the closing grace (5 s) the server aborts the socket.
    await asyncio.to_thread(
        wait_until, lambda: tcp_state(sock) == TCP_CLOSE, 10, "the server to abort it"
    )
    with pytest.raises(ConnectionResetError):
        drain(sock)
    sock.close()


async def test_a_dashboard_lives_past_the_handshake_deadline(make_server: ServerFactory) -> None:
    server = make_server(GODMODE_HEADER_TIMEOUT="0.5", GODMODE_HEARTBEAT_INTERVAL="0.2")
    async with ws_connect(server, server.login()) as ws:
        await next_event(ws, "SNAPSHOT")
        beats = [await next_event(ws, "HEARTBEAT") for _ in range(8)]  # 1.6 s
    assert len(beats) == 8


async def _lag_observations(
    server: ServerProcess, dashboards: int, events: int, room: str
) -> tuple[float, str]:
    """Post ``events`` samples to ``dashboards`` connected dashboards, each delivered before the
    next is posted; the delivery-lag histogram's count and the server's log."""
    token = server.login()
    post = server.url + "/api/tracking/telemetry"
    async with contextlib.AsyncExitStack() as stack, httpx.AsyncClient() as client:
        sockets = [
            await stack.enter_async_context(ws_connect(server, token)) for _ in range(dashboards)
        ]
        for ws in sockets:
            await next_event(ws, "SNAPSHOT")
        for n in range(events):
            await client.post(post, json=sample_json(room, tokens_count=n + 1))
            for ws in sockets:
                event = await next_event(ws, "TELEMETRY_UPDATE")
                assert event["data"]["tokens"] == n + 1, "in order, none lost"
        count = metric(server.url, "godmode_delivery_lag_seconds_count")
    return count, server.log()


async def test_idle_dashboards_are_written_to_directly(
    make_server: ServerFactory, room: str
) -> None:
    count, _ = await _lag_observations(make_server(), dashboards=2, events=3, room=room)
    assert count == 3, "one direct write pass per event, for both dashboards at once"


async def test_without_the_direct_send_events_go_through_each_queue(
    make_server: ServerFactory, room: str
) -> None:
    """The fallback for a uvicorn without the internals the fast path reads (forced here by the
    setting that turns it off): every event still reaches every dashboard, in order, each from
    its own queue."""
    server = make_server(GODMODE_WS_DIRECT_SEND="false")
    count, _ = await _lag_observations(server, dashboards=2, events=3, room=room)
    assert count == 6, "one send per event and dashboard, from the queues"


class _Protocol(asyncio.Protocol):
    def __init__(self, **attributes: object) -> None:
        for name, value in attributes.items():
            setattr(self, name, value)


class _FlowControlled(_Protocol):
    def pause_writing(self) -> None: ...


def test_the_direct_send_needs_the_protocols_internals_and_its_flow_control() -> None:
    complete = dict.fromkeys(PROTOCOL_INTERNALS)
    assert direct_send_supported(_FlowControlled(**complete))
    missing = dict(complete)
    del missing["writable"]
    assert not direct_send_supported(_FlowControlled(**missing)), "an attribute renamed"
    assert not direct_send_supported(_Protocol(**complete)), "no write flow control"


def test_an_event_frame_is_one_unmasked_final_text_frame() -> None:
    """RFC 6455 5.2: FIN + text opcode, no mask bit, the length in 7, 7+16 or 7+64 bits."""
    for size, header in (
        (0, b"\x81\x00"),
        (125, b"\x81\x7d"),
        (126, b"\x81\x7e\x00\x7e"),
        (65535, b"\x81\x7e\xff\xff"),
        (65536, b"\x81\x7f" + (65536).to_bytes(8, "big")),
    ):
        payload = b"x" * size
        assert text_frame(payload) == header + payload
