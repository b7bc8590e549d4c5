"""``WS /ws/dashboard`` against a real server: event shapes, resume, heartbeats, slow clients."""

from __future__ import annotations

import asyncio
import re
import socket
import time
import types
from pathlib import Path
from typing import Any

import httpx
import pytest
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed

from godmode_common.protocol import CLOSE_TOO_SLOW
from tests.helpers.bodies import EARNED_FIELDS, SAMPLE_FIELDS, sample_json
from tests.helpers.dashboards import next_event, recv, ws_connect
from tests.helpers.in_process import login, serving
from tests.helpers.servers import ServerFactory, ServerProcess

UPDATE_FIELDS = {"event_type", "room_id", "data", "timestamp", "seq"}
DATA_FIELDS = {
    "platform",
    "tokens",
    "tips",
    "viewers",
    "timestamp",
    "tokens_delta",
    "tips_delta",
    "viewers_delta",
}


async def _post(http: httpx.AsyncClient, server: ServerProcess, body: dict[str, Any]) -> int:
    answer = await http.post(server.url + "/api/tracking/telemetry", json=body)
    assert answer.status_code == 200, answer.text
    return int(answer.json()["seq"])


async def test_first_message_is_a_snapshot_of_live_rooms(
    dev_server: ServerProcess, http: httpx.AsyncClient, demo_token: str, room: str
) -> None:
    posted = sample_json(room, tokens_count=77)
    seq = await _post(http, dev_server, posted)

    async with ws_connect(dev_server, demo_token) as ws:
        first = await recv(ws)

    assert first["event_type"] == "SNAPSHOT"
    assert first["seq"] >= seq
    assert isinstance(first["epoch"], str)
    assert first["epoch"]
    sent = [{k: r[k] for k in SAMPLE_FIELDS} for r in first["rooms"]]
    assert posted in sent
    assert all(set(r) <= SAMPLE_FIELDS | EARNED_FIELDS for r in first["rooms"])


async def test_update_has_the_original_shape_plus_seq_and_deltas(
    dev_server: ServerProcess, http: httpx.AsyncClient, demo_token: str, room: str
) -> None:
    now = int(time.time())
    async with ws_connect(dev_server, demo_token) as ws:
        await next_event(ws, "SNAPSHOT")
        first_seq = await _post(http, dev_server, sample_json(room, timestamp=now - 1))
        first = await next_event(ws, "TELEMETRY_UPDATE")
        second_seq = await _post(
            http,
            dev_server,
            sample_json(room, tokens_count=5600, tips_count=251, viewers_count=40, timestamp=now),
        )
        second = await next_event(ws, "TELEMETRY_UPDATE")

    assert set(first) == UPDATE_FIELDS
    assert set(first["data"]) == DATA_FIELDS | EARNED_FIELDS, "the live earnings added"
    assert first["room_id"] == room
    assert first["seq"] == first_seq
    assert {k: first["data"][k] for k in DATA_FIELDS} == {
        "platform": "chaturbate",
        "tokens": 5000,
        "tips": 250,
        "viewers": 45,
        "timestamp": now - 1,
        "tokens_delta": 0,
        "tips_delta": 0,
        "viewers_delta": 0,
    }
    assert isinstance(first["timestamp"], int)
    assert abs(first["timestamp"] - now) <= 5
    assert second["seq"] == second_seq > first_seq
    assert second["data"]["tokens_delta"] == 600
    assert second["data"]["tips_delta"] == 1
    assert second["data"]["viewers_delta"] == -5


async def test_every_dashboard_receives_every_update(
    dev_server: ServerProcess, http: httpx.AsyncClient, demo_token: str, room: str
) -> None:
    async with ws_connect(dev_server, demo_token) as a, ws_connect(dev_server, demo_token) as b:
        await next_event(a, "SNAPSHOT")
        await next_event(b, "SNAPSHOT")
        seq = await _post(http, dev_server, sample_json(room))
        got_a = await next_event(a, "TELEMETRY_UPDATE")
        got_b = await next_event(b, "TELEMETRY_UPDATE")
    assert got_a == got_b
    assert got_a["seq"] == seq


