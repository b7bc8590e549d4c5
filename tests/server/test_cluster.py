"""Several server processes on one real Redis acting as one; Redis going away and coming back."""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
from websockets.exceptions import ConnectionClosed

from tests.helpers.bodies import sample_json
from tests.helpers.dashboards import next_event, recv, ws_connect
from tests.helpers.databases import PostgresProcess, RedisProcess
from tests.helpers.servers import ServerFactory, ServerProcess
from tests.helpers.waiting import wait_until

pytestmark = pytest.mark.slow

#: A dashboard's pause before reconnecting after its node went away (a real client backs off).
RECONNECT_DELAY = 0.05


@pytest.fixture
def two_nodes(
    redis_server: RedisProcess, make_server: ServerFactory
) -> tuple[ServerProcess, ServerProcess]:
    return (
        make_server(GODMODE_REDIS_URL=redis_server.url),
        make_server(GODMODE_REDIS_URL=redis_server.url),
    )


async def _post(http: httpx.AsyncClient, server: ServerProcess, body: dict[str, Any]) -> int:
    answer = await http.post(server.url + "/api/tracking/telemetry", json=body)
    assert answer.status_code == 200, answer.text
    return int(answer.json()["seq"])


async def test_a_sample_posted_to_one_node_reaches_dashboards_on_both(
    two_nodes: tuple[ServerProcess, ServerProcess], http: httpx.AsyncClient, room: str
) -> None:
    a, b = two_nodes
    async with ws_connect(a, a.login()) as on_a, ws_connect(b, b.login()) as on_b:
        snapshots = [await next_event(on_a, "SNAPSHOT"), await next_event(on_b, "SNAPSHOT")]
        assert snapshots[0]["epoch"] == snapshots[1]["epoch"]

        seq = await _post(http, a, sample_json(room, tokens_count=10))
        from_a, from_b = await next_event(on_a), await next_event(on_b)

        assert from_a == from_b
        assert (from_b["room_id"], from_b["seq"]) == (room, seq)

        posted = []
        for n in range(1000):
            node = a if n % 2 else b
            posted.append(await _post(http, node, sample_json(room, tokens_count=11 + n)))
        received: dict[str, list[tuple[int, int]]] = {"a": [], "b": []}
        for name, ws in (("a", on_a), ("b", on_b)):
            while len(received[name]) < len(posted):
                event = await next_event(ws, "TELEMETRY_UPDATE")
                received[name].append((event["seq"], event["data"]["tokens"]))

    expected = [(s, 11 + n) for n, s in enumerate(posted)]
    assert posted == list(range(seq + 1, seq + 1001)), "one seq order for the deployment"
    assert received["a"] == received["b"] == expected


async def test_bulk_and_history_answer_the_same_on_every_node(
    two_nodes: tuple[ServerProcess, ServerProcess], http: httpx.AsyncClient, room: str
) -> None:
    a, b = two_nodes
    now = int(time.time())
    for n in range(5):
        await _post(http, a if n % 2 else b, sample_json(room, tokens_count=n, timestamp=now + n))
    path = f"/api/tracking/telemetry/{room}/chaturbate/history"

    for endpoint in ("/api/tracking/telemetry", path, f"/api/tracking/telemetry/{room}/chaturbate"):
        answers = [(await http.get(node.url + endpoint)).json() for node in (a, b)]
        for answer in answers:
            answer.pop("timestamp", None)  # the time of the answer
        assert answers[0] == answers[1], endpoint
    history = (await http.get(b.url + path)).json()
    assert [p["tokens_count"] for p in history["samples"]] == [0, 1, 2, 3, 4]


