"""What only the embedded store does: expiry on its own clock."""

from __future__ import annotations

import gc

from godmode_common.protocol import parse_dashboard_event
from godmode_server.stores import LogEntry, MemoryStore
from godmode_server.stores.chunked import CHUNK
from tests.helpers.collector import references_walked
from tests.helpers.models import room_sample


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


async def test_latest_expires_and_the_next_sample_starts_fresh() -> None:
    clock = Clock()
    store = MemoryStore(latest_ttl=3600, clock=clock)
    seen: list[LogEntry] = []
    store.subscribe(seen.append)
    await store.ingest(room_sample(tokens=10, ts=100), 0)
    clock.now += 3600

    assert await store.latest("r", "chaturbate") is None
    assert (await store.snapshot()).rooms == []
    again = await store.ingest(room_sample(tokens=3, ts=50), 0)  # older than the expired one
    assert again.applied
    update = parse_dashboard_event(seen[-1].text)
    assert update.event_type == "TELEMETRY_UPDATE"
    assert update.data.tokens_delta == 0


async def test_what_the_store_holds_costs_the_garbage_collector_nothing() -> None:
    """The log and the histories are most of a long-running server's objects; each object the
    collector tracks lengthens every full collection, a pause of the event loop (issue 22).
    Held as plain tuples they are untracked, so holding more samples tracks no more objects
    (the rooms' latest values neither: a room costs its history's container) -- and what is
    read back is the same."""
    store = MemoryStore(event_log_size=100_000, history_size=1000)

    async def post(first: int, count: int, rooms: range = range(50)) -> None:
        for n in range(first, first + count):
            room = rooms[n % len(rooms)]
            await store.ingest(room_sample(room=f"r{room}", tokens=n, ts=n), n)

    await post(0, 2_000)
    gc.collect()
    before = len(gc.get_objects())
    await post(2_000, 8_000)
    gc.collect()
    gc.collect()  # chunks met before their items are untracked the second time
    assert len(gc.get_objects()) - before < 200  # 8,000 more samples and events held
    # Nor does a collection follow a reference per sample held (10,000 events, 50 histories of
    # 200): the containers hold them in chunks.
    assert references_walked(store) < 10_000 // CHUNK + 50 * (200 // CHUNK + CHUNK) + 1_000

    history = await store.history("r7", "chaturbate", 3)
    assert [(s.room_id, s.tokens_count, s.timestamp) for s in history] == [
        ("r7", n, n) for n in (9857, 9907, 9957)
    ]
    assert history[-1] == room_sample(room="r7", tokens=9957, ts=9957)
    replay = await store.events_since(9_998, store.epoch)
    assert replay is not None
    assert [e.key for e in replay] == [("r48", "chaturbate"), ("r49", "chaturbate")]
    assert [e.seq for e in replay] == [9_999, 10_000]
    assert all(parse_dashboard_event(e.text).event_type == "TELEMETRY_UPDATE" for e in replay)

    gc.collect()
    before = len(gc.get_objects())
    await post(0, 500, rooms=range(50, 100))
    gc.collect()
    gc.collect()  # chunks met before their items are untracked the second time
    # 50 more rooms: their histories' containers (three objects a room), nothing for their
    # latest values (as pydantic samples, three more objects a room with their holder)
    assert len(gc.get_objects()) - before < 50 * 3 + 30