async def test_reconnect_with_since_replays_exactly_the_missed_events(
    make_server: ServerFactory, http: httpx.AsyncClient
) -> None:
    server = make_server()
    token = server.login()
    await _post(http, server, sample_json("before", tokens_count=1))
    async with ws_connect(server, token) as ws:
        snapshot = await next_event(ws, "SNAPSHOT")
    missed = [await _post(http, server, sample_json("r", tokens_count=n)) for n in range(1, 6)]

    async with ws_connect(server, token, since=snapshot["seq"], epoch=snapshot["epoch"]) as ws:
        resume = await recv(ws)
        replay = [await recv(ws) for _ in missed]
        live_seq = await _post(http, server, sample_json("r", tokens_count=99))
        live = await next_event(ws, "TELEMETRY_UPDATE")

    assert resume["event_type"] == "RESUME"
    assert resume["seq"] == snapshot["seq"]
    assert resume["epoch"] == snapshot["epoch"]
    assert [e["seq"] for e in replay] == missed
    assert [e["data"]["tokens"] for e in replay] == [1, 2, 3, 4, 5]
    assert [e["data"]["tokens_delta"] for e in replay] == [0, 1, 1, 1, 1]
    assert live["seq"] == live_seq == missed[-1] + 1


async def test_reconnect_with_nothing_missed_gets_only_live_events(
    make_server: ServerFactory, http: httpx.AsyncClient
) -> None:
    server = make_server()
    token = server.login()
    await _post(http, server, sample_json("r", tokens_count=1))
    async with ws_connect(server, token) as ws:
        snapshot = await next_event(ws, "SNAPSHOT")
    async with ws_connect(server, token, since=snapshot["seq"], epoch=snapshot["epoch"]) as ws:
        resume = await recv(ws)
        seq = await _post(http, server, sample_json("r", tokens_count=2))
        live = await recv(ws)
    assert resume["event_type"] == "RESUME"
    assert live["event_type"] == "TELEMETRY_UPDATE"
    assert live["seq"] == seq == snapshot["seq"] + 1


@pytest.mark.parametrize(
    "query",
    [
        {"since": 1, "epoch": "another-epoch"},
        {"since": 1},  # epoch missing
        {"since": "abc", "epoch": "x"},
        {"since": "-3", "epoch": "x"},
        {"since": 10**6, "epoch": None},  # from the future of this epoch
        {"since": 1, "epoch": None},  # older than the log holds
        {"since": "²", "epoch": None},  # a digit to str.isdigit, not to int()
        {"since": "1_0", "epoch": None},  # a number to int(), not a seq
    ],
    ids=[
        "other epoch",
        "no epoch",
        "not a number",
        "negative",
        "future",
        "no longer held",
        "superscript",
        "underscore",
    ],
)
async def test_unusable_since_gets_a_snapshot(
    make_server: ServerFactory, http: httpx.AsyncClient, query: dict[str, Any]
) -> None:
    server = make_server(GODMODE_EVENT_LOG_SIZE="3")
    token = server.login()
    for n in range(1, 11):
        await _post(http, server, sample_json("r", tokens_count=n))
    epoch = (await http.get(server.url + "/api/tracking/telemetry")).json()["epoch"]
    if "epoch" in query and query["epoch"] is None:
        query = query | {"epoch": epoch}

    async with ws_connect(server, token, **query) as ws:
        first = await recv(ws)

    assert first["event_type"] == "SNAPSHOT"
    assert first["seq"] == 10
    assert [(r["room_id"], r["tokens_count"]) for r in first["rooms"]] == [("r", 10)]


async def test_heartbeats_carry_the_current_seq(
    make_server: ServerFactory, http: httpx.AsyncClient
) -> None:
    server = make_server(GODMODE_HEARTBEAT_INTERVAL="0.2")
    token = server.login()
    seq = await _post(http, server, sample_json("r"))
    async with ws_connect(server, token) as ws:
        snapshot = await next_event(ws, "SNAPSHOT")
        beat = await next_event(ws, "HEARTBEAT", timeout=3)
    assert beat["seq"] == seq
    assert beat["epoch"] == snapshot["epoch"]
    assert isinstance(beat["timestamp"], int)


async def _only_heartbeats(ws: ClientConnection) -> None:
    """Read until the connection closes; a heartbeat may come first (one every 5 s), nothing
    else may."""
    while True:
        assert (await recv(ws))["event_type"] == "HEARTBEAT"


async def test_garbage_from_a_client_does_not_disturb_the_hub(
    dev_server: ServerProcess, http: httpx.AsyncClient, demo_token: str, room: str
) -> None:
    async with (
        ws_connect(dev_server, demo_token) as noisy,
        ws_connect(dev_server, demo_token) as huge,
        ws_connect(dev_server, demo_token) as quiet,
    ):
        for ws in (noisy, huge, quiet):
            await next_event(ws, "SNAPSHOT")
        await noisy.send("{not json")
        await noisy.send(b"\x00\xff binary")
        await noisy.send('{"event_type": "TELEMETRY_UPDATE", "room_id": "forged"}')
        await huge.send("x" * 200_000)  # over the server's message limit
        with pytest.raises(ConnectionClosed) as closed:
            await _only_heartbeats(huge)
        seq = await _post(http, dev_server, sample_json(room))

        assert closed.value.rcvd is not None
        assert closed.value.rcvd.code == 1009  # message too big
        assert (await next_event(noisy, "TELEMETRY_UPDATE"))["seq"] == seq
        assert (await next_event(quiet, "TELEMETRY_UPDATE"))["seq"] == seq