async def test_a_dashboard_resumes_on_another_node_after_a_crash(
    two_nodes: tuple[ServerProcess, ServerProcess], http: httpx.AsyncClient, room: str
) -> None:
    a, b = two_nodes
    async with ws_connect(a, a.login()) as ws:
        snapshot = await next_event(ws, "SNAPSHOT")
        await _post(http, b, sample_json(room, tokens_count=1))
        last = (await next_event(ws, "TELEMETRY_UPDATE"))["seq"]
        assert a.proc is not None
        a.proc.kill()  # SIGKILL: no goodbye
        with pytest.raises(ConnectionClosed):
            await _drain(ws)

    posted = [await _post(http, b, sample_json(room, tokens_count=2 + n)) for n in range(50)]

    async with ws_connect(b, b.login(), since=last, epoch=snapshot["epoch"]) as ws:
        resume = await recv(ws)
        replay = [await next_event(ws, "TELEMETRY_UPDATE") for _ in posted]
        await _post(http, b, sample_json(room, tokens_count=100))
        live = await next_event(ws, "TELEMETRY_UPDATE")

    assert (resume["event_type"], resume["seq"]) == ("RESUME", last)
    assert [e["seq"] for e in replay] == posted == list(range(last + 1, last + 51))
    assert [e["data"]["tokens"] for e in replay] == list(range(2, 52))
    assert live["seq"] == posted[-1] + 1


@dataclass
class Follower:
    """A dashboard that reconnects (with ``since``/``epoch``) whenever it is closed, and keeps
    what it was told: the rooms' tokens and every update's seq."""

    server: ServerProcess
    token: str
    tokens: dict[str, int] = field(default_factory=dict)
    updates: list[tuple[str, int]] = field(default_factory=list)
    snapshots: int = 0
    closes: list[int] = field(default_factory=list)
    seq: int | None = None
    epoch: str | None = None
    changed: asyncio.Event = field(default_factory=asyncio.Event)

    async def run(self) -> None:
        while True:
            query = {"since": self.seq, "epoch": self.epoch} if self.epoch else {}
            try:
                async with ws_connect(self.server, self.token, **query) as ws:
                    try:
                        async for raw in ws:
                            self._apply(raw)
                    finally:
                        self.closes.append(ws.close_code or 0)
            except (OSError, ConnectionClosed):
                await asyncio.sleep(RECONNECT_DELAY)

    def _apply(self, raw: str | bytes) -> None:
        import json

        event = json.loads(raw)
        kind = event["event_type"]
        if kind == "SNAPSHOT":
            self.snapshots += 1
            self.tokens = {r["room_id"]: r["tokens_count"] for r in event["rooms"]}
            self.seq, self.epoch = event["seq"], event["epoch"]
        elif kind == "TELEMETRY_UPDATE":
            assert self.seq is None or event["seq"] == self.seq + 1, (self.seq, event["seq"])
            self.seq = event["seq"]
            self.tokens[event["room_id"]] = event["data"]["tokens"]
            self.updates.append((event["room_id"], event["data"]["tokens"]))
        self.changed.set()

    async def until(self, predicate: Any, timeout: float = 15.0, what: str = "") -> None:
        try:
            async with asyncio.timeout(timeout):
                while not predicate():
                    self.changed.clear()
                    await self.changed.wait()
        except TimeoutError:
            pytest.fail(f"timed out waiting for {what}: {self}")


@contextlib.asynccontextmanager
async def following(server: ServerProcess) -> AsyncIterator[Follower]:
    follower = Follower(server, server.login())
    task = asyncio.create_task(follower.run())
    try:
        await follower.until(lambda: follower.snapshots, what="the first snapshot")
        yield follower
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task


async def test_a_redis_outage_degrades_and_recovers_without_restart(
    tmp_path: Path, make_server: ServerFactory, http: httpx.AsyncClient, room: str
) -> None:
    redis = RedisProcess(tmp_path / "redis", persistent=True).start()
    try:
        node = make_server(GODMODE_REDIS_URL=redis.url, GODMODE_REDIS_TIMEOUT="1")
        async with following(node) as follower:
            for n in range(10):
                await _post(http, node, sample_json(room, tokens_count=n))
            await follower.until(lambda: follower.tokens.get(room) == 9, what="tokens 9")

            redis.stop()
            await _post(
                http, node, sample_json(room, tokens_count=10)
            )  # answered 200 (_post checks)
            ready = (await http.get(node.url + "/readyz")).json()
            assert ready["status"] == "degraded"
            assert ready["checks"]["redis"].startswith("degraded")
            assert "godmode_store_degraded 1.0" in (await http.get(node.url + "/metrics")).text
            # The node's epoch changed: the dashboard is sent to a snapshot of the node's state...
            await follower.until(lambda: follower.snapshots == 2, what="the degraded snapshot")
            assert follower.tokens[room] == 10
            # ...and then receives every sample the node takes, live.
            for n in range(11, 20):
                await _post(http, node, sample_json(room, tokens_count=n))
            await follower.until(lambda: follower.tokens.get(room) == 19, what="tokens 19")

            redis.start()  # the node notices by itself, and sends its dashboards to a snapshot
            await follower.until(lambda: follower.snapshots == 3, what="the recovered snapshot")
            assert (await http.get(node.url + "/readyz")).json()["status"] == "ready"
            assert follower.tokens[room] == 19, "what was taken alone is now in Redis"
            for n in range(20, 30):
                await _post(http, node, sample_json(room, tokens_count=n))
            await follower.until(lambda: follower.tokens.get(room) == 29, what="tokens 29")

            seen = [tokens for r, tokens in follower.updates if r == room]
            assert seen == [*range(10), *range(11, 20), *range(20, 30)]
            assert follower.closes.count(1012) == 2
        with redis.client() as client:
            assert client.hget(f"godmode:latest:chaturbate:{room}", "tk") == "29"
    finally:
        redis.stop()


