"""What only the Redis store does: documented keys with TTLs, nodes sharing one log, epochs, and
working through a Redis outage.  Against a real ``redis-server`` started by the test."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from godmode_common.launcher import free_port
from godmode_common.protocol import parse_dashboard_event
from godmode_server.metrics import Metrics
from godmode_server.stores.redis_store import RedisStore
from tests.helpers.databases import RedisProcess
from tests.helpers.models import room_sample
from tests.helpers.stores import Events, redis_store
from tests.helpers.tcp_proxy import TcpProxy
from tests.helpers.waiting import wait_until


@pytest.fixture
async def nodes(redis_server: RedisProcess) -> AsyncIterator[list[RedisStore]]:
    """Two stores on one Redis: two server nodes, in one process."""
    stores = [redis_store(redis_server), redis_store(redis_server)]
    for store in stores:
        await store.start()
    yield stores
    for store in stores:
        await store.close()


async def test_latest_lives_under_its_documented_key_for_an_hour(
    redis_server: RedisProcess,
) -> None:
    store = redis_store(redis_server, latest_ttl=3600, prefix="studio1:")
    await store.start()
    try:
        await store.ingest(room_sample("room_1", tokens=5), 0)
    finally:
        await store.close()

    with redis_server.client() as client:
        key = "studio1:latest:chaturbate:room_1"
        assert 3500 < client.ttl(key) <= 3600
        assert client.hget(key, "tk") == "5"
        assert client.xlen("studio1:log") == 1
        assert client.ttl("studio1:history:chaturbate:room_1") > 3600
        assert client.zrange("studio1:rooms", 0, -1) == ["chaturbate:room_1"]


async def test_a_room_expires_after_its_ttl(redis_server: RedisProcess) -> None:
    store = redis_store(redis_server, latest_ttl=0.3)
    await store.start()
    try:
        await store.ingest(room_sample(), 0)
        assert await store.latest("r", "chaturbate") is not None
        with redis_server.client() as client:
            key = "godmode:latest:chaturbate:r"
            assert 0 < client.pttl(key) <= 300
            wait_until(lambda: not client.exists(key), timeout=5, what="Redis to expire the key")
        assert await store.latest("r", "chaturbate") is None
        assert (await store.snapshot()).rooms == []
        again = await store.ingest(room_sample(tokens=1, ts=50), 0)  # older than the expired one
        assert again.applied
    finally:
        await store.close()


async def test_a_sample_taken_by_one_node_reaches_the_other(nodes: list[RedisStore]) -> None:
    a, b = nodes
    seen_a, seen_b = Events(a), Events(b)

    for n in range(1, 21):
        await (a if n % 2 else b).ingest(room_sample(tokens=n, ts=100 + n), n)

    await seen_a.until(lambda: len(seen_a.entries) == 20, what="20 events on A")
    await seen_b.until(lambda: len(seen_b.entries) == 20, what="20 events on B")
    assert seen_a.seqs == list(range(1, 21))
    assert seen_a.entries == seen_b.entries, "same events, same order, same bytes"
    assert a.epoch == b.epoch
    assert await b.history("r", "chaturbate", 2) == await a.history("r", "chaturbate", 2)


async def test_a_node_follows_the_log_from_the_moment_its_start_returns(
    redis_server: RedisProcess,
) -> None:
    """A node reads the log from the seq its start announced, and is reading when start returns:
    its reader's connection is set up before, not after (it used to connect in the background,
    so on a slow connection a busy log could be trimmed past the announced seq first, and the
    node's dashboards were sent back to a snapshot at once)."""
    proxy = await TcpProxy(redis_server.port).start()
    proxy.connect_delay = 0.5  # every connection of node B takes half a second to set up
    a = redis_store(redis_server, event_log_size=10)
    b = redis_store(redis_server, event_log_size=10, url=f"redis://127.0.0.1:{proxy.port}/0")
    try:
        await a.start()
        await b.start()
        events = Events(b)
        for n in range(1, 41):  # four times the log, faster than a connection is set up
            await a.ingest(room_sample(tokens=n, ts=100 + n), n)

        await events.until(lambda: len(events.entries) == 40, what="40 events on B")
        assert events.seqs == list(range(1, 41))
        assert events.epochs == [], "no gap, so no epoch change"
    finally:
        await b.close()
        await a.close()
        await proxy.close()