def _dropped_slow(server: ServerProcess) -> float:
    text = httpx.get(server.url + "/metrics").text
    match = re.search(r"^godmode_dashboards_dropped_slow_total (\S+)$", text, re.M)
    assert match is not None
    return float(match.group(1))


async def test_a_client_that_stops_reading_is_closed_and_delays_nobody(
    make_server: ServerFactory, http: httpx.AsyncClient
) -> None:
    server = make_server(
        GODMODE_WS_QUEUE_SIZE="256", GODMODE_WS_SEND_BUFFER="4096", GODMODE_HEARTBEAT_INTERVAL="60"
    )
    token = server.login()
    headers = {"Authorization": f"Bearer {token}"}
    # A small receive buffer and message queue, so the slow client's socket fills quickly.
    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 2048)
    sock.connect(("127.0.0.1", server.port))
    received: list[dict[str, Any]] = []

    async with (
        connect(server.ws_url, sock=sock, additional_headers=headers, max_queue=1) as slow,
        ws_connect(server, token) as reader,
    ):
        snapshot = await next_event(slow, "SNAPSHOT")
        await next_event(reader, "SNAPSHOT")

        expected = 0
        caught_up = asyncio.Event()

        async def read_forever() -> None:
            while True:
                received.append(await next_event(reader, "TELEMETRY_UPDATE", timeout=60))
                if expected and len(received) >= expected:
                    caught_up.set()

        reading = asyncio.create_task(read_forever())
        posted: list[int] = []
        # Bounded: the slow client's buffers hold far fewer events than this.
        for batch in range(500):
            bodies = [sample_json("r", tokens_count=batch * 20 + i) for i in range(20)]
            posted += await asyncio.gather(*(_post(http, server, b) for b in bodies))
            if _dropped_slow(server) >= 1:
                break
        assert _dropped_slow(server) == 1, "the client that stopped reading was never dropped"

        # The reader kept up the whole time: it has every event, in order, once.
        expected = len(posted)
        if len(received) >= expected:
            caught_up.set()
        await asyncio.wait_for(caught_up.wait(), timeout=10)
        reading.cancel()
        assert [e["seq"] for e in received] == sorted(posted)

        # The slow client reads again: what it was sent arrives in order, then the close code.
        slow_seen, closed = await _read_until_closed(slow)
        assert closed.rcvd is not None
        assert closed.rcvd.code == CLOSE_TOO_SLOW
        assert slow_seen == list(range(snapshot["seq"] + 1, snapshot["seq"] + 1 + len(slow_seen)))

    # ... and it resumes with `since`, losing nothing.
    last = slow_seen[-1] if slow_seen else snapshot["seq"]
    async with ws_connect(server, token, since=last, epoch=snapshot["epoch"]) as again:
        assert (await recv(again))["event_type"] == "RESUME"
        rest = [(await recv(again))["seq"] for _ in range(max(posted) - last)]
    assert slow_seen + rest == sorted(posted)


async def _read_until_closed(ws: Any) -> tuple[list[int], ConnectionClosed]:
    """The seqs of the updates a client still receives, and how its connection was closed."""
    seen: list[int] = []
    while True:
        try:
            event = await recv(ws, timeout=40)
        except ConnectionClosed as closed:
            return seen, closed
        if event["event_type"] == "TELEMETRY_UPDATE":
            seen.append(event["seq"])


def _coroutine_chain(task: asyncio.Task[object]) -> list[str]:
    """The names of the coroutines a task is suspended in, outermost first."""
    names: list[str] = []
    coroutine: object = task.get_coro()
    while isinstance(coroutine, types.CoroutineType):
        names.append(coroutine.cr_code.co_name)
        coroutine = coroutine.cr_await
    return names


async def test_an_open_dashboard_keeps_a_short_call_chain_alive(tmp_path: Path) -> None:
    """What an open dashboard holds for hours, each full garbage collection walks while the
    event loop waits (issue 22): its handler is reached in a few frames, not down the router's
    twenty-one.  The server is the real app on a loopback port, in this process to see it."""
    async with serving(tmp_path) as url:
        token = await login(url)
        async with connect(
            url.replace("http", "ws", 1) + "/ws/dashboard",
            additional_headers={"Authorization": f"Bearer {token}"},
        ) as ws:
            assert (await recv(ws))["event_type"] == "SNAPSHOT"
            [chain] = [
                names
                for task in asyncio.all_tasks()
                if "dashboard" in (names := _coroutine_chain(task))
            ]
            assert chain.index("dashboard") <= 9, chain