async def test_a_flushed_redis_sends_dashboards_to_a_snapshot(
    redis_server: RedisProcess, make_server: ServerFactory, http: httpx.AsyncClient, room: str
) -> None:
    node = make_server(GODMODE_REDIS_URL=redis_server.url)
    async with following(node) as follower:
        await _post(http, node, sample_json(room, tokens_count=1))
        await follower.until(lambda: follower.tokens.get(room) == 1, what="tokens 1")
        old_epoch, old_seq = follower.epoch, follower.seq

        with redis_server.client() as client:
            client.flushall()
        await follower.until(lambda: follower.snapshots == 2, what="a second snapshot")

        assert follower.epoch != old_epoch
        assert follower.tokens == {}, "the flushed state is gone, and the dashboard knows it"
        await _post(http, node, sample_json(room, tokens_count=2))
        await follower.until(lambda: follower.tokens.get(room) == 2, what="tokens 2")

    async with ws_connect(node, node.login(), since=old_seq, epoch=old_epoch) as ws:
        first = await recv(ws)
    assert first["event_type"] == "SNAPSHOT"
    assert first["epoch"] == follower.epoch


async def test_latest_expires_after_the_configured_ttl(
    redis_server: RedisProcess, make_server: ServerFactory, http: httpx.AsyncClient, room: str
) -> None:
    node = make_server(GODMODE_REDIS_URL=redis_server.url, GODMODE_LATEST_TTL="1")
    url = f"{node.url}/api/tracking/telemetry/{room}/chaturbate"
    await _post(http, node, sample_json(room))

    assert (await http.get(url)).status_code == 200
    with redis_server.client() as client:
        key = f"godmode:latest:chaturbate:{room}"
        assert 0 < client.pttl(key) <= 1000
        wait_until(lambda: not client.exists(key), timeout=5, what="the key to expire")
    answer = await http.get(url)
    assert answer.status_code == 404
    assert "in the last hour" in answer.json()["message"]


async def _drain(ws: Any) -> None:
    while True:
        await recv(ws)


async def test_nodes_share_accounts_and_keys_through_postgresql(
    redis_server: RedisProcess,
    postgres: PostgresProcess,
    make_server: ServerFactory,
    http: httpx.AsyncClient,
    room: str,
) -> None:
    shared = {
        "GODMODE_REDIS_URL": redis_server.url,
        "GODMODE_DATABASE_URL": postgres.new_database(),
    }
    a = make_server(dev=False, **shared)
    b = make_server(dev=False, **shared)
    assert a.cli("user", "add", "ana", input="s3cret-pass\n").returncode == 0
    key = a.cli("key", "create", "studio").stdout.strip()

    for node in (a, b):
        login = await http.post(
            node.url + "/api/auth/login", json={"username": "ana", "password": "s3cret-pass"}
        )
        assert login.status_code == 200, node.url
        posted = await http.post(
            node.url + "/api/tracking/telemetry", json=sample_json(room), headers={"X-API-Key": key}
        )
        assert posted.status_code == 200, posted.text

    assert b.cli("key", "revoke", "studio").returncode == 0
    assert "studio" in a.cli("key", "list").stdout