async def test_a_flushed_redis_means_a_new_epoch(
    redis_server: RedisProcess, nodes: list[RedisStore]
) -> None:
    a, b = nodes
    events = Events(b)
    await a.ingest(room_sample(tokens=1), 0)
    await events.until(lambda: len(events.entries) == 1, what="the first event")
    old = b.epoch

    with redis_server.client() as client:
        client.flushall()
    # An idle log cannot tell that it was reset: the reader checks the epoch when idle.
    await events.until(lambda: events.epochs, what="the epoch change")

    assert b.epoch != old
    assert await b.events_since(1, old) is None
    outcome = await a.ingest(room_sample(tokens=2, ts=101), 0)
    assert outcome.seq == 1, "a new log starts again"
    await events.until(lambda: events.seqs[-1:] == [1], what="the new log's first event")
    assert a.epoch == b.epoch == events.epochs[-1]
    update = parse_dashboard_event(events.entries[-1].text)
    assert update.event_type == "TELEMETRY_UPDATE"
    assert update.data.tokens_delta == 0, "the old value is gone with the flush"


async def test_without_redis_the_node_works_alone_and_catches_up(tmp_path: Path) -> None:
    redis_server = RedisProcess(tmp_path / "redis", persistent=True).start()
    metrics = Metrics()
    store = redis_store(redis_server, metrics=metrics)
    await store.start()
    events = Events(store)
    try:
        await store.ingest(room_sample(tokens=1), 0)
        await events.until(lambda: events.seqs == [1], what="the first event")
        shared_epoch = store.epoch

        redis_server.stop()
        during = await store.ingest(room_sample(tokens=2, ts=101), 0)
        more = await store.ingest(room_sample("other", tokens=7), 0)

        assert during.applied
        assert more.applied
        assert store.degraded is not None
        assert store.epoch == events.epochs[-1] != shared_epoch
        assert events.seqs == [1, 2, 3], "the node's own dashboards keep getting events"
        assert (await store.check())["redis"].startswith("degraded")
        latest = await store.latest("r", "chaturbate")
        assert latest is not None
        assert latest.tokens_count == 2
        view = await store.snapshot()
        assert [(r.room_id, r.tokens_count) for r in view.rooms] == [("other", 7), ("r", 2)]
        assert _metric(metrics, "godmode_store_degraded") == 1
        assert _metric(metrics, "godmode_store_replay_pending") == 2

        redis_server.start()
        await events.until(lambda: store.degraded is None, timeout=15, what="recovery")

        assert await store.check() == {"redis": "ok"}
        assert store.epoch == events.epochs[-1] == shared_epoch, "Redis kept its log"
        with redis_server.client() as client:
            assert client.hget("godmode:latest:chaturbate:r", "tk") == "2"
            assert client.hget("godmode:latest:chaturbate:other", "tk") == "7"
        assert _metric(metrics, "godmode_store_degraded") == 0
        assert _metric(metrics, "godmode_store_samples_replayed_total") == 2
        after = await store.ingest(room_sample(tokens=3, ts=102), 0)
        assert after.seq == 4, "the replayed samples took seqs 2 and 3 in the shared log"
    finally:
        await store.close()
        redis_server.stop()


async def test_a_node_started_without_redis_joins_when_it_comes(tmp_path) -> None:
    server = RedisProcess(tmp_path / "redis")
    server.port = free_port()
    store = redis_store(server)
    await store.start()
    events = Events(store)
    try:
        assert store.degraded is not None
        await store.ingest(room_sample(tokens=1), 0)
        server.start()
        await events.until(lambda: store.degraded is None, timeout=15, what="recovery")
        with server.client() as client:
            assert client.hget("godmode:latest:chaturbate:r", "tk") == "1"
    finally:
        await store.close()
        server.stop()


def _metric(metrics: Metrics, name: str) -> float:
    value = metrics.registry.get_sample_value(name)
    assert value is not None, name
    return value


async def test_a_node_stopping_while_degraded_saves_what_it_accepted(tmp_path: Path) -> None:
    redis_server = RedisProcess(tmp_path / "redis", persistent=True).start()
    # A long backoff: the node is stopped before it would retry on its own.
    store = redis_store(redis_server, reconnect_base=60, reconnect_cap=60)
    await store.start()
    try:
        redis_server.stop()
        assert (await store.ingest(room_sample(tokens=1), 0)).applied
        assert (await store.ingest(room_sample("other", tokens=2), 0)).applied
        assert store.degraded is not None
        redis_server.start()
    finally:
        await store.close()

    try:
        with redis_server.client() as client:
            assert client.hget("godmode:latest:chaturbate:r", "tk") == "1"
            assert client.hget("godmode:latest:chaturbate:other", "tk") == "2"
    finally:
        redis_server.stop()
