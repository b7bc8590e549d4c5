"""Dashboards connecting together share one snapshot read, and still miss nothing."""

from __future__ import annotations

import asyncio

import httpx
import pytest

from godmode_server.feed.snapshots import Encoded, SharedSnapshots
from godmode_server.stores import StateView
from tests.helpers.bodies import sample_json
from tests.helpers.dashboards import next_event, recv, ws_connect
from tests.helpers.databases import RedisProcess
from tests.helpers.servers import ServerFactory


class GatedStore:
    """A store whose snapshot reads wait for the test to let each one finish."""

    def __init__(self) -> None:
        self.seq = 0
        self.started = 0
        self.read_started = asyncio.Event()
        self.gate = asyncio.Event()
        self.fail = False

    async def snapshot(self) -> StateView:
        self.started += 1
        self.seq += 1
        seq = self.seq
        self.read_started.set()
        await self.gate.wait()
        if self.fail:
            raise RuntimeError("the store is down")
        return StateView(seq=seq, epoch="e", full=True, rooms=[])


async def _ask(shared: SharedSnapshots, count: int) -> list[asyncio.Task[Encoded]]:
    """``count`` requests, returned once every one has registered (which ``get()`` does before
    its first await)."""
    asked = 0
    all_asked = asyncio.Event()

    async def ask() -> Encoded:
        nonlocal asked
        asked += 1
        if asked == count:
            all_asked.set()
        return await shared.get()

    tasks = [asyncio.create_task(ask()) for _ in range(count)]
    await asyncio.wait_for(all_asked.wait(), 5)
    return tasks


async def test_requests_share_the_next_read_never_one_already_running() -> None:
    store = GatedStore()
    shared = SharedSnapshots(store.snapshot)
    [first] = await _ask(shared, 1)
    await asyncio.wait_for(store.read_started.wait(), 5)
    # These ask while the first read runs: it may predate their registration with the hub.
    later = await _ask(shared, 10)
    store.gate.set()

    assert (await first)[0] == 1
    answers = await asyncio.gather(*later)
    assert {seq for seq, _, _ in answers} == {2}, "all ten share the read that began after them"
    assert len({text for _, text, _ in answers}) == 1, "and its one encoding"
    assert shared.reads == store.started == 2


async def test_a_failed_read_fails_every_waiter_and_the_next_read_is_fresh() -> None:
    store = GatedStore()
    store.fail = True
    shared = SharedSnapshots(store.snapshot)
    waiting = await _ask(shared, 3)
    await asyncio.wait_for(store.read_started.wait(), 5)
    store.gate.set()
    for task in waiting:
        with pytest.raises(RuntimeError, match="the store is down"):
            await task

    store.fail = False
    assert (await shared.get())[0] == 2
    assert store.started == 2, "one read for the three, one for the next"


async def test_a_read_is_given_again_only_while_nothing_was_published_since() -> None:
    """A reconnect storm spreads over seconds: while the hub has published nothing newer than
    the last read, that read is still the state, for at most a second."""
    store = GatedStore()
    store.gate.set()
    epoch, seq = ["e"], [0]
    now = [100.0]
    shared = SharedSnapshots(store.snapshot, lambda: (epoch[0], seq[0]), lambda: now[0])
    first = await shared.get()
    seq[0] = first[0]
    assert await shared.get() is first  # nothing since: no read
    now[0] += 0.9
    assert await shared.get() is first
    assert store.started == 1

    seq[0] = first[0] + 1  # an event went out after that read
    second = await shared.get()
    assert second[0] == first[0] + 1
    assert store.started == 2

    seq[0] = second[0]
    now[0] += 1.0  # too old, even with nothing published
    assert (await shared.get())[0] == second[0] + 1
    epoch[0] = "another epoch"
    assert (await shared.get())[0] == second[0] + 2
    assert store.started == 4


@pytest.mark.parametrize("store", ["embedded", "redis"])
async def test_dashboards_connecting_together_during_ingest_miss_nothing(
    store: str,
    make_server: ServerFactory,
    redis_server: RedisProcess,
    http: httpx.AsyncClient,
    room: str,
) -> None:
    """Forty dashboards connect at once while samples keep coming: each one's snapshot and
    the updates after it cover every sample exactly once, in order. (With Redis a snapshot
    read awaits, so events are published while it runs.)"""
    env = {"GODMODE_REDIS_URL": redis_server.url} if store == "redis" else {}
    dev_server = make_server(**env)
    token = dev_server.login()
    url = dev_server.url + "/api/tracking/telemetry"
    posted: list[int] = []
    done = asyncio.Event()

    async def post_all() -> None:
        for n in range(60):
            answer = await http.post(url, json=sample_json(f"{room}_{n % 7}", tokens_count=n + 1))
            posted.append(answer.json()["seq"])
        done.set()

    async def dashboard() -> tuple[int, list[int]]:
        async with ws_connect(dev_server, token) as ws:
            first = await recv(ws)
            assert first["event_type"] == "SNAPSHOT"
            seqs: list[int] = []
            await done.wait()
            while (seqs[-1] if seqs else first["seq"]) < posted[-1]:
                try:
                    seqs.append((await next_event(ws, "TELEMETRY_UPDATE"))["seq"])
                except TimeoutError:
                    pytest.fail(f"snapshot {first['seq']}, then {seqs}; posted {posted}")
            return first["seq"], seqs

    posting = asyncio.create_task(post_all())
    results = await asyncio.gather(*(dashboard() for _ in range(40)))
    await posting

    for snapshot_seq, seqs in results:
        after = [s for s in posted if s > snapshot_seq]
        assert seqs == after, (snapshot_seq, seqs[:5], after[:5])
